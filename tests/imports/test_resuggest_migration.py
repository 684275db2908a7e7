"""Migration 0013: the still-suggested theme marks of audits stored by the historic import are
re-derived with the rule that marks a theme only from its own questions; marks a person gave
are kept; every audit changed is in the change log."""

import importlib.util
from pathlib import Path

import pytest
from sqlalchemy import select

from qa_app.data import audits as audit_data
from qa_app.extensions import db
from qa_app.models import Audit, ChangeLogEntry, ThemeMark
from tests.imports.support import cli_runner, team_and_auditor, write_csv

MIGRATION = (
    Path(__file__).resolve().parents[2]
    / "migrations"
    / "versions"
    / "0013_not_assessed_theme_marks.py"
)


def migration():
    spec = importlib.util.spec_from_file_location("migration_0013", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def imported(app, loaded_templates, make_user, tmp_path):
    team_and_auditor(make_user)
    rows = [
        {
            "case_reference": f"4200{i:04d}",
            "audit_date": "2013-11-04",
            "overall_grade": "Good",
            "agency_checks_complete": "No" if i < 1 else "Yes",
        }
        for i in range(3)
    ]
    path = write_csv(tmp_path / "few.csv", rows)
    result = cli_runner(app)(
        "import-audits", str(path), "--template", "single_assessment", "--allow-incomplete"
    )
    assert result.exit_code == 0, result.output
    return db.session.scalars(select(Audit).order_by(Audit.id)).all()


def _mark(audit, theme) -> ThemeMark:
    return db.session.scalars(
        select(ThemeMark).where(ThemeMark.audit_id == audit.id, ThemeMark.theme_key == theme)
    ).one()


def test_old_suggested_marks_are_re_derived_and_a_persons_are_kept(imported):
    first, second, third = imported
    # as the import stored them before: fathers from the agency checks answer
    for audit, mark in ((first, "development"), (second, "strength")):
        row = _mark(audit, "fathers_wider_family")
        row.mark, row.suggested = mark, True
    chosen = _mark(third, "fathers_wider_family")  # a person's own mark
    chosen.mark, chosen.suggested = "strength", False
    db.session.commit()

    changed = migration().resuggest(db.session.connection())
    db.session.commit()
    assert changed == 2
    assert _mark(first, "fathers_wider_family").mark == "not_assessed"
    assert _mark(second, "fathers_wider_family").mark == "not_assessed"
    assert _mark(third, "fathers_wider_family").mark == "strength"  # kept
    assert _mark(first, "multi_agency_working").mark == "development"  # unchanged
    entries = db.session.scalars(
        select(ChangeLogEntry).where(ChangeLogEntry.action == "theme_marks_resuggested")
    ).all()
    assert sorted(e.entity_id for e in entries) == sorted([str(first.id), str(second.id)])
    by_audit = {e.entity_id: e for e in entries}
    assert by_audit[str(first.id)].changes["fields"] == {
        "fathers_wider_family": ["development", "not_assessed"]
    }
    assert by_audit[str(first.id)].at is not None
    # run again: nothing left to change
    assert migration().resuggest(db.session.connection()) == 0


def test_the_frozen_rule_agrees_with_the_app(imported):
    module = migration()
    for audit in imported:
        content = audit.template_version.content
        answers = {}
        for (_g, _i, key), answer in audit_data.stored_answers(audit).items():
            if key != "__block__":
                answers.setdefault(key, []).append(answer.value_text)
        assert module.suggest(content, answers) == audit_data.suggested_marks(audit)
