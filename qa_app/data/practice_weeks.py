"""Practice weeks: planning a week (its focus areas, managers and audit cycle), scheduling its
activities, recording each one, and reading the schedule back.

Saves of a week and of an activity name the lock_version they were based on; a save against a
newer version is refused with Stale (nothing is overwritten). Every write is in the change log
("practice_week" and "practice_week_activity"). Refer to people by role, never by name."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from qa_app.data import changelog, cycles
from qa_app.data.cycle_assignment import AssignmentError, assign, is_own_team
from qa_app.data.cycles import CycleError
from qa_app.extensions import db
from qa_app.models import AuditTemplate, CycleKind, Role, TemplateVersion, User, UserRole, utcnow
from qa_app.models.practice_weeks import (
    Activity,
    ActivityKind,
    ActivityStatus,
    FocusArea,
    MeetingType,
    PracticeWeek,
    QuickWin,
)
from qa_app.templates_engine.answers import (
    clean_text,
    parse,
    placed_questions,
    problem,
    suggest_theme_marks,
)

MAX_DAYS = 14
CYCLE_PREFIX = "Practice week: "
# The template each recorded kind of activity is filled in against.
TEMPLATE_FOR_KIND = {
    ActivityKind.OBSERVE_MEETING: "observe_meeting",
    ActivityKind.SHADOW: "shadow_practitioner",
}
PARTICIPANTS = {"child": "A child", "parent_carer": "A parent or carer", "staff": "Staff"}
THEME_MARKS = {
    "strength": "Strength",
    "development": "Area for development",
    "not_seen": "Not seen",
}
STATUS_LABELS = {
    ActivityStatus.PLANNED: "Planned",
    ActivityStatus.DONE: "Done",
    ActivityStatus.CANCELLED: "Cancelled",
}


class WeekError(ValueError):
    """Something about the week or an activity that cannot be saved, naming the form field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class Stale(Exception):
    """The week or activity changed since the person loaded it."""

    def __init__(self, entity, based_on: int):
        super().__init__(f"{type(entity).__name__} {entity.id} is not at version {based_on}")
        self.entity = entity
        self.based_on = based_on


@dataclass
class Problem:
    field: str  # the form field name, e.g. "q__went_well"
    message: str


