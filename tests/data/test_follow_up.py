"""Creating a follow-up cycle: the same children (those completed in the original), the same
templates, the period months later, a preview that stores nothing, and refusals with reasons."""

from datetime import date

import pytest
from sqlalchemy import func, select

from qa_app.data import follow_up
from qa_app.data.cycles import CycleError
from qa_app.data.templates import get_template
from qa_app.extensions import db
from qa_app.models import Audit, AuditCycle, AuditStatus, ChangeLogEntry, CycleCase, CycleKind
from tests.cycles.cycle_factory import make_team, put_on_list
from tests.data.follow_up_factory import audited, make_original


@pytest.fixture
def original(loaded_templates):
    north, south = make_team("North"), make_team("South")
    cycle = make_original()
    audited(cycle, "100001", north, "some")
    audited(cycle, "100002", south, "none")
    audited(cycle, "100003", north, None, done=False)  # never completed
    closed = audited(cycle, "100004", south, "worse")
    closed.case.facts = {"date_closed": "2026-05-02"}
    db.session.commit()
    return cycle


def test_add_months_clamps_to_the_months_last_day():
    assert follow_up.add_months(date(2026, 3, 31), 6) == date(2026, 9, 30)
    assert follow_up.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert follow_up.add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)


def test_the_period_is_as_long_as_the_original_months_after_it_ended():
    period = follow_up.follow_up_period
    assert period(date(2026, 1, 1), date(2026, 3, 31), 6) == (date(2026, 10, 1), date(2026, 12, 31))
    assert period(date(2026, 2, 1), date(2026, 2, 28), 1) == (date(2026, 4, 1), date(2026, 4, 30))
    assert period(date(2026, 1, 5), date(2026, 1, 18), 3) == (date(2026, 4, 19), date(2026, 5, 2))


def test_the_preview_names_who_is_followed_and_why_not_and_stores_nothing(original):
    before = db.session.scalar(select(func.count()).select_from(Audit))
    plan = follow_up.plan_follow_up(original, 6)
    assert plan.name == "CIN plans, Q1 2026: follow-up after 6 months"
    assert (plan.period_start, plan.period_end) == (date(2026, 10, 1), date(2026, 12, 31))
    assert plan.due_date == date(2027, 1, 14)  # as long after the end as the original's
    assert [t.key for t in plan.templates] == ["cin_plan"]
    assert [(c.case_reference, c.team) for c in plan.cases] == [
        ("100001", "North"),
        ("100002", "South"),
    ]
    assert [(n.case_reference, n.reason) for n in plan.not_followed] == [
        ("100003", "its audit in CIN plans, Q1 2026 was not completed"),
        ("100004", "the case closed on 2 May 2026"),
    ]
    assert db.session.scalar(select(func.count()).select_from(Audit)) == before


def test_creating_makes_not_started_unassigned_audits_for_the_same_children(original):
    cycle, plan = follow_up.create_follow_up(original, 6, actor=None, expected=2)
    stored = db.session.get(AuditCycle, cycle.id)
    assert stored.kind == CycleKind.FOLLOW_UP
    assert (stored.follows_cycle_id, stored.months_after) == (original.id, 6)
    assert [t.key for t in stored.templates] == ["cin_plan"]
    audits = db.session.scalars(select(Audit).where(Audit.cycle_id == cycle.id)).all()
    assert sorted(a.case.case_reference for a in audits) == ["100001", "100002"]
    assert {(a.status, a.auditor_id, a.due_date) for a in audits} == {
        (AuditStatus.NOT_STARTED, None, date(2027, 1, 14))
    }
    on_list = db.session.scalars(select(CycleCase).where(CycleCase.cycle_id == cycle.id)).all()
    assert len(on_list) == 2 and all(c.sample_id for c in on_list)  # drawn: never drawn again
    logged = db.session.scalar(
        select(ChangeLogEntry).where(ChangeLogEntry.action == "follow_up_created")
    )
    assert logged.changes["not_followed"][0][0] == "100003"
    assert follow_up.followed_cycle(stored).id == original.id
    assert [c.id for c in follow_up.follow_ups_of(original)] == [cycle.id]


def test_a_stale_preview_is_refused_and_nothing_is_stored(original):
    with pytest.raises(CycleError, match="changed since the preview"):
        follow_up.create_follow_up(original, 6, actor=None, expected=3)
    assert db.session.scalar(select(func.count()).select_from(AuditCycle)) == 1


@pytest.mark.parametrize("months", [0, 37, -1])
def test_months_out_of_range_are_refused(original, months):
    with pytest.raises(CycleError, match="from 1 to 36") as caught:
        follow_up.plan_follow_up(original, months)
    assert caught.value.field == "months"


def test_a_name_taken_is_refused_at_the_preview(original):
    follow_up.create_follow_up(original, 6, actor=None)
    with pytest.raises(CycleError, match="already a cycle") as caught:
        follow_up.plan_follow_up(original, 6)
    assert caught.value.field == "name"


def test_a_cycle_with_nothing_completed_cannot_be_followed_up(loaded_templates):
    cycle = make_original("Nothing done")
    audited(cycle, "100009", make_team("East"), None, done=False)
    with pytest.raises(CycleError, match="None of the children"):
        follow_up.plan_follow_up(cycle, 6)


def test_a_case_on_no_case_list_since_the_original_is_not_followed(original):
    later = make_original("CIN plans, Q3 2026")
    later.period_start, later.period_end = date(2026, 7, 1), date(2026, 9, 30)
    db.session.commit()
    north = make_team("West")
    put_on_list(later, {north: ["100001", "200001"]})
    plan = follow_up.plan_follow_up(original, 6)
    assert [c.case_reference for c in plan.cases] == ["100001"]
    assert ("100002", "it is not on any case list since CIN plans, Q1 2026") in [
        (n.case_reference, n.reason) for n in plan.not_followed
    ]


def test_a_later_list_for_other_work_says_nothing_about_the_case(original):
    other = make_original("Single assessments, Q3 2026")
    other.period_start, other.period_end = date(2026, 7, 1), date(2026, 9, 30)
    other.templates = [get_template("single_assessment")]
    db.session.commit()
    put_on_list(other, {make_team("West"): ["200001"]})
    plan = follow_up.plan_follow_up(original, 6)
    assert [c.case_reference for c in plan.cases] == ["100001", "100002"]
