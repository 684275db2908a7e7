"""Case lists (CSV or XLSX): checking every row, and storing a good list on a cycle."""

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from qa_app.data import changelog
from qa_app.data.organisation import case_reference_problem, get_settings
from qa_app.extensions import db
from qa_app.imports.tabular import ImportProblem, UnreadableFile, header_problems, read_file
from qa_app.models import Case, CycleCase, Team

REQUIRED = ["case_reference", "team"]
OPTIONAL = ["worker", "legal_status", "age_band", "date_opened"]
FACTS = ("legal_status", "age_band", "date_opened")
MAX_WORKER = 120
MAX_FACT = 60


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
    problem must not be stored."""
    today = today or date.today()
    try:
        sheets = read_file(filename, data)
    except UnreadableFile as exc:
        return CaseList(filename, [], [], [ImportProblem("", 0, "", str(exc))])
    if not sheets:
        return CaseList(filename, [], [], [ImportProblem("", 0, "", "the file has no sheets")])
    sheet = sheets[0]  # the case list is the first sheet of a workbook
    problems = header_problems(sheet, REQUIRED, OPTIONAL)
    if not sheet.rows:
        problems.append(ImportProblem(sheet.name, 0, "", "the file has no cases in it"))
    settings = get_settings()
    teams = {t.name.strip().lower(): t for t in db.session.scalars(select(Team))}
    seen: dict[str, int] = {}
    rows = []
    complete = all(c in sheet.columns for c in REQUIRED)
    for number, cells in sheet.rows:
        row_problems = _row_problems(sheet.name, number, cells, settings, teams, seen, today)
        problems.extend(row_problems)
        if row_problems or not complete:
            continue
        reference = cells["case_reference"].strip()
        facts = {}
        for name in FACTS:
            if name in cells:
                value = cells[name].strip()
                if name == "date_opened" and value:
                    value = parse_date(value).isoformat()
                facts[name] = value
        rows.append(
            CaseRow(
                number,
                reference,
                teams[cells["team"].strip().lower()],
                (cells["worker"].strip() or None) if "worker" in cells else None,
                facts,
            )
        )
    return CaseList(filename, sheet.columns, rows, sorted(problems, key=_order))


def _order(problem: ImportProblem):
    return (problem.row, problem.column, problem.message)


def _row_problems(sheet, number, cells, settings, teams, seen, today) -> list[ImportProblem]:
    out = []

    def add(column: str, message: str) -> None:
        out.append(ImportProblem(sheet, number, column, message))

    if "case_reference" in cells:
        reference = cells["case_reference"].strip()
        if message := case_reference_problem(reference, settings):
            add("case_reference", message)
        elif reference in seen:
            add("case_reference", f"{reference} is on the list twice (also row {seen[reference]})")
        else:
            seen[reference] = number
    if "team" in cells:
        team = cells["team"].strip()
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


def store_case_list(cycle, case_list: CaseList, *, actor) -> StoreResult:
    """Create or update the cases of a checked, problem-free list and put them on the cycle's
    case list, in one transaction with a change-log row for every case; commits."""
    if case_list.problems:
        raise ValueError("a case list with problems cannot be stored")
    references = [r.case_reference for r in case_list.rows]
    existing = {
        c.case_reference: c
        for c in db.session.scalars(select(Case).where(Case.case_reference.in_(references)))
    }
    on_list = set(
        db.session.scalars(
            select(CycleCase.case_id).where(
                CycleCase.cycle_id == cycle.id,
                CycleCase.case_id.in_([c.id for c in existing.values()]),
            )
        )
    )
    created = updated = added = 0
    added_references = []
    for row in case_list.rows:
        case = existing.get(row.case_reference)
        if case is None:
            case = Case(
                case_reference=row.case_reference,
                team=row.team,
                worker=row.worker,
                facts={k: v for k, v in row.facts.items() if v},
            )
            db.session.add(case)
            db.session.flush()
            created += 1
            changelog.record(
                actor,
                "case",
                case.id,
                "created",
                {
                    "case": case.case_reference,
                    "team": row.team.name,
                    "worker": row.worker,
                    "facts": case.facts,
                    "source": case_list.filename,
                },
            )
        else:
            before = _snapshot(case)
            facts = dict(case.facts or {})
            for name, value in row.facts.items():
                if value:
                    facts[name] = value
                else:
                    facts.pop(name, None)
            case.team = row.team
            if "worker" in case_list.columns:
                case.worker = row.worker
            case.facts = facts
            if changes := changelog.diff(before, _snapshot(case)):
                updated += 1
                changes["source"] = case_list.filename
                changelog.record(actor, "case", case.id, "updated", changes)
        if case.id not in on_list:
            db.session.add(CycleCase(cycle_id=cycle.id, case_id=case.id))
            on_list.add(case.id)
            added += 1
            added_references.append(case.case_reference)
    result = StoreResult(created, updated, added, len(case_list.rows) - added)
    changelog.record(
        actor,
        "cycle",
        cycle.id,
        "case_list_uploaded",
        {
            "file": case_list.filename,
            "rows": len(case_list.rows),
            **result.__dict__,
            "cases_added": added_references,
        },
    )
    db.session.commit()
    return result


def _snapshot(case: Case) -> dict:
    return {
        "team": case.team.name if case.team else None,
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
