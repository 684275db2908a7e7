"""Practice week activities: scheduling them (the day, time, manager, team and focus area),
cancelling them, and reading the schedule back (by week, by manager, counts by kind).

A change names the lock_version it was based on; a change against a newer version is refused
with Stale. Every write is in the change log ("practice_week_activity")."""

from collections import Counter, defaultdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from qa_app.data import changelog
from qa_app.data.practice_weeks import Stale, WeekError, claim_version, week_days
from qa_app.extensions import db
from qa_app.models import Role, Team, User
from qa_app.models.practice_weeks import (
    Activity,
    ActivityKind,
    ActivityStatus,
    MeetingType,
    PracticeWeek,
)
from qa_app.rules.uk_time import uk_day, uk_today
from qa_app.templates_engine.answers import clean_text

STATUS_LABELS = {
    ActivityStatus.PLANNED: "Planned",
    ActivityStatus.DONE: "Done",
    ActivityStatus.CANCELLED: "Cancelled",
}


# ---- reading ----------------------------------------------------------------------------


def get_activity(activity_id: int) -> Activity | None:
    return db.session.scalar(
        select(Activity)
        .where(Activity.id == activity_id)
        .options(
            selectinload(Activity.week),
            selectinload(Activity.manager),
            selectinload(Activity.team),
            selectinload(Activity.focus_area),
            selectinload(Activity.template_version),
        )
    )


_ACTIVITY_LOAD = (
    selectinload(Activity.manager),
    selectinload(Activity.team),
    selectinload(Activity.focus_area),
)


def _ordered(stmt: Select[Activity]) -> Select[Activity]:
    return stmt.order_by(
        Activity.scheduled_on,
        Activity.scheduled_time == "",
        Activity.scheduled_time,
        Activity.id,
    )


def schedule(week: PracticeWeek) -> dict[date, list[Activity]]:
    """The week's activities by day (every day of the week, in order, even empty ones)."""
    by_day: dict[date, list[Activity]] = {day: [] for day in week_days(week)}
    rows = db.session.scalars(
        _ordered(select(Activity).where(Activity.week_id == week.id)).options(*_ACTIVITY_LOAD)
    )
    for activity in rows:
        by_day.setdefault(activity.scheduled_on, []).append(activity)
    return by_day


def manager_schedule(user: User, today: date) -> dict[date, list[Activity]]:
    """A manager's activities (not cancelled) in weeks that end today or later, by day."""
    stmt = (
        select(Activity)
        .join(PracticeWeek, PracticeWeek.id == Activity.week_id)
        .where(
            Activity.manager_id == user.id,
            PracticeWeek.ends_on >= today,
            Activity.status != ActivityStatus.CANCELLED,
        )
    )
    by_day: dict[date, list[Activity]] = defaultdict(list)
    for activity in db.session.scalars(
        _ordered(stmt).options(*_ACTIVITY_LOAD, selectinload(Activity.week))
    ):
        by_day[activity.scheduled_on].append(activity)
    return dict(by_day)


def next_activities(user: User, today: date, limit: int = 5) -> list[Activity]:
    """A manager's planned activities from today on, soonest first."""
    stmt = select(Activity).where(
        Activity.manager_id == user.id,
        Activity.status == ActivityStatus.PLANNED,
        Activity.scheduled_on >= today,
    )
    return list(
        db.session.scalars(
            _ordered(stmt).options(*_ACTIVITY_LOAD, selectinload(Activity.week)).limit(limit)
        )
    )


def activity_counts(week_id: int) -> dict[str, Counter[str]]:
    """{kind: Counter(status -> activities)} for the week, every kind present, in one query."""
    counts: dict[str, Counter[str]] = {kind.value: Counter() for kind in ActivityKind}
    rows = db.session.execute(
        select(Activity.kind, Activity.status, func.count())
        .where(Activity.week_id == week_id)
        .group_by(Activity.kind, Activity.status)
    )
    for kind, status, count in rows:
        counts.setdefault(kind, Counter())[status] += count
    return counts


def may_record(user: User, activity: Activity) -> bool:
    """Only the activity's manager, or a QA lead, records it."""
    return activity.manager_id == user.id or Role.QA_LEAD in user.roles


# ---- writing: activities ----------------------------------------------------------------


