"""The impact of improvement actions: for each theme an action targets, how often completed
audits marked it a strength in the months before the action started and since.

"Voice of the child evidenced as a strength: 42% of audits in the 6 months before (n=19), 67%
since (n=24): up 25 points." Where either side has fewer than MINIMUM audits marking the theme,
the answer is plainly that there are too few to tell, with the counts.

One grouped query serves any number of actions (`queries.theme_days`: marks by day, theme and
mark over the span all the windows cover); each window is then summed from those few rows."""

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import select

from qa_app.extensions import db
from qa_app.findings import queries
from qa_app.findings.filters import Filters
from qa_app.findings.present import counted, percent_value
from qa_app.models import ImprovementAction, Theme

MONTHS = 6  # the window before an action started
MINIMUM = 10  # audits marking the theme needed on each side to say anything
MARKS = ("strength", "development", "not_seen")


@dataclass(frozen=True)
class Share:
    """One theme over one window of completed audits."""

    n: int  # audits that marked the theme at all
    strength: int
    development: int
    not_seen: int

    @property
    def percent(self) -> int | None:
        """The strength share, 0-100 rounded half up; None when no audit marked the theme."""
        return percent_value(self.strength, self.n)


@dataclass(frozen=True)
class ThemeImpact:
    theme: str
    name: str
    before: Share
    since: Share
    before_from: date
    before_to: date
    since_from: date
    since_to: date
    enough: bool
    change: int | None  # percentage points, since minus before; None when not enough
    sentence: str


@dataclass(frozen=True)
class ActionImpact:
    action_id: int
    themes: list[ThemeImpact]
    message: str  # "" when the themes are measured, else why they are not


NOT_STARTED = "Not started yet: impact is measured from the day work starts."
NO_THEMES = "No themes targeted: choose the themes this action must move."


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (the month's last day where it is short)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has a 28th


def windows(started_on: date, today: date, months: int = MONTHS) -> tuple[date, date, date, date]:
    """(before_from, before_to, since_from, since_to): the `months` months before the day work
    started, and from that day to today (both ends included)."""
    return months_before(started_on, months), started_on - timedelta(days=1), started_on, today


def impacts(
    actions: Iterable[ImprovementAction],
    *,
    today: date,
    months: int = MONTHS,
    minimum: int = MINIMUM,
) -> dict[int, ActionImpact]:
    """The impact of each action on each theme it targets, keyed by action id."""
    actions = list(actions)
    measured = [(a, a.started_on) for a in actions if a.started_on and a.themes]
    result: dict[int, ActionImpact] = {}
    for action in actions:
        if not action.themes:
            result[action.id] = ActionImpact(action.id, [], NO_THEMES)
        elif not action.started_on:
            result[action.id] = ActionImpact(action.id, [], NOT_STARTED)
    if not measured:
        return result
    keys = sorted({k for a, _ in measured for k in a.themes})
    names = dict(db.session.execute(select(Theme.key, Theme.name).where(Theme.key.in_(keys))).all())
    span_from = min(windows(started, today, months)[0] for _, started in measured)
    days = queries.theme_days(keys, Filters(date_from=span_from, date_to=max(today, span_from)))
    counts = WindowCounts(days)
    for action, started in measured:
        before_from, before_to, since_from, since_to = windows(started, today, months)
        themes = []
        for key in action.themes:
            name = names.get(key, key)
            before = counts.share(key, before_from, before_to)
            since = counts.share(key, since_from, since_to)
            enough = before.n >= minimum and since.n >= minimum
            was, now = before.percent, since.percent  # not None where enough (n >= 1)
            change = now - was if enough and now is not None and was is not None else None
            themes.append(
                ThemeImpact(
                    theme=key,
                    name=name,
                    before=before,
                    since=since,
                    before_from=before_from,
                    before_to=before_to,
                    since_from=since_from,
                    since_to=since_to,
                    enough=enough,
                    change=change,
                    sentence=sentence(name, before, since, change, months, minimum),
                )
            )
        result[action.id] = ActionImpact(action.id, themes, "")
    return result


class WindowCounts:
    """Marks by day, theme and mark (the `theme_days` frame) as running totals, so the marks
    in any window of days are two binary searches away, however many windows are asked for."""

    def __init__(self, days: pd.DataFrame):
        self.series: dict[tuple[str, str], tuple[list[int], list[int]]] = {}
        if days.empty:
            return
        ordinals = [date.fromisoformat(str(d)[:10]).toordinal() for d in days["day"]]
        frame = days.assign(ordinal=ordinals).sort_values("ordinal")
        for (key, mark), rows in frame.groupby(["theme_key", "mark"]):
            assert isinstance(key, str) and isinstance(mark, str)  # text columns
            totals = [0]
            for n in rows["n"]:
                totals.append(totals[-1] + int(n))
            self.series[(key, mark)] = (rows["ordinal"].tolist(), totals)

    def _count(self, key: str, mark: str, start: date, end: date) -> int:
        found = self.series.get((key, mark))
        if found is None or end < start:
            return 0
        ordinals, totals = found
        return (
            totals[bisect_right(ordinals, end.toordinal())]
            - totals[bisect_left(ordinals, start.toordinal())]
        )

    def share(self, key: str, start: date, end: date) -> Share:
        values = {m: self._count(key, m, start, end) for m in MARKS}
        return Share(sum(values.values()), **values)


def sentence(
    name: str, before: Share, since: Share, change: int | None, months: int, minimum: int
) -> str:
    """The impact in plain words."""
    window = f"the {months} months before" if months != 1 else "the month before"
    if change is None:
        return (
            f"{name}: too few audits to tell. {before.n} in {window} and {since.n} since; "
            f"at least {minimum} are needed on each side."
        )
    if change > 0:
        moved = f"up {counted(change, 'point')}"
    elif change < 0:
        moved = f"down {counted(-change, 'point')}"
    else:
        moved = "no change"
    return (
        f"{name} evidenced as a strength: {before.percent}% of audits in {window} "
        f"(n={before.n}), {since.percent}% since (n={since.n}): {moved}."
    )
