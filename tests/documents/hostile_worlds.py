"""Data for the hostile export tests: the data sets the other tests build (known findings, the
board's data set, a practice week, an improvement plan, a scorecard), then every free-text field
that reaches an export overwritten straight in the tables with `Hostile` text, as a row saved
before the input rule, or by a formula typed in good faith, would hold it."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from qa_app.data import improvement as plan_data
from qa_app.data.organisation import get_settings
from qa_app.extensions import db
from qa_app.findings import Filters
from qa_app.models import (
    ActionUpdate,
    Activity,
    Answer,
    CaseAction,
    ImprovementAction,
    ImprovementPlan,
    Indicator,
    IndicatorCommentary,
    ModerationGrade,
    PracticeWeek,
    QuickWin,
    Report,
    Role,
)
from qa_app.services import report_drafting
from tests.cycles.cycle_factory import make_cycle
from tests.documents import board_data
from tests.documents.test_board_outputs import draft as draft_board
from tests.documents.test_improvement_exports import audits_for_impact
from tests.findings import known_data
from tests.indicators.support import APRIL, CONTACT_VALUES, CONTACTS, REREFERRALS, define, store
from tests.practice_weeks.report_week import build_week

CYCLE = "Single assessments, Q1 2026"


def hostile_organisation(h) -> None:
    settings = get_settings()
    settings.council_name = h.text("council name")
    db.session.commit()


def hostile_report_text(h, report: Report, prefix: str) -> None:
    """The narrative a QA lead writes: title, every section, every key finding (JSON: these
    can hold a lone surrogate)."""
    report.title = h.text(f"{prefix} title")
    report.sections = [
        {**s, "text": h.text(f"{prefix} section {s['key']}", json=True)} for s in report.sections
    ]
    report.key_findings = {
        kind: [h.text(f"{prefix} finding {kind}", json=True)]
        for kind in ("strengths", "concerns", "development")
    }
    db.session.commit()


def cycle_world(h, make_user) -> dict:
    """known_data's seven audits with every text the cycle export and report read made hostile;
    the cycle report drafted from them (internal: it lists the actions raised, by case)."""
    auditor = make_user(Role.AUDITOR, username="auditor.one")
    moderator = make_user(Role.MODERATOR, username="moderator.one")
    lead = make_user(Role.QA_LEAD, username="lead.one")
    data = known_data.build(auditor, moderator)
    cycle = make_cycle(CYCLE)
    auditor.display_name = h.text("auditor name")
    for key, team in data["teams"].items():
        team.name = h.text(f"team {key}")
    audits = sorted(data["audits"], key=lambda a: a.id)
    for n, audit in enumerate(audits, start=1):
        audit.cycle_id = cycle.id
        audit.case.case_reference = h.text(f"case reference {n}", short=True)
    first = audits[0]
    first.case.worker = h.text("worker")
    first.evidence = h.text("evidence")
    first.overall_rationale = h.text("overall rationale")
    answer = db.session.scalar(
        select(Answer).where(Answer.audit_id == first.id, Answer.question_key == "delay_impact")
    )
    answer.value_text = h.text("answer")
    action = db.session.scalars(select(CaseAction).where(CaseAction.audit_id == first.id)).first()
    action.description = h.text("action description")
    action.owner = h.text("action owner")
    for grade in db.session.scalars(select(ModerationGrade)):
        grade.reason = h.text(f"moderation reason {grade.id}")
    db.session.commit()
    report = report_drafting.draft(cycle=cycle, filters=Filters(), audience="internal", actor=lead)
    hostile_report_text(h, report, "cycle report")
    return {"cycle": cycle, "audits": audits, "report": report, "lead": lead, "data": data}


def board_world(h, make_user) -> Report:
    """board_data with hostile indicator names (they reach the board's tables and, contacts
    marked as demand, a demand sentence) and improvement actions, drafted, then a hostile
    narrative."""
    lead = make_user(Role.QA_LEAD, username="senior.manager.a")
    indicators = board_data.build(lead)["indicators"]
    board_data.mark_demand(indicators)  # the contacts' name in a demand sentence too
    for indicator in db.session.scalars(select(Indicator).order_by(Indicator.id)):
        indicator.name = h.text(f"board indicator {indicator.code}")
    actions = db.session.scalars(select(ImprovementAction).order_by(ImprovementAction.id))
    for n, action in enumerate(actions, start=1):  # 3 was completed before the period
        action.description = h.text(f"board action {n}")
    db.session.commit()
    report = draft_board(lead)
    hostile_report_text(h, report, "board")
    return report


def week_world(h, make_user) -> PracticeWeek:
    """report_week's practice week with its name, purpose, focus areas, headlines, key
    findings, an observation's answers (JSON), a conversation and the quick wins hostile."""
    week = build_week(make_user)
    week.name = h.text("week name")
    week.purpose = h.text("week purpose")
    week.themes_summary = h.text("week key findings")
    for area in week.focus_areas:
        area.title = h.text(f"focus area {area.number}")
        area.headlines = h.text(f"headlines {area.number}")
    for activity in db.session.scalars(select(Activity).where(Activity.week_id == week.id)):
        if activity.answers:
            activity.answers = {
                key: h.text(f"observation {key}", json=True) for key in activity.answers
            }
        if activity.summary:
            activity.summary = h.text("conversation summary")
    for quick_win in db.session.scalars(select(QuickWin).where(QuickWin.week_id == week.id)):
        quick_win.description = h.text(f"quick win {quick_win.number}")
    db.session.commit()
    return week


