"""Assigning, reassigning and unassigning many audits at once, in two steps: a plan (what
would be stored, shown to the QA lead as a preview) and its confirmation, which recomputes the
plan and refuses it if it is no longer the one previewed (someone assigned or started an audit
in between). Submitted audits are never moved; nobody is given an audit of their own team.

A confirmed plan is ONE change-log event (entity "assignment_batch", its items in `changes`),
and each audit's own history gets an entry that names the batch. A fixed number of queries
whatever the number of audits."""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import selectinload

from qa_app.data import notification_events
from qa_app.data.bulk_balance import OWN_TEAM, balance
from qa_app.data.cycle_assignment import OPEN
from qa_app.extensions import db
from qa_app.models import Audit, AuditCycle, AuditStatus, Case, ChangeLogEntry, Team, User
from qa_app.models.base import utcnow

BATCH = "assignment_batch"
ASSIGNED, REASSIGNED, UNASSIGNED = "bulk_assigned", "bulk_reassigned", "bulk_unassigned"
HOW_WORDS = {
    "by_team": "the unassigned audits of chosen teams, spread evenly",
    "all": "every unassigned audit, spread evenly",
    "capacity": "auditors topped up to a capacity",
    "reassign": "one auditor's open audits given to others",
    "unassign": "made unassigned",
}
REASONS = {
    OWN_TEAM: "every chosen auditor is in the case's team",
    "full": "every chosen auditor who may take it is at the capacity",
    "not_started_only": "it has been started: only not started audits are unassigned",
    "not_open": "it has been submitted",
    "not_assigned": "it has no auditor",
}


class StalePlan(ValueError):
    """The audits changed between the preview and the confirmation."""


@dataclass(frozen=True)
class Row:
    audit_id: int
    cycle_id: int | None
    cycle_name: str
    case_reference: str
    team_id: int | None
    team: str
    status: str
    auditor_id: int | None


@dataclass(frozen=True)
class Move:
    row: Row
    to_id: int | None


@dataclass
class Plan:
    how: str
    action: str
    moves: list[Move] = field(default_factory=list)
    left: list[tuple[Row, str]] = field(default_factory=list)  # (audit, reason key)
    people: dict[int, User] = field(default_factory=dict)
    before: dict[int, int] = field(default_factory=dict)  # open audits per person involved

    @property
    def after(self) -> dict[int, int]:
        counts = dict(self.before)
        for move in self.moves:
            if move.row.auditor_id is not None:
                counts[move.row.auditor_id] = counts.get(move.row.auditor_id, 0) - 1
            if move.to_id is not None:
                counts[move.to_id] = counts.get(move.to_id, 0) + 1
        return counts

    @property
    def fingerprint(self) -> str:
        """What the preview showed, in a few characters: any difference changes it."""
        shown = [
            self.how,
            [(m.row.audit_id, m.row.status, m.row.auditor_id, m.to_id) for m in self.moves],
        ]
        return hashlib.sha256(json.dumps(shown).encode()).hexdigest()[:32]

    def name(self, user_id: int | None) -> str:
        user = self.people.get(user_id) if user_id is not None else None
        return user.display_name if user else "Not assigned"


def _rows(*where: Any, lock: bool = False) -> list[Row]:
    """The audits matching `where`, as plain rows (by case reference), locked for the write
    that follows when `lock` (a confirmation, on PostgreSQL; SQLite's BEGIN IMMEDIATE has
    already locked the database)."""
    stmt = (
        select(
            Audit.id,
            Audit.cycle_id,
            func.coalesce(AuditCycle.name, ""),
            Case.case_reference,
            Case.team_id,
            func.coalesce(Team.name, ""),
            Audit.status,
            Audit.auditor_id,
        )
        .join(Case, Case.id == Audit.case_id)
        .outerjoin(Team, Team.id == Case.team_id)
        .outerjoin(AuditCycle, AuditCycle.id == Audit.cycle_id)
        .where(*where)
        .order_by(Case.case_reference, Audit.id)
    )
    if lock:
        stmt = stmt.with_for_update(of=Audit)
    return [Row(*r) for r in db.session.execute(stmt)]


