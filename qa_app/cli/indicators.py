"""`flask qa import-indicators FILE`: monthly indicator values from CSV or XLSX, and
`flask qa indicators add-starter-set`: the starter set of definitions."""

import getpass
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from qa_app.data.users import find_by_username
from qa_app.imports.indicators import check_indicator_file, store_indicator_values
from qa_app.imports.limits import UPLOAD, read_at_most
from qa_app.indicators.starter import add_starter_set
from qa_app.rules.uk_time import uk_today


def _actor(username: str | None):
    if not username:
        return None
    actor = find_by_username(username)
    if actor is None:
        raise click.ClickException(f"no such account: {username}")
    return actor


@click.command("import-indicators")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--user",
    "username",
    default=None,
    help="Record the import as done by this account (default: the system user).",
)
@with_appcontext
def import_indicators(file, username):
    """Import monthly indicator values from a CSV or XLSX file (docs/imports.md). Every cell
    is checked first; if anything is wrong, nothing is imported. A month already stored is
    replaced, and the change log keeps the old value."""
    actor = _actor(username)
    checked = check_indicator_file(file.name, read_at_most(file, UPLOAD), today=uk_today())
    if checked.problems:
        for problem in checked.problems:
            click.echo(str(problem))
        count = len(checked.problems)
        click.echo(f"{count} problem{'s' if count != 1 else ''} found.", err=True)
        click.echo("Nothing was imported.", err=True)
        sys.exit(1)
    loaded_by = "" if actor else f"command line ({getpass.getuser()})"
    result = store_indicator_values(checked, actor=actor, loaded_by=loaded_by)
    click.echo(
        f"Read {result.total} value{'s' if result.total != 1 else ''} for "
        f"{result.indicators} indicator{'s' if result.indicators != 1 else ''} "
        f"({checked.layout} layout) from {checked.filename}: {result.added} added, "
        f"{result.replaced} replaced, {result.unchanged} unchanged"
        + (
            f"; {result.breakdowns_total} breakdown value"
            f"{'s' if result.breakdowns_total != 1 else ''}: {result.breakdowns_added} added, "
            f"{result.breakdowns_replaced} replaced, {result.breakdowns_unchanged} unchanged"
            if result.breakdowns_total
            else ""
        )
        + (
            f"; {checked.blanks} blank cell{'s' if checked.blanks != 1 else ''} skipped"
            if checked.blanks
            else ""
        )
        + "."
    )


@click.group("indicators")
def indicators_group():
    """Performance indicator definitions."""


@indicators_group.command("add-starter-set")
@click.option("--user", "username", default=None, help="Record the change as this account's.")
@with_appcontext
def add_starter_set_command(username):
    """Add the starter set of indicator definitions (those whose code is not defined yet)."""
    added = add_starter_set(_actor(username))
    if added:
        click.echo(f"Added {len(added)} indicators: {', '.join(i.code for i in added)}.")
    else:
        click.echo("Every starter indicator is already defined: nothing added.")


def register(qa) -> None:
    """Add the indicator commands to the `qa` group."""
    qa.add_command(import_indicators)
    qa.add_command(indicators_group)
