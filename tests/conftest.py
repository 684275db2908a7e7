"""Shared fixtures: one migrated database per run (SQLite by default, PostgreSQL when
QA_TEST_DATABASE_URL says so), emptied after every test; clients signed in through the real
sign-in form; and a page-hygiene check on every HTML page a test client fetches."""

import os
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from sqlalchemy import text

os.environ.setdefault("QA_SECRET_KEY", "test-secret-key-not-for-production")

from qa_app import create_app  # noqa: E402
from qa_app.extensions import db  # noqa: E402
from qa_app.models import Base, Role  # noqa: E402
from tests.helpers import PASSWORD, check_page, csrf_token, sign_in  # noqa: E402, F401

REPO = Path(__file__).resolve().parent.parent

# Property tests assert behaviour, never speed (speed is measured in benchmarks): on a loaded
# machine no example may fail for taking long, and generating inputs slowly is not a fault.
settings.register_profile(
    "practice-qa", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("practice-qa")


class HygieneClient(FlaskClient):
    """A test client that checks every HTML page it receives, as a careful reviewer would:
    a title, forms that say where they post, scripts carrying the CSP nonce."""

    def open(self, *args, **kwargs):
        # A fresh app context per request, as in production: otherwise the test's own context
        # is reused and `g` (with Flask-Login's cached user) leaks from one request to the next.
        # The test's own transaction is committed first, so it holds no lock during the request.
        db.session.commit()
        with self.application.app_context():
            response = super().open(*args, **kwargs)
            response.get_data()  # buffer file responses, then release the file handle
            response.close()
        if response.mimetype == "text/html":
            check_page(response)
        return response


def _reset_database(url: str) -> None:
    from sqlalchemy import create_engine

    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("QA_TEST_DATABASE_URL")
    if not url:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    _reset_database(database_url)
    application = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
        }
    )
    application.test_client_class = HygieneClient
    from flask_migrate import upgrade

    with application.app_context():
        upgrade()
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _app_context(app):
    """Each test runs in an app context and leaves the database empty behind it."""
    with app.app_context():
        yield
        db.session.rollback()
        with db.engine.begin() as conn:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())
        db.session.remove()


@pytest.fixture
def client(app) -> HygieneClient:
    return app.test_client()


@pytest.fixture
def make_user():
    from qa_app.data import users

    counter = iter(range(1, 10_000))

    def _make(*roles: Role, username: str | None = None, password: str = PASSWORD, teams=()):
        name = username or f"{'-'.join(r.value for r in roles) or 'user'}{next(counter)}"
        return users.create_user(
            name, f"Test {name}", password, roles or [Role.AUDITOR], teams=list(teams)
        )

    return _make


@pytest.fixture
def client_as(app, make_user):
    """client_as(Role.QA_LEAD) -> a client signed in, through the real form, as a new user."""

    def _client(*roles: Role):
        user = make_user(*roles)
        c = app.test_client()
        response = sign_in(c, user.username)
        assert response.status_code == 302, response.get_data(as_text=True)
        c.user = user
        return c

    return _client


@pytest.fixture
def loaded_templates(app):
    """The shipped audit templates, validated and stored."""
    from qa_app.data.templates import store_library
    from qa_app.templates_engine.validate import validate_path

    library, problems = validate_path(REPO / "audit_templates")
    assert not problems, problems
    return store_library(library)
