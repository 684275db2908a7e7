"""The reports list: sorted by its column headers, filtered by kind and status, paged, and
only the reports the reader may read."""

import re

import pytest

from qa_app.extensions import db
from qa_app.models import Report, Role
from tests.cycles.cycle_factory import count_queries


def titles(html: str) -> list[str]:
    body = html.split('id="report-total"', 1)[1]
    return re.findall(
        r'<td class="govuk-table__cell"><a class="govuk-link" href="[^"]+">([^<]+)</a>', body
    )


def add_report(title: str, *, kind="cycle", status="draft", audience="internal") -> Report:
    report = Report(
        kind=kind,
        series_key=title,
        number=1,
        title=title,
        audience=audience,
        status=status,
        scope={},
        figures={},
        sections=[],
        key_findings={},
    )
    db.session.add(report)
    db.session.commit()
    return report


@pytest.fixture
def lead(client_as, loaded_templates):
    return client_as(Role.QA_LEAD)


def test_reports_sort_and_filter_by_kind_and_status(lead):
    add_report("Bravo", kind="lscb", status="published", audience="partnership")
    add_report("Alpha")
    html = lead.get("/reports/").get_data(as_text=True)
    assert titles(html) == ["Alpha", "Bravo"]  # newest first
    assert titles(lead.get("/reports/?sort=title").get_data(as_text=True)) == ["Alpha", "Bravo"]
    desc = lead.get("/reports/?sort=title&direction=desc").get_data(as_text=True)
    assert titles(desc) == ["Bravo", "Alpha"]
    board = lead.get("/reports/?kind=lscb").get_data(as_text=True)
    assert titles(board) == ["Bravo"] and "1 report." in board
    assert titles(lead.get("/reports/?status=draft").get_data(as_text=True)) == ["Alpha"]
    assert lead.get("/reports/?kind=<x>&sort=figures").status_code == 200


def test_a_board_viewer_lists_only_published_partnership_reports(lead, client_as):
    add_report("Internal draft")
    add_report("For the board", kind="lscb", status="published", audience="partnership")
    board = client_as(Role.BOARD_VIEWER)
    html = board.get("/reports/?status=draft").get_data(as_text=True)
    assert "Internal draft" not in html
    assert titles(board.get("/reports/").get_data(as_text=True)) == ["For the board"]


def test_the_reports_list_is_paged_in_a_constant_number_of_queries(lead):
    add_report("R000")
    with count_queries() as few:
        lead.get("/reports/")
    for n in range(1, 60):
        add_report(f"R{n:03}")
    with count_queries() as many:
        html = lead.get("/reports/?sort=title").get_data(as_text=True)
    assert len(many) == len(few)
    assert "60 reports, page 1 of 2." in html
    assert titles(html)[0] == "R000" and len(titles(html)) == 50
