"""Follow-up cycles through the pages: the preview stores nothing and names the children who
cannot be followed up and why; the confirmation creates the audits; a stale preview is refused;
the Difference made for the child page by tier (a board viewer sees no case reference, the
public version hides small counts) and its XLSX (internal only)."""

import html as html_lib
import io
import re
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from qa_app.data import follow_up
from qa_app.extensions import db
from qa_app.models import Audit, AuditCycle, Role
from tests.cycles.cycle_factory import make_team
from tests.data.follow_up_factory import audited, complete, make_original
from tests.helpers import csrf_token


def text(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html_lib.unescape(body))


@pytest.fixture
def original(loaded_templates):
    north = make_team("North")
    cycle = make_original()
    audited(cycle, "100001", north, "some")
    audited(cycle, "100002", north, "none")
    audited(cycle, "100003", north, None, done=False)
    return cycle


def post(client, cycle, **fields):
    url = f"/cycles/{cycle.id}/follow-up"
    data = {"csrf_token": csrf_token(client, url), "months": "6", "name": ""}
    data.update(fields)
    return client.post(url, data=data)


def audits_in(cycle_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Audit).where(Audit.cycle_id == cycle_id)
    )


def test_the_preview_shows_who_and_why_not_and_stores_nothing(client_as, original):
    lead = client_as(Role.QA_LEAD)
    assert "Follow up the children" in text(lead.get(f"/cycles/{original.id}/follow-up"))
    page = text(post(lead, original, preview="y"))
    assert "Check before you create the follow-up" in page
    assert "2 children would be audited again (2 audits" in page
    assert "1 October 2026 to 31 December 2026" in page
    assert "100001" in page and "100002" in page
    assert "100003 Its audit in CIN plans, Q1 2026 was not completed" in page
    assert db.session.scalar(select(func.count()).select_from(AuditCycle)) == 1


def test_confirming_creates_the_follow_up(client_as, original):
    lead = client_as(Role.QA_LEAD)
    response = post(lead, original, expected="2", confirm="y")
    assert response.status_code == 302
    made = follow_up.follow_ups_of(original)[0]
    assert audits_in(made.id) == 2
    page = text(lead.get(response.headers["Location"]))
    assert "2 audits not yet started" in page
    assert "This follow-up audits again the children of CIN plans, Q1 2026 , 6 months after" in page
    assert "Every case on the list" in page and "Random draw" not in page


def test_a_stale_preview_is_refused_with_the_new_preview(client_as, original):
    lead = client_as(Role.QA_LEAD)
    page = text(post(lead, original, expected="3", confirm="y"))
    assert "The cycle changed since the preview (3 audits shown, now 2)" in page
    assert "Check before you create the follow-up" in page
    assert follow_up.follow_ups_of(original) == []


def test_months_out_of_range_are_refused_on_the_field(client_as, original):
    lead = client_as(Role.QA_LEAD)
    page = text(post(lead, original, months="0", preview="y"))
    assert "Enter a whole number from 1 to 36" in page


@pytest.fixture
def followed(original):
    """The follow-up, with both children audited again: 100001 some -> significant (better),
    100002 none -> worse (worse)."""
    made, _ = follow_up.create_follow_up(original, 6, actor=None)
    now = {"100001": "significant", "100002": "worse"}
    for audit in db.session.scalars(select(Audit).where(Audit.cycle_id == made.id)):
        complete(audit, now[audit.case.case_reference], when=datetime(2026, 11, 5, tzinfo=UTC))
    return made


def test_an_internal_reader_sees_each_child(client_as, followed):
    page = text(client_as(Role.SENIOR_MANAGER).get(f"/cycles/{followed.id}/difference"))
    assert "Internal (the QA team and managers), OFFICIAL-SENSITIVE" in page
    assert "Better The same Worse 1 0 1" in page
    assert "100001 North What progress has been made against the plan's outcomes?" in page
    assert "Some progress Significant progress: needs largely met Better" in page
    assert "Download the comparison (XLSX)" in page


def test_a_board_viewer_sees_the_aggregate_and_no_case_reference(client_as, followed):
    board = client_as(Role.BOARD_VIEWER)
    for asked in ("", "?audience=internal"):
        page = text(board.get(f"/cycles/{followed.id}/difference{asked}"))
        assert "Partnership (the safeguarding board and scrutiny committee), OFFICIAL" in page
        assert "Better The same Worse 1 0 1" in page  # exact counts
        assert "100001" not in page and "100002" not in page and "Child by child" not in page
    assert board.get(f"/cycles/{followed.id}/difference.xlsx").status_code == 403


def test_the_public_version_hides_small_counts(client_as, followed):
    page = text(
        client_as(Role.BOARD_VIEWER).get(f"/cycles/{followed.id}/difference?audience=public")
    )
    assert "Public (published on the council's website), OFFICIAL" in page
    # 2 compared, under the threshold: every count of the question hidden, 0s too
    assert "Better The same Worse hidden hidden hidden" in page
    assert "Children compared: hidden" in page
    assert "100001" not in page


def test_the_xlsx_has_each_child(client_as, followed):
    response = client_as(Role.QA_LEAD).get(f"/cycles/{followed.id}/difference.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["About", "By question", "Child by child"]
    rows = list(book["Child by child"].iter_rows(values_only=True))
    assert rows[1][0] == "100001" and rows[1][-1] == "Better"
    assert rows[2][0] == "100002" and rows[2][-1] == "Worse"
    assert ("Marking", "OFFICIAL-SENSITIVE") in list(book["About"].iter_rows(values_only=True))


def test_a_cycle_that_follows_none_has_no_difference_page(client_as, original):
    assert client_as(Role.QA_LEAD).get(f"/cycles/{original.id}/difference").status_code == 404


def test_a_follow_up_stays_one_when_edited(client_as, followed):
    lead = client_as(Role.QA_LEAD)
    page = text(lead.get(f"/cycles/{followed.id}/edit"))
    assert "Follow-up: the same children audited again" in page
    assert "Monthly audit programme" not in page
