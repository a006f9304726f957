"""The due-subscriptions index covers user_id, for keyset paging on (next_due_at, user_id).

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.drop_index("ix_subscriptions_due")
        batch_op.create_index("ix_subscriptions_due", ["active", "next_due_at", "user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.drop_index("ix_subscriptions_due")
        batch_op.create_index("ix_subscriptions_due", ["active", "next_due_at"], unique=False)
