"""The question findings (qa_app.findings.question_findings) over hand-made counts: which
answers become a concern, an area for development or a strength, the sentences with and
without the template's phrasing, the repeat group's per-agency and same-gap findings, medians
with units against a target, the drill-down address of each, and no finding from a hidden
count."""

from qa_app.findings.question_findings import (
    CONCERN,
    CONTEXT,
    DEVELOPMENT,
    STRENGTH,
    count_of,
    question_findings,
    template_findings,
)

NOUN = {"one": "assessment", "many": "assessments"}


def yes_partly_no(key, yes, partly, no, finding=None, na=0):
    q = {
        "key": key,
        "text": "Were agency checks complete?",
        "type": "yes_partly_no",
        "counts": {"yes": yes, "partly": partly, "no": no, "not_applicable": na},
        "n": yes + partly + no + na,
    }
    return q | ({"finding": finding} if finding else {})


def template(questions=(), repeats=(), noun=NOUN, completed=12):
    return {
        "key": "single_assessment",
        "name": "Single assessment",
        "noun": noun,
        "completed": completed,
        "questions": list(questions),
        "repeats": list(repeats),
    }


PHRASE = {"no": "had no evidence of agency checks", "partly": "had partial checks"}


def test_a_large_share_of_no_is_a_concern_stated_with_the_templates_phrasing():
    (f,) = template_findings(template([yes_partly_no("checks", 8, 0, 4, PHRASE)]))
    assert (f.kind, f.sentence) == (
        CONCERN,
        "4 of the 12 assessments had no evidence of agency checks.",
    )
    assert f.cell() == {"template": "single_assessment", "question": "checks", "value": "no"}
    (f,) = template_findings(template([yes_partly_no("checks", 5, 3, 4, PHRASE)]))
    assert f.sentence == (
        "4 of the 12 assessments had no evidence of agency checks and 3 more had partial checks."
    )


def test_not_applicable_answers_are_left_out_of_the_share():
    (f,) = template_findings(template([yes_partly_no("checks", 6, 0, 2, PHRASE, na=4)]))
    assert f.sentence == "2 of the 8 assessments had no evidence of agency checks."


def test_no_and_partly_together_are_an_area_for_development_and_nearly_all_yes_a_strength():
    (f,) = template_findings(template([yes_partly_no("checks", 6, 5, 1)]))
    assert f.kind == DEVELOPMENT and f.value == "partly"
    assert f.sentence == (
        "In 5 of the 12 assessments the answer to “Were agency checks complete?” was partly, "
        "and in 1 more it was no."
    )
    (f,) = template_findings(template([yes_partly_no("checks", 12, 0, 0)]))
    assert (f.kind, f.sentence) == (
        STRENGTH,
        "In all 12 assessments the answer to “Were agency checks complete?” was yes.",
    )
    assert template_findings(template([yes_partly_no("checks", 9, 2, 1)])) == []  # nothing of note
    assert template_findings(template([yes_partly_no("checks", 1, 0, 1)])) == []  # too few


def test_a_hidden_count_gives_no_finding():
    q = yes_partly_no("checks", 8, 0, 4, PHRASE)
    q["counts"]["no"] = None
    assert template_findings(template([q])) == []


def test_without_a_noun_the_sentence_counts_audits():
    (f,) = template_findings(template([yes_partly_no("checks", 8, 0, 4, PHRASE)], noun=None))
    assert f.sentence == "4 of the 12 audits had no evidence of agency checks."
    assert count_of(1, 1, NOUN) == "the assessment"
    assert count_of(2, 2, NOUN) == "both assessments"
    assert count_of(2, 7, NOUN, relevant=True) == "2 of the 7 relevant assessments"


def test_a_median_reads_with_its_unit_and_against_its_target():
    q = {
        "key": "days",
        "text": "Working days to conference",
        "type": "number",
        "unit": "working days",
        "n": 9,
        "median": 15.0,
        "min": 10.0,
        "max": 25.0,
        "finding": {"median": "time to conference", "target": 15, "better": "lower"},
    }
    (f,) = template_findings(template([q]))
    assert f.kind == STRENGTH
    assert f.sentence == (
        "The median time to conference was 15 working days (9 assessments, from 10 to 25; the "
        "target is 15 working days)."
    )
    q["median"] = 21.0
    assert template_findings(template([q]))[0].kind == CONCERN
    del q["finding"]
    (f,) = template_findings(template([q]))
    assert f.kind == CONTEXT
    assert f.sentence.startswith("The median answer to “Working days to conference” was 21")


def block(key, label, yes, no):
    inner = {
        "key": "report_provided",
        "text": "Did the agency provide a report?",
        "type": "yes_partly_no",
        "counts": {"yes": yes, "partly": 0, "no": no},
        "n": yes + no,
        "finding": {
            "no": "had no {block} report",
            "all_no": "No {block} report was received for any of the {n} {noun}",
            "same_gap": "were not received",
        },
    }
    return {"key": key, "label": label, "n": yes + no, "questions": [inner]}


def test_a_repeat_group_states_each_agencys_gap_and_the_same_gap_across_agencies():
    noun = {"one": "conference", "many": "conferences"}
    repeat = {
        "key": "agency_report",
        "blocks": [
            block("gp", "GP", 0, 9),
            block("health_visitor", "Health visitor", 5, 2),
            block("police", "Police", 9, 0),
        ],
    }
    found = template_findings(template(repeats=[repeat], noun=noun, completed=9))
    sentences = [f.sentence for f in found]
    assert sentences == [
        "No GP report was received for any of the 9 conferences.",
        "2 of the 7 relevant conferences had no health visitor report.",
    ]
    assert found[0].cell() == {
        "template": "single_assessment",
        "question": "report_provided",
        "value": "no",
        "group": "agency_report",
        "block": "gp",
    }
    repeat["blocks"].append(block("school", "School", 4, 5))
    found = template_findings(template(repeats=[repeat], noun=noun, completed=9))
    # an agency with every report missing is still stated on its own; the others are pooled
    assert [f.sentence for f in found] == [
        "No GP report was received for any of the 9 conferences.",
        "The same gap across 3 agencies: 16 of their 25 reports were not received (GP 9 of 9, "
        "health visitor 2 of 7, school 5 of 9).",
    ]


def test_findings_across_templates_are_ranked_by_weight():
    figures = {
        "templates": [
            template([yes_partly_no("checks", 8, 0, 4, PHRASE)]),
            template([yes_partly_no("seen", 2, 0, 10, PHRASE)]) | {"key": "cp_plan"},
            template([yes_partly_no("x", 12, 0, 0)]) | {"key": "idle", "completed": 0},
        ]
    }
    assert [f.template for f in question_findings(figures)] == ["cp_plan", "single_assessment"]
