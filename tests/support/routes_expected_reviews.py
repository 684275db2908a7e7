"""Who may open the pages recording the reviews the service learns from (serious case and
child safeguarding practice reviews): QA leads, who draft the board report from them."""

from tests.support.route_walk import QA_LEAD

EXPECTED = {
    "reporting.reviews_index": QA_LEAD,
    "reporting.review_new": QA_LEAD,
    "reporting.review": QA_LEAD,
    "reporting.recommendation_new": QA_LEAD,
    "reporting.recommendation": QA_LEAD,
    "reporting.recommendation_remove": QA_LEAD,
}


def sample_values(values) -> dict:
    from datetime import date

    from qa_app.data import reviews
    from qa_app.data.users import create_user
    from qa_app.models import Role

    lead = create_user("review.lead", "Review Lead", "correct-horse-battery", [Role.QA_LEAD])
    review = reviews.save_review(
        None,
        name="Practice review, Child F",
        reference="CSPR 1",
        published_on=date(2026, 2, 1),
        actor=lead,
    )
    rec = reviews.save_recommendation(
        review, None, text="Agencies share chronologies", action_ids=[], actor=lead
    )
    return {"review_id": review.id, "recommendation_id": rec.id}
