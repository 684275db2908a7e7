"""`flask --app qa_app qa clean-text`: find, and with --fix remove, the characters no text may
hold (qa_app.rules.control_characters) wherever they are already stored
(qa_app.data.text_repair)."""

import click
from flask.cli import with_appcontext

from qa_app.data.text_repair import find_damaged_text, repair

MAX_LISTED = 50  # rows listed by name; the rest are counted


@click.command("clean-text")
@click.option("--fix", is_flag=True, help="Remove the characters (each change is logged).")
@with_appcontext
def clean_text(fix: bool):
    """List the stored text that holds characters an XLSX or Word file cannot carry (control
    characters, U+FFFE, U+FFFF). Without --fix nothing is changed and the command exits 1 when
    it finds any, so a check can run it; with --fix they are removed and each row's repair is
    recorded in the change log."""
    rows = find_damaged_text()
    if not rows:
        click.echo("No stored text holds a character that cannot be written.")
        return
    for damaged in rows[:MAX_LISTED]:
        for column, what in damaged.summary().items():
            click.echo(f"{damaged.table} {damaged.entity_id} {column}: {what}")
    if len(rows) > MAX_LISTED:
        click.echo(f"... and {len(rows) - MAX_LISTED:,} more rows")
    if not fix:
        click.echo(f"{len(rows):,} rows to clean. Run again with --fix to remove the characters.")
        raise SystemExit(1)
    changed = repair(rows)
    click.echo(f"Cleaned {changed:,} rows; each repair is recorded in the change log.")


def register(group: click.Group) -> None:
    group.add_command(clean_text)
