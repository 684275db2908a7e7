"""Drafting, editing and publishing the scrutiny pack (qa_app.services.scrutiny_reports): the
section text drafted from the managers' commentary and the figures, versions in one series per
month, a stale save refused, publishing through the identifier check and freezing the version,
every write in the change log."""

from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from qa_app.data import indicator_values
from qa_app.data import indicators as indicator_data
from qa_app.data.reports import ReportError, StaleReport
from qa_app.data.users import create_user
from qa_app.extensions import db
from qa_app.models import ChangeLogEntry, ReportAudience, ReportKind, Role
from qa_app.services import report_drafting, scrutiny_reports
from qa_app.services.scrutiny_figures import compute_scrutiny_figures
from tests.indicators.support import APRIL, CONTACT_VALUES, CONTACTS, define, store
from tests.services import scrutiny_seed as seed

TODAY = date(2021, 10, 20)


@pytest.fixture
def lead():
    return create_user("pack.lead", "Pack Lead", "correct-horse-battery", [Role.QA_LEAD])


def _section(report, key):
    return next(s for s in report.sections if s["key"] == key)


def _log(report):
    return [
        e.action
        for e in db.session.query(ChangeLogEntry)
        .filter_by(entity_type="report", entity_id=str(report.id))
        .order_by(ChangeLogEntry.id)
    ]


def test_a_draft_is_a_partnership_report_in_the_months_series_with_a_section_per_area(lead):
    plans, _visits = seed.children_in_need()
    seed.recruitment()
    indicator_values.save_commentary(
        plans,
        seed.SEPTEMBER,
        "Steady increase in children in need.\n\nReviewing whether early help could meet needs.",
        based_on=0,
        actor=lead,
    )

    report = scrutiny_reports.draft(seed.SEPTEMBER, lead, TODAY)

    assert (report.kind, report.audience, report.series_key) == (
        ReportKind.SCRUTINY,
        ReportAudience.PARTNERSHIP,
        "scrutiny:2021-09",
    )
    assert report.title.endswith("September 2021")
    assert [s["key"] for s in report.sections] == [
        "area:children_in_need",
        "area:recruitment",
        "demand",
        "practice_week",
        "audit_themes",
        "actions",
    ]
    lines = _section(report, "area:children_in_need")["text"].splitlines()
    assert lines[:3] == [
        "Steady increase in children in need.",
        "Reviewing whether early help could meet needs.",
        "Children on a child in need plan: 686 at the end of September 2021, 5% more than a "
        "year before.",
    ]
    # the closing sections show their figures as they are: their text is commentary, not a copy
    assert all(_section(report, k)["text"] == "" for k in ("demand", "practice_week", "actions"))
    assert _log(report) == ["drafted"]


def test_drafting_again_makes_a_new_version_of_the_same_series(lead):
    seed.children_in_need()
    first = scrutiny_reports.draft(seed.SEPTEMBER, lead, TODAY)
    second = scrutiny_reports.redraft(first, lead, TODAY)

    assert (second.series_key, second.number, second.title) == (first.series_key, 2, first.title)


def test_a_month_that_has_not_ended_is_refused(lead):
    with pytest.raises(ReportError) as refused:
        scrutiny_reports.draft(date(2021, 10, 1), lead, TODAY)
    assert refused.value.problems == [("month", "Choose a month that has ended")]


def test_a_stale_save_is_refused_and_the_newer_text_kept(lead):
    seed.children_in_need()
    report = scrutiny_reports.draft(seed.SEPTEMBER, lead, TODAY)
    scrutiny_reports.save_text(
        report, sections={"demand": "Referrals rose."}, based_on=1, actor=lead
    )

    with pytest.raises(StaleReport):
        scrutiny_reports.save_text(
            report, sections={"demand": "An older edit."}, based_on=1, actor=lead
        )

    assert _section(report, "demand")["text"] == "Referrals rose."
    assert _log(report) == ["drafted", "edited"]


def test_publishing_freezes_the_version_and_its_figures(lead):
    plans, _ = seed.children_in_need()
    report = scrutiny_reports.draft(seed.SEPTEMBER, lead, TODAY)
    report_drafting.publish(report, based_on=report.lock_version, actor=lead)
    seed.store(plans, {seed.SEPTEMBER: 700})

    with pytest.raises(ReportError):
        scrutiny_reports.save_text(report, sections={"demand": "Later."}, based_on=2, actor=lead)

    db.session.refresh(report)
    assert report.is_published
    plans_figures = report.figures["areas"][0]["indicators"][0]
    assert plans_figures["value"] == 686
    assert _log(report) == ["drafted", "published"]


