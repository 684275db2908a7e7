"""practice reviews: serious case and child safeguarding practice reviews, their
recommendations, and the improvement actions answering each

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 10:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "practice_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_practice_reviews_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_reviews")),
    )
    op.create_table(
        "review_recommendations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["practice_reviews.id"],
            name=op.f("fk_review_recommendations_review_id_practice_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_recommendations")),
    )
    with op.batch_alter_table("review_recommendations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_recommendations_review_id"), ["review_id"], unique=False
        )
    op.create_table(
        "review_actions",
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["improvement_actions.id"],
            name=op.f("fk_review_actions_action_id_improvement_actions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["review_recommendations.id"],
            name=op.f("fk_review_actions_recommendation_id_review_recommendations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("recommendation_id", "action_id", name=op.f("pk_review_actions")),
    )


def downgrade():
    op.drop_table("review_actions")
    with op.batch_alter_table("review_recommendations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_recommendations_review_id"))
    op.drop_table("review_recommendations")
    op.drop_table("practice_reviews")
