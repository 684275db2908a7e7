"""Fixtures for the browser journeys: Debian's chromium driven by Playwright (sync API, no
plugin), headless, against the app served by gunicorn (2 workers) on 127.0.0.1 over the test
database. One server and one browser per session, a fresh browser context (cookies, viewport)
per test; each test stores its own data and commits it before the browser acts.

Outside a request the app begins every SQLite transaction with BEGIN IMMEDIATE, so a test must
not touch the database (not even a lazy load of an expired ORM attribute) while the browser is
waiting on the server: read the ids it needs before new_page(), and roll back after reading."""

import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")
if CHROMIUM is None:
    pytest.skip(
        "Debian's chromium is not installed (make test installs it with apt-get as root)",
        allow_module_level=True,
    )

from playwright.sync_api import sync_playwright  # noqa: E402

from qa_app.data.organisation import get_settings  # noqa: E402
from qa_app.extensions import db  # noqa: E402
from tests.support.live_server import gunicorn_serving  # noqa: E402


@pytest.fixture(scope="session")
def live_server(app):
    """gunicorn (2 workers) serving the app on the test database; yields its base URL."""
    with gunicorn_serving(app) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server):
    """new_page(width=1024, height=768) -> a page in a fresh context (own cookies) on the live
    server; everything the test stored is committed first, so the server sees it."""
    contexts = []

    def _new(width: int = 1024, height: int = 768):
        get_settings()  # the organisation's settings row, made here rather than by two workers
        db.session.commit()
        context = browser.new_context(
            base_url=live_server, viewport={"width": width, "height": height}, accept_downloads=True
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield _new
    for context in contexts:
        context.close()
