"""Checking a case list (CSV or XLSX) before it is stored: every row read and checked, each
problem naming its row and column. A list with any problem is never stored; a good one is
stored by qa_app.data.case_lists.store_case_list."""

from datetime import date

from sqlalchemy import select

from qa_app.data.case_lists import CaseList, CaseRow, reference_problem
from qa_app.data.organisation import get_settings
from qa_app.extensions import db
from qa_app.imports.tabular import (
    ImportProblem,
    Sheet,
    TooManyRows,
    UnreadableFile,
    header_problems,
    parse_date,
    read_file,
    without_cell_text,
)
from qa_app.models import Team
from qa_app.rules.uk_time import uk_today

REQUIRED = ["case_reference", "team"]
OPTIONAL = ["worker", "legal_status", "age_band", "date_opened"]
FACTS = ("legal_status", "age_band", "date_opened")
MAX_WORKER = 120
MAX_FACT = 60
MAX_CASE_LIST_ROWS = 20_000  # cases in one uploaded list


def check_case_list(filename: str, data: bytes, *, today: date | None = None) -> CaseList:
    """Read and check a case list. Every problem names its row and column; a list with any
    problem must not be stored. Without its required columns the rows are not even read."""
    today = today or uk_today()
    try:
        sheets = read_file(
            filename, data, first_only=True, wanted=_complete, max_rows=MAX_CASE_LIST_ROWS
        )
    except TooManyRows:
        message = (
            f"the list has more than {MAX_CASE_LIST_ROWS:,} cases: upload at most "
            f"{MAX_CASE_LIST_ROWS:,} at a time (split the list into smaller files)"
        )
        return CaseList(filename, [], [], [ImportProblem("", 0, "", message)])
    except UnreadableFile as exc:
        return CaseList(filename, [], [], [ImportProblem("", 0, "", str(exc))])
    if not sheets:
        return CaseList(filename, [], [], [ImportProblem("", 0, "", "the file has no sheets")])
    sheet = sheets[0]  # the case list is the first sheet of a workbook
    problems = header_problems(sheet, REQUIRED, OPTIONAL)
    if sheet.rows_read and not sheet.rows:
        problems.append(ImportProblem(sheet.name, 0, "", "the file has no cases in it"))
    settings = get_settings()
    teams = {t.name.strip().lower(): t for t in db.session.scalars(select(Team))}
    columns = set(sheet.columns)
    seen: dict[str, int] = {}
    rows = []
    for number, cells in sheet.rows:
        row_problems = _row_problems(sheet.name, number, cells, settings, teams, seen, today)
        problems.extend(row_problems)
        if row_problems:
            continue
        facts = {}
        for name in FACTS:
            if name in columns:
                value = cells.get(name, "").strip()
                if name == "date_opened" and value:
                    opened = parse_date(value)
                    assert opened is not None  # a row with an unreadable date has a problem
                    value = opened.isoformat()
                facts[name] = value
        rows.append(
            CaseRow(
                number,
                cells["case_reference"].strip(),
                teams[cells["team"].strip().lower()],
                cells.get("worker", "").strip() or None,
                facts,
            )
        )
    problems = without_cell_text(problems, [sheet])
    return CaseList(filename, sheet.columns, rows, sorted(problems, key=_order))


def _complete(sheet: Sheet) -> bool:
    """Whether the sheet has every required column, so that its rows are worth reading."""
    return all(column in sheet.columns for column in REQUIRED)


def _order(problem: ImportProblem):
    return (problem.row, problem.column, problem.message)


def _row_problems(sheet, number, cells, settings, teams, seen, today) -> list[ImportProblem]:
    """The row's problems; a blank cell is absent from `cells` (every required column is on
    the sheet, or its rows would not have been read)."""
    out = []

    def add(column: str, message: str) -> None:
        out.append(ImportProblem(sheet, number, column, message))

    reference = cells.get("case_reference", "").strip()
    if message := reference_problem(reference, settings):
        add("case_reference", message)
    elif reference in seen:
        add("case_reference", f"{reference} is on the list twice (also row {seen[reference]})")
    else:
        seen[reference] = number
    team = cells.get("team", "").strip()
    if not team:
        add("team", "Enter the case's team")
    elif team.lower() not in teams:
        add("team", "no team has this name (teams are set up under Administration)")
    elif not teams[team.lower()].active:
        add("team", "this team is no longer active")
    if len(cells.get("worker", "")) > MAX_WORKER:
        add("worker", f"use {MAX_WORKER} characters or fewer")
    for name in ("legal_status", "age_band"):
        if len(cells.get(name, "")) > MAX_FACT:
            add(name, f"use {MAX_FACT} characters or fewer")
    opened = cells.get("date_opened", "").strip()
    if opened:
        parsed = parse_date(opened)
        if parsed is None:
            add("date_opened", "not a date: use YYYY-MM-DD or DD/MM/YYYY")
        elif parsed > today:
            add("date_opened", f"{opened} is in the future")
    return out
