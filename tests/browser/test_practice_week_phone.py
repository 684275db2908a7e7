"""A senior manager records an observation of a practice week on a phone-sized screen
(375 x 812): the page never scrolls sideways, an empty submission shows the error summary,
and the recorded observation is stored. axe runs on each page."""

from datetime import date

from qa_app.data import practice_week_activities as week_activities
from qa_app.data import practice_weeks as weeks
from qa_app.extensions import db
from qa_app.models import Role
from qa_app.models.practice_weeks import Activity
from tests.browser.axe import assert_accessible
from tests.browser.keyboard import fill_form_by_tab, sign_in

WIDTH, HEIGHT = 375, 812
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth"


def _fits(page) -> None:
    width = page.evaluate(NO_SIDEWAYS_SCROLL)
    assert width <= WIDTH, f"{page.url} scrolls sideways: {width} px wide at {WIDTH} px"


def test_a_senior_manager_records_an_observation_at_phone_width(
    new_page, make_user, loaded_templates
):
    manager = make_user(Role.SENIOR_MANAGER, username="browser.manager")
    week = weeks.save_week(
        name="Practice week, October 2026",
        starts_on=date(2026, 10, 5),
        ends_on=date(2026, 10, 9),
        purpose="Senior managers look at practice at the front door.",
        managers=[manager],
        new_areas=["The front door: MASH and initial response"],
        actor=None,
    )
    activity = week_activities.save_activity(
        week,
        kind="observe_meeting",
        meeting_type="strategy_meeting",
        day=date(2026, 10, 5),
        time="09:30",
        manager=manager,
        team=None,
        focus_area_id=week.focus_areas[0].id,
        details="Riverside office",
        actor=None,
    )
    activity_id, week_id = activity.id, week.id
    url = f"/practice-weeks/activities/{activity_id}/record"
    page = new_page(WIDTH, HEIGHT)
    sign_in(page, "browser.manager")
    _fits(page)
    assert_accessible(page, "home page at phone width")
    page.goto(f"/practice-weeks/{week_id}")
    _fits(page)
    assert_accessible(page, "practice week at phone width")
    page.goto(url)
    _fits(page)
    assert_accessible(page, "record an observation at phone width")

    with page.expect_navigation():
        page.get_by_role("button", name="Save and finish").click()
    assert page.locator(".govuk-error-summary").is_visible()
    _fits(page)
    assert_accessible(page, "observation submitted empty (error summary)")

    page.goto(url)
    assert fill_form_by_tab(page, url, "Save and finish", words="A clear meeting.") > 0
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".govuk-error-summary").count() == 0, page.content()[:3000]
    _fits(page)
    assert_accessible(page, "after recording at phone width")

    db.session.rollback()
    stored = db.session.get(Activity, activity_id)
    assert stored.status == "done" and stored.recorded_by_id == manager.id
    assert stored.summary == "A clear meeting."
