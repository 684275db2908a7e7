"""Who may open the practice week pages (planning, schedule, recording). The sample activity
is another account's, so only a QA lead may open its record page.

OWNER: the activity's manager (one of the week's managers) records it (PRODUCT.md: during a
practice week senior managers observe meetings, shadow practitioners and audit records), as
long as they take part in practice weeks at all; an owner who is no longer a senior manager
gets nothing more than their role does."""

from qa_app.models import Role
from tests.support.route_walk import QA_LEAD

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

OWNER = {"practice_weeks.record": TAKE_PART}


def sample_values(values) -> dict:
    """A week planned by another QA lead, with an observation scheduled for the owner of the
    sample objects (values["_other_user"]), one of the week's managers with another senior
    manager."""
    from qa_app.data import practice_week_activities as week_activities
    from qa_app.data import practice_weeks as weeks
    from qa_app.data.users import create_user

    password = "correct-horse-battery"
    lead = create_user("week.lead", "Week Lead", password, [Role.QA_LEAD])
    colleague = create_user("week.manager", "Senior Manager W", password, [Role.SENIOR_MANAGER])
    manager = values["_other_user"]
    week = weeks.get_week(values["week_id"]) if "week_id" in values else None
    if week is None:
        from datetime import date

        week = weeks.save_week(
            name="Route walk practice week",
            starts_on=date(2026, 10, 5),
            ends_on=date(2026, 10, 9),
            purpose="",
            managers=[colleague, manager],
            new_areas=["The front door"],
            actor=lead,
        )
    else:
        week = weeks.save_week(
            name=week.name,
            starts_on=week.starts_on,
            ends_on=week.ends_on,
            purpose=week.purpose,
            managers=[*week.managers, colleague, manager],
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
