"""The audits behind a number: every figure on a dashboard links to the list of audits it was
counted from. A `Cell` names the figure (an overall grade, a section grade, a theme mark, an
answer, a month, a status...) and `audits_behind` returns the matching audits in scope.
Case-level: only roles that may see audit records reach this (the routes check)."""

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import ColumnElement, SQLColumnExpression, Text, cast, exists, func, select
from sqlalchemy.orm import selectinload

from qa_app.extensions import db
from qa_app.findings import queries
from qa_app.findings.catalogue import good_or_better
from qa_app.findings.filters import Filters
from qa_app.models import Answer, Audit, Case, Moderation, Scale, SectionGrade, ThemeMark

KEY = re.compile(r"^[a-z0-9_]{1,60}$")
MONTH = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")
CELL_ARGS = (
    "status",
    "grade",
    "section",
    "theme",
    "mark",
    "question",
    "value",
    "group",
    "block",
    "month",
    "moderation",
)
MODERATION_STATES = {"completed", "pending", "in_progress"}
GOOD_OR_BETTER = "good_or_better"  # as a grade: any level counted as good or better


@dataclass(frozen=True)
class Cell:
    status: str | None = None  # an audit status: lists audits of every status, not only completed
    grade: str | None = None  # the overall grade, or with `section` that section's grade
    section: str | None = None
    theme: str | None = None
    mark: str | None = None  # with theme: strength, development or not_seen
    question: str | None = None
    value: str | None = None  # with question: the answer's value or a chosen option
    group: str | None = None  # with question: inside this repeat group...
    block: str | None = None  # ...in blocks with this label (e.g. police)
    month: str | None = None  # YYYY-MM, by date completed
    moderation: str | None = None  # completed or pending

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> tuple["Cell", list[str]]:
        values, problems = {}, []
        for name in CELL_ARGS:
            raw = (args.get(name) or "").strip()
            if not raw:
                continue
            pattern = MONTH if name == "month" else KEY
            if not pattern.match(raw):
                problems.append(f"'{name}' is not a value this list can be filtered by")
            elif name == "moderation" and raw not in MODERATION_STATES:
                problems.append("'moderation' must be completed or pending")
            else:
                values[name] = raw
        return cls(**values), problems

    def to_args(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v is not None}


def good_or_better_levels() -> list[str]:
    """Every grade counted as good or better on some scale in use."""
    levels: set[str] = set()
    for definition in db.session.scalars(select(Scale.definition)):
        levels.update(good_or_better([lvl["key"] for lvl in definition["levels"]]))
    return sorted(levels)


def _grade_is(column: SQLColumnExpression[Any], grade: str) -> ColumnElement[bool]:
    if grade == GOOD_OR_BETTER:
        return column.in_(good_or_better_levels())
    return column == grade


def _conditions(cell: Cell) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    if cell.status:
        out.append(Audit.status == cell.status)
    if cell.grade and not cell.section:
        out.append(_grade_is(Audit.overall_grade, cell.grade))
    if cell.section:
        sub = exists().where(
            SectionGrade.audit_id == Audit.id, SectionGrade.section_key == cell.section
        )
        if cell.grade:
            sub = sub.where(_grade_is(SectionGrade.grade, cell.grade))
        out.append(sub)
    if cell.theme:
        sub = exists().where(ThemeMark.audit_id == Audit.id, ThemeMark.theme_key == cell.theme)
        if cell.mark:
            sub = sub.where(ThemeMark.mark == cell.mark)
        else:  # the audits counted for the theme: "not assessed" is never counted
            sub = sub.where(ThemeMark.mark != "not_assessed")
        out.append(sub)
    if cell.question:
        sub = exists().where(
            Answer.audit_id == Audit.id,
            Answer.question_key == cell.question,
            Answer.group_key == (cell.group or ""),
        )
        if cell.block:
            sub = sub.where(Answer.block_label == cell.block)
        if cell.value:
            # a chosen option of a multiple-choice answer, or the answer's value
            sub = sub.where(
                (Answer.value_text == cell.value)
                | cast(Answer.value_choices, Text).like(f'%"{cell.value}"%')
            )
        out.append(sub)
    if cell.month:
        out.append(queries.month_of(Audit.submitted_at) == cell.month)
    if cell.moderation:
        states = ["pending", "in_progress"] if cell.moderation == "pending" else [cell.moderation]
        out.append(exists().where(Moderation.audit_id == Audit.id, Moderation.status.in_(states)))
    return out


def audits_behind(
    f: Filters,
    cell: Cell,
    *,
    visible: ColumnElement[bool] | None = None,
    limit: int = 200,
    offset: int = 0,
) -> tuple[Sequence[Audit], int]:
    """(audits, total) for the figure `cell` within the filters. `visible` is a further WHERE
    clause limiting the audits to those the reader may see."""
    in_scope = queries.scope(f, completed=cell.status is None).subquery()
    conditions = [Audit.id.in_(select(in_scope.c.audit_id)), *_conditions(cell)]
    if visible is not None:
        conditions.append(visible)
    total = db.session.scalar(select(func.count()).select_from(Audit).where(*conditions))
    audits = db.session.scalars(
        select(Audit)
        .join(Case, Case.id == Audit.case_id)
        .where(*conditions)
        .options(
            selectinload(Audit.case).selectinload(Case.team),
            selectinload(Audit.auditor),
            selectinload(Audit.template_version),
        )
        .order_by(Audit.submitted_at.desc(), Audit.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return audits, total or 0
