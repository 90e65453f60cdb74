"""A covering index for counts by state, mechanism, position and implementation.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_recommendation_counts", "recommendation",
                    ["state", "mechanism", "position", "implementation", "is_sample"])


def downgrade() -> None:
    op.drop_index("ix_recommendation_counts", table_name="recommendation")
