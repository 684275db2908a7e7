"""A moderator changes a grade in moderation, with a reason, in the browser; axe runs on the
queue, the moderation page, the page refusing a change without a reason, and the record."""

from sqlalchemy import select

from qa_app.extensions import db
from qa_app.models import Audit, ModerationGrade, Role
from tests.audits.filling import submitted_for_moderation
from tests.browser.axe import assert_accessible
from tests.browser.keyboard import sign_in

REASON = "No analysis of the father's history."


def test_a_moderator_changes_a_grade_with_a_reason_and_it_is_stored(
    new_page, client_as, make_user, loaded_templates
):
    audit = submitted_for_moderation(client_as(Role.AUDITOR))
    audit_id = audit.id
    first = next(
        s["key"] for s in audit.template_version.content["template"]["sections"] if s["graded"]
    )
    make_user(Role.MODERATOR, username="browser.moderator")
    page = new_page()
    sign_in(page, "browser.moderator")
    page.goto("/moderation/")
    assert_accessible(page, "moderation queue")
    with page.expect_navigation():
        page.get_by_role("button", name="Start moderating").click()
    assert page.url.endswith(f"/moderation/{audit_id}"), page.url
    assert_accessible(page, "moderation page")

    page.check(f"input[name='grade__{first}'][value='requires_improvement']")
    with page.expect_navigation():
        page.get_by_role("button", name="Complete moderation").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert "Give a reason for changing the auditor" in page.content()
    assert_accessible(page, "moderation refused without a reason (error summary)")

    page.check(f"input[name='grade__{first}'][value='requires_improvement']")
    page.fill(f"textarea[name='reason__{first}']", REASON)
    with page.expect_navigation():
        page.get_by_role("button", name="Complete moderation").click()
    assert page.locator(".govuk-error-summary").count() == 0, page.content()[:3000]
    assert_accessible(page, "after moderation")

    db.session.rollback()
    assert db.session.get(Audit, audit_id).status == "moderated"
    row = db.session.scalars(
        select(ModerationGrade).where(ModerationGrade.section_key == first)
    ).one()
    assert (row.auditor_grade, row.moderator_grade, row.reason) == (
        "good",
        "requires_improvement",
        REASON,
    )
