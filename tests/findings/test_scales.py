"""Good or better is each scale's own and is never added across scales, in the drafted
summary and the overview's key figure, whether the counts are exact or some are hidden."""

from qa_app.dashboards import charts
from qa_app.reports import narrative

OFSTED = {
    "key": "ofsted4",
    "name": "Ofsted four-point",
    "levels": [
        {"key": "outstanding", "label": "Outstanding"},
        {"key": "good", "label": "Good"},
        {"key": "requires_improvement", "label": "Requires improvement to be good"},
        {"key": "inadequate", "label": "Inadequate"},
    ],
    "good_or_better": ["outstanding", "good"],
}
THREE = {
    "key": "three_point",
    "name": "Good / adequate / inadequate",
    "levels": [
        {"key": "good", "label": "Good"},
        {"key": "adequate", "label": "Adequate"},
        {"key": "inadequate", "label": "Inadequate"},
    ],
    "good_or_better": ["good"],
}


def template(key, scale, n, gob) -> dict:
    return {
        "key": key,
        "name": key,
        "completed": n,
        "scale": scale,
        "overall": {"counts": {}, "n": n, "good_or_better": gob},
    }


def figures(*templates) -> dict:
    return {
        "period": {"from": "2013-11-01", "to": "2013-11-30"},
        "totals": {"completed": sum(t["completed"] or 0 for t in templates), "in_progress": 0},
        "templates": list(templates),
        "previous": None,
    }


def test_the_summary_states_good_or_better_once_per_scale():
    fig = figures(
        template("sa", THREE, 12, 5),
        template("cp", OFSTED, 12, 7),
        template("icpc", THREE, 9, 1),
    )
    text = narrative.summary(fig, 1)
    assert (
        "Of the 21 audits graded on the Good / adequate / inadequate scale, 6 (29%) were "
        "judged good or better (good)." in text
    )
    assert (
        "Of the 12 audits graded on the Ofsted four-point scale, 7 (58%) were judged good or "
        "better (outstanding or good)." in text
    )
    assert "33 audits with an overall grade" not in text and "across 3 audit templates" in text


def test_a_total_over_a_hidden_count_is_hidden_and_worded_right():
    fig = figures(template("sa", THREE, 12, None), template("icpc", THREE, 9, 6))
    text = narrative.summary(fig, 5)
    assert (
        "Of the 21 audits graded on the Good / adequate / inadequate scale, a hidden number "
        "were judged good or better (good)." in text
    )
    fig = figures(template("sa", THREE, None, None))
    assert "Of a hidden number of audits graded on the Good / adequate" in narrative.summary(fig, 5)
    (scale,) = charts.good_or_better_by_scale(figures(template("sa", THREE, 12, None)))
    assert (scale["good_or_better"], scale["graded"]) == (None, 12)


def test_the_overview_key_figure_is_per_scale():
    rows = charts.good_or_better_by_scale(
        figures(
            template("sa", OFSTED, 5, 3),
            template("cin", OFSTED, 1, 0),
            template("icpc", THREE, 2, 1),
        )
    )
    assert [(r["scale"], r["good_or_better"], r["graded"], r["meaning"]) for r in rows] == [
        ("ofsted4", 3, 6, "outstanding or good"),
        ("three_point", 1, 2, "good"),
    ]
