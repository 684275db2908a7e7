"""The templates shipped in audit_templates/ are valid, complete and realistic."""

from datetime import date

from qa_app.templates_engine.answer_checks import check_failures
from qa_app.templates_engine.answers import Value
from qa_app.templates_engine.content import iter_questions, version_content
from qa_app.templates_engine.validate import validate_path
from tests.conftest import REPO

REQUIRED_TYPES = {
    "grade",
    "yes_partly_no",
    "single_choice",
    "multiple_choice",
    "number",
    "date",
    "text",
    "repeat",
}


def _library():
    library, problems = validate_path(REPO / "audit_templates")
    assert problems == []
    return library


def test_shipped_templates_validate_with_no_problems():
    library = _library()
    assert set(library.templates) == {
        "single_assessment",
        "cp_plan_visits",
        "icpc_reports",
        "cin_plan",
        "observe_meeting",
        "shadow_practitioner",
    }
    assert {k: t["kind"] for k, t in library.templates.items() if t["kind"] != "case_audit"} == {
        "observe_meeting": "observation",
        "shadow_practitioner": "shadowing",
    }
    assert set(library.scales) == {"ofsted4", "three_point"}
    assert [lvl["label"] for lvl in library.scales["ofsted4"]["levels"]] == [
        "Outstanding",
        "Good",
        "Requires improvement to be good",
        "Inadequate",
    ]
    assert [lvl["label"] for lvl in library.scales["three_point"]["levels"]] == [
        "Good",
        "Adequate",
        "Inadequate",
    ]


def test_every_question_type_is_used_across_the_set():
    used = {
        q["type"]
        for t in _library().templates.values()
        for s in t["sections"]
        for q in iter_questions(s["questions"])
    }
    assert REQUIRED_TYPES <= used


def test_icpc_template_has_one_block_per_agency_with_the_same_questions():
    icpc = _library().templates["icpc_reports"]
    repeats = [q for s in icpc["sections"] for q in s["questions"] if q["type"] == "repeat"]
    assert len(repeats) == 1
    agencies = {o["key"] for o in repeats[0]["options"]}
    assert {
        "police",
        "school",
        "gp",
        "health_visitor",
        "school_nurse",
        "probation",
        "social_work",
        "other",
    } <= agencies
    inner = " ".join(q["text"].lower() for q in repeats[0]["questions"])
    for words in ("historical", "child", "mother", "father", "analytical"):
        assert words in inner


def test_each_case_audit_template_is_substantial_graded_and_themed():
    for key, template in _library().templates.items():
        if template["kind"] != "case_audit":
            continue  # practice-week observation and shadowing forms are short, for a phone
        questions = [q for s in template["sections"] for q in iter_questions(s["questions"])]
        assert len(template["sections"]) >= 5, key
        assert len(questions) >= 25, key
        assert any(s["graded"] for s in template["sections"]), key
        themed = [q for q in questions if q.get("themes")]
        assert len(themed) >= len(questions) // 2, key


def test_docs_example_validates():
    library, problems = validate_path(
        REPO / "docs" / "example_template.yaml", vocabulary_dir=REPO / "audit_templates"
    )
    assert problems == [] and len(library.templates) == 1


def test_the_cp_plan_asks_for_evidence_when_visits_have_no_purpose():
    """The shipped required_if: 'Evidence about visits' is needed when the answer to whether the
    visit records show a purpose is No, and only then (on submit: a draft may wait)."""
    library = _library()
    content = version_content(library.templates["cp_plan_visits"], library.scales, library.themes)
    purposeful = ("", 0, "visits_purposeful")
    for answer in ("yes", "partly", "no"):
        given = {purposeful: Value(text=answer)}
        failures = check_failures(content, given, today=date(2026, 12, 7), section_key="visits")
        assert [f.field for f in failures] == (["q__visits_evidence"] if answer == "no" else [])
        assert check_failures(content, given, today=date(2026, 12, 7), on_save=True) == []
    given = {purposeful: Value(text="no"), ("", 0, "visits_evidence"): Value(text="Seen twice.")}
    assert check_failures(content, given, today=date(2026, 12, 7)) == []
