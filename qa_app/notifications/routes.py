"""Notification pages: the list (newest first; opening one marks it read), marking all read,
the person's choices (under their account), and the delivery state of the emails."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for

from qa_app.data import notifications
from qa_app.models.notifications import EMAIL_STATE_LABELS, KINDS, MODE_LABELS, EmailState, Mode
from qa_app.notifications.forms import CHOOSABLE, FIXED, ButtonForm, ChoicesForm
from qa_app.web.forms_base import current_actor
from qa_app.web.listing import query_int
from qa_app.web.messages import messages_for
from qa_app.web.security import refuse, requires

bp = Blueprint("notifications", __name__, template_folder="templates")


def _page_number() -> int:
    return query_int("page", 999_999) or 1


@bp.route("/notifications")
@requires("signed_in")
def index():
    page = _page_number()
    rows, more = notifications.list_for(current_actor(), page=page)
    messages = messages_for(current_app)
    items = [(n, messages.message(n.kind, n.params, due_at=n.due_at)) for n in rows]
    return render_template(
        "notifications/index.html",
        items=items,
        page=page,
        more=more,
        unread=notifications.unread_count(current_actor()),
        form=ButtonForm(),
        title="Notifications",
    )


def _safe_link(link: str) -> str:
    """A notification's link is a path into the app; anything else goes to the list."""
    if link.startswith("/") and not link.startswith("//") and "\\" not in link:
        return link
    return url_for(".index")


@bp.route("/notifications/<int:notification_id>/open", methods=["POST"])
@requires("signed_in")
def open_notification(notification_id: int):
    notification = notifications.get(notification_id) or abort(404)
    if notification.user_id != current_actor().id:
        refuse()  # someone else's: refused and logged, like any object not one's own
    if not ButtonForm().validate_on_submit():
        abort(400)
    link = notification.link
    notifications.mark_read(current_actor(), notification_id)
    return redirect(_safe_link(link))


@bp.route("/notifications/read", methods=["POST"])
@requires("signed_in")
def mark_all_read():
    if not ButtonForm().validate_on_submit():
        abort(400)
    count = notifications.mark_read(current_actor())
    flash(f"{count} notification{'' if count == 1 else 's'} marked as read.", "success")
    return redirect(url_for(".index"))


@bp.route("/account/notifications", methods=["GET", "POST"])
@requires("signed_in")
def choices():
    current = notifications.modes_for(current_actor())
    form = ChoicesForm(data={kind: current[kind].value for kind in CHOOSABLE})
    if form.validate_on_submit():
        changed = notifications.save_modes(
            current_actor(), {kind: form[kind].data for kind in CHOOSABLE}, actor=current_actor()
        )
        flash("Your choices are saved." if changed else "Nothing changed.", "success")
        return redirect(url_for(".choices"))
    return render_template(
        "notifications/choices.html",
        form=form,
        fixed=[KINDS[k] for k in FIXED],
        always=MODE_LABELS[Mode.EMAIL],
        email=current_actor().email,
        title="Your notification choices",
    )


@bp.route("/notifications/delivery")
@requires("view_notification_delivery")
def delivery():
    state = request.args.get("state") or None
    if state is not None and state not in set(EmailState):
        abort(404)
    return render_template(
        "notifications/delivery.html",
        counts=notifications.state_counts(),
        rows=notifications.delivery_rows(state),
        state=state,
        labels=EMAIL_STATE_LABELS,
        kinds=KINDS,
        channel=current_app.config["QA_MAIL_CHANNEL"],
        form=ButtonForm(),
        title="Email delivery",
    )


@bp.route("/notifications/delivery/retry", methods=["POST"])
@requires("view_notification_delivery")
def retry():
    if not ButtonForm().validate_on_submit():
        abort(400)
    count = notifications.retry_failed(actor=current_actor())
    flash(
        f"{count} failed email{'' if count == 1 else 's'} will be tried again at the next round."
        if count
        else "No failed emails to send again.",
        "success",
    )
    return redirect(url_for(".delivery"))
