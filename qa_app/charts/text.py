"""Measuring and fitting chart text: string widths in Helvetica (whose metrics Arial - the
site's font - shares), word wrapping and truncation with an ellipsis, and number formatting.

Used by the layout engine (`qa_app.charts.layout`, `qa_app.charts.geometry`); nothing here
touches Flask or the database.
"""

from __future__ import annotations

import math

from reportlab.pdfbase.pdfmetrics import stringWidth

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
