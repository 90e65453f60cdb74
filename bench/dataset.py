"""A migrated database filled with the generated dataset in bulk, for the serving benchmarks.

Setup only (the importer's own speed is measured by bench/ingest.py): rows go in with one
executemany per table, then the full-text index is rebuilt.

    python bench/dataset.py --count 200000 --out /tmp/recwatch-200k.sqlite3

A PostgreSQL copy of such a file, so both backends serve exactly the same rows and ids:

    python bench/dataset.py --from-sqlite /tmp/recwatch-200k.sqlite3 \
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/recwatch_bench
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import Session  # noqa: E402

from bench.generate import generate  # noqa: E402
from scrapers.records import text_sha256  # noqa: E402
from service import migrate  # noqa: E402
from service.db import make_engine  # noqa: E402
from service.models import (  # noqa: E402
    ChangeEvent,
    metadata,
    Document,
    Recommendation,
    RecommendationTheme,
    RecommendingState,
    Review,
    StatusEvent,
    Theme,
)
from service.models._common import utcnow  # noqa: E402
from service.states.seed import seed_states  # noqa: E402


def build(url: str, count: int, seed: int = 7) -> int:
    """Fill the (migrated, empty) database at `url`; returns the number of recommendations."""
    engine = make_engine(url)
    now = utcnow()
    total = 0
    with Session(engine) as session:
        seed_states(session)
        session.commit()
        themes: dict[tuple[str, str], int] = {}
        for parsed in generate(count, seed):
            meta = parsed.document
            doc_id = session.execute(insert(Document).returning(Document.id), [{
                "mechanism": meta.mechanism.value, "kind": meta.kind.value, "symbol": meta.symbol, "title": meta.title,
                "state": meta.state_under_review, "url": meta.source_url, "language": "en",
                "published_on": meta.published_on, "sha256": meta.sha256, "content_type": meta.content_type,
                "size": meta.size, "fetched_at": now, "is_sample": False, "cites": []}]).scalar_one()
            first = parsed.recommendations[0]
            ref = first.key.split("/")[2]
            review_id = session.execute(select(Review.id).where(
                Review.mechanism == first.mechanism, Review.state == first.state, Review.ref == ref)).scalar()
            if review_id is None:
                review_id = session.execute(insert(Review).returning(Review.id), [{
                    "mechanism": first.mechanism.value, "state": first.state, "ref": ref, "cycle": first.cycle,
                    "title": meta.title, "is_sample": False}]).scalar_one()
            rows = [{"key": r.key, "mechanism": r.mechanism.value, "state": r.state, "review_id": review_id,
                     "cycle": r.cycle, "paragraph": r.paragraph, "text": r.text, "text_sha256": text_sha256(r.text),
                     "position": r.position.value, "position_wording": r.position_wording,
                     "implementation": "implemented" if i % 9 == 0 else "unknown", "first_seen_at": now,
                     "updated_at": now, "source_document_id": doc_id, "is_sample": False, "attributes": {}}
                    for i, r in enumerate(parsed.recommendations)]
            ids = session.execute(insert(Recommendation).returning(Recommendation.id, sort_by_parameter_order=True),
                                  rows).scalars().all()
            states, events, tags, changes = [], [], [], []
            for rec_id, r in zip(ids, parsed.recommendations, strict=True):
                states += [{"recommendation_id": rec_id, "state": s, "name_raw": s, "position": k}
                           for k, s in enumerate(dict.fromkeys(r.recommending_states))]
                events.append({"recommendation_id": rec_id, "axis": "position", "old": None, "new": r.position.value,
                               "wording": r.position_wording, "effective_on": meta.published_on, "recorded_at": now,
                               "document_id": doc_id, "evidence": r.evidence, "recorded_by": "bench",
                               "source_kind": meta.kind.value})
                for kind, names in (("theme", r.themes), ("sdg", r.sdgs)):
                    for name in names:
                        if (kind, name) not in themes:
                            themes[(kind, name)] = session.execute(insert(Theme).returning(Theme.id),
                                                                   [{"kind": kind, "name": name}]).scalar_one()
                        tags.append({"recommendation_id": rec_id, "theme_id": themes[(kind, name)], "source": "bench"})
                changes.append({"event_id": str(uuid.uuid4()), "type": "recommendation.created", "state": r.state,
                                "mechanism": r.mechanism.value, "recommendation_id": rec_id, "baseline": True,
                                "created_at": now, "payload": {"recommendation": {"id": rec_id, "key": r.key}}})
            for model, values in ((RecommendingState, states), (StatusEvent, events),
                                  (RecommendationTheme, tags), (ChangeEvent, changes)):
                if values:
                    session.execute(insert(model), values)
            total += len(ids)
        session.commit()
    if url.startswith("sqlite"):
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    engine.dispose()
    return total


def copy_sqlite(sqlite_file: Path, url: str) -> int:
    """Copy every table of a (bench) SQLite database into the migrated PostgreSQL database at
    `url`, ids included, with COPY; returns the number of recommendations."""
    source = make_engine(f"sqlite:///{sqlite_file}")
    target = make_engine(url)
    tables = metadata.sorted_tables
    with target.begin() as conn:
        conn.execute(text("TRUNCATE " + ", ".join(f'"{t.name}"' for t in tables) + " RESTART IDENTITY CASCADE"))
    raw = target.raw_connection()
    try:
        with raw.driver_connection.cursor() as cur, source.connect() as src:
            for table in tables:
                columns = ", ".join(f'"{c.name}"' for c in table.columns)
                with cur.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
                    for row in src.execute(select(table)).yield_per(5000):
                        copy.write_row([json.dumps(v) if isinstance(v, dict | list) else v for v in row])
                if "id" in table.c:
                    cur.execute(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                                f'coalesce((SELECT max(id) FROM "{table.name}"), 0) + 1, false)')
        raw.driver_connection.commit()
    finally:
        raw.close()
    with target.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
        n = conn.execute(text("SELECT count(*) FROM recommendation")).scalar_one()
    source.dispose()
    target.dispose()
    return n


@contextmanager
def temporary_pg_database(server_url: str, sqlite_file: Path) -> Iterator[str]:
    """A fresh database on the PostgreSQL server of `server_url`, migrated and filled with a copy
    of `sqlite_file`; dropped on exit. Yields its URL."""
    name = f"recwatch_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    try:
        migrate.upgrade(url)
        start = time.perf_counter()
        n = copy_sqlite(sqlite_file, url)
        print(f"{n} recommendations copied into PostgreSQL database {name} in "
              f"{time.perf_counter() - start:.1f} s", flush=True)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--out", type=Path, help="SQLite file to create")
    parser.add_argument("--database-url", help="an empty PostgreSQL database instead")
    parser.add_argument("--from-sqlite", type=Path, help="copy this SQLite file into --database-url "
                        "instead of generating")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{args.out}"
    if args.from_sqlite:
        if not args.database_url:
            parser.error("--from-sqlite needs --database-url")
        migrate.upgrade(url)
        start = time.perf_counter()
        n = copy_sqlite(args.from_sqlite, url)
        print(f"{n} recommendations copied into {url} in {time.perf_counter() - start:.1f} s")
        return
    if args.out and args.out.exists():
        args.out.unlink()
    migrate.upgrade(url)
    start = time.perf_counter()
    n = build(url, args.count)
    print(f"{n} recommendations loaded into {url} in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
