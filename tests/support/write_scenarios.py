"""One valid write through every write route of the app, for tests/data/test_write_paths.py.

A scenario is registered against the URL rule it exercises (endpoint and rule string, so an
endpoint with two rules, such as /admin/teams/new and /admin/teams/<id>, needs both). Its
set-up function makes whatever the write needs (accounts, templates, cycles, audits; through
the data layer or the real pages) and returns a `Write`: who acts, and how to send the ONE
request under test. The set-up fetches any CSRF token and lock version itself, so the only
request made between the test's "before" and "after" counts of the change log is the write.

This is a helper module, not a test module: the tests are in tests/data/test_write_paths.py."""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask
from werkzeug.test import TestResponse

from qa_app.api import patch as api_patch
from qa_app.api.tokens import create_token
from qa_app.data import audit_submission as submission
from qa_app.data import audits as audit_data
from qa_app.data import concerns, moderation, users
from qa_app.data.organisation import save_locality, save_team
from qa_app.data.templates import get_template
from qa_app.extensions import db
from qa_app.models import Audit, Role, User
from qa_app.rules.uk_time import uk_today
from qa_app.templates_engine.answers import placed_questions
from tests.api.filling_api import full_body
from tests.api.support import Api
from tests.audits.factory import make_audit
from tests.audits.filling import page_version, section_data
from tests.cycles.cycle_factory import make_cycle, put_on_list
from tests.helpers import PASSWORD, csrf_token, sign_in

API = "/api/v1"
NEW_PASSWORD = "a-different-horse-battery"
TEMPLATE = "single_assessment"
REPEATING_TEMPLATE = "icpc_reports"  # one block of questions per agency's report
CASE_LIST_CSV = b"case_reference,team,worker\n1000001,MASH,SW 1\n1000002,MASH,\n"


# ---- what a scenario is -----------------------------------------------------------------


@dataclass
class Write:
    """The one request under test, ready to send, and the account it acts as."""

    actor_id: int
    method: str
    url: str  # as sent, query string included
    send: Callable[[], TestResponse]
    expect: tuple[int, ...]  # the statuses that mean the write succeeded


@dataclass
class Ctx:
    """What set-up functions may use: the app and the conftest fixtures."""

    app: Flask
    client_as: Callable
    make_user: Callable
    request: object  # pytest's FixtureRequest, for fixtures only some scenarios need

    def templates(self) -> None:
        self.request.getfixturevalue("loaded_templates")

    def client_for(self, user: User):
        """A client signed in, through the real form, as an existing account."""
        client = self.app.test_client()
        assert sign_in(client, user.username).status_code == 302
        client.user = user
        return client

    def api_as(self, *roles: Role) -> Api:
        user = self.make_user(*roles)
        return Api(self.app, create_token(user, "write paths"), user)


@dataclass(frozen=True)
class Scenario:
    endpoint: str
    rule: str
    setup: Callable[[Ctx], Write]
    bug: str | None = None  # a known missing change-log row: the case is a strict xfail


SCENARIOS: dict[str, Scenario] = {}


def scenario(endpoint: str, rule: str, variant: str | None = None, bug: str | None = None):
    """Register a set-up function as the scenario for `rule` of `endpoint`. The key (and test
    id) is the endpoint, or endpoint:variant where one endpoint has several scenarios."""

    def register(setup: Callable[[Ctx], Write]):
        key = endpoint if variant is None else f"{endpoint}:{variant}"
        assert key not in SCENARIOS, f"two scenarios called {key}"
        SCENARIOS[key] = Scenario(endpoint, rule, setup, bug)
        return setup

    return register


# ---- building requests ------------------------------------------------------------------


def form_post(client, url: str, data: dict | None = None, *, page: str | None = None, **kwargs):
    """A form post with the CSRF token of `page` (default: the form's own page, `url`)."""
    payload = {"csrf_token": csrf_token(client, page or url), **(data or {})}
    return Write(
        actor_id=client.user.id,
        method="POST",
        url=url,
        send=lambda: client.post(url, data=payload, **kwargs),
        expect=(302, 303),
    )


