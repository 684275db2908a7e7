"""The judgement areas of the self-evaluation as data (qa_app.data.judgement_areas): the shipped
file is valid and feeds each area from the product's evidence; a wrong file is refused with its
name and the line of each problem."""

from pathlib import Path

import pytest

from qa_app.data.indicator_areas import AREAS
from qa_app.data.judgement_areas import FRAMEWORK_FILE, JudgementAreasError, load, parse
from qa_app.templates_engine.validate import validate_path

REPO = Path(__file__).resolve().parents[2]

GOOD = """\
framework: A framework
questions:
  know: What do we know?
  how: How do we know?
  doing: What are we doing?
areas:
  - key: one
    title: The first area
    templates: [single_assessment]
    indicator_areas: [referrals]
    themes: [voice_of_child]
    practice_weeks: true
"""


def test_the_shipped_file_names_the_four_judgement_areas_and_their_evidence():
    framework = load()
    assert [a.key for a in framework.areas] == [
        "help_and_protection",
        "children_in_care",
        "care_leavers",
        "leaders",
    ]
    assert set(framework.questions) == {"know", "how", "doing"}
    help_and_protection = framework.areas[0]
    assert help_and_protection.templates == (
        "single_assessment",
        "cp_plan_visits",
        "cin_plan",
        "icpc_reports",
    )
    assert framework.areas[3].practice_weeks
    header = FRAMEWORK_FILE.read_text()
    assert "removed the overall effectiveness grade from April 2026" in header
    assert "renewed framework" in header and "2027" in header


def test_every_theme_and_indicator_area_the_file_names_exists():
    library, problems = validate_path(REPO / "audit_templates")
    assert not problems
    for area in load().areas:
        assert set(area.themes) <= set(library.themes), area.key
        assert set(area.indicator_areas) <= set(AREAS), area.key


def test_a_good_file_parses():
    framework = parse(GOOD, "mine.yaml")
    assert framework.name == "A framework"
    (area,) = framework.areas
    assert (area.key, area.templates, area.indicator_areas) == (
        "one",
        ("single_assessment",),
        ("referrals",),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            GOOD.replace("[referrals]", "[nowhere]"),
            "mine.yaml:10: unknown indicator area 'nowhere'",
        ),
        (
            GOOD.replace("    title: The first area\n", ""),
            "mine.yaml:7: missing required field 'title'",
        ),
        (GOOD.replace("practice_weeks: true", "practice_weeks: often"), "mine.yaml:12: field "),
        (GOOD.replace("  how: How do we know?\n", ""), "mine.yaml:3: missing required field 'how'"),
        (GOOD + "  - key: one\n    title: Again\n", "mine.yaml:13: duplicate area key 'one'"),
        (GOOD.replace("themes:", "colour:"), "mine.yaml:11: unknown field 'colour'"),
        (GOOD.replace("areas:\n", "areas: [\n", 1), "mine.yaml:"),
        (GOOD.replace("[voice_of_child]", "[Voice Of Child]"), "mine.yaml:11: 'themes'"),
    ],
)
def test_a_wrong_file_is_refused_with_its_name_and_line(text, expected):
    with pytest.raises(JudgementAreasError) as refused:
        parse(text, "mine.yaml")
    assert any(p.startswith(expected) for p in refused.value.problems), refused.value.problems


def test_a_file_that_is_not_utf8_is_refused_with_its_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_bytes(b"framework: x\nquestions: \xff\n")
    with pytest.raises(JudgementAreasError, match="broken.yaml:2: file is not valid UTF-8"):
        load(path)
