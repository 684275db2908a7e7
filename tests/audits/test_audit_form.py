"""An auditor does an audit through the real web form: drafts, resuming, repeat blocks,
themes, the overall judgement with the limiting rule, submitting, and what is stored."""

import pytest
from sqlalchemy import func, select

from qa_app.extensions import db
from qa_app.models import (
    OVERALL,
    Answer,
    Audit,
    ChangeLogEntry,
    ModerationGrade,
    PractitionerResponse,
    Role,
    SectionGrade,
    ThemeMark,
)
from qa_app.templates_engine.answers import scale_levels
from tests.audits.factory import make_audit
from tests.audits.filling import (
    fill_whole_audit,
    page_version,
    post_section,
    section_data,
    submit,
)
from tests.helpers import csrf_token

TEMPLATES = ["single_assessment", "cp_plan_visits", "icpc_reports", "cin_plan"]


def first_text_question(audit):
    for section in audit.template_version.content["template"]["sections"]:
        for q in section["questions"]:
            if q["type"] == "text":
                return section, q
    raise AssertionError("template has no text question")


@pytest.fixture
def auditor_client(client_as, loaded_templates):
    return client_as(Role.AUDITOR)


@pytest.mark.parametrize("key", TEMPLATES)
def test_one_audit_of_each_template_goes_from_draft_to_moderated_with_a_response(
    auditor_client, client_as, key
):
    """The whole life of an audit through the real pages: a draft saved for later and
    resumed, every section, submitted, moderated with one grade changed, and the
    practitioner's response recorded - then what is stored is checked."""
    audit = make_audit(key, auditor=auditor_client.user)
    assert "12345678" in auditor_client.get("/audits/mine").get_data(as_text=True)
    content = audit.template_version.content
    section, text_q = first_text_question(audit)
    draft = post_section(
        auditor_client,
        audit.id,
        section["key"],
        {f"q__{text_q['key']}": "Draft note, to finish tomorrow"},
        action="later",
    )
    assert draft.status_code == 302
    resumed = auditor_client.get(f"/audits/{audit.id}/sections/{section['key']}")
    assert "Draft note, to finish tomorrow" in resumed.get_data(as_text=True)
    fill_whole_audit(auditor_client, audit)
    # ask for moderation, so this audit is certainly in the moderation queue
    db.session.get(Audit, audit.id).moderation_requested = True
    db.session.commit()
    response = submit(auditor_client, audit.id)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    db.session.expire_all()
    stored = db.session.get(Audit, audit.id)
    assert stored.status == "submitted" and stored.submitted_at is not None
    graded = [s["key"] for s in content["template"]["sections"] if s["graded"]]
    grades = db.session.scalars(select(SectionGrade).where(SectionGrade.audit_id == audit.id))
    assert sorted(g.section_key for g in grades) == sorted(graded)
    marks = db.session.scalar(select(func.count()).where(ThemeMark.audit_id == audit.id))
    assert marks == len(content["themes"])
    answered = db.session.scalar(select(func.count()).where(Answer.audit_id == audit.id))
    assert answered > 20
    page = auditor_client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "Submitted" in page and "Submit audit" not in page  # read-only now
    first = content["template"]["sections"][0]["key"]
    assert auditor_client.get(f"/audits/{audit.id}/sections/{first}").status_code == 403

    moderator = client_as(Role.MODERATOR)
    token = csrf_token(moderator)
    assert (
        moderator.post(f"/moderation/{audit.id}/start", data={"csrf_token": token}).status_code
        == 302
    )
    levels = scale_levels(content, content["template"]["scale"])
    judgements = graded + ([OVERALL] if content["template"]["overall_grade"]["graded"] else [])
    posted = {f"grade__{k}": levels[1] for k in judgements}
    posted[f"grade__{judgements[0]}"] = levels[-1]
    posted[f"reason__{judgements[0]}"] = "The record does not support this grade."
    done = moderator.post(
        f"/moderation/{audit.id}", data={"csrf_token": token, "action": "complete", **posted}
    )
    assert done.status_code == 302, done.get_data(as_text=True)[:2000]

    responded = auditor_client.post(
        f"/audits/{audit.id}/responses",
        data={
            "csrf_token": csrf_token(auditor_client),
            "respondent": "practitioner",
            "agreement": "agree",
            "reflection": "Fair findings.",
            "next_steps": "Update the plan.",
        },
    )
    assert responded.status_code == 302

    db.session.expire_all()
    stored = db.session.get(Audit, audit.id)
    assert stored.status == "moderated"
    kept = {
        g.section_key: (g.auditor_grade, g.moderator_grade)
        for g in db.session.scalars(select(ModerationGrade))
    }
    assert kept[judgements[0]] == (levels[1], levels[-1])
    assert (
        db.session.scalar(
            select(PractitionerResponse.agreement).where(PractitionerResponse.audit_id == audit.id)
        )
        == "agree"
    )
    record = auditor_client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "Moderated" in record and "Fair findings." in record
    draft_text = db.session.scalar(
        select(Answer.value_text).where(
            Answer.audit_id == audit.id, Answer.question_key == text_q["key"]
        )
    )
    assert draft_text and draft_text != "Draft note, to finish tomorrow"  # later saves win


