"""Cycles through the API: create one, add cases to it; the same rules and change log as the
cycle pages."""

from datetime import date

import pytest
from sqlalchemy import select

from qa_app.data.organisation import save_team
from qa_app.extensions import db
from qa_app.models import Audit, AuditCycle, ChangeLogEntry, Role
from tests.api.support import api_as, error_of

CYCLE = {
    "name": "CIN plans, Q3",
    "kind": "themed",
    "description": "Themed audit of child in need plans",
    "period_start": "2026-07-01",
    "period_end": "2026-09-30",
    "due_date": "2026-10-31",
    "templates": ["cin_plan", "single_assessment"],
    "moderation_share": 20,
}


@pytest.fixture
def lead(app, make_user, loaded_templates):
    save_team("Assessment Team 1", None, True, actor=None)
    return api_as(app, make_user, Role.QA_LEAD)


def log(entity_type: str, entity_id) -> list[str]:
    return list(
        db.session.scalars(
            select(ChangeLogEntry.action)
            .where(
                ChangeLogEntry.entity_type == entity_type,
                ChangeLogEntry.entity_id == str(entity_id),
            )
            .order_by(ChangeLogEntry.id)
        )
    )


def test_a_qa_lead_creates_a_cycle(lead):
    response = lead.post("/cycles", CYCLE)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/cycles/{body['id']}")
    assert body["name"] == "CIN plans, Q3" and body["kind"] == "themed"
    assert body["templates"] == ["cin_plan", "single_assessment"]
    assert body["progress"]["total"] == 0 and body["case_list_size"] == 0
    cycle = db.session.get(AuditCycle, body["id"])
    assert cycle.period_end == date(2026, 9, 30) and cycle.moderation_share == 20
    assert cycle.created_by_id == lead.user.id
    assert log("cycle", cycle.id) == ["created"]
    assert lead.get(f"/cycles/{cycle.id}").get_json() == body
    assert [c["id"] for c in lead.get("/cycles").get_json()["items"]] == [cycle.id]


def test_cycle_problems_are_422_listing_every_field(lead):
    bad = {
        "name": "",
        "kind": "monthly",
        "period_start": "1 July",
        "period_end": "2026-09-31",
        "templates": ["no_such_template"],
        "moderation_share": "ten",
        "colour": "blue",
    }
    response = lead.post("/cycles", bad)
    assert response.status_code == 422
    fields = {p["field"] for p in error_of(response)["problems"]}
    assert fields == {
        "colour",
        "name",
        "period_start",
        "period_end",
        "templates",
        "moderation_share",
    }
    assert db.session.scalars(select(AuditCycle)).all() == []


def test_the_data_layers_rules_answer_with_their_field(lead):
    assert lead.post("/cycles", CYCLE).status_code == 201
    response = lead.post("/cycles", {**CYCLE, "name": "cin plans, q3"})
    assert response.status_code == 422
    assert error_of(response)["field"] == "name" and "already" in error_of(response)["message"]
    response = lead.post("/cycles", {**CYCLE, "name": "Backwards", "period_end": "2026-06-01"})
    assert response.status_code == 422 and error_of(response)["field"] == "period_end"


def test_adding_a_case_makes_an_unassigned_audit(lead):
    cycle_id = lead.post("/cycles", CYCLE).get_json()["id"]
    case = {
        "case_reference": "12345678",
        "team": "assessment team 1",
        "worker": "Social worker 3",
        "template": "cin_plan",
    }
    response = lead.post(f"/cycles/{cycle_id}/cases", case)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["case_reference"] == "12345678" and body["team"] == "Assessment Team 1"
    assert body["template"]["key"] == "cin_plan" and body["auditor"] is None
    assert body["status"] == "not_started" and body["due_date"] == "2026-10-31"
    audit = db.session.get(Audit, body["id"])
    assert audit.cycle_id == cycle_id
    assert log("audit", audit.id) == ["created"]
    assert log("cycle", cycle_id) == ["created", "case_added"]
    assert log("case", audit.case_id) == ["created"]
    cycle = lead.get(f"/cycles/{cycle_id}").get_json()
    assert cycle["progress"]["not_started"] == 1 and cycle["case_list_size"] == 1
    response = lead.post(f"/cycles/{cycle_id}/cases", case)
    assert response.status_code == 422 and "already has" in error_of(response)["message"]


