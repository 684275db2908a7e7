"""letters and digits as the default case-reference pattern, for a new install

The default pattern was 6 to 10 digits (set by 0006), which refuses the references many
councils use (CS-004521, LCS/2024/0012). A new install (the settings row still exactly as
0006 made it, and no case stored yet) gets the new default; a council that has stored cases
or chosen its own pattern keeps what it has: its settings are never changed silently.

Revision ID: 0018_setup
Revises: 0017_lists
Create Date: 2026-12-07 21:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0018_setup'
down_revision = '0017_lists'
branch_labels = None
depends_on = None

OLD = {
    "pattern": "[0-9]{6,10}",
    "hint": "The case number from the case management system, 6 to 10 digits",
}
NEW = {
    "pattern": "(?![/-])[A-Za-z]{0,4}(?=[0-9/-]*[0-9]{4})[0-9/-]{6,26}",
    "hint": "The case number from the case management system: up to 4 letters, then 6 to 26 "
    "digits, / or -, with at least 4 digits together",
}


def _swap(old: dict, new: dict) -> None:
    op.get_bind().execute(
        sa.text(
            "UPDATE org_settings SET case_reference_pattern = :new_pattern, "
            "case_reference_hint = :new_hint WHERE id = 1 "
            "AND case_reference_pattern = :old_pattern AND case_reference_hint = :old_hint "
            "AND NOT EXISTS (SELECT 1 FROM cases)"
        ),
        {
            "new_pattern": new["pattern"],
            "new_hint": new["hint"],
            "old_pattern": old["pattern"],
            "old_hint": old["hint"],
        },
    )


def upgrade():
    _swap(OLD, NEW)


def downgrade():
    _swap(NEW, OLD)
