"""Charts as inline SVG for the web pages.

`render(chart)` returns `markupsafe.Markup` ready to drop into a template:

    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 H" width="100%" role="img"
         aria-labelledby="ID-title" aria-describedby="ID-desc" class="app-chart">
      <title id="ID-title">…</title><desc id="ID-desc">… every value, in words …</desc> …

The SVG carries a viewBox and `width="100%"` but no height, so it scales with its container and
keeps its proportions on a phone. It uses presentation attributes only (no `style` attribute and
no `<style>` element: the site's Content-Security-Policy is `style-src 'self'`), sets no
font-family (text inherits the page's font), and escapes every string. Ids are made unique per
call from a counter unless `id_prefix` is given.
"""

from __future__ import annotations

import itertools
import math
import re
from html import escape
from typing import TypedDict, TypeVar, Unpack

from markupsafe import Markup

from qa_app.charts import BarChart, Chart, LineChart, StackedBarChart
from qa_app.charts.geometry import Line, Marker, PolyLine, Rect, Scene, Text
from qa_app.charts.layout import layout

#: viewBox width and base font size: 14 units in 640 reads as 14px in a 640px column.
WIDTH = 640
FONT_SIZE = 14

#: Text is measured with Helvetica metrics (Arial's); leave a tenth more for other fonts.
SLACK = 1.1

_counter = itertools.count(1)


def _n(value: float) -> str:
    """A coordinate, to 0.1 without trailing zeros."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _attrs(**attrs: object) -> str:
    out = []
    for key, value in attrs.items():
        if value is None:
            continue
        name = key.rstrip("_").replace("_", "-")
        text = _n(value) if isinstance(value, float) else str(value)
        out.append(f' {name}="{escape(text, quote=True)}"')
    return "".join(out)


def _tooltip(text: str | None) -> str:
    return f"<title>{escape(text, quote=False)}</title>" if text else ""


def _marker(m: Marker) -> str:
    common = _attrs(fill=m.fill, stroke=m.stroke, stroke_width=float(m.stroke_width))
    s = m.size
    if m.shape == "circle":
        shape = f"<circle{_attrs(cx=float(m.x), cy=float(m.y), r=float(s))}{common}"
    elif m.shape == "square":
        s *= 0.9
        box = _attrs(x=float(m.x - s), y=float(m.y - s), width=float(2 * s), height=float(2 * s))
        shape = f"<rect{box}{common}"
    else:
        if m.shape == "triangle":
            s *= 1.2
            pts = [(m.x, m.y - s), (m.x + s, m.y + s * 0.8), (m.x - s, m.y + s * 0.8)]
        else:  # diamond
            s *= 1.25
            pts = [(m.x, m.y - s), (m.x + s, m.y), (m.x, m.y + s), (m.x - s, m.y)]
        points = " ".join(f"{_n(x)},{_n(y)}" for x, y in pts)
        shape = f"<polygon{_attrs(points=points)}{common}"
    if m.tooltip:
        return f"{shape}>{_tooltip(m.tooltip)}</{shape[1 : shape.index(' ')]}>"
    return f"{shape}/>"


def _item(item: object) -> str:
    if isinstance(item, Rect):
        attrs = _attrs(
            x=float(item.x),
            y=float(item.y),
            width=float(item.w),
            height=float(item.h),
            fill=item.fill,
            stroke=item.stroke,
            stroke_width=float(item.stroke_width) if item.stroke else None,
        )
        if item.tooltip:
            return f"<rect{attrs}>{_tooltip(item.tooltip)}</rect>"
        return f"<rect{attrs}/>"
    if isinstance(item, Line):
        attrs = _attrs(
            x1=float(item.x1),
            y1=float(item.y1),
            x2=float(item.x2),
            y2=float(item.y2),
            stroke=item.stroke,
            stroke_width=float(item.width),
        )
        return f"<line{attrs}/>"
    if isinstance(item, PolyLine):
        points = " ".join(f"{_n(x)},{_n(y)}" for x, y in item.points)
        attrs = _attrs(
            points=points,
            fill="none",
            stroke=item.stroke,
            stroke_width=float(item.width),
            stroke_linejoin="round",
            stroke_linecap="round",
        )
        return f"<polyline{attrs}/>"
    if isinstance(item, Marker):
        return _marker(item)
    if isinstance(item, Text):
        attrs = _attrs(
            x=float(item.x),
            y=float(item.y),
            font_size=float(item.size),
            fill=item.fill,
            text_anchor=None if item.anchor == "start" else item.anchor,
            font_weight="bold" if item.bold else None,
        )
        return f"<text{attrs}>{_tooltip(item.tooltip)}{escape(item.text, quote=False)}</text>"
    raise TypeError(f"cannot draw {type(item).__name__}")


def _prefix(scene: Scene, id_prefix: str | None) -> str:
    if id_prefix:
        return re.sub(r"[^A-Za-z0-9_-]", "-", id_prefix)
    return f"chart-{next(_counter)}"


def scene_svg(scene: Scene, id_prefix: str | None = None) -> Markup:
    """The SVG for a laid-out scene."""
    pid = _prefix(scene, id_prefix)
    height = math.ceil(scene.height)
    attrs = _attrs(
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {_n(scene.width)} {height}",
        width="100%",
        role="img",
        aria_labelledby=f"{pid}-title",
        aria_describedby=f"{pid}-desc",
        class_="app-chart app-chart--empty" if scene.empty else "app-chart",
    )
    head = f"<svg{attrs}>"
    body = [
        head,
        f'<title id="{pid}-title">{escape(scene.title, quote=False)}</title>',
        f'<desc id="{pid}-desc">{escape(scene.desc, quote=False)}</desc>',
        *(_item(item) for item in scene.items),
        "</svg>",
    ]
    # Safe: every attribute and text above goes through escape() and pid is [A-Za-z0-9_-].
    svg = "\n".join(body)
    return Markup(svg)  # noqa: S704  # nosec B704  # every part escaped above


def render(
    chart: Chart,
    *,
    id_prefix: str | None = None,
    show_title: bool = False,
    width: float = WIDTH,
) -> Markup:
    """Any chart as inline SVG. `show_title` also draws the title in the picture (pages
    usually give it as a heading instead). `width` is the viewBox width at a 14-unit font: a
    chart for a narrow column reads better laid out narrower (say 400) than shrunk."""
    if not isinstance(chart, BarChart | StackedBarChart | LineChart):
        raise TypeError(f"not a chart: {type(chart).__name__}")
    return scene_svg(layout(chart, width, FONT_SIZE, show_title, slack=SLACK), id_prefix)


class Options(TypedDict, total=False):
    """`render`'s keyword arguments."""

    id_prefix: str | None
    show_title: bool
    width: float


C = TypeVar("C", BarChart, StackedBarChart, LineChart)


def bar_chart(chart: BarChart, **kw: Unpack[Options]) -> Markup:
    """Horizontal bars; see `render` for the keyword arguments."""
    return render(_check(chart, BarChart), **kw)


def stacked_bar_chart(chart: StackedBarChart, **kw: Unpack[Options]) -> Markup:
    """Horizontal stacked bars with a legend; see `render` for the keyword arguments."""
    return render(_check(chart, StackedBarChart), **kw)


def line_chart(chart: LineChart, **kw: Unpack[Options]) -> Markup:
    """Lines over categorical x labels; see `render` for the keyword arguments."""
    return render(_check(chart, LineChart), **kw)


def _check(chart: Chart, kind: type[C]) -> C:
    if not isinstance(chart, kind):
        raise TypeError(f"expected a {kind.__name__}, got {type(chart).__name__}")
    return chart
