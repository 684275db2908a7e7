"""Write scenarios for the notification pages (tests/data/test_write_paths.py): a person's choices
saved, and the failed emails sent again. Marking one's own notifications read changes only
one's own list and is exempt (see EXEMPT there)."""

from qa_app.data.notifications import Draft, write
from qa_app.extensions import db
from qa_app.models import EmailState, Notification, Role
from tests.support.write_scenarios import Ctx, Write, form_post, scenario


@scenario("notifications.choices", "/account/notifications")
def _choices(ctx: Ctx) -> Write:
    auditor = ctx.client_as(Role.AUDITOR)
    data = {
        "audit_assigned": "app",
        "audit_due_soon": "daily",
        "audit_overdue": "email",
        "audit_moderated": "email",
        "response_requested": "weekly",
        "action_due_soon": "off",
        "action_overdue": "email",
        "report_published": "email",
    }
    return form_post(auditor, "/account/notifications", data)


@scenario("notifications.retry", "/notifications/delivery/retry")
def _retry(ctx: Ctx) -> Write:
    lead = ctx.client_as(Role.QA_LEAD)
    someone = ctx.make_user(Role.AUDITOR)
    write([Draft(someone.id, "audit_assigned", "k:retry", "/", {"count": 2})])
    db.session.execute(
        db.update(Notification).values(email_state=EmailState.FAILED, email_note="refused")
    )
    db.session.commit()
    return form_post(lead, "/notifications/delivery/retry", page="/notifications/delivery")
