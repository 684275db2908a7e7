"""Follow-up cycles: the same children audited again a set number of months after a cycle.

`plan_follow_up` works out, without writing, what a follow-up of a cycle would be: its period
(starting `months` after the original's period ended, as long as the original's), the children
audited and completed in the original with the template(s) they were audited with, and the
children that cannot be followed up with the reason for each (closed, no longer on any case
list, not completed the first time). `create_follow_up` stores the plan: the cycle (through
data.cycles.store_cycle), its case list, and a not-started audit per child and template
(through data.sampling, recorded as a sample of them all), in one transaction. Assigning
auditors is then the assign pages' work, with their never-own-team rule."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from qa_app.data import changelog
from qa_app.data.cycles import CycleError, _name_taken, get_cycle, store_cycle
from qa_app.data.sampling import NO_TEAM, FrameCase, _record_sample, per_team
from qa_app.extensions import db
from qa_app.models import (
    Audit,
    AuditCycle,
    AuditStatus,
    AuditTemplate,
    Case,
    CycleCase,
    CycleKind,
    TemplateVersion,
    User,
)
from qa_app.models.cycles import cycle_templates
from qa_app.rules.uk_time import uk_today

COMPLETED = (AuditStatus.SUBMITTED, AuditStatus.MODERATED)
MIN_MONTHS, MAX_MONTHS = 1, 36


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later (clamped to the month's last day)."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(f"no such month {year}-{month}")  # pragma: no cover


def follow_up_period(start: date, end: date, months: int) -> tuple[date, date]:
    """The follow-up's period: from `months` months after the day the original's ended, as
    long as the original's; whole calendar months stay whole months (January to March
    followed up after 6 months is October to December)."""
    after = end + timedelta(days=1)
    new_start = add_months(after, months)
    if start.day == 1 and after.day == 1:
        whole = (after.year - start.year) * 12 + after.month - start.month
        return new_start, add_months(new_start, whole) - timedelta(days=1)
    return new_start, new_start + (end - start)


@dataclass(frozen=True)
class FollowedCase:
    """A child to audit again: the case, its team now, and a template it was audited with."""

    case_id: int
    case_reference: str
    team: str
    template_id: int
    template_name: str


@dataclass(frozen=True)
class NotFollowed:
    """A child audited in the original cycle that cannot be followed up, and why."""

    case_reference: str
    reason: str


@dataclass
class FollowUpPlan:
    original: AuditCycle
    months: int
    name: str
    period_start: date
    period_end: date
    due_date: date | None
    templates: list[AuditTemplate] = field(default_factory=list)
    cases: list[FollowedCase] = field(default_factory=list)
    not_followed: list[NotFollowed] = field(default_factory=list)

    @property
    def children(self) -> int:
        return len({c.case_id for c in self.cases})


def default_name(original: AuditCycle, months: int) -> str:
    unit = "month" if months == 1 else "months"
    return f"{original.name}: follow-up after {months} {unit}"


def _later_lists(original: AuditCycle) -> set[int] | None:
    """The cases on any case list of a cycle with one of the original's templates whose period
    starts after the original's ended (follow-ups aside): the lists of the same kind of work
    since. None when there is no such list, so nothing can be said to have left them."""
    template_ids = [t.id for t in original.templates]
    later = (
        select(AuditCycle.id)
        .join(cycle_templates, cycle_templates.c.cycle_id == AuditCycle.id)
        .where(
            AuditCycle.period_start > original.period_end,
            AuditCycle.kind != CycleKind.FOLLOW_UP,
            cycle_templates.c.template_id.in_(template_ids),
        )
    )
    rows = db.session.execute(
        select(CycleCase.cycle_id, CycleCase.case_id).where(CycleCase.cycle_id.in_(later))
    ).all()
    if not rows:
        return None
    return {case_id for _, case_id in rows}


def _closed_reason(case: Case, start: date) -> str | None:
    closed = (case.facts or {}).get("date_closed")
    if not closed:
        return None
    try:
        day = date.fromisoformat(str(closed))
    except ValueError:
        return "the case list says the case is closed"
    if day > start:
        return None
    return f"the case closed on {day:%-d %B %Y}"


def plan_follow_up(
    original: AuditCycle, months: int, *, name: str | None = None, today: date | None = None
) -> FollowUpPlan:
    """What a follow-up of `original` after `months` months would hold (nothing written).
    Raises CycleError naming the field for a follow-up that cannot be made at all."""
    if not MIN_MONTHS <= months <= MAX_MONTHS:
        raise CycleError(f"Enter a number of months from {MIN_MONTHS} to {MAX_MONTHS}", "months")
    start, end = follow_up_period(original.period_start, original.period_end, months)
    due = None
    if original.due_date is not None:
        due = end + max(original.due_date - original.period_end, timedelta(0))
    plan = FollowUpPlan(
        original, months, (name or "").strip() or default_name(original, months), start, end, due
    )
    if _name_taken(plan.name, None):
        raise CycleError(f"There is already a cycle called {plan.name!r}", "name")
    audits = list(
        db.session.scalars(
            select(Audit)
            .where(Audit.cycle_id == original.id)
            .order_by(Audit.id)
            .options(
                selectinload(Audit.case).selectinload(Case.team),
                selectinload(Audit.template_version).selectinload(TemplateVersion.template),
            )
        )
    )
    if not audits:
        raise CycleError(f"{original.name} has no audits to follow up", "original")
    later = _later_lists(original)
    by_case: dict[int, list[Audit]] = defaultdict(list)
    for audit in audits:
        by_case[audit.case_id].append(audit)
    templates: dict[int, AuditTemplate] = {}
    for case_audits in sorted(by_case.values(), key=lambda a: a[0].case.case_reference):
        case = case_audits[0].case
        done = [a for a in case_audits if a.status in COMPLETED]
        reason = None
        if not done:
            reason = f"its audit in {original.name} was not completed"
        elif closed := _closed_reason(case, start):
            reason = closed
        elif later is not None and case.id not in later:
            reason = f"it is not on any case list since {original.name}"
        if reason:
            plan.not_followed.append(NotFollowed(case.case_reference, reason))
            continue
        seen: set[int] = set()
        for audit in done:
            template = audit.template_version.template
            if template.id in seen:
                continue
            seen.add(template.id)
            if not template.active:
                plan.not_followed.append(
                    NotFollowed(case.case_reference, f"the {template.name} template is retired")
                )
                continue
            templates[template.id] = template
            team = case.team.name if case.team else NO_TEAM
            plan.cases.append(
                FollowedCase(case.id, case.case_reference, team, template.id, template.name)
            )
    plan.templates = sorted(templates.values(), key=lambda t: t.name)
    if not plan.cases:
        raise CycleError(
            f"None of the children audited in {original.name} can be followed up", "original"
        )
    return plan


def create_follow_up(
    original: AuditCycle,
    months: int,
    *,
    actor: User | None,
    name: str | None = None,
    expected: int | None = None,
) -> tuple[AuditCycle, FollowUpPlan]:
    """Store the follow-up `plan_follow_up` shows; commits. `expected`: the number of audits
    the preview showed; if the plan no longer has that many, nothing is stored."""
    plan = plan_follow_up(original, months, name=name)
    if expected is not None and expected != len(plan.cases):
        raise CycleError(
            f"The cycle changed since the preview ({expected} audits shown, now "
            f"{len(plan.cases)}): check the new preview",
            "original",
        )
    saved = store_cycle(
        name=plan.name,
        kind=CycleKind.FOLLOW_UP,
        description=f"The children of {original.name} audited again {months} months later.",
        period_start=plan.period_start,
        period_end=plan.period_end,
        due_date=plan.due_date,
        templates=plan.templates,
        theme_focus=original.theme_focus,
        moderation_share=original.moderation_share,
        actor=actor,
        commit=False,
    )
    cycle = saved.cycle
    cycle.follows_cycle_id, cycle.months_after = original.id, months
    for case_id in sorted({c.case_id for c in plan.cases}):
        db.session.add(CycleCase(cycle_id=cycle.id, case_id=case_id))
    db.session.flush()
    by_template: dict[int, list[FrameCase]] = defaultdict(list)
    for c in plan.cases:
        by_template[c.template_id].append(FrameCase(c.case_id, c.case_reference, c.team))
    for template in plan.templates:
        version = template.versions[-1]
        _record_sample(
            cycle,
            seed=0,
            rules={  # read as "every case on the list" (the list is the children followed up)
                "all": True,
                "outcome": {
                    "on_list": per_team(by_template[template.id]),
                    "left_out": {},
                    "drawn": per_team(by_template[template.id]),
                },
                "follow_up": True,
                "follows": original.name,
                "months_after": months,
                "template_key": template.key,
                "template_name": template.name,
                "template_version": version.number,
                "today": uk_today().isoformat(),
            },
            chosen=by_template[template.id],
            template_version=version,
            actor=actor,
        )
    changelog.record(
        actor,
        "cycle",
        cycle.id,
        "follow_up_created",
        {
            "follows": original.id,
            "months_after": months,
            "audits": len(plan.cases),
            "not_followed": [[n.case_reference, n.reason] for n in plan.not_followed],
        },
    )
    db.session.commit()
    return cycle, plan


def followed_cycle(cycle: AuditCycle) -> AuditCycle | None:
    """The cycle a follow-up re-audits (None for any other cycle)."""
    if cycle.follows_cycle_id is None:
        return None
    return get_cycle(cycle.follows_cycle_id)


def follow_ups_of(cycle: AuditCycle) -> list[AuditCycle]:
    """The follow-up cycles of `cycle`, earliest first."""
    return list(
        db.session.scalars(
            select(AuditCycle)
            .where(AuditCycle.follows_cycle_id == cycle.id)
            .order_by(AuditCycle.period_start, AuditCycle.id)
        )
    )
