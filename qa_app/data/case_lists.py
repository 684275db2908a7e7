"""Case lists (CSV or XLSX): checking every row, and storing a good list on a cycle."""

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, insert, select

from qa_app.data import changelog
from qa_app.data.organisation import case_reference_problem, get_settings
from qa_app.extensions import db
from qa_app.imports.tabular import (
    ImportProblem,
    Sheet,
    TooManyRows,
    UnreadableFile,
    header_problems,
    read_file,
)
from qa_app.models import Case, ChangeLogEntry, CycleCase, Team

REQUIRED = ["case_reference", "team"]
OPTIONAL = ["worker", "legal_status", "age_band", "date_opened"]
FACTS = ("legal_status", "age_band", "date_opened")
MAX_WORKER = 120
MAX_FACT = 60
MAX_REFERENCE = 60  # the case_reference column's length
MAX_CASE_LIST_ROWS = 20_000  # cases in one uploaded list
LOOKUP_CHUNK = 1_000  # references or ids in one IN (...) list


@dataclass
class CaseRow:
    row: int
    case_reference: str
    team: Team
    worker: str | None
    facts: dict = field(default_factory=dict)  # only the fact columns the file has


@dataclass
class CaseList:
    filename: str
    columns: list[str]
    rows: list[CaseRow]
    problems: list[ImportProblem]


@dataclass
class StoreResult:
    created: int
    updated: int
    added: int  # newly put on the cycle's list
    already_on_list: int


def parse_date(text: str) -> date | None:
    """YYYY-MM-DD or DD/MM/YYYY, a real date; otherwise None."""
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
            return date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        return None
    return None


def check_case_list(filename: str, data: bytes, *, today: date | None = None) -> CaseList:
    """Read and check a case list. Every problem names its row and column; a list with any
    problem must not be stored. Without its required columns the rows are not even read."""
    today = today or date.today()
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
                    value = parse_date(value).isoformat()
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
    return CaseList(filename, sheet.columns, rows, sorted(problems, key=_order))


def _complete(sheet: Sheet) -> bool:
    """Whether the sheet has every required column, so that its rows are worth reading."""
    return all(column in sheet.columns for column in REQUIRED)


def _order(problem: ImportProblem):
    return (problem.row, problem.column, problem.message)


def reference_problem(reference: str, settings=None) -> str | None:
    """Why `reference` (stripped) cannot be a case reference: too long for the database, or
    not the organisation's pattern; None when it can."""
    if len(reference) > MAX_REFERENCE:
        return f"use {MAX_REFERENCE} characters or fewer (found {len(reference):,})"
    return case_reference_problem(reference, settings)


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
        add("team", f"unknown team {team!r} (teams are set up under Administration)")
    elif not teams[team.lower()].active:
        add("team", f"the team {team!r} is no longer active")
    if len(cells.get("worker", "")) > MAX_WORKER:
        add("worker", f"use {MAX_WORKER} characters or fewer")
    for name in ("legal_status", "age_band"):
        if len(cells.get(name, "")) > MAX_FACT:
            add(name, f"use {MAX_FACT} characters or fewer")
    opened = cells.get("date_opened", "").strip()
    if opened:
        parsed = parse_date(opened)
        if parsed is None:
            add("date_opened", f"{opened!r} is not a date: use YYYY-MM-DD or DD/MM/YYYY")
        elif parsed > today:
            add("date_opened", f"{opened} is in the future")
    return out


