"""published_charts: every history chart file published for a user, with the fingerprint of its ratings.

Normally one per user (the latest); keyed by file so that two uploads racing each other are both known,
and both can be deleted.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "published_charts",
        sa.Column("user_id", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("ref", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_published_charts_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "ref", name=op.f("pk_published_charts")),
    )


def downgrade() -> None:
    op.drop_table("published_charts")
