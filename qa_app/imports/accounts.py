"""Accounts from a file (CSV or XLSX): username, display_name, roles, and optionally email
and teams. Never passwords: a new account has none anyone knows until an administrator sets
its first one (Accounts, Set a password), as an account made on the web is given its first
password by the administrator. Roles are named by key (qa_lead) or label (QA lead), several
separated by ; or ,; teams by name, as set up. A file never grants the administrator role
unless `allow_admin` (the command's --allow-admin), and never takes it away. An account that
exists (same username, any case) is changed to the file's row. Stored by
qa_app.data.users.store_accounts."""

import re
from typing import Any

from qa_app.data.organisation import list_teams
from qa_app.data.users import list_users
from qa_app.imports.setup_files import (
    CREATE,
    UNCHANGED,
    UPDATE,
    PlannedRow,
    SetupPlan,
    changes_text,
    first_sheet,
    keep_absent,
    split_list,
    split_names,
)
from qa_app.imports.tabular import ImportProblem, without_cell_text
from qa_app.models import Role

REQUIRED = ["username", "display_name", "roles"]
OPTIONAL = ["email", "teams"]
USERNAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,79}")
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
ROLES = {r.value: r for r in Role} | {r.label.lower(): r for r in Role}


def check_accounts_file(filename: str, data: bytes, *, allow_admin: bool = False) -> SetupPlan:
    plan = SetupPlan(filename, "accounts")
    sheet = first_sheet(plan, data, REQUIRED, OPTIONAL)
    if sheet is None:
        return plan
    teams = {t.name.strip().lower(): t for t in list_teams()}
    users = {u.username.lower(): u for u in list_users()}
    seen: dict[str, int] = {}
    problems: list[ImportProblem] = []
    for number, cells in sheet.rows:
        before = len(problems)

        def add(column: str, message: str, number: int = number) -> None:
            problems.append(ImportProblem(sheet.name, number, column, message))

        username = cells.get("username", "").strip()
        if not USERNAME_RE.fullmatch(username):
            add("username", "use 1 to 80 letters, digits and . _ @ - (no spaces)")
        elif username.lower() in seen:
            add(
                "username",
                f"this username is on the file twice (also row {seen[username.lower()]})",
            )
        else:
            seen[username.lower()] = number
        name = cells.get("display_name", "").strip()
        if not name:
            add("display_name", "Enter the person's name")
        elif len(name) > 120:
            add("display_name", "use 120 characters or fewer")
        email = cells.get("email", "").strip()
        if email and (len(email) > 200 or not EMAIL_RE.fullmatch(email)):
            add("email", "not an email address: write it like name@example.gov.uk")
        role_names = [r.lower() for r in split_list(cells.get("roles", ""))]
        if not role_names:
            add("roles", "name at least one role")
        elif unknown := [r for r in role_names if r not in ROLES]:
            known = ", ".join(r.value for r in Role)
            add("roles", f"{len(unknown)} unknown role{'s' * (len(unknown) > 1)} (use {known})")
        roles = {ROLES[r] for r in role_names if r in ROLES}
        existing = users.get(username.lower())
        if (
            Role.ADMIN in roles
            and not allow_admin
            and not (existing and Role.ADMIN in existing.roles)
        ):
            add("roles", "a file does not make administrators: give this role under Accounts")
        team_names = split_names(cells.get("teams", ""), set(teams))
        if missing := [t for t in team_names if t.lower() not in teams]:
            add(
                "teams",
                f"{len(missing)} team{'s' * (len(missing) > 1)} not set up (teams are set up "
                "under Administration, Teams and localities)",
            )
        if len(problems) > before:
            continue
        if existing and Role.ADMIN in existing.roles:
            roles.add(Role.ADMIN)  # a file never takes the administrator role away
        after: dict[str, Any] = {
            "display_name": name,
            "email": email or None,
            "roles": sorted(r.value for r in roles),
            "teams": sorted(teams[t.lower()].name for t in dict.fromkeys(team_names)),
        }
        if existing is None:
            plan.rows.append(
                PlannedRow(
                    number,
                    CREATE,
                    f"Account {username} ({', '.join(ROLES[r].label for r in after['roles'])})",
                    data={"username": username, **after},
                )
            )
            continue
        current = {
            "display_name": existing.display_name,
            "email": existing.email,
            "roles": sorted(r.role for r in existing.role_rows),
            "teams": sorted(t.name for t in existing.teams),
        }
        after = keep_absent(sheet, after, current, {"email": "email", "teams": "teams"})
        changed = changes_text(current, after, {"roles": lambda r: ROLES[r].label})
        plan.rows.append(
            PlannedRow(
                number,
                UPDATE if changed else UNCHANGED,
                f"Account {existing.username}",
                changed,
                data={"id": existing.id, "username": existing.username, **after},
            )
        )
    plan.problems = sorted(without_cell_text(problems, [sheet]))
    if plan.problems:
        plan.rows = []
    return plan
