"""Security for every page: the role decorator, the per-request CSP nonce
and the security headers every response carries."""

import secrets
from collections.abc import Callable, Sequence
from functools import wraps
from urllib.parse import urlsplit

from flask import abort, g, request
from flask_login import current_user

from qa_app.data.security_log import log_event
from qa_app.extensions import login_manager
from qa_app.rules.permissions import PERMISSIONS, may


def requires(permission: str) -> Callable:
    """Refuse the view (403, logged) unless the signed-in user holds a role with `permission`."""
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not may(current_user, permission):
                log_event("permission_refused", current_user, detail=request.path)
                abort(403)
            return view(*args, **kwargs)

        wrapped.permission = permission
        return wrapped

    return decorator


def refuse():
    """Refuse the current request with 403, recording it in the security log (for refusals
    decided on the object, e.g. someone else's audit, after `requires` has let the role in)."""
    log_event("permission_refused", current_user, detail=request.path)
    abort(403)


def public(view: Callable) -> Callable:
    """Mark a view as open to people who are not signed in (the sign-in page, assets)."""
    view.permission = "public"
    return view


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def origin_of(address: str) -> str | None:
    """ "https://login.example.org" of an http(s) address; None for anything else."""
    parts = urlsplit(address.strip())
    if parts.scheme not in ("https", "http") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(nonce: str, form_origins: Sequence[str] = ()) -> str:
    """The policy every response carries. `form_origins`: other origins a form may lead to, by
    its own action or by a redirect after it (browsers apply form-action to both): only the
    council's identity provider, where signing out sends a council sign-in next."""
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            " ".join(["form-action 'self'", *form_origins]),
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ]
    )


def security_headers(
    response, *, nonce: str, https: bool, cacheable: bool, form_origins: Sequence[str] = ()
):
    """Set the headers every response carries. One function, tested exactly."""
    headers = response.headers
    headers["Content-Security-Policy"] = content_security_policy(nonce, form_origins)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    if https:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if cacheable:
        headers["Cache-Control"] = "public, max-age=3600"
    else:
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response
