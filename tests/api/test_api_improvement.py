"""The improvement plan in the API: plans with counts, actions listed with filters, read with
their progress and impact, created, changed with a lock version, and progress posted by the
owner. Every response is checked against the OpenAPI document by the test client."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from qa_app.data import improvement as plan_data
from qa_app.data.cycles import save_cycle
from qa_app.data.templates import get_template
from qa_app.extensions import db
from qa_app.models import (
    ActionUpdate,
    ChangeLogEntry,
    ImprovementAction,
    Role,
    SecurityEvent,
)
from qa_app.rules.uk_time import uk_today
from tests.api.support import api_as, error_of

TODAY = uk_today()
HUGE = "99999999999999999999"


@pytest.fixture
def lead(app, make_user, loaded_templates):
    return api_as(app, make_user, Role.QA_LEAD)


@pytest.fixture
def plan(lead):
    plan = plan_data.save_plan(
        None,
        title="Children's services improvement plan 2026–27",
        starts_on=date(2026, 4, 1),
        ends_on=date(2027, 3, 31),
        actor=lead.user,
    )
    plan_data.save_priority(plan, None, title="Quality of assessments", actor=lead.user)
    return plan


def new_action(plan, actor, **fields) -> ImprovementAction:
    fields.setdefault("description", "Every assessment records the child's own words")
    return plan_data.create_action(plan, actor=actor, today=TODAY, **fields)


def log_rows(action_id: int) -> list[ChangeLogEntry]:
    return list(
        db.session.scalars(
            select(ChangeLogEntry)
            .where(
                ChangeLogEntry.entity_type == "improvement_action",
                ChangeLogEntry.entity_id == str(action_id),
            )
            .order_by(ChangeLogEntry.id)
        )
    )


def fields_of(response) -> set[str]:
    return {p["field"] for p in error_of(response)["problems"]}


# ---- plans --------------------------------------------------------------------------------


def test_plans_are_listed_with_their_priorities_and_actions_counted_by_status(lead, plan):
    new_action(plan, lead.user, status="at_risk", due_date=TODAY - timedelta(days=1))
    new_action(plan, lead.user, status="complete", due_date=TODAY - timedelta(days=1))
    new_action(plan, lead.user)
    response = lead.get("/improvement/plans")
    assert response.status_code == 200
    [item] = response.get_json()["items"]
    assert item["title"] == plan.title and item["starts_on"] == "2026-04-01"
    assert item["priorities"] == [
        {"id": plan.priorities[0].id, "number": 1, "title": "Quality of assessments"}
    ]
    assert item["by_status"] == {
        "not_started": 1,
        "on_track": 0,
        "at_risk": 1,
        "off_track": 0,
        "complete": 1,
    }
    assert item["total"] == 3 and item["overdue"] == 1  # a complete action is never overdue


# ---- creating -----------------------------------------------------------------------------


def test_a_manager_creates_an_action_numbered_next_in_the_plan(app, make_user, lead, plan):
    owner = make_user(Role.SENIOR_MANAGER, username="senior.manager.a")
    new_action(plan, lead.user)
    cycle = save_cycle(
        name="Single assessments, spring",
        kind="monthly",
        description="",
        period_start=date(2026, 3, 1),
        period_end=date(2026, 3, 31),
        due_date=None,
        templates=[get_template("single_assessment")],
        theme_focus=None,
        moderation_share=10,
        actor=lead.user,
    )
    manager = api_as(app, make_user, Role.SENIOR_MANAGER)
    body = {
        "plan": plan.id,
        "description": "Fathers are contacted in every assessment",
        "priority": plan.priorities[0].id,
        "owner": "senior.manager.a",
        "due_date": "2027-01-31",
        "status": "on_track",
        "source_kind": "audit_cycle",
        "source_cycle": cycle.id,
        "themes": ["fathers_wider_family", "voice_of_child"],
        "expected_outcome": "Fathers' views recorded in most assessments",
    }
    response = manager.post("/improvement/actions", body)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/improvement/actions/{data['id']}")
    assert data["number"] == 2
    assert data["owner"] == "senior.manager.a" and data["owner_name"] == owner.display_name
    assert data["priority"]["title"] == "Quality of assessments"
    assert data["status"] == "on_track" and data["rag"] == "green"
    assert data["started_on"] == TODAY.isoformat()  # leaving not started starts the clock
    assert data["source_cycle"] == cycle.id and data["lock_version"] == 1
    assert data["themes"] == ["fathers_wider_family", "voice_of_child"]  # in theme-name order
    assert [t["theme"] for t in data["impact"]["themes"]] == data["themes"]
    assert "too few audits to tell" in data["impact"]["themes"][0]["sentence"]
    stored = db.session.get(ImprovementAction, data["id"])
    assert stored.owner_id == owner.id and stored.due_date == date(2027, 1, 31)
    [row] = log_rows(stored.id)
    assert row.action == "created" and row.user_id == manager.user.id


@pytest.mark.parametrize(
    "change, field",
    [
        ({"description": "  "}, "description"),
        ({"description": None}, "description"),
        ({"owner": "nobody.here"}, "owner"),
        ({"themes": ["not_a_theme"]}, "themes"),
        ({"themes": "voice_of_child"}, "themes"),
        ({"due_date": "31/01/2027"}, "due_date"),
        ({"due_date": "3000-01-01"}, "due_date"),
        ({"status": "green"}, "status"),
        ({"source_kind": "rumour"}, "source_kind"),
        ({"priority": 2**63}, "priority"),
        ({"priority": 987654}, "priority"),
        ({"source_cycle": 987654}, "source_cycle"),
        ({"source_week": 987654}, "source_week"),
        ({"plan": 987654}, "plan"),
        ({"colour": "red"}, "colour"),
        ({"expected_outcome": "x" * 4001}, "expected_outcome"),
    ],
)
def test_bad_input_is_422_on_its_field_and_stores_nothing(lead, plan, change, field):
    body = {"plan": plan.id, "description": "Chronologies in every record", **change}
    response = lead.post("/improvement/actions", body)
    assert response.status_code == 422, response.get_json()
    assert field in fields_of(response)
    assert db.session.scalars(select(ImprovementAction)).all() == []


def test_a_missing_description_and_plan_are_both_named(lead, plan):
    response = lead.post("/improvement/actions", {})
    assert response.status_code == 422
    assert fields_of(response) == {"plan", "description"}


def test_a_priority_of_another_plan_or_a_closed_plan_is_refused(lead, plan):
    other = plan_data.save_plan(None, title="Another plan", actor=lead.user)
    theirs = plan_data.save_priority(other, None, title="Theirs", actor=lead.user)
    response = lead.post(
        "/improvement/actions", {"plan": plan.id, "description": "x", "priority": theirs.id}
    )
    assert response.status_code == 422 and error_of(response)["field"] == "priority"
    plan_data.save_plan(other, title="Another plan", status="closed", actor=lead.user)
    response = lead.post("/improvement/actions", {"plan": other.id, "description": "x"})
    assert response.status_code == 422 and error_of(response)["field"] == "plan"
    assert db.session.scalars(select(ImprovementAction)).all() == []


def test_an_inactive_owner_is_refused(lead, plan, make_user):
    gone = make_user(Role.SENIOR_MANAGER, username="left.the.service")
    gone.active = False
    db.session.commit()
    response = lead.post(
        "/improvement/actions",
        {"plan": plan.id, "description": "x", "owner": "left.the.service"},
    )
    assert response.status_code == 422 and error_of(response)["field"] == "owner"


# ---- reading ------------------------------------------------------------------------------


def test_one_action_with_its_progress_updates(app, make_user, lead, plan):
    owner = make_user(Role.AUDITOR)
    action = new_action(plan, lead.user, owner=owner, status="at_risk", themes=["timeliness"])
    plan_data.add_update(action, note="Two workshops held", actor=owner, today=TODAY)
    reader = api_as(app, make_user, Role.MODERATOR)
    response = reader.get(f"/improvement/actions/{action.id}")
    assert response.status_code == 200
    data = response.get_json()
    assert data["description"] == "Every assessment records the child's own words"
    [update] = data["updates"]
    assert update["note"] == "Two workshops held" and update["author"] == owner.username
    assert data["impact"]["message"] == ""
    assert data["can_update"] is False  # a moderator who does not own it
    assert reader.get("/improvement/actions/987654").status_code == 404
    assert reader.get(f"/improvement/actions/{HUGE}").status_code == 404


def test_actions_are_listed_by_view_and_filter(app, make_user, lead, plan):
    me = api_as(app, make_user, Role.AUDITOR)
    someone = make_user(Role.SENIOR_MANAGER)
    late = new_action(plan, lead.user, owner=me.user, due_date=TODAY - timedelta(days=3))
    risky = new_action(plan, lead.user, owner=someone, status="off_track", themes=["timeliness"])
    done = new_action(
        plan,
        lead.user,
        status="complete",
        due_date=TODAY - timedelta(days=30),
        themes=["timeliness"],
    )
    other = plan_data.save_plan(None, title="Another plan", actor=lead.user)
    elsewhere = new_action(other, lead.user, owner=me.user)

    def ids(query: str) -> list[int]:
        response = me.get(f"/improvement/actions{query}")
        assert response.status_code == 200, response.get_json()
        return [a["id"] for a in response.get_json()["items"]]

    assert ids("") == [late.id, risky.id, done.id, elsewhere.id]
    assert ids(f"?plan={plan.id}") == [late.id, risky.id, done.id]
    assert ids("?view=overdue") == [late.id]
    assert ids("?view=at_risk") == [risky.id]
    assert ids("?view=mine") == [late.id, elsewhere.id]
    assert ids("?view=open") == [late.id, risky.id, elsewhere.id]
    assert ids(f"?owner={someone.id}") == [risky.id]
    assert ids("?status=complete") == [done.id]
    assert ids("?theme=timeliness") == [risky.id, done.id]
    assert ids("?theme=timeliness&limit=1&offset=1") == [done.id]
    page = me.get("/improvement/actions?limit=2&offset=1").get_json()
    assert [a["id"] for a in page["items"]] == [risky.id, done.id]
    assert (page["total"], page["limit"], page["offset"]) == (4, 2, 1)
    [first] = me.get(f"/improvement/actions?view=overdue&plan={plan.id}").get_json()["items"]
    assert first["overdue"] is True and first["owner"] == me.user.username


@pytest.mark.parametrize(
    "query, field",
    [
        ("view=everything", "view"),
        ("status=green", "status"),
        ("theme=nope", "theme"),
        ("plan=987654", "plan"),
        ("owner=987654", "owner"),
        (f"plan={HUGE}", "plan"),
        ("limit=0", "limit"),
        ("colour=red", "colour"),
    ],
)
def test_a_bad_filter_is_422_naming_it(lead, plan, query, field):
    response = lead.get(f"/improvement/actions?{query}")
    assert response.status_code == 422
    assert error_of(response)["field"] == field


# ---- changing -----------------------------------------------------------------------------


def test_a_patch_changes_only_the_fields_sent(app, make_user, lead, plan):
    owner = make_user(Role.SENIOR_MANAGER)
    action = new_action(plan, lead.user, owner=owner, due_date=date(2027, 1, 31))
    response = lead.patch(
        f"/improvement/actions/{action.id}",
        {"lock_version": 1, "status": "at_risk", "note": "Staff shortages in the MASH"},
    )
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert data["status"] == "at_risk" and data["lock_version"] == 2
    assert data["owner"] == owner.username and data["due_date"] == "2027-01-31"
    [update] = data["updates"]
    assert update["status_from"] == "not_started" and update["status_to"] == "at_risk"
    assert update["note"] == "Staff shortages in the MASH"
    response = lead.patch(
        f"/improvement/actions/{action.id}", {"lock_version": 2, "owner": None, "due_date": None}
    )
    assert response.status_code == 200
    stored = db.session.get(ImprovementAction, action.id)
    assert stored.owner_id is None and stored.due_date is None and stored.lock_version == 3
    rows = log_rows(action.id)
    assert [r.action for r in rows] == ["created", "updated", "updated"]
    assert rows[-1].user_id == lead.user.id
    assert rows[-1].changes["owner_id"] == [owner.id, None]


def test_a_stale_patch_is_409_and_overwrites_nothing(lead, plan):
    action = new_action(plan, lead.user)
    first = lead.patch(
        f"/improvement/actions/{action.id}", {"lock_version": 1, "status": "on_track"}
    )
    assert first.status_code == 200
    response = lead.patch(
        f"/improvement/actions/{action.id}",
        {"lock_version": 1, "description": "An older idea of the action"},
    )
    assert response.status_code == 409
    error = error_of(response)
    assert error["field"] == "lock_version" and error["lock_version"] == 2
    stored = db.session.get(ImprovementAction, action.id)
    assert stored.description == "Every assessment records the child's own words"
    assert stored.lock_version == 2


def test_a_patch_needs_a_lock_version_and_valid_fields(lead, plan):
    action = new_action(plan, lead.user)
    response = lead.patch(f"/improvement/actions/{action.id}", {"status": "on_track"})
    assert response.status_code == 422 and fields_of(response) == {"lock_version"}
    response = lead.patch(
        f"/improvement/actions/{action.id}", {"lock_version": 1, "plan": plan.id, "themes": [1]}
    )
    assert response.status_code == 422 and fields_of(response) == {"plan", "themes"}
    response = lead.patch(f"/improvement/actions/{action.id}", {"lock_version": 2**63})
    assert response.status_code == 422 and fields_of(response) == {"lock_version"}
    assert lead.patch(f"/improvement/actions/{HUGE}", {"lock_version": 1}).status_code == 404
    assert db.session.get(ImprovementAction, action.id).lock_version == 1


# ---- progress -----------------------------------------------------------------------------


def test_the_owner_posts_progress_and_moves_the_status(app, make_user, lead, plan):
    owner = api_as(app, make_user, Role.AUDITOR)
    action = new_action(plan, lead.user, owner=owner.user)
    response = owner.post(
        f"/improvement/actions/{action.id}/updates",
        {"note": "Practice guidance drafted", "status": "on_track", "lock_version": 1},
    )
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert data["status"] == "on_track" and data["can_update"] is True
    assert data["started_on"] == TODAY.isoformat()
    [update] = data["updates"]
    assert update["author"] == owner.user.username and update["note"] == "Practice guidance drafted"
    stored = db.session.scalars(select(ActionUpdate)).one()
    assert stored.author_id == owner.user.id and stored.at.date() <= TODAY
    row = log_rows(action.id)[-1]
    assert row.action == "progress" and row.user_id == owner.user.id
    assert row.changes["status"] == ["not_started", "on_track"]


def test_someone_else_may_not_post_progress_and_is_logged(app, make_user, lead, plan):
    action = new_action(plan, lead.user, owner=make_user(Role.AUDITOR))
    stranger = api_as(app, make_user, Role.AUDITOR)
    response = stranger.post(f"/improvement/actions/{action.id}/updates", {"note": "Mine now"})
    assert response.status_code == 403
    assert db.session.scalars(select(ActionUpdate)).all() == []
    refused = db.session.scalars(
        select(SecurityEvent).where(SecurityEvent.event == "permission_refused")
    ).all()
    assert [e.user_id for e in refused] == [stranger.user.id]
    manager = api_as(app, make_user, Role.SENIOR_MANAGER)
    response = manager.post(f"/improvement/actions/{action.id}/updates", {"note": "Checked in"})
    assert response.status_code == 201


def test_progress_needs_a_note_and_a_current_version(lead, plan):
    action = new_action(plan, lead.user)
    url = f"/improvement/actions/{action.id}/updates"
    response = lead.post(url, {"note": " ", "status": "amber"})
    assert response.status_code == 422 and fields_of(response) == {"note", "status"}
    response = lead.post(url, {"note": "Late news", "lock_version": 7})
    assert response.status_code == 409 and error_of(response)["lock_version"] == 1
    assert db.session.scalars(select(ActionUpdate)).all() == []


# ---- who may --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.BOARD_VIEWER, Role.ADMIN])
def test_board_viewers_and_administrators_see_nothing_of_the_plan(app, make_user, lead, plan, role):
    action = new_action(plan, lead.user)
    api = api_as(app, make_user, role)
    for method, path, body in [
        ("GET", "/improvement/plans", None),
        ("GET", "/improvement/actions", None),
        ("GET", f"/improvement/actions/{action.id}", None),
        ("POST", "/improvement/actions", {"plan": plan.id, "description": "x"}),
        ("PATCH", f"/improvement/actions/{action.id}", {"lock_version": 1}),
        ("POST", f"/improvement/actions/{action.id}/updates", {"note": "x"}),
    ]:
        kwargs = {} if body is None else {"body": body}
        assert api.request(method, path, **kwargs).status_code == 403, (role, method, path)


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.MODERATOR])
def test_readers_who_do_not_manage_the_plan_cannot_write_it(app, make_user, lead, plan, role):
    action = new_action(plan, lead.user)
    api = api_as(app, make_user, role)
    assert api.get("/improvement/actions").status_code == 200
    body = {"plan": plan.id, "description": "x"}
    assert api.post("/improvement/actions", body).status_code == 403
    patch = {"lock_version": 1, "description": "y"}
    assert api.patch(f"/improvement/actions/{action.id}", patch).status_code == 403
    assert db.session.get(ImprovementAction, action.id).lock_version == 1
