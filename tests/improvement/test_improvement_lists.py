"""The cross-plan lists: "my actions" (the default for an owner), overdue, at risk or off
track, open and all; chosen by the data functions with a fixed today and through the pages.
The plan page and the lists run the same number of SQL statements whatever the number of
actions."""

from datetime import date

import pytest

from qa_app.data import improvement, improvement_queries
from qa_app.models import Role
from tests.cycles.cycle_factory import count_queries
from tests.improvement.support import make_action, make_plan, page

TODAY = date(2026, 6, 15)


@pytest.fixture
def lead(make_user, loaded_templates):
    return make_user(Role.QA_LEAD)


def _descriptions(actions) -> list[str]:
    return [a.description for a in actions]


def test_overdue_and_at_risk_views_select_the_right_actions(lead, make_user):
    plan = make_plan(lead)
    owner = make_user(Role.AUDITOR)
    past, future = date(2026, 6, 14), date(2026, 6, 15)
    make_action(plan, lead, "open and past due", owner=owner, due_date=past)
    make_action(plan, lead, "complete and past due", status="complete", due_date=past)
    make_action(plan, lead, "due today", status="on_track", due_date=future)
    make_action(plan, lead, "at risk", status="at_risk", due_date=future)
    make_action(plan, lead, "off track and past due", status="off_track", due_date=past)
    make_action(plan, lead, "no due date")

    def view(name, **kwargs):
        return _descriptions(improvement_queries.list_actions(today=TODAY, view=name, **kwargs))

    assert view("overdue") == ["open and past due", "off track and past due"]
    assert view("at_risk") == ["at risk", "off track and past due"]
    assert view("mine", user=owner) == ["open and past due"]
    assert "complete and past due" not in view("open")
    assert len(view("all")) == 6


def test_paging_with_a_theme_filter_pages_the_matching_actions(lead):
    """The theme filter is applied before the offset and limit, so page 2 starts after the
    first page's matches (not after the first page's worth of actions)."""
    plan = make_plan(lead)
    for i in range(1, 9):
        themes = ["voice_of_child"] if i % 2 else ["timeliness"]
        if i == 6:
            themes = ["timeliness", "voice_of_child"]
        make_action(plan, lead, f"Action {i}", themes=themes)

    def listed(theme="voice_of_child", **kwargs):
        found = improvement_queries.list_actions(today=TODAY, theme=theme, **kwargs)
        return [int(d.split()[1]) for d in _descriptions(found)]

    assert listed() == [1, 3, 5, 6, 7]
    assert listed(limit=2) == [1, 3]
    assert listed(limit=2, offset=2) == [5, 6]  # page 2
    assert listed(limit=2, offset=4) == [7]
    assert listed(limit=2, offset=6) == []
    assert listed("timeliness", limit=2, offset=2) == [6, 8]
    assert listed(view="open", limit=1, offset=1) == [3]


def test_an_owner_sees_my_actions_by_default(client_as, lead, make_user):
    plan = make_plan(lead)
    owner = client_as(Role.SENIOR_MANAGER)
    make_action(plan, lead, "Mine to do", owner=owner.user)
    make_action(plan, lead, "Someone else's", owner=make_user(Role.AUDITOR))
    html = page(owner.get("/improvement/actions"))
    assert '<h1 class="govuk-heading-l">My actions</h1>' in html
    assert "Mine to do" in html and "Someone else's" not in html
    assert "see your actions" in page(owner.get("/improvement/"))
    # someone with no actions starts from the open actions instead
    reader = client_as(Role.MODERATOR)
    html = page(reader.get("/improvement/actions"))
    assert "Open actions" in html and "Mine to do" in html and "Someone else's" in html
    assert "You do not own any actions" in page(reader.get("/improvement/actions?view=mine"))


