"""Council sign-in in chromium, end to end: the app under gunicorn pointed at a real OpenID
Connect provider (oidc-provider under node, tests/support/oidc.py), both on 127.0.0.1. The
person clicks the council's button, signs in on the provider's page, and lands on the home page
signed in, with the role and team their directory group gives; signing out ends the provider's
session too. The sign-in page passes axe."""

import pytest

from qa_app.data.organisation import get_settings, save_locality, save_team
from qa_app.extensions import db
from tests.auth.sso import MAPPING
from tests.browser.axe import assert_accessible
from tests.support import oidc
from tests.support.live_server import free_port, gunicorn_serving


@pytest.fixture(scope="module")
def council_server(app, tmp_path_factory):
    """(the app's base URL under gunicorn, the provider) with single sign-on switched on."""
    folder = tmp_path_factory.mktemp("sso_browser")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    provider = oidc.start(folder, [f"{base}/sign-in/council/callback"], [f"{base}/sign-in"])
    provider.set_accounts({"amy-sub": oidc.account("amy", ["g-auditors"], name="Amy Auditor")})
    mapping = folder / "mapping.yaml"
    mapping.write_text(MAPPING)
    env = {
        "QA_OIDC_ISSUER": provider.issuer,
        "QA_OIDC_CLIENT_ID": oidc.CLIENT_ID,
        "QA_OIDC_CLIENT_SECRET": oidc.CLIENT_SECRET,
        "QA_OIDC_MAPPING": str(mapping),
    }
    try:
        with gunicorn_serving(app, port=port, env=env) as served:
            yield served, provider
    finally:
        provider.stop()


def test_signing_in_with_the_council_account(browser, council_server):
    base, provider = council_server
    save_team("Assessment Team 1", save_locality("North", actor=None), True, actor=None)
    get_settings()
    db.session.commit()
    context = browser.new_context(base_url=base, viewport={"width": 1024, "height": 768})
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        page.goto("/sign-in")
        assert_accessible(page, "the sign-in page with the council's button")
        page.get_by_role("button", name="Sign in with your council account").click()
        page.wait_for_url("**/interaction/**")
        page.get_by_label("Account").fill("amy-sub")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{base}/")
        assert "Signed in as Amy Auditor" in page.inner_text("main")
        page.goto("/account")
        summary = page.inner_text(".govuk-summary-list")
        assert "Auditor" in summary and "Assessment Team 1" in summary
        # Signing out goes on to the provider's own sign-out (the page's form-action lets the
        # form's answer redirect there), and the provider sends the person back here.
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(f"{provider.issuer}/session/end**")
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(f"{base}/sign-in**")
        page.goto("/account")
        assert "/sign-in" in page.url
    finally:
        context.close()
