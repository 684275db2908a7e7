"""Sign in (with its second step when two-step sign-in applies), sign out, and the account
page with its change-password form and two-step sign-in settings.

Two-step sign-in: after a right password, an account that has it set up (or whose role must use
it) is not signed in yet. The Flask session holds only the pending account's id and when the
password was accepted (MFA_PENDING); the server-side session starts after the second step, so
nothing else is reachable before it. The pending step lapses after PENDING_FOR.

Every check of a password or a code here goes through the one sign-in throttle
(qa_app/auth/throttled.py): refused with 429 and the wait, without checking, when it holds the
person back. A complete sign-in marks the browser with the device cookie."""

import time
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import generate_csrf

from qa_app.auth import device_cookie, sign_in_page, sso_client, throttled
from qa_app.auth.forms import (
    ChangePasswordForm,
    ConfirmTotpForm,
    PasswordConfirmForm,
    SecondStepForm,
    SignInForm,
)
from qa_app.data import mfa, sessions, users
from qa_app.data.security_log import log_event
from qa_app.data.sign_in_throttle import username_key
from qa_app.web.forms_base import current_actor
from qa_app.web.security import public, requires

bp = Blueprint("auth", __name__, template_folder="templates")

MFA_PENDING = "mfa_pending"
SSO_ID_TOKEN = "sso_id_token"  # noqa: S105 (a session key, not a secret): a council sign-in's ID token, for the provider's sign-out
PENDING_FOR = 5 * 60  # seconds between the password and the second step


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _begin_session(user) -> None:
    """A fresh session for `user`: the old cookie's contents are discarded. The new session
    carries its CSRF secret from the first response, so pages opened at once in several tabs
    straight after signing in share one secret (otherwise each would make its own and only the
    last cookie written could save)."""
    session.clear()
    sessions.start_session(user)
    login_user(user)
    generate_csrf()


def _signed_in(user, detail: str | None = None) -> None:
    """A complete sign-in: the browser is remembered as one this account uses."""
    device = device_cookie.remember(username_key(user.username))
    log_event("signed_in", user, ip=request.remote_addr, device=device, detail=detail)


# What a signed-in person may still open while their role must use two-step sign-in and they
# have not set it up: the set-up page, signing out, and what pages load with them.
WHILE_SETTING_UP = frozenset(
    {"auth.two_step", "auth.sign_out", "auth.keep_alive", "static"}
    | {"assets.asset", "assets.build", "assets.govuk_js"}
)


@bp.before_app_request
def _two_step_required():
    """An administrator may require two-step sign-in for a role while people holding it are
    signed in: from their next page on, they are sent to set it up before anything else. A
    form already open still saves (a POST is let through), so nothing typed is lost; the page
    after it is the set-up page. The API is left alone: its tokens are their own credential."""
    if request.method != "GET" or request.endpoint in WHILE_SETTING_UP:
        return None
    if request.blueprint == "api" or not current_user.is_authenticated:
        return None
    if mfa.is_enabled(current_user) or not mfa.is_required(current_user):
        return None
    flash("Your role must now use two-step sign-in. Set it up to carry on.", "info")
    return redirect(url_for("auth.two_step"))


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        username = form.username.data
        user, status = throttled.check(
            "sign_in",
            username_key(username),
            form.password,
            lambda: sign_in_page.allowed_locally(users.authenticate(username, form.password.data)),
            wrong="The username or password is not right",
        )
        if user is not None and (mfa.is_enabled(user) or mfa.is_required(user)):
            session.clear()
            session[MFA_PENDING] = {
                "user_id": user.id,
                "at": time.time(),
                "next": _safe_next(request.args.get("next")),
            }
            step = "auth.second_step" if mfa.is_enabled(user) else "auth.set_up_second_step"
            return redirect(url_for(step))
        elif user is not None:
            _begin_session(user)
            _signed_in(user)
            return redirect(_safe_next(request.args.get("next")) or url_for("main.home"))
    return sign_in_page.render(form, status=status)


