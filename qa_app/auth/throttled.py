"""The sign-in throttle at the route layer: who is trying (the account, the address, and the
browser's device cookie for that account) and a refusal turned into a 429 page whose field says
how long to wait, with a Retry-After header. Every route that checks a password or a code
calls check() here, so all of them share one rule (qa_app/data/sign_in_throttle.py)."""

from collections.abc import Callable

from flask import after_this_request, current_app, request

from qa_app.auth import device_cookie
from qa_app.data import sign_in_throttle


def client(account: str) -> sign_in_throttle.Client:
    return sign_in_throttle.Client(account, request.remote_addr, device_cookie.device_for(account))


def check(form: str, account: str, field, checking: Callable[[], object], *, wrong: str, user=None):
    """(what `checking()` returned, 200), with `wrong` added to `field`'s errors when that is
    nothing (the password or code was not right); or (None, 429) with the wait added instead
    when the throttle refuses the attempt without checking anything. `form` is a key of
    sign_in_throttle.FORMS; `account` a username key."""
    try:
        limits = sign_in_throttle.Limits.from_config(current_app.config)
        result = sign_in_throttle.attempt(client(account), form, checking, limits=limits, user=user)
    except sign_in_throttle.Throttled as refused:
        field.errors.append(refused.message)
        seconds = refused.seconds

        @after_this_request
        def _retry_after(response):
            response.headers["Retry-After"] = str(seconds)
            return response

        return None, 429
    if not result:
        field.errors.append(wrong)
    return result, 200
