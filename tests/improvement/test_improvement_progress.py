"""Progress updates and saves that could collide: the owner posts dated notes and moves the
status (recorded in the change log); anyone else who only reads the plan is refused; a stale
edit or progress update is refused with what was typed kept on the page."""

from datetime import date

import pytest
from sqlalchemy import select

from qa_app.data import improvement
from qa_app.extensions import db
from qa_app.models import ActionUpdate, Role
from tests.improvement.support import (
    action_data,
    log_rows,
    make_action,
    make_plan,
    page,
    page_version,
    post,
)


@pytest.fixture
def plan(make_user, loaded_templates):
    return make_plan(make_user(Role.QA_LEAD, username="qa.lead.a"))


def _progress(client, action, note: str, status: str, version: str | None = None):
    url = f"/improvement/actions/{action.id}"
    version = version or page_version(client, url)
    data = {"note": note, "status": status, "lock_version": version}
    return post(client, f"/improvement/actions/{action.id}/progress", data, page=url)


def test_the_owner_posts_a_dated_progress_update_and_the_status_change_is_logged(client_as, plan):
    owner = client_as(Role.AUDITOR)  # an auditor who owns an action may post progress on it
    action = make_action(plan, plan_creator(plan), owner=owner.user)
    response = _progress(owner, action, "Chronology template agreed with team managers", "at_risk")
    assert response.status_code == 302, response.get_data(as_text=True)
    update = db.session.scalars(select(ActionUpdate)).one()
    assert (update.author_id, update.note) == (
        owner.user.id,
        "Chronology template agreed with team managers",
    )
    assert (update.status_from, update.status_to) == ("not_started", "at_risk")
    assert update.at is not None
    db.session.refresh(action)
    assert action.status == "at_risk" and action.started_on is not None
    entry = log_rows("improvement_action", action.id)[-1]
    assert (entry.action, entry.user_id) == ("progress", owner.user.id)
    assert entry.changes["status"] == ["not_started", "at_risk"]
    html = page(owner.get(f"/improvement/actions/{action.id}"))
    assert "Chronology template agreed with team managers" in html
    assert "Status: Not started to At risk" in html
    assert "Test " + owner.user.username in html  # the author


def test_a_note_without_a_status_change_keeps_the_status(client_as, plan):
    owner = client_as(Role.SENIOR_MANAGER)
    action = make_action(plan, plan_creator(plan), owner=owner.user, status="on_track")
    assert _progress(owner, action, "Two team briefings held", "on_track").status_code == 302
    update = db.session.scalars(select(ActionUpdate)).one()
    assert (update.status_from, update.status_to) == (None, None)
    assert "status" not in log_rows("improvement_action", action.id)[-1].changes


def test_updates_are_listed_newest_first(client_as, plan):
    owner = client_as(Role.AUDITOR)
    action = make_action(plan, plan_creator(plan), owner=owner.user)
    _progress(owner, action, "First note", "not_started")
    _progress(owner, action, "Second note", "on_track")
    html = page(owner.get(f"/improvement/actions/{action.id}"))
    assert html.index("Second note") < html.index("First note")


def test_a_plan_manager_may_post_progress_on_someone_elses_action(client_as, make_user, plan):
    action = make_action(plan, plan_creator(plan), owner=make_user(Role.AUDITOR))
    manager = client_as(Role.SENIOR_MANAGER)
    assert _progress(manager, action, "Chased the owner", "at_risk").status_code == 302


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.MODERATOR])
def test_a_reader_who_does_not_own_the_action_is_refused(client_as, make_user, plan, role):
    owner = make_user(Role.AUDITOR)
    action = make_action(plan, plan_creator(plan), owner=owner)
    other = client_as(role)
    assert "Add a progress update" not in page(other.get(f"/improvement/actions/{action.id}"))
    url = f"/improvement/actions/{action.id}/progress"
    data = {"note": "Not mine to say", "status": "complete", "lock_version": "1"}
    response = post(other, url, data, page=f"/improvement/actions/{action.id}")
    assert response.status_code == 403
    assert db.session.scalars(select(ActionUpdate)).all() == []
    db.session.refresh(action)
    assert action.status == "not_started"


def test_an_empty_progress_note_is_refused_on_its_field(client_as, plan):
    owner = client_as(Role.AUDITOR)
    action = make_action(plan, plan_creator(plan), owner=owner.user)
    response = _progress(owner, action, "  ", "complete")
    assert response.status_code == 400
    assert 'href="#note"' in response.get_data(as_text=True)
    db.session.refresh(action)
    assert action.status == "not_started"
    assert db.session.scalars(select(ActionUpdate)).all() == []


def test_a_stale_progress_update_is_refused_and_keeps_the_note(client_as, plan):
    owner = client_as(Role.AUDITOR)
    action = make_action(plan, plan_creator(plan), owner=owner.user)
    url = f"/improvement/actions/{action.id}"
    old_version = page_version(owner, url)
    improvement.add_update(
        action,
        note="Someone else's update",
        actor=plan_creator(plan),
        today=action.created_at.date(),
    )
    response = _progress(
        owner, action, "My careful note about supervision", "on_track", old_version
    )
    assert response.status_code == 409
    html = page(response)
    assert "Someone else updated this action" in html
    assert "My careful note about supervision" in html  # kept in the box
    assert "Someone else's update" in html  # the action as it is now
    assert [u.note for u in db.session.scalars(select(ActionUpdate))] == ["Someone else's update"]
    # the page now carries the current version: posting again is accepted
    again = _progress(owner, action, "My careful note about supervision", "on_track")
    assert again.status_code == 302


def test_a_stale_edit_is_refused_with_the_typed_text_kept(client_as, make_user, plan):
    lead = client_as(Role.QA_LEAD)
    owner = make_user(Role.AUDITOR)
    action = make_action(plan, lead.user, "Original words", owner=owner)
    url = f"/improvement/actions/{action.id}/edit"
    version = page_version(lead, url)
    improvement.update_action(
        action,
        based_on=action.lock_version,
        actor=plan_creator(plan),
        today=action.created_at.date(),
        description="Words saved by someone else first",
    )
    data = {**action_data(owner, description="My typed words"), "lock_version": version}
    response = post(lead, url, data)
    assert response.status_code == 409
    html = page(response)
    assert "Someone else has changed this action" in html
    assert "My typed words" in html
    assert "Words saved by someone else first" in html
    db.session.refresh(action)
    assert action.description == "Words saved by someone else first"
    # the conflict page's form holds the typed words at the current version
    assert f'value="{action.lock_version}"' in html


def plan_creator(plan):
    from qa_app.data.users import get_user

    return get_user(plan.created_by_id)


def test_the_history_reads_in_labels_names_and_dates_not_stored_keys(client_as, make_user, plan):
    lead = client_as(Role.QA_LEAD)
    first, second = make_user(Role.AUDITOR), make_user(Role.AUDITOR)
    action = make_action(plan, lead.user, owner=first, status="at_risk", due_date=date(2027, 1, 1))
    improvement.update_action(
        action,
        based_on=action.lock_version,
        actor=lead.user,
        today=date(2026, 6, 2),
        status="on_track",
        owner=second,
        due_date=date(2027, 2, 1),
    )
    html = page(lead.get(f"/improvement/actions/{action.id}"))
    history = html[html.index("History</h2>") :]
    assert "Status: At risk to On track" in history
    assert f"Owner: {first.display_name} to {second.display_name}" in history
    assert "Due date: 1 January 2027 to 1 February 2027" in history
    for key in ("at_risk", "on_track", "owner_id", "due_date", "2027-01-01"):
        assert key not in history, key
