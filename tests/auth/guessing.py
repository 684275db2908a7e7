"""Helpers for the sign-in throttle's tests: attempts from an address, a browser the account
has signed in on before (it carries the device cookie), and the security log's events."""

from sqlalchemy import select

from qa_app.extensions import db
from qa_app.models import SecurityEvent
from tests.helpers import PASSWORD, csrf_token

WRONG = "not-the-password"


def attempt(client, username: str, password: str = PASSWORD, ip: str = "127.0.0.1"):
    token = csrf_token(client, "/sign-in")
    return client.post(
        "/sign-in",
        data={"csrf_token": token, "username": username, "password": password},
        environ_base={"REMOTE_ADDR": ip},
    )


def fail(client, username: str, times: int = 1, ip: str = "127.0.0.1") -> None:
    """`times` wrong passwords, each of which must be checked and refused as wrong."""
    for _ in range(times):
        response = attempt(client, username, WRONG, ip)
        assert response.status_code == 200, response.status_code
        assert "The username or password is not right" in response.get_data(as_text=True)


def known_browser(app, username: str, ip: str = "127.0.0.1"):
    """A browser `username` has signed in on (and out of): it keeps the device cookie."""
    browser = app.test_client()
    assert attempt(browser, username, ip=ip).status_code == 302
    signed_out = browser.post(
        "/sign-out",
        data={"csrf_token": csrf_token(browser, "/account")},
        environ_base={"REMOTE_ADDR": ip},
    )
    assert signed_out.status_code == 302
    return browser


def events(name: str) -> list[SecurityEvent]:
    return list(
        db.session.scalars(
            select(SecurityEvent).where(SecurityEvent.event == name).order_by(SecurityEvent.id)
        )
    )


def addresses(count: int, prefix: str = "198.51.100") -> list[str]:
    """`count` different addresses (documentation range), none of them the test client's."""
    return [f"{prefix}.{n}" for n in range(1, count + 1)]
