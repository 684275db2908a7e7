"""Charts drawn on the server, for the web pages (inline SVG) and the PDF reports (reportlab).

This module holds the public description of a chart and the palette. Three kinds of chart, each
described by a small frozen dataclass that carries nothing but what is drawn (labels already
formatted, counts already suppressed by the caller):

- `BarChart`: horizontal bars, one colour per bar, a caller-formatted label at each bar's end;
  a bar whose `value` is None (a suppressed count) has no bar, only its label.
- `StackedBarChart`: one horizontal stacked bar per row (a theme, say) with one segment per
  series (strength / area for development / not seen), a legend, counts or row percentages.
- `LineChart`: one or more series over categorical x labels (months, say), with gaps where a
  value is None, on a 0-100 % axis (`y_max=100, unit="%"`) or a 0-max count axis.

Both renderers draw the same *scene*: `layout(chart, width, font_size)` in
`qa_app.charts.layout` measures the text (Helvetica metrics, which Arial - the site's font -
shares; see `qa_app.charts.text`), wraps or truncates long labels, chooses ticks and places every
rect, line, marker and string (the scene's primitives and the builder that places them are in
`qa_app.charts.geometry`); `qa_app.charts.svg` writes the scene as inline SVG and
`qa_app.charts.drawing` as a reportlab `Drawing`. Coordinates in a scene run from the top left,
y downwards, as in SVG.

Nothing here touches Flask or the database.
"""

from __future__ import annotations

from dataclasses import dataclass

# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One bar. `value` None means suppressed: no bar is drawn, only `value_label`."""

    label: str
    value: float | None
    value_label: str
    colour: str


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    unit: str = ""


@dataclass(frozen=True)
class Series:
    name: str
    colour: str


@dataclass(frozen=True)
class StackedRow:
    """One row of a stacked bar chart: one value per series, None for a suppressed count."""

    label: str
    values: list[float | None]


@dataclass(frozen=True)
class StackedBarChart:
    title: str
    series: list[Series]
    rows: list[StackedRow]
    percent: bool = False

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row.values) != len(self.series):
                raise ValueError(
                    f"row {row.label!r} has {len(row.values)} values for {len(self.series)} series"
                )


@dataclass(frozen=True)
class LineSeries:
    name: str
    colour: str
    values: list[float | None]


@dataclass(frozen=True)
class LineChart:
    """`y_max=100, unit="%"` for percentages; `y_max=None` scales to the largest value."""

    title: str
    x_labels: list[str]
    series: list[LineSeries]
    y_max: float | None = None
    unit: str = ""

    def __post_init__(self) -> None:
        for s in self.series:
            if len(s.values) != len(self.x_labels):
                raise ValueError(
                    f"series {s.name!r} has {len(s.values)} values for "
                    f"{len(self.x_labels)} x labels"
                )


Chart = BarChart | StackedBarChart | LineChart

# --------------------------------------------------------------------------------------------
# Palette (GOV.UK Design System colours)
# --------------------------------------------------------------------------------------------

TEXT_COLOUR = "#0b0c0c"
SECONDARY_TEXT_COLOUR = "#505a5f"
GRID_COLOUR = "#b1b4b6"
WHITE = "#ffffff"

#: Grade colours, best grade first, for the two scales templates use today. Outstanding is
#: blue, not a second green, so the two best grades can be told apart at a glance.
GRADE_COLOURS: dict[int, list[str]] = {
    4: ["#1d70b8", "#00703c", "#f47738", "#d4351c"],
    3: ["#00703c", "#f47738", "#d4351c"],
    2: ["#00703c", "#d4351c"],
    1: ["#00703c"],
}

MARK_COLOURS: dict[str, str] = {
    "strength": "#00703c",
    "development": "#d4351c",
    "not_seen": "#b1b4b6",
}

#: Colours for series with no meaning of their own (blue, purple, turquoise, pink, brown, grey).
SERIES_COLOURS: list[str] = ["#1d70b8", "#4c2c92", "#28a197", "#d53880", "#b58840", "#505a5f"]

# Anchors for scales of five or more levels: dark green, green, olive, orange, red, dark red.
_GRADE_RAMP = ["#005a30", "#00703c", "#85994b", "#f47738", "#d4351c", "#942514"]


def _hex_to_rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def _rgb_to_hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(v))):02x}" for v in rgb)


def grade_colours(n_levels: int) -> list[str]:
    """`n_levels` colours for a grade scale, best grade first: green through orange to red."""
    if n_levels <= 0:
        return []
    if n_levels in GRADE_COLOURS:
        return list(GRADE_COLOURS[n_levels])
    ramp = [_hex_to_rgb(c) for c in _GRADE_RAMP]
    out = []
    for i in range(n_levels):
        pos = i * (len(ramp) - 1) / (n_levels - 1)
        lo = min(int(pos), len(ramp) - 2)
        t = pos - lo
        a, b = ramp[lo], ramp[lo + 1]
        r, g, bl = (a[k] + (b[k] - a[k]) * t for k in range(3))
        out.append(_rgb_to_hex((r, g, bl)))
    return out


def _luminance(colour: str) -> float:
    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _hex_to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour_on(fill: str) -> str:
    """White or near-black, whichever reads better on `fill`."""
    if contrast_ratio(WHITE, fill) >= contrast_ratio(TEXT_COLOUR, fill):
        return WHITE
    return TEXT_COLOUR


__all__ = [
    "Bar",
    "BarChart",
    "Chart",
    "GRADE_COLOURS",
    "LineChart",
    "LineSeries",
    "MARK_COLOURS",
    "SERIES_COLOURS",
    "Series",
    "StackedBarChart",
    "StackedRow",
    "grade_colours",
]
