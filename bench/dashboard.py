"""Benchmark: dashboard pages on 200,000 recommendations.

    python bench/dashboard.py [--recommendations 200000] [--repeat 40] [--db PATH] [--check]

Setup generates a realistic corpus into a temporary SQLite file migrated by Alembic: ~193 states,
4 UPR cycles each (later cycles larger), positions ~70 % supported / 25 % noted / 5 % pending,
1–3 recommending states and 1–3 themes per recommendation, a position status event and a UN
reference for each, cross-cycle links for ~15 %, a PACE text and an execution case per Council
of Europe member, change events and scrape runs. Rows go in by SQLAlchemy core executemany.

Measured, against the real app on uvicorn (127.0.0.1):
- server time: HTTP round trip on loopback after warm-up, `--repeat` times per page (p50/p95);
- full page load in headless Debian Chromium (fresh context, so CSS and JS load too): the
  navigation's loadEventEnd, 10 times per page (p50/p95). Skipped when Chromium is absent.
Targets: p95 server time < 100 ms, p95 page load < 1 s; `--check` exits 1 when one is missed.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import httpx
from sqlalchemy import Engine, insert, select

from scrapers import countries
from service import migrate
from service.config import Settings
from service.db import make_engine
from service.models import (ChangeEvent, Document, ExternalRef, Recommendation, RecommendationTheme,
                            RecommendingState, RelatedRecommendation, Review, ScrapeRun, State,
                            StatusEvent, Theme)

SERVER_TARGET_MS, LOAD_TARGET_MS = 100.0, 1000.0
CHROMIUM = Path("/usr/bin/chromium")
CYCLE_SHARE = (0.15, 0.25, 0.30, 0.30)
CYCLE_YEAR = (2009, 2013, 2018, 2023)
VERBS = ["Ratify", "Strengthen", "Adopt", "Ensure", "Guarantee", "Take measures to", "Continue efforts to",
         "Consider", "Establish", "Investigate", "Repeal", "Amend", "Combat", "Promote", "Protect"]
OBJECTS = ["the Optional Protocol to the Convention against Torture", "freedom of expression online and offline",
           "the independence of the judiciary", "a national human rights institution in line with the Paris Principles",
           "violence against women and girls", "the rights of persons with disabilities", "child labour",
           "the registration of non-governmental organizations", "trafficking in persons", "the death penalty",
           "access to education for Roma children", "the rights of migrants and asylum seekers",
           "torture and ill-treatment in places of detention", "media pluralism and journalists' safety",
           "discrimination on the basis of sexual orientation", "the rights of indigenous peoples"]
TAILS = ["", " in law and in practice", ", including by allocating adequate resources",
         " and ensure accountability for past violations", " with the participation of civil society",
         " in line with international standards and recommendations of treaty bodies"]
THEMES = ["Torture", "Freedom of expression", "Women's rights", "Children's rights", "Death penalty",
          "Justice", "Civil society", "Migrants", "Trafficking", "Education", "Health", "Minorities",
          "Disabilities", "Indigenous peoples", "Labour", "Detention", "NHRI", "Elections",
          "Freedom of religion", "Human rights defenders", "Environment", "Poverty", "Racial discrimination",
          "Sexual orientation", "Counter-terrorism", "Freedom of assembly", "Freedom of association",
          "Housing", "Water and sanitation", "International instruments"]
SDGS = [f"{n} - Goal {n}" for n in range(1, 18)]
AFFECTED = ["Women", "Children", "Journalists", "Migrants", "Persons with disabilities", "Minorities",
            "Detainees", "Human rights defenders", "LGBTI persons", "Roma"]


def _chunks(rows: list[dict], size: int = 20_000):
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def _insert(engine: Engine, table, rows: list[dict]) -> None:
    with engine.begin() as conn:
        for chunk in _chunks(rows):
            conn.execute(insert(table.__table__), chunk)


def generate(engine: Engine, total: int, seed: int = 7) -> dict[str, int]:
    """Fill the database; returns counts per table."""
    rnd = random.Random(seed)
    now = datetime.now(UTC)
    states = countries.all_states()[:193]
    _insert(engine, State, [{"iso3": s.iso3, "name": s.name, "un_name": s.un_name, "coe_member": s.coe_member}
                            for s in states])
    codes = [s.iso3 for s in states]
    themes = [("theme", t) for t in THEMES] + [("sdg", t) for t in SDGS] + [("affected", t) for t in AFFECTED]
    _insert(engine, Theme, [{"id": i + 1, "kind": k, "name": n} for i, (k, n) in enumerate(themes)])
    reviews, documents, recs, rs_rows, rt_rows, events, refs, related, changes = ([] for _ in range(9))
    per_state = total // len(codes)
    rid = did = rec_id = 0
    for s in states:
        by_cycle: dict[int, list[int]] = {}
        plan = [(f"{c + 1}", "upr", c + 1, int(per_state * CYCLE_SHARE[c])) for c in range(4)]
        if s.coe_member:
            plan += [("2184-2017", "pace", None, 10), ("47145/14", "coe_exec", None, 3)]
        for ref, mechanism, cycle, n in plan:
            rid += 1
            did += 1
            year = CYCLE_YEAR[(cycle or 3) - 1]
            reviews.append({"id": rid, "mechanism": mechanism, "state": s.iso3, "ref": ref, "cycle": cycle,
                            "session": cycle and 3 + 10 * cycle, "reviewed_on": date(year, 5, 1),
                            "title": f"{mechanism} review {ref} of {s.name}", "is_sample": False})
            symbol = f"A/HRC/{10 + (cycle or 5) * 8}/{rid}"
            documents.append({"id": did, "mechanism": mechanism, "kind": "wg_report" if mechanism == "upr" else
                              ("pace_text" if mechanism == "pace" else "exec_record"), "symbol": symbol,
                              "title": f"Report {symbol}", "state": s.iso3, "review_id": rid,
                              "url": f"https://example.org/{symbol}", "language": "en",
                              "published_on": date(year, 7, 1), "sha256": hashlib.sha256(symbol.encode()).hexdigest(),
                              "content_type": "application/pdf", "size": 100_000, "fetched_at": now,
                              "parser": "bench", "parser_version": "1", "is_sample": False, "cites": []})
            for i in range(n):
                rec_id += 1
                roll = rnd.random()
                position = "supported" if roll < 0.64 else "partially_supported" if roll < 0.70 else \
                    "noted" if roll < 0.95 else "pending"
                impl = "unknown"
                if position != "noted" and cycle and cycle < 4 and rnd.random() < 0.25:
                    impl = rnd.choice(["implemented", "partially_implemented", "not_implemented"])
                text = f"{rnd.choice(VERBS)} {rnd.choice(OBJECTS)}{rnd.choice(TAILS)}"
                para = f"{100 + i // 50}.{i % 50 + 1}"
                recs.append({"id": rec_id, "key": f"{mechanism}/{s.iso3}/{ref}/{para}", "mechanism": mechanism,
                             "state": s.iso3, "review_id": rid, "cycle": cycle, "paragraph": para, "text": text,
                             "text_sha256": hashlib.sha256(text.encode()).hexdigest(), "action_category": None,
                             "position": position, "position_wording": position, "implementation": impl,
                             "first_seen_at": now, "updated_at": now - timedelta(minutes=rec_id % 5000),
                             "source_document_id": did, "is_sample": False, "addressee": None,
                             "context": None, "attributes": {}})
                for j, code in enumerate(rnd.sample(codes, rnd.randint(1, 3)) if mechanism == "upr" else []):
                    rs_rows.append({"recommendation_id": rec_id, "state": code, "name_raw": code, "position": j})
                for t in rnd.sample(range(1, len(themes) + 1), rnd.randint(1, 3)):
                    rt_rows.append({"recommendation_id": rec_id, "theme_id": t, "source": "upr_info"})
                events.append({"recommendation_id": rec_id, "axis": "position", "old": None, "new": position,
                               "wording": position, "effective_on": date(year, 9, 1), "recorded_at": now,
                               "document_id": did, "evidence": f"{symbol} para. {para}", "evidence_url": None,
                               "recorded_by": "bench", "source_kind": "wg_report", "note": None})
                refs.append({"recommendation_id": rec_id, "source": "un_symbol",
                             "external_id": f"{symbol} para. {para}", "url": f"https://example.org/{symbol}"})
                if cycle and cycle > 1 and by_cycle.get(cycle - 1) and rnd.random() < 0.15:
                    for earlier in rnd.sample(by_cycle[cycle - 1], 1):
                        related.append({"recommendation_id": rec_id, "related_id": earlier,
                                        "similarity": round(rnd.uniform(0.25, 0.8), 3)})
                if rnd.random() < 0.02:
                    changes.append({"event_id": f"{rec_id:08d}-0000-4000-8000-000000000000",
                                    "type": "recommendation.position_changed", "state": s.iso3,
                                    "mechanism": mechanism, "recommendation_id": rec_id, "baseline": False,
                                    "payload": {"recommendation": {"id": rec_id, "paragraph": para},
                                                "old": "pending", "new": position}, "created_at": now})
                by_cycle.setdefault(cycle or 0, []).append(rec_id)
    for table, rows in ((Review, reviews), (Document, documents), (Recommendation, recs),
                        (RecommendingState, rs_rows), (RecommendationTheme, rt_rows), (StatusEvent, events),
                        (ExternalRef, refs), (RelatedRecommendation, related), (ChangeEvent, changes)):
        _insert(engine, table, rows)
    runs = [{"source": src, "trigger": "schedule", "started_at": now - timedelta(hours=h),
             "finished_at": now - timedelta(hours=h) + timedelta(minutes=3),
             "outcome": "failed" if src == "pace" and h < 3 else "ok", "fetched": 3, "skipped_unchanged": 1,
             "inserted": 0, "updated": 2, "unchanged": 10, "rejected": 0, "errors": []}
            for src in ("upr-reports", "upr-info", "pace", "coe-exec") for h in range(10, 0, -1)]
    _insert(engine, ScrapeRun, runs)
    return {"recommendations": len(recs), "recommending_state": len(rs_rows), "themes": len(rt_rows),
            "status_events": len(events), "related": len(related), "change_events": len(changes)}


def build_app(engine: Engine, settings: Settings):
    """The production app on this database, with the dashboard installed if main.py does not yet."""
    from sqlmodel import Session

    from service import dashboard
    from service.config import get_settings
    from service.db import get_session
    from service.main import create_app

    app = create_app(engine_provider=lambda: engine, settings=settings)
    if not any(getattr(r, "path", "") == "/recommendations" for r in app.router.routes):
        dashboard.install(app)

    def _session():
        with Session(engine, expire_on_commit=False) as session:
            yield session

    app.dependency_overrides[get_settings] = lambda: settings
    app.dependency_overrides[get_session] = _session
    return app


def serve(engine: Engine, settings: Settings) -> tuple[str, object]:
    import socket

    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(build_app(engine, settings), host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False, lifespan="off"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.02)
    return f"http://127.0.0.1:{port}", server


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def server_times(base: str, paths: dict[str, str], repeat: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    with httpx.Client(base_url=base, timeout=30) as client:
        for name, path in paths.items():
            for _ in range(3):
                assert client.get(path).status_code == 200, path  # warm-up
            samples = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                res = client.get(path)
                samples.append((time.perf_counter() - t0) * 1000)
                assert res.status_code == 200
            out[name] = samples
    return out


def page_loads(base: str, paths: dict[str, str], repeat: int = 10) -> dict[str, list[float]] | None:
    if not CHROMIUM.exists():
        return None
    from playwright.sync_api import sync_playwright

    out: dict[str, list[float]] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        warm = browser.new_context(base_url=base)
        warm.new_page().goto("/")  # the browser's own start-up is not the page's load time
        warm.close()
        for name, path in paths.items():
            samples = []
            for _ in range(repeat):
                context = browser.new_context(base_url=base)
                page = context.new_page()
                page.goto(path, wait_until="load")
                samples.append(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"))
                context.close()
            out[name] = samples
        browser.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recommendations", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--db", type=Path, help="reuse (or keep) this SQLite file")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="recwatch-bench-"))
    db = args.db or root / "bench.sqlite3"
    url = f"sqlite:///{db}"
    engine = make_engine(url)
    if not db.exists() or args.db is None:
        t0 = time.perf_counter()
        migrate.upgrade(url)
        counts = generate(engine, args.recommendations)
        print(f"setup: {counts} in {time.perf_counter() - t0:.1f} s ({db})")
    settings = Settings(data_dir=root / "data", database_url=url, rate_limit_per_minute=0)
    with engine.connect() as conn:
        rec = conn.execute(select(Recommendation.id).where(Recommendation.state == "AZE", Recommendation.cycle == 4)
                           .join(RelatedRecommendation, RelatedRecommendation.recommendation_id == Recommendation.id)
                           .limit(1)).scalar_one()
    targets = {"/states/AZE": "/states/AZE",
               "/recommendations?state=AZE&position=noted": "/recommendations?state=AZE&position=noted",
               "/recommendations/{id}": f"/recommendations/{rec}"}
    extra = {"/ (overview)": "/", "/recommendations (all)": "/recommendations", "/sources": "/sources"}
    base, server = serve(engine, settings)
    try:
        times = server_times(base, targets | extra, args.repeat)
        loads = page_loads(base, targets)
    finally:
        server.should_exit = True
    ok = True
    print(f"\nserver time, ms (HTTP round trip on loopback, n={args.repeat})")
    print(f"{'page':<46}{'p50':>8}{'p95':>8}  target")
    for name, samples in times.items():
        p95 = pct(samples, 0.95)
        target = name in targets
        ok &= not target or p95 < SERVER_TARGET_MS
        verdict = f"< {SERVER_TARGET_MS:.0f} ms {'ok' if p95 < SERVER_TARGET_MS else 'MISSED'}" if target else "-"
        print(f"{name:<46}{statistics.median(samples):>8.1f}{p95:>8.1f}  {verdict}")
    if loads is None:
        print("\nfull page load: skipped (no /usr/bin/chromium)")
    else:
        print("\nfull page load in headless Chromium, ms (fresh context each time, n=10)")
        for name, samples in loads.items():
            p95 = pct(samples, 0.95)
            ok &= p95 < LOAD_TARGET_MS
            print(f"{name:<46}{statistics.median(samples):>8.1f}{p95:>8.1f}  "
                  f"< {LOAD_TARGET_MS:.0f} ms {'ok' if p95 < LOAD_TARGET_MS else 'MISSED'}")
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
