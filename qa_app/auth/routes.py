"""Sign in, sign out, and the account page with its change-password form."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from qa_app.auth.forms import ChangePasswordForm, SignInForm
from qa_app.data import sessions, sign_in_throttle, users
from qa_app.data.security_log import log_event
from qa_app.security import public, requires

bp = Blueprint("auth", __name__, template_folder="templates")


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _begin_session(user) -> None:
    """A fresh session for `user`: the old cookie's contents are discarded."""
    session.clear()
    sessions.start_session(user)
    login_user(user)


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignInForm()
    if form.validate_on_submit():
        username, ip = form.username.data, request.remote_addr
        if throttled := sign_in_throttle.retry_after(username, ip):
            wait, limit = throttled
            log_event(
                sign_in_throttle.THROTTLED,
                username=sign_in_throttle.username_key(username),
                ip=ip,
                detail=f"{limit} limit",
            )
            form.password.errors.append(sign_in_throttle.message(wait))
            return render_template("auth/sign_in.html", form=form, title="Sign in"), 429
        user = users.authenticate(username, form.password.data)
        if user is None:
            log_event(
                sign_in_throttle.FAILED, username=sign_in_throttle.username_key(username), ip=ip
            )
            form.password.errors.append("The username or password is not right")
        else:
            _begin_session(user)
            log_event("signed_in", user, ip=ip)
            return redirect(_safe_next(request.args.get("next")) or url_for("main.home"))
    return render_template("auth/sign_in.html", form=form, title="Sign in")


@bp.route("/sign-out", methods=["POST"])
@requires("signed_in")
def sign_out():
    user = current_user._get_current_object()
    sessions.end_session(user.session_token, "signed_out")
    log_event("signed_out", user, ip=request.remote_addr)
    logout_user()
    session.clear()
    flash("You have signed out", "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account", methods=["GET", "POST"])
@requires("signed_in")
def account():
    form = ChangePasswordForm()
    user = current_user._get_current_object()
    if form.validate_on_submit():
        if users.authenticate(user.username, form.current_password.data) is None:
            form.current_password.errors.append("Your current password is not right")
        else:
            users.set_password(user, form.new_password.data, actor=user)
            log_event("password_changed", user, ip=request.remote_addr)
            _begin_session(user)
            flash(
                "Your password has been changed. Your other sessions have been signed out.",
                "success",
            )
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form, title="Your account", user=user)


@bp.route("/keep-alive")
@requires("signed_in")
def keep_alive():
    """Pinged by pages with long forms while the person is typing, so that writing for longer
    than the inactivity timeout does not sign them out and lose what they typed."""
    return {"signed_in": True}
