"""POST /api/v1/audits/<id>/moderation: a moderator agrees with or changes each graded
judgement through qa_app.data.moderation, with reasons for changes; both grades are kept."""

import pytest
from sqlalchemy import select

from qa_app.extensions import db
from qa_app.models import OVERALL, Audit, ChangeLogEntry, Moderation, ModerationGrade, Role
from tests.api.filling_api import full_body
from tests.api.support import api_as, error_of
from tests.audits.factory import make_audit


@pytest.fixture
def submitted(app, make_user, loaded_templates):
    """A single-assessment audit filled and submitted through the API, moderation requested."""
    auditor = api_as(app, make_user, Role.AUDITOR)
    audit = make_audit("single_assessment", auditor=auditor.user)
    body = full_body(audit.template_version.content, 1)
    body["overall"]["moderation_requested"] = True
    saved = auditor.patch(f"/audits/{audit.id}", body).get_json()
    response = auditor.post(f"/audits/{audit.id}/submit", {"lock_version": saved["lock_version"]})
    assert response.status_code == 200, response.get_json()
    auditor.audit = db.session.get(Audit, audit.id)
    return auditor


def judgement_keys(audit) -> list[str]:
    sections = audit.template_version.content["template"]["sections"]
    return [s["key"] for s in sections if s["graded"]] + [OVERALL]


