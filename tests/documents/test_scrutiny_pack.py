"""The scrutiny committee's performance pack as PDF and Word states seed 004's figures exactly
(tests/documents/scrutiny_data): the cover, each area's figures with RAG in words, the
breakdowns by locality and service, the recruitment table with the same decimals down each
column, the definitions, the commentary, then demand, the practice week, the audit themes and
the actions with UK dates; and it reads well when parts are empty."""

from io import BytesIO

import pytest
from docx import Document
from pypdf import PdfReader

from qa_app.documents.docx_base import docx_text
from qa_app.documents.scrutiny_docx import scrutiny_docx
from qa_app.documents.scrutiny_pdf import scrutiny_pdf
from tests.documents import scrutiny_data as seed

RECRUITMENT_LINES = [
    "Team Manager 32.00 2.50 7.8% 70.3% 40.6%",
    "Assistant Team Manager 14.00 1.15 8.2% 84.6% 35.7%",
    "Social Worker (Exp & ASYE) 197.01 36.05 18.3% 58.0% 36.5%",
    "Family Practitioner 67.81 14.27 21.0% 91.6% 4.4%",
    "Personal Adviser (Care Leavers) 33.81 5.39 15.9% 88.2% 5.9%",
    "Total 348.63 63.36 18.2% 69.0% 27.2%",
]
STATED = [
    "Performance to the end of September 2021",
    "Example Council",
    "Draft 2: not for circulation",
    "Locality: South 77% (amber), North 59% (red), Mid and East 58% (red), City 82% (green)",
    "Service: Disabled Children Service 67% (red), Social Workers in Schools 74% (amber)",
    "Children on a child in need plan 686 – – – +5% (from 654)",
    "Children in need visited within timescale 77% Amber 80% +4% (from 74%) −3% (from 79%)",
    "Re-referrals within 12 months: Statistical neighbours 21.5% (2020-21); England 22.7%",
    "Good looks like: Every child on a plan is seen at least every four weeks.",
    "Visits slipped in North and Mid and East while staff changed over the summer.",
    "Referrals rose by 18% between April and September 2021, compared with the same period",
    "120 audits were completed in the period; 70 (58%) judged good or better.",
    "Practice week October 2021: 4 to 8 October 2021.",
    "Coaching for managers on supervision and oversight. Head of service 30 November 2021",
    "15 December 2021 At risk",
]


def _render(kind, figures=None, sections=None):
    render = scrutiny_pdf if kind == "pdf" else scrutiny_docx
    return render(
        seed.figures() if figures is None else figures,
        seed.SECTIONS if sections is None else sections,
        title=seed.TITLE,
        status=seed.STATUS,
        organisation=seed.ORGANISATION,
    )


def pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    return " ".join(text.split())


def word_text(data: bytes) -> str:
    return docx_text(data)


def _text(kind: str, **kw) -> str:
    data = _render(kind, **kw)
    return pdf_text(data) if kind == "pdf" else word_text(data)


@pytest.fixture(scope="module")
def texts():
    return {kind: _text(kind) for kind in ("pdf", "docx")}


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_the_pack_states_seed_004s_figures_exactly(texts, kind):
    text = texts[kind]
    for stated in STATED:
        assert stated in text, stated


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_the_pack_is_marked_official_for_the_partnership_never_sensitive(texts, kind):
    assert "OFFICIAL" in texts[kind]
    assert "OFFICIAL-SENSITIVE" not in texts[kind]


def test_the_word_recruitment_table_reads_row_by_row_with_the_same_decimals_down_each_column():
    document = Document(BytesIO(_render("docx")))
    rows = [
        " ".join(cell.text for cell in row.cells) for table in document.tables for row in table.rows
    ]
    for line in RECRUITMENT_LINES:
        assert line in rows


def test_the_pdf_recruitment_table_reads_row_by_row_with_the_same_decimals(texts):
    for line in RECRUITMENT_LINES:
        assert line in texts["pdf"], line


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_the_trend_data_sits_beside_the_chart_month_by_month(texts, kind):
    text = texts[kind]
    # the three month-and-value columns read across: July 2020 650 beside January 2021 605
    assert "Jul 2020 650 Jan 2021 605 Jul 2021 –" in text
    assert "Sep 2020 654 Mar 2021 629 Sep 2021 686" in text


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_quick_wins_are_numbered_and_headline_findings_are_listed(kind):
    text = _text(kind)
    for win in seed.QUICK_WINS:
        assert win in text
    if kind == "docx":
        paragraphs = [p.text for p in Document(BytesIO(_render("docx"))).paragraphs]
        assert "1.\t" + seed.QUICK_WINS[0] in paragraphs
        assert "5.\t" + seed.QUICK_WINS[4] in paragraphs
    assert "Strategy meetings need sharper direction from managers on next steps." in text


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_a_pack_with_no_practice_week_actions_or_areas_says_so(kind):
    figures = seed.figures()
    figures.update(areas=[], practice_week=None, actions=[], audit_themes={}, demand={})
    text = _text(kind, figures=figures, sections=[])
    assert "No practice week was held in this period." in text
    assert "No improvement-plan actions are recorded for this period." in text
    assert "No indicators have figures for this month." in text
    assert "No case-file audits were completed in the period." in text


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_the_commentary_drops_a_leading_dash_and_blank_lines(kind):
    text = _text(kind)
    assert "- More staff" not in text
    assert "More staff have been agreed for the front door." in text
