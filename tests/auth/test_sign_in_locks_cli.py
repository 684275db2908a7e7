"""The sign-in lock commands, for when no administrator can sign in to clear a lock on the
page: `flask qa sign-in-locks` lists them, `flask qa clear-sign-in-lock` clears one, logged."""

from datetime import timedelta

from qa_app.models import Role
from qa_app.rules.uk_time import uk_datetime
from tests.auth.clock import Clock
from tests.auth.guessing import addresses, attempt, events, fail


def test_listing_and_clearing_a_lock_from_the_command_line(app, client, make_user, monkeypatch):
    make_user(Role.ADMIN, username="admin")
    clock = Clock(monkeypatch)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["qa", "sign-in-locks"]).output == "No sign-in locks.\n"
    for ip in addresses(10):
        fail(client, "admin", ip=ip)

    listed = runner.invoke(args=["qa", "sign-in-locks"])
    ends = uk_datetime(clock.now + timedelta(minutes=15), seconds=True)
    assert listed.exit_code == 0
    assert listed.output == (
        f"admin, from browsers it has not signed in on: 10 failures, until {ends}\n"
    )

    cleared = runner.invoke(args=["qa", "clear-sign-in-lock", "--account", "Admin"])
    assert cleared.exit_code == 0, cleared.output
    assert cleared.output == (
        "Cleared: admin, from browsers it has not signed in on (10 failures counted)\n"
    )
    [event] = events("sign_in_lock_cleared")
    assert event.user_id is None and event.username == "admin"
    assert "cleared by command line (" in event.detail
    assert attempt(app.test_client(), "admin", ip="192.0.2.10").status_code == 302


def test_the_clear_command_needs_one_of_account_or_address(app):
    runner = app.test_cli_runner()
    for args in ([], ["--account", "a", "--address", "10.0.0.1"]):
        result = runner.invoke(args=["qa", "clear-sign-in-lock", *args])
        assert result.exit_code == 1 and "give one of --account or --address" in result.output
    assert events("sign_in_lock_cleared") == []
