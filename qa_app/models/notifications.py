"""Notifications: one row is both the in-app list entry and the email outbox entry, and each
person's choice of how they hear about each kind. The kinds themselves (what each is, whether
it may be turned off) are the KINDS table below.

A row holds facts, never case free text: its kind, small parameters (a case reference only
where the recipient may see the case, a cycle's name, a due date, a count), a link (a path into
the app) and when it is due. The wording is rendered from the council's message templates
(email_templates/) when it is shown or sent. Its email delivery is a small state machine:

    pending --claim--> sending --relay accepted--> sent
       ^                  |
       +--- failed try ---+ (attempts + 1, next try after a back-off)   --too many--> failed
    not_sent: in the app only (the person's choice), no address, or email not set up
    daily_digest / weekly_digest --digest written--> in_digest (carried by the digest row)
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from qa_app.models.base import Base, utcnow
from qa_app.models.users import User


class EmailState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    NOT_SENT = "not_sent"
    DAILY_DIGEST = "daily_digest"
    WEEKLY_DIGEST = "weekly_digest"
    IN_DIGEST = "in_digest"


EMAIL_STATE_LABELS = {
    EmailState.PENDING: "Waiting to be sent",
    EmailState.SENDING: "Being sent",
    EmailState.SENT: "Sent",
    EmailState.FAILED: "Failed",
    EmailState.NOT_SENT: "Not emailed",
    EmailState.DAILY_DIGEST: "Waiting for the daily digest",
    EmailState.WEEKLY_DIGEST: "Waiting for the weekly digest",
    EmailState.IN_DIGEST: "Sent in a digest",
}


class Mode(StrEnum):
    """How a person hears about a kind of notification."""

    OFF = "off"
    APP = "app"  # in the app only
    EMAIL = "email"  # in the app, and by email at once
    DAILY = "daily"  # in the app, and by email in a daily digest
    WEEKLY = "weekly"  # in the app, and by email in a weekly digest


MODE_LABELS = {
    Mode.OFF: "Off",
    Mode.APP: "In the app only",
    Mode.EMAIL: "In the app and by email at once",
    Mode.DAILY: "In the app and by email in a daily digest",
    Mode.WEEKLY: "In the app and by email in a weekly digest",
}


@dataclass(frozen=True)
class Kind:
    key: str
    label: str  # what the person chooses about, on the preferences page
    urgent: bool = False  # cannot be turned off or delayed: always by email at once
    default: Mode = Mode.EMAIL
    choosable: bool = True  # shown on the preferences page


KINDS = {
    k.key: k
    for k in (
        Kind("concern_raised", "An urgent concern is raised on a case you respond for", True),
        Kind("concern_escalated", "An urgent concern is past its deadline with no response", True),
        Kind("audit_assigned", "An audit is given to you"),
        Kind("audit_due_soon", "An audit of yours is due soon"),
        Kind("audit_overdue", "An audit of yours is overdue"),
        Kind("audit_moderated", "An audit of yours has been moderated"),
        Kind("response_requested", "A practitioner's response to your audit is wanted"),
        Kind("action_due_soon", "An improvement action you own is due soon"),
        Kind("action_overdue", "An improvement action you own is overdue"),
        Kind("report_published", "A report or a practice week's findings are published to you"),
        Kind("digest", "Your digest of notifications", default=Mode.EMAIL, choosable=False),
    )
}
URGENT_KINDS = frozenset(k for k, kind in KINDS.items() if kind.urgent)


def effective_mode(kind: str, chosen: str | None) -> Mode:
    """The mode that applies: an urgent kind is always by email at once, whatever is stored."""
    spec = KINDS[kind]
    if spec.urgent:
        return Mode.EMAIL
    return Mode(chosen) if chosen else spec.default


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        # the delivery round's claim: pending rows whose next try is due
        Index("ix_notifications_email_state_next", "email_state", "email_next_at"),
        # a person's list, newest first, and their unread count
        Index("ix_notifications_user_created", "user_id", "created_at"),
        Index("ix_notifications_user_read", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    urgent: Mapped[bool] = mapped_column(default=False)
    # Small facts the message is worded from (no case free text): see the module docstring.
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    link: Mapped[str] = mapped_column(String(300), default="/")
    due_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The same notification is never written twice, e.g. audit_overdue:audit:12:user:7:2026-12-07
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    read_at: Mapped[datetime | None]

    email_state: Mapped[str] = mapped_column(String(20), default=EmailState.PENDING)
    email_attempts: Mapped[int] = mapped_column(default=0)
    email_next_at: Mapped[datetime | None]
    # The lease: which scheduler claimed the row, and until when (then another may take it).
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    claimed_until: Mapped[datetime | None]
    # Why it was not sent, or the last delivery error: short, never a secret.
    email_note: Mapped[str] = mapped_column(String(300), default="")
    sent_at: Mapped[datetime | None]
    # The digest notification that carried this one, once it has.
    digest_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="SET NULL"), index=True
    )

    user: Mapped[User] = relationship()


class NotificationPreference(Base):
    """A person's choice for one kind; no row means the kind's default."""

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    mode: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @validates("kind", "mode")
    def _urgent_is_always_email(self, key, value):
        """An urgent kind cannot be turned off, kept to the app or delayed to a digest."""
        kind = value if key == "kind" else self.kind
        mode = value if key == "mode" else self.mode
        if kind is not None and kind not in KINDS:
            raise ValueError(f"unknown kind of notification {kind!r}")
        if mode is not None:
            Mode(mode)
            if kind in URGENT_KINDS and mode != Mode.EMAIL:
                raise ValueError(f"{KINDS[kind].label}: always by email at once")
        return value
