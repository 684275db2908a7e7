"""`flask --app qa_app qa …` commands: accounts, audit templates, demo data."""

import getpass
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from qa_app.api.tokens import TokenError, revoke_tokens
from qa_app.api.tokens import create_token as make_token
from qa_app.data import organisation, users
from qa_app.data.sign_in_locks import clear, current_locks
from qa_app.data.sign_in_throttle import ACCOUNT, SOURCE, Limits, describe, username_key
from qa_app.data.templates import store_library
from qa_app.data.users import find_by_username
from qa_app.demo.seed import DEMO_PASSWORD, seed
from qa_app.findings.present import counted
from qa_app.imports.audits import check_audit_file, store_audits
from qa_app.imports.limits import HISTORIC, read_at_most
from qa_app.models import Role
from qa_app.rules.uk_time import uk_datetime
from qa_app.templates_engine.validate import validate_path


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


@qa.command("create-token")
@click.argument("username")
@click.option("--name", default="", help="What the token is for, e.g. the script using it.")
@with_appcontext
def create_token(username, name):
    """Make an API token for an account and print it, once: only its hash is kept. It acts with
    the account's roles; send it as 'Authorization: Bearer <token>' (see docs/api.md)."""
    user = find_by_username(username)
    if user is None:
        raise click.ClickException(f"no such account: {username}")
    try:
        token = make_token(user, name)
    except TokenError as error:
        raise click.ClickException(str(error)) from None
    click.echo(token)
    click.echo(
        f"API token for {user.username}; it is shown only now. Revoke it with "
        f"'flask --app qa_app qa revoke-token {user.username}'.",
        err=True,
    )


@qa.command("revoke-token")
@click.argument("username")
@with_appcontext
def revoke_token(username):
    """Revoke every API token of an account."""
    user = find_by_username(username)
    if user is None:
        raise click.ClickException(f"no such account: {username}")
    count = revoke_tokens(user)
    click.echo(f"Revoked {count} API token{'s' if count != 1 else ''} of {user.username}")


@qa.command("sign-in-locks")
@with_appcontext
def sign_in_locks():
    """List the sign-in locks holding now (as on Administration > Sign-in locks)."""
    locks = current_locks(Limits.from_config(current_app.config))
    for lock in locks:
        until = uk_datetime(lock.ends, seconds=True)
        click.echo(f"{describe(lock)}: {counted(lock.failures, 'failure')}, until {until}")
    if not locks:
        click.echo("No sign-in locks.")


@qa.command("clear-sign-in-lock")
@click.option("--account", default=None, help="Clear every lock on this account (username).")
@click.option("--address", default=None, help="Clear the lock on this IP address.")
@with_appcontext
def clear_sign_in_lock(account, address):
    """Clear a sign-in lock, for when no administrator can sign in to clear it on the page
    (their own known browsers are never locked by other browsers' failures)."""
    if bool(account) == bool(address):
        raise click.ClickException("give one of --account or --address")
    kind = ACCOUNT if account else SOURCE
    by = f"command line ({getpass.getuser()})"
    key = username_key(account) if account else None
    limits = Limits.from_config(current_app.config)
    lock = clear(kind, key, address, None, limits=limits, actor=None, by=by)
    click.echo(f"Cleared: {describe(lock)} ({counted(lock.failures, 'failure')} counted)")


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
    library, problems = validate_path(
        path or _default_dir(), vocabulary_dir=None if path and path.is_dir() else _default_dir()
    )
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{counted(len(problems), 'problem')} found", err=True)
        sys.exit(1)
    click.echo(
        f"OK: {counted(len(library.templates), 'template')}, "
        f"{counted(len(library.scales), 'scale')}, {counted(len(library.themes), 'theme')}"
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


def _on_scale(version) -> str:
    """', historic, graded on the Good / adequate / inadequate scale' for a historic version."""
    if version.number >= 1:
        return ""
    scale = version.content["scales"][version.content["template"]["scale"]]
    return f", historic, graded on the {scale['name']} scale"


@qa.command("import-audits")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--template", "template_key", required=True, help="Key of the audits' template.")
@click.option("--cycle", "cycle_name", default=None, help="Name of an existing audit cycle.")
@click.option(
    "--scale",
    "scale_key",
    default=None,
    help="The scale the audits were graded on, when not the template's (e.g. three_point).",
)
@click.option(
    "--user",
    "username",
    default=None,
    help="Record the import as done by this account (default: the system user).",
)
@click.option(
    "--allow-incomplete",
    is_flag=True,
    help="Import audits with required answers, grades or blocks missing (left blank).",
)
@with_appcontext
def import_audits(file, template_key, cycle_name, scale_key, username, allow_incomplete):
    """Import historic, submitted audits from a CSV or XLSX file (docs/imports.md).
    Every cell is checked first; if anything is wrong, nothing is imported."""
    actor = None
    if username:
        actor = find_by_username(username)
        if actor is None:
            raise click.ClickException(f"no such account: {username}")

    def progress(items, label):
        return click.progressbar(items, label=label, file=sys.stderr)

    checked = check_audit_file(
        file.name,
        read_at_most(file, HISTORIC),
        template_key,
        cycle_name=cycle_name,
        scale_key=scale_key,
        allow_incomplete=allow_incomplete,
        progress=progress,
    )
    if checked.problems:
        for problem in checked.problems:
            click.echo(str(problem))
        count = len(checked.problems)
        click.echo(f"{count} problem{'s' if count != 1 else ''} found.", err=True)
        if checked.missing:
            click.echo(
                f"Missing required answers ({checked.missing} of these) can be left blank in "
                "historic audits: add --allow-incomplete.",
                err=True,
            )
        click.echo("Nothing was imported.", err=True)
        sys.exit(1)
    loaded_by = None if actor else f"command line ({getpass.getuser()})"
    result = store_audits(checked, actor=actor, loaded_by=loaded_by, progress=progress)
    click.echo(
        f"Imported {counted(result.audits, 'audit')} "
        f"({checked.template.name}, version {checked.version.number}"
        f"{_on_scale(checked.version)}) from {checked.filename}: "
        f"{counted(result.new_cases, 'new case')}, "
        f"{result.existing_cases} existing, {counted(result.answers, 'answer')}."
    )


@qa.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing if any account exists.")
@with_appcontext
def seed_demo(if_empty):
    """Create demo teams, localities and one account per role (no real people's names)."""
    if not seed(only_if_empty=if_empty):
        click.echo("Demo data: accounts already exist, nothing changed.")
        return
    click.echo(
        f"Demo data created. Demo accounts (password '{DEMO_PASSWORD}'): "
        "admin, qa.lead, moderator, auditor, senior.manager, board.viewer"
    )
