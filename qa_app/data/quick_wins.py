"""A practice week's quick wins: adding, changing and deleting them (numbered 1, 2, 3… in the
week) before the findings are published, and turning one into an improvement-plan action,
which stays open after publishing because the plan lives on after the week.

Quick wins have no lock column: the form carries their last change time (quick_win_version)
and a save against a newer one is refused with StaleQuickWin. Every write is in the change log
of the week ("practice_week")."""

from datetime import date
from typing import Any

from sqlalchemy import func, select

from qa_app.data import changelog
from qa_app.data.improvement import create_action
from qa_app.data.practice_week_findings import FindingsError, clean_block, refuse_if_published
from qa_app.extensions import db
from qa_app.models import (
    FocusArea,
    ImprovementAction,
    ImprovementPlan,
    PracticeWeek,
    QuickWin,
    User,
)
from qa_app.rules.uk_time import EARLIEST, LATEST


class StaleQuickWin(Exception):
    """The quick win changed since the page was read."""

    def __init__(self, quick_win: QuickWin):
        super().__init__(
            f"Quick win {quick_win.number} was changed by someone else since you opened the "
            "page. Your text is kept below: check it and save again."
        )
        self.quick_win = quick_win


# ---- reading ------------------------------------------------------------------------------


def get_quick_win(week: PracticeWeek, quick_win_id: int) -> QuickWin | None:
    quick_win = db.session.get(QuickWin, quick_win_id)
    return quick_win if quick_win is not None and quick_win.week_id == week.id else None


def quick_win_version(quick_win: QuickWin) -> str:
    """The token a quick-win form carries, compared on save (quick wins have no lock column:
    their last change time serves)."""
    return quick_win.updated_at.isoformat() if quick_win.updated_at else ""


def active_plans() -> list[ImprovementPlan]:
    """The improvement plans a quick win may become an action in, by title."""
    return list(
        db.session.scalars(
            select(ImprovementPlan)
            .where(ImprovementPlan.status == "active")
            .order_by(ImprovementPlan.title)
        )
    )


def owner_choices() -> list[User]:
    """Who may own a quick win: any active account, by display name. Wider than the
    improvement plan's owner_choices (only those who can read the plan), so it is kept apart."""
    return list(db.session.scalars(select(User).where(User.active).order_by(User.display_name)))


# ---- writing ------------------------------------------------------------------------------


def _clean_quick_win(
    week: PracticeWeek,
    description: str | None,
    owner: object,
    due_date: date | None,
    focus_area: FocusArea | None,
) -> dict[str, Any]:
    text = clean_block(description or "", "description", "the quick win").replace("\n", " ")
    if not text:
        raise FindingsError("Enter the quick win", "description")
    if owner is not None and (not isinstance(owner, User) or not owner.active):
        raise FindingsError("Choose an owner from the list of active accounts", "owner")
    if due_date is not None and not EARLIEST <= due_date <= LATEST:
        raise FindingsError("Enter a date between 1900 and 2999", "due_date")
    if focus_area is not None and focus_area.week_id != week.id:
        raise FindingsError("Choose one of this week's focus areas", "focus_area")
    return {
        "description": text,
        "owner_id": owner.id if owner is not None else None,
        "due_date": due_date,
        "focus_area_id": focus_area.id if focus_area is not None else None,
    }


def _quick_win_snapshot(quick_win: QuickWin) -> dict[str, Any]:
    return {
        "number": quick_win.number,
        "description": quick_win.description,
        "owner_id": quick_win.owner_id,
        "due_date": quick_win.due_date.isoformat() if quick_win.due_date else None,
        "focus_area_id": quick_win.focus_area_id,
    }


