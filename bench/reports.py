"""Benchmark: status reports of 1,000 recommendations in every format, and a bulk export of
200,000 recommendations with flat memory.

    python bench/reports.py [--report-size 1000] [--export-size 200000] [--check]

Data: generated rows (recommending states, themes, position and implementation events, links to
an earlier cycle) inserted in bulk with SQLAlchemy core into a temporary SQLite database migrated
by `service.migrate.upgrade`. Reports: median of three runs, gathering + rendering, with the
tracemalloc peak of one run. Export: the CSV and JSON Lines streams are consumed chunk by chunk;
the tracemalloc peak is sampled after 50k, 100k and 200k rows — flat figures mean memory
depends on the batch size, not on the export size. `--check` exits 1 when a report takes 2 s or
more, or when the export's peak at the end exceeds 1.5× its peak at the first checkpoint.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import Engine, insert
from sqlmodel import Session

from service import migrate
from service.db import make_engine
from service.models import (Document, Recommendation, RecommendationTheme, RecommendingState,
                            RelatedRecommendation, Review, State, StatusEvent, Theme)
from service.recommendations.repository import RecommendationFilter
from service.reports import export as bulk
from service.reports.content import gather
from service.reports.formats import ReportFormat, render
from service.reports.model import ReportScope

TARGET_SECONDS = 2.0
CHECKPOINTS = (50_000, 100_000, 200_000)
STATES = ["BRA", "CHL", "NOR", "FRA", "DEU", "KEN", "MEX", "JPN", "IND", "ZAF", "ARG", "CAN"]
WORDS = ["ratify", "convention", "torture", "ensure", "freedom", "expression", "journalists",
         "detention", "women", "children", "trafficking", "discrimination", "minorities", "judiciary",
         "independence", "media", "prison", "roma", "disability", "refugees", "asylum", "education",
         "health", "poverty", "gender", "violence"]
POSITIONS = ["supported", "supported", "supported", "noted", "partially_supported"]


def _text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 40))).capitalize()


def populate(engine: Engine, *, state: str, cycle: int, n: int, seed: int = 7,
             start_id: int = 1, earlier: list[int] | None = None, batch: int = 20_000) -> list[int]:
    """Insert `n` recommendations of `state` in `cycle` with everything a report reads."""
    rng = random.Random(seed + cycle)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        if conn.execute(State.__table__.select().where(State.iso3 == state)).first() is None:
            conn.execute(insert(State), [{"iso3": state, "name": "Azerbaijan", "un_name": "Azerbaijan"}])
        review_id = conn.execute(insert(Review).values(mechanism="upr", state=state, ref=str(cycle),
                                                        cycle=cycle, session=30 + cycle)).inserted_primary_key[0]
        doc_id = conn.execute(insert(Document).values(
            mechanism="upr", kind="wg_report", symbol=f"A/HRC/{40 + cycle}/13", state=state,
            review_id=review_id, url=f"https://docs.un.org/A/HRC/{40 + cycle}/13",
            published_on=date(2008 + 5 * cycle, 7, 5), sha256=f"{cycle:064x}", content_type="application/pdf",
            size=1, fetched_at=now, cites=[])).inserted_primary_key[0]
        theme_ids = [conn.execute(insert(Theme).values(kind="theme", name=f"Theme {cycle}-{i:02d}"))
                     .inserted_primary_key[0] for i in range(40)]
        ids = list(range(start_id, start_id + n))
        for lo in range(0, n, batch):
            chunk = ids[lo:lo + batch]
            recs, states, themes, events, related = [], [], [], [], []
            for i, rid in enumerate(chunk, start=lo):
                position = rng.choice(POSITIONS)
                implementation = rng.choice(["unknown", "unknown", "not_implemented", "implemented"])
                recs.append({"id": rid, "key": f"upr/{state}/{cycle}/{100 + i // 500}.{i % 500 + 1}",
                             "mechanism": "upr", "state": state, "review_id": review_id, "cycle": cycle,
                             "paragraph": f"{100 + i // 500}.{i % 500 + 1}", "text": _text(rng),
                             "text_sha256": f"{rid:064x}", "position": position,
                             "position_wording": "enjoy the support", "implementation": implementation,
                             "first_seen_at": now, "updated_at": now, "source_document_id": doc_id,
                             "is_sample": False, "attributes": {}})
                for k, code in enumerate(rng.sample(STATES, rng.randint(1, 3))):
                    states.append({"recommendation_id": rid, "state": code, "name_raw": code, "position": k})
                for tid in rng.sample(theme_ids, rng.randint(1, 3)):
                    themes.append({"recommendation_id": rid, "theme_id": tid, "source": "thematic_list"})
                events.append({"recommendation_id": rid, "axis": "position", "new": position,
                               "effective_on": date(2008 + 5 * cycle, 7, 5), "recorded_at": now,
                               "document_id": doc_id, "evidence": f"A/HRC/{40 + cycle}/13 para. {100 + i // 500}",
                               "evidence_url": "https://docs.un.org", "recorded_by": "bench",
                               "source_kind": "wg_report"})
                if implementation != "unknown":
                    events.append({"recommendation_id": rid, "axis": "implementation", "new": implementation,
                                   "effective_on": date(2020, 1, 1), "recorded_at": now,
                                   "document_id": None, "evidence": None, "evidence_url": "https://example.org/evidence", "recorded_by": "bench",
                                   "source_kind": "assessment"})
                if earlier and rng.random() < 0.3:
                    related.append({"recommendation_id": rid, "related_id": rng.choice(earlier),
                                    "similarity": 0.4})
            conn.execute(insert(Recommendation), recs)
            conn.execute(insert(RecommendingState), states)
            conn.execute(insert(RecommendationTheme), themes)
            conn.execute(insert(StatusEvent), events)
            if related:
                conn.execute(insert(RelatedRecommendation), related)
    return ids


def fresh_engine(directory: Path, name: str) -> Engine:
    url = f"sqlite:///{directory / name}"
    migrate.upgrade(url)
    return make_engine(url)


def bench_reports(directory: Path, size: int) -> dict[str, tuple[float, float]]:
    engine = fresh_engine(directory, "reports.sqlite3")
    earlier = populate(engine, state="AZE", cycle=2, n=size // 2)
    populate(engine, state="AZE", cycle=3, n=size, start_id=len(earlier) + 1, earlier=earlier)
    scope = ReportScope(state="AZE", cycle=3)
    results = {}
    for fmt in ReportFormat:
        times = []
        for _ in range(3):
            started = time.perf_counter()
            with Session(engine) as session:
                report = gather(session, scope)
            data = render(report, fmt)
            times.append(time.perf_counter() - started)
        assert report.summary.total == size and data
        tracemalloc.start()
        with Session(engine) as session:
            render(gather(session, scope), fmt)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        results[fmt.value] = (statistics.median(times), peak / 2**20)
    engine.dispose()
    return results


def _consume(engine: Engine, fmt: bulk.ExportFormat, checkpoints: list[int], *, traced: bool
             ) -> tuple[int, int, list[tuple[int, float]]]:
    """Read the whole stream; with `traced`, the tracemalloc peak as each checkpoint is passed."""
    rows, written, marks = 0, 0, []

    def count(n: int) -> None:
        nonlocal rows
        rows += n

    for chunk in bulk.stream(engine, RecommendationFilter(include_sample=False), fmt, progress=count):
        written += len(chunk)  # the chunk is dropped here, as a socket write would drop it
        while traced and len(marks) < len(checkpoints) and rows >= checkpoints[len(marks)]:
            marks.append((checkpoints[len(marks)], tracemalloc.get_traced_memory()[1] / 2**20))
    return rows, written, marks


def bench_export(directory: Path, size: int) -> dict[str, tuple[float, int, list[tuple[int, float]]]]:
    """Per format: seconds of an untraced run, bytes written, and tracemalloc peaks of a traced run."""
    engine = fresh_engine(directory, "export.sqlite3")
    started = time.perf_counter()
    populate(engine, state="AZE", cycle=3, n=size)
    print(f"  inserted {size:,} recommendations in {time.perf_counter() - started:.1f} s")
    checkpoints = [c for c in CHECKPOINTS if c <= size] or [size]
    results = {}
    for fmt in bulk.ExportFormat:
        started = time.perf_counter()
        rows, written, _ = _consume(engine, fmt, checkpoints, traced=False)
        elapsed = time.perf_counter() - started
        assert rows == size, rows
        tracemalloc.start()
        _, _, marks = _consume(engine, fmt, checkpoints, traced=True)
        tracemalloc.stop()
        results[fmt.value] = (elapsed, written, marks)
    engine.dispose()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--report-size", type=int, default=1000)
    parser.add_argument("--export-size", type=int, default=200_000)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        print(f"report of {args.report_size:,} recommendations (gather + render, median of 3):")
        for fmt, (seconds, peak) in bench_reports(Path(tmp), args.report_size).items():
            flag = "" if seconds < TARGET_SECONDS else f"  SLOWER THAN {TARGET_SECONDS} s"
            failed |= bool(flag)
            print(f"  {fmt:5} {seconds:6.3f} s   peak {peak:6.1f} MiB{flag}")
        print(f"bulk export of {args.export_size:,} recommendations (batches of {bulk.BATCH:,}):")
        for fmt, (seconds, written, marks) in bench_export(Path(tmp), args.export_size).items():
            peaks = ", ".join(f"{rows:,} rows {peak:.1f} MiB" for rows, peak in marks)
            print(f"  {fmt:5} {seconds:6.1f} s ({args.export_size / seconds:,.0f} rows/s, "
                  f"{written / 2**20:.0f} MiB); tracemalloc peak after {peaks}")
            failed |= marks[-1][1] > 1.5 * marks[0][1]
    return 1 if failed and args.check else 0


if __name__ == "__main__":
    raise SystemExit(main())
