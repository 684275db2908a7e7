"""The practice week the report tests read, and how they read a PDF and a Word file.

Six audits and two observations: voice of the child 6 strengths, 2 developments (n 8);
timeliness 1 strength, 2 developments (n 3, under the small-number threshold of 5). Area 1 has
the observation and the shadowing (2 activities), area 2 two conversations, one of them with a
parent who consented to what they said being kept (case free text: internal only). The quick
wins and an action are owned by a senior manager who also audits (shown by role, "Senior
manager", below the internal tier)."""

import io
from datetime import date

from pypdf import PdfReader

from qa_app.data import improvement, quick_wins
from qa_app.documents.docx_base import docx_text
from qa_app.extensions import db
from qa_app.models import Role
from tests.practice_weeks.findings_factory import (
    add_activity,
    add_audit,
    add_quick_win,
    area,
    make_week,
)

S, D = "strength", "development"
CASE_REFERENCES = [f"100000{i}" for i in range(1, 7)]
PARENT_SAID = "The social worker explained the plan twice and we understood it"
OBSERVER_SAID = "Next steps were not agreed before the meeting ended"


def build_week(make_user):
    lead = make_user(Role.QA_LEAD)
    owner = make_user(Role.AUDITOR, Role.SENIOR_MANAGER, username="senior.manager.a")
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
        add_audit(week, marks, reference=CASE_REFERENCES[i - 1])
    add_activity(
        week,
        "observe_meeting",
        focus=area(week, 1),
        marks={"voice_of_child": S},
        answers={"what_could_be_better": OBSERVER_SAID},
    )
    add_activity(week, "shadow", focus=area(week, 1), marks={"voice_of_child": D})
    add_activity(week, "conversation", focus=area(week, 2))
    talk = add_activity(week, "conversation", focus=area(week, 2))
    talk.participant, talk.consent_given, talk.summary = "parent_carer", True, PARENT_SAID
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
        owner=owner,
        source_kind="practice_week",
        source_week=week,
    )
    week.lead, week.owner = lead, owner
    return week


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def pdf_pages(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def word_text(data: bytes) -> str:
    return docx_text(data)
