"""Walking the URL map: every route with sample arguments, and who may open it.

EXPECTED is written from PRODUCT.md's roles (a set of roles, or {"GET": roles, "POST": roles}
where reading and writing differ), independently of qa_app.security, so a route
whose decorator drifts from what the product says fails the matrix test. A new route must be
added here or in a tests/routes_expected_<area>.py module (merged below), or the completeness
test fails. Sample values for URL arguments come from the `route_fixtures` fixture."""

import importlib
import pkgutil
from pathlib import Path

from qa_app.models import Role

EVERYONE = frozenset(Role)
ADMIN = frozenset({Role.ADMIN})
TEMPLATE_READERS = frozenset({Role.QA_LEAD, Role.MODERATOR})
QA_LEAD = frozenset({Role.QA_LEAD})
# Case-level roles: may do audits / see all audits. Never board viewers or administrators.
AUDITORS = frozenset({Role.AUDITOR, Role.QA_LEAD, Role.MODERATOR, Role.SENIOR_MANAGER})
ALL_AUDITS = frozenset({Role.QA_LEAD, Role.MODERATOR, Role.SENIOR_MANAGER})
MODERATORS = frozenset({Role.MODERATOR, Role.QA_LEAD})
PUBLIC = "public"
# JSON API (bearer token only): a web client, signed in or not, gets 401; the real role
# matrix with tokens is tests/api/test_permissions.py.
API = "api"

EXPECTED: dict[str, object] = {
    "static": PUBLIC,
    "assets.govuk_js": PUBLIC,
    "assets.asset": PUBLIC,
    "assets.build": PUBLIC,
    "auth.sign_in": PUBLIC,
    "auth.sign_out": EVERYONE,
    "auth.account": EVERYONE,
    "auth.keep_alive": EVERYONE,
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


SAMPLE_BUILDERS = []  # functions(values: dict) -> dict of extra sample URL arguments
for _module in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
    if _module.name.startswith("routes_expected_"):
        _area = importlib.import_module(f"tests.{_module.name}")
        EXPECTED.update(_area.EXPECTED)
        if hasattr(_area, "sample_values"):
            SAMPLE_BUILDERS.append(_area.sample_values)


def build_samples(make_user) -> dict:
    """Objects for every URL argument: a team, a locality, another person's account, and
    whatever each area's sample_values adds (cycles, audits... owned by someone else)."""
    from qa_app.data.organisation import save_locality, save_team

    locality = save_locality("North", actor=None)
    team = save_team("MASH", locality, True, actor=None)
    other = make_user(Role.AUDITOR, username="someone.else", teams=[team])
    values = {
        "user_id": other.id,
        "team_id": team.id,
        "locality_id": locality.id,
        "filename": "x",
        "_other_user": other,
        "_team": team,
    }
    for builder in SAMPLE_BUILDERS:
        values.update(builder(values))
    return values


def sample_args(fixtures: dict) -> dict:
    return {
        "key": "single_assessment",
        "number": 1,
        **{k: v for k, v in fixtures.items() if not k.startswith("_")},
    }


def routes(app, fixtures):
    """(endpoint, method, url) for every rule and method, with sample arguments filled in."""
    args = sample_args(fixtures)
    with app.test_request_context():
        from flask import url_for

        for rule in app.url_map.iter_rules():
            missing = [
                a for a in rule.arguments if a not in args and a not in (rule.defaults or {})
            ]
            assert not missing, f"route_fixtures gives no sample value for {missing}"
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
