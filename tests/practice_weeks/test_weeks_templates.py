"""The observation and shadowing templates: they load and validate like audit templates, a
broken copy is reported by file and line, and they are never offered for case audits."""

from qa_app.api.tokens import create_token
from qa_app.data import cycles
from qa_app.data.templates import get_template
from qa_app.models import Role
from qa_app.templates_engine.validate import validate_path
from tests.api.support import Api
from tests.conftest import REPO

OBSERVATION_KEYS = ("observe_meeting", "shadow_practitioner")


def test_the_observation_templates_validate_with_their_kinds_and_themes():
    library, problems = validate_path(REPO / "audit_templates")
    assert problems == []
    observe, shadow = (library.templates[k] for k in OBSERVATION_KEYS)
    assert (observe["kind"], shadow["kind"]) == ("observation", "shadowing")
    for template in (observe, shadow):
        questions = [q for s in template["sections"] for q in s["questions"]]
        assert 8 <= len(questions) <= 12  # short enough for a phone
        themes = {t for q in questions for t in q["themes"]}
        assert {"voice_of_child", "family_participation", "management_oversight"} <= themes
        assert not template["overall_grade"]["graded"]
    keys = {q["key"] for s in shadow["sections"] for q in s["questions"]}
    assert "practitioner_reflection" in keys


def test_the_observation_templates_are_stored_as_versioned_templates(loaded_templates):
    outcomes = {r.key: (r.outcome, r.version) for r in loaded_templates}
    assert outcomes["observe_meeting"] == ("created", 1)
    assert outcomes["shadow_practitioner"] == ("created", 1)
    template = get_template("observe_meeting")
    assert template.kind == "observation"
    assert template.versions[0].content["themes"]["voice_of_child"]["name"] == "Voice of the child"


def test_a_broken_copy_is_reported_by_file_and_line(tmp_path):
    text = (REPO / "audit_templates" / "observe_meeting.yaml").read_text()
    broken = text.replace("themes: [voice_of_child]", "themes: [voice_of_chlid]", 1)
    head, _, tail = broken.rpartition("    questions:\n")  # the last section's questions
    broken = head + "    questons:\n" + tail
    path = tmp_path / "observe_meeting.yaml"
    path.write_text(broken)
    _, problems = validate_path(path, vocabulary_dir=REPO / "audit_templates")
    lines = broken.splitlines()
    messages = [str(p) for p in problems]
    assert any("voice_of_chlid" in m for m in messages), messages
    assert any("questons" in m for m in messages), messages
    for p in problems:
        assert p.file.endswith("observe_meeting.yaml") and p.line > 0
    typo = next(p for p in problems if "voice_of_chlid" in p.message)
    assert "voice_of_chlid" in lines[typo.line - 1]


def test_observation_templates_are_not_offered_for_case_audits(loaded_templates, client_as):
    keys = {t.key for t in cycles.active_templates()}
    assert "single_assessment" in keys
    assert not keys & set(OBSERVATION_KEYS)
    page = client_as(Role.QA_LEAD).get("/cycles/new").get_data(as_text=True)
    assert "Single assessment" in page
    assert "Observe a meeting" not in page and "Shadow a practitioner" not in page


def test_the_api_refuses_observation_templates_for_cycles_and_audits(
    app, loaded_templates, make_user
):
    from qa_app.data.organisation import save_team

    save_team("MASH", None, True, actor=None)
    lead = make_user(Role.QA_LEAD)
    api = Api(app, create_token(lead, "test"), lead)
    cycle_body = {
        "name": "Observed",
        "kind": "themed",
        "period_start": "2026-06-01",
        "period_end": "2026-06-30",
        "templates": ["observe_meeting"],
    }
    response = api.request("POST", "/cycles", cycle_body, check=False)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert "observe_meeting" in response.get_data(as_text=True)
    audit_body = {"case_reference": "2000001", "template": "shadow_practitioner", "team": "MASH"}
    response = api.request("POST", "/audits", audit_body, check=False)
    assert response.status_code in (409, 422), response.get_data(as_text=True)
    assert "not a case audit template" in response.get_data(as_text=True)
    assert cycles.get_cycle_by_name("Observed") is None  # nothing was written


def test_historic_audits_cannot_be_imported_against_an_observation_template(loaded_templates):
    from qa_app.imports.audit_check import check_audit_file

    checked = check_audit_file("old.csv", b"case_reference\n1000001\n", "observe_meeting")
    assert any("not a case audit template" in p.message for p in checked.problems)
