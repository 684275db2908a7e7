"""A small data set whose findings are worked out by hand (see EXPECTED notes in the tests).

Seven single-assessment audits (Ofsted four-point scale) in two teams, written straight into
the tables the findings engine reads:

  #  team  completed   overall      timeliness   voice   timeliness  alone   days  concerns
                                      section      of      theme
                                                   child
  1  A     2026-01-15  good         good         S       D           yes     30    neglect, DA
  2  A     2026-01-20  outstanding  outstanding  S       S           yes     40    neglect
  3  A     2026-02-05  RI           RI           D       D           no      50    DA
  4  B     2026-02-10  inadequate   inadequate   D       not seen    no      60    neglect
  5  B     2026-03-01  good         good         S       S           partly  20    (none)
  6  B     in progress
  7  A     2026-03-15  good         RI           S       D           yes     45    neglect

(S strength, D area for development, RI requires improvement, DA domestic abuse.)
Audit 7 was moderated: overall good -> requires improvement (lowered), timeliness agreed.
Actions on audit 1: one completed, one overdue, one open. Concerns: one signed off (audit 3),
one overdue with no response (audit 4)."""

from datetime import UTC, date, datetime, timedelta

from qa_app.data.organisation import save_locality, save_team
from qa_app.data.templates import get_template
from qa_app.extensions import db
from qa_app.models import (
    OVERALL,
    Answer,
    Audit,
    Case,
    CaseAction,
    Concern,
    Moderation,
    ModerationGrade,
    SectionGrade,
    ThemeMark,
)

ROWS = [
    # team, completed, overall, timeliness, voice, timeliness theme, seen alone, days, concerns
    (
        "A",
        date(2026, 1, 15),
        "good",
        "good",
        "strength",
        "development",
        "yes",
        30,
        ["neglect", "domestic_abuse"],
    ),
    (
        "A",
        date(2026, 1, 20),
        "outstanding",
        "outstanding",
        "strength",
        "strength",
        "yes",
        40,
        ["neglect"],
    ),
    (
        "A",
        date(2026, 2, 5),
        "requires_improvement",
        "requires_improvement",
        "development",
        "development",
        "no",
        50,
        ["domestic_abuse"],
    ),
    (
        "B",
        date(2026, 2, 10),
        "inadequate",
        "inadequate",
        "development",
        "not_seen",
        "no",
        60,
        ["neglect"],
    ),
    ("B", date(2026, 3, 1), "good", "good", "strength", "strength", "partly", 20, []),
    ("B", None, None, None, None, None, None, None, None),
    (
        "A",
        date(2026, 3, 15),
        "good",
        "requires_improvement",
        "strength",
        "development",
        "yes",
        45,
        ["neglect"],
    ),
]
NOW = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC)


def build(auditor, moderator) -> dict:
    """Store the data set; returns {"audits": [...], "teams": {...}, "localities": {...}}."""
    north = save_locality("North", actor=None)
    south = save_locality("South", actor=None)
    teams = {
        "A": save_team("Team A", north, True, actor=None),
        "B": save_team("Team B", south, True, actor=None),
    }
    version = get_template("single_assessment").versions[-1]
    audits = []
    for i, row in enumerate(ROWS, start=1):
        team, done, overall, timeliness, voice, theme, alone, days, concerns = row
        case = Case(case_reference=f"5000000{i}", team=teams[team])
        db.session.add(case)
        db.session.flush()
        audit = Audit(
            case_id=case.id,
            template_version_id=version.id,
            auditor_id=auditor.id,
            status="submitted" if done else "in_progress",
            submitted_at=_at(done) if done else None,
            created_at=_at(done) if done else _at(date(2026, 3, 2)),
            overall_grade=overall,
        )
        db.session.add(audit)
        db.session.flush()
        audits.append(audit)
        if not done:
            continue
        db.session.add(SectionGrade(audit_id=audit.id, section_key="timeliness", grade=timeliness))
        db.session.add(ThemeMark(audit_id=audit.id, theme_key="voice_of_child", mark=voice))
        db.session.add(ThemeMark(audit_id=audit.id, theme_key="timeliness", mark=theme))
        db.session.add(Answer(audit_id=audit.id, question_key="child_seen_alone", value_text=alone))
        db.session.add(
            Answer(audit_id=audit.id, question_key="working_days_to_complete", value_number=days)
        )
        db.session.add(
            Answer(audit_id=audit.id, question_key="presenting_concerns", value_choices=concerns)
        )
        db.session.add(
            Answer(audit_id=audit.id, question_key="delay_impact", value_text=f"Free text {i}")
        )
    moderated = audits[6]
    moderated.status = "moderated"
    moderation = Moderation(
        audit_id=moderated.id,
        moderator_id=moderator.id,
        status="completed",
        completed_at=_at(date(2026, 3, 20)),
    )
    db.session.add(moderation)
    db.session.flush()
    db.session.add_all(
        [
            ModerationGrade(
                moderation_id=moderation.id,
                section_key=OVERALL,
                auditor_grade="good",
                moderator_grade="requires_improvement",
                reason="Drift not challenged",
            ),
            ModerationGrade(
                moderation_id=moderation.id,
                section_key="timeliness",
                auditor_grade="requires_improvement",
                moderator_grade="requires_improvement",
            ),
        ]
    )
    first = audits[0]
    db.session.add_all(
        [
            CaseAction(
                audit_id=first.id,
                description="Visit",
                owner="TM",
                status="completed",
                due_date=date(2026, 2, 1),
                completed_at=_at(date(2026, 1, 30)),
            ),
            CaseAction(
                audit_id=first.id,
                description="Chronology",
                owner="SW",
                due_date=NOW.date() - timedelta(days=3),
            ),
            CaseAction(
                audit_id=first.id,
                description="Plan",
                owner="SW",
                due_date=NOW.date() + timedelta(days=30),
            ),
            Concern(
                audit_id=audits[2].id,
                raised_by_id=auditor.id,
                description="Risk",
                respond_by=_at(date(2026, 2, 6)),
                response="Seen",
                responded_at=_at(date(2026, 2, 6)),
                signed_off_at=_at(date(2026, 2, 7)),
            ),
            Concern(
                audit_id=audits[3].id,
                raised_by_id=auditor.id,
                description="Risk",
                respond_by=_at(date(2026, 2, 11)),
            ),
        ]
    )
    db.session.commit()
    return {"audits": audits, "teams": teams, "localities": {"North": north, "South": south}}
