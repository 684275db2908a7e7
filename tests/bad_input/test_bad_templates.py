"""Bad audit templates (YAML): each file in tests/bad_input/corpus/templates/ is a fault in a
small, valid template. Each is reported at its file and line, and loading a library holding it
loads nothing (tests/bad_input/snapshot.py)."""

import shutil
from pathlib import Path

import pytest

from qa_app.extensions import db
from qa_app.templates_engine.validate import validate_path
from tests.bad_input.support import REPO, Case, Checker, cli_refusal

CORPUS = Path(__file__).parent / "corpus"
TEMPLATES = sorted((CORPUS / "templates").glob("*.yaml"))

# file stem -> (line the problem is reported on, words of the message)
TEMPLATE_PROBLEMS = {
    "alias_bomb": (1, "document is too large"),
    "binary_junk": (2, "not valid UTF-8"),
    "control_character": (15, "unacceptable character #x0007"),
    "deep_nesting": (1, "nested too deeply"),
    "duplicate_question_key": (17, "duplicate question key 'child_seen'"),
    "duplicate_yaml_key": (3, "duplicate key 'name'"),
    "empty_file": (1, "file is empty"),
    "graded_not_boolean": (11, "must be a boolean"),
    "key_with_spaces": (1, "not a valid key"),
    "missing_template_key": (1, "missing required field 'key'"),
    "multi_document": (26, "expected a single document"),
    "name_too_long": (2, "too long (201 characters, at most 200)"),
    "no_questions": (12, "has no questions"),
    "not_utf8": (2, "not valid UTF-8"),
    "number_infinite_max": (21, "field 'max' of number question 'visits' must be a number"),
    "number_max_is_text": (21, "field 'max' of number question 'visits' must be a number"),
    "number_min_above_max": (21, "max (50) is less than min (60)"),
    "only_comments": (1, "file is empty"),
    "python_object_tag": (4, "unsupported YAML tag '!!python/object/apply:os.system'"),
    "question_key_too_long": (13, "is too long (81 characters, at most 60)"),
    "sections_not_a_list": (8, "field 'sections' of template 'mini_check' must be a list"),
    "top_level_list": (1, "top level must be a mapping"),
    "unknown_kind": (3, "unknown kind 'survey'"),
    "unknown_question_type": (14, "unknown question type 'essay'"),
    "unknown_scale": (5, "scale 'ten_point' does not exist"),
    "unknown_theme": (16, "theme 'not_a_theme' is not in the theme vocabulary"),
    "yaml_bad_indent": (12, "YAML syntax error"),
    "yaml_tab_indentation": (10, "found character '\\t'"),
    "yaml_unclosed_bracket": (17, "YAML syntax error"),
}


def test_every_template_file_in_the_corpus_says_where_its_problem_is():
    assert sorted(p.stem for p in TEMPLATES) == sorted(TEMPLATE_PROBLEMS)


@pytest.fixture
def small_library(tmp_path):
    """A template directory (the shipped scales and themes, and corpus/good_template.yaml),
    already stored, so that a failed load has something it could wrongly change."""
    from qa_app.data.templates import store_library

    library = tmp_path / "audit_templates"
    library.mkdir()
    for name in ("scales.yaml", "themes.yaml"):
        shutil.copy(REPO / "audit_templates" / name, library)
    shutil.copy(CORPUS / "good_template.yaml", library)
    stored, problems = validate_path(library)
    assert not problems, problems
    store_library(stored)
    db.session.commit()
    return library


@pytest.mark.parametrize("file", TEMPLATES, ids=lambda p: p.stem)
def test_a_bad_template_is_reported_at_its_line_and_nothing_is_loaded(app, small_library, file):
    line, words = TEMPLATE_PROBLEMS[file.stem]
    _, problems = validate_path(file, vocabulary_dir=REPO / "audit_templates")
    assert any(p.line == line and words in p.message for p in problems), problems

    bad = small_library / f"zz_{file.name}"
    shutil.copy(file, bad)
    runner = app.test_cli_runner()
    checker = Checker()
    case = Case(file.stem, file.read_bytes(), where=(f"{bad}:{line}: ", words))
    checker.run(
        case,
        lambda: runner.invoke(args=["qa", "templates", "load", str(small_library)]),
        lambda result: cli_refusal(result, case.where, "Nothing was loaded"),
    )
    checker.assert_all_behaved()
