"""A whole practice week through the real pages, as the QA lead and a senior manager would
run it: plan the week, schedule its activities, record observations of two kinds (a meeting
and a shadowing visit), audit two records in the week's cycle with the normal audit pages,
hear from a family on a consent record, draft and publish the findings, turn two quick wins
into improvement-plan actions, and generate the PDF report and read its text."""

import io
import re
from datetime import date, timedelta

from pypdf import PdfReader
from sqlalchemy import select

from qa_app.data import improvement
from qa_app.data import practice_week_activities as week_activities
from qa_app.data import practice_week_records as week_records
from qa_app.data.organisation import save_team
from qa_app.extensions import db
from qa_app.models import Audit, ImprovementAction, PracticeWeek, Role
from qa_app.rules.uk_time import uk_today
from tests.audits.filling import fill_whole_audit, submit
from tests.helpers import csrf_token
from tests.practice_weeks.week_factory import observation_answers

TODAY = uk_today()
MONDAY = TODAY + timedelta(days=7 - TODAY.weekday())  # next week: on "my schedule"
VERSION_RE = re.compile(r'name="lock_version"[^>]*value="(\d+)"')
AREAS = ["The front door: MASH and initial response", "Children in need plans"]


def _post(client, url: str, data: dict, *, page: str | None = None, expect: int = 302):
    page = page or url
    html = client.get(page).get_data(as_text=True)
    payload = {"csrf_token": csrf_token(client, page)}
    if found := VERSION_RE.search(html):
        payload["lock_version"] = found.group(1)
    payload.update(data)
    response = client.post(url, data=payload)
    assert response.status_code == expect, response.get_data(as_text=True)[:3000]
    return response


