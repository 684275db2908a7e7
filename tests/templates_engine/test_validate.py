"""Tests for the audit template validator: the bad-file corpus, normalised output, vocabulary."""

import re
import shutil
from pathlib import Path

import pytest

from qa_app.templates_engine.validate import Problem, TemplateLibrary, validate_path

HERE = Path(__file__).parent
VOCAB = HERE / "vocab"
GOOD = HERE / "good"
BAD_TEMPLATES = sorted((HERE / "bad_templates").glob("*.yaml"))
BAD_VOCAB = sorted(p for p in (HERE / "bad_vocab").iterdir() if p.is_dir())
EXPECT = re.compile(r"^# expect: (\d+): (.+)$")


def expectations(file: Path) -> list[tuple[str, int, str]]:
    """The `# expect: LINE: MESSAGE-SUBSTRING` comments at the top of a fixture file."""
    found = []
    for text in file.read_text().splitlines():
        match = EXPECT.match(text)
        if not match:
            break
        found.append((str(file), int(match[1]), match[2]))
    return found


def assert_exactly(problems: list[Problem], expected: list[tuple[str, int, str]]) -> None:
    """Each expected (file, line, substring) matches its own problem; nothing else is reported."""
    remaining = list(problems)
    for file, line, substring in expected:
        match = next(
            (p for p in remaining if (p.file, p.line) == (file, line) and substring in p.message),
            None,
        )
        assert match is not None, f"expected {file}:{line}: ...{substring}... in {problems}"
        remaining.remove(match)
    assert remaining == [], f"unexpected problems: {[str(p) for p in remaining]}"


# --- the corpus of broken templates ---------------------------------------------------------


def test_corpus_is_big_enough_and_every_file_says_what_it_expects():
    assert len(BAD_TEMPLATES) >= 24
    for file in BAD_TEMPLATES:
        assert expectations(file), f"{file.name} has no '# expect: LINE: MESSAGE' first line"


@pytest.mark.parametrize("file", BAD_TEMPLATES, ids=lambda p: p.stem)
def test_bad_template_reports_exactly_the_expected_problem(file):
    library, problems = validate_path(file, vocabulary_dir=VOCAB)
    assert_exactly(problems, expectations(file))
    assert library.templates == {}
    assert library.files == {}
    assert set(library.scales) == {"ofsted4", "three_point"}  # the vocabulary itself is fine


@pytest.mark.parametrize("directory", BAD_VOCAB, ids=lambda p: p.name)
def test_bad_vocabulary_reports_exactly_the_expected_problems(directory):
    expected = [e for file in sorted(directory.glob("*.yaml")) for e in expectations(file)]
    assert expected, f"{directory.name} has no expectations"
    library, problems = validate_path(directory)
    assert_exactly(problems, expected)
    assert library.templates == {}


def test_a_bad_scale_is_left_out_of_the_library_but_good_ones_stay():
    library, _ = validate_path(HERE / "bad_vocab" / "template_uses_broken_scale")
    assert list(library.scales) == ["ofsted4"]
    library, _ = validate_path(HERE / "bad_vocab" / "duplicate_theme_key")
    assert list(library.themes) == ["timeliness", "voice_of_child"]


# --- problems ----------------------------------------------------------------------------------


def test_problem_prints_as_file_line_message_and_sorts_by_file_then_line():
    a = Problem("a.yaml", 10, "zzz")
    b = Problem("a.yaml", 9, "aaa")
    c = Problem("B.yaml", 1, "x")
    assert str(a) == "a.yaml:10: zzz"
    assert sorted([a, b, c]) == [c, b, a]


def test_problems_are_sorted_by_file_then_line(tmp_path):
    copy_vocab(tmp_path)
    (tmp_path / "b.yaml").write_text("key: b\nname: B\nscale: nope\nsections: []\n")
    (tmp_path / "a.yaml").write_text("key: a\nname: [A]\nscale: nope\nsections: []\nextra: 1\n")
    _, problems = validate_path(tmp_path)
    assert [(Path(p.file).name, p.line) for p in problems] == [
        ("a.yaml", 2),
        ("a.yaml", 3),
        ("a.yaml", 4),
        ("a.yaml", 5),
        ("b.yaml", 3),
        ("b.yaml", 4),
    ]


# --- normalised output ---------------------------------------------------------------------


def q(key, qtype, text, help="", required=True, themes=(), **extra):
    """A normalised question, spelled out field by field in the spec's order."""
    return {
        "key": key,
        "type": qtype,
        "text": text,
        "help": help,
        "required": required,
        "themes": list(themes),
        **extra,
    }


def opt(key, label, help=""):
    return {"key": key, "label": label, "help": help}


