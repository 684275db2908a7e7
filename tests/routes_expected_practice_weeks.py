"""Who may open the practice week pages (planning, schedule, recording). The sample activity
belongs to another senior manager, so only a QA lead may open its record page; a senior
manager records their own (tests/practice_weeks/test_activities_recording.py)."""

from qa_app.models import Role
from tests.route_walk import QA_LEAD

TAKE_PART = frozenset({Role.QA_LEAD, Role.SENIOR_MANAGER})

EXPECTED = {
    "practice_weeks.index": TAKE_PART,
    "practice_weeks.edit_week": QA_LEAD,
    "practice_weeks.week": TAKE_PART,
    "practice_weeks.new_activity": QA_LEAD,
    "practice_weeks.edit_activity": QA_LEAD,
    "practice_weeks.cancel_activity": QA_LEAD,
    "practice_weeks.my_schedule": TAKE_PART,
    "practice_weeks.record": QA_LEAD,
}


def sample_values(values) -> dict:
    """A week planned by another QA lead, with an observation scheduled for another senior
    manager."""
    from qa_app.data import practice_week_activities as week_activities
    from qa_app.data import practice_weeks as weeks
    from qa_app.data.users import create_user

    password = "correct-horse-battery"
    lead = create_user("week.lead", "Week Lead", password, [Role.QA_LEAD])
    manager = create_user("week.manager", "Senior Manager W", password, [Role.SENIOR_MANAGER])
    week = weeks.get_week(values["week_id"]) if "week_id" in values else None
    if week is None:
        from datetime import date

        week = weeks.save_week(
            name="Route walk practice week",
            starts_on=date(2026, 10, 5),
            ends_on=date(2026, 10, 9),
            purpose="",
            managers=[manager],
            new_areas=["The front door"],
            actor=lead,
        )
    elif manager not in week.managers:
        week = weeks.save_week(
            name=week.name,
            starts_on=week.starts_on,
            ends_on=week.ends_on,
            purpose=week.purpose,
            managers=[*week.managers, manager],
            new_areas=[],
            actor=lead,
            week=week,
            based_on=week.lock_version,
        )
    activity = week_activities.save_activity(
        week,
        kind="observe_meeting",
        meeting_type="icpc",
        day=week.starts_on,
        time="10:00",
        manager=manager,
        team=None,
        focus_area_id=None,
        details="",
        actor=lead,
    )
    return {"week_id": week.id, "activity_id": activity.id}
