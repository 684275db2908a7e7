"""Calibration rounds: auditors grade the same records blind, and the round measures how far
they agree. A round is not an audit: its grades never reach the findings or their summaries.

A round names a template version and one case or several; each participant's answers
(ratings) are theirs alone until the round is closed; the grades agreed at the calibration
meeting are kept per case and item."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_app.models.base import Base, utcnow
from qa_app.models.cycles import Case
from qa_app.models.templates import TemplateVersion
from qa_app.models.users import User


class RoundStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class CalibrationRound(Base):
    __tablename__ = "calibration_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    template_version_id: Mapped[int] = mapped_column(ForeignKey("template_versions.id"))
    status: Mapped[str] = mapped_column(String(10), default=RoundStatus.OPEN.value, index=True)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    due_date: Mapped[date | None]
    closed_at: Mapped[datetime | None]
    meeting_notes: Mapped[str] = mapped_column(Text, default="")

    template_version: Mapped[TemplateVersion] = relationship()
    opened_by: Mapped[User | None] = relationship()
    cases: Mapped[list["CalibrationCase"]] = relationship(
        back_populates="round", order_by="CalibrationCase.id", cascade="all, delete-orphan"
    )
    participants: Mapped[list["CalibrationParticipant"]] = relationship(
        back_populates="round",
        order_by="CalibrationParticipant.id",
        cascade="all, delete-orphan",
    )

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN.value


class CalibrationCase(Base):
    __tablename__ = "calibration_cases"
    __table_args__ = (UniqueConstraint("round_id", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("calibration_rounds.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))

    round: Mapped[CalibrationRound] = relationship(back_populates="cases")
    case: Mapped[Case] = relationship()


class CalibrationParticipant(Base):
    __tablename__ = "calibration_participants"
    __table_args__ = (UniqueConstraint("round_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("calibration_rounds.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    submitted_at: Mapped[datetime | None]

    round: Mapped[CalibrationRound] = relationship(back_populates="participants")
    user: Mapped[User] = relationship()
    ratings: Mapped[list["CalibrationRating"]] = relationship(
        back_populates="participant", cascade="all, delete-orphan"
    )


class CalibrationRating(Base):
    """One participant's answer to one item for one case of the round."""

    __tablename__ = "calibration_ratings"
    __table_args__ = (UniqueConstraint("participant_id", "case_id", "item_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("calibration_participants.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    item_key: Mapped[str] = mapped_column(String(80))
    value: Mapped[str] = mapped_column(String(80))

    participant: Mapped[CalibrationParticipant] = relationship(back_populates="ratings")


class CalibrationAgreed(Base):
    """The grade or answer agreed at the calibration meeting for one case and item."""

    __tablename__ = "calibration_agreed"
    __table_args__ = (UniqueConstraint("round_id", "case_id", "item_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("calibration_rounds.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    item_key: Mapped[str] = mapped_column(String(80))
    value: Mapped[str] = mapped_column(String(80))
    agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    agreed_at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")
