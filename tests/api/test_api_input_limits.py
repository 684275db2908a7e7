"""What the database cannot hold is refused by the API itself, as a 422 naming the field (or a
404 for an id in the address), never a 500: numbers beyond a 64-bit integer, case references
longer than their column, NUL characters anywhere, and control characters (other than tab and
line breaks) in text, which PostgreSQL or the spreadsheet export would choke on."""

import pytest
from flask import Flask
from sqlalchemy import func, select

from qa_app.api import bp
from qa_app.data import organisation
from qa_app.data.cases import find_case
from qa_app.data.organisation import save_team
from qa_app.extensions import db
from qa_app.models import Answer, Audit, AuditCycle, Case, ChangeLogEntry, Role
from tests.api.support import PREFIX, api_as, error_of
from tests.audits.factory import make_audit

HUGE = "99999999999999999999"  # more than 2**63 - 1
CYCLE = {
    "name": "CIN plans, Q3",
    "kind": "themed",
    "period_start": "2026-07-01",
    "period_end": "2026-09-30",
    "templates": ["cin_plan"],
}


@pytest.fixture
def lead(app, make_user, loaded_templates):
    save_team("Assessment Team 1", None, True, actor=None)
    return api_as(app, make_user, Role.QA_LEAD, Role.MODERATOR)


@pytest.fixture
def auditor(app, make_user, loaded_templates):
    return api_as(app, make_user, Role.AUDITOR)


def fields_of(response) -> set[str]:
    return {p["field"] for p in error_of(response)["problems"]}


def audit_log(audit_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(ChangeLogEntry.action).where(
                ChangeLogEntry.entity_type == "audit", ChangeLogEntry.entity_id == str(audit_id)
            )
        )
    )


# ---- numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, field",
    [
        (f"cycle_id={HUGE}", "cycle_id"),
        (f"cycle_id=-{HUGE}", "cycle_id"),
        ("cycle_id=0", "cycle_id"),
        (f"offset={HUGE}", "offset"),
        (f"limit={HUGE}", "limit"),
    ],
)
def test_query_numbers_out_of_range_are_422(lead, query, field):
    response = lead.get(f"/audits?{query}")
    assert response.status_code == 422, response.get_json()
    assert error_of(response)["field"] == field


def test_body_numbers_out_of_range_are_422(lead, auditor):
    response = lead.post(
        "/audits",
        {"case_reference": "12345678", "template": "cin_plan", "cycle_id": 2**63},
    )
    assert response.status_code == 422, response.get_json()
    assert fields_of(response) == {"cycle_id"}
    response = lead.post("/cycles", {**CYCLE, "moderation_share": 2**64})
    assert response.status_code == 422 and fields_of(response) == {"moderation_share"}
    audit = make_audit("cin_plan", auditor=auditor.user)
    for version in (2**31, 2**63, 10**30, 0):
        response = auditor.patch(f"/audits/{audit.id}", {"lock_version": version})
        assert response.status_code == 422, (version, response.get_json())
        assert fields_of(response) == {"lock_version"}
        response = auditor.post(f"/audits/{audit.id}/submit", {"lock_version": version})
        assert response.status_code == 422 and fields_of(response) == {"lock_version"}
    assert db.session.get(Audit, audit.id).lock_version == 1


def test_ids_out_of_range_in_the_address_are_404(lead):
    for method, path in [
        ("GET", f"/audits/{HUGE}"),
        ("PATCH", f"/audits/{HUGE}"),
        ("POST", f"/audits/{HUGE}/submit"),
        ("POST", f"/audits/{HUGE}/moderation"),
        ("GET", f"/cycles/{HUGE}"),
        ("POST", f"/cycles/{HUGE}/cases"),
        ("GET", f"/templates/cin_plan/versions/{HUGE}"),
        ("GET", "/templates/cin%00plan"),
        ("GET", "/templates/cin%00plan/versions/1"),
    ]:
        body = {} if method != "GET" else None
        kwargs = {} if body is None else {"body": body}
        response = lead.request(method, path, **kwargs)
        assert response.status_code == 404, (method, path, response.get_json())


