"""Planning a practice week: the week and its audit cycle, its focus areas and managers, the
week page, and refusing stale or impossible saves."""

import re

from sqlalchemy import select

from qa_app.data import practice_week_activities as week_activities
from qa_app.data import practice_weeks as weeks
from qa_app.extensions import db
from qa_app.models import ChangeLogEntry, CycleKind, Role
from qa_app.models.practice_weeks import PracticeWeek
from qa_app.rules.uk_time import uk_today
from tests.helpers import csrf_token
from tests.practice_weeks.week_factory import (
    WEEK_END,
    WEEK_START,
    make_manager,
    make_week,
    schedule,
)


def _week_form(name="Practice week, October 2026", start=WEEK_START, end=WEEK_END, **extra):
    data = {
        "name": name,
        "starts_on": [str(start.day), str(start.month), str(start.year)],
        "ends_on": [str(end.day), str(end.month), str(end.year)],
        "purpose": "Front door practice.",
        "new_focus_areas": "The front door: MASH and initial response\nChildren in need plans\n",
    }
    data.update(extra)
    return data


def _version(html: str) -> str:
    return re.search(r'name="lock_version"[^>]*value="(\d+)"', html).group(1)


def test_planning_a_week_creates_its_audit_cycle(loaded_templates, client_as, make_user):
    lead = client_as(Role.QA_LEAD)
    manager = make_manager(make_user)
    data = _week_form(
        managers=[str(manager.id)], csrf_token=csrf_token(lead, "/practice-weeks/new")
    )
    response = lead.post("/practice-weeks/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    week = db.session.scalars(select(PracticeWeek)).one()
    assert [a.title for a in week.focus_areas] == [
        "The front door: MASH and initial response",
        "Children in need plans",
    ]
    assert [m.id for m in week.managers] == [manager.id]
    cycle = week.cycle
    assert cycle.name == "Practice week, October 2026"  # the name says it once
    assert cycle.kind == CycleKind.PRACTICE_WEEK
    assert (cycle.period_start, cycle.period_end) == (WEEK_START, WEEK_END)
    assert {t.kind for t in cycle.templates} == {"case_audit"}
    assert "single_assessment" in {t.key for t in cycle.templates}
    log = db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.entity_type == "practice_week")
    ).one()
    assert (log.action, log.user_id) == ("created", lead.user.id)


def test_a_week_must_end_after_it_starts_and_last_at_most_a_fortnight(loaded_templates, client_as):
    lead = client_as(Role.QA_LEAD)
    token = csrf_token(lead, "/practice-weeks/new")
    backwards = _week_form(start=WEEK_END, end=WEEK_START, csrf_token=token)
    response = lead.post("/practice-weeks/new", data=backwards)
    assert "The last day must be on or after the first day" in response.get_data(as_text=True)
    long = _week_form(end=WEEK_START.replace(day=WEEK_START.day + 14), csrf_token=token)
    response = lead.post("/practice-weeks/new", data=long)
    assert "at most 14 days" in response.get_data(as_text=True)
    assert db.session.scalars(select(PracticeWeek)).all() == []


def test_only_senior_managers_can_take_part(loaded_templates, make_user):
    auditor = make_user(Role.AUDITOR)
    try:
        make_week(managers=[auditor])
    except weeks.WeekError as error:
        assert error.field == "managers"
    else:
        raise AssertionError("an auditor was accepted as a week's senior manager")


