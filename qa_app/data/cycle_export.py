"""A cycle's audits as the rows of an export (a sheet per table: audits, answers, repeat groups,
actions, theme marks), read with a fixed number of queries. The rows are written as XLSX or CSV
by the one spreadsheet writer, qa_app.documents.spreadsheet."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Row, Select, select
from sqlalchemy.orm import InstrumentedAttribute

from qa_app.data.audits import to_value
from qa_app.extensions import db
from qa_app.models import (
    Answer,
    Audit,
    AuditTemplate,
    Case,
    CaseAction,
    SectionGrade,
    Team,
    TemplateVersion,
    ThemeMark,
    User,
)
from qa_app.templates_engine.answers import (
    BLOCK_MARKER,
    Placed,
    display,
    placed_questions,
    scale_label,
)

M = TypeVar("M", SectionGrade, Answer, ThemeMark, CaseAction)

STATUS_LABELS = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "submitted": "Submitted",
    "moderated": "Moderated",
}
MARK_LABELS = {
    "strength": "Strength",
    "development": "Area for development",
    "not_seen": "Not seen",
    "not_assessed": "Not assessed",
}
AUDIT_COLUMNS = [
    "Audit ID",
    "Case reference",
    "Team",
    "Worker",
    "Template",
    "Version",
    "Auditor",
    "Status",
    "Due",
    "Submitted",
    "Overall grade",
    "Overall rationale",
    "Evidence",
]
ANSWER_COLUMNS = ["Audit ID", "Case reference", "Section", "Question key", "Question", "Answer"]
REPEAT_COLUMNS = [
    "Audit ID",
    "Case reference",
    "Group",
    "Block",
    "Block label",
    "Question key",
    "Question",
    "Answer",
]


def _audit_ids(cycle_id: int) -> Select[int]:
    return select(Audit.id).where(Audit.cycle_id == cycle_id)


def _audits(
    cycle_id: int,
) -> Sequence[Row[Audit, str, str | None, str | None, str | None]]:
    stmt = (
        select(Audit, Case.case_reference, Team.name, Case.worker, User.display_name)
        .join(Case, Case.id == Audit.case_id)
        .outerjoin(Team, Team.id == Case.team_id)
        .outerjoin(User, User.id == Audit.auditor_id)
        .where(Audit.cycle_id == cycle_id)
        .order_by(Case.case_reference, Audit.id)
    )
    return db.session.execute(stmt).all()


def _versions(cycle_id: int) -> dict[int, tuple[TemplateVersion, str]]:
    stmt = (
        select(TemplateVersion, AuditTemplate.name)
        .join(AuditTemplate, AuditTemplate.id == TemplateVersion.template_id)
        .where(
            TemplateVersion.id.in_(
                select(Audit.template_version_id).where(Audit.cycle_id == cycle_id)
            )
        )
    )
    return {v.id: (v, name) for v, name in db.session.execute(stmt)}


def _by_audit(
    model: type[M], cycle_id: int, *order: InstrumentedAttribute[Any]
) -> dict[int, list[M]]:
    out: dict[int, list[M]] = {}
    stmt = select(model).where(model.audit_id.in_(_audit_ids(cycle_id))).order_by(*order)
    for row in db.session.scalars(stmt):
        out.setdefault(row.audit_id, []).append(row)
    return out


def _section_columns(versions: dict[int, tuple[TemplateVersion, str]]) -> list[tuple[str, str]]:
    """(section key, heading) of every graded section, in template order, keys once."""
    columns: dict[str, str] = {}
    for version, _name in sorted(versions.values(), key=lambda v: (v[1], v[0].number)):
        for section in version.content["template"]["sections"]:
            if section["graded"]:
                columns.setdefault(section["key"], f"Grade: {section['title']}")
    return list(columns.items())


@dataclass
class _Shape:
    """What the export needs from one template version, worked out once per version."""

    placed: dict[str, Placed]  # question key -> Placed
    order: dict[str, int]  # question key -> its place in the template
    sections: dict[str, str]  # section key -> title


def _shape(version: TemplateVersion) -> _Shape:
    placed = placed_questions(version.content)
    sections = {s["key"]: s["title"] for s in version.content["template"]["sections"]}
    return _Shape(placed, {key: i for i, key in enumerate(placed)}, sections)


def build(cycle_id: int) -> dict[str, list[Sequence[object]]]:
    """Every sheet of the export as rows (the first row is the header)."""
    audits = _audits(cycle_id)
    versions = _versions(cycle_id)
    shapes = {version_id: _shape(version) for version_id, (version, _) in versions.items()}
    grades = _by_audit(SectionGrade, cycle_id, SectionGrade.id)
    answers = _by_audit(Answer, cycle_id, Answer.group_key, Answer.block_index, Answer.question_key)
    marks = _by_audit(ThemeMark, cycle_id, ThemeMark.theme_key)
    actions = _by_audit(CaseAction, cycle_id, CaseAction.id)
    sections = _section_columns(versions)

    sheets: dict[str, list[Sequence[object]]] = {
        "Audits": [AUDIT_COLUMNS + [heading for _, heading in sections]],
        "Answers": [ANSWER_COLUMNS],
        "Repeat groups": [REPEAT_COLUMNS],
        "Actions": [
            ["Audit ID", "Case reference", "Action", "Owner", "Due", "Status", "Completed"]
        ],
        "Theme marks": [["Audit ID", "Case reference", "Theme key", "Theme", "Mark"]],
    }
    for audit, reference, team, worker, auditor in audits:
        version, template_name = versions[audit.template_version_id]
        content = version.content
        scale = content["template"]["scale"]
        by_section = {g.section_key: g.grade for g in grades.get(audit.id, [])}
        sheets["Audits"].append(
            [
                audit.id,
                reference,
                team or "",
                worker or "",
                template_name,
                version.number,
                auditor or "",
                STATUS_LABELS.get(audit.status, audit.status),
                audit.due_date,
                audit.submitted_at,
                scale_label(content, scale, audit.overall_grade) if audit.overall_grade else "",
                audit.overall_rationale or "",
                audit.evidence or "",
            ]
            + [
                scale_label(content, scale, by_section[key]) if by_section.get(key) else ""
                for key, _ in sections
            ]
        )
        shape = shapes[audit.template_version_id]
        own = answers.get(audit.id, [])
        sheets["Answers"] += _answer_rows(audit.id, reference, content, shape, own)
        sheets["Repeat groups"] += _repeat_rows(audit.id, reference, content, shape, own)
        for action in actions.get(audit.id, []):
            sheets["Actions"].append(
                [
                    audit.id,
                    reference,
                    action.description,
                    action.owner,
                    action.due_date,
                    action.status,
                    action.completed_at,
                ]
            )
        for mark in marks.get(audit.id, []):
            theme = content["themes"].get(mark.theme_key, {})
            sheets["Theme marks"].append(
                [
                    audit.id,
                    reference,
                    mark.theme_key,
                    theme.get("name", mark.theme_key),
                    MARK_LABELS.get(mark.mark, mark.mark),
                ]
            )
    return sheets


def _answer_text(content: dict[str, Any], placed: Placed | None, answer: Answer) -> str:
    if placed is None:  # a question the version no longer has: the stored text as it is
        return answer.value_text or ""
    return display(content, placed.question, to_value(answer))


def _answer_rows(
    audit_id: int, reference: str, content: dict[str, Any], shape: _Shape, answers: list[Answer]
) -> list[list[object]]:
    """The audit's answers outside repeat groups, in the template's order."""
    top = [a for a in answers if not a.group_key]
    top.sort(key=lambda a: (shape.order.get(a.question_key, len(shape.order)), a.question_key))
    rows = []
    for answer in top:
        placed = shape.placed.get(answer.question_key)
        rows.append(
            [
                audit_id,
                reference,
                shape.sections.get(placed.section_key, placed.section_key) if placed else "",
                answer.question_key,
                placed.question["text"] if placed else "",
                _answer_text(content, placed, answer),
            ]
        )
    return rows


def _repeat_rows(
    audit_id: int, reference: str, content: dict[str, Any], shape: _Shape, answers: list[Answer]
) -> list[list[object]]:
    """The audit's answers inside repeat-group blocks (block markers left out)."""
    rows = []
    for answer in answers:
        if not answer.group_key or answer.question_key == BLOCK_MARKER:
            continue
        group = shape.placed.get(answer.group_key)
        labels = {o["key"]: o["label"] for o in group.question["options"]} if group else {}
        placed = shape.placed.get(answer.question_key)
        rows.append(
            [
                audit_id,
                reference,
                group.question["repeat_label"] if group else answer.group_key,
                answer.block_index + 1,
                labels.get(answer.block_label, answer.block_label),
                answer.question_key,
                placed.question["text"] if placed else "",
                _answer_text(content, placed, answer),
            ]
        )
    return rows