def _check_activity(
    week: PracticeWeek,
    *,
    kind: str,
    meeting_type: str | None,
    day: date | None,
    time: str,
    manager: User | None,
    focus_area_id: int | None,
    details: str,
) -> tuple[str | None, str, str]:
    if kind not in {k.value for k in ActivityKind}:
        raise WeekError("Choose what kind of activity this is", "kind")
    if kind == ActivityKind.OBSERVE_MEETING:
        if meeting_type not in {m.value for m in MeetingType}:
            raise WeekError("Choose the kind of meeting to observe", "meeting_type")
    else:
        meeting_type = None
    if day is None or not week.starts_on <= day <= week.ends_on:
        raise WeekError("Choose a day within the week", "day")
    time = (time or "").strip()
    if time:
        try:
            time = datetime.strptime(time.replace(".", ":"), "%H:%M").strftime("%H:%M")
        except ValueError:
            raise WeekError("Enter the time as hours and minutes, like 09:30", "time") from None
    if manager is None or manager.id not in {m.id for m in week.managers}:
        raise WeekError("Choose one of the week's senior managers", "manager_id")
    if focus_area_id is not None and focus_area_id not in {a.id for a in week.focus_areas}:
        raise WeekError("Choose one of the week's focus areas", "focus_area_id")
    details = clean_text(details or "").strip()
    if len(details) > 300:
        raise WeekError("Use 300 characters or fewer for the details", "details")
    return meeting_type, time, details


def _activity_snapshot(a: Activity) -> dict[str, Any]:
    return {
        "kind": a.kind,
        "meeting_type": a.meeting_type,
        "scheduled_on": a.scheduled_on.isoformat() if a.scheduled_on else None,
        "scheduled_time": a.scheduled_time,
        "manager": a.manager.username if a.manager else None,
        "team": a.team.name if a.team else None,
        "focus_area_id": a.focus_area_id,
        "details": a.details,
        "status": a.status,
    }


def has_records(activity: Activity) -> bool:
    """Whether anything has been recorded against the activity (a draft included)."""
    return bool(
        activity.answers
        or activity.theme_marks
        or activity.audit_id
        or activity.summary
        or activity.participant
        or activity.consent_given is not None
        or activity.consent_how
    )


def save_activity(
    week: PracticeWeek,
    *,
    kind: str,
    meeting_type: str | None,
    day: date | None,
    time: str,
    manager: User | None,
    team: Team | None,
    focus_area_id: int | None,
    details: str,
    actor: User | None,
    activity: Activity | None = None,
    based_on: int | None = None,
    today: date | None = None,
) -> Activity:
    """Schedule an activity, or change a planned one (based_on its lock_version). The day must
    be in the week and the manager one of the week's; one with anything recorded (a draft)
    cannot move to a day after today (the UK's). Raises WeekError or Stale. Commits."""
    meeting_type, time, details = _check_activity(
        week,
        kind=kind,
        meeting_type=meeting_type,
        day=day,
        time=time,
        manager=manager,
        focus_area_id=focus_area_id,
        details=details,
    )
    assert day is not None  # _check_activity refuses a missing day
    if activity is None:
        activity = Activity(week_id=week.id, status=ActivityStatus.PLANNED)
        db.session.add(activity)
        before = None
    else:
        if activity.lock_version != based_on:
            raise Stale(activity, based_on)
        if activity.status != ActivityStatus.PLANNED:
            raise WeekError("Only a planned activity can be changed", "kind")
        if activity.kind != kind and has_records(activity):
            raise WeekError("Something has been recorded: the kind can no longer change", "kind")
        if day != activity.scheduled_on and day > (today or uk_today()) and has_records(activity):
            # a draft leaves it planned: moved to a later day it would hold findings recorded
            # before it happened
            raise WeekError(
                "Something has been recorded for this activity, so it cannot move to a day"
                f" after today: choose {uk_day(today or uk_today())} or earlier",
                "day",
            )
        before = _activity_snapshot(activity)
        claim_version(activity, based_on)
    activity.kind, activity.meeting_type = kind, meeting_type
    activity.scheduled_on, activity.scheduled_time = day, time
    activity.manager, activity.team = manager, team
    activity.focus_area_id, activity.details = focus_area_id, details
    db.session.flush()
    after = _activity_snapshot(activity)
    if before is None:
        changelog.record(
            actor,
            "practice_week_activity",
            activity.id,
            "scheduled",
            {"version": activity.lock_version, "week": week.id, **after},
        )
    else:
        changelog.record(
            actor,
            "practice_week_activity",
            activity.id,
            "updated",
            {"version": activity.lock_version, **changelog.diff(before, after)},
        )
    db.session.commit()
    return activity


def cancel_activity(
    activity: Activity, reason: str, *, based_on: int | None, actor: User | None
) -> None:
    """Cancel a planned activity, with the reason in the change log. Commits."""
    reason = clean_text(reason or "").strip()
    if not reason:
        raise WeekError("Say why the activity is cancelled", "reason")
    if activity.status != ActivityStatus.PLANNED:
        raise WeekError("Only a planned activity can be cancelled", "reason")
    if activity.lock_version != based_on:
        raise Stale(activity, based_on)
    claim_version(activity, based_on)
    activity.status = ActivityStatus.CANCELLED
    changelog.record(
        actor,
        "practice_week_activity",
        activity.id,
        "cancelled",
        {"version": activity.lock_version, "reason": reason},
    )
    db.session.commit()
