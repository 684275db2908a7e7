"""A practice week's findings worked out by hand on a small data set.

The October week (focus areas 1 front door, 2 CIN plans):

  completed audits in its cycle     voice of child   timeliness
    A1                              strength         development
    A2                              strength         development
    A3                              development      strength
    (A4 in progress: not counted)   development
  done observations                 voice of child   management oversight
    O1 observe a meeting, area 1    strength         development
    O2 shadow, area 1               strength         development
  not counted: a planned observation (voice: development), a cancelled one; a done
  conversation in area 2 has no marks.

So: voice 4 strengths, 1 development, n 5 (audits 3, observations 2); timeliness 1 / 2, n 3
(audits 3); management oversight 0 / 2, n 2 (observations 2).

The June week before it (published): voice 1 strength, 4 development (n 5, 20%), timeliness
1 / 2 (n 3). Voice moved up from 20% to 80%; timeliness has n 3 < 5 (the threshold): too few."""

from datetime import date

import pytest
from sqlalchemy import select

from qa_app.data import improvement, quick_wins
from qa_app.data import practice_week_findings as findings
from qa_app.extensions import db
from qa_app.models import ChangeLogEntry, ImprovementAction, Role
from qa_app.services import practice_week_drafting as week_drafting
from qa_app.services import practice_week_figures as week_figures
from qa_app.services import practice_week_report as week_report
from tests.practice_weeks.findings_factory import (
    add_activity,
    add_audit,
    add_quick_win,
    area,
    make_week,
)

S, D = "strength", "development"


@pytest.fixture
def october(loaded_templates):
    week = make_week("October 2026", date(2026, 10, 5))
    add_audit(week, {"voice_of_child": S, "timeliness": D}, reference="1000001")
    add_audit(week, {"voice_of_child": S, "timeliness": D}, reference="1000002")
    add_audit(week, {"voice_of_child": D, "timeliness": S}, reference="1000003")
    open_audit = add_audit(week, {"voice_of_child": D}, reference="1000004")
    open_audit.status, open_audit.submitted_at = "in_progress", None
    db.session.commit()
    front_door, cin = area(week, 1), area(week, 2)
    add_activity(
        week,
        "observe_meeting",
        focus=front_door,
        marks={"voice_of_child": S, "management_oversight": D},
        answers={
            "what_could_be_better": "Next steps for case 1234567 were left unclear",
            "what_went_well": "The chair kept the child in view",
        },
    )
    add_activity(
        week, "shadow", focus=front_door, marks={"voice_of_child": S, "management_oversight": D}
    )
    add_activity(week, "observe_meeting", status="planned", focus=cin, marks={"voice_of_child": D})
    add_activity(week, "observe_meeting", status="cancelled", focus=cin)
    add_activity(week, "conversation", focus=cin)
    return week


@pytest.fixture
def june(loaded_templates, make_user):
    week = make_week("June 2026", date(2026, 6, 1))
    add_audit(week, {"voice_of_child": S, "timeliness": S}, reference="2000001")
    for i, timeliness in enumerate([D, D, None, None], start=2):
        marks = {"voice_of_child": D} | ({"timeliness": timeliness} if timeliness else {})
        add_audit(week, marks, reference=f"200000{i}")
    week_drafting.publish(week, based_on=week.lock_version, actor=make_user(Role.QA_LEAD))
    return week


def _rows(themes):
    return {
        r["key"]: (
            r["strength"],
            r["development"],
            r["not_seen"],
            r["n"],
            r["audits_n"],
            r["observations_n"],
        )
        for r in themes
    }


def test_week_themes_add_audit_and_observation_marks(october):
    assert _rows(week_figures.week_themes(october)) == {
        "voice_of_child": (4, 1, 0, 5, 3, 2),
        "timeliness": (1, 2, 0, 3, 3, 0),
        "management_oversight": (0, 2, 0, 2, 0, 2),
    }
    names = [r["name"] for r in week_figures.week_themes(october)]
    assert names == sorted(names)


def test_activities_are_counted_by_kind_and_status(october):
    counts = week_figures.activity_counts(october)
    assert counts["observe_meeting"] == {"planned": 1, "done": 1, "cancelled": 1, "total": 3}
    assert counts["shadow"]["done"] == 1
    assert counts["conversation"]["done"] == 1
    assert counts["audit_record"]["total"] == 0
    figures = week_figures.live_figures(october)
    assert figures["activities_done"] == 3
    assert figures["audits_completed"] == 3
    assert [a["activities_done"] for a in figures["focus_areas"]] == [2, 1]


