"""The scrutiny pack's pages: a QA lead drafts a pack for a month, reads it with seed 004's
figures stated exactly, edits each section's text (a stale save refused), publishes it; a board
viewer reads the published pack and nothing else."""

import re
from datetime import date

from sqlalchemy import select

from qa_app.data.reports import get_report
from qa_app.extensions import db
from qa_app.models import ImprovementAction, Report, Role
from qa_app.services import practice_week_drafting as week_drafting
from qa_app.services import report_drafting, scrutiny_reports
from tests.helpers import csrf_token
from tests.practice_weeks.report_week import (
    CASE_REFERENCES,
    OBSERVER_SAID,
    PARENT_SAID,
    build_week,
)
from tests.services import scrutiny_seed as seed

TODAY = date(2021, 10, 20)
TITLE = "report to the scrutiny committee, September 2021"  # the title, after its apostrophe
VERSION_RE = re.compile(r'name="lock_version"[^>]*value="(\d+)"')


def _pack(actor):
    seed.children_in_need()
    seed.recruitment()
    return scrutiny_reports.draft(seed.SEPTEMBER, actor, TODAY)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_qa_lead_drafts_a_pack_for_the_chosen_month(client_as):
    seed.children_in_need()
    lead = client_as(Role.QA_LEAD)
    page = lead.get("/reports/scrutiny/new").get_data(as_text=True)
    assert '<option value="2021-09-01" selected>September 2021</option>' in page

    response = lead.post(
        "/reports/scrutiny/new",
        data={"csrf_token": csrf_token(lead, "/reports/scrutiny/new"), "month": "2021-09-01"},
    )

    assert response.status_code == 302
    report = db.session.scalars(select(Report)).one()
    assert response.location.endswith(f"/reports/scrutiny/{report.id}")
    assert report.series_key == "scrutiny:2021-09"
    index = lead.get("/reports/").get_data(as_text=True)
    assert TITLE in index and "Scrutiny committee: Partnership" in index


def test_the_show_page_states_seed_004s_figures_exactly(client_as):
    lead = client_as(Role.QA_LEAD)
    report = _pack(lead.user)

    page = lead.get(f"/reports/scrutiny/{report.id}").get_data(as_text=True)
    text = _text(page)

    # each counted or percentage indicator's 18-month chart is drawn on the page, with its data
    assert 'id="trend-children_in_need-1' in page and "<svg" in page
    assert "Children on a child in need plan" in text and " 686 " in text
    assert "686 at the end of September 2021, 5% more than a year before" in text
    for category, value in seed.LOCALITIES.items():
        assert f"{category} {value}%" in text
    assert "Disabled Children Service 67%" in text and "Social Workers in Schools 74%" in text
    assert "Amber: near target" in text and "Red" in text and "Green: meets target" in text
    assert "Team Manager 32.00 2.50 7.8% 70.3% 40.6%" in text
    assert "Social Worker (Exp &amp; ASYE) 197.01 36.05 18.3% 58.0% 36.5%" in text
    assert "Total 348.63 63.36 18.2% 69.0% 27.2%" in text
    assert "18-month trend" in text and "Apr 20 640" in text
    assert "Demand beside the audits" in text and "Audit themes" in text


def test_a_board_viewer_cannot_draft_or_see_a_draft_but_reads_the_published_pack(client_as):
    lead = client_as(Role.QA_LEAD)
    report = _pack(lead.user)
    viewer = client_as(Role.BOARD_VIEWER)

    assert viewer.get("/reports/scrutiny/new").status_code == 403
    assert viewer.get(f"/reports/scrutiny/{report.id}").status_code == 403
    assert TITLE not in viewer.get("/reports/").get_data(as_text=True)

    report_drafting.publish(report, based_on=report.lock_version, actor=lead.user)

    page = viewer.get(f"/reports/scrutiny/{report.id}")
    assert page.status_code == 200 and "686" in page.get_data(as_text=True)
    assert "Edit the text" not in page.get_data(as_text=True)
    assert viewer.get(f"/reports/scrutiny/{report.id}/edit").status_code == 403
    assert TITLE in viewer.get("/reports/").get_data(as_text=True)


def test_editing_saves_each_section_and_a_stale_save_is_refused(client_as):
    lead = client_as(Role.QA_LEAD)
    report = _pack(lead.user)
    url = f"/reports/scrutiny/{report.id}/edit"
    page = lead.get(url).get_data(as_text=True)
    version = VERSION_RE.search(page).group(1)
    token = csrf_token(lead, url)

    saved = lead.post(
        url,
        data={"csrf_token": token, "lock_version": version, "section__0": "- Visits improved."},
    )
    stale = lead.post(
        url, data={"csrf_token": token, "lock_version": version, "section__0": "Older text."}
    )

    assert saved.status_code == 302
    assert stale.status_code == 409
    assert "Someone else changed or published this draft" in stale.get_data(as_text=True)
    report = get_report(report.id)
    assert report.sections[0]["text"] == "- Visits improved."
    shown = lead.get(f"/reports/scrutiny/{report.id}").get_data(as_text=True)
    assert "<li>Visits improved.</li>" in shown  # a leading "- " is dropped


def test_publishing_is_refused_while_a_section_holds_a_case_reference(client_as):
    lead = client_as(Role.QA_LEAD)
    report = _pack(lead.user)
    scrutiny_reports.save_text(
        report, sections={"actions": "Chase case 12345678."}, based_on=1, actor=lead.user
    )
    page = f"/reports/scrutiny/{report.id}"

    refused = lead.post(
        f"/reports/{report.id}/publish",
        data={"csrf_token": csrf_token(lead, page), "lock_version": "2"},
    )

    assert refused.status_code == 400
    assert "This version was not published" in refused.get_data(as_text=True)
    assert not get_report(report.id).is_published


def test_the_report_pages_send_a_pack_to_its_own_pages(client_as):
    lead = client_as(Role.QA_LEAD)
    report = _pack(lead.user)

    assert lead.get(f"/reports/{report.id}").location.endswith(f"/reports/scrutiny/{report.id}")
    assert lead.get(f"/reports/{report.id}/edit").location.endswith(
        f"/reports/scrutiny/{report.id}/edit"
    )
    assert lead.get(f"/reports/{report.id}/report.xlsx").status_code == 404


def test_a_board_viewer_reads_the_practice_week_and_actions_without_a_case_reference(
    client_as, make_user, loaded_templates
):
    week = build_week(make_user)
    week_drafting.publish(week, based_on=week.lock_version, actor=week.lead, audience="partnership")
    action = db.session.scalars(select(ImprovementAction).order_by(ImprovementAction.id)).first()
    action.description = "Chase the plan for 12345678 with the family"
    db.session.commit()
    report = scrutiny_reports.draft(date(2026, 10, 1), week.lead, date(2026, 11, 20))
    report_drafting.publish(report, based_on=report.lock_version, actor=week.lead)

    page = client_as(Role.BOARD_VIEWER).get(f"/reports/scrutiny/{report.id}")

    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Children at risk are triaged quickly" in text and "Rename the single assessment" in text
    assert "Description withheld" in text
    for private in [*CASE_REFERENCES, "12345678", PARENT_SAID, OBSERVER_SAID]:
        assert private not in text
