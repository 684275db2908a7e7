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

from qa_app.cli.follow_up import follow_up_command
from qa_app.data.cycle_setup import cycles_by_name, store_cycles, templates_by_key
from qa_app.data.cycles import active_themes
from qa_app.data.indicators import store_definitions
from qa_app.data.organisation import store_teams
from qa_app.data.users import find_by_username, store_accounts
from qa_app.imports.accounts import check_accounts_file
from qa_app.imports.cycles_file import check_cycles_file, row_problems
from qa_app.imports.indicator_definitions import check_definitions_file
from qa_app.imports.limits import read_at_most
from qa_app.imports.setup_files import ACTION_WORDS, KEPT, SETUP, STORED, UNCHANGED, SetupPlan
from qa_app.imports.teams import check_teams_file
from qa_app.indicators.starter import starter_plan

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
            if row.action == KEPT:
                detail = f" (overwriting would change {row.changes})"
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


@setup_group.command("accounts")
@FILE
@USER
@DRY_RUN
@click.option(
    "--allow-admin",
    is_flag=True,
    help="Let the file give the administrator role (refused without this).",
)
@with_appcontext
def setup_accounts(file, username, dry_run, allow_admin):
    """Accounts: columns username, display_name, roles; optionally email, teams. No
    passwords: set each new account's first password under Accounts."""
    run_file(
        file,
        lambda name, data: check_accounts_file(name, data, allow_admin=allow_admin),
        lambda plan, actor, origin: store_accounts(
            [r.data for r in plan.rows if r.action != UNCHANGED], actor=actor, origin=origin
        ),
        username,
        dry_run,
    )
    if not dry_run:
        click.echo(
            "New accounts have no password yet: set each one's first password under "
            "Administration, Accounts (or flask qa create-user for a single account)."
        )


def store_plan_definitions(plan: SetupPlan, actor, origin: dict) -> None:
    rows = [r.data for r in plan.rows if r.action in STORED]
    store_definitions(rows, actor=actor, origin=origin)


@setup_group.command("indicators")
@FILE
@USER
@DRY_RUN
@with_appcontext
def setup_indicators(file, username, dry_run):
    """Indicator definitions: columns code, name, unit, better; optionally area, adds_up,
    demand, definition, good_looks_like, target, tolerance, position, active and
    <group>_value, <group>_year, <group>_source for statistical_neighbours, region, england."""
    run_file(file, check_definitions_file, store_plan_definitions, username, dry_run)


@setup_group.command("starter-indicators")
@USER
@DRY_RUN
@click.option(
    "--overwrite",
    is_flag=True,
    help="Put indicators the council has changed back to the starter definitions.",
)
@with_appcontext
def setup_starter_indicators(username, dry_run, overwrite):
    """The starter set of DfE measures (definitions, which way is good, published comparators).
    An indicator already defined is kept as the council has it, unless --overwrite."""
    actor, origin = actor_and_origin(username, "starter set")
    plan = starter_plan(overwrite)
    if show_plan(plan, dry_run):
        store_plan_definitions(plan, actor, origin)
        click.echo("Stored.")


@setup_group.command("cycles")
@FILE
@USER
@DRY_RUN
@with_appcontext
def setup_cycles(file, username, dry_run):
    """Audit cycles: columns name, kind, start, end, templates; optionally due, description,
    theme_focus, moderation_share."""
    run_file(
        file,
        check_cycles_file,
        lambda plan, actor, origin: store_cycles(
            [r.data for r in plan.rows if r.action != UNCHANGED], actor=actor, origin=origin
        ),
        username,
        dry_run,
    )


@click.group("cycle")
def cycle_group():
    """Audit cycles."""


@cycle_group.command("create")
@click.option("--name", required=True, help="The cycle's name, unique.")
@click.option("--kind", required=True, help="monthly, themed, practice_week or multi_agency.")
@click.option("--start", required=True, help="First day of the period (YYYY-MM-DD).")
@click.option("--end", required=True, help="Last day of the period (YYYY-MM-DD).")
@click.option("--due", default="", help="When its audits are due (YYYY-MM-DD).")
@click.option("--template", "keys", multiple=True, required=True, help="A template key; repeat.")
@click.option("--description", default="")
@click.option("--theme", "theme_focus", default="", help="A theme's key to focus on.")
@click.option("--moderation-share", default="10", help="Percent of audits moderated (0-100).")
@USER
@with_appcontext
def cycle_create(name, kind, start, end, due, keys, description, theme_focus, **rest):
    """Create an audit cycle (refused, naming the option, when anything is wrong)."""
    cells = {
        "name": name,
        "kind": kind,
        "start": start,
        "end": end,
        "due": due,
        "templates": ";".join(keys),
        "description": description,
        "theme_focus": theme_focus,
        "moderation_share": rest["moderation_share"],
    }
    cells = {k: v for k, v in cells.items() if v}
    actor, origin = actor_and_origin(rest["username"], "")
    origin.pop("file")
    problems: list = []
    known = (templates_by_key(), {t.key for t in active_themes()})
    found = row_problems("", 1, cells, known, {}, problems)
    taken = found is not None and found["name"].lower() in cycles_by_name()
    if taken:
        click.echo("--name: there is already a cycle with this name")
    for problem in problems:
        option = {"start": "start", "end": "end", "templates": "template"}.get(
            problem.column, problem.column.replace("_", "-")
        )
        click.echo(f"--{'theme' if option == 'theme-focus' else option}: {problem.message}")
    if problems or found is None or taken:
        click.echo("No cycle was created.", err=True)
        sys.exit(1)
    store_cycles([found], actor=actor, origin=origin)
    click.echo(f"Created the cycle {found['name']!r}.")


def register(qa) -> None:
    """Add the set-up commands to the `qa` group."""
    qa.add_command(setup_group)
    cycle_group.add_command(follow_up_command)
    qa.add_command(cycle_group)
