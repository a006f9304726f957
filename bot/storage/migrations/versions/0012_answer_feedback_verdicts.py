"""One verdict per person per answer, with the passages the answer used.

answer_feedback had a row per click (and another for a comment). From now on a person's verdict on an answer is
one row they can change; its `passages` (the chunk ids the answer cited, JSON) let the evals see which passages
stood behind answers people found unhelpful. Existing rows are folded into the latest verdict, keeping the
latest comment.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "UPDATE answer_feedback SET comment = (SELECT f.comment FROM answer_feedback f "
        "WHERE f.user_id = answer_feedback.user_id AND f.answer_id = answer_feedback.answer_id "
        "AND f.comment IS NOT NULL ORDER BY f.id DESC LIMIT 1) "
        "WHERE answer_feedback.id IN (SELECT MAX(id) FROM answer_feedback GROUP BY user_id, answer_id)")
    op.execute("DELETE FROM answer_feedback WHERE id NOT IN "
               "(SELECT keep FROM (SELECT MAX(id) AS keep FROM answer_feedback GROUP BY user_id, answer_id) AS latest)")
    with op.batch_alter_table("answer_feedback") as batch:
        batch.add_column(sa.Column("passages", sa.Text(), nullable=True))
        batch.create_unique_constraint(op.f("uq_answer_feedback_user_id_answer_id"), ["user_id", "answer_id"])


def downgrade() -> None:
    with op.batch_alter_table("answer_feedback") as batch:
        batch.drop_constraint(op.f("uq_answer_feedback_user_id_answer_id"), type_="unique")
        batch.drop_column("passages")