def test_comparison_with_the_previous_published_week_says_which_themes_moved(october, june):
    comp = week_figures.comparison(october, week_figures.week_themes(october))
    assert (comp["week"], comp["source"], comp["threshold"]) == ("June 2026", "published", 5)
    by_key = {t["key"]: t for t in comp["themes"]}
    voice = by_key["voice_of_child"]
    assert (voice["then"], voice["now"], voice["change"], voice["direction"]) == (20, 80, 60, "up")
    assert (voice["then_n"], voice["now_n"]) == (5, 5)
    assert by_key["timeliness"]["direction"] == "too_few"  # n = 3 in both weeks, under 5
    assert "management_oversight" not in by_key  # not seen in June
    assert comp["moved"] == ["voice_of_child"]
    assert week_figures.comparison_sentence(voice) == (
        "Voice of the child: a strength in 80% (n=5), up from 20% (n=5)"
    )
    assert week_figures.comparison_sentence(by_key["timeliness"]).startswith(
        "Timeliness: too few marks to tell"
    )
    # a week of 20 marks against one of 5: the sentence says the samples differ a lot
    uneven = {**voice, "now_n": 20}
    assert week_figures.comparison_sentence(uneven).endswith(
        "(n=20), up from 20% (n=5); read with care, the weeks' samples differ a lot in size"
    )


def test_comparison_uses_a_lower_threshold_and_the_live_figures_of_an_unpublished_week(
    october, loaded_templates
):
    earlier = make_week("September 2026", date(2026, 9, 7))
    add_audit(earlier, {"timeliness": S}, reference="3000001")
    add_audit(earlier, {"timeliness": D}, reference="3000002")
    add_audit(earlier, {"timeliness": D}, reference="3000003")
    comp = week_figures.comparison(october, week_figures.week_themes(october), threshold=3)
    assert (comp["week"], comp["source"]) == ("September 2026", "live")
    timeliness = next(t for t in comp["themes"] if t["key"] == "timeliness")
    assert (timeliness["then"], timeliness["now"], timeliness["direction"]) == (33, 33, "same")


def test_there_is_no_comparison_without_an_earlier_week(october):
    assert week_figures.comparison(october, week_figures.week_themes(october)) is None


def test_drafting_fills_each_area_and_the_key_findings_from_the_data(october, make_user):
    """The drafts are words without counts and without case free text: the report states the
    figures itself from each audience's tier, and what observers wrote stays internal."""
    lead = make_user(Role.QA_LEAD)
    filled = week_drafting.fill_drafts(october, based_on=october.lock_version, actor=lead)
    # area 2 has only a conversation: nothing to draft from
    assert filled == ["The front door: MASH and initial response", "Key findings"]
    assert area(october, 1).headlines.splitlines() == [
        "Voice of the child was most often seen as a strength",
        "Management oversight and supervision was most often seen as an area for development",
    ]
    assert area(october, 2).headlines == ""
    # voice 4 of 5 a strength; timeliness (n 3) and management oversight (n 2) are marked
    # fewer than 5 times (the small-number setting), so they are left out
    assert october.themes_summary.splitlines() == [
        "Voice of the child is a strength in most audits and observations"
    ]
    assert october.lock_version == 2
    entry = db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.action == "findings_drafted")
    ).one()
    assert entry.user_id == lead.id


def test_what_observers_wrote_is_kept_for_the_internal_tier_only(october):
    notes = week_figures.live_figures(october)["notes"]
    assert notes["better"] == [
        {
            "focus_area_id": area(october, 1).id,
            "text": "Next steps for case [case] were left unclear",
        }
    ]
    internal = week_report.report_view(october, audience="internal")
    assert internal.areas[0]["better"] == ["Next steps for case [case] were left unclear"]
    for audience in ("partnership", "public"):
        view = week_report.report_view(october, audience=audience)
        assert "notes" not in view.figures
        assert view.areas[0]["better"] == [] and view.heard == []


def test_drafting_again_keeps_edited_text_unless_asked_to_replace_it(october, make_user):
    lead = make_user(Role.QA_LEAD)
    findings.save_findings(
        october,
        headlines={area(october, 1).id: "Our own words"},
        themes_summary="",
        based_on=1,
        actor=lead,
    )
    week_drafting.fill_drafts(october, based_on=october.lock_version, actor=lead)
    assert area(october, 1).headlines == "Our own words"
    assert october.themes_summary.startswith("Voice of the child")
    week_drafting.fill_drafts(october, based_on=october.lock_version, actor=lead, overwrite=True)
    assert area(october, 1).headlines.startswith("Voice of the child was most often")


def test_a_stale_save_is_refused_and_changes_nothing(october, make_user):
    lead = make_user(Role.QA_LEAD)
    findings.save_findings(october, headlines={}, themes_summary="First", based_on=1, actor=lead)
    with pytest.raises(findings.StaleFindings):
        findings.save_findings(
            october, headlines={}, themes_summary="Second", based_on=1, actor=lead
        )
    assert october.themes_summary == "First"


