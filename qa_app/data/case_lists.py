"""Case lists: storing a checked list on a cycle (the cases created or updated, put on the
cycle's list), what a case reference may be, and how many cases a cycle's list holds. The file
is read and checked row by row in qa_app.imports.case_lists."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import func, insert, select

from qa_app.data import changelog
from qa_app.data.organisation import case_reference_problem
from qa_app.extensions import db
from qa_app.models import AuditCycle, Case, ChangeLogEntry, CycleCase, OrgSettings, Team, User

MAX_REFERENCE = 60  # the case_reference column's length
LOOKUP_CHUNK = 1_000  # references or ids in one IN (...) list

T = TypeVar("T")


@dataclass
class CaseRow:
    row: int
    case_reference: str
    team: Team
    worker: str | None
    facts: dict[str, str] = field(default_factory=dict)  # only the fact columns the file has


@dataclass
class CaseList:
    filename: str
    columns: list[str]
    rows: list[CaseRow]
    problems: list[Any]  # qa_app.imports.tabular.ImportProblem: a list with any is never stored


@dataclass
class StoreResult:
    created: int
    updated: int
    added: int  # newly put on the cycle's list
    already_on_list: int


def reference_problem(reference: str, settings: OrgSettings | None = None) -> str | None:
    """Why `reference` (stripped) cannot be a case reference: too long for the database, or
    not the organisation's pattern; None when it can."""
    if len(reference) > MAX_REFERENCE:
        return f"use {MAX_REFERENCE} characters or fewer (found {len(reference):,})"
    return case_reference_problem(reference, settings)


def _chunks(items: list[T], size: int = LOOKUP_CHUNK) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def store_case_list(cycle: AuditCycle, case_list: CaseList, *, actor: User | None) -> StoreResult:
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
    log: list[tuple[str, object, str, dict[str, Any]]] = []  # (entity type, id, action, changes)
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
    out: dict[str, int] = {}
    for chunk in _chunks(references):
        query = select(Case.case_reference, Case.id).where(Case.case_reference.in_(chunk))
        out.update((reference, case_id) for reference, case_id in db.session.execute(query))
    return out


def _record_all(actor: User | None, entries: list[tuple[str, object, str, dict[str, Any]]]) -> None:
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


def _snapshot(case: Case, team_names: dict[int, str]) -> dict[str, Any]:
    return {
        "team": team_names.get(case.team_id) if case.team_id is not None else None,
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
