"""Recording the serious case reviews and child safeguarding practice reviews the service learns
from: each review, its recommendations, and the improvement actions answering each. QA leads
record them (qa_app.reporting.reviews_routes); every write is in the change log. The board
report freezes the reviews that bear on its period (`review_figures`) and drafts its "learning
from reviews" section from them."""

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from qa_app.data import changelog
from qa_app.data.reports import ReportError
from qa_app.extensions import db
from qa_app.models import (
    ActionStatus,
    ImprovementAction,
    PracticeReview,
    ReviewRecommendation,
    User,
)
from qa_app.templates_engine.answers import clean_text

NAME_MAX, REFERENCE_MAX, TEXT_MAX = 200, 60, 2000


def list_reviews() -> list[PracticeReview]:
    return list(
        db.session.scalars(
            select(PracticeReview)
            .options(selectinload(PracticeReview.recommendations))
            .order_by(PracticeReview.published_on.desc(), PracticeReview.name)
        )
    )


def get_review(review_id: int) -> PracticeReview | None:
    return db.session.get(PracticeReview, review_id)


def get_recommendation(
    review: PracticeReview, recommendation_id: int
) -> ReviewRecommendation | None:
    return next((r for r in review.recommendations if r.id == recommendation_id), None)


def action_choices() -> list[ImprovementAction]:
    """The improvement actions a recommendation may be answered by, plan by plan."""
    return list(
        db.session.scalars(
            select(ImprovementAction)
            .options(selectinload(ImprovementAction.plan))
            .order_by(ImprovementAction.plan_id, ImprovementAction.number)
        )
    )


def _clean_review(name: str, reference: str) -> tuple[str, str]:
    name = clean_text(name or "").strip()
    reference = clean_text(reference or "").strip()
    problems = []
    if not name:
        problems.append(("name", "Enter the review's name"))
    elif len(name) > NAME_MAX:
        problems.append(("name", "Keep the name under 200 characters"))
    if len(reference) > REFERENCE_MAX:
        problems.append(("reference", "Keep the reference under 60 characters"))
    if problems:
        raise ReportError("Check the review", problems)
    return name, reference


def save_review(
    review: PracticeReview | None,
    *,
    name: str,
    reference: str,
    published_on: date | None,
    actor: User | None,
) -> PracticeReview:
    """Record a new review (review None) or change one; commits."""
    name, reference = _clean_review(name, reference)
    after = {
        "name": name,
        "reference": reference,
        "published_on": published_on.isoformat() if published_on else None,
    }
    if review is None:
        review = PracticeReview(created_by_id=getattr(actor, "id", None))
        db.session.add(review)
        before, action = {}, "created"
    else:
        before = {
            "name": review.name,
            "reference": review.reference,
            "published_on": review.published_on.isoformat() if review.published_on else None,
        }
        action = "edited"
    review.name, review.reference, review.published_on = name, reference, published_on
    db.session.flush()
    changelog.record(actor, "practice_review", review.id, action, changelog.diff(before, after))
    db.session.commit()
    return review


def _clean_recommendation(text: str, action_ids: list[int]) -> tuple[str, list[ImprovementAction]]:
    text = clean_text(text or "").strip()
    if not text:
        raise ReportError("Check the recommendation", [("text", "Enter the recommendation")])
    if len(text) > TEXT_MAX:
        raise ReportError(
            "Check the recommendation", [("text", "Keep the recommendation under 2,000 characters")]
        )
    actions = list(
        db.session.scalars(select(ImprovementAction).where(ImprovementAction.id.in_(action_ids)))
    )
    if len(actions) != len(set(action_ids)):
        raise ReportError(
            "Check the recommendation", [("actions", "Choose actions from the improvement plan")]
        )
    return text, actions


def _described(rec: ReviewRecommendation) -> dict[str, Any]:
    return {"text": rec.text, "actions": sorted(a.id for a in rec.actions)}


def save_recommendation(
    review: PracticeReview,
    recommendation: ReviewRecommendation | None,
    *,
    text: str,
    action_ids: list[int],
    actor: User | None,
) -> ReviewRecommendation:
    """Add a recommendation to the review (recommendation None) or change one, with the
    improvement actions that answer it; commits."""
    text, actions = _clean_recommendation(text, action_ids)
    if recommendation is None:
        number = max((r.number for r in review.recommendations), default=0) + 1
        recommendation = ReviewRecommendation(review=review, number=number, text=text)
        db.session.add(recommendation)
        before, action = {}, "recommendation_added"
    else:
        before, action = _described(recommendation), "recommendation_edited"
    recommendation.text = text
    recommendation.actions = actions
    db.session.flush()
    changes = changelog.diff(before, _described(recommendation))
    changes["recommendation"] = [None, recommendation.number]
    changelog.record(actor, "practice_review", review.id, action, changes)
    db.session.commit()
    return recommendation


def remove_recommendation(
    review: PracticeReview, recommendation: ReviewRecommendation, actor: User | None
) -> None:
    changelog.record(
        actor,
        "practice_review",
        review.id,
        "recommendation_removed",
        {"recommendation": [recommendation.number, None], "text": [recommendation.text, None]},
    )
    review.recommendations.remove(recommendation)
    db.session.commit()


def _day(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def review_figures(date_from: date, date_to: date) -> list[dict[str, Any]]:
    """The reviews that bear on the period, for the board report's snapshot: those dated in
    it, and those with an improvement action still open or completed in it."""
    out = []
    for review in list_reviews():
        actions = [a for r in review.recommendations for a in r.actions]
        dated_in = review.published_on is not None and date_from <= review.published_on <= date_to
        live = any(
            a.status != ActionStatus.COMPLETE
            or (a.completed_on is not None and date_from <= a.completed_on <= date_to)
            for a in actions
        )
        if review.published_on is not None and review.published_on > date_to:
            continue
        if not (dated_in or live):
            continue
        out.append(
            {
                "review_id": review.id,
                "name": review.name,
                "reference": review.reference,
                "published_on": review.published_on.isoformat() if review.published_on else None,
                "published_on_text": _day(review.published_on),
                "recommendations": [
                    {
                        "number": rec.number,
                        "text": rec.text,
                        "actions": [
                            {
                                "action_id": a.id,
                                "number": a.number,
                                "status": a.status,
                                "status_label": ActionStatus(a.status).label,
                            }
                            for a in rec.actions
                        ],
                    }
                    for rec in review.recommendations
                ],
            }
        )
    return out
