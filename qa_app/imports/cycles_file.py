"""Audit cycles from a file (CSV or XLSX): one row per cycle with the columns name, kind,
start, end and templates (template keys, separated by ; or ,), and optionally due,
description, theme_focus and moderation_share. A cycle whose name exists is changed to the
file's row (or left as it is when they agree). Checked whole first, as every set-up file;
stored by qa_app.data.cycle_setup.store_cycles."""

from qa_app.data.cycle_setup import cycle_fields, cycles_by_name, templates_by_key
from qa_app.data.cycles import KIND_LABELS, active_themes, cycle_date_problems
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
)
from qa_app.imports.tabular import ImportProblem, parse_date, without_cell_text
from qa_app.models import CycleKind

REQUIRED = ["name", "kind", "start", "end", "templates"]
OPTIONAL = ["due", "description", "theme_focus", "moderation_share"]
MAX_NAME = 200
# The optional fields, by their column: a file without the column leaves the stored value.
KEPT = {
    "due_date": "due",
    "description": "description",
    "theme_focus": "theme_focus",
    "moderation_share": "moderation_share",
}
# A follow-up cycle is made from the cycle it follows (`qa cycle follow-up`), never from a file.
FILE_KINDS = {k: label for k, label in KIND_LABELS.items() if k != "follow_up"}
KINDS = {str(k): str(k) for k in FILE_KINDS} | {
    label.lower(): str(k) for k, label in FILE_KINDS.items()
}


def kind_value(text: str) -> str | None:
    """A kind by its value (themed) or its label (Themed audit), any case."""
    text = text.strip().lower()
    return KINDS.get(text) or KINDS.get(text.replace(" ", "_"))


def check_cycles_file(filename: str, data: bytes) -> SetupPlan:
    plan = SetupPlan(filename, "cycles")
    sheet = first_sheet(plan, data, REQUIRED, OPTIONAL)
    if sheet is None:
        return plan
    templates = templates_by_key()
    themes = {t.key for t in active_themes()}
    existing = cycles_by_name()
    seen: dict[str, int] = {}
    problems: list[ImportProblem] = []
    for number, cells in sheet.rows:
        found = row_problems(sheet.name, number, cells, (templates, themes), seen, problems)
        if found is None:
            continue
        cycle = existing.get(found["name"].lower())
        if cycle is None:
            plan.rows.append(PlannedRow(number, CREATE, f"Cycle {found['name']}", data=found))
            continue
        current = cycle_fields(cycle)
        after = keep_absent(sheet, {k: v for k, v in found.items() if k != "name"}, current, KEPT)
        found = found | {k: after[k] for k in KEPT}
        changed = changes_text(current, after, {"kind": lambda k: KIND_LABELS[CycleKind(k)]})
        plan.rows.append(
            PlannedRow(
                number,
                UPDATE if changed else UNCHANGED,
                f"Cycle {cycle.name}",
                changed,
                data=found | {"name": cycle.name, "id": cycle.id},
            )
        )
    plan.problems = sorted(without_cell_text(problems, [sheet]))
    if plan.problems:
        plan.rows = []
    return plan


def row_problems(sheet, number, cells, known, seen, problems) -> dict | None:
    """The row as store_cycles takes it, or None with its problems added. `known`: the
    templates by key and the theme keys."""
    templates, themes = known
    before = len(problems)

    def add(column: str, message: str) -> None:
        problems.append(ImportProblem(sheet, number, column, message))

    name = cells.get("name", "").strip()
    if not name:
        add("name", "Enter the cycle's name")
    elif len(name) > MAX_NAME:
        add("name", f"use {MAX_NAME} characters or fewer")
    elif name.lower() in seen:
        add("name", f"this cycle is on the file twice (also row {seen[name.lower()]})")
    else:
        seen[name.lower()] = number
    kind = kind_value(cells.get("kind", ""))
    if kind is None:
        add("kind", f"write one of: {', '.join(str(k) for k in FILE_KINDS)}")
    days = {}
    for column in ("start", "end", "due"):
        text = cells.get(column, "").strip()
        days[column] = parse_date(text) if text else None
        if text and days[column] is None:
            add(column, "not a date: use YYYY-MM-DD or DD/MM/YYYY")
        elif not text and column != "due":
            add(column, "Enter the date")
    if days["start"] and days["end"]:
        columns = {"period_start": "start", "period_end": "end", "due_date": "due"}
        for field_name, message in cycle_date_problems(days["start"], days["end"], days["due"]):
            add(columns[field_name], message[0].lower() + message[1:])
    keys = split_list(cells.get("templates", ""))
    if not keys:
        add("templates", "name at least one template by its key, like cin_plan")
    elif unknown := [k for k in keys if k.lower() not in templates]:
        add(
            "templates",
            f"{len(unknown)} of the templates named {'is' if len(unknown) == 1 else 'are'} not "
            f"an active case-audit template (known: {', '.join(sorted(templates)) or 'none'})",
        )
    theme = cells.get("theme_focus", "").strip()
    if theme and theme not in themes:
        add("theme_focus", f"not a theme's key (known: {', '.join(sorted(themes)) or 'none'})")
    share_text = cells.get("moderation_share", "").strip().rstrip("%") or "10"
    share = int(share_text) if share_text.isdigit() and len(share_text) <= 3 else None
    if share is None or share > 100:
        add("moderation_share", "write a whole number from 0 to 100")
    if len(problems) > before:
        return None
    return {
        "name": name,
        "kind": kind,
        "description": cells.get("description", "").strip(),
        "period_start": days["start"],
        "period_end": days["end"],
        "due_date": days["due"],
        "templates": sorted(templates[k.lower()].key for k in dict.fromkeys(keys)),
        "theme_focus": theme or None,
        "moderation_share": share,
    }
