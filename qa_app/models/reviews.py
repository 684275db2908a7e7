"""Serious case reviews and child safeguarding practice reviews the service learns from: each
review (its name or reference and date), its recommendations, and the improvement-plan
actions answering each recommendation. The board report drafts its "learning from reviews"
section from these."""

from datetime import date

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_app.models.base import Base, Timestamped
from qa_app.models.improvement import ImprovementAction

recommendation_actions = Table(
    "review_actions",
    Base.metadata,
    Column(
        "recommendation_id",
        ForeignKey("review_recommendations.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("action_id", ForeignKey("improvement_actions.id", ondelete="CASCADE"), primary_key=True),
)


class PracticeReview(Timestamped, Base):
    __tablename__ = "practice_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    # e.g. "Child safeguarding practice review: Child F", and the partnership's reference
    name: Mapped[str] = mapped_column(String(200))
    reference: Mapped[str] = mapped_column(String(60), default="")
    published_on: Mapped[date | None]  # the date of the review's report
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    recommendations: Mapped[list["ReviewRecommendation"]] = relationship(
        back_populates="review",
        order_by="ReviewRecommendation.number",
        cascade="all, delete-orphan",
    )


class ReviewRecommendation(Base):
    __tablename__ = "review_recommendations"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(
        ForeignKey("practice_reviews.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)

    review: Mapped[PracticeReview] = relationship(back_populates="recommendations")
    actions: Mapped[list[ImprovementAction]] = relationship(
        secondary=recommendation_actions, order_by="ImprovementAction.number"
    )