def versioned_post(client, url: str, data: dict | None = None, *, page: str | None = None):
    """An audit form post carrying the lock version shown on `page` (default `url`)."""
    html = client.get(page or url).get_data(as_text=True)
    return form_post(client, url, {"lock_version": page_version(html), **(data or {})}, page=page)


def api_call(api: Api, method: str, path: str, body: dict, expect: int = 200) -> Write:
    return Write(
        actor_id=api.user.id,
        method=method,
        url=API + path,
        send=lambda: api.request(method, path, body, check=False),
        expect=(expect,),
    )


# ---- things to write to -----------------------------------------------------------------


def team(name: str = "MASH"):
    return save_team(name, None, True, actor=None)


def filled_audit(auditor: User, *, submit: bool = False, moderation_requested=False, **kwargs):
    """An audit of `auditor`, every answer, grade, theme and the overall judgement saved
    through qa_app.data (the PATCH body the API tests use); submitted if `submit`."""
    audit = make_audit(TEMPLATE, auditor=auditor, **kwargs)
    body = full_body(audit.template_version.content, audit.lock_version)
    body["overall"]["moderation_requested"] = moderation_requested
    version = api_patch.apply(audit, api_patch.plan(audit, body), actor=auditor)
    if submit:
        assert submission.submit(audit, based_on=version, actor=auditor) == []
    return db.session.get(Audit, audit.id)


def in_moderation(ctx: Ctx, *, started_by: User | None = None) -> Audit:
    """A submitted audit in the moderation queue, started by `started_by` if given."""
    audit = filled_audit(ctx.make_user(Role.AUDITOR), submit=True, moderation_requested=True)
    if started_by is not None:
        moderation.start(moderation.for_audit(audit), started_by, blind=False)
    return audit


def repeat_group(content: dict) -> tuple[str, str, str]:
    """(section key, repeat group key, first label) of the template's first repeat group."""
    for key, placed in placed_questions(content).items():
        question = placed.question
        if question["type"] == "repeat" and not placed.group_key:
            return placed.section_key, key, question["options"][0]["key"]
    raise AssertionError("the template has no repeat group")


# ---- administration ---------------------------------------------------------------------


@scenario("admin.new_user", "/admin/users/new")
def _new_user(ctx: Ctx) -> Write:
    admin = ctx.client_as(Role.ADMIN)
    return form_post(
        admin,
        "/admin/users/new",
        {
            "username": "j.smith",
            "display_name": "Jo Smith",
            "email": "jo.smith@example.gov.uk",
            "password": NEW_PASSWORD,
            "roles": [Role.AUDITOR.value],
        },
    )


@scenario("admin.edit_user", "/admin/users/<int:user_id>")
def _edit_user(ctx: Ctx) -> Write:
    admin = ctx.client_as(Role.ADMIN)
    other = ctx.make_user(Role.AUDITOR)
    return form_post(
        admin,
        f"/admin/users/{other.id}",
        {"display_name": "A new name", "roles": [Role.AUDITOR.value, Role.MODERATOR.value]},
    )


@scenario("admin.disable_user", "/admin/users/<int:user_id>/disable")
def _disable_user(ctx: Ctx) -> Write:
    admin = ctx.client_as(Role.ADMIN)
    other = ctx.make_user(Role.AUDITOR)
    return form_post(admin, f"/admin/users/{other.id}/disable", page=f"/admin/users/{other.id}")


@scenario("admin.enable_user", "/admin/users/<int:user_id>/enable")
def _enable_user(ctx: Ctx) -> Write:
    admin = ctx.client_as(Role.ADMIN)
    other = ctx.make_user(Role.AUDITOR)
    users.set_active(other, False, actor=None)
    return form_post(admin, f"/admin/users/{other.id}/enable", page=f"/admin/users/{other.id}")


