"""`flask --app qa_app qa backup FILE` and `qa restore FILE`: a portable logical backup of the
whole database (gzip-compressed JSON Lines; see qa_app/data/backup.py for the format)."""

import time
from pathlib import Path

import click
from flask.cli import with_appcontext

from qa_app.data import changelog
from qa_app.data.backup import BackupError, restore_backup, write_backup
from qa_app.extensions import db


def _summary(counts: dict[str, int]) -> str:
    shown = [f"  {name}: {n:,}" for name, n in counts.items() if n]
    return "\n".join(shown) or "  (no rows)"


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace FILE if it already exists.")
@with_appcontext
def backup(file: Path, force: bool):
    """Write the whole database to FILE (gzip-compressed JSON Lines, mode 0600: it holds
    case-level data). Readable by `qa restore` on SQLite or PostgreSQL at the same schema
    revision."""
    started = time.perf_counter()
    db.session.commit()  # hold no transaction of our own while the snapshot is read
    try:
        result = write_backup(db.engine, file, force=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    total = sum(result.counts.values())
    changelog.record(
        None,
        "database",
        "backup",
        "backup",
        {"file": str(file), "revision": result.revision, "counts": result.counts},
    )
    db.session.commit()
    click.echo(_summary(result.counts))
    click.echo(
        f"Backed up {total:,} rows (schema revision {result.revision}) to {file} "
        f"({file.stat().st_size:,} bytes) in {time.perf_counter() - started:.1f}s."
    )


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--replace",
    is_flag=True,
    help="Delete everything in the database first (in the same transaction as the restore).",
)
@with_appcontext
def restore(file: Path, replace: bool):
    """Load a backup written by `qa backup` into this database, in one transaction: the
    database must be empty (or use --replace) and at the backup's schema revision."""
    started = time.perf_counter()
    db.session.commit()
    try:
        counts = restore_backup(db.engine, file, replace=replace)
    except BackupError as error:
        raise click.ClickException(f"{file}: {error}. Nothing was changed.") from None
    finally:
        db.session.expire_all()
    click.echo(_summary(counts))
    click.echo(
        f"Restored {sum(counts.values()):,} rows from {file} "
        f"in {time.perf_counter() - started:.1f}s."
    )


def register(group: click.Group) -> None:
    """Add `backup` and `restore` to the `qa` group (called from setup.register_cli)."""
    group.add_command(backup)
    group.add_command(restore)
