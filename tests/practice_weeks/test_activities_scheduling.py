"""Scheduling a week's activities: the day must be in the week and the manager one of the
week's; cancelling keeps the reason in the change log; a manager sees their own schedule."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from qa_app.data import practice_week_activities as week_activities
from qa_app.data import practice_weeks as weeks
from qa_app.data.practice_weeks import WeekError
from qa_app.extensions import db
from qa_app.models import ChangeLogEntry, Role
from qa_app.models.practice_weeks import Activity
from qa_app.rules.uk_time import uk_today
from tests.helpers import csrf_token
from tests.practice_weeks.week_factory import (
    WEEK_END,
    WEEK_START,
    make_manager,
    make_week,
    schedule,
)


@pytest.fixture
def planned(loaded_templates, client_as, make_user):
    lead = client_as(Role.QA_LEAD)
    manager = make_manager(make_user)
    week = make_week(managers=[manager], actor=lead.user)
    return lead, manager, week


def _form(week, manager, **extra):
    data = {
        "kind": "observe_meeting",
        "meeting_type": "strategy_meeting",
        "day": WEEK_START.isoformat(),
        "time": "9.30",
        "manager_id": str(manager.id),
        "team_id": "",
        "focus_area_id": str(week.focus_areas[0].id),
        "details": "Strategy meeting, Riverside office",
    }
    data.update(extra)
    return data


def test_scheduling_an_activity_through_the_page(planned):
    lead, manager, week = planned
    url = f"/practice-weeks/{week.id}/activities/new"
    data = _form(week, manager, csrf_token=csrf_token(lead, url))
    response = lead.post(url, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    activity = db.session.scalars(select(Activity)).one()
    assert (activity.kind, activity.meeting_type) == ("observe_meeting", "strategy_meeting")
    assert (activity.scheduled_on, activity.scheduled_time) == (WEEK_START, "09:30")
    assert activity.manager_id == manager.id and activity.status == "planned"
    log = db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.entity_type == "practice_week_activity")
    ).one()
    assert (log.action, log.user_id) == ("scheduled", lead.user.id)


def test_the_day_must_be_in_the_week(planned):
    lead, manager, week = planned
    with pytest.raises(weeks.WeekError) as raised:
        schedule(week, manager, day=WEEK_END + timedelta(days=1))
    assert raised.value.field == "day"
    url = f"/practice-weeks/{week.id}/activities/new"
    day_after = (WEEK_END + timedelta(days=1)).isoformat()
    response = lead.post(
        url, data=_form(week, manager, day=day_after, csrf_token=csrf_token(lead, url))
    )
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert db.session.scalars(select(Activity)).all() == []


def test_the_manager_must_be_one_of_the_weeks(planned, make_user):
    lead, manager, week = planned
    outsider = make_manager(make_user, 2)
    with pytest.raises(weeks.WeekError) as raised:
        schedule(week, outsider)
    assert raised.value.field == "manager_id"
    url = f"/practice-weeks/{week.id}/activities/new"
    data = _form(week, manager, manager_id=str(outsider.id), csrf_token=csrf_token(lead, url))
    assert lead.post(url, data=data).status_code == 200
    assert db.session.scalars(select(Activity)).all() == []


def test_observing_a_meeting_needs_the_kind_of_meeting(planned):
    _, manager, week = planned
    with pytest.raises(weeks.WeekError) as raised:
        schedule(week, manager, "observe_meeting", meeting_type=None)
    assert raised.value.field == "meeting_type"
    shadow = schedule(week, manager, "shadow", meeting_type="icpc")
    assert shadow.meeting_type is None  # only observations have a meeting type


def test_changing_a_planned_activity(planned):
    lead, manager, week = planned
    activity = schedule(week, manager)
    url = f"/practice-weeks/activities/{activity.id}/edit"
    html = lead.get(url).get_data(as_text=True)
    version = html.split('name="lock_version"')[1].split('value="')[1].split('"')[0]
    tuesday = (WEEK_START + timedelta(days=1)).isoformat()
    data = _form(week, manager, day=tuesday, csrf_token=csrf_token(lead, url), lock_version=version)
    assert lead.post(url, data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Activity, activity.id).scheduled_on == WEEK_START + timedelta(days=1)


def test_cancelling_keeps_the_reason_in_the_change_log(planned):
    lead, manager, week = planned
    activity = schedule(week, manager)
    url = f"/practice-weeks/activities/{activity.id}/cancel"
    html = lead.get(url).get_data(as_text=True)
    version = html.split('name="lock_version"')[1].split('value="')[1].split('"')[0]
    data = {
        "csrf_token": csrf_token(lead, url),
        "lock_version": version,
        "reason": "The meeting was rearranged",
    }
    assert lead.post(url, data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Activity, activity.id).status == "cancelled"
    log = db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.action == "cancelled")
    ).one()
    assert log.changes["reason"] == "The meeting was rearranged"
    assert log.user_id == lead.user.id
    assert week_activities.activity_counts(week.id)["observe_meeting"]["cancelled"] == 1


def test_a_manager_sees_their_own_schedule_by_day(loaded_templates, client_as, make_user):
    me = client_as(Role.SENIOR_MANAGER)
    other = make_manager(make_user, 2)
    today = uk_today()
    week = make_week(managers=[me.user, other], starts_on=today, ends_on=today + timedelta(days=4))
    schedule(week, me.user, "shadow", details="Duty, Riverside office")
    schedule(week, other, "shadow", details="Someone else's visit")
    html = me.get("/practice-weeks/mine").get_data(as_text=True)
    assert "Duty, Riverside office" in html
    assert "Someone else&#39;s visit" not in html and "Someone else's visit" not in html
    assert "<table" not in html


def _move(activity, day, today):
    return week_activities.save_activity(
        activity.week,
        kind=activity.kind,
        meeting_type=activity.meeting_type,
        day=day,
        time=activity.scheduled_time,
        manager=activity.manager,
        team=activity.team,
        focus_area_id=activity.focus_area_id,
        details=activity.details,
        actor=None,
        activity=activity,
        based_on=activity.lock_version,
        today=today,
    )


@pytest.mark.parametrize(
    "recorded",
    [{"answers": {"q": "yes"}}, {"summary": "Seen"}, {"theme_marks": {"voice": "strength"}}],
)
def test_an_activity_with_a_draft_cannot_move_to_a_day_after_today(planned, recorded):
    """A draft leaves the activity planned: moved to a later day, its findings would have been
    recorded before it happened."""
    _, manager, week = planned
    activity = schedule(week, manager)  # Monday
    wednesday = WEEK_START + timedelta(days=2)
    for name, value in recorded.items():
        setattr(activity, name, value)
    db.session.commit()
    with pytest.raises(WeekError, match="cannot move to a day after today") as refused:
        _move(activity, WEEK_START + timedelta(days=3), today=wednesday)
    assert refused.value.field == "day"
    db.session.rollback()
    assert db.session.get(Activity, activity.id).scheduled_on == WEEK_START
    # to today, or an earlier day, it may move: it has happened by then
    assert _move(activity, wednesday, today=wednesday).scheduled_on == wednesday
    assert _move(activity, WEEK_START, today=wednesday).scheduled_on == WEEK_START


def test_an_activity_with_nothing_recorded_moves_to_any_day_of_the_week(planned):
    _, manager, week = planned
    activity = schedule(week, manager)
    later = _move(activity, WEEK_END, today=WEEK_START)
    assert later.scheduled_on == WEEK_END


def test_the_page_refuses_moving_a_drafted_activity_after_today_and_says_why(
    loaded_templates, client_as, make_user
):
    lead = client_as(Role.QA_LEAD)
    manager = make_manager(make_user)
    today = uk_today()
    week = make_week(
        managers=[manager],
        actor=lead.user,
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=3),
    )
    activity = schedule(week, manager, day=today - timedelta(days=1))
    activity.answers = {"q": "yes"}  # a draft: still planned
    db.session.commit()
    url = f"/practice-weeks/activities/{activity.id}/edit"
    html = lead.get(url).get_data(as_text=True)
    version = html.split('name="lock_version"')[1].split('value="')[1].split('"')[0]
    later = (today + timedelta(days=2)).isoformat()
    data = _form(week, manager, day=later, csrf_token=csrf_token(lead, url), lock_version=version)
    response = lead.post(url, data=data)
    assert response.status_code == 200
    assert "cannot move to a day after today" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Activity, activity.id).scheduled_on == today - timedelta(days=1)
    data.update(day=today.isoformat())
    assert lead.post(url, data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Activity, activity.id).scheduled_on == today
