"""The demo's key pages as a QA lead reads them: every date in words (no 2027-01-01 beside
7 December 2026), no title that says a word twice ("Draft Draft version 1", "Practice week:
Practice week, November 2026"), no count that disagrees with its noun ("1 audits")."""

import re

import pytest
from sqlalchemy import select

from qa_app.demo import seed as demo
from qa_app.demo.seed import DEMO_PASSWORD
from qa_app.extensions import db
from qa_app.models import (
    Audit,
    AuditCycle,
    CalibrationRound,
    ImprovementAction,
    PracticeWeek,
    Report,
)
from tests.helpers import sign_in
from tests.support.visible_text import visible_text

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
# a word said twice within one line of text (a caption and its heading are one line)
STUTTER = re.compile(r"\b(Draft|Published|Practice week|Version)\b[ :,–-]+\1\b", re.IGNORECASE)
ONE_PLURAL = re.compile(r"\b1 (audits|cases|actions|concerns|sections|grades|points|teams)\b")


@pytest.fixture
def lead(app, loaded_templates):
    assert demo.seed(only_if_empty=True, history=False)
    client = app.test_client()
    assert sign_in(client, "qa.lead", DEMO_PASSWORD).status_code == 302
    return client


def _first(model):
    return db.session.scalars(select(model.id).order_by(model.id).limit(1)).one()


def _pages() -> list[str]:
    weeks = db.session.scalars(select(PracticeWeek.id)).all()
    pages = [
        "/",
        "/findings/",
        "/findings/teams",
        "/indicators/",
        "/improvement/",
        f"/improvement/actions/{_first(ImprovementAction)}",
        "/practice-weeks/",
        *(f"/practice-weeks/{w}" for w in weeks),
        *(f"/practice-weeks/{w}/report" for w in weeks),
        "/reports/",
        "/cycles/",
        *(f"/cycles/{c}" for c in db.session.scalars(select(AuditCycle.id)).all()),
        f"/audits/{_first(Audit)}",
        f"/audits/{_first(Audit)}/history",
        "/notifications",
        "/calibration/",
        "/calibration/over-time",
        *(
            f"/calibration/{r}{end}"
            for r in db.session.scalars(select(CalibrationRound.id)).all()
            for end in ("", "/results")
        ),
    ]
    for report in db.session.scalars(select(Report)).all():
        pages.append(f"/reports/{report.id}")
    return pages


def test_the_demo_pages_write_dates_in_words_titles_once_and_counts_with_their_nouns(lead):
    problems = []
    for page in _pages():
        response = lead.get(page, follow_redirects=True)
        assert response.status_code == 200, page
        text = visible_text(response.get_data(as_text=True))
        for pattern in (ISO_DATE, STUTTER, ONE_PLURAL):
            problems += [
                f"{page}: …{text[max(0, m.start() - 40) : m.end() + 20]}…"
                for m in pattern.finditer(text)
            ]
    assert problems == [], "\n".join(problems)
