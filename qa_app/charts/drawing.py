"""Charts as reportlab `Drawing`s for the PDF reports.

`drawing(chart, width, height=None)` lays the chart out exactly as the web page does (the scene
from `qa_app.charts.layout`) at print sizes - Helvetica, a 9 pt base font - and returns a
`reportlab.graphics.shapes.Drawing`, which is a platypus flowable: append it to a story.
The default width, 482 pt, is an A4 page less 2 cm margins. `height` is a target: line charts
fill it; bar charts fit their rows to it but never squeeze them below a legible spacing, so read
the drawing's `height` for the size it took.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypedDict, TypeVar, Unpack

from reportlab.graphics.shapes import Circle, Drawing, Group, Polygon, String
from reportlab.graphics.shapes import Line as RLLine
from reportlab.graphics.shapes import PolyLine as RLPolyLine
from reportlab.graphics.shapes import Rect as RLRect
from reportlab.lib.colors import Color, HexColor

from qa_app.charts import BarChart, Chart, LineChart, StackedBarChart
from qa_app.charts.geometry import Line, Marker, PolyLine, Rect, Scene, Text
from qa_app.charts.layout import layout
from qa_app.rules.control_characters import writable

# types-reportlab types Rect's keywords as `**kw: _SolidShapeKwArgs` (each keyword a whole
# TypedDict) where it means Unpack[_SolidShapeKwArgs]: every keyword would be refused.
_rl_rect: Callable[..., RLRect] = RLRect

#: A4 (595.3 pt) less two 2 cm margins.
A4_TEXT_WIDTH = 482.0
FONT_SIZE = 9.0


def _colour(value: str | None) -> Color | None:
    return HexColor(value) if value else None


def _marker(m: Marker, flip: Callable[[float], float]) -> Circle | Polygon:
    fill, stroke = _colour(m.fill), _colour(m.stroke)
    y = flip(m.y)
    s = m.size
    if m.shape == "circle":
        return Circle(m.x, y, s, fillColor=fill, strokeColor=stroke, strokeWidth=m.stroke_width)
    if m.shape == "square":
        s *= 0.9
        pts = [(m.x - s, y - s), (m.x + s, y - s), (m.x + s, y + s), (m.x - s, y + s)]
    elif m.shape == "triangle":
        s *= 1.2
        pts = [(m.x, y + s), (m.x + s, y - s * 0.8), (m.x - s, y - s * 0.8)]
    else:  # diamond
        s *= 1.25
        pts = [(m.x, y + s), (m.x + s, y), (m.x, y - s), (m.x - s, y)]
    flat = [c for p in pts for c in p]
    return Polygon(flat, fillColor=fill, strokeColor=stroke, strokeWidth=m.stroke_width)


def scene_drawing(scene: Scene) -> Drawing:
    """A reportlab Drawing of a laid-out scene (whose y runs downwards)."""
    height = scene.height
    d = Drawing(scene.width, height)

    def flip(y: float) -> float:
        return height - y

    group = Group()
    for item in scene.items:
        if isinstance(item, Rect):
            group.add(
                _rl_rect(
                    item.x,
                    flip(item.y + item.h),
                    item.w,
                    item.h,
                    fillColor=_colour(item.fill),
                    strokeColor=_colour(item.stroke),
                    strokeWidth=item.stroke_width if item.stroke else 0,
                )
            )
        elif isinstance(item, Line):
            group.add(
                RLLine(
                    item.x1,
                    flip(item.y1),
                    item.x2,
                    flip(item.y2),
                    strokeColor=_colour(item.stroke),
                    strokeWidth=item.width,
                )
            )
        elif isinstance(item, PolyLine):
            flat = [c for x, y in item.points for c in (x, flip(y))]
            group.add(
                RLPolyLine(
                    flat,
                    strokeColor=_colour(item.stroke),
                    strokeWidth=item.width,
                    strokeLineJoin=1,
                    strokeLineCap=1,
                )
            )
        elif isinstance(item, Marker):
            group.add(_marker(item, flip))
        elif isinstance(item, Text):
            group.add(
                String(
                    item.x,
                    flip(item.y),
                    writable(item.text),  # stored labels may hold what a PDF cannot
                    fontName="Helvetica-Bold" if item.bold else "Helvetica",
                    fontSize=item.size,
                    fillColor=_colour(item.fill),
                    textAnchor=item.anchor,
                )
            )
        else:  # pragma: no cover - the scene only holds the kinds above
            raise TypeError(f"cannot draw {type(item).__name__}")
    d.add(group)
    return d


def drawing(
    chart: Chart,
    width: float = A4_TEXT_WIDTH,
    height: float | None = None,
    *,
    show_title: bool = False,
    font_size: float = FONT_SIZE,
) -> Drawing:
    """Any chart as a reportlab Drawing `width` points wide (a flowable for a platypus story).
    `show_title` draws the title above the chart, in bold."""
    if not isinstance(chart, BarChart | StackedBarChart | LineChart):
        raise TypeError(f"not a chart: {type(chart).__name__}")
    return scene_drawing(layout(chart, width, font_size, show_title, height))


class Options(TypedDict, total=False):
    """`drawing`'s keyword arguments."""

    show_title: bool
    font_size: float


C = TypeVar("C", BarChart, StackedBarChart, LineChart)


def bar_chart(
    chart: BarChart,
    width: float = A4_TEXT_WIDTH,
    height: float | None = None,
    **kw: Unpack[Options],
) -> Drawing:
    """Horizontal bars; see `drawing` for the keyword arguments."""
    return drawing(_check(chart, BarChart), width, height, **kw)


def stacked_bar_chart(
    chart: StackedBarChart,
    width: float = A4_TEXT_WIDTH,
    height: float | None = None,
    **kw: Unpack[Options],
) -> Drawing:
    """Horizontal stacked bars with a legend; see `drawing` for the keyword arguments."""
    return drawing(_check(chart, StackedBarChart), width, height, **kw)


def line_chart(
    chart: LineChart,
    width: float = A4_TEXT_WIDTH,
    height: float | None = None,
    **kw: Unpack[Options],
) -> Drawing:
    """Lines over categorical x labels; see `drawing` for the keyword arguments."""
    return drawing(_check(chart, LineChart), width, height, **kw)


def _check(chart: Chart, kind: type[C]) -> C:
    if not isinstance(chart, kind):
        raise TypeError(f"expected a {kind.__name__}, got {type(chart).__name__}")
    return chart
