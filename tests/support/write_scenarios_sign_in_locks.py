"""One valid write through the route that clears a sign-in lock, for tests/data/test_write_paths.py:
a clear is recorded in the change log (and the security log) naming the administrator."""

from qa_app.data.sign_in_throttle import ACCOUNT
from qa_app.models import Role
from tests.auth.guessing import addresses, fail
from tests.support.write_scenarios import Ctx, Write, form_post, scenario


@scenario("admin.clear_sign_in_lock", "/admin/sign-in-locks/clear")
def _clear(ctx: Ctx) -> Write:
    admin = ctx.client_as(Role.ADMIN)
    target = ctx.make_user(Role.AUDITOR)
    stranger = ctx.app.test_client()
    for ip in addresses(10):
        fail(stranger, target.username, ip=ip)
    data = {"kind": ACCOUNT, "account": target.username}
    return form_post(admin, "/admin/sign-in-locks/clear", data, page="/admin/sign-in-locks")
