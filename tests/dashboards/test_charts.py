"""Figures to charts (qa_app.charts.findings): labels, hidden counts, shares, movers."""

from qa_app.charts import BarChart, LineChart, StackedBarChart, grade_colours
from qa_app.charts import findings as charts
from qa_app.charts.svg import render
from qa_app.findings.suppression import hide_count

LEVELS = [
    {"key": "outstanding", "label": "Outstanding"},
    {"key": "good", "label": "Good"},
    {"key": "requires_improvement", "label": "Requires improvement to be good"},
    {"key": "inadequate", "label": "Inadequate"},
]


def test_grade_chart_labels_counts_and_shares():
    dist = {"counts": {"outstanding": 1, "good": 6, "requires_improvement": 3, "inadequate": 0},
            "n": 10, "good_or_better": 7}  # fmt: skip
    chart = charts.grade_chart("Overall", dist, LEVELS, 5)
    assert isinstance(chart, BarChart)
    assert [(b.label, b.value, b.value_label) for b in chart.bars] == [
        ("Outstanding", 1, "1 (10%)"),
        ("Good", 6, "6 (60%)"),
        ("Requires improvement to be good", 3, "3 (30%)"),
        ("Inadequate", 0, "0 (0%)"),
    ]
    assert [b.colour for b in chart.bars] == grade_colours(4)


def test_grade_chart_with_hidden_counts_draws_no_bar():
    dist = {"counts": {"outstanding": None, "good": 6, "requires_improvement": None,
                       "inadequate": 0}, "n": 10, "good_or_better": None}  # fmt: skip
    chart = charts.grade_chart("Overall", dist, LEVELS, 5)
    assert [(b.value, b.value_label) for b in chart.bars] == [
        (None, "hidden"),
        (6, "6 (60%)"),
        (None, "hidden"),
        (0, "0 (0%)"),
    ]
    svg = str(render(chart))
    assert "hidden" in svg and "<svg" in svg


def test_hide_below_the_threshold():
    assert [hide_count(n, 5) for n in (0, 1, 4, 5, None)] == [0, None, None, 5, None]
    assert hide_count(1, 1) == 1


def test_good_or_better_by_month_is_a_percentage_line():
    months = [
        {"month": "2026-01", "completed": 4, "good_or_better": 3},
        {"month": "2026-02", "completed": 0, "good_or_better": 0},
        {"month": "2026-03", "completed": 8, "good_or_better": None},
    ]
    chart = charts.good_or_better_by_month(months, "Good or better")
    assert isinstance(chart, LineChart)
    assert chart.x_labels == ["Jan 2026", "Feb 2026", "Mar 2026"]
    assert chart.series[0].values == [75, None, None]
    assert chart.y_max == 100 and chart.unit == "%"


def test_themes_chart_uses_shares_unless_a_count_is_hidden():
    rows = [
        {"key": "voice", "name": "Voice", "strength": 3, "development": 1, "not_seen": 0, "n": 4},
        {"key": "time", "name": "Time", "strength": 5, "development": 5, "not_seen": 0, "n": 10},
    ]
    chart = charts.themes_chart(rows, "Themes")
    assert isinstance(chart, StackedBarChart) and chart.percent
    assert [s.name for s in chart.series] == ["Strength", "Area for development", "Not seen"]
    assert chart.rows[0].values == [3, 1, 0]
    rows[0]["development"] = None
    assert not charts.themes_chart(rows, "Themes").percent


def test_moved_themes_lists_changes_of_ten_points_or_more():
    now = [
        {"key": "a", "name": "A", "strength": 6, "development": 4, "not_seen": 0, "n": 10},
        {"key": "b", "name": "B", "strength": 5, "development": 5, "not_seen": 0, "n": 10},
        {"key": "c", "name": "C", "strength": None, "development": 9, "not_seen": 0, "n": 10},
    ]
    before = [
        {"key": "a", "name": "A", "strength": 3, "development": 7, "not_seen": 0, "n": 10},
        {"key": "b", "name": "B", "strength": 48, "development": 52, "not_seen": 0, "n": 100},
        {"key": "c", "name": "C", "strength": 5, "development": 5, "not_seen": 0, "n": 10},
    ]
    moved = charts.moved_themes(now, before)
    assert [(m["key"], m["mark"], m["now"], m["then"], m["change"]) for m in moved] == [
        ("c", "development", 90, 50, 40),
        ("a", "strength", 60, 30, 30),
        ("a", "development", 40, 70, -30),
    ]


def test_top_themes_in_the_engine_order():
    figures = {
        "themes": [{"key": "a", "name": "A"}, {"key": "b", "name": "B"}],
        "top_strengths": ["b", "a"],
        "top_development": ["a", "gone"],
    }
    assert [r["key"] for r in charts.top_themes(figures, "strength")] == ["b", "a"]
    assert [r["key"] for r in charts.top_themes(figures, "development")] == ["a"]


def test_share_chart_by_team():
    rows = [
        {"team": "A", "completed": 4, "good_or_better": 1},
        {"team": "B", "completed": 10, "good_or_better": None},
    ]
    chart = charts.share_chart(rows, "team", "Good or better by team", 5)
    assert [(b.label, b.value, b.value_label) for b in chart.bars] == [
        ("A", 25, "25%"),
        ("B", None, "hidden"),
    ]


def test_good_or_better_total_over_templates():
    figures = {
        "templates": [
            {"overall": {"n": 5, "good_or_better": 3}},
            {"overall": {"n": 2, "good_or_better": 1}},
        ]
    }
    assert charts.good_or_better_total(figures) == (4, 7)


def test_sections_chart_stacks_grades_per_section():
    template = {
        "scale": {"levels": LEVELS[:2]},
        "sections": [
            {"title": "Timeliness", "counts": {"outstanding": 1, "good": 3}},
            {"title": "Analysis", "counts": {"outstanding": 0, "good": 2}},
        ],
    }
    chart = charts.sections_chart(template, "Grades by section")
    assert [s.name for s in chart.series] == ["Outstanding", "Good"]
    assert [(r.label, r.values) for r in chart.rows] == [
        ("Timeliness", [1, 3]),
        ("Analysis", [0, 2]),
    ]
    assert chart.percent
    template["sections"][0]["counts"]["outstanding"] = None
    assert not charts.sections_chart(template, "Grades by section").percent
