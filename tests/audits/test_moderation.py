"""Moderation through the web: selection on submit, the queue, agreeing or changing each
graded judgement with reasons (both grades kept), and blind moderation."""

import re

import pytest
from sqlalchemy import select

from qa_app.data.moderation import in_sample
from qa_app.extensions import db
from qa_app.models import OVERALL, Audit, AuditCycle, Moderation, ModerationGrade, Role
from tests.audits.filling import submitted_for_moderation
from tests.helpers import csrf_token


@pytest.fixture
def submitted(client_as, loaded_templates):
    """A submitted single-assessment audit whose auditor asked for moderation."""
    return submitted_for_moderation(client_as(Role.AUDITOR))


def _post(client, url, data):
    return client.post(url, data={"csrf_token": csrf_token(client), **data})


def test_an_audit_the_auditor_asked_about_goes_to_the_queue(submitted, client_as):
    moderation = db.session.scalar(select(Moderation).where(Moderation.audit_id == submitted.id))
    assert moderation.reason == "requested" and moderation.status == "pending"
    moderator = client_as(Role.MODERATOR)
    assert "12345678" in moderator.get("/moderation/").get_data(as_text=True)


def test_moderator_changes_a_grade_only_with_a_reason_and_both_grades_are_kept(
    submitted, client_as
):
    moderator = client_as(Role.MODERATOR)
    assert _post(moderator, f"/moderation/{submitted.id}/start", {}).status_code == 302
    page = moderator.get(f"/moderation/{submitted.id}").get_data(as_text=True)
    assert "Auditor&#39;s grade: Good" in page or "Auditor's grade: Good" in page
    content = submitted.template_version.content
    keys = [s["key"] for s in content["template"]["sections"] if s["graded"]] + [OVERALL]
    grades = {f"grade__{k}": "good" for k in keys}
    grades[f"grade__{keys[0]}"] = "requires_improvement"
    refused = _post(moderator, f"/moderation/{submitted.id}", {**grades, "action": "complete"})
    assert refused.status_code == 400
    assert "Give a reason for changing the auditor" in refused.get_data(as_text=True)
    assert db.session.get(Audit, submitted.id).status == "submitted"
    done = _post(
        moderator,
        f"/moderation/{submitted.id}",
        {
            **grades,
            f"reason__{keys[0]}": "No analysis of the father's history.",
            "action": "complete",
        },
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Audit, submitted.id).status == "moderated"
    rows = {g.section_key: g for g in db.session.scalars(select(ModerationGrade))}
    assert (rows[keys[0]].auditor_grade, rows[keys[0]].moderator_grade) == (
        "good",
        "requires_improvement",
    )
    assert rows[keys[0]].reason == "No analysis of the father's history."
    assert all(rows[k].auditor_grade == rows[k].moderator_grade == "good" for k in keys[1:])
    lead = client_as(Role.QA_LEAD)
    record = lead.get(f"/audits/{submitted.id}").get_data(as_text=True)
    assert "Requires improvement to be good" in record and "Changed" in record


