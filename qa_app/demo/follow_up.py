"""The demo follow-up: the synthetic monthly cycle of seven months ago followed up after six
months (so the follow-up is this month's), through qa_app.data.follow_up as a QA lead would,
with about two in three of its audits completed, so that "Difference made for the child" shows
real movement. Made-up case references only, as in the synthetic history.

Before it is made, this month's demo case list is given most of the original's children (as
the council's list of open cases would list them); two are left off and one is recorded as
closed, so the preview and the change log show children that could not be followed up. Each
completed re-audit starts from its first audit's answers, grades and theme marks, and its
answer to each impact question moves one step better, stays, or moves one step worse, at
random from a fixed seed."""

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from qa_app.data import changelog, follow_up
from qa_app.data.cycle_assignment import AssignmentError, assign
from qa_app.data.cycles import CycleError, get_cycle_by_name
from qa_app.data.users import find_by_username
from qa_app.extensions import db
from qa_app.models import (
    Answer,
    Audit,
    AuditCycle,
    AuditStatus,
    CycleCase,
    SectionGrade,
    ThemeMark,
)
from qa_app.rules.uk_time import uk_today
from qa_app.templates_engine.impact import impact_questions

SEED = 21
MONTHS = 6
MOVES = ((-1, 0.45), (0, 0.35), (1, 0.20))  # index step (best first), chance


def _month_before(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 - months
    return date(total // 12, total % 12 + 1, 1)


def seed_follow_up() -> AuditCycle | None:
    """Make the demo follow-up; None (nothing done) when the synthetic month is missing."""
    this_month = uk_today().replace(day=1)
    original = get_cycle_by_name(
        f"Monthly audit {_month_before(this_month, MONTHS + 1):%Y-%m} (synthetic)"
    )
    listed = db.session.scalar(
        select(AuditCycle).where(
            AuditCycle.period_start == this_month, AuditCycle.kind == "monthly"
        )
    )
    lead = find_by_username("qa.lead")
    if original is None or listed is None or lead is None:
        return None
    rng = random.Random(SEED)  # noqa: S311 (demo answers, not security)
    done = list(
        db.session.scalars(
            select(Audit)
            .where(Audit.cycle_id == original.id, Audit.status.in_(follow_up.COMPLETED))
            .order_by(Audit.id)
        )
    )
    if len(done) < 4:
        return None
    on_list = {
        c
        for c in db.session.scalars(
            select(CycleCase.case_id).where(CycleCase.cycle_id == listed.id)
        )
    }
    for audit in done[2:]:  # the first two have left this month's list
        if audit.case_id not in on_list:
            db.session.add(CycleCase(cycle_id=listed.id, case_id=audit.case_id))
            on_list.add(audit.case_id)
    closed = done[2].case
    closed.facts = {
        **(closed.facts or {}),
        "date_closed": (this_month - timedelta(days=20)).isoformat(),
    }
    db.session.commit()
    try:
        made, _ = follow_up.create_follow_up(original, MONTHS, actor=lead)
    except CycleError:
        db.session.rollback()
        return None
    first = {a.case_id: a for a in done}
    now = datetime.now(UTC)
    for n, audit in enumerate(
        db.session.scalars(select(Audit).where(Audit.cycle_id == made.id).order_by(Audit.id))
    ):
        before = first.get(audit.case_id)
        if before is None or before.auditor is None:
            continue
        try:
            assign(audit, before.auditor, override=False, actor=lead)
        except AssignmentError:
            continue
        if n % 3 != 2:  # about two in three completed
            _complete(audit, before, rng, now - timedelta(hours=2 + n))
    db.session.commit()
    return made


def _complete(audit: Audit, before: Audit, rng: random.Random, when: datetime) -> None:
    """Complete `audit` from `before`'s answers, grades and marks, its impact answers moved."""
    version = audit.template_version
    moving = {q.key: q for q in impact_questions(version.content, version.template.name)}
    for old in db.session.scalars(select(Answer).where(Answer.audit_id == before.id)):
        value = old.value_text
        question = moving.get(old.question_key) if not old.group_key else None
        if question is not None and value is not None:
            order = [key for key, _ in question.levels]
            if value in order:
                step = rng.choices([m for m, _ in MOVES], [w for _, w in MOVES])[0]
                value = order[min(max(order.index(value) + step, 0), len(order) - 1)]
        db.session.add(
            Answer(
                audit_id=audit.id,
                group_key=old.group_key,
                block_index=old.block_index,
                block_label=old.block_label,
                question_key=old.question_key,
                value_text=value,
                value_number=old.value_number,
                value_date=old.value_date,
                value_choices=old.value_choices,
            )
        )
    for grade in db.session.scalars(select(SectionGrade).where(SectionGrade.audit_id == before.id)):
        db.session.add(
            SectionGrade(
                audit_id=audit.id,
                section_key=grade.section_key,
                grade=grade.grade,
                rationale=grade.rationale,
            )
        )
    for mark in db.session.scalars(select(ThemeMark).where(ThemeMark.audit_id == before.id)):
        db.session.add(
            ThemeMark(
                audit_id=audit.id,
                theme_key=mark.theme_key,
                mark=mark.mark,
                suggested=mark.suggested,
            )
        )
    audit.overall_grade, audit.overall_rationale = before.overall_grade, before.overall_rationale
    audit.status = AuditStatus.SUBMITTED
    audit.started_at, audit.submitted_at = when - timedelta(hours=1), when
    changelog.record(
        audit.auditor, "audit", audit.id, "submitted", {"demo": "completed from the first audit"}
    )
