"""The change log is append-only and timestamps are UTC."""

from datetime import UTC, datetime

import pytest

from qa_app.data import changelog
from qa_app.extensions import db
from qa_app.models import ChangeLogEntry
from qa_app.models.changelog import AppendOnlyError


def test_change_log_entries_cannot_be_changed_or_deleted():
    changelog.record(None, "template", "x", "version_created", {"version": 1})
    db.session.commit()
    entry = db.session.scalars(db.select(ChangeLogEntry)).one()
    entry.action = "tampered"
    with pytest.raises(AppendOnlyError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(entry)
    with pytest.raises(AppendOnlyError):
        db.session.commit()
    db.session.rollback()


def test_timestamps_come_back_as_aware_utc():
    changelog.record(None, "team", 1, "created")
    db.session.commit()
    db.session.expire_all()
    entry = db.session.scalars(db.select(ChangeLogEntry)).one()
    assert entry.at.tzinfo is UTC
    assert abs((datetime.now(UTC) - entry.at).total_seconds()) < 60


def test_naive_datetimes_are_refused():
    from qa_app.models import Team

    team = Team(name="X")
    team.created_at = datetime(2026, 1, 1)  # noqa: DTZ001
    db.session.add(team)
    with pytest.raises(Exception, match="naive datetime"):
        db.session.flush()
    db.session.rollback()