def test_good_template_normalises_with_every_default_filled_in():
    library, problems = validate_path(GOOD / "every_type.yaml", vocabulary_dir=VOCAB)
    assert problems == []
    assert library.files == {"every_type": str(GOOD / "every_type.yaml")}
    assert library.templates["every_type"] == {
        "key": "every_type",
        "name": "Every question type",  # surrounding whitespace stripped
        "kind": "case_audit",
        "description": "Exercises each question type and a repeat group.",
        "scale": "ofsted4",
        "themes": ["voice_of_child"],
        "overall_grade": {
            "graded": True,
            "limiting_rule": True,
            "help": "The worst limiting section caps the grade.",
        },
        "sections": [
            {
                "key": "timeliness",
                "title": "Timeliness",
                "help": "",
                "graded": True,
                "limiting": True,
                "questions": [
                    q(
                        "seen_within_timescale",
                        "yes_partly_no",
                        "Was the child seen within the timescale?",
                        themes=["timeliness", "voice_of_child"],
                        not_applicable=True,
                    ),
                    q(
                        "seen_alone",
                        "yes_partly_no",
                        "Was the child seen alone?",
                        help="Only if age-appropriate.",
                        required=False,
                        not_applicable=False,
                    ),
                    q(
                        "days_to_assessment",
                        "number",
                        "How many working days did the assessment take?",
                        unit="working days",
                        min=0,
                        max=None,
                        integer=True,
                    ),
                    q(
                        "weight",
                        "number",
                        "Weight at birth",
                        unit="",
                        min=0.5,
                        max=6.5,
                        integer=False,
                    ),
                    q("assessment_date", "date", "Date the assessment was completed"),
                ],
            },
            {
                "key": "quality",
                "title": "Quality of practice",
                "help": "Look at the whole file.",
                "graded": True,
                "limiting": False,
                "questions": [
                    q(
                        "overall_quality",
                        "grade",
                        "Grade the quality of the assessment",
                        scale="ofsted4",
                    ),
                    q("analysis_quality", "grade", "Grade the analysis", scale="three_point"),
                    q(
                        "legal_status",
                        "single_choice",
                        "Legal status",
                        options=[
                            opt("cin", "Child in need"),
                            opt("cp", "Child protection", "On a plan."),
                        ],
                    ),
                    q(
                        "concerns",
                        "multiple_choice",
                        "Which concerns were identified?",
                        options=[
                            opt("neglect", "Neglect"),
                            opt("domestic_abuse", "Domestic abuse"),
                            opt("other", "Other"),
                        ],
                    ),
                    q("summary", "text", "Summary of findings", long=True, max_length=None),
                    q("one_line", "text", "One-line headline", long=False, max_length=120),
                ],
            },
            {
                "key": "partners",
                "title": "Partner agencies",
                "help": "",
                "graded": False,
                "limiting": False,
                "questions": [
                    q(
                        "agencies",
                        "repeat",
                        "Agency involvement",
                        themes=["multi_agency"],
                        repeat_label="Agency",
                        options=[opt("police", "Police"), opt("school", "School")],
                        min=0,
                        max=None,
                        questions=[
                            q(
                                "agency_contributed",
                                "yes_partly_no",
                                "Did the agency contribute?",
                                not_applicable=True,
                            ),
                            q("agency_notes", "text", "Notes", long=True, max_length=None),
                        ],
                    ),
                    q(
                        "health",
                        "repeat",
                        "Health involvement",
                        repeat_label="Health service",
                        options=[opt("gp", "GP")],
                        min=1,
                        max=3,
                        questions=[
                            q("health_grade", "grade", "Grade the health input", scale="ofsted4")
                        ],
                    ),
                ],
            },
        ],
    }


def test_bare_template_gets_the_spec_defaults():
    library, problems = validate_path(GOOD / "bare.yaml", vocabulary_dir=VOCAB)
    assert problems == []
    bare = library.templates["bare"]
    assert list(bare) == [
        "key",
        "name",
        "kind",
        "description",
        "scale",
        "themes",
        "overall_grade",
        "sections",
    ]
    assert bare["kind"] == "case_audit"
    assert bare["description"] == ""
    assert bare["themes"] == []
    assert bare["overall_grade"] == {"graded": True, "limiting_rule": False, "help": ""}
    section = bare["sections"][0]
    assert {k: v for k, v in section.items() if k != "questions"} == {
        "key": "only",
        "title": "Only section",
        "help": "",
        "graded": False,
        "limiting": False,
    }
    options = [opt("x", "X"), opt("y", "Y")]
    assert section["questions"] == [
        q("b_grade", "grade", "Grade", scale="three_point"),  # the template's scale
        q("b_ypn", "yes_partly_no", "Yes or no", not_applicable=True),
        q("b_single", "single_choice", "One", options=options),
        q("b_multi", "multiple_choice", "Many", options=options),
        q("b_number", "number", "Number", unit="", min=None, max=None, integer=True),
        q("b_date", "date", "Date"),
        q("b_text", "text", "Text", long=True, max_length=None),
        q(
            "b_repeat",
            "repeat",
            "Repeat",
            repeat_label="Thing",
            options=[opt("x", "X")],
            min=0,
            max=None,
            questions=[q("b_inner", "date", "Inner")],
        ),
    ]


