"""A real council's quality review re-entered (tests/documents/review_data.py: 12 single
assessments, 12 child protection plans, 9 audits of reports to conference, November 2013),
drafted into the board report at default settings through the real pages: every finding the
council's own report states is there, in sentences, on the page, in the PDF and in the Word
document, with exact counts; the key findings are led by those findings (concerns are not just
grade shares); a QA lead follows each finding to its audits, a board viewer gets no such link;
the title, the period, the statistics' years and the action plan's owner read right."""

import html
import re
from datetime import date

import pytest
from sqlalchemy import select

from qa_app.data.organisation import get_settings
from qa_app.extensions import db
from qa_app.models import Report, Role
from qa_app.services import board_reports
from tests.documents import review_data
from tests.documents.test_board_outputs import docx_text, pdf_text
from tests.helpers import csrf_token

NEW = "/reports/board/new"
AGENCY = "Children's Services"

# The council's findings, as the drafted report states them (worked out in review_data).
FINDINGS = [
    "4 of the 12 assessments had no evidence of agency checks.",
    "6 of the 12 assessments did not see the child within the timescale set at referral.",
    "All 12 assessments saw every child in the household.",
    "No GP report was received for any of the 9 conferences.",
    "2 of the 7 relevant conferences had no health visitor report.",
    "5 of the 9 conferences had no school report.",
    "The median time to conference was 15 working days (9 conferences, from 10 to 25; the "
    "target is 15 working days).",
    "The median time to complete an assessment was 43.5 working days (12 assessments, from 20 "
    "to 70).",
    "7 of the 12 child protection plans did not have a record of every core group on file.",
    "The same gap across 4 agencies: 17 of their 27 reports did not give the father's views "
    "(police 6 of 9, school 3 of 4, health visitor 4 of 5, social work 4 of 9).",
    "Single assessment (child and family assessment): 12 assessments were audited. Of the 12 "
    "with an overall grade, 5 were judged good, 5 were judged to require improvement to be "
    "good and 2 were judged inadequate.",
    "Senior managers held 3 conversations with staff during practice weeks in this period.",
    "Written reports provided, by agency: Police 9 of 9, School 4 of 9, GP 0 of 9, Health "
    "visitor 5 of 7, Social work 9 of 9.",
]
TITLE = "Single-agency report to the safeguarding board: Children's Services, November 2013"


@pytest.fixture
def review(loaded_templates, make_user):
    owner = make_user(Role.SENIOR_MANAGER, Role.AUDITOR, username="sm.who.audits")
    return review_data.build(owner)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.get_data(as_text=True)))


def draft(client) -> Report:
    client.get(NEW)
    response = client.post(
        NEW,
        data={
            "csrf_token": csrf_token(client, NEW),
            "agency": AGENCY,
            "period_start": ["1", "11", "2013"],
            "period_end": ["30", "11", "2013"],
            "indicators": [str(i.id) for i in board_reports.active_indicators()],
        },
    )
    assert response.status_code == 302
    return db.session.scalars(select(Report).order_by(Report.id.desc())).first()


def test_every_finding_of_the_review_is_stated_on_the_page_in_the_pdf_and_in_word(
    client_as, review
):
    lead = client_as(Role.QA_LEAD)
    report = draft(lead)
    assert report.title == TITLE
    page = text_of(lead.get(f"/reports/board/{report.id}"))
    pdf = pdf_text(lead.get(f"/reports/board/{report.id}/report.pdf").data)
    word = docx_text(lead.get(f"/reports/board/{report.id}/report.docx").data)
    for sentence in FINDINGS:
        assert sentence in page, sentence
        assert sentence in pdf, sentence
        assert sentence in word, sentence
    for output in (page, pdf, word):
        assert "November 2013 to November 2013" not in output
        assert "a hidden number" not in output  # a partnership board reads exact counts
        assert "judged requires" not in output


def test_the_key_findings_are_led_by_the_question_findings(client_as, review):
    lead = client_as(Role.QA_LEAD)
    found = draft(lead).key_findings
    assert found["concerns"][0] == "No GP report was received for any of the 9 conferences."
    assert "4 of the 12 assessments had no evidence of agency checks." in found["concerns"]
    assert (
        "6 of the 12 assessments did not see the child within the timescale set at referral."
        in found["concerns"]
    )
    assert "All 12 assessments saw every child in the household." in found["strengths"]
    assert "2 of the 7 relevant conferences had no health visitor report." in found["development"]
    # red indicators stay concerns, with their figures
    assert (
        "Re-referrals within 12 months is outside its target tolerance (33% against a target "
        "of 25%)." in found["concerns"]
    )
    # the three lists never share a line
    assert not set(found["strengths"]) & set(found["concerns"])
    assert not set(found["development"]) & set(found["concerns"])


