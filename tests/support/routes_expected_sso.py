"""Who may open the council sign-in routes: both are public (the button's route sends the
browser to the identity provider; the callback takes the provider's answer). With single
sign-on off, as in the walk, each sends the browser back to the sign-in page."""

from tests.support.route_walk import PUBLIC

EXPECTED = {
    "auth.sign_in_council": PUBLIC,
    "auth.council_callback": PUBLIC,
}
