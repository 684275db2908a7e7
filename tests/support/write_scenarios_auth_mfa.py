"""One valid write through each two-step sign-in route that changes an account, for
tests/data/test_write_paths.py. The second step itself (auth.second_step) writes only the security
log, like signing in, and is exempt there."""

import time

import pyotp

from qa_app.data import mfa
from qa_app.data.organisation import get_settings
from qa_app.extensions import db
from qa_app.models import Role
from tests.helpers import PASSWORD, sign_in
from tests.support.write_scenarios import Ctx, Write, form_post, scenario


def _code(user, steps_ahead: int = 0) -> str:
    db.session.refresh(user)
    return pyotp.TOTP(user.totp_secret).at(time.time() + 30 * steps_ahead)


def enrolled(user) -> list[str]:
    """Set up two-step sign-in for `user` through the data layer; returns its recovery codes."""
    mfa.begin_enrolment(user)
    return mfa.confirm_enrolment(user, _code(user, -1))


def _expect_200(write: Write) -> Write:
    write.expect = (200,)
    return write


@scenario("auth.two_step", "/account/two-step")
def _enrol(ctx: Ctx) -> Write:
    me = ctx.client_as(Role.AUDITOR)
    page = me.get("/account/two-step")  # starts enrolling: the secret is stored
    assert page.status_code == 200
    return _expect_200(form_post(me, "/account/two-step", {"code": _code(me.user)}))


@scenario("auth.set_up_second_step", "/sign-in/set-up")
def _enrol_during_sign_in(ctx: Ctx) -> Write:
    get_settings().mfa_required_roles = [Role.MODERATOR.value]
    db.session.commit()
    user = ctx.make_user(Role.MODERATOR)
    client = ctx.app.test_client()
    assert sign_in(client, user.username).status_code == 302
    client.user = user
    client.get("/sign-in/set-up")
    return _expect_200(form_post(client, "/sign-in/set-up", {"code": _code(user)}))


@scenario("auth.new_recovery_codes", "/account/two-step/recovery-codes")
def _new_codes(ctx: Ctx) -> Write:
    me = ctx.client_as(Role.AUDITOR)
    enrolled(me.user)
    data = {"codes-password": PASSWORD}
    write = form_post(me, "/account/two-step/recovery-codes", data, page="/account/two-step")
    return _expect_200(write)


@scenario("auth.turn_off_two_step", "/account/two-step/turn-off")
def _turn_off(ctx: Ctx) -> Write:
    me = ctx.client_as(Role.AUDITOR)
    enrolled(me.user)
    data = {"off-password": PASSWORD}
    return form_post(me, "/account/two-step/turn-off", data, page="/account/two-step")


@scenario("admin.reset_two_step", "/admin/users/<int:user_id>/reset-two-step")
def _reset(ctx: Ctx) -> Write:
    admin = ctx.client_as(Role.ADMIN)
    other = ctx.make_user(Role.AUDITOR)
    enrolled(other)
    url = f"/admin/users/{other.id}/reset-two-step"
    return form_post(admin, url, page=f"/admin/users/{other.id}")