def _date(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def _plan_the_week(lead, manager) -> PracticeWeek:
    _post(
        lead,
        "/practice-weeks/new",
        {
            "name": "Practice week, front door",
            "starts_on": _date(MONDAY),
            "ends_on": _date(MONDAY + timedelta(days=4)),
            "purpose": "Senior managers see practice at the front door.",
            "new_focus_areas": "\n".join(AREAS),
            "managers": [str(manager.id)],
        },
    )
    return db.session.scalars(select(PracticeWeek)).one()


def _schedule(lead, week, manager, kind: str, day: int, *, team=None, meeting: str = ""):
    url = f"/practice-weeks/{week.id}/activities/new"
    area = week.focus_areas[0 if kind in ("observe_meeting", "conversation") else 1]
    _post(
        lead,
        url,
        {
            "kind": kind,
            "meeting_type": meeting,
            "day": (MONDAY + timedelta(days=day)).isoformat(),
            "time": "10:00",
            "manager_id": str(manager.id),
            "team_id": str(team.id) if team else "",
            "focus_area_id": str(area.id),
            "details": "Area office",
        },
    )


def test_a_whole_practice_week_from_plan_to_published_report(
    loaded_templates, client_as, make_user, monkeypatch
):
    lead = client_as(Role.QA_LEAD)
    manager_client = client_as(Role.SENIOR_MANAGER)
    manager = manager_client.user
    teams = [save_team(name, None, True, actor=None) for name in ("MASH", "Safeguarding East")]

    # Plan and schedule.
    week = _plan_the_week(lead, manager)
    assert week.cycle is not None and week.cycle.kind == "practice_week"
    _schedule(lead, week, manager, "observe_meeting", 0, team=teams[0], meeting="strategy_meeting")
    _schedule(lead, week, manager, "shadow", 1, team=teams[1])
    _schedule(lead, week, manager, "audit_record", 2, team=teams[0])
    _schedule(lead, week, manager, "audit_record", 2, team=teams[1])
    _schedule(lead, week, manager, "conversation", 3)
    mine = manager_client.get("/practice-weeks/mine").get_data(as_text=True)
    assert mine.count("Record") >= 5 and "Shadow a practitioner" in mine
    activities = {a.kind: a for day in week_activities.schedule(week).values() for a in day}
    audit_records = [
        a
        for day in week_activities.schedule(week).values()
        for a in day
        if a.kind == "audit_record"
    ]

    # The week has happened (an activity cannot be recorded before its day): the council's
    # clock, as recording reads it, now stands on the Friday.
    monkeypatch.setattr(week_records, "uk_today", lambda now=None: MONDAY + timedelta(days=4))

    # Record an observed meeting and a shadowing visit, each on its own template.
    for kind, better in (
        ("observe_meeting", "Parents needed the report before the meeting."),
        ("shadow", "Time after the visit to reflect with the manager."),
    ):
        activity = activities[kind]
        url = f"/practice-weeks/activities/{activity.id}/record"
        content = week_records.template_version_for(activity).content
        answers = observation_answers(content) | {"q__could_be_better": better}
        if kind == "observe_meeting":
            answers["q__next_steps_clear"] = "no"
        _post(
            manager_client,
            url,
            {
                **answers,
                "theme__voice_of_child": "strength",
                "summary": "Seen.",
                "action": "finish",
            },
        )

    # Audit two records in the week's cycle, on the normal audit pages.
    template = next(t for t in week_records.week_templates(week) if t.key == "single_assessment")
    for n, (activity, team) in enumerate(zip(audit_records, teams, strict=True)):
        url = f"/practice-weeks/activities/{activity.id}/record"
        _post(
            manager_client,
            url,
            {
                "case_reference": f"90000{n + 1}1",
                "team_id": str(team.id),
                "template_id": str(template.id),
            },
        )
    audits = list(db.session.scalars(select(Audit).where(Audit.cycle_id == week.cycle_id)))
    assert len(audits) == 2 and {a.auditor_id for a in audits} == {manager.id}
    for audit in audits:
        fill_whole_audit(manager_client, audit)
        assert submit(manager_client, audit.id).status_code == 302

    # Hear from a family, with consent recorded.
    conversation = activities["conversation"]
    _post(
        manager_client,
        f"/practice-weeks/activities/{conversation.id}/record",
        {
            "participant": "parent_carer",
            "consent_given": "yes",
            "consent_how": "Asked at the start; agreed verbally.",
            "summary": "Felt listened to.",
            "action": "finish",
        },
    )

    # Draft the findings from the data, edit them, add two quick wins, make both actions.
    findings_url = f"/practice-weeks/{week.id}/findings"
    _post(lead, f"{findings_url}/draft", {}, page=findings_url)
    db.session.expire_all()
    front_door = week.focus_areas[0]
    # drafts are words without counts or observers' free text (the report states the figures)
    assert front_door.headlines and "activities done" not in front_door.headlines
    assert "Parents needed the report" not in front_door.headlines
    # four audits and observations at most mark a theme: too few (under 5) for a key finding
    assert week.themes_summary == ""
    edited = front_door.headlines + "\nStrategy meetings need clearer next steps."
    _post(
        lead,
        findings_url,
        {
            f"area_{front_door.id}": edited,
            f"area_{week.focus_areas[1].id}": week.focus_areas[1].headlines,
            "themes_summary": week.themes_summary,
        },
    )
    plan = improvement.save_plan(None, title="Improvement plan 2026-27", actor=lead.user)
    for text in (
        "Send conference reports to parents two working days before.",
        "Business support for managers chairing strategy meetings.",
    ):
        _post(
            lead,
            f"/practice-weeks/{week.id}/quick-wins/new",
            {
                "description": text,
                "owner": str(manager.id),
                "due_date": _date(MONDAY + timedelta(days=60)),
                "focus_area": str(front_door.id),
            },
        )
    db.session.expire_all()
    for quick_win in week.quick_wins:
        url = f"/practice-weeks/{week.id}/quick-wins/{quick_win.id}/action"
        _post(lead, url, {"plan": str(plan.id)}, page=findings_url)
    db.session.expire_all()
    actions = list(db.session.scalars(select(ImprovementAction).order_by(ImprovementAction.number)))
    assert [(a.number, a.source_kind, a.source_week_id, a.owner_id) for a in actions] == [
        (1, "practice_week", week.id, manager.id),
        (2, "practice_week", week.id, manager.id),
    ]
    assert [q.action_id for q in week.quick_wins] == [a.id for a in actions]

    # Publish, then read the report on screen and as PDF.
    _post(lead, f"{findings_url}/publish", {"audience": "partnership"}, page=findings_url)
    db.session.expire_all()
    assert week.findings_status == "published"
    assert week.figures["activities_done"] == 5 and week.figures["audits_completed"] == 2
    voice = next(t for t in week.figures["themes"] if t["key"] == "voice_of_child")
    # both observations marked voice of the child a strength; both audits marked it too
    assert (voice["observations_n"], voice["audits_n"]) == (2, 2)
    assert voice["strength"] >= 2
    page = lead.get(f"/practice-weeks/{week.id}/report").get_data(as_text=True)
    assert "Strategy meetings need clearer next steps." in page
    # the internal tier keeps what observers wrote and what a parent said, with consent
    assert "Parents needed the report before the meeting." in page
    assert "A parent or carer: Felt listened to." in page
    response = lead.get(f"/practice-weeks/{week.id}/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    text = re.sub(r"\s+", " ", text)
    for expected in (
        "Senior managers see practice at the front door.",
        "Activities done",
        "Observe a meeting",
        "Shadow a practitioner",
        "Audit a child's record with the worker",
        "Headline findings",
        "Strategy meetings need clearer next steps.",
        "1. Send conference reports to parents two working days before.",
        "Added to the improvement plan as action 1 (Improvement plan 2026-27)",
        "2. Business support for managers chairing strategy meetings.",
        "Added to the improvement plan as action 2 (Improvement plan 2026-27)",
        "Audit themes",
        "Voice of the child",
        "Actions added to the improvement plan",
    ):
        assert expected in text, expected
    assert "900001" not in text  # case references never reach the report
