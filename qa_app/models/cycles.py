"""Audit cycles (a batch of audits with a purpose and period) and the cases they sample."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_app.models.base import Base, Timestamped, utcnow
from qa_app.models.organisation import Team
from qa_app.models.templates import AuditTemplate


class CycleKind(StrEnum):
    MONTHLY = "monthly"
    THEMED = "themed"
    PRACTICE_WEEK = "practice_week"
    MULTI_AGENCY = "multi_agency"
    FOLLOW_UP = "follow_up"  # re-audits the children of an earlier cycle (follows_cycle_id)


cycle_templates = Table(
    "cycle_templates",
    Base.metadata,
    Column("cycle_id", ForeignKey("audit_cycles.id", ondelete="CASCADE"), primary_key=True),
    Column("template_id", ForeignKey("audit_templates.id"), primary_key=True),
)


class AuditCycle(Timestamped, Base):
    __tablename__ = "audit_cycles"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(30), default=CycleKind.MONTHLY)
    description: Mapped[str] = mapped_column(Text, default="")
    period_start: Mapped[date]
    period_end: Mapped[date]
    due_date: Mapped[date | None]
    theme_focus: Mapped[str | None] = mapped_column(String(60))
    moderation_share: Mapped[int] = mapped_column(default=10)  # percent of audits moderated
    status: Mapped[str] = mapped_column(String(20), default="open")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # A follow-up cycle: the cycle whose children it audits again, and how many months after
    # that cycle's period ended its own period starts.
    follows_cycle_id: Mapped[int | None] = mapped_column(ForeignKey("audit_cycles.id"))
    months_after: Mapped[int | None]

    templates: Mapped[list[AuditTemplate]] = relationship(secondary=cycle_templates)


class Case(Timestamped, Base):
    """A child's case, known only by the authority's own pseudonymous case reference."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_reference: Mapped[str] = mapped_column(String(60), unique=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    worker: Mapped[str | None] = mapped_column(String(120), index=True)  # search by practitioner
    # Optional case facts from a case list: legal status, age band, date opened...
    facts: Mapped[dict] = mapped_column(JSON, default=dict)

    team: Mapped[Team | None] = relationship()


class Sample(Base):
    """A recorded draw from a cycle's case list: the seed and rules reproduce it exactly."""

    __tablename__ = "samples"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(
        ForeignKey("audit_cycles.id", ondelete="CASCADE"), index=True
    )
    seed: Mapped[int]
    # {"per_team": {"count": n} | {"percent": p}, "exclude_months": 12, "template_key": ...}
    rules: Mapped[dict] = mapped_column(JSON)
    drawn_at: Mapped[datetime] = mapped_column(default=utcnow)
    drawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    drawn_count: Mapped[int] = mapped_column(default=0)


class CycleCase(Base):
    """A case on a cycle's case list (its sampling frame); sample_id is set once drawn."""

    __tablename__ = "cycle_cases"
    __table_args__ = (UniqueConstraint("cycle_id", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("audit_cycles.id", ondelete="CASCADE"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    sample_id: Mapped[int | None] = mapped_column(ForeignKey("samples.id"))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship()
