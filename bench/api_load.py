"""API load benchmark: recwatch and Datasette serving the same data, 16 concurrent async httpx
clients, a warm-up, then a fixed duration per request kind; p50/p95/p99 and requests/s.

Targets (issue 10): p95 < 20 ms for filtered lists and details at 200k rows; throughput ≥ 2×
Datasette's on the equivalent queries.

    python bench/dataset.py --count 200000 --out /tmp/recwatch-200k.sqlite3
    python bench/api_load.py --database /tmp/recwatch-200k.sqlite3 [--duration 10]

With `--database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres` recwatch serves a
fresh PostgreSQL database (created, filled with a copy of the SQLite file, dropped at the end);
Datasette only serves SQLite, so it still serves the SQLite file.

Besides latency, each line gives the CPU time per request of the server (all its processes) and
of this load generator: on a small machine both share the same cores, so a client that costs as
much as the server halves what the server can do, for both servers alike.
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CLIENTS = 16
KINDS = ("filtered list", "detail", "full-text search", "state page")
WORDS = ["freedom", "torture", "education", "journalists", "trafficking"]


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and all its descendants (Linux /proc), in seconds."""
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


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
    return {"ids": ids, "states": states, "words": WORDS}


def recwatch_requests(data: dict, rng: random.Random) -> dict[str, str]:
    state = rng.choice(data["states"])
    return {
        "filtered list": f"/api/v1/recommendations?state={state}&position=noted&limit=50",
        "detail": f"/api/v1/recommendations/{rng.choice(data['ids'])}",
        "full-text search": f"/api/v1/recommendations?q={rng.choice(data['words'])}&limit=50",
        "state page": f"/api/v1/states/{state}",
    }


def datasette_requests(data: dict, rng: random.Random, db: str) -> dict[str, str]:
    """The same rows and total as recwatch's answers. `_nosuggest=1`: recwatch does not suggest
    facets, so Datasette is not asked to either (it would run a query per column). `_fts_table`:
    Datasette does not detect an FTS5 table declared with content='...' in single quotes, and
    without it ignores `_search` (it would list the whole table)."""
    state = rng.choice(data["states"])
    return {
        "filtered list": f"/{db}/recommendation.json?state={state}&position=noted&_size=50&_shape=objects"
                         "&_nosuggest=1",
        "detail": f"/{db}/recommendation/{rng.choice(data['ids'])}.json?_shape=objects",
        "full-text search": f"/{db}/recommendation.json?_search={rng.choice(data['words'])}&_size=50"
                            "&_shape=objects&_nosuggest=1&_fts_table=recommendation_fts&_fts_pk=id",
    }


async def run_kind(base: str, make, kind: str, warmup: float, duration: float, server_pid: int) -> dict:
    """16 clients, each its own httpx.AsyncClient with one keep-alive connection. One shared
    client with 16 connections costs several times the CPU per request: httpcore's pool checks
    every connection (a poll() and a getpeername() each) on every request, and on a small
    machine that load generator then took the CPU the servers were being measured on."""
    latencies: list[float] = []
    errors = 0
    rng = random.Random(11)
    clients = [httpx.AsyncClient(base_url=base, timeout=30, limits=httpx.Limits(max_connections=1))
               for _ in range(CLIENTS)]

    async def worker(client: httpx.AsyncClient, stop_at: float, record: bool) -> None:
        nonlocal errors
        while time.perf_counter() < stop_at:
            url = make(rng)[kind]
            t0 = time.perf_counter()
            res = await client.get(url)
            if record:
                latencies.append((time.perf_counter() - t0) * 1000)
                errors += res.status_code >= 400

    try:
        await asyncio.gather(*(worker(c, time.perf_counter() + warmup, False) for c in clients))
        server_cpu, client_cpu = cpu_seconds(server_pid), time.process_time()
        t0 = time.perf_counter()
        await asyncio.gather(*(worker(c, t0 + duration, True) for c in clients))
        elapsed = time.perf_counter() - t0
        server_cpu, client_cpu = cpu_seconds(server_pid) - server_cpu, time.process_time() - client_cpu
    finally:
        for client in clients:
            await client.aclose()
    latencies.sort()
    n = max(len(latencies), 1)
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 2 else [0] * 99
    return {"n": len(latencies), "rps": len(latencies) / elapsed, "p50": q[49], "p95": q[94], "p99": q[98],
            "errors": errors, "server_ms": server_cpu * 1000 / n, "client_ms": client_cpu * 1000 / n}


