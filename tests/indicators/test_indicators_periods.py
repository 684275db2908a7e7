"""The year to date and the rolling twelve months beside the year before, in numbers and in the
words the committee papers use; for months that add up, the year to date is the sum of its
months, whatever the values."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from qa_app.data import indicator_periods as periods
from qa_app.data.indicator_scorecard import add_months

SEPTEMBER = date(2026, 9, 1)


def _months(first: date, values: list[float]) -> dict[date, float]:
    return {add_months(first, k): v for k, v in enumerate(values)}


def test_the_year_to_date_of_referrals_in_words():
    # April to September 2025 then 2026: 2,152 then 2,410 referrals (+11.99%, so 12%)
    values = _months(date(2025, 4, 1), [350, 360, 358, 352, 372, 360])
    values |= _months(date(2026, 4, 1), [400, 401, 402, 403, 404, 400])
    ytd = periods.year_to_date(values, SEPTEMBER, adds_up=True)
    assert (ytd.value, ytd.previous, ytd.change) == (2410, 2152, 12)
    assert periods.describe(ytd, "count", adds_up=True) == (
        "April to September 2026: 2,410, 12% more than the same months of 2025 (2,152)"
    )


def test_a_position_is_averaged_and_a_fall_is_written_as_lower():
    values = _months(date(2025, 4, 1), [80.0] * 6) | _months(date(2026, 4, 1), [76.0] * 6)
    ytd = periods.year_to_date(values, SEPTEMBER, adds_up=False)
    assert periods.describe(ytd, "percentage", adds_up=False) == (
        "April to September 2026: 76% on average, 5% lower than the same months of 2025 (80%)"
    )


def test_the_rolling_year_and_its_gaps():
    values = _months(date(2024, 10, 1), [100.0] * 24)
    rolling = periods.rolling_12(values, SEPTEMBER, adds_up=True)
    assert (rolling.first, rolling.value, rolling.previous, rolling.change) == (
        date(2025, 10, 1),
        1200,
        1200,
        0,
    )
    assert periods.describe(rolling, "count", adds_up=True) == (
        "October 2025 to September 2026: 1,200, no change on the twelve months before (1,200)"
    )
    del values[date(2025, 1, 1)]  # a month of the year before is missing: no comparison
    rolling = periods.rolling_12(values, SEPTEMBER, adds_up=True)
    assert periods.describe(rolling, "count", adds_up=True) == (
        "October 2025 to September 2026: 1,200 (no figure for the twelve months before)"
    )
    del values[SEPTEMBER]  # a month of the period itself is missing: nothing to say
    assert periods.describe(periods.rolling_12(values, SEPTEMBER, True), "count", True) == ""


def test_april_alone_is_named_as_one_month():
    values = {date(2026, 4, 1): 400.0, date(2025, 4, 1): 350.0}
    ytd = periods.year_to_date(values, date(2026, 4, 1), adds_up=True)
    assert periods.describe(ytd, "count", adds_up=True) == (
        "April 2026: 400, 14% more than the same months of 2025 (350)"
    )


# whole numbers and hundredths (348.63 FTE) as the imports store them
month_values = st.lists(
    st.integers(min_value=0, max_value=10**7).map(lambda n: n / 100), min_size=24, max_size=24
)


@given(values=month_values, month=st.integers(min_value=0, max_value=11))
def test_the_year_to_date_of_months_that_add_up_is_their_sum(values, month):
    by_month = _months(date(2025, 4, 1), values)
    chosen = add_months(date(2026, 4, 1), month)
    ytd = periods.year_to_date(by_month, chosen, adds_up=True)
    this_year = values[12 : 12 + month + 1]
    assert ytd.value == sum(this_year)
    assert ytd.previous == sum(values[: month + 1])
    assert ytd.first == date(2026, 4, 1) and ytd.months == month + 1
    average = periods.year_to_date(by_month, chosen, adds_up=False)
    assert average.value is not None
    assert min(this_year) - 1e-6 <= average.value <= max(this_year) + 1e-6


def test_an_average_of_whole_children_is_written_whole():
    values = _months(date(2025, 4, 1), [640, 641] * 3) | _months(date(2026, 4, 1), [686, 687] * 3)
    ytd = periods.year_to_date(values, SEPTEMBER, adds_up=False)
    assert periods.describe(ytd, "count", adds_up=False, places=0) == (
        "April to September 2026: 687 on average, 7% more than the same months of 2025 (641)"
    )
    assert periods.describe(ytd, "count", adds_up=False).startswith(
        "April to September 2026: 686.5 on average"
    )