def test_case_problems_are_422(lead):
    cycle_id = lead.post("/cycles", CYCLE).get_json()["id"]
    response = lead.post(
        f"/cycles/{cycle_id}/cases",
        {"case_reference": "Jane Smith", "team": "Assessment Team 1", "template": "cin_plan"},
    )
    assert response.status_code == 422
    assert error_of(response)["field"] == "case_reference"
    assert "never a child's name" in error_of(response)["message"]
    response = lead.post(
        f"/cycles/{cycle_id}/cases",
        {"case_reference": "12345678", "team": "No such team", "template": "cp_plan_visits"},
    )
    assert {p["field"] for p in error_of(response)["problems"]} == {"team"}
    response = lead.post(
        f"/cycles/{cycle_id}/cases",
        {"case_reference": "12345678", "team": "Assessment Team 1", "template": "icpc_reports"},
    )
    assert response.status_code == 422 and error_of(response)["field"] == "template"
    assert lead.post("/cycles/999999/cases", {}).status_code == 404
    assert db.session.scalars(select(Audit)).all() == []


def test_auditors_see_only_the_cycles_they_audit_in(app, lead, make_user):
    from tests.audits.factory import make_audit

    mine = lead.post("/cycles", CYCLE).get_json()["id"]
    other = lead.post("/cycles", {**CYCLE, "name": "Other"}).get_json()["id"]
    auditor = api_as(app, make_user, Role.AUDITOR)
    make_audit("cin_plan", auditor=auditor.user, cycle=db.session.get(AuditCycle, mine))
    assert [c["id"] for c in auditor.get("/cycles").get_json()["items"]] == [mine]
    assert auditor.get(f"/cycles/{mine}").status_code == 200
    assert auditor.get(f"/cycles/{other}").status_code == 403
    assert auditor.post("/cycles", {**CYCLE, "name": "Mine"}).status_code == 403


def test_a_template_listed_twice_is_422_not_an_error(lead):
    response = lead.post("/cycles", {**CYCLE, "templates": ["cin_plan", "cin_plan"]})
    assert response.status_code == 422, response.get_json()
    assert error_of(response)["field"] == "templates"
    assert error_of(response)["message"] == "'cin_plan' is listed twice"
    assert db.session.scalars(select(AuditCycle)).all() == []


def test_adding_a_known_case_without_a_worker_keeps_its_worker(lead):
    from qa_app.data.cases import find_case

    first = lead.post("/cycles", CYCLE).get_json()["id"]
    case = {
        "case_reference": "12345678",
        "team": "Assessment Team 1",
        "worker": "Social worker 3",
        "template": "cin_plan",
    }
    assert lead.post(f"/cycles/{first}/cases", case).status_code == 201
    no_worker = {k: v for k, v in case.items() if k != "worker"}
    response = lead.post(f"/cycles/{first}/cases", {**no_worker, "template": "single_assessment"})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["worker"] == "Social worker 3"
    db.session.expire_all()
    assert find_case("12345678").worker == "Social worker 3"
    assert log("case", find_case("12345678").id) == ["created"]  # nothing changed
    # null (or "") still clears it, as the web form's empty field does
    second = lead.post("/cycles", {**CYCLE, "name": "Second"}).get_json()["id"]
    response = lead.post(f"/cycles/{second}/cases", {**case, "worker": None})
    assert response.status_code == 201 and response.get_json()["worker"] is None