def report(name: str, kind: str, r: dict) -> None:
    print(f"{name:10} {kind:17} {r['rps']:8.1f} req/s  p50 {r['p50']:6.1f} ms  p95 {r['p95']:6.1f} ms  "
          f"p99 {r['p99']:6.1f} ms  ({r['n']} requests, {r['errors']} errors; CPU per request: "
          f"server {r['server_ms']:.2f} ms, client {r['client_ms']:.2f} ms)", flush=True)


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def pg_database(server_url: str, sqlite_file: Path):
    """A context manager: a fresh PostgreSQL database holding a copy of `sqlite_file`."""
    from bench.dataset import temporary_pg_database
    return temporary_pg_database(server_url, sqlite_file)


def serve_and_measure(args: argparse.Namespace, recwatch_url: str, data: dict) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECWATCH_")} | {
        "RECWATCH_DATABASE_URL": recwatch_url, "RECWATCH_RATE_LIMIT_PER_MINUTE": "0",
        "RECWATCH_DATA_DIR": str(args.database.parent)}
    ours, theirs = free_port(), free_port()
    rec = start([sys.executable, "-m", "service", "web", "--port", str(ours), "--workers", str(args.workers)],
                env, f"http://127.0.0.1:{ours}/healthz")
    ds = None
    if shutil.which("datasette") and not args.no_datasette:
        ds = start(["datasette", "serve", str(args.database), "-p", str(theirs), "--setting", "num_sql_threads",
                    str(args.datasette_threads)], env, f"http://127.0.0.1:{theirs}/-/versions.json")
    results: dict[tuple[str, str], dict] = {}
    try:
        for kind in args.kinds:
            results[("recwatch", kind)] = asyncio.run(run_kind(
                f"http://127.0.0.1:{ours}", lambda rng: recwatch_requests(data, rng), kind, args.warmup,
                args.duration, rec.pid))
            report("recwatch", kind, results[("recwatch", kind)])
            if ds is not None and kind != "state page":
                results[("datasette", kind)] = asyncio.run(run_kind(
                    f"http://127.0.0.1:{theirs}", lambda rng: datasette_requests(data, rng, args.database.stem),
                    kind, args.warmup, args.duration, ds.pid))
                report("datasette", kind, results[("datasette", kind)])
    finally:
        for proc in (rec, ds):
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", type=Path, required=True, help="the SQLite file (bench/dataset.py)")
    parser.add_argument("--database-url", help="serve recwatch from a fresh PostgreSQL database on this "
                        "server instead (a copy of --database; Datasette still serves the SQLite file)")
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--workers", type=int, default=2, help="recwatch web worker processes")
    parser.add_argument("--datasette-threads", type=int, default=3,
                        help="Datasette's num_sql_threads (its default, 3: measured with 16 it spent twice "
                             "the CPU per filtered list, its threads contending for the GIL)")
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS), metavar="KIND",
                        help=f"request kinds to measure: {', '.join(repr(k) for k in KINDS)}")
    parser.add_argument("--no-datasette", action="store_true", help="measure recwatch only")
    args = parser.parse_args()
    data = sample(args.database)
    print(f"load average before: {load_average()}  ({os.cpu_count()} CPUs)", flush=True)
    if args.database_url:
        with pg_database(args.database_url, args.database) as url:
            print(f"recwatch on {url.split('@')[-1]}; Datasette on {args.database}", flush=True)
            results = serve_and_measure(args, url, data)
    else:
        results = serve_and_measure(args, f"sqlite:///{args.database}", data)
    print(f"\nload average after: {load_average()}")
    for kind in args.kinds:
        if ("datasette", kind) in results:
            ratio = results[("recwatch", kind)]["rps"] / results[("datasette", kind)]["rps"]
            print(f"{kind:17} throughput recwatch / datasette: {ratio:.2f}x (target >= 2x); "
                  f"recwatch p95 {results[('recwatch', kind)]['p95']:.1f} ms (target < 20 ms)")


if __name__ == "__main__":
    main()
