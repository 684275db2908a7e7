"""`flask --app qa_app qa …` commands: accounts, audit templates, demo data."""

import getpass
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from qa_app.models import Role


@click.group()
def qa():
    """Practice QA administration commands."""


@qa.command("create-user")
@click.argument("username")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice([r.value for r in Role]),
    help="Repeat for several roles.",
)
@click.option("--name", "display_name", default="", help="Full name shown in the app.")
@click.option("--team", "team_names", multiple=True, help="Team name; repeat for several.")
@click.option("--email", default=None)
@with_appcontext
def create_user(username, roles, display_name, team_names, email):
    """Create an account. The password is read from standard input (one line)."""
    from qa_app.data import organisation, users

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    teams = {t.name.lower(): t for t in organisation.list_teams()}
    missing = [n for n in team_names if n.lower() not in teams]
    if missing:
        raise click.ClickException(f"no such team: {', '.join(missing)}")
    try:
        user = users.create_user(
            username,
            display_name or username,
            password,
            roles,
            # each team once, however often (or in whatever case) it was named
            teams=list({n.lower(): teams[n.lower()] for n in team_names}.values()),
            email=email,
        )
    except users.AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {user.username} ({', '.join(sorted(r.label for r in user.roles))})")


@qa.group()
def templates():
    """Check and load the audit templates in audit_templates/."""


def _default_dir() -> Path:
    return Path(current_app.config["QA_TEMPLATES_DIR"])


@templates.command("validate")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@with_appcontext
def templates_validate(path):
    """Check every template file (or one file); print problems as file:line: message."""
    from qa_app.templates_engine.validate import validate_path

    library, problems = validate_path(
        path or _default_dir(), vocabulary_dir=None if path and path.is_dir() else _default_dir()
    )
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found", err=True)
        sys.exit(1)
    click.echo(
        f"OK: {len(library.templates)} templates, {len(library.scales)} scales, "
        f"{len(library.themes)} themes"
    )


@templates.command("load")
@click.argument(
    "path", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@click.option(
    "--user",
    "username",
    default=None,
    help="Record the load as done by this account (default: the system user).",
)
@with_appcontext
def templates_load(path, username):
    """Store the templates: a changed file becomes a new version; an unchanged one does nothing;
    a template whose file was removed is retired. Nothing is stored if any file has a problem."""
    from qa_app.data.templates import store_library
    from qa_app.data.users import find_by_username
    from qa_app.templates_engine.validate import validate_path

    actor = None
    if username:
        actor = find_by_username(username)
        if actor is None:
            raise click.ClickException(f"no such account: {username}")

    library, problems = validate_path(path or _default_dir())
    if problems:
        for problem in problems:
            click.echo(str(problem))
        click.echo("Nothing was loaded: fix the problems above first.", err=True)
        sys.exit(1)
    loaded_by = None if actor else f"command line ({getpass.getuser()})"
    for result in store_library(library, actor, loaded_by=loaded_by):
        words = {
            "created": "created, version 1",
            "new_version": f"new version {result.version}",
            "unchanged": f"unchanged (version {result.version})",
            "retired": "retired: its file is gone; kept for the audits that use it",
        }
        click.echo(f"{result.key}: {words[result.outcome]}")


@qa.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing if any account exists.")
@with_appcontext
def seed_demo(if_empty):
    """Create demo teams, localities and one account per role (no real people's names)."""
    from qa_app.demo import DEMO_PASSWORD, seed

    if not seed(only_if_empty=if_empty):
        click.echo("Demo data: accounts already exist, nothing changed.")
        return
    click.echo(
        f"Demo data created. Demo accounts (password '{DEMO_PASSWORD}'): "
        "admin, qa.lead, moderator, auditor, senior.manager, board.viewer"
    )
