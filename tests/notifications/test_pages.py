"""The notification pages: a person's list (newest first, with the unread count in the
header), opening one (marked read, then its page), marking all read (only one's own), the
choices page (urgent concerns shown fixed), and the delivery state for the QA lead and the
administrator (no case detail)."""

import re

from sqlalchemy import select

from qa_app.data import notifications
from qa_app.data.notifications import Draft, write
from qa_app.extensions import db
from qa_app.models import EmailState, Notification, NotificationPreference, Role, SecurityEvent
from tests.helpers import csrf_token

ASSIGNED = {
    "count": 1,
    "cycle": "Monthly, May",
    "due_date": "2026-12-07",
    "case_reference": "30010001",
}


def _give(user, key: str, kind: str = "audit_assigned", params=None, link="/audits/mine"):
    write([Draft(user.id, kind, key, link, params or ASSIGNED)])
    db.session.commit()
    return db.session.scalars(select(Notification).where(Notification.dedupe_key == key)).one()


def _header_count(html: str) -> str | None:
    found = re.search(
        r'class="app-count">(\d+\+?)<span class="govuk-visually-hidden"> unread', html
    )
    return found.group(1) if found else None


def test_the_list_shows_the_wording_newest_first_and_the_header_counts_unread(client_as):
    auditor = client_as(Role.AUDITOR)
    _give(auditor.user, "a")
    _give(
        auditor.user,
        "b",
        "concern_raised",
        {
            "case_reference": "30010005",
            "respond_by": "2026-07-27T15:30:00+00:00",
            "working_days": 1,
        },
        "/concerns/1",
    )
    html = auditor.get("/notifications").get_data(as_text=True)
    assert _header_count(html) == "2"
    first = html.index("Urgent concern on case 30010005: respond by 27 July 2026 at 16:30")
    second = html.index("Audit to do: case 30010001 (Monthly, May)")
    assert first < second  # newest first
    assert "It is due by 7 December 2026." in html
    assert "2 unread." in html
    home = auditor.get("/").get_data(as_text=True)
    assert _header_count(home) == "2"  # on every page


def test_opening_one_marks_it_read_and_goes_to_its_page(client_as):
    auditor = client_as(Role.AUDITOR)
    n = _give(auditor.user, "a", link="/audits/mine")
    token = csrf_token(auditor, "/notifications")
    response = auditor.post(f"/notifications/{n.id}/open", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/audits/mine"
    db.session.expire_all()
    assert db.session.get(Notification, n.id).read_at is not None
    assert _header_count(auditor.get("/notifications").get_data(as_text=True)) is None


def test_someone_elses_notification_cannot_be_opened_and_the_attempt_is_logged(
    client_as, make_user
):
    auditor = client_as(Role.AUDITOR)
    other = make_user(Role.AUDITOR)
    n = _give(other, "theirs")
    token = csrf_token(auditor, "/notifications")
    assert (
        auditor.post(f"/notifications/{n.id}/open", data={"csrf_token": token}).status_code == 403
    )
    db.session.expire_all()
    assert db.session.get(Notification, n.id).read_at is None
    assert db.session.scalar(
        select(SecurityEvent).where(SecurityEvent.event == "permission_refused")
    )


def test_a_link_that_is_not_a_path_into_the_app_is_not_followed(client_as):
    auditor = client_as(Role.AUDITOR)
    n = _give(auditor.user, "odd", link="//evil.example/")
    token = csrf_token(auditor, "/notifications")
    response = auditor.post(f"/notifications/{n.id}/open", data={"csrf_token": token})
    assert response.headers["Location"] == "/notifications"


def test_mark_all_read_marks_only_ones_own(client_as, make_user):
    auditor = client_as(Role.AUDITOR)
    other = make_user(Role.AUDITOR)
    _give(auditor.user, "mine1")
    _give(auditor.user, "mine2")
    _give(other, "theirs")
    token = csrf_token(auditor, "/notifications")
    response = auditor.post(
        "/notifications/read", data={"csrf_token": token}, follow_redirects=True
    )
    assert "2 notifications marked as read." in response.get_data(as_text=True)
    assert notifications.unread_count(auditor.user) == 0
    assert notifications.unread_count(other) == 1


def test_choices_show_urgent_concerns_fixed_and_save_the_rest(client_as):
    lead = client_as(Role.QA_LEAD)
    html = lead.get("/account/notifications").get_data(as_text=True)
    assert (
        "An urgent concern is raised on a case you respond for: in the app and by email at "
        "once. This cannot be turned off." in html
    )
    assert 'name="concern_raised"' not in html  # never offered as a choice
    data = {kind: "email" for kind in notifications.modes_for(lead.user)}
    data |= {"audit_overdue": "weekly", "report_published": "off", "concern_raised": "off"}
    response = lead.post(
        "/account/notifications",
        data={"csrf_token": csrf_token(lead, "/account/notifications"), **data},
    )
    assert response.status_code == 302
    modes = notifications.modes_for(lead.user)
    assert modes["audit_overdue"] == "weekly" and modes["report_published"] == "off"
    assert modes["concern_raised"] == "email"
    stored = set(db.session.scalars(select(NotificationPreference.kind)))
    assert stored == {"audit_overdue", "report_published"}


def test_the_account_page_leads_to_the_choices(client_as):
    page = client_as(Role.AUDITOR).get("/account").get_data(as_text=True)
    assert 'href="/account/notifications"' in page and "Choose your notifications" in page


def test_a_choice_left_out_is_asked_for(client_as):
    auditor = client_as(Role.AUDITOR)
    response = auditor.post(
        "/account/notifications",
        data={"csrf_token": csrf_token(auditor, "/account/notifications"), "audit_assigned": "app"},
    )
    assert response.status_code == 200
    assert "Choose how you hear about this" in response.get_data(as_text=True)


def test_the_delivery_page_shows_what_failed_and_why_without_case_detail(client_as, make_user):
    admin = client_as(Role.ADMIN)
    someone = make_user(Role.AUDITOR, username="failing.person")
    n = _give(someone, "f")
    n.email_state, n.email_note = EmailState.FAILED, "The mail relay refused the address (550)"
    db.session.commit()
    html = admin.get("/notifications/delivery?state=failed").get_data(as_text=True)
    assert "Test failing.person" in html
    assert "An audit is given to you" in html
    assert "The mail relay refused the address (550)" in html
    assert "30010001" not in html  # the case reference stays out
    assert "Send the failed emails again" in html
    assert admin.get("/notifications/delivery?state=nonsense").status_code == 404
    token = csrf_token(admin, "/notifications/delivery")
    response = admin.post("/notifications/delivery/retry", data={"csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Notification, n.id).email_state == EmailState.PENDING
