"""The practice-week report as PDF (text extracted with pypdf) and from the command line, per
audience: the internal tier holds every count, the owners' names and the case free text and is
OFFICIAL-SENSITIVE; the partnership tier exact counts, owners by role and no case free text;
the public tier hides small counts. The one-page summary is on the first page."""

from datetime import date

import pytest

from qa_app.data.organisation import get_settings
from qa_app.documents.practice_week_pdf import practice_week_pdf
from qa_app.extensions import db
from qa_app.services import practice_week_drafting as week_drafting
from qa_app.services import practice_week_report as week_report
from tests.practice_weeks.findings_factory import add_audit, make_week
from tests.practice_weeks.report_week import (
    CASE_REFERENCES,
    OBSERVER_SAID,
    PARENT_SAID,
    D,
    S,
    build_week,
    pdf_pages,
    pdf_text,
    word_text,
)


@pytest.fixture
def week(loaded_templates, make_user):
    return build_week(make_user)


def _pdf(week, audience: str) -> str:
    view = week_report.report_view(week, audience=audience)
    return pdf_text(practice_week_pdf(view, organisation="Example Council"))


def test_the_internal_pdf_holds_every_part_of_the_report(week):
    week_drafting.publish(week, based_on=week.lock_version, actor=week.lead, audience="partnership")
    text = _pdf(week, "internal")
    assert "OFFICIAL-SENSITIVE" in text
    assert "Page 2 of" in text
    assert "Purpose and scope" in text
    assert "To see practice at the front door at first hand." in text
    assert "5 October 2026 to 9 October 2026" in text
    assert "Observe a meeting 1 0 0" in text  # done, planned, cancelled
    assert "Shadow a practitioner 1 0 0" in text
    assert "Conversation with a family or staff 2 0 0" in text
    assert "2 activities were done: 1 meeting observed and 1 practitioner shadowed." in text
    assert "Early help waits too long" in text
    assert "Plans do not always say who does what" in text
    assert "Rename the single assessment" in text
    assert "Added to the improvement plan as action 1" in text
    assert "Deprivation of liberty training" in text
    assert "The voice of the child is heard in most audits" in text
    # theme, strengths, areas for development, not seen, n, % strength
    assert "Voice of the child 6 2 0 8 75%" in text
    assert "Timeliness 1 2 0 3 33%" in text
    assert "Voice of the child was a strength in 6 of 8 audits and observations (75%)." in text
    assert "Workshops on outcome-focused plans with CP chairs" in text
    assert "1 (Improvement plan 2026-27)" in text and "2 (Improvement plan 2026-27)" in text
    # the case free text is the internal tier's, and owners are named
    assert OBSERVER_SAID in text and f"A parent or carer: {PARENT_SAID}" in text
    assert "Owner: Test senior.manager.a" in text


def test_the_partnership_pdf_has_exact_counts_owners_by_role_and_no_case_free_text(week):
    week_drafting.publish(week, based_on=week.lock_version, actor=week.lead, audience="partnership")
    text = _pdf(week, "partnership")
    assert "OFFICIAL" in text and "OFFICIAL-SENSITIVE" not in text
    assert "Timeliness 1 2 0 3 33%" in text  # a board reads exact counts
    assert "Voice of the child 6 2 0 8 75%" in text
    assert "hidden" not in text
    # a senior manager who also audits owns actions as a senior manager
    assert "Owner: Senior manager" in text and "Auditor" not in text
    assert "Test senior.manager.a" not in text
    assert OBSERVER_SAID not in text and PARENT_SAID not in text
    assert "What families and staff told us" not in text
    assert not any(reference in text for reference in CASE_REFERENCES)


def test_the_public_pdf_hides_small_counts_and_names(week):
    week_drafting.publish(week, based_on=week.lock_version, actor=week.lead, audience="public")
    text = _pdf(week, "public")
    assert "Timeliness hidden hidden 0 hidden" in text
    # 2 developments are hidden, so the 6 strengths are too (8 - 6 would give the 2 away)
    assert "Voice of the child hidden hidden 0 8" in text
    assert "Test senior.manager.a" not in text
    assert "Owner: Senior manager" in text
    assert "Senior managers took part" in text and "a hidden number" not in text
    assert "Counts below 5 are hidden, and so is the next smallest count" in text
    assert "fewer than" not in text  # the 6 strengths are hidden too: never "fewer than 5"
    assert OBSERVER_SAID not in text and PARENT_SAID not in text


