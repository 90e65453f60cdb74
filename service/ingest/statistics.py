"""Planner statistics that keep up with a bulk harvest (PostgreSQL).

PostgreSQL chooses plans from table statistics, and autovacuum refreshes them only after its nap
and thresholds. A first harvest grows the tables from nothing to hundreds of thousands of rows
within one run, so the importer's look-ups were planned as sequential scans of "empty" tables:
measured with `bench/ingest.py --count 200000`, 570 s instead of about a minute. Analyzing
whenever the recommendation table has doubled since its last analysis costs a few
hundred milliseconds, about log₂(rows) times over a whole harvest; the cross-cycle links, written
after the imports, check their own table the same way. SQLite needs none of this:
its planner uses the indexes without statistics.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import text
from sqlmodel import Session

# The tables an import reads back by recommendation while it writes them, analyzed together when
# the recommendation table has grown; the links table is analyzed alone when it has.
IMPORT_TABLES = ("recommendation", "recommending_state", "external_ref", "status_event", "position_conflict",
                 "recommendation_theme")
ANALYZED_WITH = {"recommendation": IMPORT_TABLES, "related_recommendation": ("related_recommendation",)}
MIN_CHANGED = 1_000  # small imports never pay for an analysis
GROWTH = 1.0  # analyze when rows changed since the last analysis exceed the rows then
_written_since_check: defaultdict[tuple[str, str], int] = defaultdict(int)


def refresh_if_grown(session: Session, table: str = "recommendation", *, adding: int = MIN_CHANGED) -> bool:
    """Analyze `table` (and the tables written with it) when it outgrew its statistics.

    `adding` is how many rows the caller is about to write: the statistics view is read once per
    MIN_CHANGED rows written by this process, not once per document."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    key = (bind.url.render_as_string(hide_password=True), table)
    _written_since_check[key] += adding
    if _written_since_check[key] < MIN_CHANGED:
        return False
    _written_since_check[key] = 0
    row = session.execute(text(
        "SELECT s.n_mod_since_analyze, GREATEST(c.reltuples, 0) FROM pg_stat_user_tables s "
        "JOIN pg_class c ON c.oid = s.relid WHERE s.relname = :table"), {"table": table}).first()
    if row is None or row[0] < max(MIN_CHANGED, row[1] * GROWTH):
        return False
    engine = getattr(bind, "engine", bind)
    with engine.begin() as conn:  # its own short transaction: the lock is not held through the import
        # Row counts are what the look-ups need: a tenth of the default sample is enough, and
        # autovacuum's own analysis later refines the column statistics.
        conn.execute(text("SET LOCAL default_statistics_target = 10"))
        conn.execute(text("ANALYZE " + ", ".join(ANALYZED_WITH[table])))
    return True
