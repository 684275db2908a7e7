"""single sign-on: an account knows its identity provider and the person's subject there

Revision ID: 0019_sso
Revises: 0018_setup
Create Date: 2026-12-08 00:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0019_sso'
down_revision = '0018_setup'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sso_issuer', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('sso_subject', sa.String(length=255), nullable=True))
        batch_op.create_unique_constraint(
            'uq_users_sso_issuer_sso_subject', ['sso_issuer', 'sso_subject']
        )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint('uq_users_sso_issuer_sso_subject', type_='unique')
        batch_op.drop_column('sso_subject')
        batch_op.drop_column('sso_issuer')
