"""The demo data a fresh install gets: the improvement plan reads against the audit history."""

from sqlalchemy import select

from qa_app.data.audit_submission import stored_values
from qa_app.data.improvement_queries import get_plan_by_title, list_actions
from qa_app.demo import seed as demo
from qa_app.demo.improvement import TITLE
from qa_app.extensions import db
from qa_app.findings.impact import impacts
from qa_app.models import Audit, AuditStatus
from qa_app.rules.uk_time import uk_today
from qa_app.templates_engine.answer_checks import check_failures, section_checks


def test_the_demo_plan_has_owned_actions_in_every_state_and_measurable_impact(loaded_templates):
    assert demo.seed(only_if_empty=True, history=True)
    today = uk_today()
    plan = get_plan_by_title(TITLE)
    actions = list_actions(today=today, plan_id=plan.id)

    # six actions of its own, and a practice week's quick win made an action
    assert len(actions) == 7 and len(plan.priorities) == 3
    assert actions[-1].source_kind == "practice_week" and actions[-1].source_week_id
    assert {a.status for a in actions} == {
        "on_track",
        "at_risk",
        "off_track",
        "complete",
        "not_started",
    }
    assert all(a.owner is not None for a in actions)
    assert [a.number for a in list_actions(today=today, view="overdue")] == [4]
    assert len(list_actions(today=today, view="mine", user=actions[0].owner)) >= 2
    measured = impacts(actions, today=today)
    voice = next(a for a in actions if "voice_of_child" in a.themes)
    assert all(t.enough for t in measured[voice.id].themes), measured[voice.id]
    assert measured[actions[5].id].message  # not started: says why there is nothing yet


def test_the_demo_scorecard_has_two_years_of_every_starter_indicator_and_breakdowns(
    loaded_templates,
):
    from sqlalchemy import func, select

    from qa_app.data.indicator_breakdowns import breakdowns_between
    from qa_app.data.indicator_scorecard import add_months
    from qa_app.data.indicator_values import latest_month, values_between
    from qa_app.data.indicators import by_code
    from qa_app.extensions import db
    from qa_app.indicators.starter import starter_definitions
    from qa_app.models import Indicator, IndicatorValue

    assert demo.seed(only_if_empty=True, history=False)
    indicators = db.session.scalar(select(func.count(Indicator.id)))
    months = db.session.execute(
        select(IndicatorValue.indicator_id, func.count()).group_by(IndicatorValue.indicator_id)
    ).all()
    starter = len(starter_definitions())
    assert indicators == starter and len(months) == starter
    assert {n for _, n in months} == {demo.DEMO_MONTHS} and demo.DEMO_MONTHS >= 24

    codes = by_code()
    last = latest_month()
    ids = [codes[c].id for c in ("CIN02", "CSL01", "WF01", "WF02", "WF03")]
    parts = breakdowns_between(ids, last, last)
    visits = parts[codes["CIN02"].id]
    assert list(visits["locality"]) == ["North", "South", "Mid and East", "City"]
    assert list(visits["service"]) == ["Disabled Children Service", "Social Workers in Schools"]
    assert len(parts[codes["CSL01"].id]["service"]) == 5
    roles = parts[codes["WF01"].id]["role"]
    assert len(roles) == 5 and "Team Manager" in roles
    # the recruitment table adds up: the whole council's establishment is its roles' sum, and
    # each role's shortfall is its vacancies over its establishment
    whole = values_between([codes["WF01"].id], add_months(last, -1), last)[codes["WF01"].id]
    assert whole[last] == round(sum(r[last] for r in roles.values()), 2)
    vacancies = parts[codes["WF02"].id]["role"]["Team Manager"][last]
    shortfall = parts[codes["WF03"].id]["role"]["Team Manager"][last]
    assert shortfall == round(100 * vacancies / roles["Team Manager"][last], 1)
    assert all(codes[c].definition and codes[c].area for c in codes)


def test_the_demo_has_a_published_practice_week_and_one_planned(loaded_templates):
    from qa_app.data import practice_week_activities as week_activities
    from qa_app.data import practice_week_findings as findings
    from qa_app.data import practice_weeks as weeks

    assert demo.seed(only_if_empty=True, history=False)
    held, planned = sorted(weeks.list_weeks(), key=lambda w: w.starts_on)
    assert findings.is_published(held) and not findings.is_published(planned)
    figures = held.figures
    assert figures["activities_done"] == 8 and figures["audits_completed"] == 2
    assert all(area.headlines for area in held.focus_areas)
    assert [q.action_id is not None for q in held.quick_wins] == [True, False]
    assert sum(len(day) for day in week_activities.schedule(planned).values()) == 4


def test_the_demo_leaves_notifications_so_the_pages_are_not_empty(loaded_templates):
    """Seeding goes through the data layer, so its events write their notifications: every
    demo account but the administrator has some (the administrator watches their delivery)."""
    from sqlalchemy import func, select

    from qa_app.extensions import db
    from qa_app.models import Notification, User

    assert demo.seed(only_if_empty=True, history=False)
    counts = dict(
        db.session.execute(
            select(User.username, func.count(Notification.id))
            .join(Notification, Notification.user_id == User.id)
            .group_by(User.username)
        ).all()
    )
    for username in ("qa.lead", "moderator", "auditor", "senior.manager", "board.viewer"):
        assert counts.get(username, 0) > 0, (username, counts)
    kinds = set(db.session.scalars(select(Notification.kind)))
    assert {"concern_raised", "audit_assigned", "report_published"} <= kinds


def test_the_demo_publishes_last_months_scrutiny_pack_to_the_partnership(loaded_templates):
    from sqlalchemy import select

    from qa_app.extensions import db
    from qa_app.models import Report, ReportKind

    assert demo.seed(only_if_empty=True, history=False)
    (pack,) = db.session.scalars(select(Report).where(Report.kind == ReportKind.SCRUTINY))
    assert (pack.status, pack.audience) == ("published", "partnership")
    areas = {a["key"]: a for a in pack.figures["areas"]}
    assert {"referrals", "children_in_need", "recruitment"} <= set(areas)
    (table,) = areas["recruitment"]["tables"]
    assert table["dimension"] == "role" and len(table["rows"]) == 5
    assert pack.figures["practice_week"] and pack.figures["demand"]["rows"]


def test_no_demo_audit_contradicts_its_templates_checks(loaded_templates):
    """Not "5 core groups held of 4 due", nor an assessment completed before it started: every
    check between answers holds on every audit the demo makes, finished or not (a check that
    waits for a missing answer only counts on a finished audit)."""
    assert demo.seed(only_if_empty=True, history=True)
    today = uk_today()
    audits = list(db.session.scalars(select(Audit)))
    assert len(audits) > 100
    checked = 0
    for audit in audits:
        content = audit.template_version.content
        values = stored_values(audit)
        finished = audit.status in (AuditStatus.SUBMITTED, AuditStatus.MODERATED)
        failures = check_failures(content, values, today=today, on_save=not finished)
        assert failures == [], (audit.case.case_reference, failures)
        checked += bool(section_checks(content)) and bool(values)
    assert checked > 50
