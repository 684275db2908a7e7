"""Small-number suppression for board-tier outputs."""

from qa_app.findings.suppression import suppress
from qa_app.rules.small_numbers import hides_figure


def test_counts_below_the_threshold_are_removed_not_just_relabelled():
    figures = {
        "totals": {"completed": 12, "in_progress": 3, "not_started": 0},
        "templates": [{"key": "x", "overall": {"counts": {"good": 9, "inadequate": 3}, "n": 12}}],
    }
    out = suppress(figures, 5)
    # where counts are hidden only completed audits are counted (the statuses add up to them)
    assert out["totals"] == {"completed": 12, "in_progress": None, "not_started": None}
    assert out["suppression"] == {"threshold": 5}
    assert "3" not in str(out["totals"]) and figures["totals"]["in_progress"] == 3  # a copy


def test_a_single_hidden_cell_in_a_distribution_hides_the_next_smallest():
    out = suppress({"counts": {"a": 10, "b": 2, "c": 7, "d": 0}, "n": 19}, 5)
    assert out["counts"] == {"a": 10, "b": None, "c": None, "d": 0}  # b cannot be worked out


def test_ids_and_summaries_over_hidden_numbers():
    out = suppress(
        {
            "by_team": [{"team_id": 3, "completed": 2}],
            "q": {"n": 3, "median": 12.0, "min": 4.0, "max": 20.0},
            "kappa": [{"n": 4, "kappa": 0.5}],
            "moderation": {"moderated": 7, "by_auditor": [{"auditor": "A", "moderated": 7}]},
        },
        5,
    )
    assert out["by_team"] == [{"team_id": 3, "completed": None}]
    assert out["q"] == {"n": None, "median": None, "min": None, "max": None}
    assert out["kappa"] == [{"n": None, "kappa": None}]
    assert "by_auditor" not in out["moderation"]  # no figures about named staff


def test_threshold_of_one_hides_nothing_but_still_drops_staff_figures():
    out = suppress({"totals": {"completed": 1}, "moderation": {"by_auditor": []}}, 1)
    assert out["totals"] == {"completed": 1}
    assert "by_auditor" not in out["moderation"]


def test_the_good_or_better_subtotal_is_hidden_when_any_grade_is():
    # outstanding 1, good 5: showing good or better (6) would give outstanding away
    dist = {
        "counts": {"outstanding": 1, "good": 5, "ri": 3, "inadequate": 0},
        "n": 9,
        "good_or_better": 6,
    }
    out = suppress({"overall": dist}, 5)["overall"]
    assert out["counts"] == {"outstanding": None, "good": 5, "ri": None, "inadequate": 0}
    assert out["good_or_better"] is None and out["n"] == 9
    shown = suppress({"overall": dict(dist, counts={"good": 6, "ri": 5})}, 5)["overall"]
    assert shown["good_or_better"] == 6


def test_hidden_grades_that_add_up_to_a_small_number_take_another_with_them():
    # outstanding 1 and good 1: hiding only those two leaves 5 - 3 - 0 = 2 good or better
    dist = {
        "counts": {"outstanding": 1, "good": 1, "ri": 0, "inadequate": 3},
        "n": 5,
        "good_or_better": 2,
    }
    out = suppress({"overall": dist}, 3)["overall"]
    assert out["counts"] == {"outstanding": None, "good": None, "ri": 0, "inadequate": None}
    assert out["good_or_better"] is None and out["n"] == 5
    # hidden grades that do not add up to it are enough: good or better is not worked out
    dist = {
        "counts": {"outstanding": 1, "good": 6, "ri": 1, "inadequate": 6},
        "n": 14,
        "good_or_better": 7,
    }
    out = suppress({"overall": dist}, 3)["overall"]
    assert out["counts"] == {"outstanding": None, "good": 6, "ri": None, "inadequate": 6}


def test_a_single_hidden_row_of_a_total_hides_the_next_smallest_row():
    # 40 audits in all (shown as a total elsewhere): hiding only team C's 3 would leave
    # 40 - 25 - 12 = 3 for anyone to work out
    figures = {
        "totals": {"completed": 40},
        "by_team": [
            {"team_id": 1, "team": "A", "completed": 25},
            {"team_id": 2, "team": "B", "completed": 12},
            {"team_id": 3, "team": "C", "completed": 3},
        ],
        "templates": [{"key": "x", "completed": 40}],
    }
    out = suppress(figures, 5)
    assert [r["completed"] for r in out["by_team"]] == [25, None, None]
    assert out["templates"][0]["completed"] == 40 and out["totals"]["completed"] == 40


def test_hidden_templates_that_make_up_their_scales_small_count_take_another_with_them():
    # templates x and y (1 each) are the only ones on their scale: with 12 in all and z's 10
    # shown, the scale's 2 would be 12 - 10
    figures = {
        "totals": {"completed": 12},
        "templates": [
            {"key": "x", "completed": 1},
            {"key": "y", "completed": 1},
            {"key": "z", "completed": 10},
        ],
        "by_scale": [{"scale": "s1", "completed": 2}, {"scale": "s2", "completed": 10}],
    }
    out = suppress(figures, 3)
    assert [t["completed"] for t in out["templates"]] == [None, None, None]
    assert out["totals"]["completed"] == 12
    # on one scale with a third template, the two small ones are not a published figure
    figures["by_scale"] = [{"scale": "s1", "completed": 12}]
    out = suppress(figures, 3)
    assert [t["completed"] for t in out["templates"]] == [None, None, 10]


def test_a_months_counts_per_scale_are_hidden_like_the_periods():
    # one month: its 12 audits are 2 on scale s1 and 10 on s2, as in the period; showing the
    # month's 10 beside its 12 would give the hidden 2 away
    figures = {
        "totals": {"completed": 12},
        "templates": [{"key": "x", "completed": 2}, {"key": "z", "completed": 10}],
        "by_scale": [{"scale": "s1", "completed": 2}, {"scale": "s2", "completed": 10}],
        "by_month": [
            {
                "month": "2026-03",
                "completed": 12,
                "by_scale": [{"scale": "s1", "completed": 2}, {"scale": "s2", "completed": 10}],
            }
        ],
    }
    out = suppress(figures, 3)
    assert [e["completed"] for e in out["by_scale"]] == [None, None]
    assert [e["completed"] for e in out["by_month"][0]["by_scale"]] == [None, None]
    assert out["by_month"][0]["completed"] == 12


def test_a_themes_assessed_and_not_assessed_audits_are_hidden_together():
    # the two add up to the template's completed audits, which are shown
    row = {"key": "voice", "strength": 2, "development": 1, "not_seen": 0, "n": 3}
    out = suppress({"themes": [row | {"not_assessed": 97}]}, 5)
    assert out["themes"][0]["n"] is None and out["themes"][0]["not_assessed"] is None


def test_a_fraction_of_a_child_is_below_any_threshold():
    assert hides_figure(0.33, 5) and hides_figure(4.99, 5) and hides_figure(1, 2)
    assert not hides_figure(0, 5) and not hides_figure(5, 5) and not hides_figure(None, 5)
