"""People who sign in: accounts, their roles and teams, server-side sessions, the security log."""

from datetime import datetime
from enum import StrEnum
from typing import cast

from sqlalchemy import Column, ForeignKey, Index, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_app.models.base import Base, Timestamped, utcnow
from qa_app.models.organisation import Team


class Role(StrEnum):
    ADMIN = "admin"
    QA_LEAD = "qa_lead"
    MODERATOR = "moderator"
    AUDITOR = "auditor"
    SENIOR_MANAGER = "senior_manager"
    BOARD_VIEWER = "board_viewer"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: "Administrator",
    Role.QA_LEAD: "QA lead",
    Role.MODERATOR: "Moderator",
    Role.AUDITOR: "Auditor",
    Role.SENIOR_MANAGER: "Senior manager",
    Role.BOARD_VIEWER: "Board viewer",
}

user_teams = Table(
    "user_teams",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("team_id", ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
)


class User(Timestamped, Base):
    __tablename__ = "users"
    # One account per person at the council's identity provider (single sign-on).
    __table_args__ = (UniqueConstraint("sso_issuer", "sso_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    active: Mapped[bool] = mapped_column(default=True)
    # Two-step sign-in with an authenticator app (TOTP, RFC 6238): the shared secret (base32),
    # set while enrolling and kept once the first code is confirmed (mfa_enabled_at).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    mfa_enabled_at: Mapped[datetime | None]
    # The last time step whose code was accepted: a code is never accepted twice.
    totp_last_step: Mapped[int | None]
    # Single sign-on (qa_app/auth/sso_routes.py): the identity provider and its `sub` for the
    # person, set at their first council sign-in; such an account has no usable password.
    sso_issuer: Mapped[str | None] = mapped_column(String(255))
    sso_subject: Mapped[str | None] = mapped_column(String(255))

    role_rows: Mapped[list["UserRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    teams: Mapped[list[Team]] = relationship(secondary=user_teams, lazy="selectin")

    # Set by the login machinery on the loaded instance: the token of this request's session.
    session_token = cast(str | None, None)  # not a column: a plain annotation would map it

    @property
    def roles(self) -> set[Role]:
        return {Role(r.role) for r in self.role_rows}

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    # Flask-Login protocol
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str | None:
        return self.session_token


class RecoveryCode(Base):
    """A one-time recovery code for two-step sign-in, stored as a hash; used once."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]


class UserRole(Base):
    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(30))

    user: Mapped[User] = relationship(back_populates="role_rows")


class UserSession(Base):
    """A signed-in session. The cookie holds the token; only its SHA-256 is stored."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(String(40))

    user: Mapped[User] = relationship()


class SecurityEvent(Base):
    """Append-only security log: sign-ins, failures, sign-outs, refusals, account changes."""

    __tablename__ = "security_events"
    __table_args__ = (
        # Counting recent failures per account, per address and per browser (sign_in_throttle).
        Index("ix_security_events_event_username_at", "event", "username", "at"),
        Index("ix_security_events_event_ip_address_at", "event", "ip_address", "at"),
        Index("ix_security_events_event_device_id_at", "event", "device_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    event: Mapped[str] = mapped_column(String(40), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    username: Mapped[str | None] = mapped_column(String(80))
    ip_address: Mapped[str | None] = mapped_column(String(64))
    # The random id of the browser's device cookie (qa_app/auth/device_cookie.py) when it
    # carried a valid one for this account: never the cookie itself.
    device_id: Mapped[str | None] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(String(500))


class ApiToken(Base):
    """A bearer token for the JSON API; it acts with its user's roles. Only its hash is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
