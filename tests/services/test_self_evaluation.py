"""Drafting, editing, versions and downloads of the annual self-evaluation
(qa_app.services.self_evaluation), from the hand-worked data set (tests/findings/known_data.py):
exact sentences, evidence links beside each statement, a stale save refused, the PDF and the
Word file holding the same statements."""

from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from qa_app.data.reports import ReportError, StaleReport
from qa_app.documents.docx_base import docx_text
from qa_app.models import ReportAudience, ReportKind, Role
from qa_app.services import self_evaluation
from tests.findings import known_data

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


def _section(report, key):
    return next(s for s in report.sections if s["key"] == key)


def test_the_default_period_is_the_last_twelve_whole_months():
    assert self_evaluation.default_period(TODAY) == (START, END)
    assert self_evaluation.default_period(date(2027, 1, 1)) == (
        date(2026, 1, 1),
        date(2026, 12, 31),
    )


def test_a_draft_states_the_audits_themes_and_moderation_of_help_and_protection(known, lead):
    report = self_evaluation.draft(START, END, lead, TODAY)
    assert report.kind == ReportKind.SELF_EVALUATION
    assert report.audience == ReportAudience.INTERNAL
    assert report.title == "Self-evaluation of social work practice, December 2025 to November 2026"
    know = _section(report, "help_and_protection:know")
    print(know["statements"])
    print(_section(report, "help_and_protection:how")["statements"])
    print(_section(report, "help_and_protection:doing")["statements"])
    print(_section(report, "leaders:know")["statements"])
    print(_section(report, "children_in_care:know")["statements"])
    assert 0
