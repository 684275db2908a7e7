"""indicators: a definition, the report area, whether months add up, whether it measures
demand; values broken down by locality, team, service, role or a council's own dimension

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 18:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('definition', sa.Text(), nullable=False, server_default=sa.text("''"))
        )
        batch_op.add_column(
            sa.Column('area', sa.String(length=40), nullable=False, server_default=sa.text("''"))
        )
        batch_op.add_column(
            sa.Column('adds_up', sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column('demand', sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table('indicator_breakdown_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('dimension', sa.String(length=40), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Double(), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], name=op.f('fk_indicator_breakdown_values_imported_by_id_users')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_indicator_breakdown_values_indicator_id_indicators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_breakdown_values')),
    sa.UniqueConstraint('indicator_id', 'month', 'dimension', 'category', name='uq_indicator_breakdown_values_cell')
    )


def downgrade():
    op.drop_table('indicator_breakdown_values')
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_column('demand')
        batch_op.drop_column('adds_up')
        batch_op.drop_column('area')
        batch_op.drop_column('definition')
