"""NUL and other control characters on the pages that do not go through the corpus' form cases:
signing in, an audit section's draft (stripped, with a message), the overall judgement, and
moderation (refused, naming the field). PostgreSQL cannot store NUL in text, so on PostgreSQL
each of these was a 500 while the character reached a query or a row."""

from sqlalchemy import func, select

from qa_app.data.security_log import log_event
from qa_app.extensions import db
from qa_app.models import OVERALL, Answer, Role, SectionGrade, SecurityEvent
from tests.audits.factory import make_audit
from tests.audits.filling import (
    page_version,
    post_section,
    section_data,
    submitted_for_moderation,
)
from tests.bad_input.support import Case, Checker, page_text, summary_names_field
from tests.helpers import csrf_token


def test_a_nul_in_the_username_is_refused_naming_the_field(client):
    checker = Checker()
    case = Case("username with a NUL", {}, ("username",))

    def send():
        token = csrf_token(client, "/sign-in")
        data = {"csrf_token": token, "username": "a.auditor\x00", "password": "x" * 12}
        return client.post("/sign-in", data=data)

    checker.run(case, send, lambda r: summary_names_field(r, "username", "Username must not"))
    checker.assert_all_behaved()


def _text_question(section: dict) -> dict:
    return next(q for q in section["questions"] if q["type"] == "text")


def test_a_draft_section_keeps_the_answers_without_the_control_characters(
    client_as, loaded_templates
):
    """The section is a draft (what was typed is kept, so no work is lost), but a control
    character cannot be kept: it is removed, and the next page says from which answers."""
    auditor = client_as(Role.AUDITOR)
    audit = make_audit("single_assessment", auditor=auditor.user)
    content = audit.template_version.content
    section = next(s for s in content["template"]["sections"] if s["graded"])
    question = _text_question(section)
    data = section_data(content, section, {})
    data[f"q__{question['key']}"] = "Seen\x00 alone\x07 twice"
    data["section_rationale"] = "Timely\x0b and clear"
    response = post_section(auditor, audit.id, section["key"], data, action="later")
    assert response.status_code == 302
    answer = db.session.scalar(select(Answer).where(Answer.question_key == question["key"]))
    assert answer.value_text == "Seen alone twice"
    grade = db.session.scalar(select(SectionGrade).where(SectionGrade.audit_id == audit.id))
    assert grade.rationale == "Timely and clear"
    shown = page_text(auditor.get(response.headers["Location"]))
    assert "We removed control characters" in shown
    assert question["text"] in shown and "Why this grade" in shown
    # a clean save says nothing of the kind
    response = post_section(auditor, audit.id, section["key"], section_data(content, section, {}))
    assert "control characters" not in page_text(auditor.get(response.headers["Location"]))


def test_a_nul_in_the_overall_evidence_is_refused_naming_the_field(client_as, loaded_templates):
    auditor = client_as(Role.AUDITOR)
    audit = make_audit("single_assessment", auditor=auditor.user)
    url = f"/audits/{audit.id}/overall"

    def send():
        version = page_version(auditor.get(url).get_data(as_text=True))
        data = {"csrf_token": csrf_token(auditor, url), "lock_version": version}
        return auditor.post(url, data={**data, "evidence": "Case\x00 12345678"})

    checker = Checker()
    checker.run(
        Case("evidence with a NUL", {}),
        send,
        lambda r: summary_names_field(r, "evidence", "Evidence and summary of the audit must not"),
    )
    checker.assert_all_behaved()


def test_moderation_refuses_a_nul_or_a_grade_off_the_scale_naming_the_field(
    client_as, loaded_templates
):
    audit = submitted_for_moderation(client_as(Role.AUDITOR))
    moderator = client_as(Role.MODERATOR)
    start = {"csrf_token": csrf_token(moderator)}
    assert moderator.post(f"/moderation/{audit.id}/start", data=start).status_code == 302
    content = audit.template_version.content
    keys = [s["key"] for s in content["template"]["sections"] if s["graded"]] + [OVERALL]
    good = {f"grade__{k}": "good" for k in keys}
    url = f"/moderation/{audit.id}"

    def send(changes):
        data = {"csrf_token": csrf_token(moderator, url), **good, **changes}
        return lambda: moderator.post(url, data=data)

    checker = Checker()
    cases = [
        (f"reason__{keys[0]}", {f"reason__{keys[0]}": "Late\x00"}, "must not contain control"),
        (f"grade__{keys[1]}", {f"grade__{keys[1]}": "superb"}, ""),
    ]
    for field, changes, words in cases:
        checker.run(
            Case(field, changes),
            send(changes),
            lambda r, f=field, w=words: summary_names_field(r, f, w),
        )
    checker.assert_all_behaved()


def test_an_address_with_a_control_character_names_nothing(client_as, loaded_templates):
    """A path part holding a NUL (or any control character) is a 404 before any view runs: it
    never reaches a query (a 500 on PostgreSQL) or the security log's record of a refusal."""
    lead = client_as(Role.QA_LEAD)
    other = make_audit("single_assessment")
    before = db.session.scalar(select(func.count()).select_from(SecurityEvent))
    for url in (
        "/templates/single%00assessment",
        f"/audits/{other.id}/sections/time%00liness",
        "/templates/single%07assessment",
        "/api/v1/templates/single%00assessment",
    ):
        response = lead.get(url)
        assert response.status_code == 404, url
    assert db.session.scalar(select(func.count()).select_from(SecurityEvent)) == before


def test_the_security_log_stores_what_it_records_without_control_characters(app):
    log_event("permission_refused", username="some\x00one", detail="/a\x00b\x07c")
    event = db.session.scalars(select(SecurityEvent)).one()
    assert (event.username, event.detail) == ("someone", "/abc")
