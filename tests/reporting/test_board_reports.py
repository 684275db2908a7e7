"""The report to the safeguarding board through the real pages: a QA lead drafts it for an agency
and a period, every figure on screen links to a page that exists, editing names the version it
was based on (a stale save is refused keeping the text), publishing freezes it, board viewers
read published versions only and get no case-level links, and the page carries no case
reference or case free text."""

import html
import re
from datetime import date

import pytest
from sqlalchemy import select

from qa_app.extensions import db
from qa_app.models import ChangeLogEntry, Report, Role
from qa_app.services import board_reports
from tests.documents import board_data
from tests.documents.test_board_outputs import secrets_in_database
from tests.helpers import csrf_token

NEW = "/reports/board/new"


@pytest.fixture
def data(loaded_templates, make_user):
    return board_data.build(make_user(Role.SENIOR_MANAGER, username="senior.manager.a"))


def draft_through_the_form(client, **overrides) -> object:
    page = client.get(NEW)
    assert page.status_code == 200
    form = {
        "csrf_token": csrf_token(client, NEW),
        "agency": "Children's Services",
        "period_start": ["1", "4", "2026"],
        "period_end": ["30", "9", "2026"],
        "indicators": [str(i.id) for i in board_reports.active_indicators()],
        **overrides,
    }
    return client.post(NEW, data=form)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.get_data(as_text=True)))


def latest() -> Report:
    return db.session.scalars(select(Report).order_by(Report.id.desc())).first()


def test_a_qa_lead_drafts_the_board_report_from_the_data(client_as, data):
    lead = client_as(Role.QA_LEAD)
    form_page = lead.get(NEW).get_data(as_text=True)
    assert 'value="Example Council"' in form_page  # the council's name by default
    assert "Re-referrals within 12 months" in form_page
    response = draft_through_the_form(lead)
    assert response.status_code == 302
    report = latest()
    assert response.headers["Location"].endswith(f"/reports/board/{report.id}")
    assert (report.kind, report.audience, report.status, report.number) == (
        "lscb",
        "partnership",
        "draft",
        1,
    )
    assert report.series_key == "lscb:Children's Services:2026-04-01:2026-09-30"
    page = text_of(lead.get(f"/reports/board/{report.id}"))
    assert "1. Key developments over this reporting period" in page
    assert "10. Expected outcomes" in page
    assert (
        "16 assessments were audited. Of the 16 with an overall grade, 6 were judged good" in page
    )
    entry = db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.entity_type == "report")
    ).one()
    assert (entry.action, entry.user_id) == ("drafted", lead.user.id)


def test_only_the_chosen_indicators_are_shown(client_as, data):
    lead = client_as(Role.QA_LEAD)
    reref = data["indicators"][0]
    draft_through_the_form(lead, indicators=[str(reref.id)])
    rows = latest().figures["indicators"]["rows"]
    assert [r["code"] for r in rows] == ["REREF"]
    page = text_of(lead.get(f"/reports/board/{latest().id}"))
    assert "Contacts received" not in page


def test_a_period_that_ends_before_it_starts_is_refused_with_a_message(client_as, data):
    lead = client_as(Role.QA_LEAD)
    response = draft_through_the_form(lead, period_end=["1", "1", "2026"])
    assert response.status_code == 200
    assert "The end of the period must be after its start" in response.get_data(as_text=True)
    assert db.session.scalar(select(Report)) is None


def test_every_figure_links_to_a_page_that_opens(client_as, data):
    lead = client_as(Role.QA_LEAD)
    draft_through_the_form(lead)
    report = latest()
    page = lead.get(f"/reports/board/{report.id}").get_data(as_text=True)
    body = page[page.index("1. Key developments") :]
    links = set(re.findall(r'class="govuk-link" href="([^"]+)"', body))
    links = {html.unescape(link) for link in links if not link.startswith("/reports/")}
    assert "/findings/?from=2026-04-01&to=2026-09-30" in links
    assert "/findings/templates/single_assessment?from=2026-04-01&to=2026-09-30" in links
    assert "/findings/templates/icpc_reports?from=2026-04-01&to=2026-09-30" in links
    assert any(link.startswith("/improvement/actions/") for link in links)
    assert "/practice-weeks/" in links
    assert "/indicators/" in links  # the scorecard the indicator figures come from
    for link in sorted(links):
        assert lead.get(link).status_code == 200, link


