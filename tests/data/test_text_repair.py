"""`flask qa clean-text` finds, and with --fix removes, characters no text may hold that are
already stored (written before the rule covered them), in text and JSON columns alike, and
records each repair in the change log without the text itself."""

from datetime import date

import pytest
from sqlalchemy import select, update

from qa_app.data import indicators as indicator_data
from qa_app.extensions import db
from qa_app.models import ChangeLogEntry, IndicatorCommentary, Role
from qa_app.models.reports import Report
from tests.audits.factory import make_audit

DAMAGED = "a\ufffeb\uffff"


@pytest.fixture
def clean_text(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=["qa", "clean-text", *args])


def _plant(make_user, loaded_templates):
    """Damaged text in a text column and in a JSON column, written round the application."""
    indicator = indicator_data.create_indicator(
        {"code": "CON01", "name": "Contacts received", "unit": "count", "better": "neither"},
        None,
    )
    commentary = IndicatorCommentary(
        indicator_id=indicator.id, month=date(2026, 4, 1), text=f"Fell {DAMAGED}"
    )
    db.session.add(commentary)
    audit = make_audit("single_assessment", auditor=make_user(Role.AUDITOR))
    db.session.flush()
    return commentary, audit


def test_damaged_text_is_listed_then_removed_and_logged(clean_text, make_user, loaded_templates):
    commentary, _ = _plant(make_user, loaded_templates)
    db.session.commit()

    result = clean_text()
    assert result.exit_code == 1, result.output
    assert f"indicator_commentaries {commentary.id} text: 2 characters removed" in result.output
    assert "non-character U+FFFE (1), the non-character U+FFFF (1)" in result.output
    assert "Run again with --fix" in result.output
    db.session.expire_all()
    assert db.session.get(IndicatorCommentary, commentary.id).text == f"Fell {DAMAGED}"

    result = clean_text("--fix")
    assert result.exit_code == 0, result.output
    assert "Cleaned 1 rows" in result.output
    db.session.expire_all()
    assert db.session.get(IndicatorCommentary, commentary.id).text == "Fell ab"
    entry = db.session.scalar(select(ChangeLogEntry).where(ChangeLogEntry.action == "text_cleaned"))
    assert (entry.entity_type, entry.entity_id) == ("indicator_commentaries", str(commentary.id))
    assert "2 characters removed" in entry.changes["text"]
    assert DAMAGED not in str(entry.changes)  # the text itself is never logged

    result = clean_text()
    assert result.exit_code == 0 and "No stored text" in result.output


def test_json_columns_are_walked_to_every_string_and_key(clean_text, make_user, app):
    report = Report(
        series_key="cycle:1:internal",
        title="Q3",
        scope={},
        figures={"note\x07": ["x\uffff", 3]},
        sections=[{"heading": "Key", "text": DAMAGED}],
        key_findings={"strengths": ["ok"]},
    )
    db.session.add(report)
    db.session.commit()
    result = clean_text("--fix")
    assert result.exit_code == 0, result.output
    assert f"reports {report.id} figures: 2 characters removed" in result.output
    assert f"reports {report.id} sections: 2 characters removed" in result.output
    db.session.expire_all()
    stored = db.session.get(Report, report.id)
    assert stored.figures == {"note": ["x", 3]}
    assert stored.sections == [{"heading": "Key", "text": "ab"}]
    assert stored.key_findings == {"strengths": ["ok"]}


def test_the_change_log_itself_is_cleaned(clean_text):
    db.session.add(ChangeLogEntry(entity_type="audit", entity_id="1", action="x", changes={}))
    db.session.commit()
    db.session.execute(update(ChangeLogEntry).values(changes={"answer": ["old\ufffe", "new"]}))
    db.session.commit()
    assert clean_text("--fix").exit_code == 0
    db.session.expire_all()
    first = db.session.scalar(select(ChangeLogEntry).order_by(ChangeLogEntry.id))
    assert first.changes == {"answer": ["old", "new"]}
