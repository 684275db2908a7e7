"""The council's clock: times are stored in UTC and shown, and reasoned about, in UK time
(Europe/London, summer time included); working days skip weekends and bank holidays.

Pure: no Flask. One format everywhere: dates as "7 December 2026", times as "14:05", both as
"7 December 2026 at 14:05". Bank holidays are England and Wales's from the `holidays` package,
unless the council keeps its own list (a YAML file, see `BankHolidays.from_file`), which then
replaces the package's for the years it covers."""

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
import yaml

LONDON = ZoneInfo("Europe/London")
MAX_DAYS = 3_660  # the furthest a working-day count may look ahead (ten years of days)
# The dates the service accepts: a typed date outside them is refused (a due date, a period),
# so that a period and the one before it are always dates.
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)


def to_uk(moment: datetime | str) -> datetime:
    """`moment` (aware, naive UTC as some drivers return it, or ISO 8601 text as stored in a
    report's figures) as UK local time."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LONDON)


def uk_date(value: date | datetime | str | None) -> str:
    """ "7 December 2026" (a datetime is first turned into UK time); "" for None."""
    if value is None:
        return ""
    if isinstance(value, datetime | str):
        value = to_uk(value).date()
    return f"{value.day} {value:%B %Y}"


def uk_day(value: date | datetime | str | None) -> str:
    """A day with its weekday, for schedules: "Monday 7 December 2026"; "" for None."""
    if value is None:
        return ""
    if isinstance(value, datetime | str):
        value = to_uk(value).date()
    return f"{value:%A} {uk_date(value)}"


def uk_clock(moment: datetime | str | None, seconds: bool = False) -> str:
    """The time of day in UK time: "14:05", or "14:05:33" with `seconds` (as the security log
    shows it); "" for None."""
    if moment is None:
        return ""
    return f"{to_uk(moment):%H:%M:%S}" if seconds else f"{to_uk(moment):%H:%M}"


def uk_datetime(moment: datetime | str | None, seconds: bool = False) -> str:
    """The moment in UK time: "7 December 2026 at 14:05"; "" for None."""
    if moment is None:
        return ""
    return f"{uk_date(moment)} at {uk_clock(moment, seconds)}"


def uk_today(now: datetime | None = None) -> date:
    """Today's date in the UK (after 23:00 UTC in summer it is already tomorrow)."""
    return to_uk(now or datetime.now(UTC)).date()


class BankHolidays:
    """The days that are not working days besides weekends."""

    def __init__(self, own: Iterable[date] | None = None):
        self._own = sorted(set(own)) if own is not None else None
        self._own_years = {d.year for d in self._own} if self._own is not None else set()
        self._package = holidays.country_holidays("GB", subdiv="ENG")

    @classmethod
    def from_file(cls, path: str | Path | None) -> "BankHolidays":
        """The council's own list when `path` names a YAML file of the form
        `bank_holidays: [2026-12-25, 2026-12-28, ...]` (dates as YYYY-MM-DD); the
        package's England and Wales list otherwise. A year the file lists is taken whole from
        the file; other years come from the package."""
        if not path or not Path(path).is_file():
            return cls()
        text = Path(path).read_text(encoding="utf-8")
        try:  # BaseLoader makes only strings, lists and dicts: a wrong date is named below
            loaded = yaml.load(text, Loader=yaml.BaseLoader)  # noqa: S506  # nosec B506
        except yaml.YAMLError as exc:
            raise ValueError(f"{path}: not readable YAML ({exc})") from None
        days = loaded.get("bank_holidays") if isinstance(loaded, dict) else None
        if not isinstance(days, list):
            raise ValueError(f"{path}: expected a list under 'bank_holidays'")
        parsed = []
        for n, day in enumerate(days, 1):
            try:
                parsed.append(date.fromisoformat(str(day).strip()))
            except ValueError:
                raise ValueError(
                    f"{path}: item {n} of 'bank_holidays' is not a date ({day!r})"
                ) from None
        return cls(parsed)

    def __contains__(self, day: date) -> bool:
        if self._own is not None and day.year in self._own_years:
            return day in self._own
        return day in self._package

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self


def add_working_days(
    start: datetime, days: int, bank_holidays: BankHolidays | None = None
) -> datetime:
    """The moment `days` working days after `start`, at the same UK time of day, as an aware
    UTC datetime. Counting is in UK dates: a concern raised at 16:30 on a Friday in July with
    one working day is due at 16:30 (UK) on Monday, or on Tuesday when Monday is a bank
    holiday. Summer time changing in between keeps the UK time of day, not the UTC one."""
    calendar = bank_holidays or BankHolidays()
    local = to_uk(start)
    day = local.date()
    added = 0
    for _ in range(MAX_DAYS):
        if added >= days:
            break
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            added += 1
    due = datetime.combine(day, time(local.hour, local.minute, local.second), tzinfo=LONDON)
    return due.astimezone(UTC)


def working_days_between(first: date, last: date, bank_holidays: BankHolidays | None = None) -> int:
    """How many working days fall after `first` up to and including `last` (0 if none)."""
    calendar = bank_holidays or BankHolidays()
    count, day = 0, first
    for _ in range(MAX_DAYS):
        if day >= last:
            break
        day += timedelta(days=1)
        count += calendar.is_working_day(day)
    return count
