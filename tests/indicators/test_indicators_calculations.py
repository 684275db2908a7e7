"""The scorecard's sums, worked out by hand: relative changes rounded half up, the trend arrow
and whether its direction is good, RAG against target and tolerance, 12-month figures."""

from datetime import date

from qa_app.data import indicator_scorecard as calc
from tests.indicators.support import APRIL, CONTACT_VALUES


def test_change_is_relative_and_rounded_half_up():
    assert calc.relative_change(1323, 1258) == -5  # -4.91%
    assert calc.relative_change(1430, 1258) == -12  # -12.03%
    assert calc.relative_change(200, 201) == 1  # +0.5% rounds up
    assert calc.relative_change(200, 199) == -1  # -0.5% rounds away from zero
    assert calc.relative_change(523, 309) == -41
    assert calc.format_change(-5) == "−5%"
    assert calc.format_change(14) == "+14%"
    assert calc.format_change(0) == "0%"


def test_a_change_from_zero_or_from_nothing_is_a_dash():
    assert calc.relative_change(0, 12) is None
    assert calc.relative_change(None, 12) is None
    assert calc.relative_change(12, None) is None
    assert calc.format_change(None) == "–"


def test_a_lower_is_better_indicator_going_down_is_good():
    down = calc.trend(25, 21, "lower")
    assert (down.direction, down.judgement, down.arrow, down.text) == (
        "down",
        "good",
        "▼",
        "down, good",
    )
    up = calc.trend(21, 25, "lower")
    assert (up.direction, up.judgement, up.text) == ("up", "bad", "up, bad")


def test_a_higher_is_better_indicator_going_down_is_bad():
    assert calc.trend(90, 80, "higher").text == "down, bad"
    assert calc.trend(80, 90, "higher").text == "up, good"


def test_direction_without_a_better_way_is_neutral_and_no_change_is_flat():
    contacts = calc.trend(1323, 1258, "neither")
    assert (contacts.direction, contacts.judgement, contacts.text) == ("down", "neutral", "down")
    flat = calc.trend(30, 30, "higher")
    assert (flat.direction, flat.judgement, flat.text) == ("flat", "neutral", "no change")
    assert calc.trend(None, 30, "higher") is None


def test_rag_when_higher_is_better():
    # target 85, amber within 5 below it
    assert calc.rag(85, 85, 5, "higher") == "green"
    assert calc.rag(91, 85, 5, "higher") == "green"
    assert calc.rag(82, 85, 5, "higher") == "amber"
    assert calc.rag(80, 85, 5, "higher") == "amber"
    assert calc.rag(79.9, 85, 5, "higher") == "red"


def test_rag_when_lower_is_better():
    # target 20, amber up to 3 above it
    assert calc.rag(18, 20, 3, "lower") == "green"
    assert calc.rag(22, 20, 3, "lower") == "amber"
    assert calc.rag(23, 20, 3, "lower") == "amber"
    assert calc.rag(24, 20, 3, "lower") == "red"
    assert calc.rag(21, 20, None, "lower") == "red"  # no tolerance: no amber band


def test_no_rag_without_a_target_a_value_or_a_good_direction():
    assert calc.rag(50, None, None, "higher") is None
    assert calc.rag(None, 20, 3, "lower") is None
    assert calc.rag(50, 40, 5, "neither") is None


def test_a_row_for_a_known_month():
    contacts = calc.Definition(1, "CON01", "Contacts", "count", "neither")
    row = calc.build_row(contacts, CONTACT_VALUES, APRIL)
    assert [v for _, v in row.six_months] == [1535, 1123, 1219, 1354, 1323, 1258]
    assert [m for m, _ in row.six_months][0] == date(2025, 11, 1)
    assert (row.value, row.previous, row.last_year) == (1258, 1323, 1430)
    assert (row.change_month, row.change_year) == (-5, -12)
    assert row.trend.text == "down"
    assert row.rag is None
    # the last twelve months are May 2025 to April 2026: April 2025 is not one of them
    assert row.months_12 == 6
    assert row.average_12 == (1535 + 1123 + 1219 + 1354 + 1323 + 1258) / 6 == 1302
    assert (row.maximum_12, row.minimum_12) == (1535, 1123)
    assert row.fmt(row.average_12) == "1,302"