def test_the_overdue_and_at_risk_pages_list_the_right_actions(client_as, lead):
    plan = make_plan(lead)
    make_action(plan, lead, "Long overdue", due_date=date(2001, 4, 1))
    make_action(plan, lead, "Not due for decades", status="at_risk", due_date=date(2099, 3, 31))
    make_action(plan, lead, "Done long ago", status="complete", due_date=date(2001, 4, 1))
    client = client_as(Role.AUDITOR)
    overdue = page(client.get("/improvement/actions?view=overdue"))
    assert "Long overdue" in overdue
    assert "Not due for decades" not in overdue and "Done long ago" not in overdue
    at_risk = page(client.get("/improvement/actions?view=at_risk"))
    assert "Not due for decades" in at_risk
    assert "Long overdue" not in at_risk and "Done long ago" not in at_risk


def _add_actions(plan, lead, owner, priorities, start: int, n: int) -> None:
    for i in range(start, start + n):
        make_action(
            plan,
            lead,
            f"Action {i}",
            owner=owner,
            priority=priorities[i % 2] if i % 3 else None,
            status="on_track" if i % 2 else "at_risk",
            due_date=date(2001, 1, 1) if i % 4 == 0 else date(2099, 1, 1),
            started_on=date(2026, 1, 1),
            themes=["voice_of_child"] if i % 2 else [],
        )


@pytest.mark.parametrize(
    "path",
    ["plan", "/improvement/actions?view=all", "/improvement/actions?view=mine", "/improvement/"],
)
def test_queries_do_not_grow_with_the_actions(client_as, lead, path):
    plan = make_plan(lead)
    priorities = [
        improvement.save_priority(plan, None, title=t, actor=lead) for t in ("One", "Two")
    ]
    client = client_as(Role.SENIOR_MANAGER)
    owner = client.user
    url = f"/improvement/plans/{plan.id}" if path == "plan" else path
    _add_actions(plan, lead, owner, priorities, 0, 2)
    client.get(url)  # warm up
    with count_queries() as few:
        assert client.get(url).status_code == 200
    others = [lead] + [client_as(Role.AUDITOR).user for _ in range(3)]
    for i, other in enumerate(others):
        _add_actions(plan, lead, other if path == "plan" else owner, priorities, 2 + 3 * i, 3)
    with count_queries() as many:
        response = client.get(url)
        assert response.status_code == 200
    assert len(many) == len(few), (len(few), len(many))
    if path == "plan":
        assert "Action 13" in page(response)


def test_the_actions_list_sorts_filters_by_rag_owner_and_plan_and_pages(client_as, lead):
    plan = make_plan(lead)
    other_plan = make_plan(lead, "Second plan")
    client = client_as(Role.SENIOR_MANAGER)
    make_action(
        plan, lead, "Green one", owner=client.user, status="on_track", due_date=date(2099, 2, 1)
    )
    make_action(plan, lead, "Amber one", owner=lead, status="at_risk", due_date=date(2099, 1, 1))
    make_action(
        other_plan, lead, "Elsewhere", owner=lead, status="at_risk", due_date=date(2099, 3, 1)
    )
    by_due = page(client.get("/improvement/actions?view=all&sort=due"))
    assert by_due.index("Amber one") < by_due.index("Green one") < by_due.index("Elsewhere")
    assert 'aria-sort="ascending"' in by_due
    amber = page(client.get("/improvement/actions?view=all&status=at_risk"))
    assert "Amber one" in amber and "Elsewhere" in amber and "Green one" not in amber
    assert "2 actions." in amber
    theirs = page(client.get(f"/improvement/actions?view=all&owner={lead.id}&plan={plan.id}"))
    assert "Amber one" in theirs and "Elsewhere" not in theirs and "1 action." in theirs
    hostile = client.get("/improvement/actions?view=all&sort=__class__&status=red&page=x")
    assert hostile.status_code == 200
    assert "3 actions." in page(hostile)
    for n in range(55):
        make_action(plan, lead, f"Bulk {n}", due_date=date(2099, 1, 1))
    many = page(client.get("/improvement/actions?view=all"))
    assert "58 actions, page 1 of 2." in many
    assert 'name="view" type="hidden" value="all"' in many or 'name="view" value="all"' in many
