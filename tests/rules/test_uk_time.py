"""The council's clock (qa_app.rules.uk_time): UK time shown from UTC, and working days that skip
weekends and England and Wales's bank holidays, summer time included."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_app.rules.uk_time import (
    BankHolidays,
    add_working_days,
    to_uk,
    uk_clock,
    uk_date,
    uk_datetime,
    uk_day,
    uk_today,
    working_days_between,
)


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_one_format_everywhere_in_uk_time():
    summer = utc(2026, 7, 17, 15, 30)  # 16:30 BST
    assert uk_datetime(summer) == "17 July 2026 at 16:30"
    assert uk_clock(summer) == "16:30"
    assert uk_date(summer) == "17 July 2026"
    assert uk_datetime(utc(2026, 12, 7, 14, 5)) == "7 December 2026 at 14:05"  # GMT
    assert uk_date(date(2026, 12, 7)) == "7 December 2026"
    assert uk_day(date(2026, 12, 7)) == "Monday 7 December 2026"
    assert uk_clock(summer, seconds=True) == "16:30:00"
    assert uk_datetime(None) == uk_date(None) == uk_clock(None) == uk_day(None) == ""
    # a naive value is taken as UTC, as some drivers return it
    assert uk_clock(datetime(2026, 7, 17, 15, 30)) == "16:30"
    # just before midnight UTC in summer it is already tomorrow in the UK
    assert uk_today(utc(2026, 7, 17, 23, 30)) == date(2026, 7, 18)
    assert uk_date(utc(2026, 7, 17, 23, 30)) == "18 July 2026"


@pytest.mark.parametrize(
    "raised, days, due",
    [
        # Friday 16:30 in July (BST): due Monday 16:30 BST
        (utc(2026, 7, 17, 15, 30), 1, utc(2026, 7, 20, 15, 30)),
        # the Friday before the August bank holiday: due Tuesday
        (utc(2026, 8, 28, 15, 30), 1, utc(2026, 9, 1, 15, 30)),
        # across the clocks going back: 16:30 UK time both sides, an hour later in UTC
        (utc(2026, 10, 23, 15, 30), 1, utc(2026, 10, 26, 16, 30)),
        # Christmas Eve: Christmas, the weekend and Boxing Day observed are skipped
        (utc(2026, 12, 24, 10, 0), 1, utc(2026, 12, 29, 10, 0)),
        # raised on a Saturday: the next working day
        (utc(2026, 7, 18, 9, 0), 1, utc(2026, 7, 20, 9, 0)),
        (utc(2026, 7, 13, 9, 0), 5, utc(2026, 7, 20, 9, 0)),
        (utc(2026, 7, 13, 9, 0), 0, utc(2026, 7, 13, 9, 0)),
    ],
)
def test_working_days_skip_weekends_and_bank_holidays_in_uk_time(raised, days, due):
    assert add_working_days(raised, days) == due


def test_the_councils_own_list_replaces_the_years_it_covers(tmp_path):
    own = tmp_path / "bank_holidays.yaml"
    own.write_text("bank_holidays:\n  - 2026-12-25\n  - 2026-12-28\n  - 2026-12-29\n")
    calendar = BankHolidays.from_file(own)
    assert date(2026, 12, 29) in calendar  # a council closure day
    assert date(2026, 8, 31) not in calendar  # 2026 is taken whole from the file
    assert date(2027, 8, 30) in calendar  # other years from the package
    assert add_working_days(utc(2026, 12, 24, 10, 0), 1, calendar) == utc(2026, 12, 30, 10, 0)
    assert not BankHolidays.from_file(tmp_path / "missing.yaml").is_working_day(date(2026, 8, 31))
    bad = tmp_path / "bad.yaml"
    bad.write_text("bank_holidays:\n  - 2026-13-01\n")
    with pytest.raises(ValueError, match="item 1"):
        BankHolidays.from_file(bad)


@settings(max_examples=200, deadline=None, database=None)
@given(
    start=st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31)),
    days=st.integers(min_value=1, max_value=30),
)
def test_every_deadline_is_a_working_day_that_many_working_days_on(start, days):
    start = start.replace(tzinfo=UTC)
    calendar = BankHolidays()
    due = add_working_days(start, days, calendar)
    assert calendar.is_working_day(to_uk(due).date())
    assert working_days_between(to_uk(start).date(), to_uk(due).date(), calendar) == days
    assert due > start
    assert due - start < timedelta(days=days * 3 + 10)
