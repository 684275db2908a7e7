"""The QA lead sees the team names a case list must use, and downloads a blank one."""

import io

import pytest
from openpyxl import load_workbook

from qa_app.data.organisation import save_locality, save_team
from qa_app.models import Role
from tests.cycles.cycle_factory import make_cycle


@pytest.fixture
def lead(client_as, loaded_templates):
    return client_as(Role.QA_LEAD)


def test_the_upload_page_lists_the_active_teams_a_case_list_may_name(lead):
    central = save_locality("Central", actor=None)
    save_team("MASH", central, True, actor=None)
    save_team("=Old team", None, False, actor=None)
    cycle = make_cycle()
    page = lead.get(f"/cycles/{cycle.id}/case-list").get_data(as_text=True)
    assert "The 1 team name a case list may use" in page
    assert "MASH" in page and "Central" in page
    assert "Old team" not in page
    assert "/cycles/case-list-template.xlsx" in page


def test_the_blank_case_list_has_the_columns_and_the_teams_as_text(lead):
    save_team("=HYPERLINK(1)", None, True, actor=None)
    save_team("MASH", None, True, actor=None)
    response = lead.get("/cycles/case-list-template.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    first, teams = book.worksheets
    assert [c.value for c in first[1]] == [
        "case_reference",
        "team",
        "worker",
        "legal_status",
        "age_band",
        "date_opened",
    ]
    names = [row[0].value for row in teams.iter_rows(min_row=2)]
    assert names == ["=HYPERLINK(1)", "MASH"]
    assert teams["A2"].data_type == "s"  # text, never a formula


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.BOARD_VIEWER, Role.ADMIN])
def test_only_the_qa_lead_downloads_the_blank_case_list(client_as, role):
    assert client_as(role).get("/cycles/case-list-template.xlsx").status_code == 403
