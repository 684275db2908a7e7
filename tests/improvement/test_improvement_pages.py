"""Plans, priorities and actions created and edited through the real pages: what is stored,
the change log, numbering, the plan page's RAG tags, bad input, and who may open the pages."""

import pytest
from sqlalchemy import select

from qa_app.data import improvement_queries
from qa_app.extensions import db
from qa_app.models import ImprovementAction, ImprovementPlan, Priority, Role
from qa_app.rules.uk_time import uk_today
from tests.improvement.support import (
    PLAN,
    action_count,
    action_data,
    log_rows,
    make_action,
    make_plan,
    page,
    page_text,
    post,
)


@pytest.fixture
def lead(client_as, loaded_templates):
    return client_as(Role.QA_LEAD)


def test_a_plan_created_through_the_page_is_stored_and_logged(lead):
    response = post(
        lead,
        "/improvement/plans/new",
        {
            "title": PLAN,
            "description": "Answers the 2026 inspection",
            "starts_on": ["1", "4", "2026"],
            "ends_on": ["31", "3", "2027"],
            "status": "active",
        },
    )
    assert response.status_code == 302
    plan = db.session.scalars(select(ImprovementPlan)).one()
    assert (plan.title, plan.starts_on.isoformat(), plan.ends_on.isoformat()) == (
        PLAN,
        "2026-04-01",
        "2027-03-31",
    )
    assert response.headers["Location"].endswith(f"/improvement/plans/{plan.id}")
    [entry] = log_rows("improvement_plan", plan.id)
    assert (entry.action, entry.user_id) == ("created", lead.user.id)
    assert PLAN in page(lead.get("/improvement/"))


def test_priorities_and_actions_are_numbered_in_order_through_the_pages(lead):
    plan = make_plan(lead.user)
    for title in ("Quality of assessments", "Management oversight"):
        url = f"/improvement/plans/{plan.id}/priorities/new"
        assert post(lead, url, {"title": title}).status_code == 302
    assert [(p.number, p.title) for p in db.session.scalars(select(Priority))] == [
        (1, "Quality of assessments"),
        (2, "Management oversight"),
    ]
    second = db.session.scalars(select(Priority).where(Priority.number == 2)).one()
    url = f"/improvement/plans/{plan.id}/actions/new"
    for description in ("First action", "Second action", "Third action"):
        data = action_data(lead.user, description=description, priority=str(second.id))
        assert post(lead, url, data).status_code == 302
    actions = list(db.session.scalars(select(ImprovementAction).order_by(ImprovementAction.id)))
    assert [(a.number, a.description, a.priority_id) for a in actions] == [
        (1, "First action", second.id),
        (2, "Second action", second.id),
        (3, "Third action", second.id),
    ]
    assert [e.action for e in log_rows("improvement_plan", plan.id)][-2:] == [
        "priority_added",
        "priority_added",
    ]
    html = page(lead.get(f"/improvement/plans/{plan.id}"))
    assert html.index("Priority 1: Quality of assessments") < html.index(
        "Priority 2: Management oversight"
    )
    assert html.index("First action") < html.index("Third action")


