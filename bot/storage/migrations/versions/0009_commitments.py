"""Commitments made at the end of an exercise and followed up in the weekly prompt; pausing prompts until a date.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "commitments",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.String(length=200), nullable=False),
        sa.Column("session_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("exercise_id", sa.String(length=100), nullable=True),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("with_whom", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("followed_up_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('open', 'not_yet', 'done', 'dropped')",
                           name=op.f("ck_commitments_status_known")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_commitments_user_id_users"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["session_id"], ["exercise_sessions.id"],
                                name=op.f("fk_commitments_session_id_exercise_sessions"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitments")),
        sa.UniqueConstraint("user_id", "session_id", name=op.f("uq_commitments_user_id_session_id")),
    )
    op.create_index("ix_commitments_user_status", "commitments", ["user_id", "status"], unique=False)
    with op.batch_alter_table("subscriptions") as batch:
        batch.add_column(sa.Column("paused_until", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("subscriptions") as batch:
        batch.drop_column("paused_until")
    op.drop_index("ix_commitments_user_status", table_name="commitments")
    op.drop_table("commitments")
