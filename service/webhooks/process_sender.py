"""The sender in a child process, for the dedicated delivery loop (`run_webhooks_forever`).

Why: sending (httpx) and bookkeeping (SQLAlchemy) are both CPU-bound Python; in one process
they take turns on one GIL. With the sender in its own process each gets a core: ~1.2x the
deliveries per second on two cores (bench/webhook_fanout.py), when the cores are free.

The child runs the ordinary `Sender` (same SSRF guard, pools and deadlines), all on its event
loop thread; requests and outcomes cross two pipes in batches. If the parent dies (SIGKILL
included) the child sees its pipe close, abandons what it has not sent and exits, so nothing
is sent for a lease nobody holds. If the child dies, every outstanding request is reported as
a failed attempt (it may have arrived), so the caller retries it on the schedule instead of
waiting for ever, and the worker starts a new child.
"""

from __future__ import annotations

import itertools
import multiprocessing
import threading
from multiprocessing.connection import Connection
from typing import Any, Self

from service.config import Settings
from service.webhooks.sender import Inbox, K, Outcome, Outgoing, Sender

# A request outstanding when the child died may have reached the receiver: it counts as a
# failed attempt (retried on the schedule, with the same webhook-id), never as "not sent".
STOPPED = Outcome(None, 0, error="the sender process stopped; the request may or may not "
                  "have arrived")


class _PipeInbox(Inbox[int]):
    """In the child: outcomes go straight down the pipe from the loop (no extra thread)."""

    def __init__(self, outcomes: Connection) -> None:
        super().__init__()
        self._outcomes = outcomes

    def deliver(self, batch: list[tuple[int, Outcome]]) -> None:
        if batch:
            try:
                self._outcomes.send(batch)
            except OSError:
                pass  # the parent is gone: the request pipe says so too, and we stop


def _child(settings: Settings, requests: Connection, outcomes: Connection) -> None:
    """Child process: send what arrives on `requests`, answer on `outcomes`, until EOF."""
    inbox = _PipeInbox(outcomes)
    parent_gone = threading.Event()
    with Sender(settings) as sender:
        def readable() -> None:
            try:
                while requests.poll():
                    items, start_by = requests.recv()
                    sender.dispatch(items, inbox, start_by=start_by)
            except (EOFError, OSError):
                sender.loop.remove_reader(requests.fileno())
                parent_gone.set()

        sender.loop.call_soon_threadsafe(sender.loop.add_reader, requests.fileno(), readable)
        outcomes.send("ready")
        parent_gone.wait()
    # Leaving the block closes the sender: whatever was not sent yet is abandoned.


class ProcessSender:
    """`Sender.dispatch`, with the sending done in a child process (spawned, not forked: the
    parent has threads and database connections)."""

    def __init__(self, settings: Settings) -> None:
        self.timeout = settings.webhook_timeout
        self.concurrency = max(1, settings.webhook_concurrency)
        ctx = multiprocessing.get_context("spawn")
        child_requests, self._requests = ctx.Pipe(duplex=False)
        self._outcomes, child_outcomes = ctx.Pipe(duplex=False)
        self._process = ctx.Process(target=_child, args=(settings, child_requests, child_outcomes),
                                    name="webhook-sender", daemon=True)
        self._process.start()
        child_requests.close()
        child_outcomes.close()
        if not self._outcomes.poll(60) or self._outcomes.recv() != "ready":
            self._process.terminate()
            raise RuntimeError("the webhook sender process did not start")
        self._ids = itertools.count()
        self._routes: dict[int, tuple[Inbox[Any], Any]] = {}
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, name="webhook-outcomes", daemon=True)
        self._reader.start()

    @property
    def alive(self) -> bool:
        """False once the child has gone: the worker then starts a new one."""
        return self._process.is_alive() and self._reader.is_alive()

    def dispatch(self, items: list[tuple[K, Outgoing]], inbox: Inbox[K], *,
                 start_by: float | None = None) -> None:
        """As `Sender.dispatch` (`start_by` is `time.monotonic()`, the same in every process)."""
        if not items:
            return
        with self._lock:
            numbered = []
            for key, out in items:
                n = next(self._ids)
                self._routes[n] = (inbox, key)
                numbered.append((n, out))
            try:
                self._requests.send((numbered, start_by))
            except OSError:
                pass  # the child is gone: _read reports everything outstanding

    def _read(self) -> None:
        try:
            while True:
                self._route(self._outcomes.recv())
        except (EOFError, OSError):
            with self._lock:
                left = [(n, STOPPED) for n in self._routes]
            self._route(left)

    def _route(self, batch: list[tuple[int, Outcome]]) -> None:
        by_inbox: dict[int, tuple[Inbox[Any], list[tuple[Any, Outcome]]]] = {}
        with self._lock:
            for n, outcome in batch:
                route = self._routes.pop(n, None)
                if route is not None:
                    by_inbox.setdefault(id(route[0]), (route[0], []))[1].append((route[1], outcome))
        for inbox, outcomes in by_inbox.values():
            inbox.deliver(outcomes)

    def close(self) -> None:
        """Stop the child; call it when nothing is outstanding (it abandons what is)."""
        with self._lock:
            self._requests.close()
        self._process.join(timeout=self.timeout + 5)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout=5)
        self._reader.join(timeout=5)
        self._outcomes.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
