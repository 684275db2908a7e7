"""The sign-in page and who may use its password form. With single sign-on configured the
council's button comes first; QA_LOCAL_SIGN_IN=break-glass keeps the password form for the
administrators named in QA_BREAK_GLASS_USERS only. A password refused by that rule, or the
password of an account that signs in through the council, gets the same answer as a wrong
password (nobody learns which accounts exist), and the security log says why."""

from flask import current_app, render_template, request

from qa_app.auth import sso_client
from qa_app.auth.forms import SignInForm
from qa_app.data.security_log import log_event
from qa_app.models import Role, User

REFUSED = "local_sign_in_refused"


def allowed_locally(user: User | None) -> User | None:
    """`user` (whose password was right) if they may sign in with it, else None (logged)."""
    if user is None:
        return None
    local = sso_client.local_sign_in(current_app.config)
    if user.sso_subject:
        why = "a council sign-in account has no Practice QA password"
    elif not local.allows(user.username):
        why = "passwords are only for the break-glass accounts (QA_LOCAL_SIGN_IN)"
    elif local.break_glass_only and not user.has_role(Role.ADMIN):
        why = "a break-glass account must hold the administrator role"
    else:
        return user
    log_event(REFUSED, user, ip=request.remote_addr, detail=why)
    return None


def render(form: SignInForm | None = None, *, problem: str | None = None, status: int = 200):
    """The sign-in page; `problem` is a council sign-in failure in plain words."""
    sso = sso_client.current()
    local = sso_client.local_sign_in(current_app.config)
    return render_template(
        "auth/sign_in.html",
        form=form or SignInForm(),
        title="Sign in",
        council_button=sso.settings.button_text if sso else None,
        council_problem=problem,
        break_glass_only=local.break_glass_only,
    ), status