def test_icpc_agency_blocks_are_added_answered_and_removed(auditor_client):
    audit = make_audit("icpc_reports", auditor=auditor_client.user)
    fill_whole_audit(auditor_client, audit, agencies=("police", "school", "health_visitor"))
    labels = db.session.scalars(
        select(Answer.block_label).where(
            Answer.audit_id == audit.id, Answer.question_key == "__block__"
        )
    ).all()
    assert sorted(labels) == ["health_visitor", "police", "school"]
    content = audit.template_version.content
    section = next(
        s
        for s in content["template"]["sections"]
        if any(q["type"] == "repeat" for q in s["questions"])
    )
    group = next(q for q in section["questions"] if q["type"] == "repeat")
    response = post_section(
        auditor_client, audit.id, section["key"], {}, action=f"remove__{group['key']}__1"
    )
    assert response.status_code == 302
    remaining = db.session.scalars(
        select(Answer.block_label).where(
            Answer.audit_id == audit.id, Answer.question_key == "__block__"
        )
    ).all()
    assert sorted(remaining) == ["health_visitor", "police"]
    page = auditor_client.get(f"/audits/{audit.id}/sections/{section['key']}")
    html = page.get_data(as_text=True)
    assert "Agency: Police" in html and "Agency: School" not in html
    # the remaining blocks keep their own answers (stable field names)
    assert f'name="r__{group["key"]}__2__' in html


def test_save_and_come_back_later_keeps_everything_typed_even_if_invalid(auditor_client):
    audit = make_audit("icpc_reports", auditor=auditor_client.user)
    content = audit.template_version.content
    section = content["template"]["sections"][0]
    number_q = next(q for q in section["questions"] if q["type"] == "number")
    text_q = next(q for q in section["questions"] if q["type"] == "text")
    response = post_section(
        auditor_client,
        audit.id,
        section["key"],
        {
            f"q__{number_q['key']}": "about twelve",
            f"q__{text_q['key']}": "Half-written note about the delay",
        },
        action="later",
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/audits/{audit.id}"
    )
    html = auditor_client.get(f"/audits/{audit.id}/sections/{section['key']}").get_data(
        as_text=True
    )
    assert 'value="about twelve"' in html
    assert "Half-written note about the delay" in html
    task_list = auditor_client.get(f"/audits/{audit.id}").get_data(as_text=True)
    assert "In progress" in task_list
    problems = submit(auditor_client, audit.id)
    assert problems.status_code == 400
    body = problems.get_data(as_text=True)
    assert "The audit cannot be submitted yet" in body
    assert "Enter a number, like 12" in body
    assert f"/audits/{audit.id}/sections/{section['key']}?check=1#q__{number_q['key']}" in body
    checked = auditor_client.get(f"/audits/{audit.id}/sections/{section['key']}?check=1")
    assert "Enter a number, like 12" in checked.get_data(as_text=True)
    assert db.session.get(Audit, audit.id).status == "in_progress"


