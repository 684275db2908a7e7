"""What a board viewer sees: the same pages with small numbers hidden (worded "hidden",
never "fewer than 5"), no number a link, no case reference, no auditor filter and no
figures about named staff."""

import re

from qa_app.data.organisation import get_settings
from qa_app.extensions import db
from qa_app.findings.disclosure import month_end
from qa_app.models import Role
from qa_app.rules.uk_time import uk_today
from tests.dashboards import table, text
from tests.dashboards.test_overview import key_figure

SA = "Single assessment (child and family assessment)"
PAGES = [
    "/findings/",
    "/findings/templates/single_assessment",
    "/findings/templates/icpc_reports",
    "/findings/themes",
    "/findings/teams",
]


def test_board_overview_hides_small_numbers(board):
    html = board.get("/findings/").get_data(as_text=True)
    assert key_figure(html, "completed") == "8"
    # Ofsted scale 3 of 6: the single assessments' 3 is hidden, so the total is too
    assert key_figure(html, "good-or-better-ofsted4") == "hidden"
    assert key_figure(html, "good-or-better-three_point") == "hidden"  # 1 of 2
    # where counts are hidden only completed audits are counted
    assert key_figure(html, "in-progress") == "hidden"
    assert key_figure(html, "concerns") == "hidden"
    assert key_figure(html, "actions") == "hidden"
    assert key_figure(html, "agreement") == "hidden"
    grades = table(html, f"{SA}: overall grades")
    assert grades["Outstanding"] == ["hidden", "hidden"]
    assert grades["Good"] == ["hidden", "hidden"]
    assert grades["Good or better"] == ["hidden", "hidden"]
    assert grades["All graded"] == ["5", ""]
    page = text(html)
    assert "Small numbers are hidden" in page and "Counts below 5 are hidden" in page
    assert "fewer than" not in page


def test_board_pages_have_no_links_to_audits_no_case_references_no_staff(board, known):
    for path in PAGES:
        response = board.get(f"{path}?auditor={known['audits'][0].auditor_id}")
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert "/findings/audits" not in html, path
        assert "/audits/" not in html, path
        assert not re.search(r"7000000\d", html), path
        assert "ann.auditor" not in html and "mo.moderator" not in html, path
        assert 'name="auditor"' not in html, path
        assert "Moderation by auditor" not in html, path
        assert "There is a problem" not in html, path  # the auditor filter is just left out


def test_board_sees_counts_at_or_above_the_threshold(board):
    html = board.get("/findings/themes").get_data(as_text=True)
    rows = table(html, "Themes across all completed audits")
    voice = next(v for k, v in rows.items() if k.startswith("Voice of the child"))
    assert voice == ["hidden", "hidden", "hidden"]


def test_board_threshold_follows_the_organisation_setting(board):
    get_settings().partnership_threshold = 3
    db.session.commit()
    html = board.get("/findings/").get_data(as_text=True)
    grades = table(html, f"{SA}: overall grades")
    assert grades["Good"] == ["hidden", "hidden"]  # 2
    assert grades["Outstanding"] == ["hidden", "hidden"]  # 1
    # 3 of 6 on the Ofsted scale, but the single assessments' good-or-better count is hidden
    # (its grades are), so the total is too: it and the other templates' counts would give
    # it away
    assert key_figure(html, "good-or-better-ofsted4") == "hidden"
    assert "Counts below 3 are hidden" in text(html)


def test_case_level_readers_see_every_number(client_as, known):
    html = client_as(Role.SENIOR_MANAGER).get("/findings/").get_data(as_text=True)
    assert "fewer than" not in text(html)
    assert "Small numbers are hidden" not in html
    assert "/findings/audits?" in html


def test_the_home_page_leads_readers_of_findings_to_findings_and_reports(client_as):
    board = client_as(Role.BOARD_VIEWER).get("/").get_data(as_text=True)
    assert 'href="/findings/"' in board and 'href="/reports/"' in board
    assert "small numbers hidden" in board
    auditor = client_as(Role.AUDITOR).get("/").get_data(as_text=True)
    assert 'href="/findings/"' not in auditor


def test_the_partnership_reads_exact_counts_by_default(partnership):
    html = partnership.get("/findings/").get_data(as_text=True)
    grades = table(html, f"{SA}: overall grades")
    assert grades["Outstanding"] == ["1", "20%"] and grades["Good"] == ["2", "40%"]
    assert "hidden" not in text(html)
    assert "Partnership (the safeguarding board and scrutiny committee), OFFICIAL" in text(html)


def test_small_teams_are_counted_together_and_cannot_be_chosen(partnership, known):
    html = partnership.get("/findings/teams").get_data(as_text=True)
    rows = " ".join(table(html, "Completed audits by team"))
    assert "Other teams" in rows and "Team A" not in rows and "Team B" not in rows
    team = known["audits"][0].case.team_id
    refused = text(partnership.get(f"/findings/?team={team}").get_data(as_text=True))
    assert "A team is shown on its own only with at least 10 completed audits" in refused


def test_a_period_of_days_or_a_month_still_running_is_refused(partnership):
    today = uk_today()
    for query, message in (
        ("from=2026-01-02&to=2026-03-31", "must start on the first day of a month"),
        ("from=2026-01-01&to=2026-03-30", "must end on the last day of a month"),
        (
            f"from={today:%Y-%m}-01&to={month_end(today).isoformat()}",
            "must end with a month that has ended",
        ),
    ):
        page = text(partnership.get(f"/findings/?{query}").get_data(as_text=True))
        assert message in page, query
    # a month as the month inputs send it
    assert partnership.get("/findings/?from=2026-01&to=2026-03").status_code == 200
