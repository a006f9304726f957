"""The privacy notice replaces the consent form, and the audit log records who acted.

users.consent_at becomes users.notice_shown_at and audit entries "consent" become "notice_shown": the coach
relies on public task (or another basis set by COACH_LAWFUL_BASIS), not consent, so it records that the notice
was given, not that it was accepted. audit_log.actor holds who did it (the person, "operator:<OS account>" for
the CLI, "system"); rows written before this revision keep NULL there, because who ran them was not recorded.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTERs, never a batch "move and copy" of users: on SQLite that drops the old users table, and with
    # foreign keys on every rating, reflection and upload would be cascade-deleted with it.
    op.execute("ALTER TABLE users RENAME COLUMN consent_at TO notice_shown_at")
    op.add_column("audit_log", sa.Column("actor", sa.String(length=200), nullable=True))
    op.create_index("ix_audit_log_actor", "audit_log", ["actor"], unique=False)
    op.execute("UPDATE audit_log SET action = 'notice_shown' WHERE action = 'consent'")


def downgrade() -> None:
    op.execute("UPDATE audit_log SET action = 'consent' WHERE action = 'notice_shown'")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_actor")
        batch_op.drop_column("actor")
    op.execute("ALTER TABLE users RENAME COLUMN notice_shown_at TO consent_at")