def test_the_limiting_rule_caps_the_overall_grade_and_says_why(auditor_client):
    audit = make_audit("single_assessment", auditor=auditor_client.user)
    content = audit.template_version.content
    limiting = next(s for s in content["template"]["sections"] if s["limiting"])
    data = section_data(content, limiting, {})
    data["section_grade"] = "requires_improvement"
    post_section(auditor_client, audit.id, limiting["key"], data)
    html = auditor_client.get(f"/audits/{audit.id}/overall").get_data(as_text=True)
    assert "can be no better than Requires improvement to be good" in html
    assert limiting["title"] in html
    assert 'value="good"' not in html and 'value="outstanding"' not in html
    assert 'value="inadequate"' in html


def test_every_save_is_in_the_history_with_from_and_to(auditor_client):
    audit = make_audit("cin_plan", auditor=auditor_client.user)
    section, text_q = first_text_question(audit)
    post_section(auditor_client, audit.id, section["key"], {f"q__{text_q['key']}": "First"})
    post_section(auditor_client, audit.id, section["key"], {f"q__{text_q['key']}": "Second"})
    entries = db.session.scalars(
        select(ChangeLogEntry)
        .where(
            ChangeLogEntry.entity_type == "audit",
            ChangeLogEntry.entity_id == str(audit.id),
            ChangeLogEntry.action == "section_saved",
        )
        .order_by(ChangeLogEntry.id)
    ).all()
    name = f"q__{text_q['key']}"
    assert [e.changes["fields"][name] for e in entries] == [[None, "First"], ["First", "Second"]]
    assert all(e.user_id == auditor_client.user.id for e in entries)
    html = auditor_client.get(f"/audits/{audit.id}/history").get_data(as_text=True)
    assert "First → Second" in html and text_q["text"] in html


def test_a_stale_save_is_refused_with_the_typed_text_kept(app, make_user, loaded_templates):
    from tests.helpers import csrf_token, sign_in

    auditor = make_user(Role.AUDITOR, username="two.tabs")
    audit = make_audit("cin_plan", auditor=auditor)
    tab1, tab2 = app.test_client(), app.test_client()
    sign_in(tab1, "two.tabs")
    sign_in(tab2, "two.tabs")
    section, text_q = first_text_question(audit)
    url = f"/audits/{audit.id}/sections/{section['key']}"
    version1 = page_version(tab1.get(url).get_data(as_text=True))
    version2 = page_version(tab2.get(url).get_data(as_text=True))
    assert version1 == version2
    first = tab1.post(
        url,
        data={
            "csrf_token": csrf_token(tab1, url),
            "lock_version": version1,
            f"q__{text_q['key']}": "Saved by the first tab",
        },
    )
    second = tab2.post(
        url,
        data={
            "csrf_token": csrf_token(tab2, url),
            "lock_version": version2,
            f"q__{text_q['key']}": "Typed in the second tab",
        },
    )
    assert first.status_code == 302
    assert second.status_code == 409
    body = second.get_data(as_text=True)
    assert "Someone else has changed this audit" in body
    assert "Typed in the second tab" in body
    db.session.expire_all()
    stored = db.session.scalar(
        select(Answer.value_text).where(
            Answer.audit_id == audit.id, Answer.question_key == text_q["key"]
        )
    )
    assert stored == "Saved by the first tab"
    assert db.session.get(Audit, audit.id).lock_version == int(version1) + 1


def test_auditors_see_only_their_own_and_their_cycles_audits(
    client_as, make_user, loaded_templates
):
    owner = make_user(Role.AUDITOR, username="owner")
    audit = make_audit("cin_plan", auditor=owner)
    stranger = client_as(Role.AUDITOR)
    assert stranger.get(f"/audits/{audit.id}").status_code == 403
    assert stranger.get(f"/audits/{audit.id}/history").status_code == 403
    assert "12345678" not in stranger.get("/audits/mine").get_data(as_text=True)
    lead = client_as(Role.QA_LEAD)
    page = lead.get(f"/audits/{audit.id}")
    assert page.status_code == 200 and "Submit audit" not in page.get_data(as_text=True)
    board = client_as(Role.BOARD_VIEWER)
    assert board.get(f"/audits/{audit.id}").status_code == 403
    assert board.get("/audits/mine").status_code == 403
