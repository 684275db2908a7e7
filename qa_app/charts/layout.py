"""The chart layout engine shared by the two renderers: `layout(chart, width, font_size)`
turns a chart description (`qa_app.charts`) into a `Scene` (`qa_app.charts.geometry`) - it
measures and wraps the text, chooses ticks and places every rect, line, marker and string -
which `qa_app.charts.svg` writes as inline SVG and `qa_app.charts.drawing` as a reportlab
`Drawing`.

Nothing here touches Flask or the database.
"""

from __future__ import annotations

import math

from qa_app.charts import (
    GRID_COLOUR,
    SECONDARY_TEXT_COLOUR,
    TEXT_COLOUR,
    WHITE,
    BarChart,
    Chart,
    LineChart,
    StackedBarChart,
    text_colour_on,
)
from qa_app.charts.geometry import (
    Line,
    Marker,
    PolyLine,
    Rect,
    Scene,
    Text,
    _Builder,
    _fit_thickness,
    _Rows,
    empty_scene,
    nice_ticks,
)
from qa_app.charts.text import ELLIPSIS, fmt_number, text_width, wrap_text


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
                neighbours = [w for k in (j - 1, j + 1) if 0 <= k < n and (w := vs[k]) is not None]
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
