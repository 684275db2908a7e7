"""GET /api/v1/cycles/{id}/difference: a follow-up cycle's difference made for the child.

Callers who may see case records (view_all_audits) get "tier": "internal" with the child-by-
child rows; other readers of findings (board viewers) "tier": "partnership": the aggregate only,
with counts below the council's partnership threshold null where it sets one."""

from flask import jsonify

from qa_app.api.auth import api_requires, api_user
from qa_app.api.blueprint import ApiError, bp
from qa_app.api.openapi import operation
from qa_app.api.schemas.follow_up import Difference
from qa_app.data import cycles as cycle_data
from qa_app.data.follow_up import followed_cycle
from qa_app.findings.follow_up import Comparison
from qa_app.services.follow_up_difference import difference, own_audience

READERS = (
    "QA leads, moderators and senior managers (internal tier, child by child); board viewers "
    "(partnership tier, the aggregate only) (view_findings)"
)


def difference_json(cycle, follows, comparison: Comparison, tier: str) -> dict:
    """The comparison as the API answers it."""
    body: dict = {
        "cycle": cycle.id,
        "follows": follows.id,
        "months_after": cycle.months_after,
        "tier": tier,
        "threshold": comparison.threshold,
        "children_compared": comparison.children_compared,
        "questions": [
            {
                "template": s.question.template_key,
                "template_name": s.question.template_name,
                "question": s.question.key,
                "text": s.question.text,
                "answers": [label for _, label in s.question.levels],
                "compared": s.compared,
                "not_compared": s.not_compared,
                "moved": dict(s.moved),
                "then": dict(s.then),
                "now": dict(s.now),
            }
            for s in comparison.questions
        ],
    }
    if comparison.case_level:
        body["children"] = [
            {
                "case_reference": row.case_reference,
                "team": row.team,
                "template": row.question.template_key,
                "question": row.question.key,
                "then": row.then,
                "now": row.now,
                "movement": row.movement,
            }
            for row in comparison.children
        ]
    return body


@bp.get("/cycles/<int:cycle_id>/difference")
@operation(
    "cycles",
    "A follow-up cycle's difference made for the child",
    READERS,
    (200, Difference, "The answers to the impact questions then and now"),
    404,
    describe="For a follow-up cycle (kind follow_up): per impact question, how many children's "
    "answers moved better, stayed the same or moved worse since the cycle it follows, and the "
    "answers then and now. Tier 'internal' adds each child's row (case references). 404 for a "
    "cycle that follows none.",
)
@api_requires("view_findings")
def get_difference(cycle_id: int):
    cycle = cycle_data.get_cycle(cycle_id)
    follows = followed_cycle(cycle) if cycle is not None else None
    if cycle is None or follows is None:
        raise ApiError(404, f"No follow-up cycle {cycle_id}")
    audience = own_audience(api_user())
    comparison = difference(cycle, audience)
    return jsonify(difference_json(cycle, follows, comparison, audience.value))
