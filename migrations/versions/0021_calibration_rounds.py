"""calibration rounds: auditors grade the same records blind (rounds, their cases and
participants, each participant's answers, and the answers agreed at the meeting); never audits

Revision ID: 0021_calibration
Revises: 0019_sso
Create Date: 2026-12-08 00:46:10.659794

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0021_calibration"
down_revision = "0019_sso"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "calibration_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("template_version_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=True),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("meeting_notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["opened_by_id"], ["users.id"], name=op.f("fk_calibration_rounds_opened_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["template_version_id"],
            ["template_versions.id"],
            name=op.f("fk_calibration_rounds_template_version_id_template_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_rounds")),
    )
    with op.batch_alter_table("calibration_rounds", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calibration_rounds_opened_at"), ["opened_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_calibration_rounds_status"), ["status"], unique=False)

    op.create_table(
        "calibration_agreed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=80), nullable=False),
        sa.Column("value", sa.String(length=80), nullable=False),
        sa.Column("agreed_by_id", sa.Integer(), nullable=True),
        sa.Column("agreed_at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreed_by_id"], ["users.id"], name=op.f("fk_calibration_agreed_agreed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_calibration_agreed_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["calibration_rounds.id"],
            name=op.f("fk_calibration_agreed_round_id_calibration_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_agreed")),
        sa.UniqueConstraint(
            "round_id",
            "case_id",
            "item_key",
            name=op.f("uq_calibration_agreed_round_id_case_id_item_key"),
        ),
    )
    with op.batch_alter_table("calibration_agreed", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calibration_agreed_round_id"), ["round_id"], unique=False
        )

    op.create_table(
        "calibration_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_calibration_cases_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["calibration_rounds.id"],
            name=op.f("fk_calibration_cases_round_id_calibration_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_cases")),
        sa.UniqueConstraint(
            "round_id", "case_id", name=op.f("uq_calibration_cases_round_id_case_id")
        ),
    )
    with op.batch_alter_table("calibration_cases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calibration_cases_round_id"), ["round_id"], unique=False
        )

    op.create_table(
        "calibration_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["calibration_rounds.id"],
            name=op.f("fk_calibration_participants_round_id_calibration_rounds"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_calibration_participants_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_participants")),
        sa.UniqueConstraint(
            "round_id", "user_id", name=op.f("uq_calibration_participants_round_id_user_id")
        ),
    )
    with op.batch_alter_table("calibration_participants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calibration_participants_round_id"), ["round_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_calibration_participants_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "calibration_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=80), nullable=False),
        sa.Column("value", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_calibration_ratings_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["calibration_participants.id"],
            name=op.f("fk_calibration_ratings_participant_id_calibration_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_ratings")),
        sa.UniqueConstraint(
            "participant_id",
            "case_id",
            "item_key",
            name=op.f("uq_calibration_ratings_participant_id_case_id_item_key"),
        ),
    )
    with op.batch_alter_table("calibration_ratings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calibration_ratings_participant_id"), ["participant_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("calibration_ratings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calibration_ratings_participant_id"))

    op.drop_table("calibration_ratings")
    with op.batch_alter_table("calibration_participants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calibration_participants_user_id"))
        batch_op.drop_index(batch_op.f("ix_calibration_participants_round_id"))

    op.drop_table("calibration_participants")
    with op.batch_alter_table("calibration_cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calibration_cases_round_id"))

    op.drop_table("calibration_cases")
    with op.batch_alter_table("calibration_agreed", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calibration_agreed_round_id"))

    op.drop_table("calibration_agreed")
    with op.batch_alter_table("calibration_rounds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calibration_rounds_status"))
        batch_op.drop_index(batch_op.f("ix_calibration_rounds_opened_at"))

    op.drop_table("calibration_rounds")
