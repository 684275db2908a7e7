"""Flowing the scrutiny pack's text and tables over slides: a paragraph list placed into the
boxes of a slide at the largest size that fits, the rest carried on to "(continued)" slides
(a paragraph taller than half a slide cut at line ends); a table shrunk from 14 to 10 points,
its rows carried on the same way; a section's text as a "Commentary" heading and bullets.
Pure: no Flask, no database."""

from dataclasses import dataclass
from typing import Any

from pptx.util import Inches

from qa_app.charts.text import wrap_text
from qa_app.documents.pdf.document import Marking
from qa_app.documents.scrutiny_parts import section_bullets
from qa_app.documents.scrutiny_slides import (
    BODY_BOTTOM,
    BODY_TOP,
    BODY_W,
    LEFT,
    Box,
    Para,
    best_size,
    para_height,
    row_height,
    slide,
    table,
    table_rows_fitting,
    take,
    text_box,
)

FULL = Box(LEFT, BODY_TOP, BODY_W, BODY_BOTTOM - BODY_TOP)
HALF_W = BODY_W / 2 - 0.15
COLUMNS = [
    Box(LEFT, BODY_TOP, HALF_W, FULL.h),
    Box(LEFT + HALF_W + 0.3, BODY_TOP, HALF_W, FULL.h),
]
CONTINUED_SIZE = 16.0


@dataclass
class Deck:
    deck: Any
    footer: str
    marking: str = Marking.OFFICIAL.value

    def slide(self, title: str) -> Any:
        return slide(self.deck, title, self.footer, self.marking)


def split_long(paras: list[Para], width: float, size: float) -> list[Para]:
    """A paragraph taller than half a slide is cut into pieces at line ends, so that it can
    flow on (the pieces after the first carry no bullet)."""
    out: list[Para] = []
    limit = FULL.h / 2
    for p in paras:
        if para_height(p, width, size) <= limit:
            out.append(p)
            continue
        room = (width - 0.2 - 0.28) * 72
        lines, _ = wrap_text(p.text, room, size, max_lines=1000, bold=p.kind == "heading")
        per = max(1, int(limit * 72 / (size * 1.2)) - 1)
        for k in range(0, len(lines), per):
            out.append(Para(" ".join(lines[k : k + per]), p.kind if k == 0 else "cont", p.n))
    return out


def flow(
    ctx: Deck, title: str, paras: list[Para], s: Any, boxes: list[Box], columns: int = 1
) -> None:
    """`paras` into `boxes` on slide `s`, then on to "(continued)" slides of `columns` columns,
    at the largest size that fits the first slide (else CONTINUED_SIZE throughout)."""
    if not paras:
        return
    size = best_size(paras, boxes)
    if not all_fit(paras, boxes, size):
        size = CONTINUED_SIZE
    later = COLUMNS if columns == 2 else [FULL]
    rest = split_long(paras, min(b.w for b in [*boxes, *later]), size)
    first = True
    while rest:
        for box in boxes:
            n = take(rest, box, size)
            if n == 0 and not first:
                n = 1
            if any(p.kind != "break" for p in rest[:n]):
                text_box(s, box, rest[:n], size)
            rest = rest[n:]
            if not rest:
                return
        s, boxes, first = ctx.slide(f"{title} (continued)"), later, False


def all_fit(paras: list[Para], boxes: list[Box], size: float) -> bool:
    rest = list(paras)
    for box in boxes:
        rest = rest[take(rest, box, size) :]
    return not rest


def paged_table(
    ctx: Deck,
    title: str,
    s: Any,
    box: Box,
    header: list[str],
    rows: list[list[str]],
    widths: list[float],
    *,
    numeric: set[int],
    fills: dict[tuple[int, int], str] | None = None,
    bold_last: bool = False,
) -> tuple[Any, float]:
    """The table at `box`, shrunk from 14 to as little as 10 points to fit, else at 14 with its
    rows carried on to "(continued)" slides; returns the last slide and the table's foot."""
    fills = fills or {}
    sizes = [14.0, 13.0, 12.0, 11.0, 10.0]
    # A cell so long that its row would not fit even a whole slide is cut short: the header to
    # a third of the slide, each row to what is left under it.
    header = shortened(header, widths, sizes[0], FULL.h / 3, bold=True)
    room = FULL.h - row_height(header, widths, sizes[0], True)
    rows = [shortened(r, widths, sizes[0], room) for r in rows]
    fitting = [z for z in sizes if table_rows_fitting(header, rows, widths, box.h, z) >= len(rows)]
    size = fitting[0] if fitting else sizes[0]  # shrink to fit one slide, else page at 14
    start, foot = 0, box.y
    first = row_height(header, widths, size, True) + (
        row_height(rows[0], widths, size, False) if rows else 0
    )
    if first > box.h and box.h < FULL.h:  # not one row fits here: the table starts a slide
        s = ctx.slide(f"{title} (continued)")
        box = Box(LEFT, BODY_TOP, box.w, FULL.h)
    while True:
        n = min(len(rows) - start, table_rows_fitting(header, rows[start:], widths, box.h, size))
        chunk_fills = {(r - start, c): f for (r, c), f in fills.items() if start <= r < start + n}
        frame = table(
            s,
            box,
            header,
            rows[start : start + n],
            widths,
            size,
            numeric=numeric,
            fills=chunk_fills,
            bold_last=bold_last and start + n == len(rows),
        )
        foot = box.y + frame.height / Inches(1)
        start += n
        if start >= len(rows):
            return s, foot
        s = ctx.slide(f"{title} (continued)")
        box = Box(LEFT, BODY_TOP, box.w, FULL.h)


def shortened(
    cells: list[str], widths: list[float], size: float, height: float, *, bold: bool = False
) -> list[str]:
    """The cells, the longest cut short (with "…") until the row is no taller than `height`
    (bounded: at most 40 cuts)."""
    cells = list(cells)
    for _ in range(40):
        if row_height(cells, widths, size, bold) <= height:
            break
        longest = max(range(len(cells)), key=lambda i: len(cells[i]))
        if len(cells[longest]) <= 2:
            break
        cells[longest] = cells[longest][: max(1, len(cells[longest]) * 3 // 5)].rstrip() + "…"
    return cells


def commentary(sections: list[dict[str, Any]], key: str, heading: str = "Commentary") -> list[Para]:
    lines = section_bullets(sections, key)
    return [Para(heading, "heading"), *[Para(line) for line in lines]] if lines else []
