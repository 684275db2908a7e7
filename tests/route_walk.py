"""Walking the URL map: every route with sample arguments, and who may open it.

EXPECTED is written from PRODUCT.md's roles, independently of qa_app.security, so a route
whose decorator drifts from what the product says fails the matrix test. A new route must be
added here, or the completeness test fails."""

from qa_app.models import Role

EVERYONE = frozenset(Role)
ADMIN = frozenset({Role.ADMIN})
TEMPLATE_READERS = frozenset({Role.QA_LEAD, Role.MODERATOR})
PUBLIC = "public"

EXPECTED: dict[str, object] = {
    "static": PUBLIC,
    "assets.govuk_js": PUBLIC,
    "assets.asset": PUBLIC,
    "assets.build": PUBLIC,
    "auth.sign_in": PUBLIC,
    "auth.sign_out": EVERYONE,
    "auth.account": EVERYONE,
    "main.home": EVERYONE,
    "admin.users": ADMIN,
    "admin.new_user": ADMIN,
    "admin.edit_user": ADMIN,
    "admin.disable_user": ADMIN,
    "admin.enable_user": ADMIN,
    "admin.set_password": ADMIN,
    "admin.settings": ADMIN,
    "admin.teams": ADMIN,
    "admin.edit_team": ADMIN,
    "admin.edit_locality": ADMIN,
    "admin.security_log": ADMIN,
    "template_library.index": TEMPLATE_READERS,
    "template_library.template": TEMPLATE_READERS,
    "template_library.preview": TEMPLATE_READERS,
}


def sample_args(fixtures: dict) -> dict:
    return {
        "filename": fixtures["filename"],
        "user_id": fixtures["user_id"],
        "team_id": fixtures["team_id"],
        "locality_id": fixtures["locality_id"],
        "key": "single_assessment",
        "number": 1,
    }


def routes(app, fixtures):
    """(endpoint, method, url) for every rule and method, with sample arguments filled in."""
    args = sample_args(fixtures)
    with app.test_request_context():
        from flask import url_for

        for rule in app.url_map.iter_rules():
            values = {a: args[a] for a in rule.arguments if a not in (rule.defaults or {})}
            if rule.endpoint == "static":
                values["filename"] = "favicon.svg"
            if rule.endpoint == "assets.asset":
                values["filename"] = "images/favicon.svg"
            if rule.endpoint == "assets.build":
                values["filename"] = "app.css"
            url = url_for(rule.endpoint, **values)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule.endpoint, method, url