def test_a_month_with_gaps():
    rate = calc.Definition(2, "CPP01", "CP plans", "rate_per_10000", "lower", target=40.0)
    values = {date(2026, 2, 1): 46.24, date(2026, 4, 1): 41.0}
    row = calc.build_row(rate, values, APRIL)
    assert row.previous is None and row.change_month is None and row.trend is None
    assert row.rag == "red"
    assert row.fmt(row.value) == "41.0"
    assert calc.format_value(46.25, "rate_per_10000") == "46.3"


def test_values_are_written_in_their_unit():
    assert calc.format_value(1258, "count") == "1,258"
    assert calc.format_value(34, "percentage") == "34%"
    assert calc.format_value(34.5, "percentage") == "34.5%"
    assert calc.format_value(None, "count") == "–"


def test_a_count_keeps_the_decimals_it_has_up_to_two():
    # the recruitment table's full-time equivalents: 348.63 FTE, 2.50 vacancies, 32 posts
    assert calc.format_value(348.63, "count") == "348.63"
    assert calc.format_value(2.5, "count") == "2.5"
    assert calc.format_value(32.0, "count") == "32"
    assert calc.format_value(1302.166, "count") == "1,302.17"
    assert calc.format_value(0.005, "count") == "0.01"  # half up, not to even
    assert calc.format_value(0, "count") == "0"
    assert calc.format_value(18.2, "percentage") == "18.2%"
    assert calc.format_value(69.0, "percentage") == "69%"


def test_the_months_breakdowns_each_have_a_rag_and_a_change_on_the_year():
    visits = calc.Definition(3, "CIN02", "CIN visits", "percentage", "higher", 80.0, 5.0)
    last_april = date(2025, 4, 1)
    parts = {
        "locality": {
            "South": {APRIL: 77.0, last_april: 70.0},
            "North": {APRIL: 59.0},
            "City": {APRIL: 82.0, last_april: 82.0},
            "Old area": {last_april: 50.0},  # no value this month: not shown
        },
        "team": {"Gone": {last_april: 10.0}},  # no category this month: no group
    }
    groups = calc.breakdown_groups(visits, parts, APRIL)
    assert [(g.dimension, g.title) for g in groups] == [("locality", "Locality")]
    assert [(r.category, r.value, r.rag, r.last_year, r.change_year) for r in groups[0].rows] == [
        ("South", 77.0, "amber", 70.0, 10),
        ("North", 59.0, "red", None, None),
        ("City", 82.0, "green", 82.0, 0),
    ]


def test_comparators_come_in_a_fixed_order_with_their_names():
    rows = calc.comparator_rows(
        [
            {"group": "england", "value": 22.4, "year": "2024-25"},
            {"group": "statistical_neighbours", "value": 21.4, "year": "2024-25"},
        ]
    )
    assert [(c["name"], c["value"], c["year"]) for c in rows] == [
        ("Statistical neighbours", 21.4, "2024-25"),
        ("England", 22.4, "2024-25"),
    ]


def test_months():
    assert calc.add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert calc.add_months(date(2026, 11, 1), 14) == date(2028, 1, 1)
    assert calc.month_range(date(2026, 2, 17), 3) == [
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


def test_an_average_is_written_as_precisely_as_the_values_are():
    contacts = calc.Definition(1, "CON01", "Contacts", "count", "neither")
    whole = calc.build_row(contacts, {APRIL: 1258, date(2026, 3, 1): 1323}, APRIL)
    assert whole.fmt_derived(1290.5) == "1,291"
    fte = calc.build_row(contacts, {APRIL: 348.63, date(2026, 3, 1): 344.2}, APRIL)
    assert fte.fmt_derived(346.415) == "346.42"


def test_a_breakdown_is_rated_against_the_target_only_for_a_share_or_a_rate():
    from datetime import date

    month = date(2021, 9, 1)
    parts = {"team": {"Bigteam": {month: 418.0}, "Smallteam": {month: 5.0}}}

    def groups(unit):
        definition = calc.Definition(1, "X", "X", unit, "lower", target=400, tolerance=10)
        return calc.breakdown_groups(definition, parts, month)

    assert {r.rag for g in groups("count") for r in g.rows} == {None}
    assert [r.rag for g in groups("percentage") for r in g.rows] == ["red", "green"]
