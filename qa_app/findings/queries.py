"""The set-based SQL behind the findings: every query groups in the database and returns a
small DataFrame of counts. No query returns one row per answer or per audit.

Each query joins its table to the audits in scope (`scope`), a subquery carrying only the
columns the groupings need."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import (
    ColumnElement,
    Executable,
    Label,
    SQLColumnExpression,
    Text,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql import Select

from qa_app.extensions import db
from qa_app.findings.filters import Filters
from qa_app.models import (
    OVERALL,
    Answer,
    Audit,
    AuditStatus,
    AuditTemplate,
    Case,
    CaseAction,
    Concern,
    Locality,
    Moderation,
    ModerationGrade,
    SectionGrade,
    Team,
    TemplateVersion,
    ThemeMark,
)

COMPLETED = (AuditStatus.SUBMITTED.value, AuditStatus.MODERATED.value)
# Question types whose answers are counted (text and dates are read, not counted).
COUNTED_TYPES = {"yes_partly_no", "single_choice", "multiple_choice", "number", "grade"}


def _frame(stmt: Executable) -> pd.DataFrame:
    result = db.session.execute(stmt)
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def month_of(column: SQLColumnExpression[Any]) -> ColumnElement[str]:
    """'YYYY-MM' of a timestamp column, in the database's own dialect."""
    if db.session.get_bind().dialect.name == "sqlite":
        return func.strftime("%Y-%m", column)
    return func.to_char(column, "YYYY-MM")


def _start(d: date) -> datetime:
    return datetime.combine(d, time.min, tzinfo=UTC)


def _in_period(column: SQLColumnExpression[datetime | None], f: Filters) -> ColumnElement[bool]:
    """column within the period (two plain comparisons, so an index on the column serves)."""
    bounds = []
    if f.date_from:
        bounds.append(column >= _start(f.date_from))
    if f.date_to:
        bounds.append(column < _start(f.date_to + timedelta(days=1)))
    return and_(*bounds)


def scope(f: Filters, *, completed: bool = True, team: bool = False) -> Select[*tuple[Any, ...]]:
    """The audits a set of filters covers, as a subquery-ready SELECT of the columns the
    groupings use (with team=True, the case's team too). Completed audits are dated by when
    they were submitted; with completed=False, audits not yet submitted are dated by when they
    were created."""
    when = Audit.submitted_at if completed else func.coalesce(Audit.submitted_at, Audit.created_at)
    columns = [
        Audit.id.label("audit_id"),
        Audit.template_version_id,
        Audit.auditor_id,
        Audit.overall_grade,
        Audit.status,
        when.label("dated"),
    ]
    by_case = team or f.team_id or f.locality_id
    if team:
        columns.append(Case.team_id)
    stmt = select(*columns)
    if by_case:
        stmt = stmt.join(Case, Case.id == Audit.case_id)
    conditions: list[ColumnElement[bool]] = []
    if completed:
        conditions.append(Audit.status.in_(COMPLETED))
    if f.date_from or f.date_to:
        conditions.append(_in_period(Audit.submitted_at, f))
        if not completed:  # or not yet submitted and created in the period
            conditions[-1] = or_(
                conditions[-1],
                and_(Audit.submitted_at.is_(None), _in_period(Audit.created_at, f)),
            )
    if f.cycle_id:
        conditions.append(Audit.cycle_id == f.cycle_id)
    if f.template:
        versions = (
            select(TemplateVersion.id)
            .join(AuditTemplate, AuditTemplate.id == TemplateVersion.template_id)
            .where(AuditTemplate.key == f.template)
        )
        conditions.append(Audit.template_version_id.in_(versions))
    if f.team_id:
        conditions.append(Case.team_id == f.team_id)
    if f.locality_id:
        conditions.append(
            Case.team_id.in_(select(Team.id).where(Team.locality_id == f.locality_id))
        )
    if f.auditor_id:
        conditions.append(Audit.auditor_id == f.auditor_id)
    return stmt.where(*conditions) if conditions else stmt


def audit_groups(f: Filters) -> pd.DataFrame:
    """Audits of every status by template version, status, overall grade, team and month."""
    s = scope(f, completed=False, team=True).subquery()
    month = month_of(s.c.dated).label("month")
    cols = [s.c.template_version_id, s.c.status, s.c.overall_grade, s.c.team_id, month]
    return _frame(select(*cols, func.count().label("n")).group_by(*cols[:-1], month))


