"""Write scenarios for recording reviews (tests/data/test_write_paths.py): a new review, its
details changed, a recommendation added, changed and removed."""

from datetime import date

from qa_app.models import Role
from tests.support.write_scenarios import Ctx, Write, form_post, scenario


def _review(ctx: Ctx):
    from qa_app.data import reviews

    lead = ctx.client_as(Role.QA_LEAD)
    review = reviews.save_review(
        None,
        name="Practice review, Child F",
        reference="",
        published_on=date(2026, 2, 1),
        actor=lead.user,
    )
    rec = reviews.save_recommendation(
        review, None, text="Agencies share chronologies", action_ids=[], actor=lead.user
    )
    return lead, review, rec


@scenario("reporting.review_new", "/reports/reviews/new")
def _new_review(ctx: Ctx) -> Write:
    lead = ctx.client_as(Role.QA_LEAD)
    data = {"name": "Serious case review, Family G", "published_on": ["10", "2", "2014"]}
    return form_post(lead, "/reports/reviews/new", data)


@scenario("reporting.review", "/reports/reviews/<int:review_id>")
def _edit_review(ctx: Ctx) -> Write:
    lead, review, _ = _review(ctx)
    url = f"/reports/reviews/{review.id}"
    return form_post(lead, url, {"name": "Practice review, Child F (revised)", "reference": "X"})


@scenario("reporting.recommendation_new", "/reports/reviews/<int:review_id>/recommendations")
def _add_recommendation(ctx: Ctx) -> Write:
    lead, review, _ = _review(ctx)
    url = f"/reports/reviews/{review.id}/recommendations"
    return form_post(
        lead, url, {"text": "Fathers are invited"}, page=f"/reports/reviews/{review.id}"
    )


@scenario(
    "reporting.recommendation",
    "/reports/reviews/<int:review_id>/recommendations/<int:recommendation_id>",
)
def _edit_recommendation(ctx: Ctx) -> Write:
    lead, review, rec = _review(ctx)
    url = f"/reports/reviews/{review.id}/recommendations/{rec.id}"
    return form_post(lead, url, {"text": "Agencies share chronologies monthly"})


@scenario(
    "reporting.recommendation_remove",
    "/reports/reviews/<int:review_id>/recommendations/<int:recommendation_id>/remove",
)
def _remove_recommendation(ctx: Ctx) -> Write:
    lead, review, rec = _review(ctx)
    url = f"/reports/reviews/{review.id}/recommendations/{rec.id}/remove"
    return form_post(lead, url, page=f"/reports/reviews/{review.id}/recommendations/{rec.id}")
