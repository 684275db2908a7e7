"""security events name the browser's device cookie

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('security_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('device_id', sa.String(length=32), nullable=True))
        batch_op.create_index(
            'ix_security_events_event_device_id_at', ['event', 'device_id', 'at'], unique=False
        )


def downgrade():
    with op.batch_alter_table('security_events', schema=None) as batch_op:
        batch_op.drop_index('ix_security_events_event_device_id_at')
        batch_op.drop_column('device_id')