class RecordProblems(ValueError):
    """Finishing needs these answers first; nothing was saved."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


# ---- reading ----------------------------------------------------------------------------


def get_week(week_id: int) -> PracticeWeek | None:
    return db.session.scalar(
        select(PracticeWeek)
        .where(PracticeWeek.id == week_id)
        .options(selectinload(PracticeWeek.focus_areas), selectinload(PracticeWeek.managers))
    )


def list_weeks() -> list[PracticeWeek]:
    """Every week, newest first."""
    return list(
        db.session.scalars(
            select(PracticeWeek).order_by(PracticeWeek.starts_on.desc(), PracticeWeek.id.desc())
        )
    )


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


def senior_managers() -> list[User]:
    """Active accounts with the senior manager role, by name: who may take part in a week."""
    has_role = select(UserRole.user_id).where(UserRole.role == Role.SENIOR_MANAGER.value)
    return list(
        db.session.scalars(
            select(User)
            .where(User.active.is_(True), User.id.in_(has_role))
            .order_by(User.display_name, User.id)
        )
    )


def week_days(week: PracticeWeek) -> list[date]:
    return [
        week.starts_on + timedelta(days=n) for n in range((week.ends_on - week.starts_on).days + 1)
    ]


_ACTIVITY_LOAD = (
    selectinload(Activity.manager),
    selectinload(Activity.team),
    selectinload(Activity.focus_area),
)


def _ordered(stmt):
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


def activity_counts(week_id: int) -> dict[str, Counter]:
    """{kind: Counter(status -> activities)} for the week, every kind present, in one query."""
    counts = {kind.value: Counter() for kind in ActivityKind}
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


# ---- writing: the week ------------------------------------------------------------------


def _claim(model, entity, based_on: int | None) -> None:
    """Move the row to its next lock_version if, and only if, it is still at `based_on`."""
    result = db.session.execute(
        update(model)
        .where(model.id == entity.id, model.lock_version == based_on)
        .values(lock_version=model.lock_version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        db.session.refresh(entity)
        raise Stale(entity, based_on)
    db.session.refresh(entity, ["lock_version"])


def _week_snapshot(week: PracticeWeek) -> dict:
    return {
        "name": week.name,
        "starts_on": week.starts_on.isoformat(),
        "ends_on": week.ends_on.isoformat(),
        "purpose": week.purpose,
        "focus_areas": [f"{a.number}. {a.title}" for a in week.focus_areas],
        "managers": sorted(m.username for m in week.managers),
    }


def _check_week_fields(name, starts_on, ends_on, managers, week) -> str:
    name = clean_text(name or "").strip()
    if not name:
        raise WeekError("Enter a name for the week", "name")
    taken = select(PracticeWeek.id).where(func.lower(PracticeWeek.name) == name.lower())
    if week is not None:
        taken = taken.where(PracticeWeek.id != week.id)
    if db.session.scalar(taken) is not None:
        raise WeekError(f"There is already a practice week called {name!r}", "name")
    if starts_on is None:
        raise WeekError("Enter the first day of the week", "starts_on")
    if ends_on is None:
        raise WeekError("Enter the last day of the week", "ends_on")
    if ends_on < starts_on:
        raise WeekError("The last day must be on or after the first day", "ends_on")
    if (ends_on - starts_on).days + 1 > MAX_DAYS:
        raise WeekError(f"A practice week can be at most {MAX_DAYS} days long", "ends_on")
    for manager in managers:
        if not manager.active or Role.SENIOR_MANAGER not in manager.roles:
            raise WeekError(f"{manager.display_name} is not an active senior manager", "managers")
    return name


def _apply_areas(week, areas: dict[int, str], new_areas: list[str]) -> None:
    """Rename or remove existing areas (an empty title removes one) and add new ones at the
    end. Ids of kept areas never change, so activities and findings still point at them."""
    in_use = _areas_in_use(week)
    numbers = [a.number for a in week.focus_areas]
    for area in list(week.focus_areas):
        if area.id not in areas:
            continue
        title = clean_text(areas[area.id] or "").strip()[:200]
        if not title:
            if area.id in in_use:
                raise WeekError(
                    f"{area.title!r} has activities, findings or quick wins: rename it rather "
                    "than remove it",
                    f"area__{area.id}",
                )
            week.focus_areas.remove(area)
            db.session.delete(area)
        elif title != area.title:
            area.title = title
    number = max(numbers, default=0)
    existing = {a.title.lower() for a in week.focus_areas}
    for title in new_areas:
        title = clean_text(title).strip()[:200]
        if not title or title.lower() in existing:
            continue
        number += 1
        existing.add(title.lower())
        week.focus_areas.append(FocusArea(number=number, title=title))


def _areas_in_use(week: PracticeWeek) -> set[int]:
    used = set(
        db.session.scalars(
            select(Activity.focus_area_id).where(
                Activity.week_id == week.id, Activity.focus_area_id.is_not(None)
            )
        )
    )
    used |= set(
        db.session.scalars(
            select(QuickWin.focus_area_id).where(
                QuickWin.week_id == week.id, QuickWin.focus_area_id.is_not(None)
            )
        )
    )
    used |= {a.id for a in week.focus_areas if (a.headlines or "").strip()}
    return used


def _check_existing_activities(week, starts_on, ends_on, managers) -> None:
    live = list(
        db.session.scalars(
            select(Activity).where(
                Activity.week_id == week.id, Activity.status != ActivityStatus.CANCELLED
            )
        )
    )
    outside = [a for a in live if not starts_on <= a.scheduled_on <= ends_on]
    if outside:
        raise WeekError(
            f"{len(outside)} scheduled activit{'y is' if len(outside) == 1 else 'ies are'} "
            "outside these dates: move or cancel them first",
            "starts_on",
        )
    kept = {m.id for m in managers}
    for manager in week.managers:
        if manager.id not in kept and any(a.manager_id == manager.id for a in live):
            raise WeekError(
                f"{manager.display_name} has activities in this week: move or cancel them "
                "before removing them from the week",
                "managers",
            )


def save_week(
    *,
    name: str,
    starts_on: date | None,
    ends_on: date | None,
    purpose: str,
    managers: list[User],
    new_areas: list[str],
    areas: dict[int, str] | None = None,
    actor,
    week: PracticeWeek | None = None,
    based_on: int | None = None,
) -> PracticeWeek:
    """Create a week (with its audit cycle: kind practice_week, the week as its period, the
    active case-audit templates) or update one (based_on its lock_version; the cycle follows
    the new name and dates). Raises WeekError naming the field, or Stale. Commits."""
    name = _check_week_fields(name, starts_on, ends_on, managers, week)
    purpose = clean_text(purpose or "").strip()
    if week is None:
        return _create_week(name, starts_on, ends_on, purpose, managers, new_areas, actor)
    _check_existing_activities(week, starts_on, ends_on, managers)
    before = _week_snapshot(week)
    if week.lock_version != based_on:
        raise Stale(week, based_on)
    _claim(PracticeWeek, week, based_on)
    week.name, week.starts_on, week.ends_on, week.purpose = name, starts_on, ends_on, purpose
    week.managers = list(managers)
    _apply_areas(week, areas or {}, new_areas)
    db.session.flush()
    if week.cycle is not None:
        _follow_cycle(week, actor)
    changes = changelog.diff(before, _week_snapshot(week))
    changelog.record(
        actor, "practice_week", week.id, "updated", {"version": week.lock_version, **changes}
    )
    db.session.commit()
    return week


def _create_week(name, starts_on, ends_on, purpose, managers, new_areas, actor) -> PracticeWeek:
    templates = cycles.active_templates()
    if not templates:
        raise WeekError(
            "No case audit templates are loaded, so the week's audit cycle cannot be made. "
            "Load them with: flask --app qa_app qa templates load",
            "name",
        )
    if cycles.get_cycle_by_name(CYCLE_PREFIX + name) is not None:
        raise WeekError(f"There is already an audit cycle called {CYCLE_PREFIX + name!r}", "name")
    week = PracticeWeek(
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        purpose=purpose,
        created_by_id=getattr(actor, "id", None),
        managers=list(managers),
    )
    db.session.add(week)
    _apply_areas(week, {}, new_areas)
    try:
        saved = cycles.store_cycle(  # commits the week with its cycle
            name=CYCLE_PREFIX + name,
            kind=CycleKind.PRACTICE_WEEK.value,
            description=purpose,
            period_start=starts_on,
            period_end=ends_on,
            due_date=ends_on,
            templates=templates,
            theme_focus=None,
            moderation_share=10,
            actor=actor,
        )
    except CycleError as error:
        db.session.rollback()
        raise WeekError(str(error), "name") from None
    week.cycle_id = saved.cycle.id
    db.session.flush()
    changelog.record(
        actor,
        "practice_week",
        week.id,
        "created",
        {"version": week.lock_version, "cycle": saved.cycle.id, **_week_snapshot(week)},
    )
    db.session.commit()
    return week


def _follow_cycle(week: PracticeWeek, actor) -> None:
    cycle = week.cycle
    wanted = (CYCLE_PREFIX + week.name, week.starts_on, week.ends_on)
    if (cycle.name, cycle.period_start, cycle.period_end) == wanted:
        return
    try:
        cycles.store_cycle(
            name=wanted[0],
            kind=cycle.kind,
            description=cycle.description,
            period_start=week.starts_on,
            period_end=week.ends_on,
            due_date=week.ends_on if cycle.due_date == cycle.period_end else cycle.due_date,
            templates=list(cycle.templates),
            theme_focus=cycle.theme_focus,
            moderation_share=cycle.moderation_share,
            actor=actor,
            cycle=cycle,
        )
    except CycleError as error:
        db.session.rollback()
        raise WeekError(str(error), "name") from None


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


def _activity_snapshot(a: Activity) -> dict:
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


def save_activity(
    week: PracticeWeek,
    *,
    kind: str,
    meeting_type: str | None,
    day: date | None,
    time: str,
    manager: User | None,
    team,
    focus_area_id: int | None,
    details: str,
    actor,
    activity: Activity | None = None,
    based_on: int | None = None,
) -> Activity:
    """Schedule an activity, or change a planned one (based_on its lock_version). The day must
    be in the week and the manager one of the week's. Raises WeekError or Stale. Commits."""
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
    if activity is None:
        activity = Activity(week_id=week.id, status=ActivityStatus.PLANNED)
        db.session.add(activity)
        before = None
    else:
        if activity.lock_version != based_on:
            raise Stale(activity, based_on)
        if activity.status != ActivityStatus.PLANNED:
            raise WeekError("Only a planned activity can be changed", "kind")
        if activity.kind != kind and (activity.answers or activity.audit_id or activity.summary):
            raise WeekError("Something has been recorded: the kind can no longer change", "kind")
        before = _activity_snapshot(activity)
        _claim(Activity, activity, based_on)
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


