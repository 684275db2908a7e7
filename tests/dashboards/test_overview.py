"""The findings overview: key figures, grades by template, months and the previous period
match the hand-counted data set (tests/dashboards/__init__.py); filters in the address change
them; a filter that cannot be read gets a message, not an error page."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from qa_app.findings.filters import last_twelve_months
from qa_app.findings.summaries import month_label
from qa_app.models import Role
from qa_app.rules.uk_time import uk_today
from tests.dashboards import RECENT, table, text

SA = "Single assessment (child and family assessment)"


def key_figure(html: str, name: str) -> str:
    match = re.search(rf'id="key-{name}">(.*?)</p>', html, re.S)
    assert match, name
    return text(match.group(1))


def test_overview_key_figures_are_the_hand_counts(lead):
    response = lead.get("/findings/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = text(html)
    assert key_figure(html, "completed") == "8"
    assert "1 of them moderated" in page
    # good or better per scale, never one figure over both: Ofsted SA 3 of 5 + CIN 0 of 1;
    # good / adequate / inadequate ICPC 1 of 2
    assert key_figure(html, "good-or-better-ofsted4") == "50%"
    assert "3 of 6 audits graded on the Ofsted four-point scale (outstanding or good)" in page
    assert key_figure(html, "good-or-better-three_point") == "50%"
    assert "1 of 2 audits graded on the Good / adequate / inadequate scale (good)" in page
    assert "4 of 8" not in page
    assert key_figure(html, "in-progress") == "1"
    assert "and 0 not started" in page
    assert key_figure(html, "agreement") == "50%"
    assert "1 of 2 grades agreed in 1 moderated audit; 0 waiting" in page
    assert "Weighted kappa 0.00 (slight) on the Ofsted four-point scale" in page
    assert key_figure(html, "actions") == "2"  # every action not completed, overdue or not
    assert "open, 1 of them overdue; 0 completed" in page
    assert ", and 1 overdue" not in page
    assert key_figure(html, "concerns") == "1"


def test_overview_grades_by_template_and_by_month(lead):
    html = lead.get("/findings/").get_data(as_text=True)
    assert table(html, f"{SA}: overall grades") == {
        "Grade": ["Audits", "Share"],
        "Outstanding": ["1", "20%"],
        "Good": ["2", "40%"],
        "Requires improvement to be good": ["1", "20%"],
        "Inadequate": ["1", "20%"],
        "Good or better": ["3", "60%"],
        "All graded": ["5", ""],
    }
    icpc = table(html, "Reports to initial child protection conference: overall grades")
    assert icpc["Good"] == ["1", "50%"] and icpc["Adequate"] == ["1", "50%"]
    assert icpc["Good or better"] == ["1", "50%"] and icpc["All graded"] == ["2", ""]
    months = table(html, "Audits completed and judged good or better, by month")
    this_month = month_label(f"{datetime.now(UTC) - RECENT:%Y-%m}")
    assert months["Month"] == [
        "Completed",
        "Good or better, Ofsted four-point scale",
        "Good or better, Good / adequate / inadequate scale",
    ]
    assert months[this_month] == ["8", "3 (50%)", "1 (50%)"]
    assert len(months) == 1 + 12  # header and the twelve months of the default period
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html


def test_default_period_is_the_last_twelve_months(lead):
    start, end = last_twelve_months(uk_today())
    html = lead.get("/findings/").get_data(as_text=True)
    assert f'value="{start.isoformat()}"' in html and f'value="{end.isoformat()}"' in html
    # the audit completed 400 days ago is left out, and counted in the previous period
    assert table(html, "This period and the previous one") == {
        "Measure": ["This period", "Previous period"],
        "Audits completed": ["8", "1"],
        # the previous period graded only on the Ofsted scale (1 of 1)
        "Judged good or better, Ofsted four-point scale": ["50%", "100%"],
    }
    # 1 audit against 8: the comparison says it rests on a much smaller sample
    assert "Read with care: the previous period rests on 1 audit, against 8 in this period" in text(
        html
    )
    moved = table(html, "Themes whose share moved")
    assert moved["Voice of the child marked as a strength"] == ["50%", "100%", "down 50 points"]
    assert moved["Voice of the child marked as an area for development"] == [
        "33%",
        "0%",
        "up 33 points",
    ]


def test_a_longer_period_counts_the_older_audit(lead):
    since = (uk_today() - timedelta(days=410)).isoformat()
    html = lead.get(f"/findings/?from={since}&to={uk_today().isoformat()}").get_data(as_text=True)
    assert key_figure(html, "completed") == "9"
    assert key_figure(html, "good-or-better-ofsted4") == "57%"  # 4 of 7
    assert key_figure(html, "good-or-better-three_point") == "50%"  # 1 of 2


def test_filters_by_template_and_team_change_the_figures(lead, known):
    html = lead.get("/findings/?template=cin_plan").get_data(as_text=True)
    assert key_figure(html, "completed") == "1"
    assert key_figure(html, "good-or-better-ofsted4") == "0%"
    assert "key-good-or-better-three_point" not in html
    assert "Child in need plan: overall grades" in html
    assert f"{SA}: overall grades" not in html
    team_b = known["teams"]["B"].id
    html = lead.get(f"/findings/?team={team_b}").get_data(as_text=True)
    assert key_figure(html, "completed") == "3"
    assert key_figure(html, "good-or-better-ofsted4") == "33%"
    locality = known["teams"]["North"].id
    html = lead.get(f"/findings/?locality={locality}").get_data(as_text=True)
    assert key_figure(html, "completed") == "5"
    # the filters stay selected, and travel with the links to the other views
    assert f'<option value="{locality}" selected>North</option>' in html
    assert "/findings/themes?from=" in html and f"locality={locality}" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2026-13-45", "Enter a date as year-month-day, for example 2026-04-01"),
        ("team=abc", "Choose from the list"),
        ("template=not%20a%20key!", "Choose a template from the list"),
        ("from=2026-05-01&to=2026-04-01", "The end of the period must be on or after its start"),
        ("cycle=99999999999999999999", "Choose from the list"),
    ],
)
def test_a_bad_filter_gets_a_message_not_an_error(lead, query, message):
    for url in ("/findings/", "/findings/themes", "/findings/teams"):
        response = lead.get(f"{url}?{query}")
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert "There is a problem with the filters" in html
        assert message in text(html)
        assert "<title>Error: " in html


def test_the_filter_form_is_a_get_form_with_every_filter(lead):
    html = lead.get("/findings/").get_data(as_text=True)
    assert '<form method="get" action="/findings/"' in html
    for name in ("from", "to", "template", "cycle", "team", "locality", "auditor"):
        assert f'name="{name}"' in html, name
    assert 'type="date"' in html
    assert '<a class="govuk-link" href="/findings/">Clear filters</a>' in html
    assert "Test ann.auditor" in html  # auditors to choose from, for case-level readers


def test_findings_is_in_the_navigation_for_readers_of_findings(client_as, loaded_templates):
    for role in (Role.QA_LEAD, Role.BOARD_VIEWER):
        html = client_as(role).get("/").get_data(as_text=True)
        assert 'href="/findings/"' in html
    html = client_as(Role.AUDITOR).get("/").get_data(as_text=True)
    assert 'href="/findings/"' not in html


def test_overview_with_no_audits_says_so(client_as, loaded_templates):
    html = client_as(Role.SENIOR_MANAGER).get("/findings/").get_data(as_text=True)
    assert "No audits in this period." in html
    assert "No audits were completed in this period." not in html  # the months are listed
