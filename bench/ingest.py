"""Ingest benchmark: the generated dataset through the real importer, then again (nothing may
change), against a raw `executemany` of the same rows in the same run as the limit.

Targets (issue 10): first ingest < 60 s and ≤ 3× the raw insert; re-ingest < 25 % of the first
ingest with 0 events.

    python bench/ingest.py [--count 200000] [--database-url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import Session  # noqa: E402

from bench.generate import generate  # noqa: E402
from scrapers.records import text_sha256  # noqa: E402
from service import migrate  # noqa: E402
from service.db import make_engine  # noqa: E402
from service.ingest.pipeline import import_document, refresh_related  # noqa: E402
from service.models import ChangeEvent, Recommendation  # noqa: E402
from service.states.seed import seed_states  # noqa: E402


def fresh_database(url: str | None, tmp: Path) -> tuple[str, callable]:
    """A migrated, empty database; returns its URL and a cleanup function."""
    if url is None:
        target = f"sqlite:///{tmp / 'bench.sqlite3'}"
        migrate.upgrade(target)
        return target, lambda: None
    name = f"recwatch_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    target = make_url(url).set(database=name).render_as_string(hide_password=False)
    migrate.upgrade(target)

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return target, drop


def ingest(engine, documents) -> tuple[float, int, int]:
    events_before = _count(engine, ChangeEvent)
    start = time.perf_counter()
    touched: set[str] = set()
    for parsed in documents:
        with Session(engine, expire_on_commit=False) as session:
            result, _ = import_document(session, parsed, recorded_by="bench", baseline=False)
            session.commit()
        if result.inserted or result.updated:
            touched |= {r.state for r in parsed.recommendations}
    refresh_related(engine, touched)  # as a run does once at its end
    elapsed = time.perf_counter() - start
    return elapsed, _count(engine, Recommendation), _count(engine, ChangeEvent) - events_before


def raw_insert(engine, documents) -> float:
    """The limit: the same recommendation rows with one executemany per document, nothing else."""
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO review (mechanism, state, ref, is_sample) VALUES ('upr', 'AZE', 'raw', false)"))
        review_id = conn.execute(text("SELECT id FROM review WHERE ref = 'raw'")).scalar_one()
    start = time.perf_counter()
    for parsed in documents:
        rows = [{"key": "raw/" + r.key, "mechanism": r.mechanism.value, "state": r.state, "review_id": review_id,
                 "cycle": r.cycle, "paragraph": r.paragraph, "text": r.text, "text_sha256": text_sha256(r.text),
                 "position": r.position.value} for r in parsed.recommendations]
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO recommendation (key, mechanism, state, review_id, cycle, paragraph, text, text_sha256, "
                "position, implementation, first_seen_at, updated_at, is_sample, attributes) VALUES (:key, :mechanism, "
                ":state, :review_id, :cycle, :paragraph, :text, :text_sha256, :position, 'unknown', CURRENT_TIMESTAMP, "
                "CURRENT_TIMESTAMP, false, '{}')"), rows)
    return time.perf_counter() - start


def _count(engine, model) -> int:
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--database-url", default=None, help="PostgreSQL server URL (a database is created)")
    args = parser.parse_args()
    documents = list(generate(args.count))
    with tempfile.TemporaryDirectory() as tmp:
        url, cleanup = fresh_database(args.database_url, Path(tmp))
        engine = make_engine(url)
        try:
            with Session(engine) as session:
                seed_states(session)
                session.commit()
            first, total, first_events = ingest(engine, documents)
            again, _, again_events = ingest(engine, documents)
            raw = raw_insert(engine, documents)
        finally:
            engine.dispose()
            cleanup()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    backend = "PostgreSQL" if args.database_url else "SQLite"
    print(f"backend: {backend}; {total} recommendations in {len(documents)} documents")
    print(f"first ingest:  {first:7.1f} s  {total / first:9.0f} rows/s  ({first_events} change events)")
    print(f"re-ingest:     {again:7.1f} s  {total / again:9.0f} rows/s  ({again_events} change events) "
          f"= {again / first:.0%} of the first ingest (target < 25 %, 0 events)")
    print(f"raw insert:    {raw:7.1f} s  {total / raw:9.0f} rows/s")
    print(f"ratio first ingest / raw insert: {first / raw:.2f}x (target <= 3x); first ingest target < 60 s")
    print(f"peak memory (max RSS): {peak:.0f} MiB")


if __name__ == "__main__":
    main()
