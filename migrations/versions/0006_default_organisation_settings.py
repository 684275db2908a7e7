"""default organisation settings row

The settings row used to be created on first read, inside whatever request read it first:
on a new install, concurrent first requests (GETs, whose SQLite transactions begin deferred)
then raced to insert it and some failed with "database is locked". The row now exists from
the migration on; the app still creates it if it has been deleted.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 15:10:00

"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# The defaults of qa_app.models.organisation.OrgSettings at this revision.
DEFAULTS = {
    "id": 1,
    "council_name": "Example Council",
    "service_name": "Practice QA",
    "case_reference_pattern": "[0-9]{6,10}",
    "case_reference_hint": "The case number from the case management system, 6 to 10 digits",
    "small_number_threshold": 5,
}


def upgrade():
    conn = op.get_bind()
    if conn.execute(sa.text("SELECT 1 FROM org_settings WHERE id = 1")).first() is None:
        now = datetime.now(UTC).replace(tzinfo=None)  # stored as naive UTC
        table = sa.table(
            "org_settings",
            *[sa.column(name) for name in DEFAULTS],
            sa.column("created_at"),
            sa.column("updated_at"),
        )
        op.bulk_insert(table, [DEFAULTS | {"created_at": now, "updated_at": now}])


def downgrade():
    pass  # the row is data, and harmless at the earlier revision
