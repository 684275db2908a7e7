"""Walking the URL map: every route with sample arguments, and who may open it.

EXPECTED is written from PRODUCT.md's roles (a set of roles, or {"GET": roles, "POST": roles}
where reading and writing differ), independently of qa_app.web.security, so a route
whose decorator drifts from what the product says fails the matrix test. A new route must be
added here or in a tests/routes_expected_<area>.py module (merged below), or the completeness
test fails. Sample values for URL arguments come from build_samples: every sample object a
person can own (the audit and its concern, the improvement action, the practice-week activity)
belongs to one account, values["_other_user"] ("someone.else").

EXPECTED is for anyone who does not own the sample objects (tests/web/test_security.py walks it
with an account per role). OWNER, merged from each area's OWNER, is what the owner gets where
PRODUCT.md makes it differ: more (the assigned auditor completes their audit) or less (nobody
moderates their own audit). tests/web/test_route_owner.py walks it as the owner holding each role
in turn; an endpoint not in OWNER is expected as in EXPECTED.

Walk does the visiting for both: it sends each request, sorts the answer into allowed (200,
302, or 400 for a POST whose form is empty), refused (403) or neither, and checks the security
headers on every answer."""

import importlib
import pkgutil
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from qa_app.models import Role
from tests.helpers import csrf_token

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
# matrix with tokens is tests/api/test_api_permissions.py.
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


# What the owner of the sample objects gets, where it differs from EXPECTED (areas add theirs).
OWNER: dict[str, object] = {}

SAMPLE_BUILDERS = []  # functions(values: dict) -> dict of extra sample URL arguments
for _module in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
    if _module.name.startswith("routes_expected_"):
        _area = importlib.import_module(f"tests.support.{_module.name}")
        EXPECTED.update(_area.EXPECTED)
        OWNER.update(getattr(_area, "OWNER", {}))
        if hasattr(_area, "sample_values"):
            SAMPLE_BUILDERS.append(_area.sample_values)


def expected(endpoint: str, method: str, *, owner: bool = False):
    """PUBLIC, API, or the roles that get in: for the owner of the sample objects, or not."""
    allowed = OWNER[endpoint] if owner and endpoint in OWNER else EXPECTED[endpoint]
    if isinstance(allowed, dict):  # different roles for reading (GET) and writing
        allowed = allowed[method]
    return allowed


def build_samples(make_user) -> dict:
    """Objects for every URL argument: a team, a locality, another person's account, and
    whatever each area's sample_values adds (cycles, audits... owned by that other person,
    values["_other_user"], or made by QA leads of their own)."""
    from qa_app.data.organisation import save_locality, save_team

    locality = save_locality("North", actor=None)
    team = save_team("MASH", locality, True, actor=None)
    # The owner of every sample object a person can own: an auditor who is also a senior
    # manager (team managers audit; senior managers lead practice-week activities, and a week's
    # managers must be senior managers). The owner walk then gives it one role at a time.
    other = make_user(Role.AUDITOR, Role.SENIOR_MANAGER, username="someone.else", teams=[team])
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


# ---- checking every answer ----------------------------------------------------------------

CACHEABLE = {"static", "assets.asset", "assets.build", "assets.govuk_js"}
CSP_PARTS = (
    "default-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
)
FORM_EXPIRED = "Your form has expired"


def header_problems(endpoint: str | None, response) -> list[str]:
    """What is missing from the security headers of one answer, whatever its status (a page,
    a redirect, a 400/401/403/404/405, JSON from the API). Only a public asset's 200 may be
    cached; everything else, error pages too, is no-store."""
    h = response.headers
    problems = []
    csp = h.get("Content-Security-Policy", "")
    problems += [f"CSP lacks {part}" for part in CSP_PARTS if part not in csp]
    if "'nonce-" not in csp or "unsafe-inline" in csp or "unsafe-eval" in csp:
        problems.append(f"CSP script-src is not nonce-only: {csp!r}")
    wanted = {
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
    }
    problems += [
        f"{name}: {h.get(name)!r}, expected {value!r}"
        for name, value in wanted.items()
        if h.get(name) != value
    ]
    if "camera=()" not in h.get("Permissions-Policy", ""):
        problems.append(f"Permissions-Policy: {h.get('Permissions-Policy')!r}")
    cacheable = endpoint in CACHEABLE and response.status_code == 200
    cache = h.get("Cache-Control", "")
    if cacheable and not cache.startswith("public"):
        problems.append(f"Cache-Control {cache!r} on a static asset")
    if not cacheable and cache != "no-store":
        problems.append(f"Cache-Control {cache!r}, expected 'no-store'")
    return problems


