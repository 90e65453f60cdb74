"""Full-text search over recommendation text: SQLite FTS5 (porter stemming) or a PostgreSQL GIN
index on the English tsvector. Lives outside the models: service/search.py queries it.

SQLite note: a batch migration that recreates `recommendation` drops these triggers; such a
migration must create them again (see create_sqlite_fts below).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE recommendation_fts USING fts5(text, content='recommendation', "
    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER recommendation_fts_ai AFTER INSERT ON recommendation BEGIN "
    "INSERT INTO recommendation_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER recommendation_fts_ad AFTER DELETE ON recommendation BEGIN "
    "INSERT INTO recommendation_fts(recommendation_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER recommendation_fts_au AFTER UPDATE OF text ON recommendation BEGIN "
    "INSERT INTO recommendation_fts(recommendation_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO recommendation_fts(rowid, text) VALUES (new.id, new.text); END",
    "INSERT INTO recommendation_fts(recommendation_fts) VALUES ('rebuild')",
]


def create_sqlite_fts() -> None:
    for statement in SQLITE_FTS:
        op.execute(statement)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        create_sqlite_fts()
    else:
        op.execute("CREATE INDEX ix_recommendation_fts ON recommendation "
                   "USING gin (to_tsvector('english', text))")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("recommendation_fts_ai", "recommendation_fts_ad", "recommendation_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS recommendation_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_recommendation_fts")
