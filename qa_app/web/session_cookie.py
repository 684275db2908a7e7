"""Cookies the app sets: the session cookie's interface, and the one rule for `Secure`.

A cookie is `Secure` (the browser only sends it over HTTPS) whenever the app is not being used
on this machine's loopback address: over HTTPS, or under any host name but 127.0.0.1, localhost
or ::1. `make run` serves http://127.0.0.1:5000/, where a Secure cookie would never come back;
anywhere else plain HTTP would carry the session in the clear, so the cookie is withheld there
rather than exposed. QA_SECURE_COOKIES=1 forces it on everywhere; =0 forces it off (only for a
trusted network that has no TLS, which we advise against: see docs/deployment.md)."""

from urllib.parse import urlsplit

from flask import has_request_context, request
from flask.sessions import SecureCookieSessionInterface

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def cookies_secure(app) -> bool:
    """Whether a cookie set in this request is marked Secure (see the module's rule)."""
    setting = app.config.get("SESSION_COOKIE_SECURE")
    if setting is not None:
        return bool(setting)
    if not has_request_context():
        return True
    if request.is_secure:
        return True
    return (urlsplit(f"//{request.host}").hostname or "") not in LOOPBACK


class SessionInterface(SecureCookieSessionInterface):
    def get_cookie_secure(self, app) -> bool:
        return cookies_secure(app)