def _chunks(items: list, size: int = LOOKUP_CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def store_case_list(cycle, case_list: CaseList, *, actor) -> StoreResult:
    """Create or update the cases of a checked, problem-free list and put them on the cycle's
    case list, in one transaction with a change-log row for every case; commits. Lookups go
    LOOKUP_CHUNK references at a time; new cases, list entries and log rows are inserted in
    bulk (a handful of statements, not some per row)."""
    if case_list.problems:
        raise ValueError("a case list with problems cannot be stored")
    existing = _cases_by_reference([r.case_reference for r in case_list.rows])
    on_list: set[int] = set()
    for chunk in _chunks([c.id for c in existing.values()]):
        on_list.update(
            db.session.scalars(
                select(CycleCase.case_id).where(
                    CycleCase.cycle_id == cycle.id, CycleCase.case_id.in_(chunk)
                )
            )
        )
    team_names = dict(db.session.execute(select(Team.id, Team.name)).all())
    log: list[tuple[str, object, str, dict]] = []  # (entity type, id, action, changes)
    new_rows = [row for row in case_list.rows if row.case_reference not in existing]
    for row in case_list.rows:
        case = existing.get(row.case_reference)
        if case is None:
            continue
        before = _snapshot(case, team_names)
        facts = dict(case.facts or {})
        for name, value in row.facts.items():
            if value:
                facts[name] = value
            else:
                facts.pop(name, None)
        case.team_id = row.team.id
        if "worker" in case_list.columns:
            case.worker = row.worker
        case.facts = facts
        if changes := changelog.diff(before, _snapshot(case, team_names)):
            changes["source"] = case_list.filename
            log.append(("case", case.id, "updated", changes))
    updated = len(log)
    if new_rows:
        db.session.execute(
            insert(Case),
            [
                {
                    "case_reference": row.case_reference,
                    "team_id": row.team.id,
                    "worker": row.worker,
                    "facts": {k: v for k, v in row.facts.items() if v},
                }
                for row in new_rows
            ],
        )
    ids = {ref: case.id for ref, case in existing.items()}
    ids.update(_ids_by_reference([row.case_reference for row in new_rows]))
    for row in new_rows:
        changes = {
            "case": row.case_reference,
            "team": row.team.name,
            "worker": row.worker,
            "facts": {k: v for k, v in row.facts.items() if v},
            "source": case_list.filename,
        }
        log.append(("case", ids[row.case_reference], "created", changes))
    added_references = []
    for row in case_list.rows:
        if ids[row.case_reference] not in on_list:
            on_list.add(ids[row.case_reference])
            added_references.append(row.case_reference)
    if added_references:
        db.session.execute(
            insert(CycleCase),
            [{"cycle_id": cycle.id, "case_id": ids[ref]} for ref in added_references],
        )
    added = len(added_references)
    result = StoreResult(len(new_rows), updated, added, len(case_list.rows) - added)
    summary = {
        "file": case_list.filename,
        "rows": len(case_list.rows),
        **result.__dict__,
        "cases_added": added_references,
    }
    log.append(("cycle", cycle.id, "case_list_uploaded", summary))
    _record_all(actor, log)
    db.session.commit()
    return result


def _cases_by_reference(references: list[str]) -> dict[str, Case]:
    out = {}
    for chunk in _chunks(references):
        for case in db.session.scalars(select(Case).where(Case.case_reference.in_(chunk))):
            out[case.case_reference] = case
    return out


def _ids_by_reference(references: list[str]) -> dict[str, int]:
    out = {}
    for chunk in _chunks(references):
        query = select(Case.case_reference, Case.id).where(Case.case_reference.in_(chunk))
        out.update((reference, case_id) for reference, case_id in db.session.execute(query))
    return out


def _record_all(actor, entries: list[tuple[str, object, str, dict]]) -> None:
    """Change-log rows, as changelog.record writes them, in one bulk INSERT (in order)."""
    user_id = getattr(actor, "id", None)
    db.session.execute(
        insert(ChangeLogEntry),
        [
            {
                "user_id": user_id,
                "entity_type": entity_type,
                "entity_id": str(entity_id),
                "action": action,
                "changes": changes,
            }
            for entity_type, entity_id, action, changes in entries
        ],
    )


def _snapshot(case: Case, team_names: dict[int, str]) -> dict:
    return {
        "team": team_names.get(case.team_id),
        "worker": case.worker,
        "facts": dict(case.facts or {}),
    }


def case_list_counts(cycle_id: int) -> tuple[int, int]:
    """(cases on the cycle's list, of which drawn into a sample)."""
    total, drawn = db.session.execute(
        select(func.count(CycleCase.id), func.count(CycleCase.sample_id)).where(
            CycleCase.cycle_id == cycle_id
        )
    ).one()
    return total, drawn