def test_the_api_refuses_ids_the_database_cannot_hold_by_itself():
    """Not relying on the application's <int:> converter: in an application with Flask's own,
    the API still answers 404 (before even asking for a token) for an id beyond 2**31 - 1 (a
    PostgreSQL integer: beyond it, PostgreSQL itself failed with a server error) or a key with
    a control character, and 401 for an id it could hold."""
    bare = Flask("bare")
    bare.register_blueprint(bp)
    client = bare.test_client()
    assert client.get(f"{PREFIX}/audits/{2**31 - 1}").status_code == 401
    for method, path in (
        ("GET", f"/audits/{2**31}"),
        ("GET", f"/audits/{2**63}"),
        ("PATCH", f"/audits/{HUGE}"),
        ("POST", f"/audits/{HUGE}/submit"),
        ("POST", f"/audits/{HUGE}/moderation"),
        ("GET", f"/cycles/{HUGE}"),
        ("POST", f"/cycles/{HUGE}/cases"),
        ("GET", f"/templates/cin_plan/versions/{HUGE}"),
        ("GET", "/templates/cin%00plan"),
        ("GET", "/templates/cin%1Bplan/versions/1"),
    ):
        response = client.open(PREFIX + path, method=method)
        assert response.status_code == 404, (method, path, response.get_json())
        assert response.get_json()["error"]["message"] == "Not found"


# ---- case references --------------------------------------------------------------------


def test_case_references_longer_than_60_characters_are_422(lead):
    organisation.update_settings(
        council_name="Example Council",
        service_name="Practice QA",
        case_reference_pattern=r"[A-Z0-9]+",
        case_reference_hint="Letters and digits",
        small_number_threshold=5,
        actor=None,
    )
    cycle_id = lead.post("/cycles", CYCLE).get_json()["id"]
    long = "A" * 61
    case = {"case_reference": long, "team": "Assessment Team 1", "template": "cin_plan"}
    response = lead.post(f"/cycles/{cycle_id}/cases", case)
    assert response.status_code == 422, response.get_json()
    assert error_of(response)["field"] == "case_reference"
    assert error_of(response)["message"] == "Use 60 characters or fewer"
    response = lead.post("/audits", case)
    assert response.status_code == 422 and fields_of(response) == {"case_reference"}
    assert db.session.scalars(select(Case)).all() == []
    case["case_reference"] = "A" * 60  # fits
    assert lead.post(f"/cycles/{cycle_id}/cases", case).status_code == 201
    assert find_case("A" * 60) is not None


# ---- characters -------------------------------------------------------------------------


def test_control_characters_in_text_are_422_naming_the_field(auditor):
    audit = make_audit("single_assessment", auditor=auditor.user)
    content = audit.template_version.content
    section = next(s for s in content["template"]["sections"] if s["graded"])
    text_q = next(q for q in section["questions"] if q["type"] == "text")
    levels = [lvl["key"] for lvl in content["scales"][content["template"]["scale"]]["levels"]]
    name = f"q__{text_q['key']}"
    body = {
        "lock_version": 1,
        "answers": {name: "Seen alone\x07 twice."},
        "section_grades": {section["key"]: {"grade": levels[1], "rationale": "Timely\x0b."}},
        "overall": {"evidence": "\x1b[31mRed\x1b[0m", "practitioner_comments": "Fine\x7f"},
    }
    response = auditor.patch(f"/audits/{audit.id}", body)
    assert response.status_code == 422, response.get_json()
    assert fields_of(response) == {
        f"answers.{name}",
        f"section_grades.{section['key']}.rationale",
        "overall.evidence",
        "overall.practitioner_comments",
    }
    assert "control character" in error_of(response)["message"]
    assert db.session.get(Audit, audit.id).lock_version == 1
    assert audit_log(audit.id) == ["created"]
    # tabs and line breaks are text
    text = "Seen alone twice:\r\n\t- at school\n\t- at home"
    body = {
        "lock_version": 1,
        "answers": {name: text},
        "section_grades": {section["key"]: {"grade": levels[1], "rationale": "Timely.\n\tYes."}},
    }
    response = auditor.patch(f"/audits/{audit.id}", body)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["answers"][text_q["key"]] == text.strip()


