"""The JSON API and the HTML pages with hostile stored text (tests/documents/hostile.py): every
answer is 200, its body is UTF-8 holding none of the characters XML cannot carry (not even as a
JSON escape such as \\ud800, which strict JSON readers refuse), and each field's text is there
without them. A lone surrogate can be stored only in a JSON column (an answer's chosen options,
a template's questions, a report's narrative, a practice week's answers); U+FFFE, U+FFFF and
control characters in any text column."""

import copy
import json

import pytest
from sqlalchemy import select

from qa_app.extensions import db
from qa_app.models import Answer, ImprovementAction, Role
from tests.api.support import api_as
from tests.documents.hostile import XML_ILLEGAL, Hostile
from tests.documents.hostile_worlds import board_world as make_board_world
from tests.documents.hostile_worlds import (
    cycle_world,
    hostile_organisation,
    plan_world,
    scorecard_world,
    week_world,
)
from tests.helpers import sign_in


def strings(value):
    """Every string in a JSON document, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def json_problems(response) -> list[str]:
    body = response.get_data()
    assert response.status_code == 200, (response.request.path, response.status_code, body[:300])
    document = json.loads(body.decode("utf-8"))
    return [repr(s) for s in strings(document) if XML_ILLEGAL.search(s)]


def page_text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    text = response.get_data().decode("utf-8")  # strict: a lone surrogate cannot be encoded
    found = XML_ILLEGAL.findall(text)
    assert not found, (url, found)
    return text


@pytest.fixture
def h() -> Hostile:
    return Hostile()


@pytest.fixture
def cycle(h, loaded_templates, make_user):
    hostile_organisation(h)
    world = cycle_world(h, make_user)
    first = world["audits"][0]
    chosen = db.session.scalar(
        select(Answer).where(
            Answer.audit_id == first.id, Answer.question_key == "presenting_concerns"
        )
    )
    chosen.value_choices = ["neglect", h.text("chosen option", json=True)]
    version = first.template_version
    content = copy.deepcopy(version.content)
    question = content["template"]["sections"][0]["questions"][0]
    question["text"] = h.text("question text", json=True)
    version.content = content
    db.session.commit()
    return world


def test_the_api_answers_hostile_audits_cycles_and_templates_in_clean_json(
    cycle, h, app, make_user
):
    api = api_as(app, make_user, Role.QA_LEAD)
    first = cycle["audits"][0]
    audit = api.get(f"/audits/{first.id}")
    assert json_problems(audit) == []
    body = audit.get_data(as_text=True)
    for field in ("case reference 1", "worker", "team A", "answer", "chosen option"):
        assert h.safe(field) in body, field
    assert b"\\ud800" not in audit.get_data() and b"\\ufffe" not in audit.get_data()
    assert audit.get_json()["id"] == first.id  # numbers stay numbers
    listing = api.get(f"/audits?cycle_id={cycle['cycle'].id}")
    assert json_problems(listing) == []
    assert json_problems(api.get(f"/cycles/{cycle['cycle'].id}")) == []
    version = first.template_version
    template = api.get(f"/templates/{version.template.key}/versions/{version.number}")
    assert json_problems(template) == []
    assert h.safe("question text") in template.get_data(as_text=True)


def test_the_api_findings_with_hostile_team_names_are_clean_json(cycle, h, app, make_user):
    api = api_as(app, make_user, Role.QA_LEAD)
    findings = api.get("/findings")
    assert json_problems(findings) == []
    assert h.safe("team A") in findings.get_data(as_text=True)


def test_the_api_answers_a_hostile_improvement_plan_in_clean_json(
    h, loaded_templates, app, make_user
):
    plan_world(h, make_user)
    api = api_as(app, make_user, Role.QA_LEAD)
    assert json_problems(api.get("/improvement/plans")) == []
    action = db.session.scalar(select(ImprovementAction))
    detail = api.get(f"/improvement/actions/{action.id}")
    assert json_problems(detail) == []
    for field in ("action description", "action expected outcome", "progress note"):
        assert h.safe(field) in detail.get_data(as_text=True), field


def test_pages_showing_a_hostile_cycle_and_report_render_clean_html(cycle, h, client_as):
    lead = client_as(Role.QA_LEAD)
    first, report = cycle["audits"][0], cycle["report"]
    page_text(lead, f"/cycles/{cycle['cycle'].id}")
    audit_page = page_text(lead, f"/audits/{first.id}")
    for field in ("case reference 1", "answer", "chosen option"):
        assert h.safe(field) in audit_page, field
    shown = page_text(lead, f"/reports/{report.id}")
    for field in ("cycle report title", "cycle report finding strengths"):
        assert h.safe(field) in shown, field
    assert h.safe("cycle report title") in page_text(lead, f"/reports/{report.id}/edit")
    assert h.safe("team A") in page_text(lead, "/findings/")


def test_the_pages_of_a_hostile_board_report_render_clean_html(
    h, loaded_templates, make_user, client_as
):
    board = make_board_world(h, make_user)
    lead = client_as(Role.QA_LEAD)
    shown = page_text(lead, f"/reports/board/{board.id}")
    for field in ("board title", "board finding concerns", "board indicator REREF"):
        assert h.safe(field) in shown, field
    edit = page_text(lead, f"/reports/board/{board.id}/edit")
    for field in ("board title", "board finding concerns", "board section key_developments"):
        assert h.safe(field) in edit, field


def test_the_report_page_of_a_hostile_practice_week_renders_clean_html(
    h, loaded_templates, make_user, app
):
    week = week_world(h, make_user)
    running = app.test_client()
    assert sign_in(running, week.lead.username).status_code == 302
    report = page_text(running, f"/practice-weeks/{week.id}/report")
    for field in ("week name", "headlines 1", "observation what_could_be_better"):
        assert h.safe(field) in report, field


def test_the_pages_of_a_hostile_plan_and_scorecard_render_clean_html(
    h, loaded_templates, make_user, client_as
):
    plan = plan_world(h, make_user)
    scorecard_world(h)
    shown = page_text(client_as(Role.AUDITOR), f"/improvement/plans/{plan.id}")
    for field in ("plan title", "action description", "action owner"):
        assert h.safe(field) in shown, field
    scorecard = page_text(client_as(Role.BOARD_VIEWER), "/indicators/?month=2026-04")
    for field in ("indicator name CON01", "commentary CON01"):
        assert h.safe(field) in scorecard, field
