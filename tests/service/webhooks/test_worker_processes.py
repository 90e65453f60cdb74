"""Worker processes: a worker killed mid-send loses nothing, and two workers never send the
same attempt twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.service.webhooks.conftest import add_event, deliveries, subscribe
from tests.service.webhooks.receiver import Reply

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def workers(settings) -> Iterator:  # type: ignore[no-untyped-def]
    started: list[subprocess.Popen] = []

    def start(name: str = "a", **env: str) -> subprocess.Popen:
        environ = {**os.environ, "RECWATCH_DATABASE_URL": settings.effective_database_url,
                   "RECWATCH_DATA_DIR": str(settings.data_dir),
                   "RECWATCH_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
                   "RECWATCH_CONTACT_URL": f"worker-{name}", **env}
        proc = subprocess.Popen([sys.executable, "-m", "tests.service.webhooks.worker_main"],
                                cwd=REPO, env=environ)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in started:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def _wait_until(check, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.1)


@pytest.mark.parametrize("sender", ["process", "thread"])
def test_a_worker_killed_mid_delivery_loses_nothing(engine, receiver, workers, sender):
    sub_id, secret = subscribe(engine, receiver.url())
    receiver.secrets = [secret]
    hold = threading.Event()
    receiver.script = lambda req, seen: Reply(hold=hold) if seen == 0 else Reply()
    add_event(engine, payload={"n": 1})
    try:
        first = workers("first", RECWATCH_WEBHOOK_TIMEOUT="1.5", RECWATCH_WEBHOOK_BATCH_SIZE="2",
                        RECWATCH_WEBHOOK_CONCURRENCY="2", WORKER_SENDER=sender)
        receiver.wait_for(1, timeout=30)
        os.kill(first.pid, signal.SIGKILL)  # mid-send: the receiver still holds the request
        first.wait(timeout=10)
        (d,) = deliveries(engine, sub_id)
        assert d.status == "pending" and d.locked_until is not None
        workers("second", RECWATCH_WEBHOOK_TIMEOUT="1.5", RECWATCH_WEBHOOK_BATCH_SIZE="2",
                RECWATCH_WEBHOOK_CONCURRENCY="2", WORKER_SENDER=sender)
        receiver.wait_for(2, timeout=30)  # after the dead worker's lease expires
        _wait_until(lambda: deliveries(engine, sub_id)[0].status == "succeeded")
    finally:
        hold.set()
    time.sleep(1)
    killed, retried = receiver.requests
    assert killed.webhook_id == retried.webhook_id == d.webhook_id
    assert (killed.attempt, retried.attempt) == (1, 2)
    assert killed.headers["user-agent"].endswith("(+worker-first)")
    assert retried.headers["user-agent"].endswith("(+worker-second)")
    assert len(receiver.requests) == 2


def test_two_workers_never_send_the_same_attempt_twice(engine, receiver, workers):
    subs = [subscribe(engine, receiver.url(f"/hook/{i}")) for i in range(2)]
    receiver.secrets = [secret for _, secret in subs]
    # Every fourth webhook fails once (a retry after ~5 s); all answers take a little while so
    # that the two workers overlap.
    receiver.script = lambda req, seen: Reply(500, delay=0.01) \
        if seen == 0 and int(req.webhook_id[-1], 16) % 4 == 0 else Reply(delay=0.01)
    for n in range(150):
        add_event(engine, payload={"n": n})
    env = {"RECWATCH_WEBHOOK_BATCH_SIZE": "10", "RECWATCH_WEBHOOK_CONCURRENCY": "4"}
    workers("a", **env)
    workers("b", **env)
    _wait_until(lambda: all(d.status == "succeeded" for d in deliveries(engine)) and
                len(deliveries(engine)) == 300, timeout=60)
    time.sleep(1)
    rows = deliveries(engine)
    assert max(receiver.per_attempt().values()) == 1  # no (webhook-id, attempt) twice
    per_id = receiver.per_id()
    assert set(per_id) == {d.webhook_id for d in rows}
    assert all(per_id[d.webhook_id] == d.attempts for d in rows)
    assert any(d.attempts == 2 for d in rows)
    by_worker = Counter(r.headers["user-agent"].rsplit("+", 1)[1] for r in receiver.requests)
    assert set(by_worker) == {"worker-a)", "worker-b)"}, by_worker  # both took part


def _children(pid: int) -> set[int]:
    """Child processes of `pid`, from every thread's /proc children list."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            pass
    return found


def test_the_recwatch_worker_command_delivers_and_stops_cleanly(engine, settings, receiver):
    """`recwatch worker` runs the delivery loop the benchmark measures: a verified delivery,
    then SIGTERM ends the worker and its sender process."""
    sub_id, secret = subscribe(engine, receiver.url())
    receiver.secrets = [secret]
    add_event(engine, payload={"n": 1})
    environ = {**os.environ, "RECWATCH_DATABASE_URL": settings.effective_database_url,
               "RECWATCH_DATA_DIR": str(settings.data_dir), "RECWATCH_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
               "RECWATCH_WEBHOOK_INTERVAL_SECONDS": "0.2", "RECWATCH_WORKER_POLL_SECONDS": "0.5"}
    proc = subprocess.Popen([sys.executable, "-m", "service", "worker"], cwd=REPO, env=environ)
    try:
        (received,) = receiver.wait_for(1, timeout=60)
        assert received.verified_with == [secret]
        _wait_until(lambda: deliveries(engine, sub_id)[0].status == "succeeded")
        senders = _children(proc.pid)
        assert senders, "the sender runs in a child process"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
        _wait_until(lambda: not any(Path(f"/proc/{pid}").exists() for pid in senders), timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert len(receiver.requests) == 1