def test_nul_characters_anywhere_are_422_before_anything_is_looked_up(lead, auditor):
    response = lead.post(
        "/cycles",
        {**CYCLE, "name": "CIN\x00 plans", "description": "a\x00b", "templates": ["cin\x00"]},
    )
    assert response.status_code == 422, response.get_json()
    assert fields_of(response) == {"name", "description", "templates[0]"}
    assert "NUL" in error_of(response)["message"]
    response = lead.post(
        "/audits",
        {"case_reference": "12345678", "template": "cin_plan", "auditor": "a.auditor\x00"},
    )
    assert response.status_code == 422 and fields_of(response) == {"auditor"}
    audit = make_audit("icpc_reports", auditor=auditor.user)
    response = auditor.patch(
        f"/audits/{audit.id}",
        {
            "lock_version": 1,
            "answers": {"q__strategy_discussion_agencies": ["police\x00"], "q__x\x00": "y"},
            "add_blocks": [{"group": "agency_report", "label": "gp\x00"}],
        },
    )
    assert response.status_code == 422
    assert fields_of(response) == {
        "answers.q__strategy_discussion_agencies[0]",
        "answers",  # a field name with a NUL in it: named by where it is
        "add_blocks[0].label",
    }
    assert db.session.scalar(select(func.count(Answer.id))) == 0
    assert db.session.scalars(select(AuditCycle)).all() == []


def test_json_nested_beyond_the_parser_is_400_not_an_error(auditor):
    audit = make_audit("cin_plan", auditor=auditor.user)
    nested = '{"lock_version": 1, "answers": {"q__x": ' + "[" * 100_000 + "]" * 100_000 + "}}"
    response = auditor.client.patch(
        f"{PREFIX}/audits/{audit.id}",
        data=nested,
        headers={"Authorization": f"Bearer {auditor.token}", "Content-Type": "application/json"},
    )
    assert response.status_code == 400, response.get_json()
    assert error_of(response)["message"] == "Send a JSON object as the request body"


def test_characters_xml_cannot_carry_are_422_naming_the_field(auditor):
    """U+FFFE, U+FFFF and a lone surrogate (sent as the JSON escape \\ud800, which Python
    decodes to a str that cannot be encoded) are refused like the control characters: each
    broke a spreadsheet or Word download, or the request itself, when it was let in."""
    audit = make_audit("single_assessment", auditor=auditor.user)
    content = audit.template_version.content
    section = next(s for s in content["template"]["sections"] if s["graded"])
    text_q = next(q for q in section["questions"] if q["type"] == "text")
    name = f"q__{text_q['key']}"
    raw = (
        '{"lock_version": 1, "answers": {"NAME": "a\\ufffeb\\uffff"},'
        ' "overall": {"evidence": "\\ud800", "practitioner_comments": "x\\udfffy"}}'
    ).replace("NAME", name)
    response = auditor.client.patch(
        f"{PREFIX}/audits/{audit.id}",
        data=raw,
        headers={"Authorization": f"Bearer {auditor.token}", "Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.get_data(as_text=True)
    assert fields_of(response) == {
        f"answers.{name}",
        "overall.evidence",
        "overall.practitioner_comments",
    }
    messages = [p["message"] for p in error_of(response)["problems"]]
    assert any("non-character U+FFFE" in m for m in messages)
    assert any("lone surrogate (U+D800)" in m for m in messages)
    assert db.session.get(Audit, audit.id).lock_version == 1
    assert audit_log(audit.id) == ["created"]
