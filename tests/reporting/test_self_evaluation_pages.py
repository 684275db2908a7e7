"""The self-evaluation's pages: a QA lead drafts one for a period, reads each statement with
its evidence link, edits an area's text (a stale save refused with 409), publishes it and
downloads it; a senior manager reads the published version; a board viewer reads none."""

import re
from datetime import date

from sqlalchemy import select

from qa_app.data.reports import get_report
from qa_app.extensions import db
from qa_app.models import Report, Role
from qa_app.rules.uk_time import uk_today
from qa_app.services import report_drafting, self_evaluation
from tests.findings import known_data
from tests.helpers import csrf_token

VERSION_RE = re.compile(r'name="lock_version"[^>]*value="(\d+)"')
START, END = date(2025, 12, 1), date(2026, 11, 30)
TODAY = date(2026, 12, 8)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _known(make_user):
    known_data.build(
        make_user(Role.AUDITOR, username="auditor.one"),
        make_user(Role.MODERATOR, username="moderator.one"),
    )


def test_a_qa_lead_drafts_one_for_the_last_twelve_whole_months(client_as, loaded_templates):
    lead = client_as(Role.QA_LEAD)
    page = lead.get("/reports/self-evaluation/new").get_data(as_text=True)
    start, end = self_evaluation.default_period(uk_today())
    assert f'value="{start.year}"' in page and f'value="{end.month}"' in page
    response = lead.post(
        "/reports/self-evaluation/new",
        data={
            "csrf_token": csrf_token(lead, "/reports/self-evaluation/new"),
            "period_start": [str(start.day), str(start.month), str(start.year)],
            "period_end": [str(end.day), str(end.month), str(end.year)],
        },
    )
    assert response.status_code == 302
    report = db.session.scalars(select(Report)).one()
    assert response.location.endswith(f"/reports/self-evaluation/{report.id}")
    index = lead.get("/reports/").get_data(as_text=True)
    assert "Self-evaluation for Ofsted: Internal" in _text(index)


def test_a_period_not_ended_is_refused_on_its_field(client_as):
    lead = client_as(Role.QA_LEAD)
    today = uk_today()
    response = lead.post(
        "/reports/self-evaluation/new",
        data={
            "csrf_token": csrf_token(lead, "/reports/self-evaluation/new"),
            "period_start": ["1", "1", str(today.year - 1)],
            "period_end": [str(today.day), str(today.month), str(today.year)],
        },
    )
    assert response.status_code == 200
    assert "Choose a period that has ended" in response.get_data(as_text=True)
    assert db.session.scalars(select(Report)).first() is None


def test_the_page_shows_each_statement_with_its_evidence_link(
    client_as, make_user, loaded_templates
):
    _known(make_user)
    lead = client_as(Role.QA_LEAD)
    report = self_evaluation.draft(START, END, lead.user, TODAY)
    html = lead.get(f"/reports/self-evaluation/{report.id}").get_data(as_text=True)
    text = _text(html)
    assert "OFFICIAL-SENSITIVE" in text and "the council's own self-evaluation for Ofsted" in text
    assert "What we know" in text and "How we know" in text
    assert "What we are doing about it" in text
    assert "Of 6 assessments audited, 4 (67%) were judged good or better." in text
    assert "/findings/templates/single_assessment?from=2025-12-01&amp;to=2026-11-30" in html


def test_editing_keeps_the_evidence_and_a_stale_save_is_refused(
    client_as, make_user, loaded_templates
):
    _known(make_user)
    lead = client_as(Role.QA_LEAD)
    report = self_evaluation.draft(START, END, lead.user, TODAY)
    url = f"/reports/self-evaluation/{report.id}/edit"
    page = lead.get(url).get_data(as_text=True)
    version = VERSION_RE.search(page).group(1)
    assert "See the evidence" in page
    token = csrf_token(lead, url)
    saved = lead.post(
        url, data={"csrf_token": token, "lock_version": version, "section__0": "Mostly good."}
    )
    assert saved.status_code == 302
    stale = lead.post(
        url, data={"csrf_token": token, "lock_version": version, "section__0": "Older."}
    )
    assert stale.status_code == 409
    assert "Someone else changed or published this draft" in stale.get_data(as_text=True)
    report = get_report(report.id)
    assert report.sections[0]["text"] == "Mostly good."
    assert report.sections[0]["statements"]


def test_readers_of_published_internal_reports_read_it_and_a_board_viewer_does_not(
    client_as, loaded_templates
):
    lead = client_as(Role.QA_LEAD)
    report = self_evaluation.draft(START, END, lead.user, TODAY)
    manager = client_as(Role.SENIOR_MANAGER)
    board = client_as(Role.BOARD_VIEWER)
    page = f"/reports/self-evaluation/{report.id}"
    assert manager.get(page).status_code == 403  # a draft is the QA leads'
    report_drafting.publish(report, based_on=report.lock_version, actor=lead.user)
    assert manager.get(page).status_code == 200
    pdf = manager.get(f"{page}/self-evaluation.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    docx = manager.get(f"{page}/self-evaluation.docx")
    assert docx.status_code == 200 and docx.data.startswith(b"PK")
    for url in (page, f"{page}/self-evaluation.pdf", f"{page}/self-evaluation.docx"):
        assert board.get(url).status_code == 403
    assert manager.get(f"/reports/{report.id}").location.endswith(page)


def test_drafting_again_from_the_report_page_makes_version_two(client_as, loaded_templates):
    lead = client_as(Role.QA_LEAD)
    report = self_evaluation.draft(START, END, lead.user, TODAY)
    page = f"/reports/self-evaluation/{report.id}"
    response = lead.post(
        f"/reports/{report.id}/redraft", data={"csrf_token": csrf_token(lead, page)}
    )
    assert response.status_code == 302
    new = db.session.scalars(select(Report).where(Report.number == 2)).one()
    assert response.location.endswith(f"/reports/self-evaluation/{new.id}")
    assert new.series_key == report.series_key