def test_editing_keeps_focus_area_ids_and_moves_the_cycle(loaded_templates, client_as, make_user):
    lead = client_as(Role.QA_LEAD)
    manager = make_manager(make_user)
    week = make_week(managers=[manager], actor=lead.user)
    front, cin = week.focus_areas
    schedule(week, manager, focus_area_id=front.id)
    url = f"/practice-weeks/{week.id}/edit"
    html = lead.get(url).get_data(as_text=True)
    data = _week_form(
        name="Practice week, autumn 2026",
        end=WEEK_END.replace(day=WEEK_END.day + 1),
        new_focus_areas="Domestic abuse and safety planning",
        managers=[str(manager.id)],
        csrf_token=csrf_token(lead, url),
        lock_version=_version(html),
        **{f"area__{front.id}": "The front door (MASH)", f"area__{cin.id}": ""},
    )
    response = lead.post(url, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    week = db.session.get(PracticeWeek, week.id)
    assert [(a.id, a.title) for a in week.focus_areas][0] == (front.id, "The front door (MASH)")
    assert [a.title for a in week.focus_areas][1:] == ["Domestic abuse and safety planning"]
    assert week.cycle.name == "Practice week, autumn 2026"
    assert week.cycle.period_end == week.ends_on == WEEK_END.replace(day=WEEK_END.day + 1)


def test_a_week_and_its_cycle_are_stored_in_one_commit(loaded_templates, make_user):
    """Creating a week, and moving it, store the week, its cycle and both change-log entries
    together: no moment where a week exists without its cycle or its record."""
    from sqlalchemy import event

    manager = make_manager(make_user)
    commits = []

    def count(session):
        commits.append(session)

    event.listen(db.session, "after_commit", count)
    try:
        week = weeks.save_week(
            name="One commit week",
            starts_on=WEEK_START,
            ends_on=WEEK_END,
            purpose="",
            managers=[manager],
            new_areas=["The front door"],
            actor=manager,
        )
        assert len(commits) == 1
        weeks.save_week(
            name="One commit week, moved",
            starts_on=WEEK_START,
            ends_on=WEEK_END,
            purpose="",
            managers=[manager],
            new_areas=[],
            areas={area.id: area.title for area in week.focus_areas},
            actor=manager,
            week=week,
            based_on=week.lock_version,
        )
        assert len(commits) == 2
    finally:
        event.remove(db.session, "after_commit", count)
    assert week.cycle.name.endswith("One commit week, moved")
    entries = db.session.scalars(
        select(ChangeLogEntry.entity_type).where(
            ChangeLogEntry.action.in_(["created", "updated"]),
            ChangeLogEntry.entity_type.in_(["cycle", "practice_week"]),
        )
    ).all()
    assert sorted(entries) == ["cycle", "cycle", "practice_week", "practice_week"]


def test_an_area_in_use_cannot_be_removed(loaded_templates, make_user):
    manager = make_manager(make_user)
    week = make_week(managers=[manager])
    front = week.focus_areas[0]
    schedule(week, manager, focus_area_id=front.id)
    try:
        weeks.save_week(
            name=week.name,
            starts_on=week.starts_on,
            ends_on=week.ends_on,
            purpose="",
            managers=[manager],
            new_areas=[],
            areas={front.id: ""},
            actor=None,
            week=week,
            based_on=week.lock_version,
        )
    except weeks.WeekError as error:
        assert error.field == f"area__{front.id}"
    else:
        raise AssertionError("an area with activities was removed")


def test_a_stale_week_save_is_refused_and_keeps_what_was_typed(
    loaded_templates, client_as, make_user
):
    lead = client_as(Role.QA_LEAD)
    week = make_week(actor=lead.user)
    url = f"/practice-weeks/{week.id}/edit"
    html = lead.get(url).get_data(as_text=True)
    old_version = _version(html)
    weeks.save_week(
        name=week.name,
        starts_on=week.starts_on,
        ends_on=week.ends_on,
        purpose="Changed by someone else",
        managers=[],
        new_areas=[],
        actor=None,
        week=week,
        based_on=week.lock_version,
    )
    data = _week_form(
        purpose="My carefully typed purpose",
        csrf_token=csrf_token(lead, url),
        lock_version=old_version,
    )
    response = lead.post(url, data=data)
    assert response.status_code == 409
    assert "My carefully typed purpose" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(PracticeWeek, week.id).purpose == "Changed by someone else"


def test_the_week_page_shows_the_schedule_by_day_counts_and_links(
    loaded_templates, client_as, make_user
):
    lead = client_as(Role.QA_LEAD)
    manager = make_manager(make_user)
    week = make_week(managers=[manager])
    schedule(week, manager, "observe_meeting", meeting_type="icpc", time="14:00")
    schedule(week, manager, "shadow", day=WEEK_START.replace(day=WEEK_START.day + 1))
    html = lead.get(f"/practice-weeks/{week.id}").get_data(as_text=True)
    assert "Monday 5 October" in html and "Tuesday 6 October" in html
    assert "Initial child protection conference" in html and "14:00" in html
    assert "Shadow a practitioner" in html
    assert f"/cycles/{week.cycle.id}" in html
    assert f"/practice-weeks/{week.id}/findings" in html
    counts = week_activities.activity_counts(week.id)
    assert counts["observe_meeting"]["planned"] == 1 and counts["shadow"]["planned"] == 1
    assert counts["conversation"].total() == 0


def test_the_index_lists_weeks_newest_first_and_a_managers_next_activities(
    loaded_templates, client_as
):
    from datetime import timedelta

    manager_client = client_as(Role.SENIOR_MANAGER)
    manager = manager_client.user
    today = uk_today()
    make_week(
        name="Older week",
        starts_on=today - timedelta(days=60),
        ends_on=today - timedelta(days=56),
        areas=[],
    )
    week = make_week(
        name="Next week", managers=[manager], starts_on=today, ends_on=today + timedelta(days=4)
    )
    schedule(week, manager, "conversation", day=today + timedelta(days=1))
    html = manager_client.get("/practice-weeks/").get_data(as_text=True)
    assert html.index("Your schedule") < html.index("Next week") < html.index("Older week")
    assert "Conversation with a family or staff" in html
