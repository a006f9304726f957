"""Programme managers limited to the cohorts assigned to them: one row per manager and cohort (none: the whole
programme).

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "manager_cohorts",
        sa.Column("user_id", sa.String(length=200), nullable=False),
        sa.Column("cohort", sa.String(length=200), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_manager_cohorts_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "cohort", name=op.f("pk_manager_cohorts")),
    )


def downgrade() -> None:
    op.drop_table("manager_cohorts")
