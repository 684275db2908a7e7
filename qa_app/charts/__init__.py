"""Charts drawn on the server, for the web pages (inline SVG) and the PDF reports (reportlab).

Three kinds of chart, each described by a small frozen dataclass that carries nothing but
what is drawn (labels already formatted, counts already suppressed by the caller):

- `BarChart`: horizontal bars, one colour per bar, a caller-formatted label at each bar's end;
  a bar whose `value` is None (a suppressed count) has no bar, only its label.
- `StackedBarChart`: one horizontal stacked bar per row (a theme, say) with one segment per
  series (strength / area for development / not seen), a legend, counts or row percentages.
- `LineChart`: one or more series over categorical x labels (months, say), with gaps where a
  value is None, on a 0-100 % axis (`y_max=100, unit="%"`) or a 0-max count axis.

Both renderers draw the same *scene*: `layout(chart, width, font_size)` below measures the text
(Helvetica metrics, which Arial - the site's font - shares), wraps or truncates long labels,
chooses ticks and places every rect, line, marker and string; `qa_app.charts.svg` writes the
scene as inline SVG and `qa_app.charts.drawing` as a reportlab `Drawing`. Coordinates in a
scene run from the top left, y downwards, as in SVG.

Nothing here touches Flask or the database.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from reportlab.pdfbase.pdfmetrics import stringWidth

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

#: Grade colours, best grade first, for the two scales templates use today.
GRADE_COLOURS: dict[int, list[str]] = {
    4: ["#005a30", "#00703c", "#f47738", "#d4351c"],
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
        out.append(_rgb_to_hex(tuple(a[k] + (b[k] - a[k]) * t for k in range(3))))
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


# --------------------------------------------------------------------------------------------
# Scene: what both renderers draw
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    stroke: str | None = None
    stroke_width: float = 0
    tooltip: str | None = None


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str
    width: float


@dataclass(frozen=True)
class PolyLine:
    points: list[tuple[float, float]]
    stroke: str
    width: float


@dataclass(frozen=True)
class Marker:
    """A data point: `shape` is circle, square, triangle or diamond; `size` its half-width."""

    x: float
    y: float
    shape: str
    size: float
    fill: str
    stroke: str
    stroke_width: float
    tooltip: str | None = None


@dataclass(frozen=True)
class Text:
    """A string; `y` is its baseline, `anchor` start, middle or end."""

    x: float
    y: float
    text: str
    size: float
    fill: str = TEXT_COLOUR
    anchor: str = "start"
    bold: bool = False
    tooltip: str | None = None  # the full text, when `text` was shortened


Item = Rect | Line | PolyLine | Marker | Text


@dataclass
class Scene:
    width: float
    height: float
    title: str
    desc: str
    items: list[Item] = field(default_factory=list)
    empty: bool = False


EMPTY_MESSAGE = "No data for this selection"
ELLIPSIS = "\u2026"


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of `text` in Helvetica (= Arial metrics) at `size`."""
    font = "Helvetica-Bold" if bold else "Helvetica"
    try:
        return stringWidth(text, font, size)
    except Exception:  # characters the standard font cannot measure
        return 0.55 * size * len(text)


def _truncate(text: str, max_w: float, size: float, bold: bool = False) -> str:
    if text_width(text, size, bold) <= max_w:
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # longest prefix that fits with the ellipsis
        mid = (lo + hi + 1) // 2
        if text_width(text[:mid].rstrip() + ELLIPSIS, size, bold) <= max_w:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + ELLIPSIS


def wrap_text(
    text: str, max_w: float, size: float, max_lines: int = 2, bold: bool = False
) -> tuple[list[str], bool]:
    """Greedy word wrap into at most `max_lines` lines no wider than `max_w`; the last line is
    cut with an ellipsis when the text does not fit. Returns (lines, shortened)."""
    words = text.split()
    if not words:
        return [""], False
    lines: list[str] = []
    current = ""
    i = 0
    while i < len(words):
        candidate = f"{current} {words[i]}" if current else words[i]
        if text_width(candidate, size, bold) <= max_w:
            current = candidate
            i += 1
            continue
        if not current:  # one word wider than the line: it is cut below
            current = words[i]
            i += 1
        if len(lines) == max_lines - 1:
            break
        lines.append(current)
        current = ""
    rest = " ".join([current, *words[i:]]).strip() if i < len(words) else current
    shortened = i < len(words) or text_width(rest, size, bold) > max_w
    lines.append(_truncate(rest, max_w, size, bold))
    for k, line in enumerate(lines[:-1]):
        if text_width(line, size, bold) > max_w:
            lines[k] = _truncate(line, max_w, size, bold)
            shortened = True
    return lines, shortened


