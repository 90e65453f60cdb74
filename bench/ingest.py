"""Ingest benchmark: the generated dataset through the real importer, then again (nothing may
change), against raw inserts in the same run as the limit: a raw `executemany` of the same
recommendation rows (the issue's limit), and a raw copy of every row the first ingest wrote in all
its tables (recommendations, recommending states, references, status and change events, tags,
cross-cycle links), one executemany per table per document, to show what the importer's own
logic costs on top of the writes it must make.

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
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import MetaData, Table, create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import Session  # noqa: E402

from bench.generate import generate  # noqa: E402
from scrapers.records import text_sha256  # noqa: E402
from service import migrate  # noqa: E402
from service.db import make_engine  # noqa: E402
from service.ingest.pipeline import import_document, refresh_related  # noqa: E402
from service.models import ChangeEvent, Recommendation  # noqa: E402
from service.states.seed import seed_states  # noqa: E402


def fresh_database(url: str | None, tmp: Path, name: str = "bench") -> tuple[str, callable]:
    """A migrated, empty database; returns its URL and a cleanup function."""
    if url is None:
        target = f"sqlite:///{tmp / (name + '.sqlite3')}"
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


# Every table the importer writes, parents first.
WRITTEN = ("review", "theme", "document", "recommendation", "recommending_state", "external_ref", "status_event",
           "recommendation_theme", "change_event", "related_recommendation")
BY_RECOMMENDATION = ("recommending_state", "external_ref", "status_event", "recommendation_theme", "change_event")


def raw_copy(source, target) -> tuple[float, int]:
    """The limit for everything the importer writes: the very rows of the first ingest, read back
    and inserted into an empty database with one executemany per table per document and a commit
    per document, as the importer commits. Returns seconds and rows written."""
    tables = {name: Table(name, MetaData(), autoload_with=source) for name in WRITTEN}
    with source.connect() as conn:
        rows = {name: [dict(r) for r in conn.execute(select(tables[name])).mappings()] for name in WRITTEN}
    doc_of = {r["id"]: r["source_document_id"] for r in rows["recommendation"]}
    batches: dict[object, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for r in rows["recommendation"]:
        batches[r["source_document_id"]]["recommendation"].append(r)
    for name in BY_RECOMMENDATION:
        for r in rows[name]:
            batches[doc_of.get(r["recommendation_id"])][name].append(r)
    start = time.perf_counter()
    with target.begin() as conn:
        for name in ("review", "theme", "document"):
            conn.execute(tables[name].insert(), rows[name])
    for batch in batches.values():
        with target.begin() as conn:
            for name in ("recommendation", *BY_RECOMMENDATION):
                if batch[name]:
                    conn.execute(tables[name].insert(), batch[name])
    related = rows["related_recommendation"]
    for part in range(0, len(related), 5000):
        with target.begin() as conn:
            conn.execute(tables["related_recommendation"].insert(), related[part:part + 5000])
    return time.perf_counter() - start, sum(len(v) for v in rows.values())


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
            peak_ingest = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            copy_url, copy_cleanup = fresh_database(args.database_url, Path(tmp), name="copy")
            copy_engine = make_engine(copy_url)
            with Session(copy_engine) as session:
                seed_states(session)
                session.commit()
            try:
                raw_all, raw_rows = raw_copy(engine, copy_engine)
            finally:
                copy_engine.dispose()
                copy_cleanup()
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
    print(f"raw copy of every row written: {raw_all:7.1f} s  {raw_rows / raw_all:9.0f} rows/s  ({raw_rows} rows in "
          f"{len(WRITTEN)} tables)")
    print(f"ratio first ingest / raw insert: {first / raw:.2f}x (target <= 3x); first ingest target < 60 s")
    print(f"ratio first ingest / raw copy of every row written: {first / raw_all:.2f}x")
    print(f"peak memory (max RSS): {peak_ingest:.0f} MiB through both ingests (dataset in memory included), "
          f"{peak:.0f} MiB with the raw copy")


if __name__ == "__main__":
    main()
