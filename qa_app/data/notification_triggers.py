"""What the scheduled round finds due, with set-based queries (one per kind of reminder, never
one per audit, action or person): audits and improvement actions due soon or overdue (to the
auditor or owner), and urgent concerns past their deadline with no response (escalated to the
roles the council names). Each query leaves out what was already written (the dedupe key,
built in SQL, is looked up in its unique index), so a round over a quiet database writes
nothing and reads little. Dates are the council's (UK dates, its working days)."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from typing import cast

from sqlalchemy import ColumnElement, Result, exists, select
from sqlalchemy.orm import InstrumentedAttribute

from qa_app.data.notifications import Draft, active_users_with_roles, key_expr, write
from qa_app.extensions import db
from qa_app.models import (
    ActionStatus,
    Audit,
    AuditCycle,
    AuditStatus,
    Case,
    Concern,
    ImprovementAction,
    ImprovementPlan,
    Notification,
    User,
    UserRole,
)
from qa_app.models.users import user_teams
from qa_app.rules.permissions import PERMISSIONS
from qa_app.rules.uk_time import LONDON, BankHolidays, working_days_between

OPEN_AUDIT = (AuditStatus.NOT_STARTED, AuditStatus.IN_PROGRESS)
CHUNK = 500


def _start_of(day: date) -> datetime:
    """The UK midnight starting `day`, as UTC: when a thing due that day is shown as due."""
    return datetime.combine(day, time(0), tzinfo=LONDON).astimezone(UTC)


def _new(key: ColumnElement[str]) -> ColumnElement[bool]:
    return ~exists().where(Notification.dedupe_key == key)


def _window(
    kind: str, due_column: InstrumentedAttribute[date | None], *, today: date, soon_until: date
) -> ColumnElement[bool]:
    if kind.endswith("overdue"):
        return due_column < today
    return due_column.between(today, soon_until)


# ---- audits ---------------------------------------------------------------------------------


def due_audits(
    kind: str, *, today: date, soon_until: date, calendar: BankHolidays | None = None
) -> int:
    """audit_due_soon (due from today to `soon_until`) or audit_overdue (due before today), for
    open audits with an active auditor; once per audit, auditor and due date."""
    key = key_expr(f"{kind}:audit:", Audit.id, ":user:", Audit.auditor_id, ":", Audit.due_date)
    # joined to its auditor and due in the window: neither the auditor nor the date is None
    rows = cast(
        Result[int, int, date, str, str | None, str],
        db.session.execute(
            select(
                Audit.id,
                Audit.auditor_id,
                Audit.due_date,
                Case.case_reference,
                AuditCycle.name,
                key.label("key"),
            )
            .join(Case, Case.id == Audit.case_id)
            .join(User, User.id == Audit.auditor_id)
            .outerjoin(AuditCycle, AuditCycle.id == Audit.cycle_id)
            .where(
                User.active.is_(True),
                Audit.status.in_(OPEN_AUDIT),
                _window(kind, Audit.due_date, today=today, soon_until=soon_until),
                _new(key),
            )
        ),
    )
    return write(
        Draft(
            auditor_id,
            kind,
            dedupe_key,
            f"/audits/{audit_id}",
            {
                "case_reference": reference,
                "cycle": cycle,
                "due_date": due.isoformat(),
                "working_days": _working_days_apart(today, due, calendar),
            },
            due_at=_start_of(due),
        )
        for audit_id, auditor_id, due, reference, cycle, dedupe_key in rows
    )


def _working_days_apart(today: date, due: date, calendar: BankHolidays | None) -> int:
    """Working days until `due` (or since it, once it has passed)."""
    if due >= today:
        return working_days_between(today, due, calendar)
    return working_days_between(due, today, calendar)


# ---- improvement actions --------------------------------------------------------------------


def due_actions(
    kind: str, *, today: date, soon_until: date, calendar: BankHolidays | None = None
) -> int:
    """action_due_soon / action_overdue for actions not complete, in active plans, with an
    active owner; once per action, owner and due date."""
    owner = ImprovementAction.owner_id
    due_col = ImprovementAction.due_date
    key = key_expr(f"{kind}:action:", ImprovementAction.id, ":user:", owner, ":", due_col)
    # joined to its owner and due in the window: neither the owner nor the date is None
    rows = cast(
        Result[int, int, date, int, str, str],
        db.session.execute(
            select(
                ImprovementAction.id,
                owner,
                due_col,
                ImprovementAction.number,
                ImprovementPlan.title,
                key.label("key"),
            )
            .join(ImprovementPlan, ImprovementPlan.id == ImprovementAction.plan_id)
            .join(User, User.id == owner)
            .where(
                User.active.is_(True),
                ImprovementPlan.status == "active",
                ImprovementAction.status != ActionStatus.COMPLETE,
                _window(kind, due_col, today=today, soon_until=soon_until),
                _new(key),
            )
        ),
    )
    return write(
        Draft(
            owner_id,
            kind,
            dedupe_key,
            f"/improvement/actions/{action_id}",
            {
                "number": number,
                "plan": plan,
                "due_date": due.isoformat(),
                "working_days": _working_days_apart(today, due, calendar),
            },
            due_at=_start_of(due),
        )
        for action_id, owner_id, due, number, plan, dedupe_key in rows
    )


# ---- urgent concerns past their deadline ------------------------------------------------------


def _people(roles: Iterable[str]) -> dict[int, tuple[set[str], set[int]]]:
    """{user id: (roles, team ids)} of the active accounts holding any of `roles`."""
    ids = active_users_with_roles(roles)
    people: dict[int, tuple[set[str], set[int]]] = defaultdict(lambda: (set(), set()))
    for user_id, role in db.session.execute(
        select(UserRole.user_id, UserRole.role).where(UserRole.user_id.in_(ids))
    ):
        people[user_id][0].add(role)
    for user_id, team_id in db.session.execute(
        select(user_teams.c.user_id, user_teams.c.team_id).where(user_teams.c.user_id.in_(ids))
    ):
        if user_id in people:
            people[user_id][1].add(team_id)
    return dict(people)


def _holds(roles: set[str], permission: str) -> bool:
    return bool(roles & {r.value for r in PERMISSIONS[permission]})


def _where_to_look(
    roles: set[str], teams: set[int], concern_id: int, audit_id: int, team_id: int | None
) -> tuple[str, bool]:
    """(link, may see the case reference) for one recipient of an escalation."""
    if _holds(roles, "sign_off_concerns") or (
        _holds(roles, "do_audits") and team_id is not None and team_id in teams
    ):
        return f"/concerns/{concern_id}", True
    if _holds(roles, "view_all_audits"):
        return f"/audits/{audit_id}", True
    return "/notifications", False


def escalate_concerns(*, now: datetime, roles: list[str]) -> int:
    """concern_escalated, once per concern and person, to the active holders of `roles` for
    every concern past its respond-by time with no response and not signed off. Three queries
    (the concerns, the people, their teams) and one INSERT; a key already written is skipped
    by the database."""
    if not roles:
        return 0
    overdue = db.session.execute(
        select(Concern.id, Concern.audit_id, Concern.respond_by, Case.case_reference, Case.team_id)
        .join(Audit, Audit.id == Concern.audit_id)
        .join(Case, Case.id == Audit.case_id)
        .where(
            Concern.respond_by < now,
            Concern.responded_at.is_(None),
            Concern.signed_off_at.is_(None),
        )
    ).all()
    if not overdue:
        return 0
    people = _people(roles)
    drafts = []
    for concern_id, audit_id, respond_by, reference, team_id in overdue:
        for user_id, (held, teams) in people.items():
            link, sees_case = _where_to_look(held, teams, concern_id, audit_id, team_id)
            params = {"respond_by": respond_by.isoformat()}
            if sees_case:
                params["case_reference"] = reference
            drafts.append(
                Draft(
                    user_id,
                    "concern_escalated",
                    f"concern_escalated:concern:{concern_id}:user:{user_id}",
                    link,
                    params,
                    due_at=respond_by,
                )
            )
    return write(_not_written(drafts))


def _not_written(drafts: list[Draft]) -> list[Draft]:
    """The drafts whose key is not stored yet (a query per CHUNK keys)."""
    keys = [d.dedupe_key for d in drafts]
    stored: set[str] = set()
    for start in range(0, len(keys), CHUNK):
        stored.update(
            db.session.scalars(
                select(Notification.dedupe_key).where(
                    Notification.dedupe_key.in_(keys[start : start + CHUNK])
                )
            )
        )
    return [d for d in drafts if d.dedupe_key not in stored]