def test_vocabulary_is_normalised():
    library, problems = validate_path(GOOD / "bare.yaml", vocabulary_dir=VOCAB)
    assert problems == []
    assert library.scales["three_point"] == {
        "key": "three_point",
        "name": "Good / adequate / inadequate",
        "description": "",
        "levels": [
            {"key": "good", "label": "Good", "description": ""},
            {"key": "adequate", "label": "Adequate", "description": ""},
            {"key": "inadequate", "label": "Inadequate", "description": ""},
        ],
    }
    assert library.scales["ofsted4"]["description"] == "The inspection judgement scale."
    assert library.scales["ofsted4"]["levels"][1]["description"] == "Meets the standard."
    assert list(library.themes) == ["voice_of_child", "timeliness", "multi_agency"]
    assert library.themes["timeliness"] == {
        "key": "timeliness",
        "name": "Timeliness",
        "description": "",
    }


def test_null_optional_fields_take_their_defaults(tmp_path):
    copy_vocab(tmp_path)
    (tmp_path / "t.yaml").write_text(
        "key: t\nname: T\nscale: ofsted4\ndescription:\nthemes:\noverall_grade:\nsections:\n"
        "  - key: s\n    title: S\n    help:\n    questions:\n"
        "      - {key: n, type: number, text: N, min: ~, max: ~, unit: ~}\n"
    )
    library, problems = validate_path(tmp_path)
    assert problems == []
    t = library.templates["t"]
    assert (t["description"], t["themes"]) == ("", [])
    assert t["overall_grade"] == {"graded": True, "limiting_rule": False, "help": ""}
    assert t["sections"][0]["questions"][0]["min"] is None


# --- directories, single files and the vocabulary's location --------------------------------


def copy_vocab(directory: Path) -> None:
    for name in ("scales.yaml", "themes.yaml"):
        shutil.copy(VOCAB / name, directory / name)


def test_directory_reads_every_yaml_and_yml_file_sorted_by_name(tmp_path):
    copy_vocab(tmp_path)
    shutil.copy(GOOD / "every_type.yaml", tmp_path / "z_every_type.yml")
    shutil.copy(GOOD / "bare.yaml", tmp_path / "bare.yaml")
    shutil.copy(HERE / "bad_templates" / "unknown_kind.yaml", tmp_path / "m.yaml")
    (tmp_path / "notes.txt").write_text("not a template: [")
    (tmp_path / ".hidden.yaml").write_text("not a template: [")
    (tmp_path / "subdir.yaml").mkdir()
    library, problems = validate_path(tmp_path)
    assert [(Path(p.file).name, p.line) for p in problems] == [("m.yaml", 12)]
    assert list(library.templates) == ["bare", "every_type"]
    assert library.files == {
        "bare": str(tmp_path / "bare.yaml"),
        "every_type": str(tmp_path / "z_every_type.yml"),
    }
    assert set(library.scales) == {"ofsted4", "three_point"}
    assert set(library.themes) == {"voice_of_child", "timeliness", "multi_agency"}


def test_duplicate_template_key_across_files_is_reported_on_the_later_file(tmp_path):
    copy_vocab(tmp_path)
    shutil.copy(GOOD / "bare.yaml", tmp_path / "a.yaml")
    shutil.copy(GOOD / "bare.yaml", tmp_path / "b.yaml")
    library, problems = validate_path(tmp_path)
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'b.yaml'}:2: duplicate template key 'bare' (already used in"
        f" {tmp_path / 'a.yaml'})"
    ]
    assert library.files == {"bare": str(tmp_path / "a.yaml")}


def test_vocabulary_dir_overrides_a_directorys_own(tmp_path):
    shutil.copy(GOOD / "bare.yaml", tmp_path / "bare.yaml")
    library, problems = validate_path(tmp_path, vocabulary_dir=VOCAB)
    assert problems == []
    assert list(library.templates) == ["bare"]


def test_single_file_uses_the_vocabulary_next_to_it(tmp_path):
    copy_vocab(tmp_path)
    shutil.copy(GOOD / "bare.yaml", tmp_path / "bare.yaml")
    library, problems = validate_path(str(tmp_path / "bare.yaml"))
    assert problems == []
    assert list(library.templates) == ["bare"]


