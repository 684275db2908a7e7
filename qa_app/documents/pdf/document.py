"""ReportDocument: the house-style PDF every report builder writes into. A cover with the
protective marking, a contents page, then the body; every page carries the marking at top and
bottom, body pages a running head and "Page X of Y". Builders append through the helpers (or
straight onto `story`) and call `build()` for the PDF's bytes."""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from io import BytesIO
from typing import Any, TypedDict, TypeVar, Unpack

from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    ListFlowable,
    ListItem,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Table,
)
from reportlab.platypus.tableofcontents import TableOfContents

from qa_app.documents.pdf import styles as s
from qa_app.documents.pdf.flowables import (
    FitDrawing,
    KeepWithStart,
    KeyFigures,
    cover_flowables,
    data_table,
    fit_text,
    heading,
    meta_table,
    para,
    plain,
)
from qa_app.rules.control_characters import writable


class Marking(StrEnum):
    """Government Security Classifications marking shown on every page."""

    OFFICIAL = "OFFICIAL"
    OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE"

    @property
    def handling(self) -> str:
        if self is Marking.OFFICIAL_SENSITIVE:
            return "Share only with people who need to know. Do not publish or forward it."
        return "Handle in line with the council's information governance policy."


class _NumberedCanvas(Canvas):
    """The standard two-step recipe for "Page X of Y": pages are held back until the total is
    known, then each numbered page gets its footer number. Page decorators set `qa_numbered`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # as reportlab's Canvas
        super().__init__(*args, **kwargs)
        self._page_states: list[dict[str, Any]] = []
        self.qa_numbered = False

    def showPage(self) -> None:
        self._page_states.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # Canvas's own, not in the stubs

    def save(self) -> None:
        total = len(self._page_states)
        for state in self._page_states:
            self.__dict__.update(state)
            if self.qa_numbered:
                self.setFont(s.FONT, s.RUNNING_SIZE)
                self.setFillColor(s.colour("secondary"))
                page = self._pageNumber  # type: ignore[attr-defined]  # Canvas's, not stubbed
                label = f"Page {page} of {total}"
                self.drawRightString(s.PAGE_SIZE[0] - s.MARGIN, s.FOOTER_BASELINE, label)
            super().showPage()
        super().save()


class _Template(BaseDocTemplate):
    """Two page templates (cover, body); feeds level 1-2 headings to the contents and outline."""

    def __init__(self, buffer: BytesIO, report: "ReportDocument") -> None:
        super().__init__(
            buffer,
            pagesize=s.PAGE_SIZE,
            leftMargin=s.MARGIN,
            rightMargin=s.MARGIN,
            topMargin=s.MARGIN,
            bottomMargin=s.MARGIN,
            title=report.title,
            author=report.organisation,
            subject=report.subtitle,
            creator="Practice QA",
            invariant=report.invariant,
            keepTogetherClass=KeepWithStart,
        )
        pad = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}
        lift = s.COVER_MARKING_HEIGHT + 0.8 * cm  # the cover's marking panel sits below
        cover = Frame(s.MARGIN, s.MARGIN + lift, self.width, self.height - lift, id="cover", **pad)
        body = Frame(s.MARGIN, s.MARGIN, self.width, self.height, id="body", **pad)
        self.addPageTemplates(
            [
                PageTemplate("cover", [cover], onPage=report._decorate_cover),
                PageTemplate("body", [body], onPage=report._decorate_body),
            ]
        )

    def beforeDocument(self) -> None:
        self._outline_level = -1

    def afterFlowable(self, flowable: Flowable) -> None:
        level: int | None = getattr(flowable, "toc_level", None)
        if level is None:
            return
        # a heading's contents entry (flowables.heading puts it on the paragraph)
        key, text = flowable.toc_key, flowable.toc_text  # type: ignore[attr-defined]
        self.notify("TOCEntry", (level - 1, plain(text), self.page, key))
        outline_level = min(level - 1, self._outline_level + 1)
        self.canv.addOutlineEntry(text, key, level=outline_level, closed=False)
        self._outline_level = outline_level


F = TypeVar("F", bound=Flowable)


class _ListKind(TypedDict, total=False):
    """How a list is numbered or bulleted (ListFlowable's keywords)."""

    bulletType: str
    start: str
    bulletFormat: str


class ReportDocument:
    """One report in the house style. See the package docstring for the builder API."""

    def __init__(
        self,
        title: str,
        subtitle: str = "",
        organisation: str = "",
        marking: Marking = Marking.OFFICIAL_SENSITIVE,
        status_line: str = "",
        meta: Iterable[tuple[str, str]] = (),
        short_title: str | None = None,
        invariant: bool = True,
    ) -> None:
        # drawn on the canvas and written in the file's properties, not through a Paragraph:
        # made writable here (see flowables.plain)
        title, subtitle, organisation = writable(title), writable(subtitle), writable(organisation)
        self.title, self.subtitle, self.organisation = title, subtitle, organisation
        self.marking = Marking(marking)
        self.status_line = writable(status_line)
        self.meta = [(str(k), str(v)) for k, v in meta]
        self.short_title = writable(short_title) or title
        self.invariant = invariant
        self.story: list[Flowable] = []
        self._first: list[Flowable] = []  # a one-page summary on the cover, under the title
        self._headings = 0

    @property
    def width(self) -> float:
        """The text width in points, for builders sizing charts."""
        return s.PAGE_SIZE[0] - 2 * s.MARGIN

    def _add(self, flowable: F) -> F:
        self.story.append(flowable)
        return flowable

    # Builder helpers. Text is plain (escaped) unless markup=True.
    def heading(self, text: str, level: int = 1) -> Flowable:
        if level not in (1, 2, 3):
            raise ValueError("heading level must be 1, 2 or 3")
        self._headings += 1
        return self._add(heading(text, level, f"section-{self._headings}"))

    def paragraph(self, text: str, markup: bool = False) -> Flowable:
        return self._add(para(text, "body", markup))

    def note(self, text: str, markup: bool = False) -> Flowable:
        return self._add(para(text, "note", markup))

    def bullets(self, items: Iterable[str], markup: bool = False) -> Flowable:
        return self._add(self._list(items, markup, bulletType="bullet", start="•"))

    def numbered(self, items: Iterable[str], markup: bool = False) -> Flowable:
        return self._add(self._list(items, markup, bulletType="1", bulletFormat="%s."))

    def _list(self, items: Iterable[str], markup: bool, **kind: Unpack[_ListKind]) -> ListFlowable:
        body = s.style("list_item")
        return ListFlowable(
            # ListFlowable takes ListItems; the stubs allow only flowables
            [ListItem(para(item, "list_item", markup)) for item in items],  # type: ignore[misc]
            leftIndent=18,
            bulletFontName=s.FONT,
            bulletFontSize=body.fontSize,
            bulletColor=s.colour("brand"),
            spaceAfter=body.spaceAfter + 4,
            **kind,
        )

    def key_figures(
        self, figures: Iterable[tuple[object, object]], markup: bool = False
    ) -> Flowable:
        return self._add(KeyFigures(figures, markup))

    def table(
        self,
        header: Sequence[object],
        rows: Iterable[Sequence[object]],
        col_widths: Sequence[float] | None = None,
        numeric_columns: Iterable[int] = (),
        caption: str | None = None,
        markup: bool = False,
    ) -> Table:
        if caption:
            self._add(para(caption, "caption"))  # keepWithNext: stays with the first rows
        table = data_table(header, rows, self.width, col_widths, numeric_columns, markup)
        return self._add(table)

    def chart(self, drawing: Drawing, caption: str | None = None) -> Flowable:
        if caption:
            self._add(para(caption, "caption"))  # keepWithNext: never apart from the chart
        return self._add(FitDrawing(drawing))

    def page_break(self) -> Flowable:
        return self._add(PageBreak())

    @contextmanager
    def first_page(self) -> Iterator["ReportDocument"]:
        """What the helpers add inside this block goes on the first page, under the title (a
        one-page summary); the cover's details then open the body instead."""
        body, self.story = self.story, self._first
        try:
            yield self
        finally:
            self.story = body

    def build(self) -> bytes:
        """The PDF. Two or more passes (multiBuild) resolve the contents' page numbers."""
        contents = TableOfContents(
            levelStyles=[s.style("toc1"), s.style("toc2")], dotsMinLevel=0, rightColumnWidth=40
        )
        body = list(self.story)
        while body and isinstance(body[-1], PageBreak):
            body.pop()
        first = list(self._first)
        cover = cover_flowables(
            self.organisation,
            self.title,
            self.subtitle,
            self.status_line,
            [] if first else self.meta,
            self.width,
            compact=bool(first),
        )
        story = [NextPageTemplate("body"), *cover, *first, PageBreak()]
        if first and self.meta:
            body = [meta_table(self.meta, self.width), para("", "body"), *body]
        if any(hasattr(f, "toc_level") for f in body):  # no headings, no contents page
            story += [para("Contents", "contents_title"), contents, PageBreak()]
        story += body
        kept = {id(f): f.__dict__.get("keepWithNext", _MISSING) for f in body}
        buffer = BytesIO()
        try:
            _Template(buffer, self).multiBuild(story, canvasmaker=_NumberedCanvas)
        finally:  # reportlab clears keepWithNext on grouped flowables: undo, so build() repeats
            for f in body:
                f.__dict__.pop("keepWithNext", None)
                if kept[id(f)] is not _MISSING:
                    f.__dict__["keepWithNext"] = kept[id(f)]
        return buffer.getvalue()

    # The cover and the page furniture.
    def _decorate_cover(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        if isinstance(canv, _NumberedCanvas):
            canv.qa_numbered = False
        self._markings(canv)
        look = s.MARKING_LOOK[self.marking.value]
        x, y, h = s.MARGIN, s.MARGIN, s.COVER_MARKING_HEIGHT
        canv.saveState()
        canv.setFillColor(s.colour(look["band"]))
        canv.setStrokeColor(s.colour(look["border"]))
        canv.setLineWidth(1.2)
        canv.rect(x, y, self.width, h, stroke=1, fill=1)
        canv.setFillColor(s.colour(look["text"]))
        canv.setFont(s.FONT_BOLD, 20)
        canv.drawCentredString(x + self.width / 2, y + h - 0.95 * cm, self.marking.value)
        canv.setFont(s.FONT, 9)
        canv.setFillColor(s.colour("text"))
        canv.drawCentredString(x + self.width / 2, y + 0.7 * cm, self.marking.handling)
        canv.restoreState()

    def _decorate_body(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        if isinstance(canv, _NumberedCanvas):
            canv.qa_numbered = True
        badge = self._markings(canv)
        room = self.width / 2 - badge / 2 - 12
        canv.saveState()
        canv.setFont(s.FONT, s.RUNNING_SIZE)
        canv.setFillColor(s.colour("secondary"))
        left = s.MARGIN
        canv.drawString(
            left, s.HEADER_BASELINE, fit_text(self.short_title, s.FONT, s.RUNNING_SIZE, room)
        )
        canv.drawString(
            left, s.FOOTER_BASELINE, fit_text(self.status_line, s.FONT, s.RUNNING_SIZE, room)
        )
        canv.setStrokeColor(s.colour("rule"))
        canv.setLineWidth(0.5)
        canv.line(left, s.HEADER_RULE, left + self.width, s.HEADER_RULE)
        canv.line(left, s.FOOTER_RULE, left + self.width, s.FOOTER_RULE)
        canv.restoreState()

    def _markings(self, canv: Canvas) -> float:
        """The marking badge centred in the header and footer; returns the badge width."""
        look = s.MARKING_LOOK[self.marking.value]
        size, text = s.RUNNING_SIZE + 1, self.marking.value
        w = stringWidth(text, s.FONT_BOLD, size) + 16
        centre = s.PAGE_SIZE[0] / 2
        canv.saveState()
        for baseline in (s.HEADER_BASELINE, s.FOOTER_BASELINE):
            canv.setFillColor(s.colour(look["band"]))
            canv.setStrokeColor(s.colour(look["border"]))
            canv.setLineWidth(0.6)
            canv.roundRect(centre - w / 2, baseline - 4, w, size + 6, 2, stroke=1, fill=1)
            canv.setFillColor(s.colour(look["text"]))
            canv.setFont(s.FONT_BOLD, size)
            canv.drawCentredString(centre, baseline, text)
        canv.restoreState()
        return w


_MISSING = object()