def _pending_user():
    """The account whose password was accepted less than PENDING_FOR ago, or None (and the
    pending step is forgotten)."""
    pending = session.get(MFA_PENDING)
    if not isinstance(pending, dict):
        return None
    user = users.get_user(pending.get("user_id") or 0)
    fresh = 0 <= time.time() - float(pending.get("at") or 0) <= PENDING_FOR
    if user is None or not user.active or not fresh:
        session.pop(MFA_PENDING, None)
        return None
    return user


def _finish_sign_in(user):
    after = session.get(MFA_PENDING, {}).get("next")
    _begin_session(user)  # clears the pending step with the rest of the old session
    _signed_in(user)
    return after or url_for("main.home")


def _start_again():
    flash("Your sign-in timed out. Sign in again.", "info")
    return redirect(url_for("auth.sign_in"))


@bp.route("/sign-in/code", methods=["GET", "POST"])
@public
def second_step():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    user = _pending_user()
    if user is None:
        return _start_again()
    if not mfa.is_enabled(user):  # reset by an administrator meanwhile
        return redirect(url_for("auth.set_up_second_step"))
    form = SecondStepForm()
    status = 200
    if form.validate_on_submit():
        how, status = throttled.check(
            "second_step",
            username_key(user.username),
            form.code,
            lambda: mfa.verify_second_step(user, form.code.data, ip=request.remote_addr),
            wrong="The code is not right. Enter the code your app shows now, or a recovery code.",
            user=user,
        )
        if how:
            return redirect(_finish_sign_in(user))
    return render_template(
        "auth/second_step.html", form=form, title="Enter your code", user=user
    ), status


