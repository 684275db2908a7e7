"""Cycle reports through the real pages: draft from the data, edit the narrative, publish a
frozen version, draft again, download the PDF and XLSX, and who may read what. The PDF's
text is extracted and checked for the sentences and numbers drafted from the known data set
(tests/findings/known_data.py)."""

import io
import re

import openpyxl
import pypdf
import pytest
from sqlalchemy import select

from qa_app.documents.docx_base import docx_text
from qa_app.extensions import db
from qa_app.models import Audit, ChangeLogEntry, Report, Role
from tests.cycles.cycle_factory import make_cycle
from tests.findings import known_data
from tests.helpers import csrf_token

CYCLE = "Single assessments, Q1 2026"
GRADE_SENTENCE = (
    "Of the 6 with an overall grade, 1 was judged outstanding, 3 were judged good, 1 was judged to "
    "require improvement to be good and 1 was judged inadequate."
)


@pytest.fixture
def cycle(loaded_templates, make_user):
    auditor = make_user(Role.AUDITOR, username="auditor.one")
    moderator = make_user(Role.MODERATOR, username="moderator.one")
    data = known_data.build(auditor, moderator)
    cycle = make_cycle(CYCLE)
    for audit in data["audits"]:
        audit.cycle_id = cycle.id
    db.session.commit()
    return cycle


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def draft(client, cycle, audience="internal") -> Report:
    page = client.get("/reports/new")
    assert page.status_code == 200
    response = client.post(
        "/reports/new",
        data={
            "csrf_token": csrf_token(client, "/reports/new"),
            "cycle": cycle.id,
            "audience": audience,
            "template": "",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalars(select(Report).order_by(Report.id.desc())).first()


def post_period(client, start: list[str], end: list[str]):
    """Ask for a report on a period (day, month, year boxes), not a cycle."""
    return client.post(
        "/reports/new",
        data={
            "csrf_token": csrf_token(client, "/reports/new"),
            "cycle": "",
            "period_start": start,
            "period_end": end,
            "audience": "internal",
        },
    )


def version_of(client, report) -> str:
    html = client.get(f"/reports/{report.id}").get_data(as_text=True)
    return re.search(r'name="lock_version"[^>]*value="(\d+)"', html).group(1)


def test_a_qa_lead_drafts_a_cycle_report_from_the_data(client_as, cycle):
    lead = client_as(Role.QA_LEAD)
    report = draft(lead, cycle)
    assert (report.number, report.status, report.title) == (
        1,
        "draft",
        f"Audit cycle report: {CYCLE}",
    )
    page = flat(lead.get(f"/reports/{report.id}").get_data(as_text=True))
    assert "6 audits were completed (the cycle Single assessments, Q1 2026" in page
    assert GRADE_SENTENCE in page
    assert ("2 of the 6 assessments did not see the child alone (1 more only partly).") in page
    # the drafted key findings lead with it, as a concern
    assert (
        "2 of the 6 assessments did not see the child alone (1 more only partly)."
        in (db.session.scalar(select(Report)).key_findings["concerns"])
    )
    assert "Moderated: 1 of 6 audits (17%)." in page
    assert "Voice of the child: a strength in 4 of 6 audits." in page
    entry = db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.entity_type == "report")
    ).one()
    assert (entry.action, entry.user_id) == ("drafted", lead.user.id)


def test_choosing_neither_cycle_nor_period_is_refused_with_a_message(client_as, cycle):
    lead = client_as(Role.QA_LEAD)
    response = lead.post(
        "/reports/new",
        data={"csrf_token": csrf_token(lead, "/reports/new"), "cycle": "", "audience": "internal"},
    )
    assert response.status_code == 200
    assert "Choose a cycle, or enter the start of the period" in response.get_data(as_text=True)
    assert db.session.scalar(select(Report)) is None


def test_a_period_report_covers_the_audits_completed_in_it(client_as, cycle):
    lead = client_as(Role.QA_LEAD)
    response = post_period(lead, ["1", "2", "2026"], ["28", "2", "2026"])
    assert response.status_code == 302
    report = db.session.scalar(select(Report))
    assert report.title == "Audit findings, February 2026"
    assert report.figures["totals"]["completed"] == 2


def test_editing_the_narrative_is_saved_recorded_and_guarded_against_stale_saves(client_as, cycle):
    lead = client_as(Role.QA_LEAD)
    report = draft(lead, cycle)
    url = f"/reports/{report.id}/edit"
    html = lead.get(url).get_data(as_text=True)
    version = re.search(r'name="lock_version"[^>]*value="(\d+)"', html).group(1)
    data = {
        "csrf_token": csrf_token(lead, url),
        "lock_version": version,
        "section__0": "Our own summary.",
        "strengths": "One\nTwo",
        "concerns": "Four",
        "development": "Three",
    }
    assert lead.post(url, data=data).status_code == 302
    db.session.expire_all()
    report = db.session.get(Report, report.id)
    assert report.sections[0]["text"] == "Our own summary."
    assert report.sections[1]["text"].startswith("6 assessments were audited")  # untouched
    assert report.key_findings == {
        "strengths": ["One", "Two"],
        "concerns": ["Four"],
        "development": ["Three"],
    }
    edited = db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.action == "edited")
    ).one()
    assert edited.changes["summary"][1] == "Our own summary."
    stale = lead.post(url, data=data | {"section__0": "Lost?"})
    assert stale.status_code == 409
    body = stale.get_data(as_text=True)
    assert "Someone else changed or published this draft" in body and "Lost?" in body


