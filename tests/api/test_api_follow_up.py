"""GET /api/v1/cycles/{id}/difference: a follow-up cycle's difference made for the child, child
by child for case-level callers, the aggregate only for board viewers. Every answer is checked
against the OpenAPI document by the test client."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from qa_app.data import follow_up
from qa_app.extensions import db
from qa_app.models import Audit, Role
from tests.api.support import api_as
from tests.cycles.cycle_factory import make_team
from tests.data.follow_up_factory import audited, complete, make_original


@pytest.fixture
def followed(loaded_templates):
    north = make_team("North")
    original = make_original()
    audited(original, "100001", north, "some")
    audited(original, "100002", north, "none")
    made, _ = follow_up.create_follow_up(original, 6, actor=None)
    now = {"100001": "significant", "100002": "none"}
    for audit in db.session.scalars(select(Audit).where(Audit.cycle_id == made.id)):
        complete(audit, now[audit.case.case_reference], when=datetime(2026, 11, 5, tzinfo=UTC))
    return made


def test_a_case_level_caller_reads_each_child(app, make_user, followed):
    body = api_as(app, make_user, Role.QA_LEAD).get(f"/cycles/{followed.id}/difference").get_json()
    assert body["tier"] == "internal" and body["months_after"] == 6
    (question,) = body["questions"]
    assert question["question"] == "progress_against_plan"
    assert question["moved"] == {"better": 1, "same": 1, "worse": 0}
    assert question["then"]["Some progress"] == 1
    assert [(c["case_reference"], c["movement"]) for c in body["children"]] == [
        ("100001", "better"),
        ("100002", "same"),
    ]


def test_a_board_viewer_reads_the_aggregate_only(app, make_user, followed):
    response = api_as(app, make_user, Role.BOARD_VIEWER).get(f"/cycles/{followed.id}/difference")
    body = response.get_json()
    assert body["tier"] == "partnership" and "children" not in body
    assert body["questions"][0]["moved"] == {"better": 1, "same": 1, "worse": 0}
    assert "100001" not in response.get_data(as_text=True)


def test_a_cycle_that_follows_none_is_404(app, make_user, followed):
    api = api_as(app, make_user, Role.QA_LEAD)
    assert api.get(f"/cycles/{followed.follows_cycle_id}/difference").status_code == 404
    assert api.get(f"/cycles/{followed.id}").get_json()["follows"] == followed.follows_cycle_id


def test_an_auditor_may_not_read_it(app, make_user, followed):
    assert (
        api_as(app, make_user, Role.AUDITOR).get(f"/cycles/{followed.id}/difference").status_code
        == 403
    )
