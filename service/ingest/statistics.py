"""Planner statistics that keep up with a bulk harvest (PostgreSQL).

PostgreSQL chooses plans from table statistics, and autovacuum refreshes them only after its nap
and thresholds. A first harvest grows the tables from nothing to hundreds of thousands of rows
within one run, so the importer's look-ups were planned as sequential scans of "empty" tables:
measured with `bench/ingest.py --count 200000`, 570 s instead of about a minute. Analyzing
whenever the recommendation table has grown by half since its last analysis costs a few
hundred milliseconds, about log₂(rows) times over a whole harvest. SQLite needs none of this:
its planner uses the indexes without statistics.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

# The tables an import reads back by recommendation while it writes them.
TABLES = ("recommendation", "recommending_state", "external_ref", "status_event", "position_conflict",
          "recommendation_theme", "change_event", "related_recommendation")
MIN_CHANGED = 1_000  # small imports never pay for an analysis
GROWTH = 0.5  # analyze when rows changed since the last analysis exceed half the rows then


def refresh_if_grown(session: Session) -> bool:
    """Analyze the import's tables when they outgrew their statistics; True if it did."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    row = session.execute(text(
        "SELECT s.n_mod_since_analyze, GREATEST(c.reltuples, 0) FROM pg_stat_user_tables s "
        "JOIN pg_class c ON c.oid = s.relid WHERE s.relname = 'recommendation'")).first()
    if row is None or row[0] < max(MIN_CHANGED, row[1] * GROWTH):
        return False
    engine = getattr(bind, "engine", bind)
    with engine.connect() as conn:  # its own short transaction: the lock is not held through the import
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE " + ", ".join(TABLES)))
    return True