def cancel_activity(activity: Activity, reason: str, *, based_on: int | None, actor) -> None:
    """Cancel a planned activity, with the reason in the change log. Commits."""
    reason = clean_text(reason or "").strip()
    if not reason:
        raise WeekError("Say why the activity is cancelled", "reason")
    if activity.status != ActivityStatus.PLANNED:
        raise WeekError("Only a planned activity can be cancelled", "reason")
    if activity.lock_version != based_on:
        raise Stale(activity, based_on)
    _claim(Activity, activity, based_on)
    activity.status = ActivityStatus.CANCELLED
    changelog.record(
        actor,
        "practice_week_activity",
        activity.id,
        "cancelled",
        {"version": activity.lock_version, "reason": reason},
    )
    db.session.commit()


# ---- recording --------------------------------------------------------------------------


def template_version_for(activity: Activity) -> TemplateVersion | None:
    """The version the activity is (or will be) recorded against: the one it was started with,
    else the newest version of its kind's template."""
    if activity.template_version is not None:
        return activity.template_version
    key = TEMPLATE_FOR_KIND.get(activity.kind)
    if key is None:
        return None
    return db.session.scalar(
        select(TemplateVersion)
        .join(AuditTemplate)
        .where(AuditTemplate.key == key, AuditTemplate.active.is_(True))
        .order_by(TemplateVersion.number.desc())
        .limit(1)
    )


