"""Demo practice weeks for a fresh install: one held five weeks ago, its activities recorded
(meetings observed, a practitioner shadowed, records audited with the worker, conversations on
a consent record), findings drafted from the data, two quick wins (one already an action in the
demo improvement plan) and published; and one planned for next week, so the senior manager's
schedule has something in it. Made-up content, case references only."""

import random
from datetime import date, timedelta

from qa_app.data import audit_submission as submission
from qa_app.data import practice_week_activities as week_activities
from qa_app.data import practice_week_records as week_records
from qa_app.data import practice_weeks as weeks
from qa_app.data import quick_wins
from qa_app.data.cycles import active_templates
from qa_app.data.improvement_queries import get_plan_by_title
from qa_app.data.organisation import list_teams
from qa_app.data.users import find_by_username
from qa_app.demo.audits import fill_audit
from qa_app.demo.improvement import TITLE as PLAN_TITLE
from qa_app.rules.uk_time import uk_today
from qa_app.services import practice_week_drafting as week_drafting

AREAS = ["The front door: MASH and initial response", "Children in need plans"]
SEED = 20261005
# Observations: (day of the week, kind, meeting type, area, answer to most questions, better)
OBSERVED = [
    (0, "observe_meeting", "strategy_meeting", 0, "yes", "Next steps and who sees the child."),
    (1, "observe_meeting", "icpc", 0, "partly", "Parents needed the report before the day."),
    (2, "observe_meeting", "cin_review", 1, "partly", "The plan's actions had no dates."),
    (3, "shadow", None, 1, "yes", "Time to reflect with the manager after the visit."),
]


def _answers(content: dict, answer: str, better: str, rng: random.Random) -> dict:
    raw = {}
    for section in content["template"]["sections"]:
        for q in section["questions"]:
            name = f"q__{q['key']}"
            if q["type"] == "yes_partly_no":
                raw[name] = answer if rng.random() < 0.7 else rng.choice(["yes", "partly", "no"])
            elif q["type"] == "single_choice":
                raw[name] = q["options"][0]["key"]
            elif q["type"] == "text":
                raw[name] = better if "better" in q["key"] else "Warm, clear and child-focused."
    return raw


def seed_weeks(today: date | None = None) -> None:
    """Create the demo weeks unless the held one exists (needs the templates loaded)."""
    today = today or uk_today()
    lead, manager = find_by_username("qa.lead"), find_by_username("senior.manager")
    monday = today - timedelta(days=today.weekday())
    held_start = monday - timedelta(weeks=5)
    name = f"Practice week, {held_start:%B %Y}"
    if weeks.list_weeks() or lead is None or manager is None or not active_templates():
        return  # already there, or no accounts or templates to hold a week with
    rng = random.Random(SEED)  # noqa: S311 (demo answers, not security)
    teams = {t.name: t for t in list_teams()}
    week = weeks.save_week(
        name=name,
        starts_on=held_start,
        ends_on=held_start + timedelta(days=4),
        purpose="Senior managers see practice at the front door and in child in need work.",
        managers=[manager],
        new_areas=AREAS,
        actor=lead,
    )
    area_ids = [a.id for a in week.focus_areas]
    for day, kind, meeting, area, answer, better in OBSERVED:
        activity = week_activities.save_activity(
            week,
            kind=kind,
            meeting_type=meeting,
            day=held_start + timedelta(days=day),
            time="10:00",
            manager=manager,
            team=teams.get("Initial Response North"),
            focus_area_id=area_ids[area],
            details="Area office",
            actor=lead,
        )
        version = week_records.template_version_for(activity)
        assert version is not None  # the demo templates are loaded first
        content = version.content
        week_records.record_observation(
            activity,
            _answers(content, answer, better, rng),
            {},
            "Recorded on the day.",
            finish=True,
            based_on=activity.lock_version,
            actor=manager,
        )
    for participant in ("parent_carer", "staff"):
        activity = week_activities.save_activity(
            week,
            kind="conversation",
            meeting_type=None,
            day=held_start + timedelta(days=4),
            time="14:00",
            manager=manager,
            team=None,
            focus_area_id=area_ids[1],
            details="By telephone",
            actor=lead,
        )
        week_records.record_conversation(
            activity,
            participant=participant,
            consent_given=True,
            consent_how="Asked at the start of the call; agreed verbally, noted here.",
            summary="Felt listened to; wanted fewer changes of worker.",
            finish=True,
            based_on=activity.lock_version,
            actor=manager,
        )
    templates = {t.key: t for t in week_records.week_templates(week)}
    for n, (team, key) in enumerate([("Safeguarding South", "cin_plan"), ("MASH", "cin_plan")]):
        activity = week_activities.save_activity(
            week,
            kind="audit_record",
            meeting_type=None,
            day=held_start + timedelta(days=2),
            time="13:00",
            manager=manager,
            team=teams.get(team),
            focus_area_id=area_ids[1],
            details="With the allocated worker",
            actor=lead,
        )
        audit = week_records.record_audit(
            activity,
            case_reference=f"3002000{n + 1}",
            team=teams.get(team),
            template=templates.get(key),
            based_on=activity.lock_version,
            actor=manager,
        )
        fill_audit(audit, manager, rng)
        submission.submit(audit, based_on=audit.lock_version, actor=manager)
    refreshed = weeks.get_week(week.id)
    assert refreshed is not None
    week = refreshed
    week_drafting.fill_drafts(week, based_on=week.lock_version, actor=lead)
    for text, days in (
        ("Send reports to parents two working days before every conference.", 30),
        ("Add dates and owners to every action in child in need plans.", 45),
    ):
        quick_wins.add_quick_win(
            week,
            description=text,
            owner=manager,
            due_date=today + timedelta(days=days),
            actor=lead,
        )
    plan = get_plan_by_title(PLAN_TITLE)
    if plan is not None:
        quick_wins.quick_win_to_action(week.quick_wins[0], plan, actor=lead, today=today)
    refreshed = weeks.get_week(week.id)
    assert refreshed is not None
    week = refreshed
    week_drafting.publish(week, based_on=week.lock_version, actor=lead)
    _plan_next_week(monday + timedelta(weeks=1), lead, manager, teams)


def _plan_next_week(start: date, lead, manager, teams) -> None:
    week = weeks.save_week(
        name=f"Practice week, {start:%B %Y}",
        starts_on=start,
        ends_on=start + timedelta(days=4),
        purpose="Looked-after children's reviews and the plans for care leavers.",
        managers=[manager],
        new_areas=["Children in care: reviews and plans"],
        actor=lead,
    )
    for day, kind, meeting, time in (
        (0, "observe_meeting", "lac_review", "09:30"),
        (1, "shadow", None, "10:00"),
        (2, "audit_record", None, "13:00"),
        (3, "conversation", None, "15:00"),
    ):
        week_activities.save_activity(
            week,
            kind=kind,
            meeting_type=meeting,
            day=start + timedelta(days=day),
            time=time,
            manager=manager,
            team=teams.get("Children in Care"),
            focus_area_id=week.focus_areas[0].id,
            details="Children in Care team office",
            actor=lead,
        )
