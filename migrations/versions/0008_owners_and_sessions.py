"""Webhook subscriptions get an owner key; dashboard sessions become revocable server-side.

`webhook_subscription.owner_key_id` names the API key that created the subscription: editors
see and manage only their own, admins all. Existing rows are backfilled from `created_by`,
which has always been the creating key's name (`api_key.name` is unique and keys are revoked,
never renamed or deleted, so the match is exact). A row whose `created_by` matches no key stays
NULL: owned by no key, so only admins see and manage it. A key deleted later (never done by
recwatch itself) leaves its subscriptions NULL as well (ON DELETE SET NULL).

`dashboard_session` holds one row per dashboard sign-in (the cookie carries its random id; only
a SHA-256 hash is stored). Sign-out and key revocation set `revoked_at`. Cookies issued before
this revision name no session and are treated as signed out: editors sign in once more.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dashboard_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["key_id"], ["api_key.id"], name=op.f("fk_dashboard_session_key_id_api_key"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_dashboard_session_token_hash")),
    )
    with op.batch_alter_table("dashboard_session", schema=None) as batch_op:
        batch_op.create_index("ix_dashboard_session_key", ["key_id"], unique=False)

    with op.batch_alter_table("webhook_subscription", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_key_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f("fk_webhook_subscription_owner_key_id_api_key"), "api_key",
                                    ["owner_key_id"], ["id"], ondelete="SET NULL")
        batch_op.create_index("ix_webhook_subscription_owner", ["owner_key_id", "id"], unique=False)
    op.execute("UPDATE webhook_subscription SET owner_key_id = "
               "(SELECT api_key.id FROM api_key WHERE api_key.name = webhook_subscription.created_by)")


def downgrade() -> None:
    with op.batch_alter_table("webhook_subscription", schema=None) as batch_op:
        batch_op.drop_index("ix_webhook_subscription_owner")
        batch_op.drop_constraint(op.f("fk_webhook_subscription_owner_key_id_api_key"), type_="foreignkey")
        batch_op.drop_column("owner_key_id")
    with op.batch_alter_table("dashboard_session", schema=None) as batch_op:
        batch_op.drop_index("ix_dashboard_session_key")
    op.drop_table("dashboard_session")