def cycle_unassigned(
    cycle_id: int, team_ids: list[int] | None = None, lock: bool = False
) -> list[Row]:
    """The cycle's not started audits with no auditor, of `team_ids` (None: every team)."""
    where = [
        Audit.cycle_id == cycle_id,
        Audit.auditor_id.is_(None),
        Audit.status == AuditStatus.NOT_STARTED,
    ]
    if team_ids is not None:
        where.append(Case.team_id.in_(team_ids))
    return _rows(*where, lock=lock)


def unassigned_by_team(cycle_id: int) -> list[tuple[int, str, int]]:
    """(team id, team name, unassigned not started audits) for the cycle, by team name."""
    stmt = (
        select(Team.id, Team.name, func.count())
        .select_from(Audit)
        .join(Case, Case.id == Audit.case_id)
        .join(Team, Team.id == Case.team_id)
        .where(
            Audit.cycle_id == cycle_id,
            Audit.auditor_id.is_(None),
            Audit.status == AuditStatus.NOT_STARTED,
        )
        .group_by(Team.id, Team.name)
        .order_by(Team.name)
    )
    return [(t, n, c) for t, n, c in db.session.execute(stmt)]


def open_audits_of(auditor_id: int, lock: bool = False) -> list[Row]:
    """Everything one auditor has open (not started or in progress), across every cycle."""
    return _rows(Audit.auditor_id == auditor_id, Audit.status.in_(OPEN), lock=lock)


def open_counts_of(user_ids: set[int]) -> dict[int, int]:
    """Open audits of each of `user_ids`, across every cycle (0 for none)."""
    rows = db.session.execute(
        select(Audit.auditor_id, func.count())
        .where(Audit.auditor_id.in_(user_ids), Audit.status.in_(OPEN))
        .group_by(Audit.auditor_id)
    )
    counts = {user_id: 0 for user_id in user_ids}
    counts.update({user_id: count for user_id, count in rows if user_id is not None})
    return counts


def _people(plan: Plan, extra: list[User]) -> None:
    ids = {m.row.auditor_id for m in plan.moves} | {m.to_id for m in plan.moves}
    ids |= {a.id for a in extra}
    ids.discard(None)
    known = {a.id: a for a in extra}
    missing = [i for i in ids if i not in known]
    if missing:
        known.update(
            (u.id, u) for u in db.session.scalars(select(User).where(User.id.in_(missing)))
        )
    plan.people = known
    plan.before = open_counts_of(set(known))


def plan_spread(
    rows: list[Row],
    auditors: list[User],
    *,
    how: str,
    capacity: int | None = None,
    action: str = ASSIGNED,
) -> Plan:
    """Give `rows` to `auditors`, fewest open audits first (bulk_balance), never own-team."""
    plan = Plan(how=how, action=action)
    loads = open_counts_of({a.id for a in auditors})
    for row in rows:  # an audit moving away from a chosen auditor does not count for them
        if row.auditor_id in loads:
            loads[row.auditor_id] -= 1
    shared = balance(
        [(r.audit_id, r.team_id) for r in rows],
        [(a.id, frozenset(t.id for t in a.teams)) for a in auditors],
        loads,
        capacity,
    )
    for row in rows:
        to = shared.placed.get(row.audit_id)
        if to is None:
            plan.left.append((row, shared.unplaced[row.audit_id]))
        elif to != row.auditor_id:
            plan.moves.append(Move(row, to))
    _people(plan, auditors)
    return plan


def plan_reassign(rows: list[Row], auditors: list[User]) -> Plan:
    """One auditor's open audits (`rows`) shared among `auditors` (the same rules)."""
    return plan_spread(rows, auditors, how="reassign", action=REASSIGNED)


def plan_unassign(rows: list[Row]) -> Plan:
    """`rows` made unassigned: only not started audits that have an auditor."""
    plan = Plan(how="unassign", action=UNASSIGNED)
    for row in rows:
        if row.status not in OPEN:
            plan.left.append((row, "not_open"))
        elif row.status != AuditStatus.NOT_STARTED:
            plan.left.append((row, "not_started_only"))
        elif row.auditor_id is None:
            plan.left.append((row, "not_assigned"))
        else:
            plan.moves.append(Move(row, None))
    _people(plan, [])
    return plan


