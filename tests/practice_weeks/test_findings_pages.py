"""The findings pages: drafting, editing with a lock version, quick wins and turning one into
an action through the real routes."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from qa_app.data import improvement
from qa_app.extensions import db
from qa_app.models import ChangeLogEntry, ImprovementAction, QuickWin, Role
from tests.helpers import csrf_token
from tests.practice_weeks.findings_factory import add_activity, add_audit, area, make_week

VERSION_RE = re.compile(r'name="lock_version"[^>]*value="(\d+)"')


@pytest.fixture
def week(loaded_templates):
    week = make_week("October 2026", date(2026, 10, 5))
    add_audit(week, {"voice_of_child": "strength"}, reference="1000001")
    add_activity(week, "observe_meeting", focus=area(week, 1), marks={"voice_of_child": "strength"})
    return week


def _url(week, tail: str = "findings") -> str:
    return f"/practice-weeks/{week.id}/{tail}"


def test_the_findings_page_shows_the_week_s_themes_and_fills_the_draft(client_as, week):
    lead = client_as(Role.QA_LEAD)
    page = lead.get(_url(week))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Voice of the child" in html and "(audits 1, observations 1)" in html
    version = VERSION_RE.search(html).group(1)
    response = lead.post(
        _url(week, "findings/draft"),
        data={"csrf_token": csrf_token(lead, _url(week)), "lock_version": version},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert area(week, 1).headlines == "Voice of the child was most often seen as a strength"
    assert week.themes_summary == ""  # marked twice: too few to draw a key finding from


def test_a_stale_save_is_refused_with_409_and_keeps_what_was_typed(client_as, week):
    lead = client_as(Role.QA_LEAD)
    token = csrf_token(lead, _url(week))
    field = f"area_{area(week, 1).id}"
    first = lead.post(
        _url(week),
        data={"csrf_token": token, "lock_version": "1", field: "Saved first", "themes_summary": ""},
    )
    assert first.status_code == 302
    stale = lead.post(
        _url(week),
        data={"csrf_token": token, "lock_version": "1", field: "Typed later", "themes_summary": ""},
    )
    assert stale.status_code == 409
    html = stale.get_data(as_text=True)
    assert "Someone else changed these findings" in html
    assert "Typed later" in html
    db.session.expire_all()
    assert area(week, 1).headlines == "Saved first"


def test_a_quick_win_is_added_and_made_an_action_through_the_pages(client_as, make_user, week):
    lead = client_as(Role.QA_LEAD)
    owner = make_user(Role.SENIOR_MANAGER)
    plan = improvement.save_plan(None, title="Improvement plan 2026-27", actor=lead.user)
    token = csrf_token(lead, _url(week, "quick-wins/new"))
    added = lead.post(
        _url(week, "quick-wins/new"),
        data={
            "csrf_token": token,
            "description": "Business support for strategy meetings",
            "owner": str(owner.id),
            "due_date": ["31", "1", "2027"],
            "focus_area": str(area(week, 1).id),
        },
    )
    assert added.status_code == 302, added.get_data(as_text=True)
    quick_win = db.session.scalars(select(QuickWin)).one()
    assert (quick_win.number, quick_win.owner_id, quick_win.due_date) == (
        1,
        owner.id,
        date(2027, 1, 31),
    )
    action_url = _url(week, f"quick-wins/{quick_win.id}/action")
    made = lead.post(
        action_url, data={"csrf_token": csrf_token(lead, action_url), "plan": str(plan.id)}
    )
    assert made.status_code == 302
    db.session.expire_all()
    action = db.session.scalars(select(ImprovementAction)).one()
    assert (action.source_kind, action.source_week_id, action.owner_id) == (
        "practice_week",
        week.id,
        owner.id,
    )
    assert quick_win.action_id == action.id
    again = lead.post(
        action_url, data={"csrf_token": csrf_token(lead, action_url), "plan": str(plan.id)}
    )
    assert again.status_code == 302
    assert len(db.session.scalars(select(ImprovementAction)).all()) == 1
    logged = db.session.scalars(
        select(ChangeLogEntry.action).where(ChangeLogEntry.entity_type == "practice_week")
    ).all()
    assert logged == ["quick_win_added", "quick_win_to_action"]


def test_a_quick_win_of_another_week_is_not_found(client_as, week, loaded_templates):
    other = make_week("November 2026", date(2026, 11, 2))
    quick_win = QuickWin(week_id=other.id, number=1, description="x")
    db.session.add(quick_win)
    db.session.commit()
    lead = client_as(Role.QA_LEAD)
    assert lead.get(_url(week, f"quick-wins/{quick_win.id}")).status_code == 404


def test_only_qa_leads_write_findings(client_as, week):
    for role in (Role.SENIOR_MANAGER, Role.BOARD_VIEWER, Role.MODERATOR):
        assert client_as(role).get(_url(week)).status_code == 403


def test_a_stale_quick_win_edit_is_refused_with_409_and_keeps_what_was_typed(client_as, week):
    lead = client_as(Role.QA_LEAD)
    quick_win = QuickWin(week_id=week.id, number=1, description="Rename the assessment")
    db.session.add(quick_win)
    db.session.commit()
    url = _url(week, f"quick-wins/{quick_win.id}")
    token = csrf_token(lead, url)
    data = {"csrf_token": token, "version": "2000-01-01T00:00:00", "owner": "", "focus_area": ""}
    response = lead.post(url, data={**data, "description": "My newer wording"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "changed by someone else" in html and "My newer wording" in html
    db.session.expire_all()
    assert quick_win.description == "Rename the assessment"


def test_publishing_through_the_page_freezes_the_findings_and_refuses_edits(client_as, week):
    lead = client_as(Role.QA_LEAD)
    html = lead.get(_url(week)).get_data(as_text=True)
    version = VERSION_RE.search(html).group(1)
    token = csrf_token(lead, _url(week))
    published = lead.post(
        _url(week, "findings/publish"),
        data={"csrf_token": token, "lock_version": version, "audience": "partnership"},
    )
    assert published.status_code == 302
    assert published.headers["Location"].endswith(_url(week, "report"))
    db.session.expire_all()
    assert week.findings_status == "published"
    assert week.figures["themes"][0]["strength"] == 2
    field = f"area_{area(week, 1).id}"
    refused = lead.post(
        _url(week),
        data={"csrf_token": token, "lock_version": str(week.lock_version), field: "Too late"},
    )
    assert refused.status_code == 302
    db.session.expire_all()
    assert area(week, 1).headlines == ""
    page = lead.get(_url(week)).get_data(as_text=True)
    assert "Redraft the findings" in page and "Publish the findings" not in page
    assert "published to Partnership (the safeguarding board and scrutiny committee)" in page