def test_a_qa_lead_follows_a_finding_to_its_audits_and_a_board_viewer_gets_no_link(
    client_as, review
):
    lead = client_as(Role.QA_LEAD)
    report = draft(lead)
    page = lead.get(f"/reports/board/{report.id}").get_data(as_text=True)
    match = re.search(
        r'href="([^"]+)">4 of the 12 assessments had no evidence of agency checks\.</a>', page
    )
    assert match, "the finding links to its audits"
    link = html.unescape(match.group(1))
    assert link.startswith("/findings/audits?")
    assert "question=agency_checks_complete" in link and "value=no" in link
    audits = lead.get(link).get_data(as_text=True)
    listed = set(re.findall(r"QR\d{5}Z", audits))
    assert listed == {"QR00001Z", "QR00002Z", "QR00003Z", "QR00004Z"}
    gp = re.search(r'href="([^"]+)">No GP report was received', page)
    gp_audits = lead.get(html.unescape(gp.group(1))).get_data(as_text=True)
    assert len(set(re.findall(r"QR\d{5}Z", gp_audits))) == 9
    # published to the board: the same sentence, no link, no case reference
    version = re.search(r'name="lock_version"[^>]*value="(\d+)"', page).group(1)
    lead.post(
        f"/reports/{report.id}/publish",
        data={
            "csrf_token": csrf_token(lead, f"/reports/board/{report.id}"),
            "lock_version": version,
        },
    )
    board = client_as(Role.BOARD_VIEWER)
    read = board.get(f"/reports/board/{report.id}").get_data(as_text=True)
    assert "4 of the 12 assessments had no evidence of agency checks." in read
    assert "/findings/audits" not in read
    assert not re.search(r"QR\d{5}Z", read)


def test_key_developments_are_the_qa_leads_with_the_data_offered_as_prompts(client_as, review):
    lead = client_as(Role.QA_LEAD)
    report = draft(lead)
    sections = {s["key"]: s["text"] for s in report.sections}
    assert sections["key_developments"] == ""
    page = text_of(lead.get(f"/reports/board/{report.id}"))
    assert "0 improvement actions" not in page
    assert "improvement actions completed" not in page  # none were: not news
    edit = text_of(lead.get(f"/reports/board/{report.id}/edit"))
    assert "Prompts from the data" in edit
    assert "1 practice week was held." in edit
    assert (
        "Case-file audits completed: Child protection plan and visits 12, Reports to initial "
        "child protection conference 9 and Single assessment (child and family assessment) 12."
        in edit
    )


def test_statistics_show_years_as_columns_and_comparators_only_for_those_years(client_as, review):
    lead = client_as(Role.QA_LEAD)
    report = draft(lead)
    page = text_of(lead.get(f"/reports/board/{report.id}"))
    for month in ("Nov 2011", "Nov 2012", "Nov 2013"):
        assert month in page
    # statistical neighbours for a year shown: the year in the column's heading when every
    # comparator shown in it is for that year
    assert "SN 2012-13" in page and "27%" in page
    assert "2024-25" not in page  # England's figure is for another year: not shown
    row = report.figures["indicators"]["rows"][0]
    assert [h["value"] for h in row["history"]] == [29, 31, 33]
    assert row["comparators"]["england"]["column"] is None


def test_the_owner_is_shown_by_the_most_senior_role_they_hold(client_as, review):
    lead = client_as(Role.QA_LEAD)
    page = text_of(lead.get(f"/reports/board/{draft(lead).id}"))
    assert "Test sm.who.audits (Senior manager)" in page
    assert "(Auditor)" not in page
    assert "31 March 2014" in page  # dates in the one format


def test_a_partnership_threshold_set_by_the_council_hides_small_counts_everywhere(review):
    get_settings().partnership_threshold = 5
    db.session.commit()
    content = board_reports.build_content(
        AGENCY, review_data.FROM, review_data.TO, today=date(2013, 12, 5)
    )
    figures = content["figures"]
    assert figures["suppression"]["threshold"] == 5
    texts = " ".join(s["text"] for s in content["sections"])
    assert "Senior managers held a hidden number of conversations with staff" in texts
    assert "2 were judged inadequate" not in texts
    lines = [line for kind in content["key_findings"].values() for line in kind]
    # a finding with a hidden count is never stated
    assert "4 of the 12 assessments had no evidence of agency checks." not in lines
    assert figures["icpc"]["rows"][1]["provided"]["yes"] is None  # school 4 of 9: hidden


def test_at_default_settings_the_board_reads_exact_counts(review):
    settings = get_settings()
    assert settings.small_number_threshold == 5 and settings.partnership_threshold is None
    content = board_reports.build_content(
        AGENCY, review_data.FROM, review_data.TO, today=date(2013, 12, 5)
    )
    assert content["figures"]["suppression"]["threshold"] == 0
    texts = " ".join(s["text"] for s in content["sections"])
    assert "2 were judged inadequate" in texts
    assert "School 4 of 9" in texts
