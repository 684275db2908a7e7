"""Layout at 1,280 pixels, the width of a council laptop: the service navigation of the role
with the most sections (a QA lead who also moderates) stays on one row, with room for one more
section ("Search"), and the person's own links sit in the header."""

from qa_app.models import Role
from tests.browser.keyboard import sign_in

ONE_MORE = """() => {
  const list = document.querySelector('.govuk-service-navigation__list');
  const item = list.lastElementChild.cloneNode(true);
  item.classList.remove('govuk-service-navigation__item--active');
  item.querySelector('a').textContent = 'Search';
  list.appendChild(item);
}"""


def _rows(page) -> set[float]:
    return {
        round(item.bounding_box()["y"])
        for item in page.query_selector_all(".govuk-service-navigation__item")
    }


def test_a_qa_leads_navigation_is_one_row_at_1280_even_with_one_more_section(new_page, make_user):
    make_user(Role.QA_LEAD, Role.MODERATOR, username="browser.nav.lead")
    page = new_page(width=1280, height=800)
    sign_in(page, "browser.nav.lead")
    page.goto("/")
    texts = [
        item.inner_text().strip()
        for item in page.query_selector_all(".govuk-service-navigation__item")
    ]
    assert len(texts) >= 10 and "Improvement plan" in texts, texts
    assert len(_rows(page)) == 1, texts
    page.evaluate(ONE_MORE)
    assert len(_rows(page)) == 1, "a Search section would push the navigation onto two rows"
    account = page.locator(".app-header__account")
    assert account.get_by_role("link", name="Your account").is_visible()
    assert account.get_by_role("link", name="Notifications").is_visible()
    assert account.get_by_role("button", name="Sign out").is_visible()
