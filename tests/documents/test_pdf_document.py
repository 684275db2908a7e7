"""The PDF house style, read back as a reader would: text extracted page by page with pypdf."""

import re
from io import BytesIO

import pytest
from pypdf import PdfReader
from reportlab.graphics.shapes import Drawing, Rect, String

from qa_app.documents.pdf.document import Marking, ReportDocument
from qa_app.documents.pdf.flowables import plain

TITLE = "Audit cycle report: Monthly audit November 2026"
HEADER = ["Case reference", "Team", "Grade", "Actions"]
HEADINGS = [("Summary", 1), ("Grades in detail", 2), ("Every audit", 1)]
TRICKY = "Tags such as <b>bold</b> & <i>stay</i> literal"


def make_document(marking: Marking = Marking.OFFICIAL_SENSITIVE) -> ReportDocument:
    doc = ReportDocument(
        title=TITLE,
        subtitle="Findings from 120 case audits, 1–30 November 2026",
        organisation="Example Council — Children's Services Quality Assurance",
        marking=marking,
        status_line="Draft 3 — not for circulation",
        meta=[("Prepared by", "Quality assurance team"), ("Period", "1–30 November 2026")],
    )
    doc.heading("Summary", level=1)
    doc.paragraph("120 audits were completed; 57% were judged good or better.")
    doc.key_figures([("120", "audits completed"), ("57%", "good or better"), ("0.71", "kappa")])
    doc.paragraph(TRICKY)
    doc.heading("Grades in detail", level=2)
    drawing = Drawing(300, 120)
    drawing.add(Rect(10, 10, 200, 80, fillColor=None))
    drawing.add(String(20, 100, "Chart label inside the drawing"))
    doc.chart(drawing, caption="Figure 1: A simple chart")
    doc.note("Counts below 5 are hidden.")
    doc.page_break()
    doc.heading("Every audit", level=1)
    rows = [[f"CR-{100000 + i}", f"Team {i % 6}", "Good", str(i % 9)] for i in range(120)]
    doc.table(HEADER, rows, numeric_columns={3}, caption="Table 1: Every audit in the cycle")
    return doc


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return make_document().build()


@pytest.fixture(scope="module")
def pages(pdf) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


def first_page_with(pages: list[str], text: str, start: int = 2) -> int:
    """1-based number of the first page (from page `start`, 0-based) containing `text`."""
    return next(i + 1 for i, page in enumerate(pages) if i >= start and text in page)


def test_cover_has_title_subtitle_status_and_meta(pages):
    cover = re.sub(r"\s+", " ", pages[0])  # the title wraps
    for text in (TITLE, "Findings from 120 case audits", "Draft 3", "Prepared by", "Period"):
        assert text in cover
    assert "Page " not in cover  # no page number clutter on the cover


def test_marking_top_and_bottom_of_every_page(pages):
    assert len(pages) >= 5
    for page in pages:
        assert page.count("OFFICIAL-SENSITIVE") >= 2


def test_page_x_of_y_on_every_page_after_the_cover(pages):
    total = len(pages)
    for number, page in enumerate(pages[1:], start=2):
        assert f"Page {number} of {total}" in page
        assert "Draft 3" in page  # status line, footer left
        assert "Audit cycle report" in page  # running head


def test_contents_lists_headings_with_their_page_numbers(pdf, pages):
    # Layout mode keeps each entry on its line: "Summary . . . . 3"
    contents = PdfReader(BytesIO(pdf)).pages[1].extract_text(extraction_mode="layout")
    assert "Contents" in contents
    for text, _level in HEADINGS:
        page_number = first_page_with(pages, text)
        line = re.escape(text) + r"[ .]*" + str(page_number) + r"$"
        assert re.search(line, contents, re.MULTILINE), text


def test_long_table_repeats_its_header_and_leaves_no_orphan_header(pages):
    with_rows = [p for p in pages if re.search(r"CR-1000\d\d", p)]
    assert len(with_rows) >= 3
    for page in with_rows:
        assert all(label in page for label in HEADER)
    for page in pages[2:]:
        if "Case reference" in page:
            assert re.search(r"CR-1000\d\d", page)  # the header never stands alone
    all_text = "\n".join(pages)
    assert all(f"CR-{100000 + i}" in all_text for i in range(120))


def test_captions_stay_with_what_they_caption(pages):
    table_page = first_page_with(pages, "Table 1: Every audit")
    assert "CR-100000" in pages[table_page - 1]
    figure_page = first_page_with(pages, "Figure 1: A simple chart")
    assert "Chart label inside the drawing" in pages[figure_page - 1]


def test_plain_text_is_escaped_and_appears_literally(pages):
    body = "\n".join(pages[2:])
    assert "<b>bold</b> & <i>stay</i>" in re.sub(r"\s+", " ", body)


def test_key_figures_and_note_are_shown(pages):
    body = "\n".join(pages[2:])
    for text in ("120", "audits completed", "57%", "kappa", "Counts below 5 are hidden"):
        assert text in body


def test_identical_input_gives_identical_bytes(pdf):
    assert pdf.startswith(b"%PDF")
    assert make_document().build() == pdf
    doc = make_document()
    assert doc.build() == doc.build() == pdf  # building twice does not change the story


def test_official_marking_and_markup_escape_hatch():
    doc = make_document(Marking.OFFICIAL)
    doc.paragraph("A <b>bold</b> fragment", markup=True)
    pages = [p.extract_text() for p in PdfReader(BytesIO(doc.build())).pages]
    assert all(page.count("OFFICIAL") >= 2 for page in pages)
    assert not any("SENSITIVE" in page for page in pages)
    assert "A bold fragment" in pages[-1]


def test_plain_escapes_markup_and_keeps_line_breaks():
    assert plain("a < b & c > d") == "a &lt; b &amp; c &gt; d"
    assert plain("one\ntwo") == "one<br/>two"
    assert plain("<b>x</b>", markup=True) == "<b>x</b>"
    assert plain(None) == ""


def test_heading_levels_are_checked():
    with pytest.raises(ValueError):
        ReportDocument(title="x").heading("Too deep", level=4)


def test_a_report_without_headings_has_no_contents_page():
    doc = ReportDocument(title="Short note", marking=Marking.OFFICIAL)
    doc.paragraph("Nothing to list in a contents page.")
    pages = [p.extract_text() for p in PdfReader(BytesIO(doc.build())).pages]
    assert len(pages) == 2
    assert "Contents" not in pages[1] and "Placeholder" not in pages[1]
    assert "Page 2 of 2" in pages[1]
    empty = ReportDocument(title="Empty").build()
    assert len(PdfReader(BytesIO(empty)).pages) == 1
