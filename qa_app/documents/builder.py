"""The builder API every report is written through, as types: ReportDocument (the PDF,
qa_app.documents.pdf.document) and DocxDocument (Word, qa_app.documents.docx_base) both have
it, so one report builder takes either class (`document=`) and the two files hold the same
text. Pure: types only."""

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from reportlab.graphics.shapes import Drawing

from qa_app.documents.pdf.document import Marking

# A reportlab table command over a cell range, e.g. ("BACKGROUND", (col, row), (col, row), fill)
CellCommand = tuple[str, tuple[int, int], tuple[int, int], Any]


class StyledTable(Protocol):
    """What `table` returns: a table that takes reportlab's cell commands (the Word one reads
    only BACKGROUND, to tint cells)."""

    def setStyle(self, commands: list[CellCommand], /) -> None: ...  # noqa: N802 (reportlab's)


class ReportBuilder(Protocol):
    """One report being written: headings, text, figures and tables, then `build()`."""

    @property
    def width(self) -> float: ...

    def heading(self, text: str, level: int = 1) -> object: ...

    def paragraph(self, text: str, markup: bool = False) -> object: ...

    def note(self, text: str, markup: bool = False) -> object: ...

    def bullets(self, items: Iterable[str], markup: bool = False) -> object: ...

    def numbered(self, items: Iterable[str], markup: bool = False) -> object: ...

    def key_figures(
        self, figures: Iterable[tuple[object, object]], markup: bool = False
    ) -> object: ...

    def table(
        self,
        header: Sequence[object],
        rows: Iterable[Sequence[object]],
        col_widths: Sequence[float] | None = None,
        numeric_columns: Iterable[int] = (),
        caption: str | None = None,
        markup: bool = False,
    ) -> StyledTable: ...

    def chart(self, drawing: Drawing, caption: str | None = None) -> object: ...

    def page_break(self) -> object: ...

    def first_page(self) -> AbstractContextManager[object]: ...

    def build(self) -> bytes: ...


class BuilderClass(Protocol):
    """ReportDocument or DocxDocument, the class: what a report builder's `document=` takes."""

    def __call__(
        self,
        title: str,
        subtitle: str = "",
        organisation: str = "",
        marking: Marking = Marking.OFFICIAL_SENSITIVE,
        status_line: str = "",
        meta: Iterable[tuple[str, str]] = (),
        short_title: str | None = None,
        invariant: bool = True,
    ) -> ReportBuilder: ...
