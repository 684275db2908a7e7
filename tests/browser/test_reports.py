"""Reports in the browser: a QA lead drafts a cycle report (after an empty submission shows
the error summary), publishes it and downloads the PDF; a board viewer reads a published
report and is refused a case page with the 403 page. axe runs on every page visited."""

from sqlalchemy import select

from qa_app.extensions import db
from qa_app.models import Report, Role
from tests.browser.axe import assert_accessible
from tests.browser.keyboard import sign_in
from tests.browser.reports_data import CYCLE, cycle_with_known_audits
from tests.helpers import csrf_token
from tests.reporting.test_cycle_reports import draft, version_of


def test_a_qa_lead_drafts_publishes_and_downloads_a_cycle_report_as_pdf(
    new_page, make_user, loaded_templates
):
    cycle_with_known_audits(make_user)
    make_user(Role.QA_LEAD, username="browser.lead")
    page = new_page()
    sign_in(page, "browser.lead")
    page.goto("/reports/")
    assert_accessible(page, "reports list")
    page.goto("/reports/new")
    assert_accessible(page, "draft a report")
    with page.expect_navigation():
        page.get_by_role("button", name="Draft the report").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert "Choose a cycle, or enter the start of the period" in page.content()
    assert_accessible(page, "draft a report submitted empty (error summary)")

    page.get_by_label("Audit cycle").select_option(label=CYCLE)
    with page.expect_navigation():
        page.get_by_role("button", name="Draft the report").click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Audit cycle report: {CYCLE}"
    assert_accessible(page, "draft report")
    with page.expect_navigation():
        page.get_by_role("button", name="Publish this version").click()
    assert page.locator(".govuk-tag", has_text="Published").is_visible()
    assert_accessible(page, "published report")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    data = download.value.path().read_bytes()
    assert data.startswith(b"%PDF"), data[:40]

    db.session.rollback()
    report = db.session.scalars(select(Report)).one()
    assert report.status == "published" and report.title == f"Audit cycle report: {CYCLE}"


def test_a_board_viewer_reads_a_published_report_and_is_refused_a_case_page(
    new_page, client_as, make_user, loaded_templates
):
    cycle, audits = cycle_with_known_audits(make_user)
    lead = client_as(Role.QA_LEAD)
    report = draft(lead, cycle, audience="partnership")
    published = lead.post(
        f"/reports/{report.id}/publish",
        data={
            "csrf_token": csrf_token(lead, f"/reports/{report.id}"),
            "lock_version": version_of(lead, report),
        },
    )
    assert published.status_code == 302
    report_id, title, audit_id = report.id, report.title, audits[0].id
    make_user(Role.BOARD_VIEWER, username="browser.board")
    page = new_page()
    page.goto("/sign-in")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page, "sign-in submitted empty (error summary)")
    sign_in(page, "browser.board")
    page.goto("/reports/")
    assert_accessible(page, "reports list for the board")
    with page.expect_navigation():
        page.get_by_role("link", name=title).first.click()
    assert page.url.endswith(f"/reports/{report_id}"), page.url
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert_accessible(page, "published report read by the board")

    response = page.goto(f"/audits/{audit_id}")
    assert response.status == 403
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "You do not have permission to view this page"
    assert "12345678" not in page.content()
    assert_accessible(page, "403 page")