def add_quick_win(
    week: PracticeWeek,
    *,
    description: str,
    owner: User | None,
    due_date: date | None,
    focus_area: FocusArea | None = None,
    actor: User | None,
) -> QuickWin:
    """A quick win numbered next; commits."""
    refuse_if_published(week)
    clean = _clean_quick_win(week, description, owner, due_date, focus_area)
    number = (
        db.session.scalar(select(func.max(QuickWin.number)).where(QuickWin.week_id == week.id)) or 0
    ) + 1
    quick_win = QuickWin(week_id=week.id, number=number, **clean)
    db.session.add(quick_win)
    db.session.flush()
    changelog.record(
        actor, "practice_week", week.id, "quick_win_added", _quick_win_snapshot(quick_win)
    )
    db.session.commit()
    return quick_win


def update_quick_win(
    quick_win: QuickWin,
    *,
    description: str,
    owner: User | None,
    due_date: date | None,
    focus_area: FocusArea | None = None,
    based_on: str,
    actor: User | None,
) -> QuickWin:
    week = quick_win.week
    if based_on != quick_win_version(quick_win):
        raise StaleQuickWin(quick_win)
    refuse_if_published(week)
    clean = _clean_quick_win(week, description, owner, due_date, focus_area)
    before = _quick_win_snapshot(quick_win)
    for name, value in clean.items():
        setattr(quick_win, name, value)
    changes = changelog.diff(before, _quick_win_snapshot(quick_win))
    if changes:
        changelog.record(
            actor,
            "practice_week",
            week.id,
            "quick_win_updated",
            {"quick_win": quick_win.number, **changes},
        )
    db.session.commit()
    return quick_win


def delete_quick_win(quick_win: QuickWin, *, based_on: str, actor: User | None) -> None:
    """Delete a quick win before publishing (not one already in the plan); the ones after it
    move up a number, so the list stays 1, 2, 3…; commits."""
    week = quick_win.week
    if based_on != quick_win_version(quick_win):
        raise StaleQuickWin(quick_win)
    refuse_if_published(week)
    if quick_win.action_id is not None:
        raise FindingsError(
            "This quick win is already an action in the improvement plan: it cannot be deleted",
            "quick_win",
        )
    number = quick_win.number
    snapshot = _quick_win_snapshot(quick_win)
    db.session.delete(quick_win)
    db.session.flush()
    later = db.session.scalars(
        select(QuickWin)
        .where(QuickWin.week_id == week.id, QuickWin.number > number)
        .order_by(QuickWin.number)
    )
    for other in later:
        other.number -= 1
        db.session.flush()
    changelog.record(actor, "practice_week", week.id, "quick_win_deleted", snapshot)
    db.session.commit()
    db.session.expire(week, ["quick_wins"])


def quick_win_to_action(
    quick_win: QuickWin,
    plan: ImprovementPlan | None,
    *,
    actor: User | None,
    today: date,
    themes: list[str] | None = None,
) -> ImprovementAction:
    """Make the quick win an action in `plan` (source: this practice week; its owner, due date
    and description) and link it; refused if it already is one. One commit for both."""
    week = quick_win.week
    if quick_win.action_id is not None:
        existing = db.session.get(ImprovementAction, quick_win.action_id)
        where = f"action {existing.number} of {existing.plan.title}" if existing else "an action"
        raise FindingsError(f"Quick win {quick_win.number} is already {where}", "plan")
    if plan is None:
        raise FindingsError("Choose an improvement plan", "plan")
    action = create_action(
        plan,
        actor=actor,
        today=today,
        commit=False,
        description=quick_win.description,
        owner=quick_win.owner,
        due_date=quick_win.due_date,
        source_kind="practice_week",
        source_week=week,
        source_note=f"{week.name}: quick win {quick_win.number}"[:300],
        themes=list(themes or []),
    )
    quick_win.action_id = action.id
    changelog.record(
        actor,
        "practice_week",
        week.id,
        "quick_win_to_action",
        {"quick_win": quick_win.number, "plan": plan.id, "action": action.number},
    )
    db.session.commit()
    return action
