"""Signing in with the council's account (OpenID Connect single sign-on): the button's route
sends the person to the provider; the provider sends them back to the callback, where the
answer is checked (qa_app/auth/sso_client.py), the account found or made and its roles and
teams set from the mapping (qa_app/data/sso_accounts.py), and a session begun exactly as after
a password. Every failure shows the sign-in page with a plain message and no detail; the detail
goes to the security log as "sso_refused". The app's own second step is never asked: the
provider asks its own."""

from flask import current_app, flash, redirect, request, session, url_for
from flask_login import current_user

from qa_app.auth import sign_in_page, sso_client
from qa_app.auth.routes import SSO_ID_TOKEN, _begin_session, _safe_next, _signed_in, bp
from qa_app.data import sso_accounts
from qa_app.data.security_log import log_event
from qa_app.web.security import public

SSO_NEXT = "sso_next"
PENDING_KEPT = 3  # unfinished council sign-ins kept per browser (tabs opened at once)
ID_TOKEN_KEPT_UP_TO = 2500  # characters; a browser drops a cookie over 4 KB
NOT_SET_UP = "Council sign-in is not set up. Sign in with your Practice QA password."
UNAVAILABLE = (
    "Council sign-in is not available at the moment. Try again in a few minutes. If it keeps "
    "happening, tell your IT service desk."
)
DID_NOT_WORK = (
    "Council sign-in did not work. Start again from this page. If it keeps happening, ask "
    "your administrator."
)


def _refused(failure: sso_client.SsoFailure):
    log_event("sso_refused", None, ip=request.remote_addr, detail=failure.detail)
    if failure.provider_down:
        return sign_in_page.render(problem=UNAVAILABLE, status=200)
    return sign_in_page.render(problem=DID_NOT_WORK, status=400)


def _forget_older_attempts() -> None:
    """Keep the newest PENDING_KEPT - 1 unfinished council sign-ins of this browser (each holds
    its state, nonce and PKCE verifier in the session cookie), so that clicking the button again
    and again never overfills the cookie; the newest is added next."""
    prefix = f"_state_{sso_client.NAME}_"
    pending = sorted(
        (key for key in session if key.startswith(prefix)),
        key=lambda key: (session[key] or {}).get("exp", 0),
    )
    for key in pending[: max(0, len(pending) - (PENDING_KEPT - 1))]:
        session.pop(key)


@bp.route("/sign-in/council")
@public
def sign_in_council():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    sso = sso_client.current()
    if sso is None:
        flash(NOT_SET_UP, "info")
        return redirect(url_for("auth.sign_in"))
    session[SSO_NEXT] = _safe_next(request.args.get("next"))
    _forget_older_attempts()
    try:
        return sso.redirect_to_provider(url_for("auth.council_callback", _external=True))
    except sso_client.SsoFailure as failure:
        return _refused(failure)


@bp.route("/sign-in/council/callback")
@public
def council_callback():
    sso = sso_client.current()
    if sso is None:
        flash(NOT_SET_UP, "info")
        return redirect(url_for("auth.sign_in"))
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    try:
        claims, id_token = sso.finish()
    except sso_client.SsoFailure as failure:
        return _refused(failure)
    try:
        user = sso_accounts.sign_in(
            sso.settings.issuer,
            claims,
            sso.mapping,
            create=sso.settings.create_accounts,
            ip=request.remote_addr,
            keep_local=sso_client.local_sign_in(current_app.config).break_glass,
        )
    except sso_accounts.Refused as refused:
        username = str(claims.get("preferred_username") or claims.get("email") or "")[:80]
        log_event(
            "sso_refused",
            refused.user,
            username=refused.user.username if refused.user else username or None,
            ip=request.remote_addr,
            detail=refused.detail,
        )
        return sign_in_page.render(problem=refused.message, status=403)
    after = session.get(SSO_NEXT)
    _begin_session(user)
    # kept for the provider's sign-out (id_token_hint) unless it would overfill the cookie
    session[SSO_ID_TOKEN] = id_token if len(id_token) <= ID_TOKEN_KEPT_UP_TO else ""
    _signed_in(user, detail="council sign-in")
    return redirect(after or url_for("main.home"))