def fmt_number(value: float) -> str:
    if math.isclose(value, round(value), abs_tol=1e-9):
        return f"{round(value):,}"
    return f"{value:,.1f}"


def nice_ticks(maximum: float, target: int = 5, integer: bool = False) -> list[float]:
    """Ticks from 0 to a round number at or above `maximum`, about `target` intervals."""
    if maximum <= 0 or not math.isfinite(maximum):
        maximum = 1
    raw = maximum / target
    magnitude = 10 ** math.floor(math.log10(raw))
    step = magnitude * 10
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * magnitude * (1 + 1e-9):
            step = m * magnitude
            break
    if integer and step < 1:
        step = 1
    if integer and step != int(step):  # 2.5 with whole counts: use 2 or 5 instead
        step = math.ceil(step)
    top = math.ceil(maximum / step - 1e-9) * step
    n = round(top / step)
    return [round(i * step, 10) for i in range(n + 1)]


def _clean(value: float | None) -> float | None:
    if value is None:
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(v):
        return None
    return max(v, 0.0)


class _Builder:
    """Sizes derive from the base font size, so a screen scene and a print scene look alike."""

    def __init__(
        self, width: float, font_size: float, title: str, show_title: bool, slack: float = 1.0
    ) -> None:
        self.slack = slack  # >1 leaves room for a font a little wider than Helvetica
        self.w = width
        self.fs = font_size
        self.small = font_size * 0.86
        self.pad = font_size * 0.3
        self.gap = font_size * 0.6
        self.items: list[Item] = []
        self.y = self.pad
        self.title = title
        if show_title and title:
            size = font_size * 1.2
            lines, short = self.wrap(title, width - 2 * self.pad, size, 2, bold=True)
            for line in lines:
                self.y += size
                self.items.append(
                    Text(self.pad, self.y, line, size, bold=True, tooltip=title if short else None)
                )
                self.y += size * 0.25
            self.y += font_size * 0.6

    def tw(self, text: str, size: float, bold: bool = False) -> float:
        return text_width(text, size, bold) * self.slack

    def wrap(self, text: str, max_w: float, size: float, max_lines: int = 2, bold: bool = False):
        return wrap_text(text, max_w / self.slack, size, max_lines, bold)

    def truncate(self, text: str, max_w: float, size: float) -> str:
        return _truncate(text, max_w / self.slack, size)

    def add(self, item: Item) -> None:
        self.items.append(item)

    def text_lines(
        self,
        lines: list[str],
        x: float,
        cy: float,
        size: float,
        anchor: str = "start",
        fill: str = TEXT_COLOUR,
        tooltip: str | None = None,
    ) -> None:
        """Lines of text centred vertically on `cy`."""
        lh = size * 1.2
        first = cy - (len(lines) - 1) * lh / 2 + size * 0.35
        for k, line in enumerate(lines):
            self.add(Text(x, first + k * lh, line, size, fill, anchor, tooltip=tooltip))

    def legend(self, entries: list[tuple[str, str, str | None]]) -> None:
        """(name, colour, marker shape or None for a square swatch), flowing over lines."""
        sw = self.fs * 0.9
        x = self.pad
        row_h = self.fs * 1.5
        cy = self.y + row_h / 2
        for name, colour, shape in entries:
            label = self.truncate(name, self.w * 0.6, self.small)
            item_w = sw * (2.2 if shape else 1) + self.gap * 0.6 + self.tw(label, self.small)
            if x > self.pad and x + item_w > self.w - self.pad:
                x = self.pad
                cy += row_h
            if shape:
                self.add(Line(x, cy, x + sw * 2.2, cy, colour, self.fs * 0.18))
                self.add(
                    Marker(x + sw * 1.1, cy, shape, self.fs * 0.3, colour, WHITE, self.fs * 0.08)
                )
                tx = x + sw * 2.2 + self.gap * 0.6
            else:
                self.add(Rect(x, cy - sw / 2, sw, sw, colour))
                tx = x + sw + self.gap * 0.6
            tip = name if label != name else None
            self.add(Text(tx, cy + self.small * 0.35, label, self.small, tooltip=tip))
            x += item_w + self.fs * 1.4
        self.y = cy + row_h / 2 + self.fs * 0.5

    def scene(self, desc: str, bottom: float) -> Scene:
        return Scene(self.w, bottom + self.pad, self.title, desc, self.items)


