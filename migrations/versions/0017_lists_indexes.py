"""lists and search: the index that lets a search by practitioner read the workers' names
without reading every case (a covering index scan instead of the cases table)

Revision ID: 0017_lists
Revises: 0016
Create Date: 2026-12-07 21:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0017_lists'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cases_worker'), ['worker'], unique=False)


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_worker'))
