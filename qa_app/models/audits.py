"""Case audits and everything recorded in one: answers (including repeat-group answers),
section grades, theme marks, actions for the case, urgent concerns and moderation."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_app.models.base import Base, Timestamped, utcnow
from qa_app.models.cycles import AuditCycle, Case
from qa_app.models.templates import TemplateVersion
from qa_app.models.users import User


class AuditStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    MODERATED = "moderated"


class ThemeMarkValue(StrEnum):
    STRENGTH = "strength"
    DEVELOPMENT = "development"
    NOT_SEEN = "not_seen"
    NOT_ASSESSED = "not_assessed"  # the audit did not look at the theme: never counted


OVERALL = "__overall__"  # the section key used for the overall grade in moderation grades


class Audit(Timestamped, Base):
    __tablename__ = "audits"
    __table_args__ = (
        Index("ix_audits_cycle_id_status", "cycle_id", "status"),
        Index("ix_audits_submitted_at", "submitted_at"),  # findings for a period
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("audit_cycles.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    template_version_id: Mapped[int] = mapped_column(ForeignKey("template_versions.id"), index=True)
    auditor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=AuditStatus.NOT_STARTED)
    due_date: Mapped[date | None]
    started_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    overall_grade: Mapped[str | None] = mapped_column(String(60))
    overall_rationale: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    practitioner_comments: Mapped[str] = mapped_column(Text, default="")
    moderation_requested: Mapped[bool] = mapped_column(default=False)
    # The QA lead assigned this auditor a case from their own team, knowingly.
    own_team_override: Mapped[bool] = mapped_column(default=False)
    # Optimistic concurrency: a save must name the version it was based on.
    lock_version: Mapped[int] = mapped_column(default=1)

    cycle: Mapped[AuditCycle | None] = relationship()
    case: Mapped[Case] = relationship()
    template_version: Mapped[TemplateVersion] = relationship()
    auditor: Mapped[User | None] = relationship()


class Answer(Base):
    """One answer. Outside a repeat group, group_key is '' and block_index 0; inside one,
    group_key is the repeat question's key and block_label the block's option (e.g. police)."""

    __tablename__ = "answers"
    __table_args__ = (
        UniqueConstraint("audit_id", "group_key", "block_index", "question_key"),
        # No index may hold value_text: free text can exceed PostgreSQL's B-tree row limit.
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"))
    group_key: Mapped[str] = mapped_column(String(60), default="")
    block_index: Mapped[int] = mapped_column(default=0)
    block_label: Mapped[str] = mapped_column(String(60), default="")
    question_key: Mapped[str] = mapped_column(String(60))
    value_text: Mapped[str | None] = mapped_column(Text)  # grade/choice key, yes/partly/no, text
    value_number: Mapped[float | None]
    value_date: Mapped[date | None]
    value_choices: Mapped[list | None] = mapped_column(JSON)  # multiple choice keys


class SectionGrade(Base):
    __tablename__ = "section_grades"
    __table_args__ = (
        UniqueConstraint("audit_id", "section_key"),
        # covers the findings' grade counts: no table lookups
        Index("ix_section_grades_findings", "audit_id", "section_key", "grade"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"))
    section_key: Mapped[str] = mapped_column(String(60))
    grade: Mapped[str | None] = mapped_column(String(60))
    rationale: Mapped[str] = mapped_column(Text, default="")


class ThemeMark(Base):
    __tablename__ = "theme_marks"
    __table_args__ = (
        UniqueConstraint("audit_id", "theme_key"),
        # covers the findings' theme counts: no table lookups
        Index("ix_theme_marks_findings", "audit_id", "theme_key", "mark"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"))
    theme_key: Mapped[str] = mapped_column(String(60))
    mark: Mapped[str] = mapped_column(String(20), default=ThemeMarkValue.NOT_SEEN)
    suggested: Mapped[bool] = mapped_column(default=False)


class CaseAction(Timestamped, Base):
    """An action for the case raised in an audit."""

    __tablename__ = "case_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(120))
    due_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default="open")
    completed_at: Mapped[datetime | None]


class Concern(Timestamped, Base):
    """An urgent safeguarding concern raised during an audit; it must be answered and signed off."""

    __tablename__ = "concerns"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), index=True)
    raised_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    description: Mapped[str] = mapped_column(Text)
    respond_by: Mapped[datetime]
    response: Mapped[str | None] = mapped_column(Text)
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    responded_at: Mapped[datetime | None]
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_off_at: Mapped[datetime | None]

    audit: Mapped[Audit] = relationship()
    raised_by: Mapped[User] = relationship(foreign_keys=[raised_by_id])
    responded_by: Mapped[User | None] = relationship(foreign_keys=[responded_by_id])
    signed_off_by: Mapped[User | None] = relationship(foreign_keys=[signed_off_by_id])


class Moderation(Timestamped, Base):
    __tablename__ = "moderations"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), unique=True)
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(String(30), default="sample")  # sample | requested
    blind: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    summary: Mapped[str] = mapped_column(Text, default="")
    completed_at: Mapped[datetime | None]

    audit: Mapped[Audit] = relationship()
    moderator: Mapped[User | None] = relationship()
    grades: Mapped[list["ModerationGrade"]] = relationship(
        cascade="all, delete-orphan", order_by="ModerationGrade.id"
    )


class ModerationGrade(Base):
    """The auditor's and the moderator's grade for one graded judgement; both are kept."""

    __tablename__ = "moderation_grades"
    __table_args__ = (UniqueConstraint("moderation_id", "section_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    moderation_id: Mapped[int] = mapped_column(ForeignKey("moderations.id", ondelete="CASCADE"))
    section_key: Mapped[str] = mapped_column(String(60))  # or OVERALL
    auditor_grade: Mapped[str | None] = mapped_column(String(60))
    moderator_grade: Mapped[str | None] = mapped_column(String(60))
    reason: Mapped[str] = mapped_column(Text, default="")


class PractitionerResponse(Base):
    """The practitioner's or their manager's response to an audit, shown on it."""

    __tablename__ = "practitioner_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), index=True)
    respondent: Mapped[str] = mapped_column(String(20))  # practitioner | manager
    agreement: Mapped[str] = mapped_column(String(20))  # agree | partly | disagree
    reflection: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
