"""The impact of improvement actions, on a data set whose answer is worked out by hand.

The action started on 2026-07-01; "today" is 2026-10-31. Its windows are therefore
2026-01-01 to 2026-06-30 (the six months before) and 2026-07-01 to 2026-10-31 (since).

Completed audits and the marks they gave (S strength, D area for development, N not seen):

  window       voice of the child              timeliness
  before       S S S S S  D D D D D D  N       S D D        (on the first three audits)
  since        S S S S S S S  D D D            S S S D      (on the first four audits)
  outside      2025-12-31 S, 2026-11-01 S, and an audit still in progress marked S: never counted

Voice of the child before: n = 12, strength 5 -> 5/12 = 41.7% -> 42%.
Voice of the child since:  n = 10, strength 7 -> 70%. Change: 70 - 42 = up 28 points.
Timeliness: 3 before and 4 since, fewer than 10 on each side -> too few audits to tell."""

from datetime import UTC, date, datetime

import pytest

from qa_app.data import improvement, improvement_queries
from qa_app.extensions import db
from qa_app.findings.impact import (
    NO_THEMES,
    NOT_STARTED,
    Share,
    impacts,
    months_before,
    sentence,
    windows,
)
from qa_app.models import Audit, Case, Role, ThemeMark
from tests.cycles.cycle_factory import count_queries

TODAY = date(2026, 10, 31)
STARTED = date(2026, 7, 1)
BEFORE_DAYS = [date(2026, 1, 1)] + [date(2026, m, 15) for m in range(1, 7)] * 2
BEFORE_DAYS = sorted(BEFORE_DAYS)[:11] + [date(2026, 6, 30)]  # first and last day included
SINCE_DAYS = [date(2026, 7, 1)] + [date(2026, m, 10) for m in (7, 8, 9, 10)] * 2
SINCE_DAYS = sorted(SINCE_DAYS)[:9] + [date(2026, 10, 31)]
BEFORE_VOICE = ["strength"] * 5 + ["development"] * 6 + ["not_seen"]
SINCE_VOICE = ["strength"] * 7 + ["development"] * 3
BEFORE_TIMELINESS = ["strength", "development", "development"]
SINCE_TIMELINESS = ["strength", "strength", "strength", "development"]


def _audit(version_id: int, auditor_id: int, n: int, day: date | None, marks: dict) -> None:
    case = Case(case_reference=f"7100{n:04d}")
    db.session.add(case)
    db.session.flush()
    audit = Audit(
        case_id=case.id,
        template_version_id=version_id,
        auditor_id=auditor_id,
        status="submitted" if day else "in_progress",
        submitted_at=datetime(day.year, day.month, day.day, 12, tzinfo=UTC) if day else None,
    )
    db.session.add(audit)
    db.session.flush()
    for key, mark in marks.items():
        db.session.add(ThemeMark(audit_id=audit.id, theme_key=key, mark=mark))


@pytest.fixture
def marked_audits(loaded_templates, make_user):
    from qa_app.data.templates import get_template

    version = get_template("single_assessment").versions[-1]
    auditor = make_user(Role.AUDITOR)
    n = 0
    for days, voice, timeliness in (
        (BEFORE_DAYS, BEFORE_VOICE, BEFORE_TIMELINESS),
        (SINCE_DAYS, SINCE_VOICE, SINCE_TIMELINESS),
    ):
        assert len(days) == len(voice)
        for i, (day, mark) in enumerate(zip(days, voice, strict=True)):
            marks = {"voice_of_child": mark}
            if i < len(timeliness):
                marks["timeliness"] = timeliness[i]
            n += 1
            _audit(version.id, auditor.id, n, day, marks)
    for day in (date(2025, 12, 31), date(2026, 11, 1), None):
        n += 1
        _audit(version.id, auditor.id, n, day, {"voice_of_child": "strength"})
    db.session.commit()
    return auditor