def _allowed_status(method: str, status: int) -> bool:
    # 400: a POST let in whose (empty) form was refused by the form, not by the permission.
    return status in (200, 302) or (method == "POST" and status == 400)


HREF_RE = re.compile(r'href="(/[^"]*)"')


def links_it_may_not_open(app, html: str, roles: frozenset) -> list[str]:
    """The links on a page that point at a page these roles are refused (as owner or not): a
    link a person may see should open."""
    adapter = app.url_map.bind("localhost")
    refused = []
    for href in sorted(set(HREF_RE.findall(html))):
        try:
            endpoint, _ = adapter.match(urlsplit(href.replace("&amp;", "&")).path, method="GET")
        except (HTTPException, RequestRedirect):
            continue
        allowed = {expected(endpoint, "GET"), expected(endpoint, "GET", owner=True)}
        if PUBLIC in allowed or API in allowed:
            continue
        if not any(roles & a for a in allowed):
            refused.append(f"links to {href} ({endpoint}), which it may not open")
    return refused


class Walk:
    """One client walking routes as an account with `roles`, collecting every surprise.

    `sign_in_again` gives a fresh signed-in client after the walk signs itself out. The CSRF
    token is fetched once per session (and again if a POST answers "form expired")."""

    def __init__(self, client, roles, label: str, sign_in_again: Callable | None = None):
        self.client = client
        self.roles = frozenset(roles)
        self.label = label
        self.sign_in_again = sign_in_again
        self.failures: list[str] = []
        self.visits = 0
        self._token = None

    def _post(self, url: str, method: str):
        if self._token is None:
            self._token = csrf_token(self.client)
        response = self.client.open(url, method=method, data={"csrf_token": self._token})
        if response.status_code == 400 and FORM_EXPIRED in response.get_data(as_text=True):
            self._token = csrf_token(self.client)  # the session changed under the token
            response = self.client.open(url, method=method, data={"csrf_token": self._token})
        return response

    def check(self, endpoint: str, method: str, url: str, allowed) -> None:
        self.visits += 1
        where = f"{self.label} {method} {url} ({endpoint})"
        if allowed == API:  # the session cookie is no credential for the API
            response = self.client.open(url, method=method, json={})
            if response.status_code != 401:
                self.failures.append(f"{where} -> {response.status_code}, expected 401")
        else:
            response = self.client.get(url) if method == "GET" else self._post(url, method)
            status = response.status_code
            let_in = allowed == PUBLIC or bool(self.roles & allowed)
            if let_in and not _allowed_status(method, status):
                what = "unexpected refusal" if status == 403 else "unexpected status"
                self.failures.append(f"{where} -> {status}: {what}")
            elif let_in and status == 302 and allowed != PUBLIC and endpoint != "auth.sign_out":
                if "/sign-in" in response.headers.get("Location", ""):
                    self.failures.append(f"{where} -> sent to sign in: the session was lost")
            elif not let_in and status != 403:
                what = "unexpected success" if _allowed_status(method, status) else "not 403"
                self.failures.append(f"{where} -> {status}: {what}")
        self.failures += [f"{where}: {p}" for p in header_problems(endpoint, response)]
        if method == "GET" and response.status_code == 200 and response.mimetype == "text/html":
            html = response.get_data(as_text=True)
            refused = links_it_may_not_open(self.client.application, html, self.roles)
            self.failures += [f"{where}: {p}" for p in refused]
        if endpoint == "auth.sign_out" and method == "POST" and self.sign_in_again:
            self.client, self._token = self.sign_in_again(), None  # it signed out; start again
