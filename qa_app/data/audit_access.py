"""Who may see and change which audit. One place, used by pages, the API and exports.

Auditors see their own audits and the audits of the cycles they audit in; QA leads, moderators
and senior managers see all; board viewers and administrators see none. Only the assigned
auditor edits an audit, and only until it is submitted; its auditor, moderators and QA leads
add actions and practitioners' responses to it."""

from sqlalchemy import ColumnElement, or_, select

from qa_app.extensions import db
from qa_app.models import Audit, AuditStatus, User
from qa_app.rules.permissions import may


def visible_filter(user: User) -> ColumnElement[bool]:
    """A WHERE clause limiting Audit rows to those `user` may see."""
    if may(user, "view_all_audits"):
        return Audit.id.is_not(None)
    if may(user, "do_audits"):
        my_cycles = select(Audit.cycle_id).where(
            Audit.auditor_id == user.id, Audit.cycle_id.is_not(None)
        )
        return or_(Audit.auditor_id == user.id, Audit.cycle_id.in_(my_cycles))
    return Audit.id.is_(None)


def can_view(user: User, audit: Audit) -> bool:
    if may(user, "view_all_audits"):
        return True
    if not may(user, "do_audits"):
        return False
    if audit.auditor_id == user.id:
        return True
    return (
        audit.cycle_id is not None
        and db.session.scalar(
            select(Audit.id)
            .where(Audit.cycle_id == audit.cycle_id, Audit.auditor_id == user.id)
            .limit(1)
        )
        is not None
    )


def can_edit(user: User, audit: Audit) -> bool:
    return (
        audit.auditor_id == user.id
        and may(user, "do_audits")
        and audit.status in (AuditStatus.NOT_STARTED, AuditStatus.IN_PROGRESS)
    )


def can_annotate(user: User, audit: Audit) -> bool:
    """Who may add actions for the case and practitioners' responses to an audit: its auditor,
    moderators and QA leads (not every colleague who can read it)."""
    return (audit.auditor_id == user.id and may(user, "do_audits")) or may(user, "moderate")
