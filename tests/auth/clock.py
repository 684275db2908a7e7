"""The sign-in throttle's clock, held still and moved by tests: failures, refusals, locks and
clears are stamped with it and counted against it (qa_app/data/sign_in_throttle.current_time).

Freeze it after making the accounts a test uses: counting starts at an account's latest
password change, stamped with the real clock."""

from datetime import timedelta

from qa_app.data import sign_in_throttle
from qa_app.models import utcnow


class Clock:
    def __init__(self, monkeypatch):
        self.now = utcnow()
        monkeypatch.setattr(sign_in_throttle, "utcnow", lambda: self.now)

    def advance(self, seconds: float = 0, *, minutes: float = 0) -> None:
        self.now += timedelta(seconds=seconds, minutes=minutes)

    def catch_up(self) -> None:
        """Jump to the real time (after something stamped with it, like a password change)."""
        self.now = max(self.now, utcnow())
