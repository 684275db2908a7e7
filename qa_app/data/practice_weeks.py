"""Practice weeks: planning a week (its name, dates, purpose, focus areas and senior managers)
and keeping its audit cycle in step with it. Scheduling activities is in
practice_week_activities; recording them is in practice_week_records.

Saves name the lock_version they were based on; a save against a newer version is refused with
Stale (nothing is overwritten). Every write is in the change log ("practice_week"). Refer to
people by role, never by name."""

from datetime import date, timedelta
from typing import Any, cast

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from qa_app.data import changelog, cycles, locking
from qa_app.data.cycles import CycleError
from qa_app.extensions import db
from qa_app.models import CycleKind, Role, User, UserRole
from qa_app.models.practice_weeks import (
    Activity,
    ActivityStatus,
    FocusArea,
    PracticeWeek,
    QuickWin,
)
from qa_app.templates_engine.answers import clean_text

MAX_DAYS = 14
CYCLE_PREFIX = "Practice week: "


def cycle_name(week_name: str) -> str:
    """The name of a week's audit cycle: "Practice week: Children in need", or the week's name
    alone where it already says so ("Practice week, November 2026"), never "Practice week:
    Practice week, November 2026"."""
    if week_name.lower().startswith("practice week"):
        return week_name
    return CYCLE_PREFIX + week_name


class WeekError(ValueError):
    """Something about the week or an activity that cannot be saved, naming the form field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class Stale(Exception):
    """The week or activity changed since the person loaded it."""

    def __init__(self, entity: PracticeWeek | Activity, based_on: int | None):
        super().__init__(f"{type(entity).__name__} {entity.id} is not at version {based_on}")
        self.entity = entity
        self.based_on = based_on


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


def get_week_by_name(name: str) -> PracticeWeek | None:
    return db.session.scalar(select(PracticeWeek).where(PracticeWeek.name == name.strip()))


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


# ---- writing ----------------------------------------------------------------------------


def claim_version(entity: PracticeWeek | Activity, based_on: int | None) -> None:
    """Move the row (a week or an activity) to its next lock_version if, and only if, it is
    still at `based_on` (qa_app.data.locking); otherwise nothing is kept and Stale is raised."""
    if not locking.claim_version(entity, based_on):
        raise Stale(entity, based_on)


# ---- writing: the week ------------------------------------------------------------------


def _week_snapshot(week: PracticeWeek) -> dict[str, Any]:
    return {
        "name": week.name,
        "starts_on": week.starts_on.isoformat(),
        "ends_on": week.ends_on.isoformat(),
        "purpose": week.purpose,
        "focus_areas": [f"{a.number}. {a.title}" for a in week.focus_areas],
        "managers": sorted(m.username for m in week.managers),
    }


def _check_week_fields(
    name: str,
    starts_on: date | None,
    ends_on: date | None,
    managers: list[User],
    week: PracticeWeek | None,
) -> str:
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


def _apply_areas(week: PracticeWeek, areas: dict[int, str], new_areas: list[str]) -> None:
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
    used: set[int | None] = set(
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
    return cast(set[int], used)  # the WHERE clauses leave out rows with no focus area


def _check_existing_activities(
    week: PracticeWeek, starts_on: date, ends_on: date, managers: list[User]
) -> None:
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
    actor: User | None,
    week: PracticeWeek | None = None,
    based_on: int | None = None,
) -> PracticeWeek:
    """Create a week (with its audit cycle: kind practice_week, the week as its period, the
    active case-audit templates) or update one (based_on its lock_version; the cycle follows
    the new name and dates). Raises WeekError naming the field, or Stale. Commits."""
    name = _check_week_fields(name, starts_on, ends_on, managers, week)
    assert starts_on is not None and ends_on is not None  # _check_week_fields refuses a missing day
    purpose = clean_text(purpose or "").strip()
    if week is None:
        return _create_week(name, starts_on, ends_on, purpose, managers, new_areas, actor)
    _check_existing_activities(week, starts_on, ends_on, managers)
    before = _week_snapshot(week)
    if week.lock_version != based_on:
        raise Stale(week, based_on)
    claim_version(week, based_on)
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


def _create_week(
    name: str,
    starts_on: date,
    ends_on: date,
    purpose: str,
    managers: list[User],
    new_areas: list[str],
    actor: User | None,
) -> PracticeWeek:
    templates = cycles.active_templates()
    if not templates:
        raise WeekError(
            "No case audit templates are loaded, so the week's audit cycle cannot be made. "
            "Load them with: flask --app qa_app qa templates load",
            "name",
        )
    if cycles.get_cycle_by_name(cycle_name(name)) is not None:
        raise WeekError(f"There is already an audit cycle called {cycle_name(name)!r}", "name")
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
        saved = cycles.store_cycle(  # the week, its cycle and their records: one commit
            name=cycle_name(name),
            kind=CycleKind.PRACTICE_WEEK.value,
            description=purpose,
            period_start=starts_on,
            period_end=ends_on,
            due_date=ends_on,
            templates=templates,
            theme_focus=None,
            moderation_share=10,
            actor=actor,
            commit=False,
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


def _follow_cycle(week: PracticeWeek, actor: User | None) -> None:
    cycle = week.cycle
    assert cycle is not None  # called for a week that has its cycle
    wanted = (cycle_name(week.name), week.starts_on, week.ends_on)
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
            commit=False,  # save_week commits the week and its cycle together
        )
    except CycleError as error:
        db.session.rollback()
        raise WeekError(str(error), "name") from None
