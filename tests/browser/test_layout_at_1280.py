"""Layout at 1,280 pixels, the width of a council laptop: the service navigation of the role
with the most sections (every role at once: twelve, Search and Admin included) stays
on one row, and the person's own links sit in the header; the indicators' scorecard
fits the page, the rest of its columns a click away, the indicator's name kept in view."""

from datetime import date

from qa_app.models import Role
from tests.browser.keyboard import sign_in
from tests.indicators.support import (
    APRIL,
    ASSESSMENTS,
    CONTACT_VALUES,
    CONTACTS,
    REREFERRALS,
    define,
    store,
)


def _rows(page) -> set[float]:
    return {
        round(item.bounding_box()["y"])
        for item in page.query_selector_all(".govuk-service-navigation__item")
    }


def test_the_fullest_navigation_is_one_row_at_1280(new_page, make_user):
    make_user(*Role, username="browser.nav.lead")  # every section there is
    page = new_page(width=1280, height=800)
    sign_in(page, "browser.nav.lead")
    page.goto("/")
    texts = [
        item.inner_text().strip()
        for item in page.query_selector_all(".govuk-service-navigation__item")
    ]
    assert len(texts) == 12 and {"Admin", "Search"} <= set(texts), texts
    assert len(_rows(page)) == 1, texts
    account = page.locator(".app-header__account")
    assert account.get_by_role("link", name="Your account").is_visible()
    assert account.get_by_role("link", name="Notifications").is_visible()
    assert account.get_by_role("button", name="Sign out").is_visible()


def test_the_scorecard_fits_the_page_at_1280_with_the_indicator_in_view(new_page, make_user):
    contacts, rereferrals, assessments = define(CONTACTS, REREFERRALS, ASSESSMENTS)
    store(contacts, CONTACT_VALUES)
    store(rereferrals, {date(2026, 3, 1): 25, APRIL: 22})
    store(assessments, {date(2026, 3, 1): 81.5, APRIL: 86.25})
    make_user(Role.QA_LEAD, username="browser.scorecard.lead")
    page = new_page(width=1280, height=800)
    sign_in(page, "browser.scorecard.lead")
    page.goto("/indicators/")
    table = page.get_by_role("table", name="Indicators, Apr 2026")
    content = page.locator("main").bounding_box()["width"]
    assert table.bounding_box()["width"] <= content, (table.bounding_box(), content)
    with page.expect_navigation():
        page.get_by_role("link", name="Show all columns").click()
    assert "columns=all" in page.url
    table = page.get_by_role("table", name="Indicators, Apr 2026")
    assert table.get_by_role("columnheader", name="Comparators").is_visible()
    # the wider table scrolls in its box, the indicator's name stays in view
    page.locator(".app-table-scroll").first.evaluate("box => { box.scrollLeft = 10000 }")
    name = table.get_by_role("link", name="Contacts received")
    box = page.locator(".app-table-scroll").first.bounding_box()
    assert box["x"] <= name.bounding_box()["x"] < box["x"] + 40
