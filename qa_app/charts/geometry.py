"""The scene both chart renderers draw, and the builder that places things in it.

A `Scene` is a list of primitives - `Rect`, `Line`, `PolyLine`, `Marker`, `Text` - in
coordinates that run from the top left, y downwards, as in SVG. `_Builder` places them with
sizes derived from the base font size (title, legend, lines of text); `_Rows` places the row
labels and bars of the bar charts; `nice_ticks` chooses axis ticks; `empty_scene` is the
"no data" picture. The chart layouts themselves are in `qa_app.charts.layout`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

from qa_app.charts import SECONDARY_TEXT_COLOUR, TEXT_COLOUR, WHITE
from qa_app.charts.text import _truncate, text_width, wrap_text

# --------------------------------------------------------------------------------------------
# Scene: what both renderers draw
# --------------------------------------------------------------------------------------------


Anchor = Literal["start", "middle", "end"]


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
    anchor: Anchor = "start"
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

    def wrap(
        self, text: str, max_w: float, size: float, max_lines: int = 2, bold: bool = False
    ) -> tuple[list[str], bool]:
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
        anchor: Anchor = "start",
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
