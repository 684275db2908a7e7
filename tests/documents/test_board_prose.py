"""Every drafted sentence of the board report and the cycle report read aloud, over generated
counts (hypothesis, counts 0 to 14 everywhere): each count agrees with its verb and noun
("1 was", "6 were", "1 assessment"), no raw key ("requires_improvement", "not_applicable") and
no placeholder reaches the text, a grade reads "judged to require improvement to be good",
never "judged requires...", and a count of nothing is never stated as a development."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from qa_app.documents import board_text, narrative, sentences
from qa_app.findings.question_findings import question_findings

LEVELS = [
    {"key": "outstanding", "label": "Outstanding"},
    {"key": "good", "label": "Good"},
    {"key": "requires_improvement", "label": "Requires improvement to be good"},
    {"key": "inadequate", "label": "Inadequate"},
]
PLURALS = (
    "audits|assessments|conferences|reports|actions|children|indicators|conversations|weeks"
    "|plans|parents or carers"
)
BAD = [
    (re.compile(r"\b[a-z]+_[a-z_]+\b"), "a raw key"),
    (re.compile(r"[{}]"), "a placeholder"),
    (re.compile(r"(?<![\d,.])1 were\b"), "1 were"),
    (re.compile(r"(?<![\d,.])(0|[2-9]|\d{2,}) was\b"), "n was"),
    (re.compile(rf"(?<![\d,.])1 ({PLURALS})\b"), "1 with a plural noun"),
    (re.compile(r"judged requires"), "judged requires"),
    (re.compile(r"\bof the 0\b|\b1 of the 1\b|\bof 0\b"), "a share of nothing"),
    (re.compile(r"\b0 (improvement actions|practice weeks|conversations|case audits)\b"), "zero"),
    (re.compile(r"\ba ([aeiou])"), "a before a vowel"),
    (re.compile(r" {2}|\.\.|\( |\s[,.]"), "spacing"),
    (re.compile(r"hidden"), "a hidden count at exact counts"),
]

count = st.integers(min_value=0, max_value=14)


def reads_right(text: str) -> None:
    for line in filter(None, (part.strip() for part in text.split("\n"))):
        for pattern, what in BAD:
            assert not pattern.search(line), f"{what}: {line}"
        assert line[0].isupper() or line[0].isdigit(), line
        assert line.endswith("."), line


@st.composite
def templates(draw, key: str, noun: dict | None, phrased: bool):
    grades = {lvl["key"]: draw(count) for lvl in LEVELS}
    n = sum(grades.values())
    completed = n + draw(st.integers(min_value=0, max_value=2))
    yes, partly, no, na = (draw(count) for _ in range(4))
    finding = (
        {"no": "had no evidence of agency checks", "yes": "had complete agency checks"}
        if phrased
        else {}
    )
    question = {
        "key": "agency_checks_complete",
        "text": "Were agency checks complete?",
        "type": "yes_partly_no",
        "section": "Checks",
        "labels": {},
        "counts": {"yes": yes, "partly": partly, "no": no, "not_applicable": na},
        "n": yes + partly + no + na,
        **({"finding": finding} if finding else {}),
    }
    answered = draw(count)
    median = draw(st.floats(min_value=0, max_value=60, allow_nan=False))
    number = {
        "key": "working_days",
        "text": "Working days to conference",
        "type": "number",
        "section": "Timeliness",
        "unit": "working days",
        "n": answered,
        "median": median if answered else None,
        "min": 0.0 if answered else None,
        "max": 60.0 if answered else None,
        "finding": {"median": "time to conference", "target": 15, "better": "lower"},
    }
    choice_n = draw(count)
    choice = {
        "key": "child_participation",
        "text": "How were the child's views brought to the conference?",
        "type": "single_choice",
        "section": "Conference",
        "labels": {"not_presented": "Not presented", "attended": "Attended"},
        "counts": {"not_presented": draw(st.integers(0, choice_n)), "attended": 0},
        "n": choice_n,
        "finding": {"concern": ["not_presented"]},
    }
    blocks = []
    for label_key, label in (
        ("gp", "GP"),
        ("health_visitor", "Health visitor"),
        ("other", "Other"),
    ):
        b_yes, b_no = draw(count), draw(count)
        inner = {
            "key": "report_provided",
            "text": "Did the agency provide a written report?",
            "type": "yes_partly_no",
            "section": "Reports",
            "labels": {},
            "counts": {"yes": b_yes, "partly": 0, "no": b_no},
            "n": b_yes + b_no,
            "finding": {
                "no": "had no {block} report",
                "yes": "had a written {block} report",
                "all_no": "No {block} report was received for any of the {n} {noun}",
                "same_gap": "did not come",
            }
            if phrased
            else {},
        }
        blocks.append({"key": label_key, "label": label, "n": b_yes + b_no, "questions": [inner]})
    return {
        "key": key,
        "name": "Single assessment",
        "noun": noun,
        "completed": completed,
        "by_status": {},
        "scale": {"key": "ofsted4", "name": "Ofsted", "levels": LEVELS, "good_or_better": []},
        "overall": {
            "counts": grades,
            "n": n,
            "good_or_better": grades["outstanding"] + grades["good"],
        },
        "sections": [],
        "questions": [question, number, choice],
        "repeats": [
            {"key": "agency_report", "text": "Reports", "repeat_label": "Agency", "blocks": blocks}
        ],
    }


@st.composite
def board_figures(draw):
    noun = draw(st.sampled_from([None, {"one": "assessment", "many": "assessments"}]))
    template = draw(templates("single_assessment", noun, draw(st.booleans())))
    themes = [
        {"key": "voice", "name": "Voice of the child", "strength": s, "development": d, "n": s + d}
        for s, d in [(draw(count), draw(count))]
    ]
    open_actions, done = draw(count), draw(count)
    findings = {
        "templates": [template],
        "themes": themes,
        "themes_by_template": [{"template": "single_assessment", "themes": themes}],
        "top_strengths": ["voice"] if themes[0]["strength"] else [],
        "top_development": ["voice"] if themes[0]["development"] else [],
        "totals": {"completed": template["completed"], "in_progress": 0, "not_started": 0},
        "period": {"from": "2013-11-01", "to": "2013-11-30"},
        "previous": None,
    }
    rows = [
        {
            "name": "Re-referrals",
            "unit": "percentage",
            "reported": True,
            "rag": draw(st.sampled_from(["green", "amber", "red", None])),
            "value": 30,
            "target": 25,
        }
        for _ in range(draw(st.integers(0, 3)))
    ]
    return {
        "suppression": {"threshold": 0},
        "agency": "Children's Services",
        "period": {"from": "2013-11-01", "to": "2013-11-30"},
        "activity": {
            "audits_completed": template["completed"],
            "practice_weeks": draw(count),
            "actions_completed": done,
        },
        "indicators": {"rows": rows, "month": "2013-11-01"},
        "findings": findings,
        "icpc": None,
        "conversations": {
            "counts": {"staff": draw(count), "child": draw(count), "parent_carer": draw(count)}
        },
        "actions": {
            "open": open_actions,
            "overdue": draw(st.integers(0, open_actions)),
            "completed_in_period": done,
            "rows": [],
        },
        "reviews": [],
    }


@settings(max_examples=150, deadline=None)
@given(board_figures())
def test_every_drafted_sentence_of_the_board_report_reads_right(figures):
    for section in board_text.draft_sections(figures):
        if section["key"] != "expected_outcomes":  # the owners' own words
            reads_right(section["text"])
    for lines in board_text.draft_key_findings(figures).values():
        reads_right("\n".join(lines))
    reads_right("\n".join(board_text.development_prompts(figures)))


@settings(max_examples=150, deadline=None)
@given(board_figures())
def test_every_drafted_sentence_of_the_cycle_report_reads_right(figures):
    cycle = figures["findings"]
    for template in cycle["templates"]:
        reads_right(narrative.template_text(template, 0))
    for lines in narrative.draft_key_findings(cycle, 0).values():
        reads_right("\n".join(lines))


@settings(max_examples=100, deadline=None)
@given(board_figures())
def test_a_finding_is_stated_only_where_its_counts_carry_it(figures):
    for finding in question_findings(figures["findings"]):
        assert finding.kind in ("strength", "concern", "development", "context")
        numbers = [int(x) for x in re.findall(r"(?<![\d.])\d+(?![\d.])", finding.sentence)]
        assert all(n >= 0 for n in numbers)
        assert finding.cell()["template"] == "single_assessment"
        reads_right(finding.sentence)


@given(st.lists(count, min_size=4, max_size=4))
def test_a_grade_split_agrees_with_every_count(counts):
    split = sentences.grade_split(
        {"counts": dict(zip([lvl["key"] for lvl in LEVELS], counts, strict=True))}, LEVELS, 0
    )
    for n, level in zip(counts, LEVELS, strict=True):
        words = sentences.judged(level["label"])
        if n == 0:
            assert f"judged {words}" not in split
        else:
            assert f"{n} {'was' if n == 1 else 'were'} judged {words}" in split
    assert "requires" not in split


@given(count, count)
def test_a_theme_is_a_strength_or_an_area_for_development_never_both(strength, development):
    theme = {
        "key": "visits",
        "name": "Purposeful visits",
        "strength": strength,
        "development": development,
        "n": strength + development,
    }
    figures = {
        "findings": {
            "themes": [theme],
            "themes_by_template": [{"template": "cp_plan_visits", "themes": [theme]}],
            # ranked by share, a tie may sit at the top of both lists
            "top_strengths": ["visits"] if strength else [],
            "top_development": ["visits"] if development else [],
        }
    }
    said = " ".join(board_text._template_key_findings(figures, "cp_plan_visits"))
    assert ("most often a strength" in said) == (strength > development)
    assert ("most often an area for development" in said) == (development > strength)
