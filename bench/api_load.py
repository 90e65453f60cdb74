"""API load benchmark: recwatch and Datasette serving the same SQLite database, 16 concurrent
clients, a warm-up, then a fixed duration per request kind; p50/p95/p99 and requests/s.

Targets (issue 10): p95 < 20 ms for filtered lists and details at 200k rows; throughput ≥ 2×
Datasette's on the equivalent queries.

    python bench/dataset.py --count 200000 --out /tmp/recwatch-200k.sqlite3
    python bench/api_load.py --database /tmp/recwatch-200k.sqlite3 [--duration 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

CLIENTS = 16


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(cmd: list[str], env: dict[str, str], probe: str) -> subprocess.Popen:
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(probe, timeout=2).status_code < 500:
                return proc
        except httpx.TransportError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit(f"server did not start: {' '.join(cmd)}")


def sample(db: Path) -> dict[str, list]:
    conn = sqlite3.connect(db)
    ids = [r[0] for r in conn.execute("SELECT id FROM recommendation ORDER BY random() LIMIT 500")]
    states = [r[0] for r in conn.execute("SELECT DISTINCT state FROM recommendation WHERE mechanism='upr' LIMIT 100")]
    conn.close()
    return {"ids": ids, "states": states, "words": ["freedom", "torture", "education", "journalists", "trafficking"]}


def recwatch_requests(data: dict, rng: random.Random) -> dict[str, str]:
    state = rng.choice(data["states"])
    return {
        "filtered list": f"/api/v1/recommendations?state={state}&position=noted&limit=50",
        "detail": f"/api/v1/recommendations/{rng.choice(data['ids'])}",
        "full-text search": f"/api/v1/recommendations?q={rng.choice(data['words'])}&limit=50",
        "state page": f"/api/v1/states/{state}",
    }


def datasette_requests(data: dict, rng: random.Random, db: str) -> dict[str, str]:
    state = rng.choice(data["states"])
    return {
        "filtered list": f"/{db}/recommendation.json?state={state}&position=noted&_size=50&_shape=objects",
        "detail": f"/{db}/recommendation/{rng.choice(data['ids'])}.json?_shape=objects",
        "full-text search": f"/{db}/recommendation.json?_search={rng.choice(data['words'])}&_size=50&_shape=objects",
    }


async def run_kind(base: str, make, kind: str, warmup: float, duration: float) -> dict:
    latencies: list[float] = []
    errors = 0
    rng = random.Random(11)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=httpx.Limits(max_connections=CLIENTS)) as client:
        async def worker(stop_at: float, record: bool) -> None:
            nonlocal errors
            while time.perf_counter() < stop_at:
                url = make(rng)[kind]
                t0 = time.perf_counter()
                res = await client.get(url)
                if record:
                    latencies.append((time.perf_counter() - t0) * 1000)
                    errors += res.status_code >= 400
        await asyncio.gather(*(worker(time.perf_counter() + warmup, False) for _ in range(CLIENTS)))
        t0 = time.perf_counter()
        await asyncio.gather(*(worker(t0 + duration, True) for _ in range(CLIENTS)))
        elapsed = time.perf_counter() - t0
    latencies.sort()
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 2 else [0] * 99
    return {"n": len(latencies), "rps": len(latencies) / elapsed, "p50": q[49], "p95": q[94], "p99": q[98],
            "errors": errors}


def report(name: str, kind: str, r: dict) -> None:
    print(f"{name:10} {kind:17} {r['rps']:8.1f} req/s  p50 {r['p50']:6.1f} ms  p95 {r['p95']:6.1f} ms  "
          f"p99 {r['p99']:6.1f} ms  ({r['n']} requests, {r['errors']} errors)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", type=Path, required=True)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--workers", type=int, default=2, help="recwatch web worker processes")
    args = parser.parse_args()
    data = sample(args.database)
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECWATCH_")} | {
        "RECWATCH_DATABASE_URL": f"sqlite:///{args.database}", "RECWATCH_RATE_LIMIT_PER_MINUTE": "0",
        "RECWATCH_DATA_DIR": str(args.database.parent)}
    ours, theirs = free_port(), free_port()
    rec = start([sys.executable, "-m", "service", "web", "--port", str(ours), "--workers", str(args.workers)],
                env, f"http://127.0.0.1:{ours}/healthz")
    ds = None
    if shutil.which("datasette"):
        ds = start(["datasette", "serve", str(args.database), "-p", str(theirs), "--setting", "num_sql_threads",
                    str(CLIENTS)], env, f"http://127.0.0.1:{theirs}/-/versions.json")
    results: dict[tuple[str, str], dict] = {}
    try:
        for kind in ("filtered list", "detail", "full-text search", "state page"):
            results[("recwatch", kind)] = asyncio.run(run_kind(
                f"http://127.0.0.1:{ours}", lambda rng: recwatch_requests(data, rng), kind, args.warmup, args.duration))
            report("recwatch", kind, results[("recwatch", kind)])
            if ds is not None and kind != "state page":
                results[("datasette", kind)] = asyncio.run(run_kind(
                    f"http://127.0.0.1:{theirs}", lambda rng: datasette_requests(data, rng, args.database.stem),
                    kind, args.warmup, args.duration))
                report("datasette", kind, results[("datasette", kind)])
    finally:
        for proc in (rec, ds):
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)
    print()
    for kind in ("filtered list", "detail", "full-text search"):
        if ("datasette", kind) in results:
            ratio = results[("recwatch", kind)]["rps"] / results[("datasette", kind)]["rps"]
            print(f"{kind:17} throughput recwatch / datasette: {ratio:.2f}x (target >= 2x); "
                  f"recwatch p95 {results[('recwatch', kind)]['p95']:.1f} ms (target < 20 ms)")


if __name__ == "__main__":
    main()
