"""Runs that had nothing to fetch are `skipped`, not `ok`.

The outcome is a CHECK constraint, so the new value needs one. Runs recorded `ok` by the old code
although they fetched, skipped and imported nothing (no units configured) gave sources a false
`last_success_at`; they are relabelled `skipped` so every reader of GOOD outcomes is honest about
the past too. Downgrading turns `skipped` back into what the old code recorded, `ok`.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

NAME = "ck_scrape_run_outcome"
OLD = "outcome IN ('running', 'ok', 'partial', 'failed', 'blocked')"
NEW = "outcome IN ('running', 'ok', 'partial', 'failed', 'blocked', 'skipped')"
NOTHING_DONE = ("outcome = 'ok' AND fetched = 0 AND skipped_unchanged = 0 AND inserted = 0 "
                "AND updated = 0 AND unchanged = 0 AND rejected = 0")


def _replace_check(clause: str) -> None:
    # Batch mode: SQLite cannot alter a constraint in place, it recreates the table.
    with op.batch_alter_table("scrape_run", schema=None) as batch_op:
        batch_op.drop_constraint(NAME, type_="check")
        batch_op.create_check_constraint(NAME, sa.text(clause))


def upgrade() -> None:
    _replace_check(NEW)
    op.execute(f"UPDATE scrape_run SET outcome = 'skipped' WHERE {NOTHING_DONE}")


def downgrade() -> None:
    op.execute("UPDATE scrape_run SET outcome = 'ok' WHERE outcome = 'skipped'")
    _replace_check(OLD)
