"""`flask qa cycle follow-up ORIGINAL --months 6`: a follow-up cycle that audits the children of
an earlier cycle again. Prints the plan (period, templates, children, and each child that
cannot be followed up with the reason), then creates it unless --dry-run."""

import getpass
import sys

import click
from flask.cli import with_appcontext

from qa_app.data import follow_up
from qa_app.data.cycles import CycleError, get_cycle_by_name
from qa_app.data.users import find_by_username
from qa_app.findings.present import counted


def _day(day) -> str:
    return f"{day:%-d %B %Y}" if day else "none"


@click.command("follow-up")
@click.argument("original")
@click.option("--months", required=True, type=int, help="Months after the original's period.")
@click.option("--name", default="", help="The new cycle's name (a default names the original).")
@click.option("--user", "username", default=None, help="Record the change as this account's.")
@click.option("--dry-run", is_flag=True, help="Show what would be created; store nothing.")
@with_appcontext
def follow_up_command(original, months, name, username, dry_run):
    """Create a follow-up cycle of ORIGINAL (a cycle's name): the same children again."""
    cycle = get_cycle_by_name(original)
    if cycle is None:
        raise click.BadParameter(f"there is no audit cycle called {original!r}")
    actor = None
    if username:
        actor = find_by_username(username)
        if actor is None:
            raise click.ClickException(f"no such account: {username}")
    try:
        plan = follow_up.plan_follow_up(cycle, months, name=name)
    except CycleError as error:
        click.echo(f"--{error.field}: {error}" if error.field == "months" else str(error))
        click.echo("No cycle was created.", err=True)
        sys.exit(1)
    click.echo(f"{plan.name}: {_day(plan.period_start)} to {_day(plan.period_end)}")
    click.echo(f"Due: {_day(plan.due_date)}")
    click.echo("Templates: " + ", ".join(t.name for t in plan.templates))
    click.echo(
        f"{counted(plan.children, 'child', 'children')} to audit again "
        f"({counted(len(plan.cases), 'audit')})"
    )
    for refused in plan.not_followed:
        click.echo(f"Not followed up: {refused.case_reference}: {refused.reason}")
    if dry_run:
        click.echo("Nothing was stored (--dry-run).")
        return
    try:
        created, _ = follow_up.create_follow_up(
            cycle, months, actor=actor, name=name, expected=len(plan.cases)
        )
    except CycleError as error:
        click.echo(str(error))
        click.echo("No cycle was created.", err=True)
        sys.exit(1)
    if actor is None:
        click.echo(f"Recorded as done from the command line ({getpass.getuser()}).")
    click.echo(f"Created the cycle {created.name!r}.")
