"""The migrations produce exactly the models' schema, on whichever database the suite runs."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from qa_app.extensions import db
from qa_app.models import Base


def test_migrations_match_the_models():

    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_constraint_names_follow_the_naming_convention():
    with db.engine.connect() as conn:
        from sqlalchemy import inspect

        inspector = inspect(conn)
        names = [fk["name"] for fk in inspector.get_foreign_keys("audits")]
    assert "fk_audits_case_id_cases" in names
