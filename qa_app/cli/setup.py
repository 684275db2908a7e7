"""`flask qa setup ...`: set a council up from files (teams and localities, accounts,
indicator definitions, cycles), and `flask qa cycle create`. Each file is checked whole
first: with any problem, each is printed by row and column and nothing is stored; otherwise
the plan is printed (what is new, what changes) and stored, unless --dry-run. Loading the same
file twice changes nothing the second time. Every change is in the change log, as done by
--user's account or "command line (<os user>)"."""

import getpass
import sys
from collections.abc import Callable
from pathlib import Path

import click
from flask.cli import with_appcontext

from qa_app.data.users import find_by_username
from qa_app.imports.limits import read_at_most
from qa_app.imports.setup_files import ACTION_WORDS, SETUP, UNCHANGED, SetupPlan
from qa_app.imports.teams import check_teams_file
from qa_app.data.organisation import store_teams

FILE = click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
USER = click.option(
    "--user", "username", default=None, help="Record the changes as this account's."
)
DRY_RUN = click.option(
    "--dry-run", is_flag=True, help="Check the file and show what would change; store nothing."
)


def actor_and_origin(username: str | None, filename: str) -> tuple[object, dict]:
    """The account named by --user (refused if there is none), and what the change log keeps
    of where a change came from."""
    if not username:
        return None, {"file": filename, "by": f"command line ({getpass.getuser()})"}
    actor = find_by_username(username)
    if actor is None:
        raise click.ClickException(f"no such account: {username}")
    return actor, {"file": filename}


def show_plan(plan: SetupPlan, dry_run: bool) -> bool:
    """Print the file's problems (and exit 1) or its plan; whether to store it."""
    if plan.problems:
        for problem in plan.problems:
            click.echo(str(problem))
        count = len(plan.problems)
        click.echo(f"{count} problem{'s' if count != 1 else ''} found.", err=True)
        click.echo("Nothing was stored.", err=True)
        sys.exit(1)
    for row in plan.rows:
        if row.action != UNCHANGED:
            where = f"row {row.row}: " if row.row else ""
            detail = f" ({row.changes})" if row.changes else ""
            click.echo(f"{ACTION_WORDS[row.action]}: {where}{row.label}{detail}")
    click.echo(f"{plan.filename}: {plan.summary()}.")
    if dry_run:
        click.echo("Dry run: nothing was stored.")
    return not dry_run


def run_file(
    file: Path,
    check: Callable[[str, bytes], SetupPlan],
    store: Callable[[SetupPlan, object, dict], None],
    username: str | None,
    dry_run: bool,
) -> None:
    actor, origin = actor_and_origin(username, file.name)
    plan = check(file.name, read_at_most(file, SETUP))
    if show_plan(plan, dry_run):
        store(plan, actor, origin)
        click.echo("Stored.")


@click.group("setup")
def setup_group():
    """Set the council up from CSV or XLSX files (docs/imports.md)."""


@setup_group.command("teams")
@FILE
@USER
@DRY_RUN
@with_appcontext
def setup_teams(file, username, dry_run):
    """Teams and localities: columns team, locality and optionally active (yes/no)."""
    run_file(
        file,
        check_teams_file,
        lambda plan, actor, origin: store_teams(
            [r.data for r in plan.rows], actor=actor, origin=origin
        ),
        username,
        dry_run,
    )


def register(qa) -> None:
    """Add the set-up commands to the `qa` group."""
    qa.add_command(setup_group)
