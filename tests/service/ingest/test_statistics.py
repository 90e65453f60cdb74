"""Planner statistics during a harvest: PostgreSQL analyzes once the tables outgrow them; SQLite
never needs to."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

from scrapers.records import Position
from service.ingest import statistics
from service.ingest.importer import import_parsed
from tests.service.helpers import report, scraped_rec


def _import(engine, count: int, *, flush_stats: bool) -> None:
    recs = [scraped_rec(f"100.{i}", f"Recommendation number {i}", ["NOR"], Position.NOTED) for i in range(count)]
    with Session(engine) as s:
        import_parsed(s, report(b"%PDF statistics", recs, symbol="A/HRC/99/7"), recorded_by="t")
        if flush_stats:  # make this backend's row counts visible to the next session at once
            s.execute(text("SELECT pg_stat_force_next_flush()"))
        s.commit()


def _reltuples(engine) -> float:
    with engine.connect() as conn:
        return conn.execute(text("SELECT reltuples FROM pg_class WHERE relname = 'recommendation'")).scalar_one()


def test_tables_are_analyzed_when_a_harvest_outgrows_their_statistics(engine):
    postgres = engine.dialect.name == "postgresql"
    _import(engine, statistics.MIN_CHANGED + 200, flush_stats=postgres)
    with Session(engine) as s:
        analyzed = statistics.refresh_if_grown(s)
    if not postgres:
        assert analyzed is False
        return
    assert analyzed is True
    assert _reltuples(engine) == statistics.MIN_CHANGED + 200  # the planner now sees the rows
    with Session(engine) as s:  # nothing new since: no second analysis
        assert statistics.refresh_if_grown(s) is False


def test_small_imports_are_not_analyzed(engine):
    _import(engine, 10, flush_stats=engine.dialect.name == "postgresql")
    with Session(engine) as s:
        assert statistics.refresh_if_grown(s, adding=10) is False
