"""One valid write through each of the practice week findings routes (see
tests/support/write_scenarios.py and tests/data/test_write_paths.py)."""

from datetime import date

from qa_app.data import improvement, quick_wins
from qa_app.models import Role
from qa_app.services import practice_week_drafting as week_drafting
from tests.practice_weeks.findings_factory import add_activity, add_quick_win, area, make_week
from tests.support.write_scenarios import Ctx, Write, form_post, scenario

BASE = "/practice-weeks/<int:week_id>"


def _week(ctx: Ctx):
    ctx.templates()
    lead = ctx.client_as(Role.QA_LEAD)
    week = make_week("October 2026", date(2026, 10, 5))
    add_activity(week, "observe_meeting", focus=area(week, 1), marks={"voice_of_child": "strength"})
    return lead, week


def _findings(week) -> str:
    return f"/practice-weeks/{week.id}/findings"


@scenario("practice_week_findings.findings", f"{BASE}/findings")
def _save_findings(ctx: Ctx) -> Write:
    lead, week = _week(ctx)
    data = {
        "lock_version": str(week.lock_version),
        f"area_{area(week, 1).id}": "Children at risk are triaged quickly",
        "themes_summary": "Voice of the child heard in most meetings",
    }
    return form_post(lead, _findings(week), data)


@scenario("practice_week_findings.draft", f"{BASE}/findings/draft")
def _draft(ctx: Ctx) -> Write:
    lead, week = _week(ctx)
    url = f"/practice-weeks/{week.id}/findings/draft"
    return form_post(lead, url, {"lock_version": str(week.lock_version)}, page=_findings(week))


@scenario("practice_week_findings.publish", f"{BASE}/findings/publish")
def _publish(ctx: Ctx) -> Write:
    lead, week = _week(ctx)
    url = f"/practice-weeks/{week.id}/findings/publish"
    data = {"lock_version": str(week.lock_version), "audience": "partnership"}
    return form_post(lead, url, data, page=_findings(week))


@scenario("practice_week_findings.redraft", f"{BASE}/findings/redraft")
def _redraft(ctx: Ctx) -> Write:
    lead, week = _week(ctx)
    week_drafting.publish(week, based_on=week.lock_version, actor=lead.user)
    url = f"/practice-weeks/{week.id}/findings/redraft"
    return form_post(lead, url, {"lock_version": str(week.lock_version)}, page=_findings(week))


@scenario("practice_week_findings.new_quick_win", f"{BASE}/quick-wins/new")
def _new_quick_win(ctx: Ctx) -> Write:
    lead, week = _week(ctx)
    owner = ctx.make_user(Role.SENIOR_MANAGER)
    data = {
        "description": "Business support for strategy meeting chairs",
        "owner": str(owner.id),
        "due_date": ["31", "1", "2027"],
        "focus_area": str(area(week, 1).id),
    }
    return form_post(lead, f"/practice-weeks/{week.id}/quick-wins/new", data)


@scenario("practice_week_findings.edit_quick_win", f"{BASE}/quick-wins/<int:quick_win_id>")
def _edit_quick_win(ctx: Ctx) -> Write:
    lead, week = _week(ctx)
    quick_win = add_quick_win(week, 1, "Rename the single assessment")
    data = {
        "version": quick_wins.quick_win_version(quick_win),
        "description": "Rename the single assessment the child and family assessment",
        "owner": "",
        "focus_area": "",
    }
    return form_post(lead, f"/practice-weeks/{week.id}/quick-wins/{quick_win.id}", data)


@scenario("practice_week_findings.delete_quick_win", f"{BASE}/quick-wins/<int:quick_win_id>/delete")
def _delete_quick_win(ctx: Ctx) -> Write:
    lead, week = _week(ctx)
    quick_win = add_quick_win(week, 1, "Rename the single assessment")
    url = f"/practice-weeks/{week.id}/quick-wins/{quick_win.id}"
    data = {"version": quick_wins.quick_win_version(quick_win)}
    return form_post(lead, url + "/delete", data, page=url)


@scenario("practice_week_findings.quick_win_action", f"{BASE}/quick-wins/<int:quick_win_id>/action")
def _quick_win_action(ctx: Ctx) -> Write:
    lead, week = _week(ctx)
    owner = ctx.make_user(Role.SENIOR_MANAGER)
    quick_win = add_quick_win(week, 1, "Deprivation of liberty training", owner, date(2027, 1, 31))
    plan = improvement.save_plan(None, title="Improvement plan 2026-27", actor=lead.user)
    url = f"/practice-weeks/{week.id}/quick-wins/{quick_win.id}/action"
    return form_post(lead, url, {"plan": str(plan.id)})