def test_single_file_without_vocabulary_is_a_problem():
    library, problems = validate_path(GOOD / "bare.yaml")
    assert [(p.file, p.line) for p in problems] == [(str(GOOD / "scales.yaml"), 0)]
    assert "missing scales.yaml" in problems[0].message
    assert library.templates == {}  # unverifiable without a vocabulary


def test_missing_themes_file_is_a_problem_and_no_template_is_returned(tmp_path):
    shutil.copy(VOCAB / "scales.yaml", tmp_path / "scales.yaml")
    shutil.copy(GOOD / "bare.yaml", tmp_path / "bare.yaml")
    library, problems = validate_path(tmp_path)
    assert [(p.file, p.line) for p in problems] == [(str(tmp_path / "themes.yaml"), 0)]
    assert problems[0].message.startswith("missing themes.yaml")
    assert library.templates == {}
    assert set(library.scales) == {"ofsted4", "three_point"}


def test_missing_scales_file_is_a_problem(tmp_path):
    shutil.copy(VOCAB / "themes.yaml", tmp_path / "themes.yaml")
    _, problems = validate_path(tmp_path)
    assert [(p.file, p.line) for p in problems] == [(str(tmp_path / "scales.yaml"), 0)]
    assert problems[0].message.startswith("missing scales.yaml")


def test_a_vocabulary_file_on_its_own_checks_that_directorys_vocabulary():
    path = HERE / "bad_vocab" / "scale_one_level" / "scales.yaml"
    library, problems = validate_path(path)
    assert_exactly(problems, expectations(path))
    assert library.templates == {}


def test_nonexistent_path_is_a_problem(tmp_path):
    library, problems = validate_path(tmp_path / "nope")
    assert problems == [Problem(str(tmp_path / "nope"), 0, "no such file or directory")]
    assert library == TemplateLibrary({}, {}, {}, {})


def test_invalid_utf8_is_a_problem_with_its_line(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_bytes(b"key: t\nname: caf\xe9\n")
    _, problems = validate_path(path, vocabulary_dir=VOCAB)
    assert [(p.line, p.message) for p in problems] == [(2, "file is not valid UTF-8 text")]


def test_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bare.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + (GOOD / "bare.yaml").read_bytes())
    library, problems = validate_path(path, vocabulary_dir=VOCAB)
    assert problems == []
    assert list(library.templates) == ["bare"]


# --- never raises ----------------------------------------------------------------------------

MUTATIONS = ["[]", "{}", "~", "0", "-3", "2.5", "true", "'Some Text'", "!!binary aGk=", "[a, [b]]"]


def mutants(text: str, values: bool):
    """Variants of a template: each line deleted, and (values=True) each value made odd."""
    lines = text.splitlines(keepends=True)
    for i in range(1, len(lines)):
        yield "".join(lines[:i] + lines[i + 1 :])
        match = re.match(r"^(\s*(?:- )?[a-z_]+:)( .*)?$", lines[i])
        if values and match:
            for value in MUTATIONS:
                yield "".join(lines[:i] + [f"{match[1]} {value}\n"] + lines[i + 1 :])


@pytest.mark.parametrize(("name", "values"), [("every_type.yaml", False), ("bare.yaml", True)])
def test_mangled_templates_never_raise_and_problems_point_into_the_file(tmp_path, name, values):
    copy_vocab(tmp_path)
    path = tmp_path / name
    count = 0
    for text in mutants((GOOD / name).read_text(), values):
        path.write_text(text)
        library, problems = validate_path(path)
        count += 1
        line_count = text.count("\n") + 1
        for problem in problems:
            assert problem.file == str(path)
            assert 1 <= problem.line <= line_count, (text, problem)
            assert problem.message
        assert bool(library.templates) == (not problems), (text, problems)
    assert count > 100


def test_an_impact_question_is_kept_only_where_it_is_marked(tmp_path):
    """`impact: true` is carried into the normalised question; a question without it has no
    `impact` key at all, so templates without impact questions keep their content (no new
    version on the next load)."""
    file = tmp_path / "impact.yaml"
    file.write_text(
        "key: impact_ok\nname: Test\nscale: ofsted4\nsections:\n  - key: main\n"
        "    title: Main\n    questions:\n"
        "      - {key: met, type: yes_partly_no, text: 'Met?', impact: true}\n"
        "      - {key: grade, type: grade, text: 'Grade?', impact: false}\n"
        "      - {key: other, type: yes_partly_no, text: 'Other?'}\n"
    )
    library, problems = validate_path(file, vocabulary_dir=VOCAB)
    assert problems == []
    questions = library.templates["impact_ok"]["sections"][0]["questions"]
    assert [q.get("impact") for q in questions] == [True, None, None]
    assert "impact" not in questions[1] and "impact" not in questions[2]
