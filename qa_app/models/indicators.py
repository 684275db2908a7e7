"""Performance indicators: definitions (unit, which direction is better, target and tolerance,
comparators, what the measure means, the area of the performance report it belongs to), monthly
values imported from the council's scorecard, the same values broken down (by locality, team,
service, role or a council's own dimension), and a manager's commentary per indicator and
month."""

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
    # What the measure is, in the words a committee reads ("Re-referrals are the referrals we
    # have received within 12 months of a previous referral...").
    definition: Mapped[str] = mapped_column(Text, default="")
    # The area of the performance report it belongs to (qa_app.data.indicator_areas.AREAS:
    # referrals, assessments, children_in_need, ..., recruitment); "" for none.
    area: Mapped[str] = mapped_column(String(40), default="")
    # True where the months add up (referrals received in the month): a period's figure is
    # the sum of its months. False for a position at the month's end (children on plans,
    # a percentage, a rate): a period's figure is the average of its months.
    adds_up: Mapped[bool] = mapped_column(default=False)
    # A measure of demand (contacts, referrals, assessments, children in need, in care):
    # shown beside the audit findings of the same period in the board report and the pack.
    demand: Mapped[bool] = mapped_column(default=False)
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


class IndicatorBreakdownValue(Base):
    """One part of an indicator's value for one month: the value for one category (South, the
    Disabled Children Service, Team Manager) of one dimension (locality, service, role). The
    whole-council value stays in IndicatorValue; importing the same part again replaces it."""

    __tablename__ = "indicator_breakdown_values"
    __table_args__ = (
        UniqueConstraint(
            "indicator_id",
            "month",
            "dimension",
            "category",
            name="uq_indicator_breakdown_values_cell",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    month: Mapped[date]
    dimension: Mapped[str] = mapped_column(String(40))  # "locality", "service", "team", "role"…
    category: Mapped[str] = mapped_column(String(100))  # "South", "Team Manager"…
    value: Mapped[float]
    source: Mapped[str] = mapped_column(String(300), default="")
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