def test_publishing_freezes_the_version_and_drafting_again_makes_a_new_one(
    client_as, cycle, make_user
):
    lead = client_as(Role.QA_LEAD)
    report = draft(lead, cycle)
    url = f"/reports/{report.id}/publish"
    response = lead.post(
        url,
        data={
            "csrf_token": csrf_token(lead, f"/reports/{report.id}"),
            "lock_version": version_of(lead, report),
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    published = db.session.get(Report, report.id)
    assert published.status == "published" and published.published_by_id == lead.user.id
    frozen = dict(published.figures["totals"])
    # The data changes after publication: a new completed audit in the cycle.
    extra = db.session.scalars(select(Audit).where(Audit.status == "in_progress")).one()
    extra.status, extra.submitted_at, extra.overall_grade = "submitted", known_data.NOW, "good"
    db.session.commit()
    assert lead.get(f"/reports/{report.id}/edit").status_code == 302  # no editing now
    response = lead.post(
        f"/reports/{report.id}/redraft",
        data={"csrf_token": csrf_token(lead, f"/reports/{report.id}")},
    )
    assert response.status_code == 302
    db.session.expire_all()
    versions = db.session.scalars(select(Report).order_by(Report.number)).all()
    assert [(v.number, v.status) for v in versions] == [(1, "published"), (2, "draft")]
    assert versions[0].figures["totals"] == frozen
    assert versions[1].figures["totals"]["completed"] == 7
    page = lead.get(f"/reports/{versions[1].id}").get_data(as_text=True)
    assert "Version 1" in page and "Version 2" in page


def test_the_internal_pdf_reads_as_the_report_says(client_as, cycle):
    lead = client_as(Role.QA_LEAD)
    report = draft(lead, cycle)
    response = lead.get(f"/reports/{report.id}/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    pages = len(reader.pages)
    text = flat(pdf_text(response.data))
    assert f"Audit cycle report: {CYCLE}" in text
    assert "OFFICIAL-SENSITIVE" in reader.pages[0].extract_text()
    assert all("OFFICIAL-SENSITIVE" in p.extract_text() for p in reader.pages)
    assert f"Page {pages} of {pages}" in text
    assert "Contents" in text
    assert GRADE_SENTENCE in text
    assert "Draft version 1: not for circulation" in text
    assert "Weighted kappa" in text
    assert "50000001" in text  # the internal report lists the actions raised, by case


def draft_period(client, date_from: str, date_to: str, audience: str):
    """Post the new-report form for a period; the response (a redirect when drafted)."""
    client.get("/reports/new")
    data = {"csrf_token": csrf_token(client, "/reports/new"), "cycle": "", "template": ""}
    for name, day in (("period_start", date_from), ("period_end", date_to)):
        y, m, d = day.split("-")
        data[name] = [d, m, y]
    return client.post("/reports/new", data={**data, "audience": audience})


def test_a_report_outside_the_qa_team_covers_whole_months_and_public_ones_no_cycle(
    client_as, cycle
):
    lead = client_as(Role.QA_LEAD)
    for audience in ("partnership", "public"):
        refused = draft_period(lead, "2026-01-02", "2026-03-31", audience)
        assert refused.status_code == 200
        assert "must start on the first day of a month" in refused.get_data(as_text=True)
    assert draft_period(lead, "2026-01-02", "2026-03-31", "internal").status_code == 302
    response = lead.post(
        "/reports/new",
        data={
            "csrf_token": csrf_token(lead, "/reports/new"),
            "cycle": cycle.id,
            "audience": "public",
            "template": "",
        },
    )
    assert "covers a period of whole months alone" in response.get_data(as_text=True)


def test_the_public_pdf_holds_no_case_reference_and_hides_small_numbers(client_as, cycle):
    lead = client_as(Role.QA_LEAD)
    assert draft_period(lead, "2026-01-01", "2026-03-31", "public").status_code == 302
    report = db.session.scalars(select(Report).order_by(Report.id.desc())).first()
    text = flat(pdf_text(lead.get(f"/reports/{report.id}/report.pdf").data))
    assert "OFFICIAL-SENSITIVE" not in text and "OFFICIAL" in text
    assert not re.search(r"5000000\d", text)
    assert "Free text" not in text  # no case free text
    assert "a hidden number" in text
    assert "fewer than" not in text
    assert "Test auditor.one" not in text  # nothing per auditor
    xlsx = lead.get(f"/reports/{report.id}/report.xlsx").data
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    cells = " ".join(str(c) for s in book for row in s.iter_rows(values_only=True) for c in row)
    assert not re.search(r"5000000\d", cells) and "Test auditor.one" not in cells
    assert "hidden" in cells and "fewer than" not in cells


def test_the_xlsx_has_the_tables(client_as, cycle):
    lead = client_as(Role.QA_LEAD)
    report = draft(lead, cycle)
    response = lead.get(f"/reports/{report.id}/report.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    rows = list(book["Grades"].iter_rows(values_only=True))
    assert rows[0] == ("Template", "Judgement", "Grade", "Audits", "Out of", "Share")
    overall = {r[2]: r[3] for r in rows[1:] if r[1] == "Overall grade"}
    assert overall == {
        "Outstanding": 1,
        "Good": 3,
        "Requires improvement to be good": 1,
        "Inadequate": 1,
    }
    themes = {r[0]: r[1:5] for r in book["Themes"].iter_rows(values_only=True)}
    assert themes["Voice of the child"] == (4, 2, 0, 6)


def test_who_may_read_which_report(client_as, cycle):
    lead = client_as(Role.QA_LEAD)
    internal = draft(lead, cycle)
    public = draft(lead, cycle, audience="partnership")
    board = client_as(Role.BOARD_VIEWER)
    manager = client_as(Role.SENIOR_MANAGER)
    # drafts: the QA lead only
    for report in (internal, public):
        assert board.get(f"/reports/{report.id}").status_code == 403
        assert manager.get(f"/reports/{report.id}").status_code == 403
    for report in (internal, public):
        lead.post(
            f"/reports/{report.id}/publish",
            data={
                "csrf_token": csrf_token(lead, f"/reports/{report.id}"),
                "lock_version": version_of(lead, report),
            },
        )
    assert board.get(f"/reports/{public.id}").status_code == 200
    assert board.get(f"/reports/{public.id}/report.pdf").status_code == 200
    assert board.get(f"/reports/{internal.id}").status_code == 403
    assert board.get(f"/reports/{internal.id}/report.pdf").status_code == 403
    listing = board.get("/reports/").get_data(as_text=True)
    assert f"/reports/{public.id}" in listing and f'/reports/{internal.id}"' not in listing
    assert manager.get(f"/reports/{internal.id}").status_code == 200
    assert client_as(Role.AUDITOR).get("/reports/").status_code == 403
    assert board.get("/reports/new").status_code == 403


def test_the_command_line_renders_a_cycle_report(app, cycle, tmp_path):
    runner = app.test_cli_runner()
    out = tmp_path / "report.pdf"
    result = runner.invoke(args=["qa", "report", "cycle", "--cycle", CYCLE, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "drafting one from the data" in result.output
    assert GRADE_SENTENCE in flat(pdf_text(out.read_bytes()))
    assert db.session.scalar(select(Report)) is None  # nothing stored
    xlsx = tmp_path / "report.xlsx"
    result = runner.invoke(
        args=[
            "qa",
            "report",
            "cycle",
            "--cycle",
            CYCLE,
            "--out",
            str(xlsx),
            "--audience",
            "partnership",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Grades" in openpyxl.load_workbook(xlsx).sheetnames
    word = tmp_path / "report.docx"
    result = runner.invoke(args=["qa", "report", "cycle", "--cycle", CYCLE, "--out", str(word)])
    assert result.exit_code == 0, result.output
    assert GRADE_SENTENCE in flat(docx_text(word.read_bytes()))
    bad = runner.invoke(args=["qa", "report", "cycle", "--cycle", "Nope", "--out", str(out)])
    assert bad.exit_code == 2 and "no audit cycle called 'Nope'" in bad.output
    bad = runner.invoke(args=["qa", "report", "cycle", "--cycle", CYCLE, "--out", "x.doc"])
    assert bad.exit_code == 2 and "must end in .pdf, .docx or .xlsx" in bad.output


def test_the_cycle_page_leads_to_its_findings_and_a_report_with_the_cycle_chosen(client_as, cycle):
    lead = client_as(Role.QA_LEAD)
    page = lead.get(f"/cycles/{cycle.id}").get_data(as_text=True)
    assert f"/reports/new?cycle={cycle.id}" in page
    assert f"/findings/?cycle={cycle.id}" in page
    form = lead.get(f"/reports/new?cycle={cycle.id}").get_data(as_text=True)
    assert f'<option value="{cycle.id}" selected>' in form


def test_a_long_list_of_actions_says_how_many_it_leaves_out(client_as, cycle, monkeypatch):
    from qa_app.findings import queries
    from qa_app.services import report_drafting

    monkeypatch.setattr(
        report_drafting, "action_list", lambda f, today: queries.action_list(f, today, limit=1)
    )
    lead = client_as(Role.QA_LEAD)
    report = draft(lead, cycle)
    expected = "The 1 most recent of 3 actions are listed"
    assert expected in flat(lead.get(f"/reports/{report.id}").get_data(as_text=True))
    assert expected in flat(pdf_text(lead.get(f"/reports/{report.id}/report.pdf").data))


def test_a_period_far_in_the_future_gets_a_message(client_as, cycle):
    lead = client_as(Role.QA_LEAD)
    response = post_period(lead, ["1", "1", "2026"], ["31", "12", "9999"])
    assert response.status_code == 200
    assert "Enter a date between 1900 and 2999" in response.get_data(as_text=True)
