"""Performance indicators: definitions (unit, which direction is better, target and tolerance,
comparators), monthly values imported from the council's scorecard, and a manager's commentary
per indicator and month."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_app.models.base import Base, Timestamped, utcnow
from qa_app.models.users import User


class IndicatorUnit(StrEnum):
    COUNT = "count"
    PERCENTAGE = "percentage"
    RATE = "rate_per_10000"  # rate per 10,000 children


class Direction(StrEnum):
    HIGHER = "higher"  # higher is better
    LOWER = "lower"  # lower is better
    NEITHER = "neither"  # context only: no good or bad direction (e.g. number of contacts)


class Indicator(Timestamped, Base):
    __tablename__ = "indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(20), default=IndicatorUnit.COUNT)
    better: Mapped[str] = mapped_column(String(10), default=Direction.HIGHER)
    target: Mapped[float | None]
    # How far from the target still counts as amber, in the indicator's own unit.
    tolerance: Mapped[float | None]
    # [{"group": "statistical_neighbours" | "region" | "england", "value": 35.1,
    #   "year": "2024-25"}]
    comparators: Mapped[list] = mapped_column(JSON, default=list)
    good_looks_like: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)  # order on the scorecard
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class IndicatorValue(Base):
    """One indicator's value for one month (the month's first day). Importing the same month
    again replaces the value (and the change log keeps the old one)."""

    __tablename__ = "indicator_values"
    __table_args__ = (UniqueConstraint("indicator_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    month: Mapped[date]
    value: Mapped[float]
    source: Mapped[str] = mapped_column(String(300), default="")  # the file it came from
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    indicator: Mapped[Indicator] = relationship()


class IndicatorCommentary(Timestamped, Base):
    """A manager's commentary on one indicator for one month."""

    __tablename__ = "indicator_commentaries"
    __table_args__ = (UniqueConstraint("indicator_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    month: Mapped[date]
    text: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lock_version: Mapped[int] = mapped_column(default=1)

    author: Mapped[User | None] = relationship()