def plan_world(h, make_user) -> ImprovementPlan:
    """An improvement plan whose every text is hostile: title, description, priority, the
    action's description, source note and expected outcome, a progress note, the owner's name."""
    lead = make_user(Role.QA_LEAD)
    owner = make_user(Role.SENIOR_MANAGER)
    audits_for_impact(make_user(Role.AUDITOR))
    today = datetime.now(UTC).date()
    plan = plan_data.save_plan(
        None,
        title="Plan",
        description="",
        starts_on=date(2026, 4, 1),
        ends_on=date(2027, 3, 31),
        actor=lead,
    )
    priority = plan_data.save_priority(plan, None, title="Priority", actor=lead)
    action = plan_data.create_action(
        plan,
        actor=lead,
        today=today,
        description="Action",
        priority=priority,
        owner=owner,
        due_date=today - timedelta(days=5),
        status="at_risk",
        started_on=today - timedelta(days=60),
        themes=["voice_of_child"],
        source_kind="inspection",
        source_note="Note",
        expected_outcome="Outcome",
    )
    plan_data.add_update(action, note="Note", actor=owner, today=today)
    plan.title = h.text("plan title")
    plan.description = h.text("plan description")
    priority.title = h.text("priority title")
    action.description = h.text("action description")
    action.source_note = h.text("action source note")
    action.expected_outcome = h.text("action expected outcome")
    owner.display_name = h.text("action owner")
    for update in db.session.scalars(select(ActionUpdate)):
        update.note = h.text("progress note")
    db.session.commit()
    return plan


def scorecard_world(h) -> list[Indicator]:
    """Two indicators with values, hostile codes, names, 'what good looks like', a comparator's
    year (JSON) and the month's commentary."""
    contacts, rereferrals = define(CONTACTS, REREFERRALS)
    store(contacts, CONTACT_VALUES)
    store(rereferrals, {m: 20 + i for i, m in enumerate(CONTACT_VALUES)})
    for indicator in (contacts, rereferrals):
        code = indicator.code
        indicator.code = h.text(f"indicator code {code}", short=True)
        indicator.name = h.text(f"indicator name {code}")
        indicator.good_looks_like = h.text(f"good looks like {code}")
        db.session.add(
            IndicatorCommentary(
                indicator_id=indicator.id, month=APRIL, text=h.text(f"commentary {code}")
            )
        )
    rereferrals.comparators = [
        {**c, "year": h.text(f"comparator year {c['group']}", json=True, short=True)}
        for c in rereferrals.comparators
    ]
    db.session.commit()
    return [contacts, rereferrals]