@bp.route("/sign-in/set-up", methods=["GET", "POST"])
@public
def set_up_second_step():
    """Enrolling before anything else, for an account whose role must use two-step sign-in."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    user = _pending_user()
    if user is None:
        return _start_again()
    if mfa.is_enabled(user):
        return redirect(url_for("auth.second_step"))
    return _enrolment(user, url_for("auth.set_up_second_step"), during_sign_in=True)


def _enrolment(user, action: str, *, during_sign_in: bool):
    mfa.begin_enrolment(user)
    form = ConfirmTotpForm()
    status = 200
    if form.validate_on_submit():
        codes, status = throttled.check(
            "set_up_second_step",
            username_key(user.username),
            form.code,
            lambda: mfa.confirm_enrolment(user, form.code.data, ip=request.remote_addr),
            wrong="The code is not right. Enter the code your app shows now.",
            user=user,
        )
        if codes:
            after = _finish_sign_in(user) if during_sign_in else url_for("auth.account")
            return render_template(
                "auth/recovery_codes.html",
                codes=codes,
                title="Your recovery codes",
                continue_to=after,
            )
    return render_template(
        "auth/enrol.html",
        form=form,
        action=action,
        user=user,
        secret=user.totp_secret,
        qr=mfa.qr_data_uri(user),
        during_sign_in=during_sign_in,
        title="Set up two-step sign-in",
    ), status


@bp.route("/sign-out", methods=["POST"])
@requires("signed_in")
def sign_out():
    """Ends the session here; for a council sign-in, then the provider's too where it offers
    RP-initiated logout (if it cannot be reached, signing out here is still complete)."""
    user = current_actor()
    id_token = session.get(SSO_ID_TOKEN)  # "" for a council sign-in whose token was too long
    sessions.end_session(user.session_token, "signed_out")
    log_event("signed_out", user, ip=request.remote_addr)
    logout_user()
    session.clear()
    flash("You have signed out", "success")
    sso = sso_client.current() if id_token is not None and user.sso_subject else None
    after = url_for("auth.sign_in", _external=True)
    provider = sso.logout_url(id_token, after) if sso else None
    return redirect(provider or url_for("auth.sign_in"))


@bp.route("/account", methods=["GET", "POST"])
@requires("signed_in")
def account():
    form = ChangePasswordForm()
    user = current_actor()
    status = 200
    if form.validate_on_submit():
        right, status = throttled.check(
            "change_password",
            username_key(user.username),
            form.current_password,
            lambda: users.authenticate(user.username, form.current_password.data),
            wrong="Your current password is not right",
            user=user,
        )
        if right:
            users.set_password(user, form.new_password.data, actor=user)
            log_event("password_changed", user, ip=request.remote_addr)
            _begin_session(user)
            flash(
                "Your password has been changed. Your other sessions have been signed out.",
                "success",
            )
            return redirect(url_for("auth.account"))
    return render_template(
        "auth/account.html",
        form=form,
        title="Your account",
        user=user,
        mfa_enabled=mfa.is_enabled(user),
    ), status


@bp.route("/account/two-step", methods=["GET", "POST"])
@requires("signed_in")
def two_step():
    user = current_actor()
    if user.sso_subject:  # the council's provider asks its own second step
        return redirect(url_for("auth.account"))
    if not mfa.is_enabled(user):
        return _enrolment(user, url_for("auth.two_step"), during_sign_in=False)
    if request.method == "POST":
        return redirect(url_for("auth.two_step"))
    return _two_step_page(user)


def _two_step_page(user, codes_form=None, off_form=None, status=200):
    return render_template(
        "auth/two_step.html",
        user=user,
        codes_form=codes_form or PasswordConfirmForm(prefix="codes"),
        off_form=off_form or PasswordConfirmForm(prefix="off"),
        required=mfa.is_required(user),
        unused=mfa.unused_recovery_codes(user),
        title="Two-step sign-in",
    ), status


def _password_is_right(user, form, form_name: str) -> tuple[bool, int]:
    """(whether the password typed again is right, the status for the page: 429 if the
    throttle refused to check it)."""
    if not form.validate_on_submit():
        return False, 200
    right, status = throttled.check(
        form_name,
        username_key(user.username),
        form.password,
        lambda: users.authenticate(user.username, form.password.data),
        wrong="Your password is not right",
        user=user,
    )
    return bool(right), status


@bp.route("/account/two-step/recovery-codes", methods=["POST"])
@requires("signed_in")
def new_recovery_codes():
    user = current_actor()
    if not mfa.is_enabled(user):
        return redirect(url_for("auth.two_step"))
    form = PasswordConfirmForm(prefix="codes")
    right, status = _password_is_right(user, form, "new_recovery_codes")
    if not right:
        return _two_step_page(user, codes_form=form, status=status)
    codes = mfa.regenerate_recovery_codes(user, ip=request.remote_addr)
    return render_template(
        "auth/recovery_codes.html",
        codes=codes,
        title="Your recovery codes",
        continue_to=url_for("auth.two_step"),
    )


@bp.route("/account/two-step/turn-off", methods=["POST"])
@requires("signed_in")
def turn_off_two_step():
    user = current_actor()
    if not mfa.is_enabled(user):
        return redirect(url_for("auth.two_step"))
    if mfa.is_required(user):
        flash("Your role must use two-step sign-in, so it cannot be turned off.", "error")
        return redirect(url_for("auth.two_step"))
    form = PasswordConfirmForm(prefix="off")
    right, status = _password_is_right(user, form, "turn_off_two_step")
    if not right:
        return _two_step_page(user, off_form=form, status=status)
    mfa.disable(user, actor=user, event="mfa_disabled", ip=request.remote_addr)
    flash("Two-step sign-in is turned off", "success")
    return redirect(url_for("auth.account"))


@bp.route("/keep-alive")
@requires("signed_in")
def keep_alive():
    """Pinged by pages with long forms while the person is typing, so that writing for longer
    than the inactivity timeout does not sign them out and lose what they typed."""
    return {"signed_in": True}
