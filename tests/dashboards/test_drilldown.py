"""The drill-down: every number on the case-level dashboards links to the audits it was counted
from, the list holds exactly those audits, says what was asked for, pages by 50, refuses
board viewers and administrators, and answers an address it cannot read with a 400 page."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from qa_app.extensions import db
from qa_app.findings import present
from qa_app.findings.filters import last_twelve_months
from qa_app.models import Role, SecurityEvent
from qa_app.rules.uk_time import uk_today
from tests.dashboards import completed_audit, drill_links, make_teams, text

SA = "Single assessment (child and family assessment)"


def references(html: str) -> list[str]:
    return sorted(re.findall(r">(?:<span[^>]*>[^<]*</span>)?(\d{8})</a>", html))


def total(html: str) -> int:
    match = re.search(r'id="drill-total">([\d,]+) audit', html)
    assert match, html[:2000]
    return int(match.group(1).replace(",", ""))


def period_args() -> str:
    start, end = last_twelve_months(uk_today())
    return f"from={start.isoformat()}&to={end.isoformat()}"


def words(start: date, end: date) -> str:
    return present.period_text(start, end)


def test_drilldown_lists_exactly_the_audits_behind_a_grade(lead):
    response = lead.get(f"/findings/audits?{period_args()}&template=single_assessment&grade=good")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert references(html) == ["70000001", "70000005"]  # not 70000007: before the period
    assert total(html) == 2
    start, end = last_twelve_months(uk_today())
    assert f"{SA} audits judged Good, completed {words(start, end)}." in text(html)
    assert '<a class="govuk-link" href="/audits/' in html
    page = text(html)
    assert "Test ann.auditor" in page and "Team A" in page and "Team B" in page


SEEN_ALONE = "Was the child seen alone, where their age and understanding allow?"
CELLS = [
    (
        "section=timeliness&grade=inadequate",
        ["70000004"],
        "whose section 'Timeliness' was judged Inadequate",
    ),
    (
        "theme=voice_of_child&mark=development",
        ["70000003", "70000004"],
        "with the theme 'Voice of the child' marked as an area for development",
    ),
    (
        "template=single_assessment&question=child_seen_alone&value=partly",
        ["70000005"],
        f"answering '{SEEN_ALONE}' with 'Partly'",
    ),
    (
        "question=report_provided&value=no&group=agency_report&block=school",
        ["70000009"],
        "with 'No' for School",
    ),
    ("status=in_progress", ["70000006"], "with the status 'In progress'"),
    ("moderation=completed", ["70000002"], "that have been moderated"),
]


@pytest.mark.parametrize(("cell", "expected", "sentence"), CELLS)
def test_drilldown_cells(lead, cell, expected, sentence):
    html = lead.get(f"/findings/audits?{period_args()}&{cell}").get_data(as_text=True)
    assert references(html) == expected
    assert sentence in text(html)


def test_drilldown_by_month_and_team(lead, known):
    old = uk_today() - timedelta(days=400)
    html = lead.get(f"/findings/audits?month={old:%Y-%m}").get_data(as_text=True)
    assert references(html) == ["70000007"]
    team = known["teams"]["B"].id
    html = lead.get(f"/findings/audits?{period_args()}&team={team}").get_data(as_text=True)
    assert references(html) == ["70000004", "70000005", "70000008"]
    assert "in the team Team B" in text(html)


@pytest.mark.parametrize(
    "path",
    [
        "/findings/",
        "/findings/templates/single_assessment",
        "/findings/templates/icpc_reports",
        "/findings/templates/cin_plan",
        "/findings/themes",
        "/findings/teams",
    ],
)
def test_every_number_links_to_exactly_its_audits(lead, path):
    html = lead.get(path).get_data(as_text=True)
    links = drill_links(html)
    assert links, path
    for href, shown in links:
        response = lead.get(href)
        assert response.status_code == 200, href
        assert total(response.get_data(as_text=True)) == shown, href


def test_grade_counts_link_with_the_filters_and_the_cell(lead, known):
    team = known["teams"]["A"].id
    html = lead.get(f"/findings/?team={team}").get_data(as_text=True)
    hrefs = [h for h, _ in drill_links(html)]
    assert any(
        "template=single_assessment" in h and "grade=good" in h and f"team={team}" in h
        for h in hrefs
    )
    html = lead.get("/findings/templates/single_assessment").get_data(as_text=True)
    hrefs = [h for h, _ in drill_links(html)]
    assert any("section=timeliness" in h and "grade=outstanding" in h for h in hrefs)
    assert any("question=child_seen_alone" in h and "value=yes" in h for h in hrefs)


@pytest.mark.parametrize("role", [Role.BOARD_VIEWER, Role.ADMIN, Role.AUDITOR])
def test_drilldown_is_refused_outside_the_case_level_tier(client_as, known, role):
    client = client_as(role)
    response = client.get("/findings/audits?grade=good")
    assert response.status_code == 403
    assert "7000000" not in response.get_data(as_text=True)
    logged = db.session.scalars(
        select(SecurityEvent.detail).where(
            SecurityEvent.event == "permission_refused",
            SecurityEvent.username == client.user.username,
        )
    ).all()
    assert logged == ["/findings/audits"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("grade=Good!", "'grade' is not a value this list can be filtered by"),
        ("month=2026-13", "'month' is not a value this list can be filtered by"),
        ("mark=strength", "'mark' needs a 'theme'"),
        ("theme=voice_of_child&mark=great", "'mark' must be strength, development or not_seen"),
        ("status=lost", "'status' must be one of"),
        ("value=yes", "'value' needs a 'question'"),
        ("moderation=maybe", "'moderation' must be completed or pending"),
        ("from=yesterday", "'from': Enter a date"),
        ("page=0", "'page' must be a page number"),
        ("page=abc", "'page' must be a page number"),
    ],
)
def test_drilldown_bad_address_is_a_clear_400(lead, query, message):
    response = lead.get(f"/findings/audits?{query}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "These audits cannot be listed" in html
    assert message in text(html)


def test_drilldown_pages_by_fifty(client_as, make_user, loaded_templates):
    teams = make_teams()
    auditor = make_user(Role.AUDITOR)
    for i in range(53):
        completed_audit("cin_plan", f"8{i:07d}", teams["A"], auditor, overall="good")
    lead = client_as(Role.MODERATOR)
    first = lead.get("/findings/audits?template=cin_plan&grade=good").get_data(as_text=True)
    assert total(first) == 53
    assert len(references(first)) == 50
    assert "page 1 of 2" in text(first)
    assert "/findings/audits?template=cin_plan&amp;grade=good&amp;page=2" in first
    second = lead.get("/findings/audits?template=cin_plan&grade=good&page=2")
    assert len(references(second.get_data(as_text=True))) == 3
    assert set(references(first)).isdisjoint(references(second.get_data(as_text=True)))
    assert lead.get("/findings/audits?template=cin_plan&grade=good&page=3").status_code == 404
