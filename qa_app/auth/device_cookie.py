"""The device cookie (OWASP "Slow Down Online Guessing Attacks with Device Cookies"): set on
every complete sign-in, it marks the browser as one the account has signed in on, so that the
sign-in throttle (qa_app/data/sign_in_throttle.py) counts that browser's failures apart from
everyone else's and lets it in while the account is locked for unknown browsers.

The value is signed with the app's secret key (itsdangerous, its own salt, at most
QA_SIGN_IN_DEVICE_DAYS old, renewed at each sign-in) and holds a random device id and, for each
account signed in on this browser (up to MAX_ACCOUNTS, latest first: desks are shared), a keyed
hash of its username, so the cookie names nobody to whoever reads it. It is HttpOnly,
SameSite=Lax, and Secure whenever the session cookie is (qa_app/web/session_cookie.py). Only the
device id is ever logged, never the cookie."""

import hashlib
import hmac
import secrets

from flask import after_this_request, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

NAME = "practice_qa_device"
MAX_ACCOUNTS = 10
_SALT = "practice-qa-device-cookie"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_SALT)


def _max_age() -> int:
    return current_app.config["QA_SIGN_IN_DEVICE_DAYS"] * 24 * 60 * 60


def _tag(account: str) -> str:
    """The account as the cookie holds it: a keyed hash of its username key."""
    key = str(current_app.secret_key).encode()
    return hmac.new(key, f"device:{account}".encode(), hashlib.sha256).hexdigest()[:20]


def _read() -> tuple[str, list[str]] | None:
    """(device id, account tags) from a valid cookie on this request, or None."""
    raw = request.cookies.get(NAME)
    if not raw or len(raw) > 2048:
        return None
    try:
        value = _serializer().loads(raw, max_age=_max_age())
    except BadSignature:  # tampered with, from another key, or too old
        return None
    if not isinstance(value, dict):
        return None
    device, accounts = value.get("d"), value.get("a")
    if not (isinstance(device, str) and 8 <= len(device) <= 32 and isinstance(accounts, list)):
        return None
    return device, [a for a in accounts if isinstance(a, str)]


def device_for(account: str) -> str | None:
    """The device id if this browser carries a valid device cookie for `account` (a username
    key), else None."""
    found = _read()
    return found[0] if found and _tag(account) in found[1] else None


def remember(account: str) -> str:
    """Mark this browser as one `account` has signed in on (the cookie is set on the response);
    returns its device id: the one it already had, or a new one."""
    found = _read()
    device, accounts = found if found else (secrets.token_urlsafe(12), [])
    tag = _tag(account)
    accounts = [tag, *(a for a in accounts if a != tag)][:MAX_ACCOUNTS]
    value = _serializer().dumps({"d": device, "a": accounts})
    app = current_app._get_current_object()

    @after_this_request
    def _set_cookie(response):
        response.set_cookie(
            NAME,
            value,
            max_age=_max_age(),
            path="/",
            httponly=True,
            samesite="Lax",
            secure=app.session_interface.get_cookie_secure(app),
        )
        return response

    return device
