"""The board report's page shows demand in the same period under its statistical information:
each demand indicator's sentence, then the audits of the same months; with no indicator marked
as demand, no demand heading."""

import pytest

from qa_app.documents.board_demand import DEMAND_HEADING
from qa_app.models import Role
from tests.documents import board_data
from tests.documents.test_board_outputs import draft
from tests.reporting.test_board_reports import text_of


@pytest.fixture
def indicators(loaded_templates, make_user):
    return board_data.build(make_user(Role.SENIOR_MANAGER, username="senior.manager.a"))[
        "indicators"
    ]


def test_the_board_report_page_shows_demand_beside_the_audits(client_as, indicators):
    board_data.mark_demand(indicators)
    lead = client_as(Role.QA_LEAD)
    report = draft(lead.user)

    page = text_of(lead.get(f"/reports/board/{report.id}"))

    statistics = page.index("Statistical information and analysis")
    heading = page.index(DEMAND_HEADING)
    demand = page.index(board_data.CONTACTS_DEMAND)
    audits = page.index(board_data.AUDITS_SENTENCE)
    assert statistics < heading < demand < audits < page.index("Evidence from case-file audits")


def test_with_no_demand_indicator_the_page_has_no_demand_heading(client_as, indicators):
    lead = client_as(Role.QA_LEAD)
    report = draft(lead.user)

    page = text_of(lead.get(f"/reports/board/{report.id}"))

    assert "Statistical information and analysis" in page
    assert DEMAND_HEADING not in page
