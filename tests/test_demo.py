"""The demo data a fresh install gets: the improvement plan reads against the audit history."""

from datetime import date

from qa_app import demo
from qa_app.data import improvement
from qa_app.demo_improvement import TITLE
from qa_app.findings.impact import impacts


def test_the_demo_plan_has_owned_actions_in_every_state_and_measurable_impact(loaded_templates):
    assert demo.seed(only_if_empty=True, history=True)
    today = date.today()
    plan = improvement.get_plan_by_title(TITLE)
    actions = improvement.list_actions(today=today, plan_id=plan.id)

    assert len(actions) == 6 and len(plan.priorities) == 3
    assert {a.status for a in actions} == {
        "on_track",
        "at_risk",
        "off_track",
        "complete",
        "not_started",
    }
    assert all(a.owner is not None for a in actions)
    assert [a.number for a in improvement.list_actions(today=today, view="overdue")] == [4]
    assert len(improvement.list_actions(today=today, view="mine", user=actions[0].owner)) >= 2
    measured = impacts(actions, today=today)
    voice = next(a for a in actions if "voice_of_child" in a.themes)
    assert all(t.enough for t in measured[voice.id].themes), measured[voice.id]
    assert measured[actions[-1].id].message  # not started: says why there is nothing yet


def test_the_demo_scorecard_has_fourteen_months_of_every_starter_indicator(loaded_templates):
    from sqlalchemy import func, select

    from qa_app.extensions import db
    from qa_app.models import Indicator, IndicatorValue

    assert demo.seed(only_if_empty=True, history=False)
    indicators = db.session.scalar(select(func.count(Indicator.id)))
    months = db.session.execute(
        select(IndicatorValue.indicator_id, func.count()).group_by(IndicatorValue.indicator_id)
    ).all()
    assert indicators == 15 and len(months) == 15 and {n for _, n in months} == {14}
