"""A template's checks between answers (held at most due, dates in order) refuse the same bad
audit in the same words on the web form, through the API and in an audit import; a refused
save keeps what was typed and stores nothing; a consistent audit goes through."""

import pytest
from sqlalchemy import func, select

from qa_app.api.tokens import create_token
from qa_app.data import audit_submission as submission
from qa_app.extensions import db
from qa_app.models import Answer, Audit, Role
from tests.api.support import Api, api_as, error_of
from tests.audits.factory import make_audit
from tests.audits.filling import fill_whole_audit, post_section, section_data, submit
from tests.imports.support import cli_runner, complete_row, team_and_auditor, write_csv

WORDS = (
    "Core group meetings: the meetings held in timescale (5) cannot be more than the meetings"
    " due (4)"
)


@pytest.fixture
def auditor_client(client_as, loaded_templates):
    return client_as(Role.AUDITOR)


def answers_stored(audit_id: int, key: str) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Answer)
        .where(Answer.audit_id == audit_id, Answer.question_key == key)
    )


def core_groups(content: dict) -> dict:
    return next(s for s in content["template"]["sections"] if s["key"] == "core_groups")


def test_the_web_form_refuses_more_held_than_due_and_keeps_what_was_typed(auditor_client):
    audit = make_audit("cp_plan_visits", auditor=auditor_client.user)
    content = audit.template_version.content
    data = section_data(content, core_groups(content), {})
    data.update(q__core_groups_due="4", q__core_groups_in_timescale="5")
    response = post_section(auditor_client, audit.id, "core_groups", data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert html.count(WORDS) == 2  # in the error summary and by the field
    assert 'href="#q__core_groups_in_timescale"' in html
    assert 'value="5"' in html and 'value="4"' in html  # nothing typed is lost
    assert answers_stored(audit.id, "core_groups_in_timescale") == 0  # nothing stored
    # a half-finished section (no number of meetings due yet) saves as a draft
    data.update(q__core_groups_due="")
    response = post_section(auditor_client, audit.id, "core_groups", data)
    assert response.status_code == 302
    assert answers_stored(audit.id, "core_groups_in_timescale") == 1


def test_submit_refuses_while_a_check_fails_and_names_it(app, auditor_client):
    audit = make_audit("cp_plan_visits", auditor=auditor_client.user)
    fill_whole_audit(auditor_client, audit)
    # stored behind the form's back (an older draft): submit still refuses it
    row = db.session.scalar(
        select(Answer).where(
            Answer.audit_id == audit.id, Answer.question_key == "core_groups_in_timescale"
        )
    )
    row.value_text, row.value_number = "5", 5.0
    due = db.session.scalar(
        select(Answer).where(Answer.audit_id == audit.id, Answer.question_key == "core_groups_due")
    )
    due.value_text, due.value_number = "4", 4.0
    db.session.commit()
    assert [p.message for p in submission.submit_problems(audit)] == [WORDS]
    response = submit(auditor_client, audit.id)
    assert response.status_code == 400
    assert WORDS in response.get_data(as_text=True)
    assert db.session.get(Audit, audit.id).submitted_at is None
    api = Api(app, create_token(auditor_client.user, "tests"), auditor_client.user)
    response = api.post(f"/audits/{audit.id}/submit", {"lock_version": audit.lock_version})
    assert response.status_code == 422
    assert error_of(response)["problems"] == [
        {"field": "answers.q__core_groups_in_timescale", "message": WORDS, "section": "core_groups"}
    ]
    assert db.session.get(Audit, audit.id).submitted_at is None


def test_the_api_refuses_the_same_answers_in_the_same_words(app, make_user, loaded_templates):
    auditor = api_as(app, make_user, Role.AUDITOR)
    audit = make_audit("cp_plan_visits", auditor=auditor.user)
    response = auditor.patch(
        f"/audits/{audit.id}",
        {
            "lock_version": 1,
            "answers": {"q__core_groups_due": "4", "q__core_groups_in_timescale": "5"},
        },
    )
    assert response.status_code == 422
    assert {"field": "answers.q__core_groups_in_timescale", "message": WORDS} in error_of(response)[
        "problems"
    ]
    assert answers_stored(audit.id, "core_groups_due") == 0


def test_the_import_refuses_the_same_audit_in_the_same_words(
    app, make_user, loaded_templates, tmp_path
):
    team_and_auditor(make_user)
    row = complete_row(
        "cp_plan_visits", "30000001", core_groups_due="4", core_groups_in_timescale="5"
    )
    path = write_csv(tmp_path / "cp.csv", [row])
    result = cli_runner(app)("import-audits", str(path), "--template", "cp_plan_visits")
    assert result.exit_code == 1
    assert f"cp, row 2, column 'core_groups_in_timescale': {WORDS}" in result.stdout


def test_two_bad_dates_in_one_section_each_name_their_question(auditor_client):
    audit = make_audit("icpc_reports", auditor=auditor_client.user)
    content = audit.template_version.content
    section = next(s for s in content["template"]["sections"] if s["key"] == "conference_details")
    data = section_data(content, section, {})
    data.update(q__icpc_date=["31", "2", "2026"], q__strategy_discussion_date=["1", "13", "2026"])
    assert post_section(auditor_client, audit.id, "conference_details", data).status_code == 302
    html = submit(auditor_client, audit.id).get_data(as_text=True)
    for question in ("initial child protection conference", "strategy discussion that started"):
        line = next(line for line in html.splitlines() if question in line and "real date" in line)
        assert ">The conference: Date of the" in line and "#q__" in line, line  # a link to it
    page = auditor_client.get(f"/audits/{audit.id}/sections/conference_details?check=1").get_data(
        as_text=True
    )
    assert "Date of the initial child protection conference: Enter a real date" in page
    assert "section 47 enquiry: Enter a real date" in page
