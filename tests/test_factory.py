"""The application factory and configuration."""

import os

from qa_app import create_app
from qa_app.config import database_url, secret_key
from qa_app.extensions import db


def test_factory_applies_overrides(app):
    assert app.config["TESTING"] is True
    assert app.config["MAX_CONTENT_LENGTH"] == 10 * 1024 * 1024
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_secret_key_is_generated_into_instance_folder_once(tmp_path, monkeypatch):
    monkeypatch.delenv("QA_SECRET_KEY", raising=False)
    first = secret_key(tmp_path)
    assert len(first) == 64
    assert (tmp_path / "secret_key").read_text() == first
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"
    assert secret_key(tmp_path) == first


def test_secret_key_from_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("QA_SECRET_KEY", "from-the-environment")
    assert secret_key(tmp_path) == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_database_url_defaults_to_sqlite_in_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("QA_DATABASE_URL", raising=False)
    assert database_url(tmp_path) == f"sqlite:///{tmp_path / 'practice_qa.sqlite'}"


def test_postgres_url_uses_psycopg3(tmp_path, monkeypatch):
    monkeypatch.setenv("QA_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    assert database_url(tmp_path) == "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def test_create_app_without_overrides_uses_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("QA_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite'}")
    monkeypatch.setenv("QA_SESSION_IDLE_MINUTES", "7")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("x.sqlite")
    assert app.config["QA_SESSION_IDLE_MINUTES"] == 7
    assert os.environ["QA_SECRET_KEY"] == app.config["SECRET_KEY"]
    with app.app_context():
        db.engine.dispose()


def test_no_stack_trace_is_shown_to_a_user(database_url):
    fresh = create_app({"SQLALCHEMY_DATABASE_URI": database_url})

    @fresh.route("/__boom")
    def boom():
        raise RuntimeError("secret internals")

    response = fresh.test_client().get("/__boom")
    with fresh.app_context():
        db.engine.dispose()
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "secret internals" not in body and "Traceback" not in body
    assert "Sorry, there is a problem with the service" in body