def confirm(plan: Plan, shown: str | None, *, actor: User | None) -> int:
    """Store `plan` (recomputed at confirmation) if it is the one the preview showed; the
    batch's change-log entry id. Raises StalePlan otherwise. Commits."""
    if not plan.moves:
        raise StalePlan(
            "Nothing has been stored: since the preview, someone else assigned, started or "
            "submitted "
            + (
                "the audits it would have moved, so none of them can be moved now (each is "
                "listed below with the reason)"
                if plan.left
                else "every audit it would have moved, so there is nothing left to change"
            )
        )
    if shown != plan.fingerprint:
        raise StalePlan(
            "The audits changed after the preview was made (someone assigned, started or "
            "submitted one). Nothing has been stored: check the new preview below and confirm "
            "it again"
        )
    names = {i: u.username for i, u in plan.people.items()}
    cycles = sorted({m.row.cycle_id for m in plan.moves if m.row.cycle_id is not None})
    items = [
        {
            "audit": m.row.audit_id,
            "case": m.row.case_reference,
            "cycle": m.row.cycle_id,
            "from": names.get(m.row.auditor_id) if m.row.auditor_id else None,
            "to": names.get(m.to_id) if m.to_id else None,
        }
        for m in plan.moves
    ]
    batch = ChangeLogEntry(
        user_id=getattr(actor, "id", None),
        entity_type=BATCH,
        entity_id=str(cycles[0]) if len(cycles) == 1 else "several",
        action=plan.action,
        changes={"how": plan.how, "cycles": cycles, "items": items, "left": len(plan.left)},
    )
    db.session.add(batch)
    db.session.flush()
    db.session.execute(
        update(Audit),
        [
            {"id": m.row.audit_id, "auditor_id": m.to_id, "own_team_override": False}
            for m in plan.moves
        ],
    )
    now: datetime = utcnow()
    db.session.execute(
        insert(ChangeLogEntry),
        [
            {
                "at": now,
                "user_id": batch.user_id,
                "entity_type": "audit",
                "entity_id": str(item["audit"]),
                "action": "unassigned" if item["to"] is None else "assigned",
                "changes": {
                    "auditor": [item["from"], item["to"]],
                    "own_team_override": False,
                    "how": HOW_WORDS[plan.how],
                    "batch": batch.id,
                },
            }
            for item in items
        ],
    )
    given = [m.row.audit_id for m in plan.moves if m.to_id is not None]
    if given:
        audits = db.session.scalars(
            select(Audit)
            .where(Audit.id.in_(given))
            .options(selectinload(Audit.case))
            .execution_options(populate_existing=True)
        ).all()
        names_of_cycles = {m.row.cycle_name for m in plan.moves}
        notification_events.audits_assigned(
            audits,
            actor=actor,
            cycle_name=names_of_cycles.pop() if len(names_of_cycles) == 1 else None,
        )
    db.session.commit()
    return batch.id


def get_batch(batch_id: int) -> ChangeLogEntry | None:
    return db.session.scalar(
        select(ChangeLogEntry).where(
            ChangeLogEntry.id == batch_id, ChangeLogEntry.entity_type == BATCH
        )
    )


def recent_batches(cycle_id: int | None = None, limit: int = 20) -> list[ChangeLogEntry]:
    """The latest batches, newest first: of one cycle, or every batch."""
    stmt = select(ChangeLogEntry).where(ChangeLogEntry.entity_type == BATCH)
    if cycle_id is not None:
        stmt = stmt.where(ChangeLogEntry.entity_id == str(cycle_id))
    return list(db.session.scalars(stmt.order_by(ChangeLogEntry.id.desc()).limit(limit)))


def people_named(usernames: set[str]) -> dict[str, str]:
    """username -> display name, for showing a batch's items."""
    rows = db.session.execute(
        select(User.username, User.display_name).where(User.username.in_(usernames))
    )
    return dict(rows.all())


def display_name(user_id: int | None) -> str:
    """Who made a change, for a page: 'System' for none."""
    user = db.session.get(User, user_id) if user_id is not None else None
    return user.display_name if user else "System"


def others_holding(listed: set[int], counts: dict[int, int]) -> list[User]:
    """People not among `listed` (e.g. a disabled account, or a role taken away) who still
    hold open audits (`counts`: open audits per person), by name."""
    ids = [user_id for user_id, count in counts.items() if count and user_id not in listed]
    if not ids:
        return []
    return list(
        db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.display_name))
    )


def holder(user_id: int) -> User | None:
    """Anyone who may hold audits, a disabled account too (its audits still need an owner)."""
    return db.session.get(User, user_id)