def _stored(question: dict, value) -> object:
    if question["type"] == "multiple_choice":
        return list(value.choices)
    return value.text


def parsed_answers(content: dict, raw: dict) -> dict[str, object]:
    """Raw form values by field name (q__<key>) -> stored answers by question key."""
    out = {}
    for key, placed in placed_questions(content).items():
        if placed.group_key or placed.question["type"] == "repeat":
            continue  # observation templates have no repeat groups; none are stored
        name = f"q__{key}"
        if name not in raw:
            continue
        value = parse(placed.question, raw[name])
        stored = _stored(placed.question, value)
        if stored not in (None, "", []):
            out[key] = stored
    return out


def _value(question: dict, stored):
    return parse(question, stored if stored is not None else None)


def suggested_marks(content: dict, answers: dict) -> dict[str, str]:
    placed = placed_questions(content)
    pairs = [(placed[k].question, _value(placed[k].question, v)) for k, v in answers.items()]
    return suggest_theme_marks(content, [(q, v) for q, v in pairs if q])


def record_observation(
    activity: Activity,
    raw: dict,
    marks: dict[str, str | None],
    summary: str,
    *,
    finish: bool,
    based_on: int | None,
    actor,
) -> Activity:
    """Record an observation or shadowing against its template version: answers, theme marks
    (a mark not given takes the suggestion from the answers) and a summary. Finishing needs
    every required answer (RecordProblems) and marks it done; a draft keeps it planned."""
    if activity.kind not in TEMPLATE_FOR_KIND:
        raise WeekError("This activity is not recorded on a template", "kind")
    if activity.status == ActivityStatus.CANCELLED:
        raise WeekError("This activity was cancelled", "kind")
    version = template_version_for(activity)
    if version is None:
        raise WeekError(f"The {TEMPLATE_FOR_KIND[activity.kind]} template is not loaded", "kind")
    if activity.lock_version != based_on:
        raise Stale(activity, based_on)
    content = version.content
    answers = parsed_answers(content, raw)
    suggested = suggested_marks(content, answers)
    chosen = {}
    for key in content["themes"]:
        mark = marks.get(key) or suggested.get(key, "not_seen")
        if mark not in THEME_MARKS:
            raise WeekError(f"Unknown theme mark {mark!r}", f"theme__{key}")
        chosen[key] = mark
    summary = clean_text(summary or "").strip()
    if finish:
        placed = placed_questions(content)
        problems = [
            Problem(f"q__{key}", message)
            for key, p in placed.items()
            if not p.group_key and p.question["type"] != "repeat"
            if (message := problem(content, p.question, _value(p.question, answers.get(key))))
        ]
        if problems:
            raise RecordProblems(problems)
    before = {"answers": activity.answers or {}, "theme_marks": activity.theme_marks or {}}
    before.update(summary=activity.summary, status=activity.status)
    _claim(Activity, activity, based_on)
    activity.template_version_id = version.id
    activity.answers, activity.theme_marks, activity.summary = answers, chosen, summary
    activity.status = ActivityStatus.DONE if finish else ActivityStatus.PLANNED
    activity.recorded_at, activity.recorded_by_id = utcnow(), getattr(actor, "id", None)
    after = {"answers": answers, "theme_marks": chosen, "summary": summary}
    after["status"] = activity.status
    changelog.record(
        actor,
        "practice_week_activity",
        activity.id,
        "recorded" if finish else "draft_saved",
        {
            "version": activity.lock_version,
            "template_version": version.number,
            "fields": changelog.diff(before, after),
        },
    )
    db.session.commit()
    return activity