def empty_scene(title: str, width: float, font_size: float) -> Scene:
    h = font_size * 3
    return Scene(
        width,
        h,
        title,
        f"{title}. {EMPTY_MESSAGE}." if title else f"{EMPTY_MESSAGE}.",
        [
            Text(
                font_size * 0.3,
                h / 2 + font_size * 0.35,
                EMPTY_MESSAGE,
                font_size,
                SECONDARY_TEXT_COLOUR,
            )
        ],
        empty=True,
    )


#: Below this width, long row labels go above their bars rather than beside them.
NARROW = 480


@dataclass(frozen=True)
class _Row:
    lines: list[str]
    shortened: bool
    top: float
    height: float
    label_cy: float
    bar_cy: float


class _Rows:
    """Row labels and where each row's bar goes: labels in a column to the left of the bars,
    or - on a narrow chart with long labels - on their own line above each bar."""

    def __init__(self, b: _Builder, labels: list[str]) -> None:
        self.b = b
        natural = max((b.tw(label, b.fs) for label in labels), default=0)
        self.above = b.w < NARROW and natural > b.w * 0.3
        if self.above:
            self.label_w = b.w - 2 * b.pad
            self.x0 = b.pad
        else:
            self.label_w = min(natural, b.w * 0.4)
            self.x0 = b.pad + self.label_w + b.gap
        self.wrapped = [b.wrap(label, self.label_w, b.fs, 2) for label in labels]

    def place(self, y: float, thick: float, spacing: float) -> tuple[list[_Row], float]:
        """Rows from `y` down, and the bottom of the last one."""
        fs, rows = self.b.fs, []
        for lines, short in self.wrapped:
            text_h = len(lines) * fs * 1.2
            if self.above:
                h = text_h + fs * 0.2 + thick
                rows.append(_Row(lines, short, y, h, y + text_h / 2, y + h - thick / 2))
            else:
                h = max(thick, text_h + fs * 0.2)
                rows.append(_Row(lines, short, y, h, y + h / 2, y + h / 2))
            y += h + spacing
        return rows, y - spacing

    def label(self, row: _Row, full: str) -> None:
        b = self.b
        tip = full if row.shortened else None
        if self.above:
            b.text_lines(row.lines, self.x0, row.label_cy, b.fs, "start", tooltip=tip)
        else:
            b.text_lines(row.lines, self.x0 - b.gap, row.label_cy, b.fs, "end", tooltip=tip)


def _fit_thickness(avail: float, n_rows: int, spacing: float, fs: float) -> float:
    """Bar thickness that fills `avail` with `n_rows` rows, kept between legible limits."""
    return max(fs * 1.2, min(fs * 2.6, avail / max(n_rows, 1) - spacing))


# ---------------------------------------------------------------------------- bar chart


def layout_bar(
    chart: BarChart,
    width: float,
    font_size: float,
    show_title: bool = False,
    height: float | None = None,
    slack: float = 1.0,
) -> Scene:
    values = [_clean(bar.value) for bar in chart.bars]
    if not any(v is not None for v in values):
        return empty_scene(chart.title, width, font_size)
    b = _Builder(width, font_size, chart.title, show_title, slack)
    fs = b.fs
    labels = _Rows(b, [bar.label for bar in chart.bars])
    value_w = max(b.tw(bar.value_label, fs) for bar in chart.bars) + b.gap
    x0 = labels.x0
    area = max(width - b.pad - value_w - x0, width * 0.25)
    top = max((v for v in values if v is not None), default=0)
    thick, spacing = fs * 1.8, fs * (0.9 if labels.above else 0.7)
    if height is not None:  # fit the rows to the height asked for, within legible limits
        thick = _fit_thickness(height - b.y - b.pad, len(chart.bars), spacing, fs)
    rows, bottom = labels.place(b.y, thick, spacing)
    if not labels.above:
        b.add(Line(x0, b.y - spacing / 2, x0, bottom + spacing / 2, GRID_COLOUR, fs * 0.08))
    for bar, value, row in zip(chart.bars, values, rows, strict=True):
        cy = row.bar_cy
        labels.label(row, bar.label)
        if labels.above:
            b.add(Line(x0, cy - thick / 2 - 1, x0, cy + thick / 2 + 1, GRID_COLOUR, fs * 0.08))
        tip = f"{bar.label}: {bar.value_label}"
        if value is None:
            b.add(
                Text(
                    x0 + b.gap * 0.7,
                    cy + fs * 0.35,
                    bar.value_label,
                    fs,
                    SECONDARY_TEXT_COLOUR,
                    tooltip=tip,
                )
            )
            continue
        w = area * value / top if top > 0 else 0
        if w > 0:
            b.add(Rect(x0, cy - thick / 2, max(w, fs * 0.12), thick, bar.colour, tooltip=tip))
        b.add(Text(x0 + w + b.gap * 0.7, cy + fs * 0.35, bar.value_label, fs))
    unit = f" ({chart.unit})" if chart.unit else ""
    desc = f"{chart.title}{unit}. " + "; ".join(
        f"{bar.label}: {bar.value_label}" for bar in chart.bars
    )
    return b.scene(desc + ".", bottom)


