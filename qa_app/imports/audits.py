"""Importing historic case audits from CSV or XLSX: check every cell (audit_check), then
store all or nothing (here)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import cast

from sqlalchemy import Table, insert, select

from qa_app.data import changelog
from qa_app.extensions import db
from qa_app.imports.audit_check import (
    CheckedImport,
    Progress,
    check_audit_file,
    chunks,
    existing_cases,
    no_progress,
)
from qa_app.imports.historic_scale import store_if_new
from qa_app.models import (
    Answer,
    Audit,
    AuditStatus,
    Case,
    CycleCase,
    SectionGrade,
    Team,
    ThemeMark,
)
from qa_app.templates_engine.answers import (
    BLOCK_MARKER,
    NOT_ASSESSED,
    Value,
    placed_questions,
    suggest_theme_marks,
)

__all__ = ["CheckedImport", "ImportResult", "check_audit_file", "store_audits"]


@dataclass
class ImportResult:
    audits: int
    new_cases: int
    existing_cases: int
    answers: int


def _noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def _answer_row(audit_id: int, key: str, value, group="", index=0, label="") -> dict:
    return {
        "audit_id": audit_id,
        "group_key": group,
        "block_index": index,
        "block_label": label,
        "question_key": key,
        "value_text": value.text,
        "value_number": value.number,
        "value_date": value.date,
        "value_choices": value.choices or None,
    }


def store_audits(
    checked: CheckedImport,
    *,
    actor=None,
    loaded_by: str | None = None,
    progress: Progress = no_progress,
) -> ImportResult:
    """Store a checked, problem-free import in one transaction; commits."""
    if checked.problems or checked.version is None:
        raise ValueError("an import with problems cannot be stored")
    source = {"loaded_by": loaded_by} if loaded_by and actor is None else {}
    try:
        store_if_new(
            checked.version,
            checked.template,
            checked.latest_number,
            actor,
            {"file": checked.filename, **source},
        )
        result = _write(checked, actor, source, progress)
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    return result


def _write(checked: CheckedImport, actor, source: dict, progress: Progress) -> ImportResult:
    version = checked.version
    assert version is not None  # store_audits refuses an import without one
    content = version.content
    placed = placed_questions(content)
    references = list(dict.fromkeys(a.case_reference for a in checked.rows))
    cases = existing_cases(references)
    existing = len(cases)
    teams: dict[int | None, str] = {t.id: t.name for t in db.session.scalars(select(Team))}
    latest_team: dict[str, int] = {}  # the case's team from its most recent audit naming one
    for row in sorted(checked.rows, key=lambda a: a.audit_date or date.min):  # all dated
        if row.team_id:
            latest_team[row.case_reference] = row.team_id
    new_cases = [
        Case(case_reference=r, team_id=latest_team.get(r), facts={})
        for r in references
        if r not in cases
    ]
    db.session.add_all(new_cases)
    for case in cases.values():
        if case.team_id is None and latest_team.get(case.case_reference):
            case.team_id = latest_team[case.case_reference]
            changelog.record(
                actor,
                "case",
                case.id,
                "updated",
                {"team": [None, teams[case.team_id]], "source": checked.filename, **source},
            )
    db.session.flush()
    for case in new_cases:
        cases[case.case_reference] = case
        changelog.record(
            actor,
            "case",
            case.id,
            "created",
            {
                "case": case.case_reference,
                "team": teams.get(case.team_id),
                "source": checked.filename,
                **source,
            },
        )
    audits = []
    for row in checked.rows:
        assert row.audit_date is not None  # a row without a date is a problem: not stored
        when = _noon(row.audit_date)
        audits.append(
            Audit(
                case_id=cases[row.case_reference].id,
                template_version_id=version.id,
                cycle_id=checked.cycle.id if checked.cycle else None,
                auditor_id=row.auditor_id,
                status=AuditStatus.SUBMITTED,
                created_at=when,  # when it was done: sampling counts audits from then
                started_at=when,
                submitted_at=when,
                overall_grade=row.overall_grade,
                overall_rationale=row.overall_rationale,
                evidence=row.evidence,
                practitioner_comments=row.practitioner_comments,
                lock_version=1,
            )
        )
    db.session.add_all(audits)
    db.session.flush()
    answers, grades, marks = [], [], []
    with progress(list(zip(checked.rows, audits, strict=True)), "Storing audits") as pairs:
        for row, audit in pairs:
            pairs_for_themes = []
            for key, value in row.answers.items():
                answers.append(_answer_row(audit.id, key, value))
                pairs_for_themes.append((placed[key].question, value))
            for group, blocks in row.blocks.items():
                for index, block in enumerate(blocks):
                    marker = Value(text=block.label)
                    answers.append(
                        _answer_row(audit.id, BLOCK_MARKER, marker, group, index, block.label)
                    )
                    for key, value in block.answers.items():
                        answers.append(_answer_row(audit.id, key, value, group, index, block.label))
                        pairs_for_themes.append((placed[key].question, value))
            for section_key in dict.fromkeys([*row.grades, *row.rationales]):
                grade = row.grades.get(section_key)
                rationale = row.rationales.get(section_key, "")
                if grade or rationale:
                    grades.append(
                        {
                            "audit_id": audit.id,
                            "section_key": section_key,
                            "grade": grade,
                            "rationale": rationale,
                        }
                    )
            suggested = suggest_theme_marks(content, pairs_for_themes)
            for key in content["themes"]:
                mark = row.themes.get(key) or suggested.get(key, NOT_ASSESSED)
                marks.append(
                    {
                        "audit_id": audit.id,
                        "theme_key": key,
                        "mark": mark,
                        "suggested": mark == suggested.get(key),
                    }
                )
            changelog.record(
                actor,
                "audit",
                audit.id,
                "imported",
                {"version": 1, "file": checked.filename, "row": row.row, **source},
            )
    for model, rows in ((Answer, answers), (SectionGrade, grades), (ThemeMark, marks)):
        if rows:
            # a Core INSERT with every column in every row: one executemany per table
            db.session.execute(insert(cast(Table, model.__table__)), rows)
    if checked.cycle:
        _put_on_case_list(checked, actor, source, [cases[r] for r in references], len(audits))
    return ImportResult(len(audits), len(new_cases), existing, len(answers))


def _put_on_case_list(checked: CheckedImport, actor, source: dict, cases: list, audits: int):
    """Put the imported audits' cases on the cycle's case list (those not on it yet)."""
    assert checked.cycle is not None  # called only for an import into a cycle
    cycle_id = checked.cycle.id
    listed: set[int] = set()
    for chunk in chunks([case.id for case in cases]):
        listed.update(
            db.session.scalars(
                select(CycleCase.case_id).where(
                    CycleCase.cycle_id == cycle_id, CycleCase.case_id.in_(chunk)
                )
            )
        )
    new = [case for case in cases if case.id not in listed]
    if new:
        rows = [{"cycle_id": cycle_id, "case_id": case.id} for case in new]
        db.session.execute(insert(CycleCase), rows)
    changes = {"file": checked.filename, "audits": audits}
    changes["cases_added"] = [case.case_reference for case in new]
    changelog.record(actor, "cycle", cycle_id, "audits_imported", {**changes, **source})
