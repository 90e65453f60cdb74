"""Benchmark: webhook fan-out and delivery vs. a raw httpx POST loop, in one run.

    python bench/webhook_fanout.py [--events 10000] [--subscriptions 10] [--concurrency 16]
                                   [--batch 200] [--rounds 3] [--check]

Both phases POST to the same loopback receiver (a small asyncio HTTP server in its own
process, so it does not compete for our GIL) and send the same number of requests:

- raw:      `httpx.AsyncClient`, `--concurrency` requests in flight, bodies built beforehand;
            nothing else. Run twice: one client (one pool of 16 connections, the obvious loop)
            and clients of 4 connections each (what our sender does: httpcore polls every idle
            connection of a pool per request, which is slow here). The ratio is taken against
            the faster of the two.
- recwatch: events written with `ingest.events.emit` into a temporary SQLite database migrated
            by Alembic, `--subscriptions` subscriptions matching all of them, then
            `run_webhooks_forever` (fan-out thread + delivery loop: claims, signing, the SSRF-
            guarded pool, every attempt committed) until the receiver has them all.

Reported: deliveries per second (first request sent to last received) and latency from
"creation" (the event's `created_at`; for raw, the moment its body was built) to receipt, p50
and p95. Both runs start with the whole backlog, so latency mostly measures queueing; the
throughput ratio is the figure to watch (target >= 0.8). The machine may be shared: `--rounds`
alternates the pooled raw loop and recwatch and reports the median ratio. A last run writes
events at a steady `--steady-rate` (one transaction each) while the worker runs, for the
latency a subscriber sees when we keep up. `--check` exits 1 below the target.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import httpx

from service.webhooks.sender import POOL_CONNECTIONS

TARGET_RATIO = 0.8


# --- the receiver (own process) ----------------------------------------------------------------

def _serve(port_out: multiprocessing.connection.Connection) -> None:
    """HTTP/1.1 keep-alive server: records (receipt time, body timestamp) for every POST;
    `GET /stats` returns and clears them."""
    received: list[tuple[float, str]] = []
    ids: set[str] = set()
    duplicates = 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal duplicates
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method = lines[0].split(" ", 1)[0]
                headers = {k.lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:] if x)}
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                if method == "GET" and lines[0].split(" ")[1] == "/count":
                    out = str(len(received)).encode()
                elif method == "GET":
                    out = json.dumps({"received": received, "duplicates": duplicates}).encode()
                    received.clear()
                    ids.clear()
                    duplicates = 0
                else:
                    now = time.time()
                    ts = json.loads(body)["timestamp"]
                    received.append((now, ts))
                    wid = headers.get("webhook-id", "")
                    if wid:
                        duplicates += wid in ids
                        ids.add(wid)
                    out = b"ok"
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: %d\r\n\r\n%s" % (len(out), out))
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
        port_out.send(server.sockets[0].getsockname()[1])
        async with server:
            await server.serve_forever()

    asyncio.run(main())


def start_receiver() -> tuple[multiprocessing.Process, str]:
    parent, child = multiprocessing.Pipe()
    proc = multiprocessing.Process(target=_serve, args=(child,), daemon=True)
    proc.start()
    return proc, f"http://127.0.0.1:{parent.recv()}"


def wait_for(base: str, count: int, timeout: float) -> list[tuple[float, str]]:
    """Wait until the receiver has `count` requests (polling a cheap counter, so the wait
    costs the process under test nothing); returns and clears them."""
    deadline = time.monotonic() + timeout
    with httpx.Client(trust_env=False) as c:
        while (seen := int(c.get(f"{base}/count").text)) < count:
            if time.monotonic() > deadline:
                raise SystemExit(f"only {seen} of {count} requests arrived")
            time.sleep(0.5)
        stats = c.get(f"{base}/stats").json()
    if stats["duplicates"]:
        raise SystemExit(f"{stats['duplicates']} duplicate webhook-ids")
    return [(a, b) for a, b in stats["received"]]


def summarize(name: str, started: float, received: list[tuple[float, str]]) -> dict[str, float]:
    last = max(t for t, _ in received)
    latencies = sorted(t - datetime.fromisoformat(ts).timestamp() for t, ts in received)
    out = {"rate": len(received) / (last - started),
           "p50": statistics.median(latencies),
           "p95": latencies[int(0.95 * (len(latencies) - 1))]}
    print(f"{name:>12}: {len(received):>7} requests  {out['rate']:8.0f}/s  "
          f"latency p50 {out['p50']:6.2f} s  p95 {out['p95']:6.2f} s")
    return out


# --- raw httpx loop ---------------------------------------------------------------------------

def run_raw(base: str, total: int, subscriptions: int, concurrency: int, *, pools: int,
            name: str) -> dict[str, float]:
    def iso(t: float) -> str:
        return datetime.fromtimestamp(t, UTC).isoformat().replace("+00:00", "Z")

    jobs = [(f"{base}/s{i % subscriptions}",
             json.dumps({"type": "recommendation.created", "timestamp": iso(time.time()),
                         "data": {"event_id": str(i), "recommendation": {"id": i, "text": "x" * 200}}},
                        separators=(",", ":")).encode())
            for i in range(total)]

    async def main() -> float:
        queue: asyncio.Queue[tuple[str, bytes]] = asyncio.Queue()
        for job in jobs:
            queue.put_nowait(job)
        size = -(-concurrency // pools)
        limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
        clients = [httpx.AsyncClient(limits=limits, trust_env=False, timeout=10) for _ in range(pools)]

        async def worker(client: httpx.AsyncClient) -> None:
            while not queue.empty():
                url, body = queue.get_nowait()
                r = await client.post(url, content=body, headers={"content-type": "application/json"})
                assert r.status_code == 200

        started = time.time()
        await asyncio.gather(*(worker(clients[i % pools]) for i in range(concurrency)))
        for client in clients:
            await client.aclose()
        return started

    started = asyncio.run(main())
    return summarize(name, started, wait_for(base, total, 300))


# --- recwatch ---------------------------------------------------------------------------------

def _database(base: str, subscriptions: int, concurrency: int, batch: int):  # type: ignore[no-untyped-def]
    """A migrated temporary SQLite database with `subscriptions` catch-all subscriptions."""
    from sqlmodel import Session

    from service import migrate
    from service.config import Settings
    from service.db import make_engine
    from service.webhooks import repository

    tmp = Path(tempfile.mkdtemp(prefix="recwatch-bench-"))
    url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    migrate.upgrade(url)
    settings = Settings(data_dir=tmp, database_url=url, webhook_allowed_hosts="127.0.0.1",
                        webhook_concurrency=concurrency, webhook_batch_size=batch)
    engine = make_engine(url)
    with Session(engine) as s:
        for i in range(subscriptions):
            repository.create_subscription(s, url=f"{base}/s{i}", event_types=["*"], filters={},
                                           created_by="bench")
        s.commit()
    return settings, engine


def _emit(engine, count: int, per_commit: int) -> None:  # type: ignore[no-untyped-def]
    from sqlmodel import Session

    from service.ingest.events import emit

    with Session(engine) as s:
        for i in range(count):
            emit(s, "recommendation.created", state="AZE", mechanism="upr",
                 payload={"recommendation": {"id": i, "text": "x" * 200}})
            if i % per_commit == per_commit - 1:
                s.commit()
        s.commit()


@contextmanager
def _worker(engine, settings, interval: float) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """One `run_webhooks_forever` thread for the body of the `with`; then it is stopped and the
    temporary database removed."""
    from service.webhooks.worker import run_webhooks_forever

    stop = threading.Event()
    worker = threading.Thread(target=run_webhooks_forever, args=(engine, settings, stop),
                              kwargs={"interval": interval}, daemon=True)
    worker.start()
    try:
        yield
    finally:
        stop.set()
        worker.join(timeout=30)
        engine.dispose()
        shutil.rmtree(settings.data_dir, ignore_errors=True)


def run_recwatch(base: str, events: int, subscriptions: int, concurrency: int,
                 batch: int) -> dict[str, float]:
    """The whole backlog written first, then one worker (`run_webhooks_forever`)."""
    settings, engine = _database(base, subscriptions, concurrency, batch)
    _emit(engine, events, 1000)
    started = time.time()
    with _worker(engine, settings, 0.5):
        received = wait_for(base, events * subscriptions, 1800)
    return summarize("recwatch", started, received)


def run_steady(base: str, rate: float, seconds: float, subscriptions: int, concurrency: int,
               batch: int, interval: float) -> dict[str, float]:
    """Events written one per transaction at `rate` per second while the worker runs: the
    latency a subscriber sees when we keep up (polling `interval` included)."""
    settings, engine = _database(base, subscriptions, concurrency, batch)
    with _worker(engine, settings, interval):
        count = int(rate * seconds)
        started = time.time()
        for i in range(count):
            time.sleep(max(0.0, started + i / rate - time.time()))
            _emit(engine, 1, 1)
        received = wait_for(base, count * subscriptions, 120)
    return summarize("steady", started, received)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--subscriptions", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--batch", type=int, default=200, help="webhook_batch_size")
    parser.add_argument("--rounds", type=int, default=1,
                        help="alternate raw and recwatch this many times; medians are reported")
    parser.add_argument("--steady-rate", type=float, default=50.0,
                        help="events per second for the steady-load latency run (0: skip)")
    parser.add_argument("--steady-seconds", type=float, default=20.0)
    parser.add_argument("--interval", type=float, default=0.5, help="worker polling interval")
    parser.add_argument("--check", action="store_true", help="exit 1 below the target ratio")
    args = parser.parse_args()
    receiver, base = start_receiver()
    total = args.events * args.subscriptions
    pools = -(-args.concurrency // POOL_CONNECTIONS)
    print(f"{args.events} events x {args.subscriptions} subscriptions = {total} deliveries, "
          f"concurrency {args.concurrency}, claim batch {args.batch}")
    ratios: list[float] = []
    try:
        naive = run_raw(base, total, args.subscriptions, args.concurrency, pools=1, name="raw/1 pool")
        for _ in range(args.rounds):
            pooled = run_raw(base, total, args.subscriptions, args.concurrency, pools=pools,
                             name=f"raw/{pools} pools")
            ours = run_recwatch(base, args.events, args.subscriptions, args.concurrency, args.batch)
            ratios.append(ours["rate"] / max(naive["rate"], pooled["rate"]))
            print(f"    ratio: {ratios[-1]:.2f}x the best raw loop; "
                  f"{ours['rate'] / naive['rate']:.2f}x the one-pool loop")
        if args.steady_rate > 0:
            print(f"steady load: {args.steady_rate:g} events/s x {args.subscriptions} subscriptions "
                  f"for {args.steady_seconds:g} s, worker polling every {args.interval:g} s")
            run_steady(base, args.steady_rate, args.steady_seconds, args.subscriptions,
                       args.concurrency, args.batch, args.interval)
    finally:
        receiver.terminate()
    ratio = statistics.median(ratios)
    print(f"median ratio over {len(ratios)} round(s): {ratio:.2f}x the best raw loop's deliveries "
          f"per second (target >= {TARGET_RATIO})")
    return 1 if args.check and ratio < TARGET_RATIO else 0


if __name__ == "__main__":
    sys.exit(main())
