"""Making practice weeks with activities and audits straight into the tables, for the findings
and report tests (the week planner's own factory is week_factory.py)."""

from datetime import UTC, date, datetime, timedelta

from qa_app.data import cycles
from qa_app.data.templates import get_template
from qa_app.extensions import db
from qa_app.models import (
    Activity,
    Audit,
    Case,
    FocusArea,
    PracticeWeek,
    QuickWin,
    ThemeMark,
)


def make_week(
    name: str,
    starts_on: date,
    *,
    areas=("The front door: MASH and initial response", "Children in need plans"),
    managers=(),
    purpose: str = "Senior managers see practice at first hand.",
) -> PracticeWeek:
    """A week with its audit cycle (kind practice_week) and numbered focus areas."""
    ends_on = starts_on + timedelta(days=4)
    cycle = cycles.save_cycle(
        name=f"Practice week: {name}",
        kind="practice_week",
        description="",
        period_start=starts_on,
        period_end=ends_on,
        due_date=ends_on + timedelta(days=14),
        templates=[get_template("single_assessment")],
        theme_focus=None,
        moderation_share=0,
        actor=None,
    )
    week = PracticeWeek(
        name=name, starts_on=starts_on, ends_on=ends_on, purpose=purpose, cycle_id=cycle.id
    )
    week.managers = list(managers)
    db.session.add(week)
    db.session.flush()
    for number, title in enumerate(areas, start=1):
        db.session.add(FocusArea(week_id=week.id, number=number, title=title))
    db.session.commit()
    db.session.refresh(week)
    return week


def area(week: PracticeWeek, number: int) -> FocusArea:
    return next(a for a in week.focus_areas if a.number == number)


def add_activity(
    week: PracticeWeek,
    kind: str = "observe_meeting",
    *,
    status: str = "done",
    focus: FocusArea | None = None,
    marks: dict | None = None,
    answers: dict | None = None,
    manager=None,
    day: int = 0,
) -> Activity:
    activity = Activity(
        week_id=week.id,
        kind=kind,
        meeting_type="strategy_meeting" if kind == "observe_meeting" else None,
        focus_area_id=focus.id if focus else None,
        manager_id=manager.id if manager else None,
        scheduled_on=week.starts_on + timedelta(days=day),
        status=status,
        theme_marks=marks or {},
        answers=answers or {},
    )
    db.session.add(activity)
    db.session.commit()
    return activity


def add_audit(week: PracticeWeek, marks: dict, *, reference: str, on: date | None = None) -> Audit:
    """A completed single-assessment audit in the week's cycle with the given theme marks."""
    version = get_template("single_assessment").versions[-1]
    case = Case(case_reference=reference, facts={})
    db.session.add(case)
    db.session.flush()
    day = on or week.starts_on
    audit = Audit(
        case_id=case.id,
        cycle_id=week.cycle_id,
        template_version_id=version.id,
        status="submitted",
        submitted_at=datetime(day.year, day.month, day.day, 12, tzinfo=UTC),
        overall_grade="good",
    )
    db.session.add(audit)
    db.session.flush()
    for key, mark in marks.items():
        db.session.add(ThemeMark(audit_id=audit.id, theme_key=key, mark=mark))
    db.session.commit()
    return audit


def add_quick_win(week: PracticeWeek, number: int, description: str, owner=None, due=None):
    quick_win = QuickWin(
        week_id=week.id,
        number=number,
        description=description,
        owner_id=owner.id if owner else None,
        due_date=due,
    )
    db.session.add(quick_win)
    db.session.commit()
    return quick_win
