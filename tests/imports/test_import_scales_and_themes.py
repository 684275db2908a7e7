"""A historic review keeps the scale it was graded on (--scale), and its findings are counted
on that scale, never pooled with audits graded on another; themes its questions never asked
about are "not assessed"."""

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from qa_app.data.templates import get_template
from qa_app.documents import narrative
from qa_app.documents.cycle_pdf import cycle_report_pdf
from qa_app.documents.xlsx import workbook
from qa_app.extensions import db
from qa_app.findings import Filters, compute_findings
from qa_app.models import Audit, ChangeLogEntry, Role, TemplateVersion, ThemeMark
from tests.imports.support import (
    cli_runner,
    complete_row,
    content_of,
    counts,
    team_and_auditor,
    write_csv,
)

SA = "single_assessment"
REVIEW = ["Good"] * 5 + ["Adequate"] * 5 + ["Inadequate"] * 2  # the council's 12 assessments


@pytest.fixture
def cli(app):
    return cli_runner(app)


@pytest.fixture
def setup(loaded_templates, make_user):
    return team_and_auditor(make_user)


def graded_row(reference: str, grade: str, day: str) -> dict:
    """A complete single assessment with every section and the overall grade `grade`."""
    sections = [s["key"] for s in content_of(SA)["template"]["sections"] if s["graded"]]
    grades = {f"grade__{key}": grade for key in sections}
    return complete_row(SA, reference, overall_grade=grade, audit_date=day, **grades)


def sa_entries(fig: dict) -> dict:
    return {t["scale"]["key"]: t for t in fig["templates"] if t["key"] == SA}


def test_a_good_adequate_inadequate_review_keeps_its_own_scale(cli, setup, tmp_path, client_as):
    review = [graded_row(f"4000{i:04d}", g, "2013-11-04") for i, g in enumerate(REVIEW)]
    path = write_csv(tmp_path / "review.csv", review)
    # without --scale, "Adequate" is refused, naming the way out
    before = counts()
    refused = cli("import-audits", str(path), "--template", SA)
    assert refused.exit_code == 1
    assert "the cell's text is not a grade on the template's scale" in refused.stdout
    assert "name its scale with --scale" in refused.stdout
    assert counts() == before
    result = cli("import-audits", str(path), "--template", SA, "--scale", "three_point")
    assert result.exit_code == 0, result.output
    assert "historic, graded on the Good / adequate / inadequate scale" in result.stdout
    latest = get_template(SA).versions[-1]
    assert latest.number == 1  # new audits still use the current version
    historic = db.session.scalars(
        select(TemplateVersion).where(
            TemplateVersion.template_id == latest.template_id, TemplateVersion.number == 0
        )
    ).one()
    assert historic.content["template"]["scale"] == "three_point"
    assert latest.content["template"]["scale"] == "ofsted4"
    audits = db.session.scalars(select(Audit)).all()
    assert {a.template_version_id for a in audits} == {historic.id}
    assert sorted(a.overall_grade for a in audits) == sorted(g.lower() for g in REVIEW)
    (entry,) = db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.action == "historic_version_created")
    ).all()
    assert entry.entity_id == SA
    assert entry.changes["scale"] == "three_point" and entry.changes["version"] == 0
    assert entry.changes["based_on"] == 1 and entry.changes["file"] == "review.csv"

    # a later review on the Ofsted scale, and another on the old scale (same version reused)
    current = [graded_row("50000001", "Good", "2014-02-03")]
    current.append(graded_row("50000002", "Requires improvement to be good", "2014-02-04"))
    ofsted = cli("import-audits", str(write_csv(tmp_path / "now.csv", current)), "--template", SA)
    assert ofsted.exit_code == 0, ofsted.output
    again = [graded_row("40009999", "Adequate", "2013-11-05")]
    path = write_csv(tmp_path / "more.csv", again)
    assert (
        cli("import-audits", str(path), "--template", SA, "--scale", "three_point").exit_code == 0
    )
    assert len(get_template(SA).versions) == 2  # version 0 reused, not made again

    fig = compute_findings(Filters())
    entries = sa_entries(fig)
    assert entries["three_point"]["overall"] == {
        "counts": {"good": 5, "adequate": 6, "inadequate": 2},
        "n": 13,
        "good_or_better": 5,
    }
    assert entries["ofsted4"]["overall"]["counts"] == {
        "outstanding": 0,
        "good": 1,
        "requires_improvement": 1,
        "inadequate": 0,
    }
    by_scale = {s["scale"]: s for s in fig["by_scale"]}
    assert (by_scale["three_point"]["n"], by_scale["three_point"]["good_or_better"]) == (13, 5)
    assert by_scale["three_point"]["counts"]["adequate"] == 6
    assert (by_scale["ofsted4"]["n"], by_scale["ofsted4"]["good_or_better"]) == (2, 1)
    # no figure adds the two scales together
    (team,) = fig["by_team"]
    assert "good_or_better" not in team and team["completed"] == 15
    assert {c["scale"]: c["good_or_better"] for c in team["by_scale"]} == {
        "ofsted4": 1,
        "three_point": 5,
    }
    month = next(m for m in fig["by_month"] if m["month"] == "2013-11")
    assert "good_or_better" not in month
    text = narrative.summary(fig, 1)
    assert (
        "Of the 13 audits graded on the Good / adequate / inadequate scale, 5 (38%) were "
        "judged good or better (good)." in text
    )
    assert (
        "Of the 2 audits graded on the Ofsted four-point scale, 1 (50%) was judged good or "
        "better (outstanding or good)." in text
    )
    assert "15 audits with an overall grade" not in text

    # the cycle report's PDF and workbook state good or better per scale too
    sections = narrative.draft_sections(fig, 1)
    pdf = cycle_report_pdf(
        title="Quality review",
        sections=sections,
        key_findings={},
        figures=fig,
        threshold=1,
        internal=True,
        status="draft",
        organisation="Council",
    )
    words = re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages))
    assert "judged good or better (Good / adequate / inadequate)" in words
    assert "judged good or better (Ofsted four-point)" in words
    book = load_workbook(BytesIO(workbook("Quality review", sections, {}, fig, 1)))
    months = [[c.value for c in row] for row in book["Months"].iter_rows()]
    assert months[0] == [
        "Month",
        "Completed",
        "Good or better, Ofsted four-point scale",
        "Share",
        "Good or better, Good / adequate / inadequate scale",
        "Share",
    ]
    assert next(r for r in months if r[0] == "Nov 2013")[1:5] == [13, 0, "–", 5]

    # the findings pages: per scale, the old scale's grades apart
    lead = client_as(Role.QA_LEAD)
    library = lead.get(f"/templates/{SA}").get_data(as_text=True)
    assert "Historic: the questions of the version current when it was made, graded on" in library
    assert lead.get(f"/templates/{SA}/versions/0").status_code == 200
    period = "from=2013-11-01&to=2014-02-28"
    page = lead.get(f"/findings/templates/{SA}?{period}").get_data(as_text=True)
    assert "Graded on the Good / adequate / inadequate scale" in page
    assert "13 completed audits in this period were graded on the Good / adequate" in page
    overview = lead.get(f"/findings/?{period}").get_data(as_text=True)
    assert 'id="key-good-or-better-three_point">38%' in overview
    assert 'id="key-good-or-better-ofsted4">50%' in overview
    assert (
        "Single assessment (child and family assessment) (Good / adequate / inadequate scale)"
        in overview
    )

    # the historic review alone: its own scale, its own figures
    november = compute_findings(Filters.from_args({"from": "2013-11-01", "to": "2013-11-30"})[0])
    assert list(sa_entries(november)) == ["three_point"]
    assert [s["scale"] for s in november["by_scale"]] == ["three_point"]
    assert november["by_month"][0]["good_or_better"] == 5  # one scale: stated plainly


