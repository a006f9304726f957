"""Trends that stay anonymous over time: the rater's cohort on each rating, and frozen published periods
(plus an index on ratings.created_at: a period's figures are read one closed period at a time).

ratings.cohort is filled from each person's current cohort (the best record there is of it so far).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ratings") as batch:
        batch.add_column(sa.Column("cohort", sa.String(length=200), nullable=True))
        batch.create_index("ix_ratings_created_at", ["created_at"], unique=False)
    op.execute("UPDATE ratings SET cohort = (SELECT users.cohort FROM users WHERE users.id = ratings.user_id)")
    op.create_table(
        "trend_periods",
        sa.Column("label", sa.String(length=16), nullable=False),
        sa.Column("granularity", sa.String(length=8), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("min_group", sa.SmallInteger(), nullable=False),
        sa.Column("epsilon", sa.Float(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("label", name=op.f("pk_trend_periods")),
    )
    op.create_table(
        "trend_cells",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("scope", sa.String(length=8), nullable=False),
        sa.Column("cohort", sa.String(length=200), nullable=False),
        sa.Column("attribute_id", sa.String(length=64), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("mean", sa.Float(), nullable=True),
        sa.Column("margin", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["period"], ["trend_periods.label"], name=op.f("fk_trend_cells_period_trend_periods"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trend_cells")),
        sa.UniqueConstraint("period", "scope", "cohort", "attribute_id",
                            name=op.f("uq_trend_cells_period_scope_cohort_attribute_id")),
    )


def downgrade() -> None:
    op.drop_table("trend_cells")
    op.drop_table("trend_periods")
    with op.batch_alter_table("ratings") as batch:
        batch.drop_index("ix_ratings_created_at")
        batch.drop_column("cohort")