def test_quick_wins_are_numbered_edited_and_renumbered_on_delete(october, make_user):
    lead, owner = make_user(Role.QA_LEAD), make_user(Role.SENIOR_MANAGER)
    first = quick_wins.add_quick_win(
        october, description="Rename the assessment", owner=owner, due_date=None, actor=lead
    )
    second = quick_wins.add_quick_win(
        october,
        description="Business support for strategy meetings",
        owner=owner,
        due_date=date(2026, 12, 1),
        focus_area=area(october, 1),
        actor=lead,
    )
    assert (first.number, second.number) == (1, 2)
    quick_wins.update_quick_win(
        second,
        description="Business support for chairs of strategy meetings",
        owner=owner,
        due_date=date(2026, 12, 1),
        based_on=quick_wins.quick_win_version(second),
        actor=lead,
    )
    with pytest.raises(quick_wins.StaleQuickWin):
        quick_wins.update_quick_win(
            second, description="x", owner=owner, due_date=None, based_on="old", actor=lead
        )
    quick_wins.delete_quick_win(first, based_on=quick_wins.quick_win_version(first), actor=lead)
    db.session.refresh(october)
    assert [(q.number, q.description) for q in october.quick_wins] == [
        (1, "Business support for chairs of strategy meetings")
    ]
    disabled = make_user(Role.AUDITOR)
    disabled.active = False
    with pytest.raises(findings.FindingsError, match="active accounts"):
        quick_wins.add_quick_win(
            october, description="x", owner=disabled, due_date=None, actor=lead
        )


def test_a_quick_win_becomes_an_action_in_one_step_and_only_once(october, make_user):
    lead, owner = make_user(Role.QA_LEAD), make_user(Role.SENIOR_MANAGER)
    plan = improvement.save_plan(None, title="Improvement plan 2026-27", actor=lead)
    quick_win = add_quick_win(
        october, 1, "Bitesize workshops on assessments", owner, date(2027, 1, 31)
    )
    action = quick_wins.quick_win_to_action(
        quick_win, plan, actor=lead, today=date(2026, 10, 12), themes=["quality_of_analysis"]
    )
    stored = db.session.get(ImprovementAction, action.id)
    assert (stored.plan_id, stored.number, stored.description) == (
        plan.id,
        1,
        "Bitesize workshops on assessments",
    )
    assert (stored.source_kind, stored.source_week_id) == ("practice_week", october.id)
    assert (stored.owner_id, stored.due_date) == (owner.id, date(2027, 1, 31))
    assert stored.themes == ["quality_of_analysis"]
    assert quick_win.action_id == action.id
    with pytest.raises(findings.FindingsError, match="already action 1"):
        quick_wins.quick_win_to_action(quick_win, plan, actor=lead, today=date(2026, 10, 12))
    assert len(db.session.scalars(select(ImprovementAction)).all()) == 1


def test_publishing_freezes_the_figures_and_refuses_later_edits(october, make_user):
    lead = make_user(Role.QA_LEAD)
    week_drafting.publish(october, based_on=october.lock_version, actor=lead)
    assert october.findings_status == "published"
    assert (october.published_by_id, october.published_at is not None) == (lead.id, True)
    add_audit(october, {"voice_of_child": D, "timeliness": D}, reference="1000009")
    frozen = _rows(week_report.report_view(october, audience="internal").figures["themes"])
    assert frozen["voice_of_child"] == (4, 1, 0, 5, 3, 2)
    assert _rows(week_figures.week_themes(october))["voice_of_child"] == (4, 2, 0, 6, 4, 2)
    with pytest.raises(findings.FindingsError, match="published"):
        findings.save_findings(
            october, headlines={}, themes_summary="x", based_on=october.lock_version, actor=lead
        )
    with pytest.raises(findings.FindingsError, match="published"):
        quick_wins.add_quick_win(october, description="x", owner=None, due_date=None, actor=lead)
    findings.redraft(october, based_on=october.lock_version, actor=lead)
    assert october.findings_status == "draft" and october.figures is None


def test_the_public_tier_hides_small_counts(october, make_user):
    week_drafting.publish(october, based_on=october.lock_version, actor=make_user(Role.QA_LEAD))
    view = week_report.report_view(october, audience="public")
    rows = _rows(view.figures["themes"])
    # voice: 4, 1, 0 -> the 1 is hidden, and the next smallest shown count (4) with it
    assert rows["voice_of_child"] == (None, None, 0, 5, None, None)
    assert rows["management_oversight"] == (0, None, 0, None, 0, None)
    assert view.figures["activities_done"] is None
    assert view.figures["activities"]["observe_meeting"]["done"] is None
