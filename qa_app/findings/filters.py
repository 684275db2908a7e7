"""What a set of findings covers: a period, a cycle, a template, a team, a locality, an auditor.

Filters travel in URLs (`from`, `to`, `cycle`, `template`, `team`, `locality`, `auditor`) so a
dashboard view can be bookmarked and shared; `from_args` reads them back with a message per
bad value instead of an error page."""

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from typing import Any

from qa_app.rules.uk_time import EARLIEST, LATEST

ARG_NAMES = {
    "date_from": "from",
    "date_to": "to",
    "cycle_id": "cycle",
    "template": "template",
    "team_id": "team",
    "locality_id": "locality",
    "auditor_id": "auditor",
}
MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class Filters:
    date_from: date | None = None  # audits completed on or after this day
    date_to: date | None = None  # ... and on or before this day
    cycle_id: int | None = None
    template: str | None = None  # a template key
    team_id: int | None = None  # the case's team
    locality_id: int | None = None  # the locality of the case's team
    auditor_id: int | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> tuple["Filters", dict[str, str]]:
        """Filters from URL arguments, and a message per argument that could not be read
        (that argument is then left out, so the page still shows something sensible)."""
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for attr, arg in ARG_NAMES.items():
            raw = (args.get(arg) or "").strip()
            if not raw:
                continue
            if attr.startswith("date_"):
                try:
                    day = date.fromisoformat(raw)
                except ValueError:
                    errors[arg] = "Enter a date as year-month-day, for example 2026-04-01"
                    continue
                if not EARLIEST <= day <= LATEST:
                    errors[arg] = "Enter a date between 1900 and 2999"
                else:
                    values[attr] = day
            elif attr == "template":
                if len(raw) > 60 or not raw.replace("_", "").isalnum():
                    errors[arg] = "Choose a template from the list"
                else:
                    values[attr] = raw
            elif raw.isdigit() and 0 < int(raw) <= MAX_ID:
                values[attr] = int(raw)
            else:
                errors[arg] = "Choose from the list"
        f = cls(**values)
        if f.date_from and f.date_to and f.date_from > f.date_to:
            errors["to"] = "The end of the period must be on or after its start"
            f = replace(f, date_to=None)
        return f, errors

    def to_args(self) -> dict[str, str]:
        out = {}
        for attr, value in asdict(self).items():
            if value is not None:
                out[ARG_NAMES[attr]] = value.isoformat() if isinstance(value, date) else str(value)
        return out

    def previous(self) -> "Filters | None":
        """The period of the same length just before this one, other filters unchanged. A run
        of whole months is compared with as many whole months before it (a period of days
        would not fall on month ends, which readers below the internal tier never see)."""
        if not (self.date_from and self.date_to):
            return None
        after_end = self.date_to + timedelta(days=1)
        if self.date_from.day == 1 and after_end.day == 1:
            months = (after_end.year - self.date_from.year) * 12 + (
                after_end.month - self.date_from.month
            )
            index = self.date_from.year * 12 + self.date_from.month - 1 - months
            start = date(index // 12, index % 12 + 1, 1)
            return replace(self, date_from=start, date_to=self.date_from - timedelta(days=1))
        length = (self.date_to - self.date_from).days + 1
        return replace(
            self,
            date_from=self.date_from - timedelta(days=length),
            date_to=self.date_from - timedelta(days=1),
        )

    def with_period(self, date_from: date | None, date_to: date | None) -> "Filters":
        return replace(self, date_from=date_from, date_to=date_to)


def last_twelve_months(today: date) -> tuple[date, date]:
    """The twelve whole calendar months up to and including this one."""
    start_month = today.month + 1
    start = date(today.year - 1, start_month, 1) if start_month <= 12 else date(today.year, 1, 1)
    return start, today