# ---------------------------------------------------------------------------- stacked bars


def layout_stacked(
    chart: StackedBarChart,
    width: float,
    font_size: float,
    show_title: bool = False,
    height: float | None = None,
    slack: float = 1.0,
) -> Scene:
    rows = [[_clean(v) for v in row.values] for row in chart.rows]
    if not chart.series or not any(v for vs in rows for v in vs if v is not None):
        return empty_scene(chart.title, width, font_size)
    b = _Builder(width, font_size, chart.title, show_title, slack)
    fs = b.fs
    b.legend([(s.name, s.colour, None) for s in chart.series])
    totals = [sum(v for v in vs if v is not None) for vs in rows]
    labels = _Rows(b, [row.label for row in chart.rows])
    if chart.percent:
        ticks = [0.0, 25.0, 50.0, 75.0, 100.0]
        tick_labels = [f"{fmt_number(t)}%" for t in ticks]
        right = b.tw(tick_labels[-1], b.small) / 2 + b.pad
    else:
        ticks = nice_ticks(max(totals), integer=True)
        tick_labels = [fmt_number(t) for t in ticks]
        total_w = max(b.tw(fmt_number(t), fs) for t in totals) + b.gap
        right = max(total_w, b.tw(tick_labels[-1], b.small) / 2) + b.pad
    if labels.above:  # room for half the first tick label to the left of the bars
        labels.x0 = b.pad + b.tw(tick_labels[0], b.small) / 2
    x0 = labels.x0
    area = max(width - right - x0, width * 0.25)
    scale_top = ticks[-1]
    thick, spacing = fs * 1.8, fs * (0.9 if labels.above else 0.7)
    if height is not None:
        thick = _fit_thickness(height - b.y - b.pad - fs * 2, len(rows), spacing, fs)
    placed, last = labels.place(b.y + fs * 0.2, thick, spacing)
    plot_top, plot_bottom = b.y, last + fs * 0.2
    # grid lines behind the bars: whole height, or - with labels above the bars - bar by bar
    spans = (
        [(p.bar_cy - thick / 2 - fs * 0.2, p.bar_cy + thick / 2 + fs * 0.2) for p in placed]
        if labels.above
        else [(plot_top, plot_bottom)]
    )
    for t, tl in zip(ticks, tick_labels, strict=True):
        x = x0 + area * t / scale_top
        for y1, y2 in spans:
            b.add(Line(x, y1, x, y2, GRID_COLOUR, fs * (0.08 if t == 0 else 0.05)))
        b.add(Text(x, plot_bottom + b.small * 1.25, tl, b.small, SECONDARY_TEXT_COLOUR, "middle"))
    names = [s.name for s in chart.series]
    desc_rows = []
    for row, vs, total, place in zip(chart.rows, rows, totals, placed, strict=True):
        cy = place.bar_cy
        labels.label(place, row.label)
        denom = (total if chart.percent else scale_top) or 0
        x = x0
        parts = []
        for s, v in zip(chart.series, vs, strict=True):
            if v is None:
                parts.append(f"{s.name} suppressed")
                continue
            pct = f"{round(100 * v / total)}%" if total else ""
            parts.append(f"{s.name} {fmt_number(v)}" + (f" ({pct})" if chart.percent else ""))
            w = area * v / denom if denom else 0
            if w <= 0:
                continue
            tip = f"{row.label}, {s.name}: {fmt_number(v)}" + (f" ({pct})" if pct else "")
            b.add(Rect(x, cy - thick / 2, w, thick, s.colour, WHITE, fs * 0.07, tooltip=tip))
            label = pct if chart.percent else fmt_number(v)
            if b.tw(label, b.small) + fs * 0.6 <= w:
                b.add(
                    Text(
                        x + w / 2,
                        cy + b.small * 0.35,
                        label,
                        b.small,
                        text_colour_on(s.colour),
                        "middle",
                    )
                )
            x += w
        if not chart.percent and total and None not in vs:  # suppressed: total unknown
            b.add(Text(x + b.gap * 0.7, cy + fs * 0.35, fmt_number(total), fs))
        if total == 0:
            b.add(Text(x0 + b.gap * 0.7, cy + fs * 0.35, "No data", fs, SECONDARY_TEXT_COLOUR))
        desc_rows.append(f"{row.label}: " + ", ".join(parts))
    kind = "percentage of each row" if chart.percent else "counts"
    desc = f"{chart.title} ({kind}; {', '.join(names)}). " + "; ".join(desc_rows) + "."
    return b.scene(desc, plot_bottom + b.small * 1.6)