def record_conversation(
    activity: Activity,
    *,
    participant: str | None,
    consent_given: bool | None,
    consent_how: str,
    summary: str,
    finish: bool,
    based_on: int | None,
    actor,
) -> Activity:
    """Record a conversation with a child, parent or carer, or staff, on its consent record.
    Nothing of what was said is kept unless consent was given: a summary typed without it is
    refused (WeekError on "summary"). Finishing needs who, the consent answer, how consent was
    recorded (when given) and a summary (when given); it marks the activity done."""
    if activity.kind != ActivityKind.CONVERSATION:
        raise WeekError("This activity is not a conversation", "participant")
    if activity.status == ActivityStatus.CANCELLED:
        raise WeekError("This activity was cancelled", "participant")
    if participant is not None and participant not in PARTICIPANTS:
        raise WeekError("Choose who the conversation was with", "participant")
    summary = clean_text(summary or "").strip()
    consent_how = clean_text(consent_how or "").strip()
    if summary and consent_given is not True:
        raise WeekError(
            "Consent was not given, so nothing of what was said can be recorded. Clear the "
            "summary, or record how consent was given",
            "summary",
        )
    if finish:
        problems = []
        if participant is None:
            problems.append(Problem("participant", "Choose who the conversation was with"))
        if consent_given is None:
            problems.append(Problem("consent_given", "Say whether consent was given"))
        if consent_given and not consent_how:
            problems.append(Problem("consent_how", "Say how consent was recorded"))
        if consent_given and not summary:
            problems.append(Problem("summary", "Summarise what you heard"))
        if problems:
            raise RecordProblems(problems)
    if activity.lock_version != based_on:
        raise Stale(activity, based_on)
    before = {
        "participant": activity.participant,
        "consent_given": activity.consent_given,
        "consent_how": activity.consent_how,
        "summary": activity.summary,
        "status": activity.status,
    }
    _claim(Activity, activity, based_on)
    activity.participant, activity.consent_given = participant, consent_given
    activity.consent_how = consent_how
    activity.summary = summary if consent_given else ""
    activity.status = ActivityStatus.DONE if finish else ActivityStatus.PLANNED
    activity.recorded_at, activity.recorded_by_id = utcnow(), getattr(actor, "id", None)
    after = {
        "participant": participant,
        "consent_given": consent_given,
        "consent_how": consent_how,
        "summary": activity.summary,
        "status": activity.status,
    }
    changelog.record(
        actor,
        "practice_week_activity",
        activity.id,
        "recorded" if finish else "draft_saved",
        {"version": activity.lock_version, "fields": changelog.diff(before, after)},
    )
    db.session.commit()
    return activity


