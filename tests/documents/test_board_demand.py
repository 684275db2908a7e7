"""Demand in the same period in the board report (qa_app.documents.board_demand): under the
statistical information, the PDF and the Word document state each demand indicator's sentence
and then the audits of the same months, so the board reads audit findings beside demand; with
no indicator marked as demand there is no demand part at all (no heading over nothing); and a
report drafted before demand was frozen (schema 2) renders as it was."""

import pytest

from qa_app.documents.board_demand import DEMAND_HEADING, demand_part
from qa_app.extensions import db
from qa_app.models import Role
from qa_app.services import board_reports
from tests.documents import board_data
from tests.documents.test_board_outputs import docx_text, draft, pdf_text

RENDERERS = [(board_reports.pdf_bytes, pdf_text), (board_reports.docx_bytes, docx_text)]


@pytest.fixture
def lead(loaded_templates, make_user):
    return make_user(Role.QA_LEAD, username="senior.manager.a")


@pytest.fixture
def indicators(lead):
    return board_data.build(lead)["indicators"]


@pytest.mark.parametrize("render, read", RENDERERS, ids=["pdf", "docx"])
def test_the_board_reads_the_demand_then_the_audits_of_the_same_months(
    lead, indicators, render, read
):
    board_data.mark_demand(indicators)

    text = read(render(draft(lead)))

    # the last time each heading is named: the body, after the PDF's contents
    statistics = text.rindex("Statistical information and analysis")
    heading = text.rindex(DEMAND_HEADING)
    demand = text.index(board_data.CONTACTS_DEMAND)
    audits = text.index(board_data.AUDITS_SENTENCE)
    evidence = text.rindex("Evidence from case-file audits")
    assert statistics < heading < demand < audits < evidence


@pytest.mark.parametrize("render, read", RENDERERS, ids=["pdf", "docx"])
def test_with_no_demand_indicator_there_is_no_demand_heading(lead, indicators, render, read):
    text = read(render(draft(lead)))

    assert DEMAND_HEADING not in text
    assert board_data.AUDITS_SENTENCE not in text


def test_a_report_drafted_before_demand_was_frozen_still_renders(lead, indicators):
    board_data.mark_demand(indicators)
    report = draft(lead)
    figures = dict(report.figures)  # as schema 2 froze it: no "demand"
    figures.pop("demand")
    figures["schema"] = 2
    report.figures = figures
    db.session.commit()

    assert demand_part(report.figures) is None
    for render, read in RENDERERS:
        text = read(render(report))
        assert "Re-referrals within 12 months" in text  # the statistics as they were
        assert DEMAND_HEADING not in text and board_data.CONTACTS_DEMAND not in text


def test_a_demand_part_holds_each_sentence_frozen_in_the_figures():
    figures = {
        "demand": {
            "rows": [{"sentence": "Referrals rose."}, {"sentence": "Children in care fell."}],
            "audits": {"sentence": "12 audits were completed."},
        }
    }

    part = demand_part(figures)

    assert part is not None
    assert part.lines == ["Referrals rose.", "Children in care fell."]
    assert part.audits == "12 audits were completed."
    assert demand_part({"demand": {"rows": [], "audits": {"sentence": "x"}}}) is None
    assert demand_part({}) is None
