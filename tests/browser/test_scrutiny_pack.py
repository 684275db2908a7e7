"""The scrutiny pack in the browser: a QA lead drafts a month's pack with seed 004's figures,
reads it and opens its edit page. axe runs on every page visited."""

from qa_app.models import Role
from tests.browser.axe import assert_accessible
from tests.browser.keyboard import sign_in
from tests.services import scrutiny_seed as seed


def test_a_qa_lead_drafts_and_reads_a_scrutiny_pack(new_page, make_user):
    seed.children_in_need()
    seed.recruitment()
    make_user(Role.QA_LEAD, username="browser.lead")
    page = new_page()
    sign_in(page, "browser.lead")
    page.goto("/reports/scrutiny/new")
    assert_accessible(page, "draft a scrutiny pack")
    page.get_by_label("Month").select_option(label="September 2021")
    with page.expect_navigation():
        page.get_by_role("button", name="Draft the scrutiny pack").click()
    assert "September 2021" in page.get_by_role("heading", level=1).inner_text()
    assert page.get_by_role("cell", name="348.63").last.is_visible()  # the totals row
    assert_accessible(page, "scrutiny pack")
    with page.expect_navigation():
        page.get_by_role("link", name="Edit the text").click()
    assert_accessible(page, "edit the scrutiny pack")