def test_a_case_reference_typed_into_a_section_stops_publication(lead):
    seed.children_in_need()
    report = scrutiny_reports.draft(seed.SEPTEMBER, lead, TODAY)
    scrutiny_reports.save_text(
        report,
        sections={"area:children_in_need": "Case 12345678 waited too long."},
        based_on=1,
        actor=lead,
    )

    with pytest.raises(report_drafting.PublicationRefused) as refused:
        report_drafting.publish(report, based_on=report.lock_version, actor=lead)

    assert [field for field, _ in refused.value.problems] == ["section__area:children_in_need"]
    assert not report.is_published


@pytest.mark.parametrize("kind", ["pdf", "docx", "pptx"])
def test_a_stored_version_downloads_from_its_snapshot(lead, kind):
    pytest.importorskip(f"qa_app.documents.scrutiny_{kind}")
    seed.children_in_need()
    report = scrutiny_reports.draft(seed.SEPTEMBER, lead, TODAY)

    data = getattr(scrutiny_reports, f"{kind}_bytes")(report)

    assert data[:4] == (b"%PDF" if kind == "pdf" else b"PK\x03\x04")


def test_seed_002s_scorecard_row_reads_the_same_in_the_pack_as_on_the_scorecard():
    # Seed 002, the monthly scorecard: contacts 1,535 1,123 1,219 1,354 1,323 1,258 from
    # November to April, 1,430 the April before: -5% on the month and -12% on the year.
    (contacts,) = define(CONTACTS)
    seed.set_up(contacts, area="referrals", adds_up=True)
    store(contacts, CONTACT_VALUES)

    figures = compute_scrutiny_figures(APRIL, today=date(2026, 5, 20))
    (row,) = next(a for a in figures["areas"] if a["key"] == "referrals")["indicators"]
    assert (row["value"], row["previous"], row["last_year"]) == (1258, 1323, 1430)
    assert (row["change_month"], row["change_year"]) == (-5, -12)

    report = scrutiny_reports.draft(APRIL, None, date(2026, 5, 20))
    pdf = PdfReader(BytesIO(scrutiny_reports.pdf_bytes(report)))
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "Contacts received 1,258" in text and "−5%" in text and "−12%" in text
    assert "Contacts received: 1,258 in April 2026, 12% fewer than a year before." in text


def test_every_typed_text_the_pack_prints_is_checked_before_it_is_published(lead):
    # A breakdown's name and a demand indicator with no area of its own are printed by the
    # page and the documents: each holding a case reference stops publication.
    seed.children_in_need()
    (cin,) = [i for i in indicator_data.list_indicators() if i.code == "CIN01"]
    seed.breakdown(cin, seed.SEPTEMBER, "case 12345678", {"North": 400, "South": 286})
    (demand,) = define(
        {"code": "DEM01", "name": "Referrals, child 23456789", "unit": "count", "better": "neither"}
    )
    demand.demand, demand.adds_up = True, True
    store(demand, {seed.SEPTEMBER: 300})
    report = scrutiny_reports.draft(seed.SEPTEMBER, lead, TODAY)

    with pytest.raises(report_drafting.PublicationRefused) as refused:
        report_drafting.publish(report, based_on=report.lock_version, actor=lead)

    messages = " | ".join(p.message for p in refused.value.found)
    assert "a breakdown's name" in messages and "Demand, ‘DEM01’" in messages


def test_two_drafts_at_the_same_moment_take_the_next_numbers(lead, monkeypatch):
    # The second read the same highest number as the first (a race between two QA leads): its
    # insert meets the unique (series, number) and takes the next number, not a server error.
    from qa_app.data import reports as report_data

    seed.children_in_need()
    first = scrutiny_reports.draft(seed.SEPTEMBER, lead, TODAY)
    stale = iter([1])
    real = report_data.next_number
    monkeypatch.setattr(report_data, "next_number", lambda key: next(stale, None) or real(key))

    second = scrutiny_reports.draft(seed.SEPTEMBER, lead, TODAY)

    assert (first.number, second.number) == (1, 2)
