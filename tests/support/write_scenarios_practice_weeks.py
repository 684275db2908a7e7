"""One valid write through each practice week planning and recording route, for
tests/data/test_write_paths.py
(registered with tests.support.write_scenarios.scenario on import)."""

import re

from qa_app.data import practice_week_records as week_records
from qa_app.data.organisation import save_team
from qa_app.models import Role
from tests.practice_weeks.week_factory import (
    WEEK_START,
    make_week,
    observation_answers,
    schedule,
)
from tests.support.write_scenarios import Ctx, Write, form_post, scenario


def _version(client, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="lock_version"[^>]*value="(\d+)"', html).group(1)


def _planned(ctx: Ctx):
    """A QA lead's client, a senior manager's client and a week they take part in."""
    ctx.templates()
    lead = ctx.client_as(Role.QA_LEAD)
    manager = ctx.client_as(Role.SENIOR_MANAGER)
    week = make_week(managers=[manager.user], actor=lead.user)
    return lead, manager, week


def _dmy(d) -> list[str]:
    return [str(d.day), str(d.month), str(d.year)]


@scenario("practice_weeks.edit_week", "/practice-weeks/new", "new")
def _new_week(ctx: Ctx) -> Write:
    ctx.templates()
    lead = ctx.client_as(Role.QA_LEAD)
    manager = ctx.make_user(Role.SENIOR_MANAGER)
    data = {
        "name": "Practice week, March",
        "starts_on": _dmy(WEEK_START),
        "ends_on": _dmy(WEEK_START),
        "new_focus_areas": "The front door",
        "managers": [str(manager.id)],
    }
    return form_post(lead, "/practice-weeks/new", data)


@scenario("practice_weeks.edit_week", "/practice-weeks/<int:week_id>/edit", "edit")
def _edit_week(ctx: Ctx) -> Write:
    lead, manager, week = _planned(ctx)
    url = f"/practice-weeks/{week.id}/edit"
    data = {
        "lock_version": _version(lead, url),
        "name": week.name,
        "starts_on": _dmy(week.starts_on),
        "ends_on": _dmy(week.ends_on),
        "purpose": "A new purpose",
        "managers": [str(manager.user.id)],
        **{f"area__{a.id}": a.title for a in week.focus_areas},
    }
    return form_post(lead, url, data)


@scenario("practice_weeks.new_activity", "/practice-weeks/<int:week_id>/activities/new")
def _new_activity(ctx: Ctx) -> Write:
    lead, manager, week = _planned(ctx)
    data = {
        "kind": "shadow",
        "day": week.starts_on.isoformat(),
        "manager_id": str(manager.user.id),
    }
    return form_post(lead, f"/practice-weeks/{week.id}/activities/new", data)


@scenario("practice_weeks.edit_activity", "/practice-weeks/activities/<int:activity_id>/edit")
def _edit_activity(ctx: Ctx) -> Write:
    lead, manager, week = _planned(ctx)
    activity = schedule(week, manager.user, "shadow")
    url = f"/practice-weeks/activities/{activity.id}/edit"
    data = {
        "lock_version": _version(lead, url),
        "kind": "shadow",
        "day": week.starts_on.isoformat(),
        "time": "11:00",
        "manager_id": str(manager.user.id),
    }
    return form_post(lead, url, data)


@scenario("practice_weeks.cancel_activity", "/practice-weeks/activities/<int:activity_id>/cancel")
def _cancel_activity(ctx: Ctx) -> Write:
    lead, manager, week = _planned(ctx)
    activity = schedule(week, manager.user)
    url = f"/practice-weeks/activities/{activity.id}/cancel"
    return form_post(lead, url, {"lock_version": _version(lead, url), "reason": "Rearranged"})


RECORD = "/practice-weeks/activities/<int:activity_id>/record"


@scenario("practice_weeks.record", RECORD, "observation")
def _record_observation(ctx: Ctx) -> Write:
    _, manager, week = _planned(ctx)
    activity = schedule(week, manager.user)
    url = f"/practice-weeks/activities/{activity.id}/record"
    content = week_records.template_version_for(activity).content
    data = {**observation_answers(content), "lock_version": _version(manager, url)}
    return form_post(manager, url, {**data, "summary": "Seen.", "action": "finish"})


@scenario("practice_weeks.record", RECORD, "conversation")
def _record_conversation(ctx: Ctx) -> Write:
    _, manager, week = _planned(ctx)
    activity = schedule(week, manager.user, "conversation")
    url = f"/practice-weeks/activities/{activity.id}/record"
    data = {
        "lock_version": _version(manager, url),
        "participant": "child",
        "consent_given": "no",
        "action": "finish",
    }
    return form_post(manager, url, data)


@scenario("practice_weeks.record", RECORD, "audit_record")
def _record_audit(ctx: Ctx) -> Write:
    _, manager, week = _planned(ctx)
    team = save_team("Initial Response", None, True, actor=None)
    activity = schedule(week, manager.user, "audit_record")
    template = next(t for t in week_records.week_templates(week) if t.key == "single_assessment")
    url = f"/practice-weeks/activities/{activity.id}/record"
    data = {
        "lock_version": _version(manager, url),
        "case_reference": "1000777",
        "team_id": str(team.id),
        "template_id": str(template.id),
    }
    return form_post(manager, url, data)