def test_a_stale_save_is_refused_and_keeps_what_was_typed(client_as, data):
    lead = client_as(Role.QA_LEAD)
    draft_through_the_form(lead)
    report = latest()
    url = f"/reports/board/{report.id}/edit"
    page = lead.get(url).get_data(as_text=True)
    version = re.search(r'name="lock_version"[^>]*value="(\d+)"', page).group(1)
    first = {
        "csrf_token": csrf_token(lead, url),
        "lock_version": version,
        "section__6": "The practice review of spring 2026 led to a new chronology standard.",
        "concerns": "High re-referral rate",
    }
    assert lead.post(url, data=first).status_code == 302
    db.session.expire_all()
    saved = db.session.get(Report, report.id)
    assert saved.sections[6]["text"].startswith("The practice review of spring 2026")
    assert saved.key_findings["concerns"] == ["High re-referral rate"]
    assert saved.key_findings["strengths"]  # not posted: kept
    stale = dict(first, section__6="My careful words about learning from reviews")
    response = lead.post(url, data=stale)
    assert response.status_code == 409
    assert "My careful words about learning from reviews" in response.get_data(as_text=True)
    assert "Someone else changed or published this draft" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Report, report.id).sections[6]["text"].startswith("The practice review")
    edits = db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.action == "edited")
    ).all()
    assert [e.user_id for e in edits] == [lead.user.id]


def test_publishing_freezes_the_version_and_board_viewers_read_only_published_ones(client_as, data):
    lead = client_as(Role.QA_LEAD)
    board = client_as(Role.BOARD_VIEWER)
    draft_through_the_form(lead)
    report = latest()
    url = f"/reports/board/{report.id}"
    assert board.get(url).status_code == 403
    assert board.get(f"{url}/report.pdf").status_code == 403
    assert report.title not in board.get("/reports/").get_data(as_text=True)
    page = lead.get(url).get_data(as_text=True)
    version = re.search(r'name="lock_version"[^>]*value="(\d+)"', page).group(1)
    response = lead.post(
        f"/reports/{report.id}/publish",
        data={"csrf_token": csrf_token(lead, url), "lock_version": version},
    )
    assert response.headers["Location"].endswith(url)
    assert lead.get(f"{url}/edit").status_code == 302  # a published version is not edited
    listing = board.get("/reports/").get_data(as_text=True)
    assert f'href="/reports/board/{report.id}"' in listing
    read = board.get(url)
    assert read.status_code == 200
    body = read.get_data(as_text=True)
    assert "/improvement/" not in body  # board viewers may not open the plan's pages
    assert "/findings/audits" not in body  # nor the case-level drill-down
    assert "Edit the text" not in body and "Publish this version" not in body
    assert board.get(f"{url}/report.pdf").status_code == 200
    docx = board.get(f"{url}/report.docx")
    assert docx.status_code == 200 and docx.data[:2] == b"PK"
    assert board.get(NEW).status_code == 403


def test_the_cycle_report_addresses_send_a_board_report_to_its_own_pages(client_as, data):
    lead = client_as(Role.QA_LEAD)
    draft_through_the_form(lead)
    report = latest()
    assert (
        lead.get(f"/reports/{report.id}")
        .headers["Location"]
        .endswith(f"/reports/board/{report.id}")
    )
    assert lead.get(f"/reports/{report.id}/report.xlsx").status_code == 404
    response = lead.post(
        f"/reports/{report.id}/redraft",
        data={"csrf_token": csrf_token(lead, f"/reports/board/{report.id}")},
    )
    again = latest()
    assert (again.kind, again.number) == ("lscb", 2)
    assert response.headers["Location"].endswith(f"/reports/board/{again.id}")


def test_a_cycle_report_is_not_opened_as_a_board_report(client_as, data):
    from qa_app.findings import Filters
    from qa_app.services import report_drafting

    lead = client_as(Role.QA_LEAD)
    cycle_report = report_drafting.draft(
        cycle=None,
        filters=Filters(date_from=date(2026, 4, 1), date_to=date(2026, 9, 30)),
        audience="internal",
        actor=lead.user,
    )
    assert lead.get(f"/reports/board/{cycle_report.id}").status_code == 404


def test_no_case_reference_or_free_text_is_on_the_page(client_as, data):
    lead = client_as(Role.QA_LEAD)
    draft_through_the_form(lead)
    page = text_of(lead.get(f"/reports/board/{latest().id}"))
    for secret in secrets_in_database():
        assert secret not in page, secret