def test_blind_moderation_hides_the_auditors_grades_until_the_moderator_has_graded(
    submitted, client_as
):
    moderator = client_as(Role.MODERATOR)
    _post(moderator, f"/moderation/{submitted.id}/start", {"blind": "1"})
    page = moderator.get(f"/moderation/{submitted.id}").get_data(as_text=True)
    assert "Hidden until you have graded" in page and "Auditor&#39;s grade" not in page
    content = submitted.template_version.content
    keys = [s["key"] for s in content["template"]["sections"] if s["graded"]] + [OVERALL]
    grades = {f"grade__{k}": "inadequate" for k in keys}
    assert (
        _post(moderator, f"/moderation/{submitted.id}", {**grades, "action": "save"}).status_code
        == 302
    )
    page = moderator.get(f"/moderation/{submitted.id}").get_data(as_text=True)
    assert "Your grade: <strong>Inadequate</strong>" in page
    assert "Auditor's grade: <strong>Good</strong>" in page
    # the blind grades are fixed: posting other grades does not change them
    _post(
        moderator,
        f"/moderation/{submitted.id}",
        {**{f"grade__{k}": "good" for k in keys}, "action": "save"},
    )
    stored = db.session.scalars(select(ModerationGrade.moderator_grade)).all()
    assert set(stored) == {"inadequate"}
    reasons = {f"reason__{k}": "Record lacks evidence." for k in keys}
    assert (
        _post(
            moderator, f"/moderation/{submitted.id}", {**reasons, "action": "complete"}
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(Audit, submitted.id).status == "moderated"


def test_nobody_moderates_their_own_audit(submitted, make_user, app):
    from tests.helpers import sign_in

    audit = db.session.get(Audit, submitted.id)
    audit.auditor.role_rows  # noqa: B018 (load)
    from qa_app.data.users import update_user

    update_user(
        audit.auditor,
        display_name="Both roles",
        email=None,
        roles=["auditor", "moderator"],
        teams=[],
        actor=None,
    )
    client = app.test_client()
    sign_in(client, audit.auditor.username)
    assert "12345678" not in client.get("/moderation/").get_data(as_text=True)
    assert client.get(f"/moderation/{submitted.id}").status_code == 403


def test_the_random_sample_takes_about_the_cycles_share():
    from datetime import date

    cycle = AuditCycle(
        id=77,
        name="Sample",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 1, 31),
        moderation_share=20,
    )
    chosen = sum(in_sample(Audit(id=i, cycle_id=77, cycle=cycle)) for i in range(1, 2001))
    assert 340 <= chosen <= 460  # 20% of 2,000, give or take
    again = sum(in_sample(Audit(id=i, cycle_id=77, cycle=cycle)) for i in range(1, 2001))
    assert again == chosen  # reproducible


def test_the_form_marks_the_auditors_grade_among_the_choices_and_errors_name_the_section(
    submitted, client_as
):
    moderator = client_as(Role.MODERATOR)
    _post(moderator, f"/moderation/{submitted.id}/start", {})
    page = moderator.get(f"/moderation/{submitted.id}").get_data(as_text=True)
    content = submitted.template_version.content
    graded = [s for s in content["template"]["sections"] if s["graded"]]
    first = graded[0]
    # the radio the auditor chose ("good") carries the mark, the others do not
    marked = re.findall(
        r'name="(grade__\w+)" type="radio" value="(\w+)"[^>]*>\s*<label[^>]*>[^<]*</label>\s*'
        r'<div[^>]*govuk-radios__hint">\s*Auditor&#39;s grade\s*</div>',
        page,
    )
    judgements = [f"grade__{s['key']}" for s in graded] + [f"grade__{OVERALL}"]
    assert [name for name, _ in marked] == judgements  # one per judgement, overall too
    assert {value for _, value in marked} == {"good"}  # the auditor's own grade only
    grades = {f"grade__{s['key']}": "good" for s in graded}
    grades[f"grade__{first['key']}"] = "inadequate"
    refused = _post(moderator, f"/moderation/{submitted.id}", {**grades, "action": "complete"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    words = f"Give a reason for changing the auditor&#39;s grade for {first['title']}"
    assert html.count(words) == 2  # the summary and the field
    assert "Choose a grade for the overall grade" in html


def test_a_grade_off_the_scale_is_refused_naming_the_judgement(submitted, client_as):
    moderator = client_as(Role.MODERATOR)
    _post(moderator, f"/moderation/{submitted.id}/start", {})
    content = submitted.template_version.content
    first = next(s for s in content["template"]["sections"] if s["graded"])
    refused = _post(
        moderator, f"/moderation/{submitted.id}", {f"grade__{first['key']}": "brilliant"}
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert f"{first['title']}: choose a grade from the scale" in page
    assert "Not a valid choice" not in page
