"""Indicator definitions from a file (CSV or XLSX): one row per indicator with the columns
code, name, unit and better, and optionally area, adds_up, demand, definition,
good_looks_like, target, tolerance, position, active and, for each comparator group
(statistical_neighbours, region, england), <group>_value, <group>_year and <group>_source
(the published figure's name, like "Statistical neighbours (DfE CIN census 2024-25)").

An indicator whose code exists is changed to the file's row, in the columns the file has (a
column it leaves out keeps what is stored); each row is checked by the same rules as the
definition form (data.indicators.clean_definition). Stored by data.indicators.store_definitions.
The starter set (qa_app/indicators/starter.yaml) is planned the same way by starter_plan."""

from typing import Any

from qa_app.data import indicators as indicator_data
from qa_app.data.indicator_scorecard import COMPARATOR_GROUPS
from qa_app.data.indicators import FIELDS, IndicatorError, clean_definition
from qa_app.imports.setup_files import (
    CREATE,
    UNCHANGED,
    UPDATE,
    PlannedRow,
    SetupPlan,
    changes_text,
    first_sheet,
    yes_no,
)
from qa_app.imports.tabular import ImportProblem, without_cell_text
from qa_app.models import Indicator

REQUIRED = ["code", "name", "unit", "better"]
COMPARATOR_COLUMNS = [
    f"{g}_{part}" for g in COMPARATOR_GROUPS for part in ("value", "year", "source")
]
OPTIONAL = [
    "area",
    "adds_up",
    "demand",
    "definition",
    "good_looks_like",
    "target",
    "tolerance",
    "position",
    "active",
    *COMPARATOR_COLUMNS,
]
COMPARED = [f for f in FIELDS if f != "position"]  # what makes a row "already as stored"


def _column(field: str) -> str:
    """The file's column a definition problem names (comparator_england_value -> its own)."""
    field = field.removeprefix("comparator_")
    return "" if field == "comparators" else field


def stored_fields(indicator: Indicator | None) -> dict[str, Any]:
    return {f: getattr(indicator, f) for f in FIELDS} if indicator else {"active": True}


def row_fields(cells: dict[str, str], columns: set[str], existing: Indicator | None) -> dict:
    """The definition the row gives: what is stored, with the file's columns over it."""
    data = stored_fields(existing)
    for name in ("code", "name", "unit", "better", "area", "definition", "good_looks_like"):
        if name in columns:
            data[name] = cells.get(name, "").strip()
    for name in ("target", "tolerance", "position"):
        if name in columns:
            data[name] = cells.get(name, "").strip() or None
    for name in ("adds_up", "demand"):
        if name in columns:
            data[name] = cells.get(name, "")
    if "active" in columns:
        data["active"] = yes_no(cells.get("active", ""), True)
    groups = [g for g in COMPARATOR_GROUPS if f"{g}_value" in columns]
    if groups:
        kept = [c for c in data.get("comparators") or [] if c.get("group") not in groups]
        data["comparators"] = kept + [
            {
                "group": g,
                "value": cells.get(f"{g}_value", ""),
                "year": cells.get(f"{g}_year", ""),
                "source": cells.get(f"{g}_source", ""),
            }
            for g in groups
        ]
    return data


def plan_definitions(plan: SetupPlan, entries: list[tuple[int, str, dict]]) -> list[tuple]:
    """Plan each (row, code, fields): new, changed or as stored; returns (row, field, message)
    for the rows clean_definition refuses."""
    existing = indicator_data.by_code()
    refused = []
    for number, code, data in entries:
        indicator = existing.get(code.strip().upper())
        try:
            clean = clean_definition(data, existing=indicator)
        except IndicatorError as error:
            refused += [(number, field, message) for field, message in error.problems]
            continue
        if indicator is None:
            label = f"Indicator {clean['code']}: {clean['name']}"
            plan.rows.append(PlannedRow(number, CREATE, label, data={"fields": data}))
            continue
        before = {f: getattr(indicator, f) for f in COMPARED}
        changed = changes_text(before, {f: clean[f] for f in COMPARED})
        plan.rows.append(
            PlannedRow(
                number,
                UPDATE if changed else UNCHANGED,
                f"Indicator {indicator.code}: {indicator.name}",
                changed,
                data={"id": indicator.id, "fields": data},
            )
        )
    return refused


def check_definitions_file(filename: str, data: bytes) -> SetupPlan:
    plan = SetupPlan(filename, "indicators")
    sheet = first_sheet(plan, data, REQUIRED, OPTIONAL)
    if sheet is None:
        return plan
    columns = set(sheet.columns)
    existing = indicator_data.by_code()
    problems: list[ImportProblem] = []
    seen: dict[str, int] = {}
    entries = []
    for number, cells in sheet.rows:
        code = cells.get("code", "").strip().upper()
        if code and code in seen:
            problems.append(
                ImportProblem(
                    sheet.name,
                    number,
                    "code",
                    f"this code is on the file twice (also row {seen[code]})",
                )
            )
            continue
        seen[code] = number
        if "active" in columns and yes_no(cells.get("active", ""), True) is None:
            problems.append(ImportProblem(sheet.name, number, "active", "write yes or no"))
            continue
        entries.append((number, code, row_fields(cells, columns, existing.get(code))))
    for number, field, message in plan_definitions(plan, entries):
        problems.append(ImportProblem(sheet.name, number, _column(field), message))
    plan.problems = sorted(without_cell_text(problems, [sheet]))
    if plan.problems:
        plan.rows = []
    return plan
