"""The improvement plan: plans, their priorities, numbered actions with an owner, a due date and
a RAG status, the findings each action answers (its source and the themes it targets), and the
dated progress updates its owner writes. Every write is in the change log as well."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_app.models.base import Base, Timestamped, utcnow
from qa_app.models.cycles import AuditCycle
from qa_app.models.users import User


class ActionStatus(StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    COMPLETE = "complete"

    @property
    def label(self) -> str:
        return ACTION_STATUS_LABELS[self]

    @property
    def rag(self) -> str:
        """The RAG colour a status is shown in: red, amber, green, blue (complete) or grey."""
        return ACTION_STATUS_RAG[self]


def action_status(value: str) -> ActionStatus | None:
    """The status a stored value names, or None for a value no status has."""
    try:
        return ActionStatus(value)
    except ValueError:
        return None


ACTION_STATUS_LABELS = {
    ActionStatus.NOT_STARTED: "Not started",
    ActionStatus.ON_TRACK: "On track",
    ActionStatus.AT_RISK: "At risk",
    ActionStatus.OFF_TRACK: "Off track",
    ActionStatus.COMPLETE: "Complete",
}
ACTION_STATUS_RAG = {
    ActionStatus.NOT_STARTED: "grey",
    ActionStatus.ON_TRACK: "green",
    ActionStatus.AT_RISK: "amber",
    ActionStatus.OFF_TRACK: "red",
    ActionStatus.COMPLETE: "blue",
}


class ActionSource(StrEnum):
    """What an action answers."""

    AUDIT_CYCLE = "audit_cycle"
    PRACTICE_WEEK = "practice_week"
    BOARD = "board"  # a safeguarding board (partnership) recommendation
    INSPECTION = "inspection"
    OTHER = "other"

    @property
    def label(self) -> str:
        return ACTION_SOURCE_LABELS[self]


ACTION_SOURCE_LABELS = {
    ActionSource.AUDIT_CYCLE: "An audit cycle",
    ActionSource.PRACTICE_WEEK: "A practice week",
    ActionSource.BOARD: "A safeguarding board recommendation",
    ActionSource.INSPECTION: "An inspection",
    ActionSource.OTHER: "Other",
}


class ImprovementPlan(Timestamped, Base):
    __tablename__ = "improvement_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default="active")  # active | closed
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    priorities: Mapped[list["Priority"]] = relationship(
        back_populates="plan", order_by="Priority.number"
    )


class Priority(Timestamped, Base):
    """A plan's priority (e.g. "1. Quality of assessments"), grouping its actions."""

    __tablename__ = "improvement_priorities"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("improvement_plans.id", ondelete="CASCADE"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    plan: Mapped[ImprovementPlan] = relationship(back_populates="priorities")


class ImprovementAction(Timestamped, Base):
    """A numbered action. Its number is unique within the plan and never reused."""

    __tablename__ = "improvement_actions"
    __table_args__ = (
        UniqueConstraint("plan_id", "number"),
        Index("ix_improvement_actions_owner_status", "owner_id", "status"),
        Index("ix_improvement_actions_status_due", "status", "due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("improvement_plans.id", ondelete="CASCADE"))
    priority_id: Mapped[int | None] = mapped_column(
        ForeignKey("improvement_priorities.id", ondelete="SET NULL"), index=True
    )
    number: Mapped[int]
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    due_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default=ActionStatus.NOT_STARTED)
    # When work on the action began: the impact figures compare before and since this day.
    started_on: Mapped[date | None]
    completed_on: Mapped[date | None]
    source_kind: Mapped[str] = mapped_column(String(30), default=ActionSource.OTHER)
    source_cycle_id: Mapped[int | None] = mapped_column(
        ForeignKey("audit_cycles.id", ondelete="SET NULL"), index=True
    )
    source_week_id: Mapped[int | None] = mapped_column(
        ForeignKey("practice_weeks.id", ondelete="SET NULL"), index=True
    )
    # Free words for a source with no record here, e.g. "Ofsted ILACS 2026, recommendation 3".
    source_note: Mapped[str] = mapped_column(String(300), default="")
    themes: Mapped[list] = mapped_column(JSON, default=list)  # theme keys it targets
    expected_outcome: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lock_version: Mapped[int] = mapped_column(default=1)

    plan: Mapped[ImprovementPlan] = relationship()
    priority: Mapped[Priority | None] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    source_cycle: Mapped[AuditCycle | None] = relationship()
    updates: Mapped[list["ActionUpdate"]] = relationship(
        back_populates="action", order_by="ActionUpdate.id"
    )


class ActionUpdate(Base):
    """A dated progress note on an action, with the status it moved from and to (if it did)."""

    __tablename__ = "improvement_action_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey("improvement_actions.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(default=utcnow)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    status_from: Mapped[str | None] = mapped_column(String(20))
    status_to: Mapped[str | None] = mapped_column(String(20))

    action: Mapped[ImprovementAction] = relationship(back_populates="updates")
    author: Mapped[User | None] = relationship()
