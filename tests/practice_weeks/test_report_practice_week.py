"""The practice-week report on screen, as PDF (text extracted with pypdf) and from the command
line, and who may read it before and after publishing."""

import io
from datetime import date

import pytest
from pypdf import PdfReader

from qa_app.data import improvement, quick_wins
from qa_app.data import practice_week_findings as findings
from qa_app.data import practice_week_report as week_report
from qa_app.data.organisation import get_settings
from qa_app.extensions import db
from qa_app.models import Role
from qa_app.reports.practice_week_pdf import practice_week_pdf
from tests.practice_weeks.findings_factory import (
    add_activity,
    add_audit,
    add_quick_win,
    area,
    make_week,
)

S, D = "strength", "development"


@pytest.fixture
def week(loaded_templates, make_user):
    """Six audits and two observations: voice of the child 6 strengths, 2 developments (n 8);
    timeliness 1 strength, 2 developments (n 3, under the threshold of 5)."""
    lead = make_user(Role.QA_LEAD)
    owner = make_user(Role.SENIOR_MANAGER, username="senior.manager.a")
    week = make_week(
        "October 2026",
        date(2026, 10, 5),
        purpose="To see practice at the front door at first hand.",
        managers=[owner],
    )
    for i, voice in enumerate([S, S, S, S, S, D], start=1):
        marks = {"voice_of_child": voice}
        if i <= 3:
            marks["timeliness"] = S if i == 1 else D
        add_audit(week, marks, reference=f"100000{i}")
    add_activity(week, "observe_meeting", focus=area(week, 1), marks={"voice_of_child": S})
    add_activity(week, "shadow", focus=area(week, 1), marks={"voice_of_child": D})
    add_activity(week, "conversation", focus=area(week, 2))
    area(week, 1).headlines = "Children at risk are triaged quickly\nEarly help waits too long"
    area(week, 2).headlines = "Plans do not always say who does what"
    week.themes_summary = "The voice of the child is heard in most audits"
    db.session.commit()
    plan = improvement.save_plan(None, title="Improvement plan 2026-27", actor=lead)
    first = add_quick_win(week, 1, "Rename the single assessment", owner, date(2026, 11, 30))
    add_quick_win(week, 2, "Deprivation of liberty training", owner, date(2027, 1, 31))
    quick_wins.quick_win_to_action(first, plan, actor=lead, today=date(2026, 10, 12))
    improvement.create_action(
        plan,
        actor=lead,
        today=date(2026, 10, 12),
        description="Workshops on outcome-focused plans with CP chairs",
        source_kind="practice_week",
        source_week=week,
    )
    week.lead = lead
    return week


def _text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_pdf_holds_every_part_of_the_report(week):
    findings.publish(week, based_on=week.lock_version, actor=week.lead)
    view = week_report.report_view(week, publication=False)
    text = _text(practice_week_pdf(view, organisation="Example Council"))
    assert "OFFICIAL" in text and "OFFICIAL-SENSITIVE" not in text
    assert "Page 2 of" in text
    assert "Purpose and scope" in text
    assert "To see practice at the front door at first hand." in text
    assert "5 October 2026 to 9 October 2026" in text
    assert "Observe a meeting 1 0 0" in text  # done, planned, cancelled
    assert "Shadow a practitioner 1 0 0" in text
    assert "Conversation with a family or staff 1 0 0" in text
    assert "Early help waits too long" in text
    assert "Plans do not always say who does what" in text
    assert "Rename the single assessment" in text
    assert "Added to the improvement plan as action 1" in text
    assert "Deprivation of liberty training" in text
    assert "The voice of the child is heard in most audits" in text
    # theme, strengths, areas for development, not seen, n, % strength
    assert "Voice of the child 6 2 0 8 75%" in text
    assert "Timeliness 1 2 0 3 33%" in text
    assert "Workshops on outcome-focused plans with CP chairs" in text
    assert "1 (Improvement plan 2026-27)" in text and "2 (Improvement plan 2026-27)" in text