@pytest.fixture
def plan(make_user):
    lead = make_user(Role.QA_LEAD)
    return improvement.save_plan(None, title="Improvement plan 2026-27", actor=lead), lead


def _action(plan_and_lead, **fields):
    plan, lead = plan_and_lead
    return improvement.create_action(
        plan, actor=lead, today=STARTED, description="Voice of the child workshops", **fields
    )


def test_windows_are_the_six_months_before_and_the_days_since():
    assert windows(STARTED, TODAY) == (
        date(2026, 1, 1),
        date(2026, 6, 30),
        date(2026, 7, 1),
        TODAY,
    )
    assert months_before(date(2026, 8, 31), 6) == date(2026, 2, 28)
    assert months_before(date(2026, 3, 31), 6) == date(2025, 9, 30)


def test_impact_on_voice_of_the_child_matches_the_hand_worked_figures(marked_audits, plan):
    action = _action(plan, themes=["voice_of_child", "timeliness"], status="on_track")
    assert action.started_on == STARTED  # leaving "not started" sets the day work started

    impact = impacts([action], today=TODAY)[action.id]

    assert impact.message == ""
    timeliness, voice = impact.themes  # the targeted themes, in name order
    assert voice.theme == "voice_of_child"
    assert voice.before == Share(n=12, strength=5, development=6, not_seen=1)
    assert voice.since == Share(n=10, strength=7, development=3, not_seen=0)
    assert (voice.before.percent, voice.since.percent, voice.change) == (42, 70, 28)
    assert voice.enough
    assert voice.sentence == (
        "Voice of the child evidenced as a strength: 42% of audits in the 6 months before "
        "(n=12), 70% since (n=10): up 28 points."
    )
    assert timeliness.before == Share(n=3, strength=1, development=2, not_seen=0)
    assert timeliness.since == Share(n=4, strength=3, development=1, not_seen=0)
    assert not timeliness.enough and timeliness.change is None
    assert timeliness.sentence == (
        "Timeliness: too few audits to tell. 3 in the 6 months before and 4 since; "
        "at least 10 are needed on each side."
    )


def test_a_lower_bar_or_a_later_start_changes_the_answer(marked_audits, plan):
    action = _action(plan, themes=["timeliness"], started_on=STARTED)
    timeliness = impacts([action], today=TODAY, minimum=3)[action.id].themes[0]
    assert timeliness.enough and timeliness.change == 75 - 33
    assert timeliness.sentence.endswith(
        "33% of audits in the 6 months before (n=3), 75% since (n=4): up 42 points."
    )


def test_actions_not_started_or_without_themes_say_why(marked_audits, plan):
    waiting = _action(plan, themes=["voice_of_child"])
    aimless = _action(plan, started_on=STARTED)
    result = impacts([waiting, aimless], today=TODAY)
    assert result[waiting.id].themes == [] and result[waiting.id].message == NOT_STARTED
    assert result[aimless.id].themes == [] and result[aimless.id].message == NO_THEMES


def test_one_grouped_query_serves_any_number_of_actions(marked_audits, plan):
    for _ in range(2):
        _action(plan, themes=["voice_of_child"], started_on=STARTED)
    for d in range(1, 21):
        _action(plan, themes=["timeliness"], started_on=date(2026, 8, d))
    db.session.commit()
    loaded = improvement_queries.list_actions(today=TODAY, plan_id=plan[0].id)
    with count_queries() as small:
        impacts(loaded[:2], today=TODAY)
    with count_queries() as large:
        result = impacts(loaded, today=TODAY)
    assert len(large) == len(small) <= 3  # theme names, marks by day (and a BEGIN)
    assert len(result) == 22


def test_a_move_of_one_point_is_said_in_the_singular():
    before, since = Share(10, 4, 6, 0), Share(100, 41, 59, 0)
    assert sentence("Voice of the child", before, since, 1, 6, 10).endswith(": up 1 point.")
    assert sentence("Voice of the child", since, before, -1, 6, 10).endswith(": down 1 point.")
