"""uploaded_files: every file the app uploaded about a person (exports, charts), so erasure can delete each one;
processed_events keys become hashes, so the retry dedup holds no Slack user id.

Every chart already in published_charts is copied in, so the files published before this migration are found.

Revision ID: 0005
Revises: 0004
"""

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "uploaded_files",
        sa.Column("ref", sa.String(length=200), nullable=False),
        sa.Column("user_id", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_uploaded_files_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("ref", name=op.f("pk_uploaded_files")),
    )
    op.create_index("ix_uploaded_files_user_id", "uploaded_files", ["user_id"])
    op.execute("INSERT INTO uploaded_files (ref, user_id, kind, filename, created_at) "
               "SELECT ref, user_id, 'home-chart', 'coach-progress.png', created_at FROM published_charts")
    # Existing keys are hashed as bot.storage.repositories.people.event_key does (they live 7 days at most).
    connection = op.get_bind()
    events = sa.table("processed_events", sa.column("key", sa.String))
    for (key,) in connection.execute(sa.select(events.c.key)).all():
        hashed = hashlib.sha256(key.encode("utf-8")).hexdigest()
        connection.execute(events.update().where(events.c.key == key).values(key=hashed))


def downgrade() -> None:
    op.drop_index("ix_uploaded_files_user_id", table_name="uploaded_files")
    op.drop_table("uploaded_files")
