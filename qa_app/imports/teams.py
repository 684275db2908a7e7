"""Teams and localities from one file (CSV or XLSX): the columns team and locality, and
optionally active (yes/no). Checked whole before anything is stored; the plan says which teams
and localities are new, which change, and which are already as in the file, so that loading
the same file again changes nothing. Stored by qa_app.data.organisation.store_teams."""

from qa_app.data.organisation import list_localities, list_teams
from qa_app.imports.setup_files import (
    CREATE,
    UNCHANGED,
    UPDATE,
    PlannedRow,
    SetupPlan,
    changes_text,
    first_sheet,
    keep_absent,
    yes_no,
)
from qa_app.imports.tabular import ImportProblem, without_cell_text

REQUIRED = ["team"]
OPTIONAL = ["locality", "active"]
MAX_NAME = 120


def check_teams_file(filename: str, data: bytes) -> SetupPlan:
    plan = SetupPlan(filename, "teams")
    sheet = first_sheet(plan, data, REQUIRED, OPTIONAL)
    if sheet is None:
        return plan
    teams = {t.name.strip().lower(): t for t in list_teams()}
    localities = {loc.name.strip().lower(): loc.name for loc in list_localities()}
    new_localities: set[str] = set()
    seen: dict[str, int] = {}
    problems = []
    for number, cells in sheet.rows:

        def add(column: str, message: str, number: int = number) -> None:
            problems.append(ImportProblem(sheet.name, number, column, message))

        name = cells.get("team", "").strip()
        locality = cells.get("locality", "").strip()
        active = yes_no(cells.get("active", ""), True)
        bad = len(problems)
        if not name:
            add("team", "Enter the team's name")
        elif len(name) > MAX_NAME:
            add("team", f"use {MAX_NAME} characters or fewer")
        elif name.lower() in seen:
            add("team", f"this team is on the file twice (also row {seen[name.lower()]})")
        else:
            seen[name.lower()] = number
        if len(locality) > MAX_NAME:
            add("locality", f"use {MAX_NAME} characters or fewer")
        if active is None:
            add("active", "write yes or no (blank: yes)")
        if len(problems) > bad:
            continue
        locality = localities.get(locality.lower(), locality)
        if locality and locality.lower() not in localities:
            new_localities.add(locality.lower())
            localities[locality.lower()] = locality
        after = {"locality": locality or None, "active": active}
        existing = teams.get(name.lower())
        if existing is None:
            where = f" ({locality})" if locality else ""
            plan.rows.append(
                PlannedRow(number, CREATE, f"Team {name}{where}", data={"name": name, **after})
            )
            continue
        before = {
            "locality": existing.locality.name if existing.locality else None,
            "active": existing.active,
        }
        after = keep_absent(sheet, after, before, {"locality": "locality", "active": "active"})
        changed = changes_text(before, after)
        plan.rows.append(
            PlannedRow(
                number,
                UPDATE if changed else UNCHANGED,
                f"Team {existing.name}",
                changed,
                data={"name": existing.name, "id": existing.id, **after},
            )
        )
    plan.problems = sorted(without_cell_text(problems, [sheet]))
    if plan.problems:
        plan.rows = []
    else:
        plan.rows[:0] = [
            PlannedRow(0, CREATE, f"Locality {localities[key]}", data={"locality": localities[key]})
            for key in sorted(new_localities)
        ]
    return plan
