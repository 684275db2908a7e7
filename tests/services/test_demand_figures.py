"""Demand beside the audits of the same period (qa_app.services.demand_figures): the demand
indicators' figures over the period's months against the same months a year before, with the
tier's threshold applied, as the cabinet paper (seed 000) states them."""

from datetime import date

from qa_app.extensions import db
from qa_app.services.demand_figures import demand_context
from tests.indicators.support import define, store

NO_AUDITS = {"totals": {"completed": 0}, "templates": []}
REFERRALS = {"code": "REF01", "name": "Referrals", "unit": "count", "better": "neither"}
IN_NEED = {"code": "CIN01", "name": "Children in need", "unit": "count", "better": "neither"}
TIMELY = {"code": "ASM01", "name": "Assessments in time", "unit": "percentage", "better": "higher"}


def _demand(indicator, adds_up):
    indicator.demand, indicator.adds_up = True, adds_up
    db.session.commit()
    return indicator


def _months(year, values):
    return {date(year, m, 1): v for m, v in enumerate(values, start=1)}


def test_referrals_between_january_and_july_beside_the_same_months_of_the_year_before():
    referrals, in_need, timely = define(REFERRALS, IN_NEED, TIMELY)
    _demand(referrals, adds_up=True)
    _demand(in_need, adds_up=False)  # a position: compared as its average
    # 1,000 referrals from January to July 2018, 2,190 in the same months of 2019: up 119%
    store(referrals, _months(2018, [140, 150, 130, 150, 140, 150, 140]))
    store(referrals, _months(2019, [300, 310, 280, 320, 320, 330, 330]))
    store(
        in_need,
        _months(2018, [1000] * 7) | _months(2019, [1100, 1100, 1200, 1200, 1300, 1300, 1200]),
    )
    store(timely, _months(2019, [80] * 7))  # not a measure of demand: left out

    context = demand_context(date(2019, 1, 1), date(2019, 7, 31), NO_AUDITS, limit=0)

    rows = {r["code"]: r for r in context["rows"]}
    assert list(rows) == ["REF01", "CIN01"]
    assert (rows["REF01"]["value"], rows["REF01"]["previous"], rows["REF01"]["change"]) == (
        2190,
        1000,
        119,
    )
    assert rows["REF01"]["sentence"] == (
        "Referrals rose by 119% between January and July 2019, compared with the same months "
        "of 2018 (2,190 against 1,000)."
    )
    assert rows["CIN01"]["value"] == 1200 and rows["CIN01"]["change"] == 20
    assert "(1,200 on average against 1,000)" in rows["CIN01"]["sentence"]
    assert context["audits"]["sentence"] == (
        "0 audits were completed between January and July 2019."
    )


def test_a_month_missing_gives_no_figure_rather_than_a_short_sum():
    (referrals,) = define(REFERRALS)
    _demand(referrals, adds_up=True)
    store(referrals, _months(2018, [100] * 7) | _months(2019, [200, 200, 200, 200, 200, 200]))

    (row,) = demand_context(date(2019, 1, 1), date(2019, 7, 31), NO_AUDITS, limit=0)["rows"]

    assert row["value"] is None and row["change"] is None
    assert "not every month" in row["sentence"]


def test_below_the_tiers_threshold_neither_figure_nor_the_change_is_shown():
    (in_care,) = define(dict(IN_NEED, code="CLA01", name="Children in care"))
    _demand(in_care, adds_up=False)
    store(in_care, {date(2018, 7, 1): 12, date(2019, 7, 1): 3})

    (row,) = demand_context(date(2019, 7, 1), date(2019, 7, 31), NO_AUDITS, limit=5)["rows"]

    assert (row["value"], row["previous"], row["change"], row["hidden"]) == (None, None, None, True)
    assert "3" not in row["sentence"] and "12" not in row["sentence"]


def test_an_average_of_whole_children_is_written_whole():
    (in_need,) = define(IN_NEED)
    _demand(in_need, adds_up=False)
    store(in_need, _months(2018, [900, 900, 901]) | _months(2019, [1000, 1001, 1001]))

    (row,) = demand_context(date(2019, 1, 1), date(2019, 3, 31), NO_AUDITS, limit=0)["rows"]

    assert (row["value"], row["previous"], row["change"]) == (1001, 900, 11)
    assert "(1,001 on average against 900)" in row["sentence"]


def test_an_average_of_small_counts_is_hidden_like_the_counts():
    (in_care,) = define(dict(IN_NEED, code="CLA02", name="Children in care under 1"))
    _demand(in_care, adds_up=False)
    # 3, 4 and 3 children: each month's count is hidden at 5, and so is their average of 3.33
    # (written 3 since whole), and a fraction such as 0.33 (one child in three months)
    store(in_care, _months(2018, [9, 9, 9]) | _months(2019, [3, 4, 3]))

    (row,) = demand_context(date(2019, 1, 1), date(2019, 3, 31), NO_AUDITS, limit=5)["rows"]

    assert row["hidden"] and row["value"] is None and row["change"] is None
