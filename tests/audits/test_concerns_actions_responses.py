"""Urgent concerns, actions for the case and practitioner responses, through the web."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from qa_app.data.organisation import save_team
from qa_app.extensions import db
from qa_app.models import CaseAction, ChangeLogEntry, Concern, PractitionerResponse, Role
from qa_app.rules.uk_time import add_working_days
from tests.audits.factory import make_audit
from tests.helpers import csrf_token, sign_in


def _post(client, url, data):
    return client.post(url, data={"csrf_token": csrf_token(client), **data})


def test_one_working_day_skips_the_weekend():
    friday = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    assert add_working_days(friday, 1) == datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
    assert add_working_days(datetime(2026, 11, 18, 9, 0, tzinfo=UTC), 1).day == 19


def test_a_concern_reaches_the_qa_lead_and_the_team_at_once_and_must_be_signed_off(
    app, client_as, make_user, loaded_templates
):
    team = save_team("Safeguarding North", None, True, actor=None)
    auditor = client_as(Role.AUDITOR)
    audit = make_audit("cp_plan_visits", auditor=auditor.user, team=team)
    empty = _post(auditor, f"/concerns/raise/{audit.id}", {"description": ""})
    assert "Describe the concern" in empty.get_data(as_text=True)
    response = _post(
        auditor,
        f"/concerns/raise/{audit.id}",
        {"description": "No visit for 6 weeks; new partner in the household."},
    )
    assert response.status_code == 302
    concern = db.session.scalars(select(Concern)).one()
    make_user(Role.AUDITOR, username="team.manager", teams=[team])
    manager_client = app.test_client()
    sign_in(manager_client, "team.manager")
    lead = client_as(Role.QA_LEAD)
    for client in (lead, manager_client):
        home = client.get("/").get_data(as_text=True)
        assert "Urgent safeguarding concerns" in home and audit.case.case_reference in home
    outsider = client_as(Role.AUDITOR)
    assert audit.case.case_reference not in outsider.get("/").get_data(as_text=True)
    assert outsider.get(f"/concerns/{concern.id}").status_code == 403
    # it cannot be signed off before a response
    refused = _post(lead, f"/concerns/{concern.id}/sign-off", {})
    assert refused.status_code == 400
    assert "needs a response" in refused.get_data(as_text=True)
    assert (
        _post(
            manager_client,
            f"/concerns/{concern.id}/respond",
            {"response": "Visit made today; safety plan updated."},
        ).status_code
        == 302
    )
    assert _post(manager_client, f"/concerns/{concern.id}/sign-off", {}).status_code == 403
    assert _post(lead, f"/concerns/{concern.id}/sign-off", {}).status_code == 302
    db.session.expire_all()
    concern = db.session.get(Concern, concern.id)
    assert concern.signed_off_by_id == lead.user.id
    actions = {
        e.action
        for e in db.session.scalars(
            select(ChangeLogEntry).where(ChangeLogEntry.entity_type == "concern")
        )
    }
    assert actions == {"raised", "responded", "signed_off"}
    assert audit.case.case_reference not in lead.get("/").get_data(as_text=True)


def test_an_overdue_concern_is_marked_until_signed_off(client_as, loaded_templates):
    auditor = client_as(Role.AUDITOR)
    audit = make_audit("cin_plan", auditor=auditor.user)
    _post(auditor, f"/concerns/raise/{audit.id}", {"description": "Child not seen."})
    concern = db.session.scalars(select(Concern)).one()
    concern.respond_by = datetime.now(UTC) - timedelta(hours=1)
    db.session.commit()
    lead = client_as(Role.QA_LEAD)
    assert "Overdue" in lead.get("/concerns/").get_data(as_text=True)
    assert "Overdue" in lead.get(f"/audits/{audit.id}").get_data(as_text=True)


def test_actions_and_practitioner_responses_are_recorded_and_shown(client_as, loaded_templates):
    auditor = client_as(Role.AUDITOR)
    audit = make_audit("cin_plan", auditor=auditor.user)
    assert (
        _post(
            auditor,
            f"/audits/{audit.id}/actions",
            {
                "description": "Update the plan with SMART outcomes",
                "owner": "Team manager",
                "due_date": ["1", "3", "2027"],
            },
        ).status_code
        == 302
    )
    assert (
        _post(
            auditor,
            f"/audits/{audit.id}/responses",
            {
                "respondent": "practitioner",
                "agreement": "partly",
                "reflection": "I had not recorded the child's views.",
                "next_steps": "Record direct work each visit.",
            },
        ).status_code
        == 302
    )
    action = db.session.scalars(select(CaseAction)).one()
    assert (action.owner, action.due_date.isoformat()) == ("Team manager", "2027-03-01")
    response = db.session.scalars(select(PractitionerResponse)).one()
    assert response.agreement == "partly"
    page = auditor.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "Update the plan with SMART outcomes" in page
    assert "The practitioner: partly agrees" in page
    logged = {
        e.action
        for e in db.session.scalars(
            select(ChangeLogEntry).where(
                ChangeLogEntry.entity_type == "audit", ChangeLogEntry.entity_id == str(audit.id)
            )
        )
    }
    assert {"action_added", "response_recorded"} <= logged