def test_the_publication_pdf_hides_small_counts_and_names(week):
    findings.publish(week, based_on=week.lock_version, actor=week.lead)
    view = week_report.report_view(week, publication=True)
    text = _text(practice_week_pdf(view, organisation="Example Council"))
    assert "Timeliness hidden hidden 0 hidden" in text
    # 2 developments are hidden, so the 6 strengths are too (8 - 6 would give the 2 away)
    assert "Voice of the child hidden hidden 0 8" in text
    assert "Test senior.manager.a" not in text
    assert "Owner: Senior manager" in text
    assert "A hidden number of senior managers took part" in text
    assert "Counts below 5 are hidden, and so is the next smallest count" in text
    assert "fewer than" not in text  # the 6 strengths are hidden too: never "fewer than 5"


def test_the_comparison_with_the_previous_week_is_in_the_pdf(week, loaded_templates):
    june = make_week("June 2026", date(2026, 6, 1))
    for i, voice in enumerate([S, D, D, D, D], start=1):
        add_audit(june, {"voice_of_child": voice}, reference=f"200000{i}")
    findings.publish(june, based_on=june.lock_version, actor=week.lead)
    view = week_report.report_view(week, publication=False)
    text = _text(practice_week_pdf(view, organisation="Example Council"))
    assert "Compared with June 2026 (its published findings)" in text
    assert "Voice of the child 20% (n=5) 75% (n=8) up 55 points" in text
    assert "Too few marks to tell" not in text  # timeliness was not marked in June


def test_a_later_audit_does_not_change_the_published_report(week, client_as):
    findings.publish(week, based_on=week.lock_version, actor=week.lead)
    add_audit(week, {"voice_of_child": D, "timeliness": D}, reference="1000099")
    view = week_report.report_view(week, publication=False)
    text = _text(practice_week_pdf(view, organisation="Example Council"))
    assert "Voice of the child 6 2 0 8 75%" in text
    page = client_as(Role.QA_LEAD).get(f"/practice-weeks/{week.id}/report")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert ">75%<" in html


def test_board_viewers_read_only_the_published_report_with_small_counts_hidden(week, client_as):
    board = client_as(Role.BOARD_VIEWER)
    url = f"/practice-weeks/{week.id}/report"
    assert board.get(url).status_code == 403
    assert board.get(url + ".pdf").status_code == 403
    assert client_as(Role.SENIOR_MANAGER).get(url).status_code == 200
    findings.publish(week, based_on=week.lock_version, actor=week.lead)
    page = board.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "For publication (OFFICIAL): aggregates only" in html
    assert "Counts below 5 are hidden" in html and "fewer than" not in html
    assert "Test senior.manager.a" not in html
    assert "1000001" not in html
    pdf = board.get(url + ".pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "hidden" in _text(pdf.data) and "fewer than" not in _text(pdf.data)


def test_the_command_line_writes_the_pdf(week, app, tmp_path):
    out = tmp_path / "week.pdf"
    runner = app.test_cli_runner()
    args = ["qa", "report", "practice-week", "--week", "October 2026", "--out", str(out)]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "not published" in result.output
    text = _text(out.read_bytes())
    assert "Practice week: October 2026" in text and "Quick wins" in text
    bad = runner.invoke(args=["qa", "report", "practice-week", "--week", "Nope", "--out", str(out)])
    assert bad.exit_code == 2
    assert "there is no practice week called 'Nope'" in bad.output
    bad = runner.invoke(
        args=["qa", "report", "practice-week", "--week", "October 2026", "--out", "x.xlsx"]
    )
    assert bad.exit_code == 2


def test_the_threshold_comes_from_the_organisation_settings(week):
    get_settings().small_number_threshold = 2
    db.session.commit()
    view = week_report.report_view(week, publication=True)
    assert view.threshold == 2
    rows = {r["key"]: r for r in view.figures["themes"]}
    assert (rows["voice_of_child"]["strength"], rows["voice_of_child"]["development"]) == (6, 2)
    timeliness = rows["timeliness"]  # 1 is hidden, and the 2 with it
    assert (timeliness["strength"], timeliness["development"], timeliness["n"]) == (None, None, 3)