def test_an_unknown_scale_is_refused(cli, setup, tmp_path):
    path = write_csv(tmp_path / "r.csv", [graded_row("40000001", "Good", "2013-11-04")])
    result = cli("import-audits", str(path), "--template", SA, "--scale", "five_point")
    assert result.exit_code == 1
    assert "--scale: no scale 'five_point' (known: ofsted4, three_point)" in result.stdout


def test_a_review_that_never_asked_about_fathers_does_not_assess_fathers(cli, setup, tmp_path):
    # the tester's file: grades and the few questions the review looked at; 4 of the 12
    # assessments had no evidence of agency checks
    rows = [
        {
            "case_reference": f"4100{i:04d}",
            "audit_date": "2013-11-04",
            "overall_grade": "Good",
            "agency_checks_complete": "No" if i < 4 else "Yes",
            "child_seen_alone": "Yes",
        }
        for i in range(12)
    ]
    path = write_csv(tmp_path / "few.csv", rows)
    result = cli("import-audits", str(path), "--template", SA, "--allow-incomplete")
    assert result.exit_code == 0, result.output
    marks = {}
    for theme, mark in db.session.execute(select(ThemeMark.theme_key, ThemeMark.mark)):
        marks.setdefault(theme, []).append(mark)
    assert set(marks["fathers_wider_family"]) == {"not_assessed"}
    assert sorted(marks["multi_agency_working"]) == ["development"] * 4 + ["strength"] * 8
    fig = compute_findings(Filters())
    themes = {t["key"]: t for t in fig["themes"]}
    assert "fathers_wider_family" not in themes  # not "a strength (8 of 12)"
    assert themes["multi_agency_working"]["n"] == 12
    assert "fathers_wider_family" not in fig["top_strengths"]
