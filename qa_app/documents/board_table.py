"""A table of the single-agency report to the safeguarding board, as every renderer (page, PDF,
DOCX) draws it: a caption, a header and rows of cells, each cell with its text, the page its
number was computed from and a status colour. Pure: no database, no Flask."""

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Cell:
    text: str
    # (endpoint, URL arguments) of the page the number was computed from; the web page alone
    # turns it into a link.
    link: tuple[str, dict[str, Any]] | None = None
    rag: str | None = None  # red, amber, green, blue (complete) or grey: a status shown in colour

    def __str__(self) -> str:
        return self.text


@dataclass
class BoardTable:
    caption: str
    header: list[str]
    rows: list[list[Cell]]
    numeric: set[int] = field(default_factory=set)
    widths: list[float] | None = None  # fractions of the text width, for the PDF
