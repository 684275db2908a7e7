"""Practice weeks: a week when senior managers observe meetings, shadow practitioners, audit
children's records with the worker and hear from families and staff. The week has focus areas,
participating managers, a schedule of activities (each recorded against a template where it
has one), and ends in headline findings per area, numbered quick wins and the audit themes."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_app.models.base import Base, Timestamped
from qa_app.models.cycles import AuditCycle
from qa_app.models.organisation import Team
from qa_app.models.templates import TemplateVersion
from qa_app.models.users import User


class ActivityKind(StrEnum):
    OBSERVE_MEETING = "observe_meeting"
    SHADOW = "shadow"
    AUDIT_RECORD = "audit_record"  # audit a child's record with the worker: a case audit
    CONVERSATION = "conversation"  # with a family or staff, on a consent record

    @property
    def label(self) -> str:
        return ACTIVITY_KIND_LABELS[self]


ACTIVITY_KIND_LABELS = {
    ActivityKind.OBSERVE_MEETING: "Observe a meeting",
    ActivityKind.SHADOW: "Shadow a practitioner",
    ActivityKind.AUDIT_RECORD: "Audit a child's record with the worker",
    ActivityKind.CONVERSATION: "Conversation with a family or staff",
}


class MeetingType(StrEnum):
    STRATEGY = "strategy_meeting"
    ICPC = "icpc"
    RCPC = "rcpc"
    CIN_REVIEW = "cin_review"
    LAC_REVIEW = "lac_review"
    SUPERVISION = "supervision"

    @property
    def label(self) -> str:
        return MEETING_TYPE_LABELS[self]


MEETING_TYPE_LABELS = {
    MeetingType.STRATEGY: "Strategy meeting",
    MeetingType.ICPC: "Initial child protection conference",
    MeetingType.RCPC: "Review child protection conference",
    MeetingType.CIN_REVIEW: "Child in need review",
    MeetingType.LAC_REVIEW: "Looked-after child review",
    MeetingType.SUPERVISION: "Supervision",
}


class ActivityStatus(StrEnum):
    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"


class FindingsStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


practice_week_managers = Table(
    "practice_week_managers",
    Base.metadata,
    Column("week_id", ForeignKey("practice_weeks.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class PracticeWeek(Timestamped, Base):
    __tablename__ = "practice_weeks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    purpose: Mapped[str] = mapped_column(Text, default="")
    # The week's own audit cycle (kind practice_week): the records audited with the worker.
    cycle_id: Mapped[int | None] = mapped_column(
        ForeignKey("audit_cycles.id", ondelete="SET NULL"), unique=True
    )
    # The findings: drafted from the data, edited, then published with a frozen snapshot.
    findings_status: Mapped[str] = mapped_column(String(20), default=FindingsStatus.DRAFT)
    themes_summary: Mapped[str] = mapped_column(Text, default="")  # key findings, one a line
    figures: Mapped[dict | None] = mapped_column(JSON)  # frozen when the findings are published
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lock_version: Mapped[int] = mapped_column(default=1)

    cycle: Mapped[AuditCycle | None] = relationship()
    managers: Mapped[list[User]] = relationship(
        secondary=practice_week_managers, order_by=User.display_name
    )
    focus_areas: Mapped[list["FocusArea"]] = relationship(
        back_populates="week", order_by="FocusArea.number"
    )
    quick_wins: Mapped[list["QuickWin"]] = relationship(
        back_populates="week", order_by="QuickWin.number"
    )


class FocusArea(Timestamped, Base):
    """An area the week looks at (e.g. "The front door: MASH and initial response"), with the
    headline findings drafted for it, one a line."""

    __tablename__ = "practice_week_focus_areas"
    __table_args__ = (UniqueConstraint("week_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    week_id: Mapped[int] = mapped_column(ForeignKey("practice_weeks.id", ondelete="CASCADE"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    headlines: Mapped[str] = mapped_column(Text, default="")

    week: Mapped[PracticeWeek] = relationship(back_populates="focus_areas")


class Activity(Timestamped, Base):
    """One scheduled activity of the week, and what the manager recorded of it."""

    __tablename__ = "practice_week_activities"
    __table_args__ = (
        Index("ix_practice_week_activities_week_day", "week_id", "scheduled_on"),
        Index("ix_practice_week_activities_manager", "manager_id", "scheduled_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    week_id: Mapped[int] = mapped_column(ForeignKey("practice_weeks.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    meeting_type: Mapped[str | None] = mapped_column(String(30))
    focus_area_id: Mapped[int | None] = mapped_column(
        ForeignKey("practice_week_focus_areas.id", ondelete="SET NULL")
    )
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    scheduled_on: Mapped[date]
    scheduled_time: Mapped[str] = mapped_column(String(5), default="")  # "09:30" or ""
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    # Where and what, without names: e.g. "ICPC, Riverside office".
    details: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(20), default=ActivityStatus.PLANNED)
    # Observation and shadowing: the template version recorded against, and what was recorded.
    template_version_id: Mapped[int | None] = mapped_column(ForeignKey("template_versions.id"))
    answers: Mapped[dict] = mapped_column(JSON, default=dict)  # question key -> value
    theme_marks: Mapped[dict] = mapped_column(JSON, default=dict)  # theme key -> mark
    # Auditing a record with the worker: the case audit in the week's cycle.
    audit_id: Mapped[int | None] = mapped_column(
        ForeignKey("audits.id", ondelete="SET NULL"), index=True
    )
    # Conversations: with whom (child, parent or carer, staff), and the consent record.
    participant: Mapped[str | None] = mapped_column(String(30))
    consent_given: Mapped[bool | None]
    consent_how: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")  # what was seen or heard
    recorded_at: Mapped[datetime | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lock_version: Mapped[int] = mapped_column(default=1)

    week: Mapped[PracticeWeek] = relationship()
    focus_area: Mapped[FocusArea | None] = relationship()
    manager: Mapped[User | None] = relationship(foreign_keys=[manager_id])
    team: Mapped[Team | None] = relationship()
    template_version: Mapped[TemplateVersion | None] = relationship()


class QuickWin(Timestamped, Base):
    """A numbered quick win of the week, with an owner and a date; turned into an
    improvement-plan action in one step (action_id is then set)."""

    __tablename__ = "practice_week_quick_wins"
    __table_args__ = (UniqueConstraint("week_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    week_id: Mapped[int] = mapped_column(ForeignKey("practice_weeks.id", ondelete="CASCADE"))
    number: Mapped[int]
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    due_date: Mapped[date | None]
    focus_area_id: Mapped[int | None] = mapped_column(
        ForeignKey("practice_week_focus_areas.id", ondelete="SET NULL")
    )
    action_id: Mapped[int | None] = mapped_column(
        ForeignKey("improvement_actions.id", ondelete="SET NULL")
    )

    week: Mapped[PracticeWeek] = relationship(back_populates="quick_wins")
    owner: Mapped[User | None] = relationship()