def test_an_action_created_through_the_page_stores_every_field_and_is_logged(lead, make_user):
    plan = make_plan(lead.user)
    owner = make_user(Role.SENIOR_MANAGER, username="senior.manager.a")
    data = action_data(
        owner,
        status="on_track",
        started_on=["1", "5", "2026"],
        themes=["voice_of_child"],
    )
    response = post(lead, f"/improvement/plans/{plan.id}/actions/new", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    action = db.session.scalars(select(ImprovementAction)).one()
    assert action.owner_id == owner.id
    assert action.status == "on_track"
    assert action.started_on.isoformat() == "2026-05-01"
    assert action.due_date.isoformat() == "2099-03-31"
    assert action.themes == ["voice_of_child"]
    assert action.source_note == "Ofsted ILACS 2026, recommendation 3"
    [entry] = log_rows("improvement_action", action.id)
    assert (entry.action, entry.user_id) == ("created", lead.user.id)
    assert entry.changes["description"] == data["description"]
    html = page(lead.get(f"/improvement/actions/{action.id}"))
    assert "Test senior.manager.a" in html
    assert improvement_queries.theme_names()["voice_of_child"] in html


def test_editing_an_action_saves_and_logs_the_change(lead, make_user):
    plan = make_plan(lead.user)
    owner = make_user(Role.AUDITOR)
    action = make_action(plan, lead.user, owner=owner)
    url = f"/improvement/actions/{action.id}/edit"
    data = action_data(owner, description="Chronologies audited every month", status="at_risk")
    response = post(lead, url, {**data, "lock_version": str(action.lock_version)})
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(action)
    assert (action.description, action.status) == ("Chronologies audited every month", "at_risk")
    entry = log_rows("improvement_action", action.id)[-1]
    assert entry.action == "updated" and entry.user_id == lead.user.id
    assert entry.changes["status"] == ["not_started", "at_risk"]


def test_the_plan_page_shows_status_as_rag_tags_and_overdue(lead, make_user):
    plan = make_plan(lead.user)
    owner = make_user(Role.AUDITOR)
    from datetime import date

    due = date(2001, 4, 1)
    make_action(plan, lead.user, "Red one", owner=owner, status="off_track", due_date=due)
    make_action(plan, lead.user, "Amber one", owner=owner, status="at_risk")
    make_action(plan, lead.user, "Green one", owner=owner, status="on_track")
    make_action(plan, lead.user, "Blue one", owner=owner, status="complete", due_date=due)
    make_action(plan, lead.user, "Grey one", owner=owner)
    html = lead.get(f"/improvement/plans/{plan.id}").get_data(as_text=True)
    for colour, label in (
        ("red", "Off track"),
        ("yellow", "At risk"),
        ("green", "On track"),
        ("blue", "Complete"),
        ("grey", "Not started"),
    ):
        assert f'<strong class="govuk-tag govuk-tag--{colour}">{label}</strong>' in html
    # only the open action past its due date is overdue, not the completed one
    assert html.count(">Overdue</strong>") == 1
    assert "Actions with no priority" in html
    assert "No themes targeted" in html  # the impact line


def test_an_empty_description_is_refused_on_its_field_and_nothing_is_stored(lead):
    plan = make_plan(lead.user)
    data = action_data(lead.user, description="   ")
    response = post(lead, f"/improvement/plans/{plan.id}/actions/new", data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'href="#description"' in html  # the error summary points at the field
    assert "Enter a description" in html
    assert action_count() == 0
    assert log_rows("improvement_action", 1) == []


def test_an_unknown_owner_is_refused_on_its_field(lead, make_user):
    plan = make_plan(lead.user)
    board = make_user(Role.BOARD_VIEWER)  # not someone who can read the plan
    for owner_id in ("999999", str(board.id), "not-a-number"):
        data = {**action_data(lead.user), "owner": owner_id}
        response = post(lead, f"/improvement/plans/{plan.id}/actions/new", data)
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        assert "Choose an owner from the list of active accounts" in html
        assert 'href="#owner"' in html
    assert action_count() == 0


def test_a_date_out_of_range_is_refused_on_its_field(lead):
    plan = make_plan(lead.user)
    for due in (["1", "1", "3001"], ["31", "2", "2027"], ["1", "1", "1850"]):
        data = action_data(lead.user, due_date=due)
        response = post(lead, f"/improvement/plans/{plan.id}/actions/new", data)
        assert response.status_code == 400, due
        assert 'href="#due_date' in response.get_data(as_text=True)
    assert action_count() == 0


def test_a_plan_ending_before_it_starts_is_refused_and_nothing_is_stored(lead):
    response = post(
        lead,
        "/improvement/plans/new",
        {
            "title": PLAN,
            "starts_on": ["1", "4", "2027"],
            "ends_on": ["31", "3", "2026"],
            "status": "active",
        },
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "The end date must be on or after the start date" in html
    assert 'href="#ends_on' in html
    assert db.session.scalars(select(ImprovementPlan)).all() == []


def test_a_second_plan_with_the_same_title_is_refused_on_the_title(lead):
    make_plan(lead.user)
    response = post(lead, "/improvement/plans/new", {"title": PLAN, "status": "active"})
    assert response.status_code == 400
    assert "There is already a plan called" in response.get_data(as_text=True)
    assert len(db.session.scalars(select(ImprovementPlan)).all()) == 1


def test_an_audit_cycle_source_needs_its_cycle(lead):
    plan = make_plan(lead.user)
    data = action_data(lead.user, source_kind="audit_cycle")
    response = post(lead, f"/improvement/plans/{plan.id}/actions/new", data)
    assert response.status_code == 400
    assert "Choose the audit cycle the action answers" in response.get_data(as_text=True)
    assert action_count() == 0


@pytest.mark.parametrize("role", [Role.BOARD_VIEWER, Role.ADMIN])
def test_board_viewers_and_administrators_cannot_open_the_plan(client_as, make_user, role):
    lead = make_user(Role.QA_LEAD)
    plan = make_plan(lead)
    action = make_action(plan, lead, owner=lead)
    client = client_as(role)
    for url in (
        "/improvement/",
        f"/improvement/plans/{plan.id}",
        f"/improvement/actions/{action.id}",
        "/improvement/actions?view=all",
    ):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.MODERATOR])
def test_readers_who_do_not_manage_the_plan_see_it_but_cannot_edit(client_as, make_user, role):
    lead = make_user(Role.QA_LEAD)
    plan = make_plan(lead)
    action = make_action(plan, lead, owner=lead)
    client = client_as(role)
    html = client.get(f"/improvement/plans/{plan.id}").get_data(as_text=True)
    assert "Audit chronologies monthly" in html and "Add an action" not in html
    assert "Create a plan" not in client.get("/improvement/").get_data(as_text=True)
    assert client.get(f"/improvement/actions/{action.id}/edit").status_code == 403
    assert client.get("/improvement/plans/new").status_code == 403
    action_page = client.get(f"/improvement/actions/{action.id}").get_data(as_text=True)
    assert "Add a progress update" not in action_page


def test_the_index_counts_each_plans_actions_by_status(lead, make_user):
    from datetime import date

    plan = make_plan(lead.user)
    make_action(plan, lead.user, status="at_risk", due_date=date(2001, 1, 1))
    make_action(plan, lead.user, status="at_risk")
    make_action(plan, lead.user, status="complete")
    response = lead.get("/improvement/")
    html, text = page(response), page_text(response)
    assert "At risk (amber) 2" in text
    assert "Complete (blue) 1" in text
    assert "Overdue 1" in text
    assert "Create a plan" in html
    assert improvement_queries.list_plans(uk_today())[0].total == 3