# ---------------------------------------------------------------------------- line chart

MARKER_SHAPES = ["circle", "square", "triangle", "diamond"]


def _fmt_value(value: float, unit: str) -> str:
    if unit == "%":
        return f"{fmt_number(value)}%"
    return f"{fmt_number(value)} {unit}" if unit else fmt_number(value)


def _two_line_width(text: str, size: float) -> float:
    """The narrowest width at which `text` breaks into at most two lines at a space."""
    words = text.split()
    if len(words) < 2:
        return text_width(text, size)
    return min(
        max(text_width(" ".join(words[:k]), size), text_width(" ".join(words[k:]), size))
        for k in range(1, len(words))
    )


def layout_line(
    chart: LineChart,
    width: float,
    font_size: float,
    show_title: bool = False,
    height: float | None = None,
    slack: float = 1.0,
) -> Scene:
    series = [[_clean(v) for v in s.values] for s in chart.series]
    present = [v for vs in series for v in vs if v is not None]
    if not chart.x_labels or not present:
        return empty_scene(chart.title, width, font_size)
    b = _Builder(width, font_size, chart.title, show_title, slack)
    fs, small = b.fs, b.small
    if len(chart.series) > 1:
        b.legend(
            [
                (s.name, s.colour, MARKER_SHAPES[i % len(MARKER_SHAPES)])
                for i, s in enumerate(chart.series)
            ]
        )
    top_value = max(present)
    maximum = chart.y_max if chart.y_max and chart.y_max >= top_value else top_value
    integer = chart.unit != "%" and all(float(v).is_integer() for v in present)
    ticks = nice_ticks(maximum, integer=integer) if maximum != chart.y_max else None
    if ticks is None:
        ticks = nice_ticks(maximum)
        if ticks[-1] > maximum:  # y_max=100 gives 0..100 already; honour an odd y_max too
            ticks = [t for t in ticks if t < maximum] + [float(maximum)]
    scale_top = ticks[-1]
    tick_labels = [_fmt_value(t, "%" if chart.unit == "%" else "") for t in ticks]
    if chart.unit and chart.unit != "%":
        b.add(Text(b.pad, b.y + small, chart.unit, small, SECONDARY_TEXT_COLOUR))
        b.y += small * 1.6
    y_label_w = max(b.tw(t, small) for t in tick_labels)
    x0 = b.pad + y_label_w + b.gap
    x1 = width - b.pad
    n = len(chart.x_labels)
    band = (x1 - x0) / n
    # x labels: one line, else two lines, else every k-th label
    max_label = max(b.tw(label, small) for label in chart.x_labels)
    # two lines: every label split at the same width, so all of them break alike
    split_w = max(_two_line_width(label, small) for label in chart.x_labels)
    two_line = [wrap_text(label, split_w + 0.01, small, 2)[0] for label in chart.x_labels]
    if max_label <= band - fs * 0.8:
        x_lines, every = [[label] for label in chart.x_labels], 1
    elif all(
        len(ls) <= 2
        and max(b.tw(s, small) for s in ls) <= band - fs * 0.3
        and not ls[-1].endswith(ELLIPSIS)
        for ls in two_line
    ):
        x_lines, every = two_line, 1
    else:
        every = math.ceil((max_label + fs * 0.6) / band)
        x_lines = [[b.truncate(label, band * every - fs * 0.3, small)] for label in chart.x_labels]
    label_rows = max(len(ls) for ls in x_lines)
    plot_top = b.y + small * 0.5
    plot_h = (height - plot_top - b.pad - label_rows * small * 1.2 - fs * 0.6) if height else 0
    if plot_h < fs * 6:
        plot_h = max(width * 0.36, fs * 12)
    plot_bottom = plot_top + plot_h

    def ypos(v: float) -> float:
        return plot_bottom - plot_h * v / scale_top

    for t, tl in zip(ticks, tick_labels, strict=True):
        y = ypos(t)
        b.add(Line(x0, y, x1, y, GRID_COLOUR, fs * (0.1 if t == 0 else 0.05)))
        b.add(Text(x0 - b.gap, y + small * 0.35, tl, small, SECONDARY_TEXT_COLOUR, "end"))
    xs = [x0 + band * (i + 0.5) for i in range(n)]
    for i, (x, lines) in enumerate(zip(xs, x_lines, strict=True)):
        if i % every:
            continue
        b.add(Line(x, plot_bottom, x, plot_bottom + fs * 0.3, GRID_COLOUR, fs * 0.07))
        for k, line in enumerate(lines):
            b.add(
                Text(
                    x,
                    plot_bottom + fs * 0.4 + small * (1 + 1.2 * k),
                    line,
                    small,
                    SECONDARY_TEXT_COLOUR,
                    "middle",
                )
            )
    single = len(chart.series) == 1
    point_unit = "%" if chart.unit == "%" else ""  # other units are named above the axis
    point_labels = single and all(
        b.tw(_fmt_value(v, point_unit), small) <= band - fs * 0.2 for v in present
    )
    desc_parts = []
    for i, (s, vs) in enumerate(zip(chart.series, series, strict=True)):
        shape = MARKER_SHAPES[i % len(MARKER_SHAPES)]
        run: list[tuple[float, float]] = []
        runs = []
        for x, v in zip(xs, vs, strict=True):
            if v is None:
                if run:
                    runs.append(run)
                run = []
            else:
                run.append((x, ypos(v)))
        if run:
            runs.append(run)
        for r in runs:
            if len(r) > 1:
                b.add(PolyLine(r, s.colour, fs * 0.18))
        for j, (x, v) in enumerate(zip(xs, vs, strict=True)):
            if v is None:
                continue
            value_text = _fmt_value(v, chart.unit)
            b.add(
                Marker(
                    x,
                    ypos(v),
                    shape,
                    fs * 0.3,
                    s.colour,
                    WHITE,
                    fs * 0.08,
                    tooltip=f"{s.name}, {chart.x_labels[j]}: {value_text}",
                )
            )
            if point_labels:
                neighbours = [vs[k] for k in (j - 1, j + 1) if 0 <= k < n and vs[k] is not None]
                above = not neighbours or v >= sum(neighbours) / len(neighbours)
                ly = ypos(v) - fs * 0.7 if above else ypos(v) + fs * 0.7 + small * 0.75
                if ly - small < plot_top - small * 0.5:
                    ly = ypos(v) + fs * 0.7 + small * 0.75
                b.add(Text(x, ly, _fmt_value(v, point_unit), small, TEXT_COLOUR, "middle"))
        desc_parts.append(
            f"{s.name}: "
            + ", ".join(
                f"{label} {_fmt_value(v, chart.unit) if v is not None else 'no data'}"
                for label, v in zip(chart.x_labels, vs, strict=True)
            )
        )
    desc = f"{chart.title}. " + "; ".join(desc_parts) + "."
    bottom = plot_bottom + fs * 0.4 + small * (1 + 1.2 * (label_rows - 1)) + small * 0.4
    return b.scene(desc, bottom)


def layout(
    chart: Chart,
    width: float,
    font_size: float,
    show_title: bool = False,
    height: float | None = None,
    slack: float = 1.0,
) -> Scene:
    """The scene for any chart kind, `width` wide at base `font_size`, y running downwards.
    `height` is a target (see `qa_app.charts.drawing`); `slack` > 1 measures text that much
    wider than Helvetica, for a browser whose font may be a little wider."""
    if isinstance(chart, BarChart):
        return layout_bar(chart, width, font_size, show_title, height, slack)
    if isinstance(chart, StackedBarChart):
        return layout_stacked(chart, width, font_size, show_title, height, slack)
    if isinstance(chart, LineChart):
        return layout_line(chart, width, font_size, show_title, height, slack)
    raise TypeError(f"not a chart: {type(chart).__name__}")


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
    "layout",
]