def record_audit(
    activity: Activity,
    *,
    case_reference: str,
    team,
    template: AuditTemplate | None,
    based_on: int | None,
    actor,
):
    """Audit a child's record with the worker: a case audit of the case in the week's cycle,
    assigned to the activity's manager, who then fills it in on the normal audit pages. The
    activity is then done. Raises WeekError (naming the field) or Stale. Returns the audit."""
    if activity.kind != ActivityKind.AUDIT_RECORD:
        raise WeekError("This activity is not an audit of a record", "case_reference")
    if activity.audit_id is not None:
        raise WeekError("The audit for this activity has already been started", "case_reference")
    if activity.status == ActivityStatus.CANCELLED:
        raise WeekError("This activity was cancelled", "case_reference")
    cycle = activity.week.cycle
    if cycle is None:
        raise WeekError("The week has no audit cycle", "case_reference")
    if team is None:
        raise WeekError("Choose the case's team", "team_id")
    if template is None or template not in cycle.templates or template.kind != "case_audit":
        raise WeekError("Choose one of the week's audit templates", "template_id")
    manager = activity.manager
    if manager is None:
        raise WeekError("The activity has no manager to do the audit", "case_reference")
    if team.id in {t.id for t in manager.teams}:
        raise WeekError(
            f"{manager.display_name} is in the case's team ({team.name}): choose a record "
            "from another team",
            "team_id",
        )
    if activity.lock_version != based_on:
        raise Stale(activity, based_on)
    try:
        audit = cycles.add_case(
            cycle,
            case_reference=case_reference,
            team=team,
            worker=None,
            template=template,
            actor=actor,
        )  # commits
    except CycleError as error:
        raise WeekError(str(error), error.field or "case_reference") from None
    try:
        if is_own_team(manager, audit.case):  # the team was checked above; belt and braces
            raise AssignmentError(f"{manager.display_name} is in the case's team", "team_id")
        assign(audit, manager, override=False, actor=actor)  # commits
    except AssignmentError as error:
        raise WeekError(str(error), "team_id") from None
    _claim(Activity, activity, based_on)
    activity.audit_id, activity.team = audit.id, team
    activity.status = ActivityStatus.DONE
    activity.recorded_at, activity.recorded_by_id = utcnow(), getattr(actor, "id", None)
    changelog.record(
        actor,
        "practice_week_activity",
        activity.id,
        "audit_started",
        {
            "version": activity.lock_version,
            "audit": audit.id,
            "case": audit.case.case_reference,
            "template": template.key,
            "auditor": manager.username,
        },
    )
    db.session.commit()
    return audit


def week_templates(week: PracticeWeek) -> list[AuditTemplate]:
    """The case-audit templates of the week's cycle, by name."""
    if week.cycle is None:
        return []
    return sorted(
        (t for t in week.cycle.templates if t.active and t.kind == "case_audit"),
        key=lambda t: t.name,
    )