def section_groups(f: Filters) -> pd.DataFrame:
    s = scope(f).subquery()
    cols = [s.c.template_version_id, SectionGrade.section_key, SectionGrade.grade]
    stmt = select(*cols, func.count().label("n")).join(s, s.c.audit_id == SectionGrade.audit_id)
    return _frame(stmt.group_by(*cols))


def theme_groups(f: Filters, *, by_team: bool = True) -> pd.DataFrame:
    """Theme marks by version, mark and (unless by_team=False, which is cheaper) team."""
    s = scope(f, team=by_team).subquery()
    cols = [s.c.template_version_id, ThemeMark.theme_key, ThemeMark.mark]
    if by_team:
        cols.insert(1, s.c.team_id)
    stmt = select(*cols, func.count().label("n")).join(s, s.c.audit_id == ThemeMark.audit_id)
    return _frame(stmt.group_by(*cols))


def day_of(column: SQLColumnExpression[Any]) -> ColumnElement[str]:
    """'YYYY-MM-DD' of a timestamp column, in the database's own dialect."""
    if db.session.get_bind().dialect.name == "sqlite":
        return func.strftime("%Y-%m-%d", column)
    return func.to_char(column, "YYYY-MM-DD")


def theme_days(theme_keys: list[str], f: Filters) -> pd.DataFrame:
    """Theme marks of completed audits by day completed, theme and mark: the few rows from
    which any window's counts are summed (the impact of improvement actions)."""
    s = scope(f).subquery()
    day = day_of(s.c.dated).label("day")
    cols = [day, ThemeMark.theme_key, ThemeMark.mark]
    stmt = (
        select(*cols, func.count().label("n"))
        .join(s, s.c.audit_id == ThemeMark.audit_id)
        .where(ThemeMark.theme_key.in_(sorted(theme_keys)))
        .group_by(day, ThemeMark.theme_key, ThemeMark.mark)
    )
    return _frame(stmt)


ANSWER_COLUMNS = [
    "template_version_id",
    "block_label",
    "question_key",
    "value_text",
    "value_number",
    "choices",
    "n",
]
# Which column holds the counted value, by question type.
# Which columns hold the counted value, by question type. Most answers are a key in
# value_text; numbers and multiple choices are few, so they share one narrow pass.
VALUE_COLUMNS = {
    "yes_partly_no": ("value_text",),
    "single_choice": ("value_text",),
    "grade": ("value_text",),
    "number": ("value_number", "choices"),
    "multiple_choice": ("value_number", "choices"),
}


def _value(column: str) -> Label[Any]:
    if column == "choices":
        return cast(Answer.value_choices, Text).label("choices")
    attribute: InstrumentedAttribute[Any] = getattr(Answer, column)
    return attribute.label(column)


def answer_groups(f: Filters, keys_by_type: dict[str, set[str]]) -> pd.DataFrame:
    """Counted answers (not free text or dates) by version, repeat block label and value, in
    two grouped queries (the cost of a GROUP BY over millions of answers grows with the
    width of its key, so the many keyed answers are grouped on one value column). Multiple
    choice answers come back as their JSON text, one group per distinct combination."""
    by_columns: dict[tuple[str, ...], set[str]] = {}
    for kind, keys in keys_by_type.items():
        by_columns.setdefault(VALUE_COLUMNS[kind], set()).update(keys)
    frames = []
    for columns, keys in sorted(by_columns.items()):
        if not keys:
            continue
        s = scope(f).subquery()
        cols = [
            s.c.template_version_id,
            Answer.block_label,
            Answer.question_key,
            *[_value(c) for c in columns],
        ]
        stmt = (
            select(*cols, func.count().label("n"))
            .join(s, s.c.audit_id == Answer.audit_id)
            .where(Answer.question_key.in_(sorted(keys)))
            .group_by(*cols)
        )
        frames.append(_frame(stmt))
    frames = [frame for frame in frames if not frame.empty]
    if not frames:
        return pd.DataFrame(columns=ANSWER_COLUMNS)
    return pd.concat(frames, ignore_index=True).reindex(columns=ANSWER_COLUMNS)


def moderation_groups(f: Filters) -> pd.DataFrame:
    """Pairs of auditor and moderator grades from completed moderations."""
    s = scope(f).subquery()
    cols = [
        s.c.auditor_id,
        s.c.template_version_id,
        (ModerationGrade.section_key == OVERALL).label("is_overall"),
        ModerationGrade.auditor_grade,
        ModerationGrade.moderator_grade,
    ]
    stmt = (
        select(*cols, func.count().label("n"))
        .select_from(ModerationGrade)
        .join(Moderation, Moderation.id == ModerationGrade.moderation_id)
        .join(s, s.c.audit_id == Moderation.audit_id)
        .where(Moderation.status == "completed")
    )
    return _frame(stmt.group_by(*cols))


