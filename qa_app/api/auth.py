"""Who is calling: the bearer token, and nothing else. The session cookie is never read here,
so a signed-in browser cannot be made to call the API (no CSRF against it)."""

from collections.abc import Callable
from functools import wraps

from flask import g, request

from qa_app.api.blueprint import ApiError, unauthorised
from qa_app.api.tokens import user_for_token
from qa_app.data.security_log import log_event
from qa_app.models import User
from qa_app.rules.permissions import PERMISSIONS, may


def authenticate() -> User:
    """The active account behind the request's bearer token, or a 401 error."""
    header = request.headers.get("Authorization", "").strip()
    if not header:
        raise unauthorised(reason="")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise unauthorised(
            "The Authorization header must be 'Bearer <token>'", reason="invalid_request"
        )
    user = user_for_token(token)
    if user is None:
        log_event("api_token_refused", detail=request.path)
        raise unauthorised(
            "The API token is not valid: it is unknown, revoked, or its account is disabled"
        )
    g.api_user = user
    return user


def api_user() -> User:
    return g.api_user


def refuse(user: User, message: str | None = None) -> ApiError:
    """A logged 403, as the web's `requires` logs its refusals."""
    log_event("permission_refused", user, detail=request.path)
    return ApiError(403, message)


def api_requires(*permissions: str) -> Callable:
    """Authenticate the token, then refuse (403, logged) unless the account holds a role with
    one of `permissions` (qa_app.web.security.PERMISSIONS, exactly as the web)."""
    for permission in permissions:
        if permission not in PERMISSIONS:
            raise KeyError(f"unknown permission {permission!r}")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            user = authenticate()
            if not any(may(user, p) for p in permissions):
                raise refuse(user)
            return view(*args, **kwargs)

        wrapped.permission = "api:" + "|".join(permissions)
        wrapped.permissions = permissions
        return wrapped

    return decorator


def api_public(view: Callable) -> Callable:
    view.permission = "public"
    return view