def test_the_one_page_summary_is_the_first_page_in_the_shape_of_the_slide(week):
    week_drafting.publish(week, based_on=week.lock_version, actor=week.lead, audience="partnership")
    view = week_report.report_view(week, audience="partnership")
    data = practice_week_pdf(view, organisation="Example Council")
    first = pdf_pages(data)[0]
    for expected in (
        "Practice week: October 2026",
        "Summary: headline findings",
        "1 senior manager took part",
        "The front door: MASH and initial response: Children at risk are triaged quickly. "
        "Early help waits too long.",
        "Quick wins",
        "1. Rename the single assessment",
        "2. Deprivation of liberty training",
        "Audit themes: key findings",
        "The voice of the child is heard in most audits",
        "Actions in the improvement plan to address the learning",
        "Workshops on outcome-focused plans with CP chairs (Senior manager)",
    ):
        assert expected in first, expected
    assert "Purpose and scope" not in first  # the body starts on a later page


def test_the_comparison_with_the_previous_week_is_in_the_pdf(week, loaded_templates):
    june = make_week("June 2026", date(2026, 6, 1))
    for i, voice in enumerate([S, D, D, D, D], start=1):
        add_audit(june, {"voice_of_child": voice}, reference=f"200000{i}")
    week_drafting.publish(june, based_on=june.lock_version, actor=week.lead)
    text = _pdf(week, "internal")
    assert "Compared with June 2026 (its published findings)" in text
    assert "Voice of the child 20% (n=5) 75% (n=8) up 55 points" in text
    assert "Too few marks to tell" not in text  # timeliness was not marked in June
    # the public tier hides this week's 6 and 2, so it cannot state 75% of 8 either
    public = _pdf(week, "public")
    assert "75%" not in public and "up 55 points" not in public
    assert "Too few marks to tell or to publish" in public


def test_a_later_audit_does_not_change_the_published_report(week, client_as):
    week_drafting.publish(week, based_on=week.lock_version, actor=week.lead)
    add_audit(week, {"voice_of_child": D, "timeliness": D}, reference="1000099")
    assert "Voice of the child 6 2 0 8 75%" in _pdf(week, "internal")


def test_the_command_line_writes_the_pdf_and_the_word_file_for_an_audience(week, app, tmp_path):
    runner = app.test_cli_runner()
    out = tmp_path / "week.pdf"
    args = ["qa", "report", "practice-week", "--week", "October 2026", "--out", str(out)]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "not published" in result.output
    text = pdf_text(out.read_bytes())
    assert "Practice week: October 2026" in text and "OFFICIAL-SENSITIVE" in text
    word = tmp_path / "week.docx"
    args = ["qa", "report", "practice-week", "--week", "October 2026", "--out", str(word)]
    result = runner.invoke(args=[*args, "--audience", "partnership"])
    assert result.exit_code == 0, result.output
    text = word_text(word.read_bytes())
    assert "Owner: Senior manager" in text and PARENT_SAID not in text
    assert "OFFICIAL-SENSITIVE" not in text
    bad = runner.invoke(args=["qa", "report", "practice-week", "--week", "Nope", "--out", str(out)])
    assert bad.exit_code == 2
    assert "there is no practice week called 'Nope'" in bad.output
    bad = runner.invoke(
        args=["qa", "report", "practice-week", "--week", "October 2026", "--out", "x.xlsx"]
    )
    assert bad.exit_code == 2


def test_the_thresholds_come_from_the_organisation_settings(week):
    settings = get_settings()
    settings.small_number_threshold = 2
    db.session.commit()
    view = week_report.report_view(week, audience="public")
    assert view.threshold == 2
    rows = {r["key"]: r for r in view.figures["themes"]}
    assert (rows["voice_of_child"]["strength"], rows["voice_of_child"]["development"]) == (6, 2)
    timeliness = rows["timeliness"]  # 1 is hidden, and the 2 with it
    assert (timeliness["strength"], timeliness["development"], timeliness["n"]) == (None, None, 3)
    # the partnership reads exact counts unless the council sets a partnership threshold
    assert week_report.report_view(week, audience="partnership").suppresses is False
    settings.partnership_threshold = 3
    db.session.commit()
    view = week_report.report_view(week, audience="partnership")
    assert view.suppresses and view.threshold == 3
    rows = {r["key"]: r for r in view.figures["themes"]}
    assert rows["timeliness"]["strength"] is None
