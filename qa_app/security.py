"""Security in one place: the permission table, the role decorator, the per-request CSP nonce
and the security headers every response carries."""

import secrets
from collections.abc import Callable
from functools import wraps

from flask import abort, g, request
from flask_login import current_user

from qa_app.models.users import Role

# Which roles may do what. Every route names one of these; tests walk the URL map against it.
PERMISSIONS: dict[str, frozenset[Role]] = {
    "signed_in": frozenset(Role),
    "manage_users": frozenset({Role.ADMIN}),
    "manage_organisation": frozenset({Role.ADMIN}),
    "view_templates": frozenset({Role.QA_LEAD, Role.MODERATOR}),
    # Case-level work. Board viewers and administrators never see case records.
    "manage_cycles": frozenset({Role.QA_LEAD}),
    "do_audits": frozenset({Role.AUDITOR, Role.QA_LEAD, Role.MODERATOR, Role.SENIOR_MANAGER}),
    "view_all_audits": frozenset({Role.QA_LEAD, Role.MODERATOR, Role.SENIOR_MANAGER}),
    "moderate": frozenset({Role.MODERATOR, Role.QA_LEAD}),
    "sign_off_concerns": frozenset({Role.QA_LEAD}),
    # Aggregate findings. Board viewers see them with small numbers hidden and no drill-down.
    "view_findings": frozenset(
        {Role.QA_LEAD, Role.MODERATOR, Role.SENIOR_MANAGER, Role.BOARD_VIEWER}
    ),
    # Draft, edit and publish reports.
    "manage_reports": frozenset({Role.QA_LEAD}),
    # Practice weeks: the QA lead plans the week and writes its findings; senior managers
    # (and the QA lead) see the schedule and record activities. Activity records are
    # case-level: board viewers and administrators never see them.
    "manage_practice_weeks": frozenset({Role.QA_LEAD}),
    "take_part_in_practice_weeks": frozenset({Role.QA_LEAD, Role.SENIOR_MANAGER}),
    # The improvement plan: read by the service's staff; plans and actions written by QA leads
    # and senior managers; an action's owner may post progress on their own action.
    "view_improvement_plan": frozenset(
        {Role.QA_LEAD, Role.MODERATOR, Role.SENIOR_MANAGER, Role.AUDITOR}
    ),
    "manage_improvement_plan": frozenset({Role.QA_LEAD, Role.SENIOR_MANAGER}),
    # Performance indicators are aggregate figures: read by the readers of findings (board
    # viewers too); definitions and imports are the QA lead's; commentary also senior managers'.
    "view_indicators": frozenset(
        {Role.QA_LEAD, Role.MODERATOR, Role.SENIOR_MANAGER, Role.BOARD_VIEWER}
    ),
    "manage_indicators": frozenset({Role.QA_LEAD}),
    "comment_on_indicators": frozenset({Role.QA_LEAD, Role.SENIOR_MANAGER}),
    # The email delivery state of every notification (who, what kind, sent or failing, the
    # relay's last answer; never case detail): the QA lead and the administrator.
    "view_notification_delivery": frozenset({Role.QA_LEAD, Role.ADMIN}),
}


def may(user, permission: str) -> bool:
    return bool(user.is_authenticated and user.roles & PERMISSIONS[permission])


def requires(permission: str) -> Callable:
    """Refuse the view (403, logged) unless the signed-in user holds a role with `permission`."""
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                from qa_app.extensions import login_manager

                return login_manager.unauthorized()
            if not may(current_user, permission):
                from qa_app.data.security_log import log_event

                log_event("permission_refused", current_user, detail=request.path)
                abort(403)
            return view(*args, **kwargs)

        wrapped.permission = permission
        return wrapped

    return decorator


def refuse():
    """Refuse the current request with 403, recording it in the security log (for refusals
    decided on the object, e.g. someone else's audit, after `requires` has let the role in)."""
    from qa_app.data.security_log import log_event

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


def content_security_policy(nonce: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "form-action 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ]
    )


def security_headers(response, *, nonce: str, https: bool, cacheable: bool):
    """Set the headers every response carries. One function, tested exactly."""
    headers = response.headers
    headers["Content-Security-Policy"] = content_security_policy(nonce)
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
