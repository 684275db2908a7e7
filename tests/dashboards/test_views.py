"""The other findings views: one template (grades, sections, every counted question, repeat
groups by block), themes, and teams and localities, against the hand-counted data set."""

from tests.dashboards import table, text

SA = "Single assessment (child and family assessment)"


def test_template_page_grades_and_sections(lead):
    response = lead.get("/findings/templates/single_assessment")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f"Findings: {SA}" in html
    page = text(html)
    assert f"5 completed {SA} audits" in page
    assert "1 in progress and 0 not started" in page
    overall = table(html, "Overall grades of 5 completed audits")
    assert overall["Good"] == ["2", "40%"]
    assert overall["Good or better"] == ["3", "60%"]
    assert overall["All graded"] == ["5", ""]
    assert table(html, "Timeliness: grades") == {
        "Grade": ["Audits", "Share"],
        "Outstanding": ["1", "20%"],
        "Good": ["2", "40%"],
        "Requires improvement to be good": ["1", "20%"],
        "Inadequate": ["1", "20%"],
        "Good or better": ["3", "60%"],
        "All graded": ["5", ""],
    }
    # a section nobody graded is there with nothing in it
    analysis = table(html, "Analysis of needs and risks: grades")
    assert analysis["Good or better"] == ["0", "–"]
    assert analysis["All graded"] == ["0", ""]


def test_template_page_answers_yes_no_and_numbers(lead):
    html = lead.get("/findings/templates/single_assessment").get_data(as_text=True)
    voice = table(html, "The child seen, heard and understood: yes, partly or no")
    seen_alone = "Was the child seen alone, where their age and understanding allow?"
    assert voice[f"{seen_alone} 5 applicable, 0 not applicable"] == [
        "2 (40%)",
        "1 (20%)",
        "2 (40%)",
    ]
    assert voice["Question"] == ["Yes", "Partly", "No"]
    numbers = table(html, "Timeliness: numbers")
    assert numbers["Working days to complete the assessment"] == [
        "5",
        "40 working days",
        "20 to 60 working days",
    ]
    # a choice question nobody answered still lists its answers
    kinds = table(html, "What kind of assessment is this?")
    assert kinds["Answered"] == ["0"]


def test_template_page_repeat_groups_by_block(lead):
    html = lead.get("/findings/templates/icpc_reports").get_data(as_text=True)
    page = text(html)
    assert "Agency reports to the conference, by agency" in page
    assert "Agency: Police (2)" in page and "Agency: School (1)" in page
    police = table(html, "Police: yes, partly or no")
    report = "Did the agency provide a written report to the conference?"
    assert police[f"{report} 2 applicable"] == ["2 (100%)", "0 (0%)", "0 (0%)"]
    school = table(html, "School: yes, partly or no")
    assert school[f"{report} 1 applicable"] == ["0 (0%)", "0 (0%)", "1 (100%)"]
    assert "Agency: GP" not in page  # no GP blocks in these audits


def test_template_page_unknown_key_is_404(lead):
    assert lead.get("/findings/templates/no_such_template").status_code == 404
    assert lead.get("/findings/templates/..%2Fetc").status_code == 404


def test_template_page_with_no_audits_in_the_period(lead):
    html = lead.get("/findings/templates/cp_plan_visits").get_data(as_text=True)
    assert "There are no Child protection plan and visits audits in this period." in html


def test_template_page_links_to_the_other_templates_keeping_filters(lead, known):
    team = known["teams"]["A"].id
    html = lead.get(f"/findings/templates/single_assessment?team={team}").get_data(as_text=True)
    assert "/findings/templates/cin_plan?from=" in html
    assert f"team={team}" in html
    assert 'id="filter-template"' not in html  # the template is the page's own


def test_themes_page(lead):
    response = lead.get("/findings/themes")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    overall = table(html, "Themes across all completed audits")
    assert overall["Voice of the child of 6 audits that assessed it"] == [
        "3 (50%)",
        "2 (33%)",
        "1 (17%)",
    ]
    by_sa = table(html, f"Themes in {SA} audits")
    assert by_sa["Voice of the child of 5 audits that assessed it"] == [
        "3 (60%)",
        "2 (40%)",
        "0 (0%)",
    ]
    by_cin = table(html, "Themes in Child in need plan audits")
    assert by_cin["Voice of the child of 1 audit that assessed it"] == [
        "0 (0%)",
        "0 (0%)",
        "1 (100%)",
    ]
    page = text(html)
    assert "Top strengths" in page and "Voice of the child: 3 of 6 audits (50%)" in page
    # 3 strengths to 2 areas for development: a strength, so not a top area for development
    assert "Voice of the child: 2 of 6 audits (33%)" not in page
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 3  # all, SA, CIN


def test_teams_page(lead):
    html = lead.get("/findings/teams").get_data(as_text=True)
    teams = table(html, "Completed audits by team")
    # per scale: Ofsted four-point, then good / adequate / inadequate (ICPC, team A only)
    assert teams["Team A North"] == ["5", "2 (67%)", "0 (0%)", "1 (50%)", "0 (0%)"]
    assert teams["Team B South"] == ["3", "1 (33%)", "1 (33%)", "–", "–"]
    localities = table(html, "Completed audits by locality")
    assert localities["North"] == ["5", "2 (67%)", "0 (0%)", "1 (50%)", "0 (0%)"]
    assert localities["South"] == ["3", "1 (33%)", "1 (33%)", "–", "–"]
    themes = table(html, "Theme marks in each team")
    assert themes["Team A"] == []
    page = text(html)
    assert "Judged Inadequate" in page
    assert "Good or better, Good / adequate / inadequate scale" in page
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 4  # a chart per scale
    # 5 and 3 audits: the shares are set beside each other with a word of warning
    assert "Read with care: 2 teams rest on fewer than 30 audits (Team A, Team B)" in page
    assert "Read with care: 2 localities rest on fewer than 30 audits (North, South)" in page


def test_views_keep_the_filters_in_their_tabs(lead, known):
    team = known["teams"]["B"].id
    html = lead.get(f"/findings/themes?team={team}&from=2026-01-01&to=2026-12-31").get_data(
        as_text=True
    )
    for path in ("/findings/?", "/findings/themes?", "/findings/teams?"):
        assert f'href="{path}from=2026-01-01&amp;to=2026-12-31&amp;team={team}"' in html, path
    assert "/findings/templates/" in html and f"team={team}" in html
    assert 'aria-current="page">Themes</a>' in html
