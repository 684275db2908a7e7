"""Urgent safeguarding concerns raised in an audit. A concern stays open, in front of the QA
lead and the case's team, until it has a response and is signed off; it cannot be deleted."""

from datetime import datetime

from sqlalchemy import ColumnElement, false, or_, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.strategy_options import _AbstractLoad

from qa_app.data import changelog, notification_events
from qa_app.extensions import db
from qa_app.models import Audit, Case, Concern, User, utcnow
from qa_app.rules.permissions import may
from qa_app.rules.uk_time import BankHolidays, add_working_days
from qa_app.templates_engine.answers import clean_text

DEFAULT_WORKING_DAYS = 1


class ConcernError(ValueError):
    pass


def raise_concern(
    audit: Audit,
    description: str,
    *,
    actor: User,
    working_days: int = DEFAULT_WORKING_DAYS,
    calendar: BankHolidays | None = None,
) -> Concern:
    """The concern, due `working_days` working days from now at the same UK time of day
    (weekends and `calendar`'s bank holidays skipped)."""
    description = clean_text(description or "").strip()
    if not description:
        raise ConcernError("Describe the concern: what you found and why it is urgent")
    concern = Concern(
        audit_id=audit.id,
        raised_by_id=actor.id,
        description=description,
        respond_by=add_working_days(utcnow(), working_days, calendar),
    )
    db.session.add(concern)
    db.session.flush()
    changelog.record(
        actor,
        "concern",
        concern.id,
        "raised",
        {"audit": audit.id, "respond_by": concern.respond_by.isoformat()},
    )
    changelog.record(actor, "audit", audit.id, "concern_raised", {"concern": concern.id})
    # in the same transaction: the concern and the messages about it are stored together
    notification_events.concern_raised(concern, audit.case, working_days=working_days, actor=actor)
    db.session.commit()
    return concern


def _load() -> tuple[_AbstractLoad, ...]:
    return (selectinload(Concern.audit).selectinload(Audit.case).selectinload(Case.team),)


def visible_filter(user: User) -> ColumnElement[bool]:
    """A WHERE clause (over Concern joined to its Audit and Case) limiting concerns to those
    `user` may see: QA leads every concern; a team's people those on their team's cases and
    those they raised; nobody else any."""
    if may(user, "sign_off_concerns"):
        return Concern.id.is_not(None)
    if not may(user, "do_audits"):
        return false()
    team_ids = [t.id for t in user.teams]
    mine = Concern.raised_by_id == user.id
    return or_(Case.team_id.in_(team_ids), mine) if team_ids else mine


def visible_to(user: User, *, open_only: bool = True) -> list[Concern]:
    """QA leads see every concern; a team's people see those on their team's cases."""
    stmt = (
        select(Concern)
        .join(Audit, Audit.id == Concern.audit_id)
        .join(Case, Case.id == Audit.case_id)
        .where(visible_filter(user))
    )
    if open_only:
        stmt = stmt.where(Concern.signed_off_at.is_(None))
    return list(db.session.scalars(stmt.options(*_load()).order_by(Concern.respond_by)))


def for_audit(audit: Audit) -> list[Concern]:
    return list(
        db.session.scalars(select(Concern).where(Concern.audit_id == audit.id).order_by(Concern.id))
    )


def get(concern_id: int) -> Concern | None:
    return db.session.scalar(select(Concern).where(Concern.id == concern_id).options(*_load()))


def can_respond(user: User, concern: Concern) -> bool:
    if may(user, "sign_off_concerns"):
        return True
    team = concern.audit.case.team_id
    return may(user, "do_audits") and team is not None and team in {t.id for t in user.teams}


def respond(concern: Concern, response: str, *, actor: User) -> None:
    response = clean_text(response or "").strip()
    if not response:
        raise ConcernError("Say what has been done to keep the child safe")
    if concern.signed_off_at:
        raise ConcernError("This concern has been signed off")
    old = concern.response
    concern.response, concern.responded_by_id, concern.responded_at = response, actor.id, utcnow()
    changelog.record(actor, "concern", concern.id, "responded", {"response": [old, response]})
    db.session.commit()


def response_stamp(concern: Concern) -> str:
    """Identifies the response a person read, so a sign-off is of the response they saw."""
    return concern.responded_at.isoformat() if concern.responded_at else ""


def sign_off(concern: Concern, *, actor: User, seen: str | None = None) -> None:
    """Sign off. `seen` is the response_stamp of the page the person read: if the response
    has changed since, the sign-off is refused so they read it first."""
    if not concern.response:
        raise ConcernError("A concern needs a response before it can be signed off")
    if seen is not None and seen != response_stamp(concern):
        raise ConcernError(
            "The response has changed since you opened the page: read it again before signing off"
        )
    if concern.signed_off_at:
        return
    concern.signed_off_by_id, concern.signed_off_at = actor.id, utcnow()
    changelog.record(actor, "concern", concern.id, "signed_off")
    db.session.commit()


def is_overdue(concern: Concern, now: datetime | None = None) -> bool:
    return concern.signed_off_at is None and (now or utcnow()) > concern.respond_by
