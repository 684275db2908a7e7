"""Who may open the sign-in locks: the administrator's, like the security log."""

from tests.support.route_walk import ADMIN

EXPECTED = {
    "admin.sign_in_locks": ADMIN,
    "admin.clear_sign_in_lock": ADMIN,
}
