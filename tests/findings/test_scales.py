"""Good or better is each scale's own and is never added across scales, in the drafted
summary and the overview's key figure, whether the counts are exact or some are hidden."""

from qa_app.charts import findings as charts
from qa_app.documents import narrative

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


def test_a_scale_only_unfinished_audits_use_is_not_in_play(known):
    from qa_app.findings import Filters
    from tests.audits.factory import make_audit
    from tests.findings.test_compute import figures as known_figures

    make_audit("icpc_reports", reference="59999999")  # good / adequate / inadequate, not started
    fig = known_figures(Filters())  # every date: the unstarted audit is in scope
    assert {t["scale"]["key"] for t in fig["templates"]} == {"ofsted4", "three_point"}
    assert [s["scale"] for s in fig["by_scale"]] == ["ofsted4"]
    (ofsted,) = fig["by_scale"]
    assert (ofsted["completed"], ofsted["n"], ofsted["good_or_better"]) == (6, 6, 4)
    assert ofsted["counts"] == {
        "outstanding": 1,
        "good": 3,
        "requires_improvement": 1,
        "inadequate": 1,
    }
    # one scale in play: the rows state good or better themselves too
    assert all("good_or_better" in row for row in fig["by_month"] + fig["by_team"])


def test_rows_with_nothing_graded_still_fill_their_columns():
    row = {"month": "2026-01", "completed": 0, "by_scale": []}
    assert charts.scale_headings({"by_scale": []}) == ["Good or better"]
    assert charts.scale_cells(row) == [
        {"scale": "", "completed": 0, "good_or_better": 0, "worst": 0}
    ]
    frozen = {"month": "2026-01", "completed": 4, "good_or_better": 3}  # before by_scale
    assert charts.scale_cells(frozen)[0]["good_or_better"] == 3
