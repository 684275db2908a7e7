"""Theme marks suggested from answers: only from the questions linked to a theme, and "not
assessed" (never counted) where the audit did not look at the theme. Checked on the shipped
templates, with hypothesis trying many partial sets of answers."""

from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa_app.templates_engine.answers import (
    NOT_ASSESSED,
    SIGNAL_TYPES,
    Value,
    suggest_theme_marks,
    theme_questions,
)
from qa_app.templates_engine.content import iter_questions, version_content
from qa_app.templates_engine.validate import validate_path

TEMPLATES = Path(__file__).resolve().parents[2] / "audit_templates"
KEYS = ["single_assessment", "cp_plan_visits", "icpc_reports", "cin_plan", "observe_meeting"]


@cache
def content(key: str) -> dict:
    library, problems = validate_path(TEMPLATES)
    assert not problems
    return version_content(library.templates[key], library.scales, library.themes)


def questions(key: str) -> dict[str, dict]:
    c = content(key)
    return {
        q["key"]: q
        for s in c["template"]["sections"]
        for q in iter_questions(s["questions"])
        if q["type"] != "repeat"
    }


def answer(key: str, question_key: str, text: str) -> tuple[dict, Value]:
    return questions(key)[question_key], Value(text=text)


def test_an_agency_checks_answer_does_not_assess_fathers():
    # the tester's review: only the agency checks question answered, 8 yes and 4 no. It is
    # mainly about multi-agency working and names fathers second: fathers is not assessed
    for text, mark in (("yes", "strength"), ("no", "development")):
        marks = suggest_theme_marks(
            content("single_assessment"),
            [answer("single_assessment", "agency_checks_complete", text)],
        )
        assert marks["fathers_wider_family"] == NOT_ASSESSED
        assert marks["multi_agency_working"] == mark
        assert marks["voice_of_child"] == NOT_ASSESSED


def test_a_question_mainly_about_fathers_assesses_it_and_any_weak_answer_counts():
    marks = suggest_theme_marks(
        content("single_assessment"),
        [
            answer("single_assessment", "family_composition_clear", "yes"),
            answer("single_assessment", "agency_checks_complete", "partly"),
        ],
    )
    assert marks["fathers_wider_family"] == "development"


def test_not_applicable_answers_assess_a_theme_as_not_seen():
    marks = suggest_theme_marks(
        content("cp_plan_visits"),
        [answer("cp_plan_visits", "fathers_in_core_group", "not_applicable")],
    )
    assert marks["fathers_wider_family"] == "not_seen"


def test_a_theme_only_the_template_names_is_not_assessed_from_answers():
    c = dict(content("single_assessment"))
    c["themes"] = {**c["themes"], "extra": {"key": "extra", "name": "Extra"}}  # no question
    every = [(q, Value(text="yes")) for q in questions("single_assessment").values()]
    marks = suggest_theme_marks(c, every)
    assert marks["extra"] == NOT_ASSESSED  # the auditor marks it, or it is not counted
    assert marks["fathers_wider_family"] == "strength"  # every question answered: assessed


answers_of = st.sampled_from(KEYS).flatmap(
    lambda key: st.tuples(
        st.just(key),
        st.dictionaries(
            st.sampled_from(sorted(questions(key))),
            st.sampled_from(["yes", "partly", "no", "not_applicable", "good", "inadequate", ""]),
            max_size=25,
        ),
    )
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers_of)
def test_a_theme_none_of_whose_questions_was_answered_is_never_a_strength_or_area(case):
    key, given_answers = case
    c = content(key)
    pairs = [(questions(key)[k], Value(text=v or None)) for k, v in given_answers.items()]
    marks = suggest_theme_marks(c, pairs)
    answered = {k for k, v in given_answers.items() if v}
    for theme, linked in theme_questions(c).items():
        mine = {q["key"] for q in linked}
        if not mine & answered:
            assert marks[theme] == NOT_ASSESSED, theme
        judged = {q["key"] for q in linked if q["type"] in SIGNAL_TYPES}
        if marks[theme] in ("strength", "development"):
            assert judged & answered, theme  # a mark needs an answer that judges the theme
        if 2 * len(judged & answered) >= len(judged) > 0:
            assert marks[theme] != NOT_ASSESSED, theme  # half its questions answered
    assert set(marks) == set(c["themes"])


@cache
def frozen_rule():
    """The rule as migration 0013 froze it, to re-derive marks stored before it."""
    import importlib.util

    path = TEMPLATES.parent / "migrations" / "versions" / "0013_not_assessed_theme_marks.py"
    spec = importlib.util.spec_from_file_location("migration_0013", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.suggest


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers_of)
def test_the_migrations_frozen_rule_is_the_apps_rule(case):
    key, given_answers = case
    pairs = [(questions(key)[k], Value(text=v or None)) for k, v in given_answers.items()]
    stored = {k: [v] for k, v in given_answers.items() if v}
    assert frozen_rule()(content(key), stored) == suggest_theme_marks(content(key), pairs)