@scenario("admin.set_password", "/admin/users/<int:user_id>/password")
def _set_password(ctx: Ctx) -> Write:
    admin = ctx.client_as(Role.ADMIN)
    other = ctx.make_user(Role.AUDITOR)
    return form_post(admin, f"/admin/users/{other.id}/password", {"password": NEW_PASSWORD})


@scenario("admin.settings", "/admin/settings")
def _settings(ctx: Ctx) -> Write:
    # The page also carries a "check a case reference" form (prefix check-): a read, posted to
    # the same address; test_write_paths checks that it writes nothing.
    admin = ctx.client_as(Role.ADMIN)
    return form_post(
        admin,
        "/admin/settings",
        {
            "council_name": "Northshire County Council",
            "service_name": "Practice QA",
            "case_reference_pattern": "[0-9]{7}",
            "case_reference_hint": "The 7-digit case number",
            "small_number_threshold": "5",
            "submit": "Save settings",
        },
    )


@scenario("admin.edit_team", "/admin/teams/new", "new")
def _new_team(ctx: Ctx) -> Write:
    admin = ctx.client_as(Role.ADMIN)
    locality = save_locality("North", actor=None)
    data = {"name": "Safeguarding North", "locality_id": str(locality.id), "active": "y"}
    return form_post(admin, "/admin/teams/new", data)


@scenario("admin.edit_team", "/admin/teams/<int:team_id>", "edit")
def _edit_team(ctx: Ctx) -> Write:
    admin = ctx.client_as(Role.ADMIN)
    found = team("MASH")
    data = {"name": "MASH and early help", "locality_id": "0", "active": "y"}
    return form_post(admin, f"/admin/teams/{found.id}", data)


@scenario("admin.edit_locality", "/admin/localities/new", "new")
def _new_locality(ctx: Ctx) -> Write:
    admin = ctx.client_as(Role.ADMIN)
    return form_post(admin, "/admin/localities/new", {"name": "South"})


@scenario("admin.edit_locality", "/admin/localities/<int:locality_id>", "edit")
def _edit_locality(ctx: Ctx) -> Write:
    admin = ctx.client_as(Role.ADMIN)
    locality = save_locality("North", actor=None)
    return form_post(admin, f"/admin/localities/{locality.id}", {"name": "North and coast"})


# ---- one's own account ------------------------------------------------------------------


