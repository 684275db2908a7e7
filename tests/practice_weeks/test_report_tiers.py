"""The practice-week report per audience: its sentences and its tables agree at every tier (a
count hidden in a table is never stated in the text); board viewers find the partnership
version in their Reports list and read it (page, PDF, Word) without reaching the week's
case-level pages; the Word file holds what the PDF holds; publishing beyond the service is
checked; owners are named by the role they hold for the action."""

import io
import re

import pytest
from docx import Document
from docx.oxml.ns import qn

from qa_app.data import practice_week_findings as findings
from qa_app.data.organisation import get_settings
from qa_app.data.users import owner_role_label
from qa_app.documents.practice_week_docx import practice_week_docx
from qa_app.documents.practice_week_pdf import practice_week_pdf
from qa_app.extensions import db
from qa_app.findings import present
from qa_app.models import Role
from qa_app.services import practice_week_drafting as week_drafting
from qa_app.services import practice_week_report as week_report
from tests.practice_weeks.findings_factory import area
from tests.practice_weeks.report_week import (
    CASE_REFERENCES,
    OBSERVER_SAID,
    PARENT_SAID,
    build_week,
    pdf_text,
    word_text,
)

AUDIENCES = ("internal", "partnership", "public")
THEME_LINE = re.compile(
    r"^(?P<name>.+) was (?P<mark>a strength|an area for development) in (?P<part>[\d,]+) of "
    r"(?P<whole>[\d,]+) audits and observations \((?P<pct>\d+)%\)\.$"
)
MARKS = {"a strength": "strength", "an area for development": "development"}


@pytest.fixture
def week(loaded_templates, make_user):
    return build_week(make_user)


