"""Drafting, editing, versions and downloads of the annual self-evaluation
(qa_app.services.self_evaluation), from the hand-worked data set (tests/findings/known_data.py)
with an indicator, a practice week and an improvement action beside it: exact sentences,
evidence links beside each statement, a stale save refused, the PDF and the Word file holding
the same statements."""

from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from qa_app.data import improvement
from qa_app.data.reports import ReportError, StaleReport
from qa_app.documents.docx_base import docx_text
from qa_app.documents.self_evaluation_text import audit_statements
from qa_app.extensions import db
from qa_app.models import ChangeLogEntry, PracticeWeek, ReportAudience, ReportKind, Role
from qa_app.services import report_drafting, self_evaluation
from tests.findings import known_data
from tests.indicators.support import ASSESSMENTS, define, store

TODAY = date(2026, 12, 8)
START, END = date(2025, 12, 1), date(2026, 11, 30)


@pytest.fixture
def known(loaded_templates, make_user):
    auditor = make_user(Role.AUDITOR, username="auditor.one")
    moderator = make_user(Role.MODERATOR, username="moderator.one")
    return known_data.build(auditor, moderator)


@pytest.fixture
def lead(make_user):
    return make_user(Role.QA_LEAD, username="self.lead")


@pytest.fixture
def evidence(known, lead):
    """Beside the audits: an assessments indicator, a practice week and an action."""
    (indicator,) = define(ASSESSMENTS | {"area": "assessments"})
    store(
        indicator,
        {date(2025, 11, 1): 78, date(2026, 10, 1): 80, date(2026, 11, 1): 86},
        source="assessments-nov.csv",
    )
    week = PracticeWeek(
        name="Autumn practice week",
        starts_on=date(2026, 10, 5),
        ends_on=date(2026, 10, 9),
        themes_summary="Children's voices were heard in visits\nSupervision notes were brief",
    )
    db.session.add(week)
    db.session.commit()
    plan = improvement.save_plan(None, title="Improvement plan 2026-27", actor=lead)
    action = improvement.create_action(
        plan,
        actor=lead,
        today=date(2026, 6, 1),
        description="Voice of the child workshops",
        themes=["voice_of_child"],
        status="on_track",
        due_date=date(2027, 3, 31),
    )
    return {"indicator": indicator, "week": week, "action": action}


def _section(report, key):
    return next(s for s in report.sections if s["key"] == key)


def _texts(report, key):
    return [s["text"] for s in _section(report, key)["statements"]]


def test_the_default_period_is_the_last_twelve_whole_months():
    assert self_evaluation.default_period(TODAY) == (START, END)
    assert self_evaluation.default_period(date(2027, 1, 1)) == (
        date(2026, 1, 1),
        date(2026, 12, 31),
    )


def test_what_we_know_how_we_know_and_what_we_are_doing_for_help_and_protection(evidence, lead):
    report = self_evaluation.draft(START, END, lead, TODAY)

    assert report.kind == ReportKind.SELF_EVALUATION
    assert report.audience == ReportAudience.INTERNAL
    assert report.title == (
        "Self-evaluation of social work practice, December 2025 to November 2026"
    )
    assert [s["key"] for s in report.sections][:3] == [
        "help_and_protection:know",
        "help_and_protection:how",
        "help_and_protection:doing",
    ]
    assert len(report.sections) == 12  # four areas, three headings each
    assert _texts(report, "help_and_protection:know") == [
        "Of 6 assessments audited, 4 (67%) were judged good or better.",
        "The strongest theme was voice of the child: a strength in 4 of the 6 audits that "
        "assessed it (67%).",
        "The weakest theme was timeliness: an area for development in 3 of the 6 audits that "
        "assessed it (50%).",
        "Assessments within 45 working days: 86% in November 2026 (Green: meets target); "
        "on the month before: up, good; a year before: 78%.",
    ]
    assert _texts(report, "help_and_protection:how") == [
        "6 audits of this area's templates were completed from December 2025 to November 2026.",
        "Of 6 completed audits, 1 (17%) was moderated; the moderator agreed with the auditor "
        "on 1 (50%) of 2 grades compared.",
        "The indicator figures come from assessments-nov.csv.",
    ]
    action = evidence["action"]
    assert _texts(report, "help_and_protection:doing") == [
        "Action 1 of ‘Improvement plan 2026-27’: Voice of the child workshops (On track, due "
        "31 March 2027). Voice of the child: too few audits to tell. 6 in the 6 months before "
        "and 0 since; at least 10 are needed on each side."
    ]
    know = _section(report, "help_and_protection:know")
    assert know["text"] == "\n\n".join(_texts(report, "help_and_protection:know"))
    links = [s["link"] for s in know["statements"]]
    assert links[0] == [
        "dashboards.template",
        {"key": "single_assessment", "from": "2025-12-01", "to": "2026-11-30"},
    ]
    assert links[3] == ["indicators.scorecard", {"month": "2026-11"}]
    doing = _section(report, "help_and_protection:doing")["statements"]
    assert doing[0]["link"] == ["improvement.action", {"action_id": action.id}]