def test_a_moderator_changes_a_grade_only_with_a_reason(app, make_user, submitted):
    audit = submitted.audit
    moderator = api_as(app, make_user, Role.MODERATOR)
    keys = judgement_keys(audit)
    grades = {k: "good" for k in keys}
    grades[keys[0]] = "requires_improvement"
    response = moderator.post(
        f"/audits/{audit.id}/moderation", {"grades": grades, "complete": True}
    )
    assert response.status_code == 422
    sections = audit.template_version.content["template"]["sections"]
    title = next(s["title"] for s in sections if s["key"] == keys[0])
    assert error_of(response)["problems"] == [
        {
            "field": f"reasons.{keys[0]}",
            "message": f"Give a reason for changing the auditor's grade for {title}",
        }
    ]
    assert db.session.get(Audit, audit.id).status == "submitted"
    response = moderator.post(
        f"/audits/{audit.id}/moderation",
        {"grades": grades, "reasons": {keys[0]: "No analysis of history."}, "complete": True},
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "completed" and body["audit_status"] == "moderated"
    first = body["judgements"][0]
    assert first["auditor_grade"] == "good" and first["moderator_grade"] == "requires_improvement"
    db.session.expire_all()
    rows = db.session.scalars(select(ModerationGrade)).all()
    assert {r.section_key for r in rows} == set(keys)
    actions = db.session.scalars(
        select(ChangeLogEntry.action).where(ChangeLogEntry.entity_id == str(audit.id))
    ).all()
    assert {"moderation_started", "moderation_saved", "moderated"} <= set(actions)
    again = moderator.post(f"/audits/{audit.id}/moderation", {"grades": grades})
    assert again.status_code == 409


def test_problems_and_refusals(app, make_user, submitted):
    audit = submitted.audit
    response = submitted.post(f"/audits/{audit.id}/moderation", {})
    assert response.status_code == 403  # auditors do not moderate, least of all their own
    lead = api_as(app, make_user, Role.QA_LEAD, Role.MODERATOR)
    response = lead.post(f"/audits/{audit.id}/moderation", {"grades": {"nonsense": "good"}})
    assert response.status_code == 422 and error_of(response)["field"] == "grades.nonsense"
    response = lead.post(f"/audits/{audit.id}/moderation", {"grades": {}})
    assert response.status_code == 422  # every judgement needs a grade
    assert {p["field"] for p in error_of(response)["problems"]} == {
        f"grades.{k}" for k in judgement_keys(audit)
    }
    grades = {k: "good" for k in judgement_keys(audit)}
    assert lead.post(f"/audits/{audit.id}/moderation", {"grades": grades}).status_code == 200
    other = api_as(app, make_user, Role.MODERATOR)
    response = other.post(f"/audits/{audit.id}/moderation", {"grades": grades})
    assert response.status_code == 409 and "Another moderator" in error_of(response)["message"]
    unqueued = make_audit("cin_plan", auditor=make_user(Role.AUDITOR), reference="555")
    assert lead.post(f"/audits/{unqueued.id}/moderation", {}).status_code == 404


def test_a_blind_moderation_records_the_moderators_grades_first(app, make_user, submitted):
    audit = submitted.audit
    moderator = api_as(app, make_user, Role.MODERATOR)
    keys = judgement_keys(audit)
    response = moderator.post(
        f"/audits/{audit.id}/moderation",
        {"grades": {k: "good" for k in keys}, "blind": True, "complete": True},
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["blind"] is True and body["status"] == "in_progress"  # first save: not complete
    assert body["judgements"][0]["auditor_grade"] == "good"  # shown once graded
    moderation = db.session.scalar(select(Moderation).where(Moderation.audit_id == audit.id))
    assert moderation.moderator_id == moderator.user.id


def test_a_refused_moderation_claims_nothing(app, make_user, submitted):
    """A 422 saves nothing: the moderation is not claimed, its blindness not fixed, and
    another moderator can then start it."""
    audit = submitted.audit
    keys = judgement_keys(audit)
    first = api_as(app, make_user, Role.MODERATOR)
    changed = {**{k: "good" for k in keys}, keys[0]: "requires_improvement"}
    refused = [
        ({"grades": {}, "blind": True}, {f"grades.{k}" for k in keys}),
        ({"grades": {k: "splendid" for k in keys}, "blind": True}, {f"grades.{k}" for k in keys}),
        ({"grades": changed, "complete": True}, {f"reasons.{keys[0]}"}),
        ({"grades": changed, "reasons": {keys[0]: "  "}, "complete": True}, {f"reasons.{keys[0]}"}),
    ]
    for body, fields in refused:
        response = first.post(f"/audits/{audit.id}/moderation", body)
        assert response.status_code == 422, body
        assert {p["field"] for p in error_of(response)["problems"]} == fields, body
        db.session.expire_all()
        moderation = db.session.scalar(select(Moderation).where(Moderation.audit_id == audit.id))
        assert (moderation.moderator_id, moderation.status, moderation.blind) == (
            None,
            "pending",
            False,
        ), body
        assert moderation.grades == []
    actions = db.session.scalars(
        select(ChangeLogEntry.action).where(ChangeLogEntry.entity_id == str(audit.id))
    ).all()
    assert "moderation_started" not in actions
    second = api_as(app, make_user, Role.MODERATOR)
    response = second.post(
        f"/audits/{audit.id}/moderation",
        {"grades": changed, "reasons": {keys[0]: "No analysis."}, "complete": True},
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["moderator_id"] == second.user.id and body["status"] == "completed"
    assert body["blind"] is False


def test_a_started_moderations_rules_are_checked_before_saving(app, make_user, submitted):
    """Once started (blind), the first save fixes the moderator's grades: later calls are
    checked against those, and a refused completion leaves the moderation as it was."""
    audit = submitted.audit
    keys = judgement_keys(audit)
    moderator = api_as(app, make_user, Role.MODERATOR)
    mine = {**{k: "good" for k in keys}, keys[0]: "requires_improvement"}
    response = moderator.post(f"/audits/{audit.id}/moderation", {"grades": mine, "blind": True})
    assert response.status_code == 200 and response.get_json()["status"] == "in_progress"
    # the grades are fixed now: completing needs a reason for the changed one only
    response = moderator.post(f"/audits/{audit.id}/moderation", {"complete": True})
    assert response.status_code == 422
    assert [p["field"] for p in error_of(response)["problems"]] == [f"reasons.{keys[0]}"]
    response = moderator.post(
        f"/audits/{audit.id}/moderation",
        {"reasons": {keys[0]: "No analysis."}, "complete": True},
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "completed"
    judgement = response.get_json()["judgements"][0]
    assert judgement["moderator_grade"] == "requires_improvement"