def _numbers(text: str) -> list[int]:
    return [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", text)]


def _shown_values(value) -> set[int]:
    if isinstance(value, dict):
        return set().union(*(_shown_values(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_shown_values(v) for v in value)) if value else set()
    if isinstance(value, int) and not isinstance(value, bool):
        return {value}
    return set()


def _files(view):
    pdf = pdf_text(practice_week_pdf(view, organisation="Example Council"))
    word = word_text(practice_week_docx(view, organisation="Example Council"))
    return pdf, word


@pytest.mark.parametrize("threshold", [5, 3, 2])
def test_the_text_and_the_tables_agree_at_every_tier(week, threshold):
    get_settings().small_number_threshold = threshold
    db.session.commit()
    week_drafting.publish(week, based_on=week.lock_version, actor=week.lead, audience="public")
    full = week_report.figures_for(week)
    for audience in AUDIENCES:
        view = week_report.report_view(week, audience=audience)
        figures = view.figures
        count = present.count
        pdf, word = _files(view)
        hidden = week_drafting.hidden_values(full, view.threshold) if view.suppresses else set()
        hidden -= _shown_values(figures)  # a value shown for one figure may be stated
        stated = []
        # each area's sentence states the count its table row shows, or none if hidden
        for line, row in zip(
            [a["figures_line"] for a in view.areas], figures["focus_areas"], strict=True
        ):
            stated.append(line)
            for text in (pdf, word):
                assert f"{row['title']} {count(row['activities_done'])}" in text
                assert line in text
            if row["activities_done"] is None:
                assert _numbers(line) == []
            elif row["activities_done"]:
                assert _numbers(line)[0] == row["activities_done"]
                assert sum(_numbers(line)[1:]) in (0, row["activities_done"])
        # each theme sentence states the counts of its table row; hidden rows are not stated
        rows = {r["name"]: r for r in figures["themes"]}
        for line in view.theme_lines:
            stated.append(line)
            found = THEME_LINE.match(line)
            row = rows[found["name"]]
            assert row[MARKS[found["mark"]]] == int(found["part"].replace(",", ""))
            assert row["n"] == int(found["whole"].replace(",", ""))
            cells = [count(row[k]) for k in ("strength", "development", "not_seen", "n")]
            for text in (pdf, word):
                assert line in text
                assert f"{row['name']} {' '.join(cells)}" in text
        for row in figures["themes"]:
            if row["strength"] is None or row["n"] is None:
                assert not any(line.startswith(row["name"]) for line in view.theme_lines)
        # the opening sentence states the key figures, or leaves them out when hidden
        stated.append(view.week_sentence)
        for key in ("activities_done", "audits_completed", "managers"):
            if figures[key] is not None:
                assert str(figures[key]) in view.week_sentence
        # no sentence states a count the tier hides
        for line in stated:
            assert not set(_numbers(line)) & hidden, (audience, line)
        if audience == "public" and threshold == 5:
            assert "too few to publish" in view.areas[0]["figures_line"]
            assert view.theme_lines == []


def test_board_viewers_find_and_read_the_partnership_report_only_once_published_to_them(
    week, client_as
):
    board, moderator = client_as(Role.BOARD_VIEWER), client_as(Role.MODERATOR)
    manager = client_as(Role.SENIOR_MANAGER)
    url = f"/practice-weeks/{week.id}/report"
    for tail in ("", ".pdf", ".docx"):
        assert board.get(url + tail).status_code == 403
    assert "Practice-week reports" not in board.get("/reports/").get_data(as_text=True)
    assert manager.get(url).status_code == 200  # the people running the week read drafts

    # Published to the service only: moderators read it, board viewers do not.
    week_drafting.publish(week, based_on=week.lock_version, actor=week.lead, audience="internal")
    assert board.get(url).status_code == 403
    assert "October 2026" not in board.get("/reports/").get_data(as_text=True)
    page = moderator.get(url).get_data(as_text=True)
    assert "Partnership (the safeguarding board and scrutiny committee), OFFICIAL" in page
    assert PARENT_SAID not in page

    findings.redraft(week, based_on=week.lock_version, actor=week.lead)
    week_drafting.publish(week, based_on=week.lock_version, actor=week.lead, audience="partnership")
    listing = board.get("/reports/").get_data(as_text=True)
    assert "Practice-week reports" in listing and f'href="{url}"' in listing
    page = board.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Partnership (the safeguarding board and scrutiny committee), OFFICIAL" in html
    assert "Voice of the child was a strength in 6 of 8 audits and observations (75%)." in html
    assert "Owner: Senior manager" in html and "Test senior.manager.a" not in html
    assert PARENT_SAID not in html and OBSERVER_SAID not in html
    assert not any(reference in html for reference in CASE_REFERENCES)
    assert 'href="/practice-weeks/"' not in html  # no link to pages they cannot open
    pdf, docx = board.get(url + ".pdf"), board.get(url + ".docx")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert docx.status_code == 200 and docx.mimetype.endswith("wordprocessingml.document")
    assert "Owner: Senior manager" in word_text(docx.data)
    # the week's case-level pages stay closed, and so do the other tiers
    for closed in ("/practice-weeks/", f"/practice-weeks/{week.id}", f"{url[:-7]}/findings"):
        assert board.get(closed).status_code == 403, closed
    assert board.get(url + "?audience=internal").status_code == 404
    # the people running the week read every tier
    assert PARENT_SAID in manager.get(url).get_data(as_text=True)
    public = manager.get(url + "?audience=public").get_data(as_text=True)
    assert "Public (published on the council&#39;s website), OFFICIAL" in public
    assert "hidden" in public and PARENT_SAID not in public


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_word_file_holds_what_the_pdf_holds(week, audience):
    week_drafting.publish(week, based_on=week.lock_version, actor=week.lead, audience="public")
    view = week_report.report_view(week, audience=audience)
    data = practice_week_docx(view, organisation="Example Council")
    pdf = pdf_text(practice_week_pdf(view, organisation="Example Council"))
    word = word_text(data)
    expected = [
        "Practice week: October 2026",
        view.week_sentence,
        *view.summary["quick_wins"],
        *view.summary["themes"],
        *view.summary["actions"],
        *[a["figures_line"] for a in view.areas],
        *[line for a in view.areas for line in a["lines"]],
        *view.theme_lines,
        "To see practice at the front door at first hand.",
        "Rename the single assessment. Owner:",
    ]
    for text in expected:
        assert text in pdf and text in word, text
    document = Document(io.BytesIO(data))
    assert document.sections[0].header.paragraphs[0].text == view.marking
    if audience == "internal":
        assert view.marking == "OFFICIAL-SENSITIVE"
        assert PARENT_SAID in word and OBSERVER_SAID in word
    else:
        assert view.marking == "OFFICIAL" and "OFFICIAL-SENSITIVE" not in word
        assert PARENT_SAID not in word and OBSERVER_SAID not in word
        assert not any(reference in word for reference in CASE_REFERENCES)
    # the one-page summary comes first, then a page break, then the body
    paragraphs = [p for p in document.paragraphs]
    brk = next(
        i
        for i, p in enumerate(paragraphs)
        if any(b.get(qn("w:type")) == "page" for b in p._p.iter(qn("w:br")))
    )
    before = " ".join(p.text for p in paragraphs[:brk])
    after = " ".join(p.text for p in paragraphs[brk:])
    assert "Summary: headline findings" in before and "Quick wins" in before
    assert "Purpose and scope" in after and "Purpose and scope" not in before


def test_publishing_beyond_the_service_is_refused_while_the_text_names_a_case(week):
    area(week, 1).headlines = "Case 1000001 waited three weeks for early help"
    db.session.commit()
    for audience in ("partnership", "public"):
        with pytest.raises(week_drafting.FindingsRefused) as refused:
            week_drafting.publish(
                week, based_on=week.lock_version, actor=week.lead, audience=audience
            )
        messages = " ".join(p.message for p in refused.value.problems)
        assert "case reference" in messages and "1000001" in messages
    assert not findings.is_published(week)
    week_drafting.publish(week, based_on=week.lock_version, actor=week.lead, audience="internal")
    assert findings.published_audience(week) == "internal"


def test_publishing_to_the_public_is_refused_while_the_text_states_a_hidden_count(week):
    week.themes_summary = "Voice of the child was a strength in 6 of 8 audits"
    db.session.commit()
    with pytest.raises(findings.FindingsError) as refused:
        week_drafting.publish(week, based_on=week.lock_version, actor=week.lead, audience="public")
    assert "key findings, line 1 states 6, which the public report hides" in refused.value.message
    # the partnership reads exact counts: the same text may go to the board
    week_drafting.publish(week, based_on=week.lock_version, actor=week.lead, audience="partnership")
    assert findings.published_audience(week) == "partnership"


def test_an_owner_is_named_by_the_role_they_hold_for_the_action(make_user):
    assert owner_role_label(make_user(Role.AUDITOR, Role.SENIOR_MANAGER)) == "Senior manager"
    assert owner_role_label(make_user(Role.AUDITOR, Role.QA_LEAD)) == "QA lead"
    assert owner_role_label(make_user(Role.MODERATOR, Role.AUDITOR)) == "Moderator"
    assert owner_role_label(make_user(Role.AUDITOR)) == "Auditor"
    assert owner_role_label(make_user(Role.BOARD_VIEWER)) == "Member of staff"
    assert owner_role_label(None) == "No owner yet"


def test_findings_frozen_before_the_audiences_still_read_at_every_tier(week, client_as):
    """Figures frozen by an earlier version (schema 1: no per-kind area counts, no activities
    in no area, no notes, no audience) render on the page, as PDF and as Word; they were
    published to the readers of findings, so board viewers read them as the partnership."""
    week_drafting.publish(week, based_on=week.lock_version, actor=week.lead)
    old = dict(week.figures)
    for key in ("no_area_done", "conversations", "notes", "audience"):
        old.pop(key)
    old["schema"] = 1
    old["focus_areas"] = [
        {k: v for k, v in a.items() if k != "done_by_kind"} for a in old["focus_areas"]
    ]
    week.figures = old
    db.session.commit()
    assert findings.published_audience(week) == "partnership"
    for audience in AUDIENCES:
        view = week_report.report_view(week, audience=audience)
        pdf, word = _files(view)
        assert view.areas[0]["figures_line"] in pdf and view.areas[0]["figures_line"] in word
    assert week_report.report_view(week, audience="internal").areas[0]["figures_line"] == (
        "2 activities were done in this area."
    )
    board = client_as(Role.BOARD_VIEWER)
    url = f"/practice-weeks/{week.id}/report"
    for tail in ("", ".pdf", ".docx"):
        assert board.get(url + tail).status_code == 200


def test_an_action_edited_after_publishing_never_shows_an_identifier_below_the_service(week):
    from sqlalchemy import select

    from qa_app.models import ImprovementAction

    week_drafting.publish(week, based_on=week.lock_version, actor=week.lead, audience="partnership")
    action = (
        db.session.scalars(
            select(ImprovementAction).where(ImprovementAction.source_week_id == week.id)
        ).first()
        or db.session.scalars(select(ImprovementAction)).first()
    )
    action.description = "Chase the plan for 12345678 with the family"
    db.session.commit()
    for audience in ("partnership", "public"):
        view = week_report.report_view(week, audience=audience)
        texts = " ".join(a["description"] for a in view.actions)
        assert "12345678" not in texts and week_report.WITHHELD in texts
    internal = week_report.report_view(week, audience="internal")
    assert any("12345678" in a["description"] for a in internal.actions)
