"""three audiences: internal, partnership, public

Reports drafted "for publication" were read by the safeguarding board: they become
partnership reports. The organisation settings gain a small-number threshold for the
partnership tier (none by default: a board reads exact counts) and the least number of
completed audits a team or locality needs before it is broken down below the internal tier.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 09:20:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _replace_in_series(old: str, new: str):
    return sa.text("UPDATE reports SET series_key = REPLACE(series_key, :old, :new)").bindparams(
        old=old, new=new
    )


def upgrade():
    with op.batch_alter_table("org_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("partnership_threshold", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("min_group_size", sa.Integer(), nullable=False, server_default=sa.text("10"))
        )
    op.execute("UPDATE reports SET audience = 'partnership' WHERE audience = 'publication'")
    op.execute(_replace_in_series(":publication", ":partnership"))


def downgrade():
    op.execute(_replace_in_series(":partnership", ":publication"))
    op.execute(
        "UPDATE reports SET audience = 'publication' WHERE audience IN ('partnership', 'public')"
    )
    with op.batch_alter_table("org_settings", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("min_group_size")
        batch_op.drop_column("partnership_threshold")
