"""Who may open the two-step sign-in pages: the second step and the enrolment required before
signing in are public (they act only on the account whose password was just accepted, held in
the session for 5 minutes); setting it up, new recovery codes and turning it off are anyone's
own; resetting someone's enrolment is the administrator's."""

from tests.support.route_walk import ADMIN, EVERYONE, PUBLIC

EXPECTED = {
    "auth.second_step": PUBLIC,
    "auth.set_up_second_step": PUBLIC,
    "auth.two_step": EVERYONE,
    "auth.new_recovery_codes": EVERYONE,
    "auth.turn_off_two_step": EVERYONE,
    "admin.reset_two_step": ADMIN,
}
