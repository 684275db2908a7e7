"""An auditor completes an ICPC-reports audit with three agency blocks using only the keyboard
(Tab, Space, Enter and typing; no clicks), from the task list through to submit, with axe run
on every page on the way, including the error summary of an audit submitted empty."""

from sqlalchemy import select

from qa_app.extensions import db
from qa_app.models import Answer, Audit, Role
from tests.audits.factory import make_audit
from tests.browser.axe import assert_accessible
from tests.browser.keyboard import button, fill_form_by_tab, focused, sign_in, tab_to

AGENCIES = [("police", ""), ("school", "Sc"), ("gp", "G")]  # option, what to type to choose it


def test_an_auditor_completes_an_icpc_audit_with_three_agencies_by_keyboard_alone(
    new_page, make_user, loaded_templates
):
    auditor = make_user(Role.AUDITOR, username="keyboard.auditor")
    audit = make_audit("icpc_reports", auditor=auditor)
    sections = [s["key"] for s in audit.template_version.content["template"]["sections"]]
    audit_id = audit.id  # read now: after new_page() commits, touching ORM objects would
    page = new_page()  # begin a transaction (BEGIN IMMEDIATE on SQLite) the server waits on
    sign_in(page, "keyboard.auditor")
    assert_accessible(page, "home page")
    page.goto(f"/audits/{audit_id}")
    assert_accessible(page, "audit task list")

    # Submitting before anything is answered: the error summary lists what is missing.
    tab_to(page, button("Submit audit"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page, "audit submitted empty (error summary)")

    # Into the first section from the task list, by Tab and Enter.
    page.goto(f"/audits/{audit_id}")
    tab_to(page, lambda info: info["tag"] == "a" and info["text"] == "The conference")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    for key in sections:
        action = f"/audits/{audit_id}/sections/{key}"
        assert page.url.endswith(action), page.url
        assert_accessible(page, f"audit section {key}")
        if key == "agency_reports":
            for option, typed in AGENCIES:
                tab_to(page, lambda info: info["id"] == "new_block__agency_report")
                if typed:
                    page.keyboard.type(typed)
                assert focused(page)["value"] == option
                tab_to(page, button("Add agency"))
                with page.expect_navigation():
                    page.keyboard.press("Enter")
            page.goto(action)  # back to the top of the section, as after the redirect
            assert_accessible(page, "audit section with three agency blocks")
        visited = fill_form_by_tab(page, action, "Save and continue")
        assert visited >= (3 * 11 if key == "agency_reports" else 1), (key, visited)
        with page.expect_navigation():
            page.keyboard.press("Enter")

    assert page.url.endswith(f"/audits/{audit_id}/themes"), page.url
    assert_accessible(page, "audit themes")
    tab_to(page, button("Save and continue"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/audits/{audit_id}/overall"), page.url
    assert_accessible(page, "audit overall judgement")
    fill_form_by_tab(page, f"/audits/{audit_id}/overall", "Save")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/audits/{audit_id}"), page.url

    tab_to(page, button("Submit audit"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".govuk-error-summary").count() == 0, page.content()[:3000]
    assert_accessible(page, "audit record after submitting")

    db.session.rollback()
    db.session.expire_all()
    stored = db.session.get(Audit, audit_id)
    assert stored.status == "submitted"
    blocks = db.session.execute(
        select(Answer.block_index, Answer.block_label)
        .where(Answer.audit_id == audit_id, Answer.group_key == "agency_report")
        .distinct()
    ).all()
    assert len(blocks) == 3, blocks
