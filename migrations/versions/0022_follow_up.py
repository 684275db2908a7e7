"""follow-up cycles: the cycle a follow-up re-audits, and how many months after it

A follow-up cycle audits again the children audited and completed in an earlier cycle, a set
number of months after that cycle's period ended, to show the difference made for the child.

Revision ID: 0022_follow_up
Revises: 0021_calibration
Create Date: 2026-12-08 01:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0022_follow_up'
down_revision = '0021_calibration'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_cycles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('follows_cycle_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('months_after', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            'fk_audit_cycles_follows_cycle_id_audit_cycles',
            'audit_cycles',
            ['follows_cycle_id'],
            ['id'],
        )


def downgrade():
    with op.batch_alter_table('audit_cycles', schema=None) as batch_op:
        batch_op.drop_constraint(
            'fk_audit_cycles_follows_cycle_id_audit_cycles', type_='foreignkey'
        )
        batch_op.drop_column('months_after')
        batch_op.drop_column('follows_cycle_id')