@scenario("auth.account", "/account")
def _change_own_password(ctx: Ctx) -> Write:
    me = ctx.client_as(Role.AUDITOR)
    return form_post(
        me,
        "/account",
        {
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )


# ---- audits (qa_app/audits/routes.py and extras.py) -------------------------------------


def _my_audit(ctx: Ctx, template: str = TEMPLATE):
    ctx.templates()
    auditor = ctx.client_as(Role.AUDITOR)
    return auditor, make_audit(template, auditor=auditor.user)


@scenario("audits.section", "/audits/<int:audit_id>/sections/<section_key>")
def _save_section(ctx: Ctx) -> Write:
    auditor, audit = _my_audit(ctx)
    content = audit.template_version.content
    section = content["template"]["sections"][0]
    url = f"/audits/{audit.id}/sections/{section['key']}"
    data = {"action": "continue", **section_data(content, section, {})}
    return versioned_post(auditor, url, data)


@scenario("audits.section", "/audits/<int:audit_id>/sections/<section_key>", "add_block")
def _add_block(ctx: Ctx) -> Write:
    auditor, audit = _my_audit(ctx, REPEATING_TEMPLATE)
    section, group, label = repeat_group(audit.template_version.content)
    url = f"/audits/{audit.id}/sections/{section}"
    return versioned_post(auditor, url, {"action": f"add__{group}", f"new_block__{group}": label})


@scenario("audits.section", "/audits/<int:audit_id>/sections/<section_key>", "remove_block")
def _remove_block(ctx: Ctx) -> Write:
    auditor, audit = _my_audit(ctx, REPEATING_TEMPLATE)
    section, group, label = repeat_group(audit.template_version.content)
    audit_data.add_block(audit, group, label, based_on=audit.lock_version, actor=auditor.user)
    url = f"/audits/{audit.id}/sections/{section}"
    return versioned_post(auditor, url, {"action": f"remove__{group}__0"})


@scenario("audits.themes", "/audits/<int:audit_id>/themes")
def _save_themes(ctx: Ctx) -> Write:
    auditor, audit = _my_audit(ctx)
    first = next(iter(audit.template_version.content["themes"]))
    data = {"action": "continue", f"theme__{first}": "strength"}
    return versioned_post(auditor, f"/audits/{audit.id}/themes", data)


@scenario("audits.overall", "/audits/<int:audit_id>/overall")
def _save_overall(ctx: Ctx) -> Write:
    auditor, audit = _my_audit(ctx)
    data = {
        "evidence": "Case 12345678: the child was seen alone twice.",
        "practitioner_comments": "The worker agreed.",
    }
    return versioned_post(auditor, f"/audits/{audit.id}/overall", data)


@scenario("audits.submit", "/audits/<int:audit_id>/submit")
def _submit(ctx: Ctx) -> Write:
    ctx.templates()
    auditor = ctx.client_as(Role.AUDITOR)
    audit = filled_audit(auditor.user)
    return versioned_post(auditor, f"/audits/{audit.id}/submit", page=f"/audits/{audit.id}")


@scenario("audits.actions", "/audits/<int:audit_id>/actions")
def _add_action(ctx: Ctx) -> Write:
    auditor, audit = _my_audit(ctx)
    data = {
        "description": "Hold a strategy discussion about the new partner.",
        "owner": "Team manager",
        "due_date": ["27", "3", str(uk_today().year + 1)],
    }
    return form_post(auditor, f"/audits/{audit.id}/actions", data)


@scenario("audits.responses", "/audits/<int:audit_id>/responses")
def _add_response(ctx: Ctx) -> Write:
    auditor, audit = _my_audit(ctx)
    data = {
        "respondent": "practitioner",
        "agreement": "partly",
        "reflection": "The analysis could use the history more.",
        "next_steps": "Chronology before the next review.",
    }
    return form_post(auditor, f"/audits/{audit.id}/responses", data)


# ---- moderation -------------------------------------------------------------------------


@scenario("moderation.request_moderation", "/moderation/<int:audit_id>/request")
def _request_moderation(ctx: Ctx) -> Write:
    ctx.templates()
    cycle = make_cycle(templates=(TEMPLATE,))
    cycle.moderation_share = 0  # so submitting does not select it already
    db.session.commit()
    audit = filled_audit(ctx.make_user(Role.AUDITOR), submit=True, cycle=cycle)
    assert moderation.for_audit(audit) is None
    lead = ctx.client_as(Role.QA_LEAD)
    return form_post(lead, f"/moderation/{audit.id}/request", page=f"/audits/{audit.id}")


@scenario("moderation.start", "/moderation/<int:audit_id>/start")
def _start_moderation(ctx: Ctx) -> Write:
    ctx.templates()
    audit = in_moderation(ctx)
    moderator = ctx.client_as(Role.MODERATOR)
    return form_post(moderator, f"/moderation/{audit.id}/start", page="/moderation/")


@scenario("moderation.moderate", "/moderation/<int:audit_id>")
def _moderate(ctx: Ctx) -> Write:
    ctx.templates()
    moderator = ctx.client_as(Role.MODERATOR)
    audit = in_moderation(ctx, started_by=moderator.user)
    grades = moderation.auditor_grades(audit)
    data = {f"grade__{key}": grades[key] for key, _ in moderation.judgements(audit)}
    return form_post(moderator, f"/moderation/{audit.id}", {**data, "action": "complete"})


# ---- urgent concerns --------------------------------------------------------------------


def _concern(ctx: Ctx, *, responded: bool = False):
    ctx.templates()
    case_team = team("Safeguarding North")
    auditor = ctx.make_user(Role.AUDITOR)
    audit = make_audit(TEMPLATE, auditor=auditor, team=case_team)
    concern = concerns.raise_concern(audit, "No visit for six weeks.", actor=auditor)
    if responded:
        concerns.respond(concern, "Visited today.", actor=auditor)
    return concern, case_team


@scenario("concerns.raise_concern", "/concerns/raise/<int:audit_id>")
def _raise_concern(ctx: Ctx) -> Write:
    auditor, audit = _my_audit(ctx)
    data = {"description": "No visit for six weeks; a new partner in the household."}
    return form_post(auditor, f"/concerns/raise/{audit.id}", data)


@scenario("concerns.respond", "/concerns/<int:concern_id>/respond")
def _respond_to_concern(ctx: Ctx) -> Write:
    concern, case_team = _concern(ctx)
    manager = ctx.client_for(ctx.make_user(Role.AUDITOR, teams=[case_team]))
    data = {"response": "Visit made today; safety plan updated."}
    return form_post(
        manager, f"/concerns/{concern.id}/respond", data, page=f"/concerns/{concern.id}"
    )


@scenario("concerns.sign_off", "/concerns/<int:concern_id>/sign-off")
def _sign_off_concern(ctx: Ctx) -> Write:
    concern, _ = _concern(ctx, responded=True)
    lead = ctx.client_as(Role.QA_LEAD)
    return form_post(lead, f"/concerns/{concern.id}/sign-off", page=f"/concerns/{concern.id}")


# ---- audit cycles -----------------------------------------------------------------------


def _cycle(ctx: Ctx, *, on_list=(), audits=0):
    """A cycle and its team MASH; `on_list` references go on its case list, and `audits`
    unassigned audits are made in it."""
    ctx.templates()
    case_team = team("MASH")
    cycle = make_cycle(templates=(TEMPLATE,))
    if on_list:
        put_on_list(cycle, {case_team: list(on_list)})
    for n in range(audits):
        make_audit(TEMPLATE, team=case_team, cycle=cycle, reference=f"300000{n}")
    return cycle, case_team


def _lead_and_cycle(ctx: Ctx, **kwargs):
    cycle, case_team = _cycle(ctx, **kwargs)
    return ctx.client_as(Role.QA_LEAD), cycle, case_team


def _cycle_form(**overrides) -> dict:
    return {
        "name": "CIN plans, Q3 2026",
        "kind": "themed",
        "description": "Quality of child in need plans",
        "period_start": ["1", "7", "2026"],
        "period_end": ["30", "9", "2026"],
        "due_date": ["31", "10", "2026"],
        "templates": [str(get_template(TEMPLATE).id)],
        "theme_focus": "",
        "moderation_share": "15",
        **overrides,
    }


@scenario("cycles.edit_cycle", "/cycles/new", "new")
def _new_cycle(ctx: Ctx) -> Write:
    ctx.templates()
    lead = ctx.client_as(Role.QA_LEAD)
    return form_post(lead, "/cycles/new", _cycle_form())


@scenario("cycles.edit_cycle", "/cycles/<int:cycle_id>/edit", "edit")
def _edit_cycle(ctx: Ctx) -> Write:
    lead, cycle, _ = _lead_and_cycle(ctx)
    return form_post(lead, f"/cycles/{cycle.id}/edit", _cycle_form(name="Renamed cycle"))


@scenario("cycles.add_case", "/cycles/<int:cycle_id>/cases/new")
def _add_case(ctx: Ctx) -> Write:
    lead, cycle, case_team = _lead_and_cycle(ctx)
    data = {
        "case_reference": "1000001",
        "team_id": str(case_team.id),
        "worker": "SW 4",
        "template_id": str(get_template(TEMPLATE).id),
    }
    return form_post(lead, f"/cycles/{cycle.id}/cases/new", data)


@scenario("cycles.upload", "/cycles/<int:cycle_id>/case-list")
def _upload_case_list(ctx: Ctx) -> Write:
    lead, cycle, _ = _lead_and_cycle(ctx)
    data = {"file": (io.BytesIO(CASE_LIST_CSV), "cases.csv")}
    url = f"/cycles/{cycle.id}/case-list"
    return form_post(lead, url, data, content_type="multipart/form-data")


@scenario("cycles.next_step", "/cycles/<int:cycle_id>/case-list/next")
def _audit_every_case(ctx: Ctx) -> Write:
    lead, cycle, _ = _lead_and_cycle(ctx, on_list=("1000001", "1000002"))
    data = {"template_id": str(get_template(TEMPLATE).id)}
    return form_post(lead, f"/cycles/{cycle.id}/case-list/next", data)


@scenario("cycles.draw_sample", "/cycles/<int:cycle_id>/sample")
def _draw_sample(ctx: Ctx) -> Write:
    lead, cycle, _ = _lead_and_cycle(ctx, on_list=("1000001", "1000002", "1000003"))
    data = {
        "template_id": str(get_template(TEMPLATE).id),
        "mode": "count",
        "amount": "2",
        "exclude_months": "0",
        "seed": "482913",
    }
    return form_post(lead, f"/cycles/{cycle.id}/sample", data)


@scenario("cycles.spread", "/cycles/<int:cycle_id>/assign/spread")
def _spread(ctx: Ctx) -> Write:
    """The confirmation of a bulk assignment (its preview, which writes nothing, is set-up)."""
    lead, cycle, _ = _lead_and_cycle(ctx, audits=2)
    auditor = ctx.make_user(Role.AUDITOR)
    url, page = f"/cycles/{cycle.id}/assign/spread", f"/cycles/{cycle.id}/assign"
    data = {"how": "even", "auditor_ids": [str(auditor.id)]}
    shown = lead.post(url, data={"csrf_token": csrf_token(lead, page), **data})
    plan = re.search(r'name="plan" value="([0-9a-f]+)"', shown.get_data(as_text=True))
    assert plan, "the preview offers no confirmation"
    return form_post(lead, url, {**data, "plan": plan.group(1)}, page=page)


@scenario("cycles.assign_audit", "/cycles/<int:cycle_id>/assign/audit")
def _assign_one(ctx: Ctx) -> Write:
    lead, cycle, _ = _lead_and_cycle(ctx, audits=1)
    audit = db.session.scalars(db.select(Audit).where(Audit.cycle_id == cycle.id)).one()
    auditor = ctx.make_user(Role.AUDITOR)
    url = f"/cycles/{cycle.id}/assign/audit?audit={audit.id}"
    return form_post(lead, url, {"auditor_id": str(auditor.id)})


# ---- reports ------------------------------------------------------------------------------


def _report(ctx: Ctx):
    """A QA lead's client and a draft report of a cycle with audits in it."""
    from qa_app.findings import Filters
    from qa_app.services import report_drafting

    lead, cycle, _ = _lead_and_cycle(ctx, audits=1)
    report = report_drafting.draft(
        cycle=cycle, filters=Filters(), audience="internal", actor=lead.user
    )
    return lead, cycle, report


def _report_version(lead, report) -> str:
    import re

    html = lead.get(f"/reports/{report.id}").get_data(as_text=True)
    return re.search(r'name="lock_version"[^>]*value="(\d+)"', html).group(1)


@scenario("reporting.new", "/reports/new")
def _new_report(ctx: Ctx) -> Write:
    lead, cycle, _ = _lead_and_cycle(ctx, audits=1)
    return form_post(lead, "/reports/new", {"cycle": str(cycle.id), "audience": "internal"})


@scenario("reporting.edit", "/reports/<int:report_id>/edit")
def _edit_report(ctx: Ctx) -> Write:
    lead, _, report = _report(ctx)
    url = f"/reports/{report.id}/edit"
    data = {"lock_version": _report_version(lead, report), "section__0": "Edited."}
    return form_post(lead, url, data)


@scenario("reporting.publish", "/reports/<int:report_id>/publish")
def _publish_report(ctx: Ctx) -> Write:
    lead, _, report = _report(ctx)
    page = f"/reports/{report.id}"
    data = {"lock_version": _report_version(lead, report)}
    return form_post(lead, f"/reports/{report.id}/publish", data, page=page)


@scenario("reporting.redraft", "/reports/<int:report_id>/redraft")
def _redraft_report(ctx: Ctx) -> Write:
    lead, _, report = _report(ctx)
    return form_post(lead, f"/reports/{report.id}/redraft", page=f"/reports/{report.id}")


# ---- the JSON API (bearer token; no CSRF) -----------------------------------------------


@scenario("api.create_cycle", "/api/v1/cycles")
def _api_create_cycle(ctx: Ctx) -> Write:
    ctx.templates()
    api = ctx.api_as(Role.QA_LEAD)
    body = {
        "name": "Monthly programme, June",
        "kind": "monthly",
        "period_start": "2026-06-01",
        "period_end": "2026-06-30",
        "due_date": "2026-07-31",
        "templates": [TEMPLATE],
    }
    return api_call(api, "POST", "/cycles", body, expect=201)


@scenario("api.add_case", "/api/v1/cycles/<int:cycle_id>/cases")
def _api_add_case(ctx: Ctx) -> Write:
    cycle, _ = _cycle(ctx)
    api = ctx.api_as(Role.QA_LEAD)
    body = {"case_reference": "1000001", "team": "MASH", "template": TEMPLATE}
    return api_call(api, "POST", f"/cycles/{cycle.id}/cases", body, expect=201)


@scenario("api.create_audit", "/api/v1/audits")
def _api_create_audit(ctx: Ctx) -> Write:
    ctx.templates()
    team("MASH")
    auditor = ctx.make_user(Role.AUDITOR)
    api = ctx.api_as(Role.QA_LEAD)
    body = {
        "case_reference": "2000001",
        "template": TEMPLATE,
        "team": "MASH",
        "auditor": auditor.username,
        "due_date": "2026-12-01",
    }
    return api_call(api, "POST", "/audits", body, expect=201)


@scenario("api.patch_audit", "/api/v1/audits/<int:audit_id>")
def _api_patch_audit(ctx: Ctx) -> Write:
    ctx.templates()
    api = ctx.api_as(Role.AUDITOR)
    audit = make_audit(TEMPLATE, auditor=api.user)
    body = {"lock_version": audit.lock_version, "overall": {"evidence": "Seen alone twice."}}
    return api_call(api, "PATCH", f"/audits/{audit.id}", body)


@scenario("api.submit_audit", "/api/v1/audits/<int:audit_id>/submit")
def _api_submit_audit(ctx: Ctx) -> Write:
    ctx.templates()
    api = ctx.api_as(Role.AUDITOR)
    audit = filled_audit(api.user)
    body = {"lock_version": audit.lock_version}
    return api_call(api, "POST", f"/audits/{audit.id}/submit", body)


@scenario("api.moderate_audit", "/api/v1/audits/<int:audit_id>/moderation")
def _api_moderate(ctx: Ctx) -> Write:
    ctx.templates()
    audit = in_moderation(ctx)
    api = ctx.api_as(Role.MODERATOR)
    grades = moderation.auditor_grades(audit)
    body = {"grades": {key: grades[key] for key, _ in moderation.judgements(audit)}}
    return api_call(api, "POST", f"/audits/{audit.id}/moderation", {**body, "complete": True})


# ---- scenarios of other areas -----------------------------------------------------------
# tests/write_scenarios_<area>.py modules register their scenarios with `scenario` on import.


def _load_area_scenarios() -> None:
    import importlib
    import pkgutil
    from pathlib import Path

    for module in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
        if module.name.startswith("write_scenarios_"):
            importlib.import_module(f"tests.support.{module.name}")


_load_area_scenarios()