def test_leaders_read_themes_across_every_audit_and_the_practice_weeks(evidence, lead):
    report = self_evaluation.draft(START, END, lead, TODAY)
    how = _section(report, "leaders:how")["statements"]
    week = next(s for s in how if s["text"].startswith("Practice week"))
    assert week["text"] == (
        "Practice week ‘Autumn practice week’, 5 to 9 October 2026: 0 activities. It observed: "
        "Children's voices were heard in visits; Supervision notes were brief."
    )
    assert week["link"] == ["practice_weeks.week", {"week_id": evidence["week"].id}]
    assert _texts(report, "children_in_care:know") == [
        "No audits of this area's templates were completed from December 2025 to November 2026."
    ]
    assert _texts(report, "leaders:doing") == [
        "No improvement action in the period answers this area's themes."
    ]


def test_the_share_is_compared_with_the_year_before_in_words():
    row = {
        "template": "single_assessment",
        "name": "Single assessment",
        "one": "single assessment",
        "many": "single assessments",
        "completed": 142,
        "good_or_better": 96,
        "previous_completed": 100,
        "previous_good_or_better": 61,
        "filters": {"from": "2025-12-01", "to": "2026-11-30", "template": "single_assessment"},
    }
    area = {"templates": ["single_assessment"], "audits": [row]}
    (statement,) = audit_statements(area, "December 2025 to November 2026")
    assert statement["text"] == (
        "Of 142 single assessments audited, 96 (68%) were judged good or better, up from 61% "
        "in the previous year."
    )
    row |= {"good_or_better": 1, "completed": 1, "previous_good_or_better": 100}
    (statement,) = audit_statements(area, "")
    assert statement["text"] == (
        "Of 1 single assessment audited, 1 (100%) was judged good or better, the same share as "
        "in the previous year (100%)."
    )


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (None, END, "period_start"),
        (START, date(2026, 12, 31), "period_end"),  # not ended
        (END, START, "period_end"),
        (date(2020, 1, 1), END, "period_start"),  # over two years
    ],
)
def test_a_period_that_cannot_be_drafted_is_refused_on_its_field(lead, start, end, field):
    with pytest.raises(ReportError) as refused:
        self_evaluation.draft(start, end, lead, TODAY)
    assert [f for f, _ in refused.value.problems] == [field]


def test_versions_edits_conflicts_and_publishing(known, lead):
    first = self_evaluation.draft(START, END, lead, TODAY)
    key = "help_and_protection:know"
    self_evaluation.save_text(
        first, sections={key: "Our assessments are mostly good."}, based_on=1, actor=lead
    )
    assert _section(first, key)["text"] == "Our assessments are mostly good."
    assert _section(first, key)["statements"]  # the evidence stays beside the edited text
    with pytest.raises(StaleReport):
        self_evaluation.save_text(first, sections={key: "Older text"}, based_on=1, actor=lead)
    assert _section(first, key)["text"] == "Our assessments are mostly good."

    second = self_evaluation.redraft(first, lead, TODAY)
    assert (second.series_key, second.number) == (first.series_key, 2)
    assert second.scope == {"from": "2025-12-01", "to": "2026-11-30"}
    report_drafting.publish(second, based_on=second.lock_version, actor=lead)
    assert second.is_published
    with pytest.raises(ReportError):
        self_evaluation.save_text(second, sections={key: "x"}, based_on=2, actor=lead)
    actions = [
        e.action
        for e in db.session.query(ChangeLogEntry).filter_by(
            entity_type="report", entity_id=str(first.id)
        )
    ]
    assert actions == ["drafted", "edited"]


def test_the_pdf_and_the_word_file_hold_the_same_statements(evidence, lead):
    report = self_evaluation.draft(START, END, lead, TODAY)
    pdf = " ".join(
        page.extract_text() or ""
        for page in PdfReader(BytesIO(self_evaluation.pdf_bytes(report))).pages
    )
    word = docx_text(self_evaluation.docx_bytes(report))
    flat_pdf, flat_word = " ".join(pdf.split()), " ".join(word.split())
    for text in ("OFFICIAL-SENSITIVE", "council's own self-evaluation for Ofsted", "How we know"):
        assert text in flat_pdf and text in flat_word
    for section in report.sections:
        for statement in section["statements"]:
            words = " ".join(statement["text"].split())
            assert words in flat_word
            assert words in flat_pdf, words
