"""A count hidden by secondary suppression is often 5 or more, so no output may word a hidden
count as "fewer than N".

Worked out by hand, threshold 5: overall grades outstanding 2, good 12, requires improvement
7, inadequate 9 (n 30). Outstanding (2) is hidden as a small number; it would be the only
hidden cell, so the next smallest, requires improvement (7), is hidden too; and good or better
(14) is hidden because a cell is. A reader must never be told "fewer than 5" about the 7."""

from qa_app.charts import findings as charts
from qa_app.documents import board_text, narrative
from qa_app.findings import present
from qa_app.findings.suppression import suppress

LEVELS = [
    {"key": "outstanding", "label": "Outstanding"},
    {"key": "good", "label": "Good"},
    {"key": "requires_improvement", "label": "Requires improvement to be good"},
    {"key": "inadequate", "label": "Inadequate"},
]
COUNTS = {"outstanding": 2, "good": 12, "requires_improvement": 7, "inadequate": 9}


def _template() -> dict:
    return {
        "key": "single_assessment",
        "name": "Single assessment",
        "completed": 30,
        "overall": {"n": 30, "counts": dict(COUNTS), "good_or_better": 14},
        "scale": {"name": "Ofsted", "levels": LEVELS, "good_or_better": ["outstanding", "good"]},
        "questions": [],
        "repeats": [],
    }


def _board_figures(findings: dict) -> dict:
    return {
        "suppression": {"threshold": 5},
        "period": {"from": "2026-04-01", "to": "2026-09-30"},
        "activity": {"audits_completed": 30, "practice_weeks": 1, "actions_completed": 6},
        "indicators": {"rows": [], "month": None},
        "findings": {
            "templates": findings["templates"],
            "themes_by_template": [],
            "themes": [],
            "top_strengths": [],
            "top_development": [],
        },
        "icpc": None,
        "conversations": {"counts": {"staff": 6, "child": 5, "parent_carer": 6}},
        "actions": {"open": 2, "overdue": 1, "completed_in_period": 1, "rows": []},
    }


def test_a_count_hidden_secondarily_is_never_worded_fewer_than():
    hidden = suppress({"templates": [_template()]}, 5)
    template = hidden["templates"][0]
    overall = template["overall"]
    # the premise: 2 hidden as small, 7 hidden secondarily, 12 and 9 shown, subtotal hidden
    assert overall["counts"] == {
        "outstanding": None,
        "good": 12,
        "requires_improvement": None,
        "inadequate": 9,
    }
    assert overall["good_or_better"] is None

    # table cells and chart labels
    assert present.count(overall["counts"]["requires_improvement"], 5) == "hidden"
    assert present.count_and_percent(None, 30, 5) == "hidden"
    labels = [b.value_label for b in charts.grade_chart("Overall", overall, LEVELS, 5).bars]
    assert labels == ["hidden", "12 (40%)", "hidden", "9 (30%)"]

    # the cycle report's drafted narrative
    cycle_text = narrative.template_text(template, 5)
    assert (
        "Of the 30 with an overall grade, a hidden number were judged outstanding, 12 were judged "
        "good, a hidden number were judged to require improvement to be good and 9 were judged "
        "inadequate." in cycle_text
    )

    # the board report's drafted sentence and key findings
    figures = _board_figures(hidden)
    sections = {s["key"]: s["text"] for s in board_text.draft_sections(figures)}
    assert "a hidden number of conversations" not in sections["frontline_staff"]
    assert (
        "Single assessment: 30 audits were completed. Of the 30 with an overall grade, a hidden "
        "number were judged outstanding, 12 were judged good, a hidden number were judged to "
        "require improvement to be good and 9 were judged inadequate." in sections["audit_evidence"]
    )
    key_findings = board_text.draft_key_findings(figures)

    everything = " ".join(
        [cycle_text, *sections.values(), *(x for v in key_findings.values() for x in v)]
    )
    assert "fewer than" not in everything
