"""The pages issue 14 and 16 added, in a real browser with axe: an administrator sees an
account that strangers locked for new browsers and clears it; a QA lead reads their
notifications, opens one, chooses what they hear about, and sees the email delivery state."""

from sqlalchemy import select

from qa_app.data.notifications import Draft, write
from qa_app.extensions import db
from qa_app.models import Notification, Role
from tests.auth.guessing import addresses, fail
from tests.browser.axe import assert_accessible
from tests.browser.keyboard import sign_in


def test_an_administrator_clears_a_lock_strangers_made(new_page, client, make_user):
    make_user(Role.AUDITOR, username="locked.person")
    for ip in addresses(10):
        fail(client, "locked.person", ip=ip)
    make_user(Role.ADMIN, username="browser.admin")
    page = new_page()
    sign_in(page, "browser.admin")
    page.goto("/admin/sign-in-locks")
    assert "locked.person, from browsers it has not signed in on" in page.content()
    assert_accessible(page, "sign-in locks")
    with page.expect_navigation():
        page.get_by_role("button", name="Clear").first.click()
    assert "No account is locked." in page.content(), page.content()[:3000]
    assert_accessible(page, "sign-in locks, cleared")
    page.goto("/admin/security-log")
    assert "sign in lock cleared" in page.content()
    assert_accessible(page, "security log")


def test_a_qa_lead_reads_a_notification_and_chooses_what_they_hear(new_page, make_user):
    lead = make_user(Role.QA_LEAD, username="browser.lead")
    params = {"case_reference": "30010005", "respond_by": "2026-07-27T15:30:00+00:00"}
    write(
        [Draft(lead.id, "concern_raised", "browser-1", "/concerns/", {**params, "working_days": 1})]
    )
    db.session.commit()
    page = new_page()
    sign_in(page, "browser.lead")
    page.goto("/notifications")
    assert "respond by 27 July 2026 at 16:30" in page.content()  # BST, in UK time
    assert_accessible(page, "notifications")
    with page.expect_navigation():
        page.get_by_role("button", name="Open").first.click()
    assert page.url.endswith("/concerns/"), page.url
    page.goto("/account/notifications")
    assert_accessible(page, "notification choices")
    page.goto("/notifications/delivery")
    assert_accessible(page, "email delivery")
    db.session.rollback()
    opened = db.session.scalars(select(Notification).where(Notification.user_id == lead.id)).one()
    assert opened.read_at is not None
