"""`flask --app qa_app qa sso check [--mapping FILE]`: check single sign-on's settings, the
mapping file (each problem as file:line: message) and the names in it against the database
(every team a group names must exist; every break-glass account must exist, be active and hold
the administrator role), then print what each group gives. Exit 1 on any problem, so a
deployment can run it before switching a new mapping file in."""

import click
from flask import current_app
from flask.cli import with_appcontext

from qa_app.auth.sso_client import SsoConfigError, local_sign_in, settings
from qa_app.data.sso_accounts import missing_teams
from qa_app.data.users import find_by_username
from qa_app.models import Role
from qa_app.rules.sso_mapping import Mapping, MappingError, load_mapping


@click.group("sso")
def sso() -> None:
    """Single sign-on through the council's identity provider."""


def _problems_in_database(mapping: Mapping, path: str) -> list[str]:
    problems = []
    for group in mapping.groups:
        for name in missing_teams(group.teams):
            problems.append(
                f"{path}:{group.line}: no team is called {name!r}: add it under Administration "
                "> Teams and localities, or correct the name"
            )
    return problems


def _break_glass_problems() -> list[str]:
    local = local_sign_in(current_app.config)
    problems = []
    for username in sorted(local.break_glass):
        user = find_by_username(username)
        if user is None:
            problems.append(f"QA_BREAK_GLASS_USERS: there is no account {username!r}")
        elif not user.active:
            problems.append(f"QA_BREAK_GLASS_USERS: the account {username!r} is disabled")
        elif not user.has_role(Role.ADMIN):
            problems.append(
                f"QA_BREAK_GLASS_USERS: {username!r} does not hold the administrator role"
            )
        elif user.sso_subject:
            problems.append(
                f"QA_BREAK_GLASS_USERS: {username!r} signs in through the council, so it has "
                "no password to sign in with"
            )
    return problems


@sso.command("check")
@click.option(
    "--mapping",
    "mapping_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Check this mapping file instead of the one QA_OIDC_MAPPING names.",
)
@with_appcontext
def check(mapping_path: str | None) -> None:
    """Check the single sign-on settings, the mapping file and the names it holds."""
    problems: list[str] = []
    try:
        chosen = settings(current_app.config)
        problems += _break_glass_problems()
    except SsoConfigError as exc:
        click.echo(str(exc))
        raise SystemExit(1) from None
    path = mapping_path or (chosen.mapping_path if chosen else None)
    if path is None:
        click.echo("Single sign-on is off (QA_OIDC_ISSUER is not set) and no --mapping was given.")
    else:
        try:
            mapping = load_mapping(path)
        except MappingError as exc:
            click.echo(str(exc))
            count = len(exc.problems)
            click.echo(f"{count} problem{'s' if count != 1 else ''} found.", err=True)
            raise SystemExit(1) from None
        problems += _problems_in_database(mapping, path)
        count = len(mapping.groups)
        click.echo(f"{path}: the {mapping.claim} claim; {count} group{'s' if count != 1 else ''}:")
        for group in mapping.groups:
            named = f" ({group.name})" if group.name else ""
            roles = ", ".join(sorted(r.value for r in group.roles))
            teams = f"; teams {', '.join(group.teams)}" if group.teams else ""
            click.echo(f"  {group.id}{named}: roles {roles}{teams}")
    for problem in problems:
        click.echo(problem)
    if problems:
        count = len(problems)
        click.echo(f"{count} problem{'s' if count != 1 else ''} found.", err=True)
        raise SystemExit(1)
    click.echo("No problems found.")


def register(group: click.Group) -> None:
    group.add_command(sso)