def moderation_status_groups(f: Filters) -> pd.DataFrame:
    """Audits in scope by auditor and moderation status ('none' when not selected)."""
    s = scope(f).subquery()
    status = func.coalesce(Moderation.status, literal("none")).label("moderation")
    stmt = (
        select(s.c.auditor_id, status, func.count().label("n"))
        .select_from(s)
        .outerjoin(Moderation, Moderation.audit_id == s.c.audit_id)
    )
    return _frame(stmt.group_by(s.c.auditor_id, status))


def action_groups(f: Filters, today: date) -> pd.DataFrame:
    """Actions for the case raised in the audits in scope: open, overdue or completed."""
    s = scope(f, completed=False).subquery()
    state = case(
        (CaseAction.status == "completed", literal("completed")),
        (and_(CaseAction.due_date.is_not(None), CaseAction.due_date < today), literal("overdue")),
        else_=literal("open"),
    ).label("state")
    stmt = select(state, func.count().label("n")).join(s, s.c.audit_id == CaseAction.audit_id)
    return _frame(stmt.group_by(state))


def concern_groups(f: Filters, now: datetime) -> pd.DataFrame:
    """Urgent concerns (escalations) raised in the audits in scope, by where they stand."""
    s = scope(f, completed=False).subquery()
    state = case(
        (Concern.signed_off_at.is_not(None), literal("signed_off")),
        (Concern.responded_at.is_not(None), literal("responded")),
        (Concern.respond_by < now, literal("overdue")),
        else_=literal("open"),
    ).label("state")
    stmt = select(state, func.count().label("n")).join(s, s.c.audit_id == Concern.audit_id)
    return _frame(stmt.group_by(state))


def versions_in_scope(f: Filters) -> list[TemplateVersion]:
    """The template versions the audits in scope were done with (content read once each)."""
    s = scope(f, completed=False).subquery()
    ids = select(s.c.template_version_id).distinct()
    return list(
        db.session.scalars(
            select(TemplateVersion).where(TemplateVersion.id.in_(ids)).order_by(TemplateVersion.id)
        )
    )


def latest_versions(template_ids: set[int]) -> dict[int, TemplateVersion]:
    """The newest version of each template, whose wording labels the figures: the highest
    number (a historic version made for an imported review is numbered below 1)."""
    if not template_ids:
        return {}
    newest = (
        select(TemplateVersion.template_id, func.max(TemplateVersion.number).label("number"))
        .where(TemplateVersion.template_id.in_(template_ids))
        .group_by(TemplateVersion.template_id)
        .subquery()
    )
    rows = db.session.scalars(
        select(TemplateVersion).join(
            newest,
            and_(
                TemplateVersion.template_id == newest.c.template_id,
                TemplateVersion.number == newest.c.number,
            ),
        )
    )
    return {v.template_id: v for v in rows}


def team_names() -> pd.DataFrame:
    stmt = select(
        Team.id.label("team_id"),
        Team.name.label("team"),
        Team.locality_id,
        func.coalesce(Locality.name, literal("No locality")).label("locality"),
    ).outerjoin(Locality, Locality.id == Team.locality_id)
    return _frame(stmt)


def action_list(f: Filters, today: date, limit: int = 500) -> list[dict[str, Any]]:
    """The actions for the case raised in the audits in scope, newest first: case-level
    (case references and free text), for internal reports only."""
    s = scope(f, completed=False).subquery()
    stmt = (
        select(
            Case.case_reference,
            AuditTemplate.name.label("template"),
            CaseAction.description,
            CaseAction.owner,
            CaseAction.due_date,
            CaseAction.status,
        )
        .join(s, s.c.audit_id == CaseAction.audit_id)
        .join(Audit, Audit.id == CaseAction.audit_id)
        .join(Case, Case.id == Audit.case_id)
        .join(TemplateVersion, TemplateVersion.id == Audit.template_version_id)
        .join(AuditTemplate, AuditTemplate.id == TemplateVersion.template_id)
        .order_by(CaseAction.created_at.desc(), CaseAction.id.desc())
        .limit(limit)
    )
    out = []
    for row in db.session.execute(stmt):
        overdue = row.status != "completed" and row.due_date is not None and row.due_date < today
        out.append(
            {
                "case_reference": row.case_reference,
                "template": row.template,
                "description": row.description,
                "owner": row.owner,
                "due_date": row.due_date.isoformat() if row.due_date else None,
                "status": "overdue" if overdue else row.status,
            }
        )
    return out
