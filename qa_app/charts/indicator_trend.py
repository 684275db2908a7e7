"""An indicator's trend as a line chart: its months (oldest first) along the bottom, its values
on a 0-100 % axis for a percentage or from 0 for a count or rate, and the target as a second,
grey line when there is one. Used by the scrutiny pack's PDF; pure."""

from datetime import date

from qa_app.charts import SERIES_COLOURS, LineChart, LineSeries
from qa_app.data.indicator_scorecard import month_label, short_month

TARGET_COLOUR = "#505a5f"
UNIT_LABELS = {"percentage": "%", "rate_per_10000": "per 10,000 children"}


def trend_chart(
    name: str,
    unit: str,
    points: list[tuple[date, float | None]],
    target: float | None = None,
) -> LineChart | None:
    """The chart of `points` [(month, value or None)], None with fewer than two values."""
    if sum(v is not None for _, v in points) < 2:
        return None
    labels = [short_month(m) for m, _ in points]
    series = [LineSeries(name, SERIES_COLOURS[0], [v for _, v in points])]
    if target is not None:
        series.append(LineSeries("Target", TARGET_COLOUR, [target] * len(points)))
    return LineChart(
        f"{name}, {month_label(points[0][0])} to {month_label(points[-1][0])}",
        labels,
        series,
        y_max=100 if unit == "percentage" else None,
        unit=UNIT_LABELS.get(unit, ""),
    )
