"""Learning from reviews through the real pages: a QA lead records a child safeguarding
practice review and its recommendations, links the improvement actions answering each, and
the board report for the period drafts its "learning from reviews" section and table from
them; every write is in the change log; board viewers cannot open the recording pages."""

import html
import re

import pytest
from sqlalchemy import select

from qa_app.extensions import db
from qa_app.models import ChangeLogEntry, PracticeReview, Role
from qa_app.services import board_reports
from tests.documents import review_data
from tests.helpers import csrf_token
from tests.reporting.test_board_review import draft


@pytest.fixture
def review(loaded_templates, make_user):
    owner = make_user(Role.SENIOR_MANAGER, username="sm.reviews")
    return review_data.build(owner)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.get_data(as_text=True)))


def record_review(lead, action_id: int) -> PracticeReview:
    new = "/reports/reviews/new"
    response = lead.post(
        new,
        data={
            "csrf_token": csrf_token(lead, new),
            "name": "Child safeguarding practice review, Child F",
            "reference": "CSPR 2013/02",
            "published_on": ["4", "11", "2013"],
        },
    )
    assert response.status_code == 302
    found = db.session.scalars(select(PracticeReview)).one()
    page = f"/reports/reviews/{found.id}"
    for text, actions in (
        ("Core group decisions are recorded on the child's file", [str(action_id)]),
        ("Fathers are invited to every conference", []),
    ):
        response = lead.post(
            f"{page}/recommendations",
            data={"csrf_token": csrf_token(lead, page), "text": text, "actions": actions},
        )
        assert response.status_code == 302
    return found


def test_a_review_recorded_by_a_qa_lead_is_drafted_into_the_board_report(client_as, review):
    lead = client_as(Role.QA_LEAD)
    found = record_review(lead, review["action"].id)
    listing = text_of(lead.get("/reports/reviews/"))
    assert "Child safeguarding practice review, Child F" in listing and "4 November 2013" in listing
    report = draft(lead)
    sections = {s["key"]: s["text"] for s in report.sections}
    assert sections["learning_reviews"] == (
        "Child safeguarding practice review, Child F (CSPR 2013/02), 4 November 2013.\n"
        "Recommendation 1: Core group decisions are recorded on the child's file. Answered by "
        "action 1 (on track).\n"
        "Recommendation 2: Fathers are invited to every conference. No improvement action "
        "answers it yet."
    )
    page = text_of(lead.get(f"/reports/board/{report.id}"))
    assert "Reviews: recommendations and the improvement actions answering them" in page
    assert "1. Core group decisions are recorded on the child's file" in page
    assert "1 (on track)" in page and "None yet" in page
    # the prompts beside key developments mention it
    edit = text_of(lead.get(f"/reports/board/{report.id}/edit"))
    assert "1 review recorded for learning: Child safeguarding practice review, Child F." in edit
    actions = [
        e.action
        for e in db.session.scalars(
            select(ChangeLogEntry).where(
                ChangeLogEntry.entity_type == "practice_review",
                ChangeLogEntry.entity_id == str(found.id),
            )
        )
    ]
    assert actions == ["created", "recommendation_added", "recommendation_added"]


def test_a_recommendation_is_changed_and_removed_and_board_viewers_cannot_record(client_as, review):
    lead = client_as(Role.QA_LEAD)
    found = record_review(lead, review["action"].id)
    rec = found.recommendations[1]
    url = f"/reports/reviews/{found.id}/recommendations/{rec.id}"
    page = lead.get(url)
    assert page.status_code == 200
    response = lead.post(
        url,
        data={
            "csrf_token": csrf_token(lead, url),
            "text": "Fathers are invited to every conference and core group",
            "actions": [str(review["action"].id)],
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert [a.id for a in db.session.get(PracticeReview, found.id).recommendations[1].actions] == [
        review["action"].id
    ]
    empty = lead.post(url, data={"csrf_token": csrf_token(lead, url), "text": " "})
    assert empty.status_code == 400
    assert "Enter the recommendation" in empty.get_data(as_text=True)
    remove = lead.post(f"{url}/remove", data={"csrf_token": csrf_token(lead, url)})
    assert remove.status_code == 302
    db.session.expire_all()
    assert len(db.session.get(PracticeReview, found.id).recommendations) == 1
    board = client_as(Role.BOARD_VIEWER)
    assert board.get("/reports/reviews/").status_code == 403
    assert board.get(f"/reports/reviews/{found.id}").status_code == 403


def test_a_report_from_before_reviews_were_recorded_still_renders(client_as, review):
    """A snapshot of schema 1 (no reviews, no indicator columns) renders as it was."""
    lead = client_as(Role.QA_LEAD)
    report = draft(lead)
    figures = dict(report.figures)
    figures.pop("reviews")
    figures["schema"] = 1
    indicators = dict(figures["indicators"])
    indicators.pop("columns")
    indicators["rows"] = [
        {k: v for k, v in r.items() if k != "history"} for r in indicators["rows"]
    ]
    figures["indicators"] = indicators
    report.figures = figures
    db.session.commit()
    page = lead.get(f"/reports/board/{report.id}")
    assert page.status_code == 200
    assert "Performance indicators, November 2013" in text_of(page)
    assert board_reports.pdf_bytes(report)[:4] == b"%PDF"
    assert board_reports.docx_bytes(report)[:2] == b"PK"
