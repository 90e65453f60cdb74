"""Sending: shared async HTTP clients on a background event loop, guarded against SSRF.

Why async on its own thread: the database side stays simple synchronous SQLAlchemy, while the
sends run concurrently on shared connection pools with a hard deadline each (`asyncio.timeout`
bounds the whole exchange; httpx's own timeouts are per read, so a receiver dripping one byte
every 9 s could otherwise hold a delivery past its lease).

Why a custom network backend: the transport resolves the host itself, vets every address with
`ssrf.vet_host`, and connects to a vetted address, so a DNS answer that changes between the
check and the connection cannot reach a private address. TLS still verifies the original host
name (httpcore passes the URL's host as SNI and for certificate checks).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import math
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from queue import Empty, SimpleQueue
from typing import Generic, Protocol, Self, TypeVar

import anyio.to_thread
import httpcore
import httpx

from service.config import Settings
from service.webhooks.ssrf import AddressRefused, vet_host

POOL_CONNECTIONS = 4
COALESCE_SECONDS = 0.005
K = TypeVar("K")
MAX_RESPONSE_BYTES = 64 * 1024  # read this much (keeps the connection reusable), keep 2000 chars
EXCERPT_CHARS = 2000


@dataclass(frozen=True)
class Outgoing:
    """One request, exactly as it will be sent (the body is what was signed)."""

    url: str
    body: bytes
    headers: dict[str, str]


@dataclass(frozen=True)
class Outcome:
    """What happened to one request; `sent` is False when it was not attempted at all."""

    http_status: int | None
    duration_ms: int
    error: str | None = None
    response_excerpt: str | None = None
    retry_after: str | None = None
    sent: bool = True

    @property
    def ok(self) -> bool:
        return self.sent and self.error is None and self.http_status is not None \
            and 200 <= self.http_status < 300


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Connects only to addresses that pass the SSRF guard, resolved at connect time."""

    def __init__(self, allowed: Iterable[str]) -> None:
        self._allowed = tuple(allowed)
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
                          ) -> httpcore.AsyncNetworkStream:
        addresses = await anyio.to_thread.run_sync(vet_host, host, port, self._allowed)
        error: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(str(address), port, timeout=timeout,
                                                      local_address=local_address,
                                                      socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None
        raise error

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
                                  ) -> httpcore.AsyncNetworkStream:
        raise AddressRefused("webhooks cannot use unix sockets")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with its connection pool built on `GuardedBackend`, never a proxy."""

    def __init__(self, allowed: Iterable[str], *, max_connections: int) -> None:
        super().__init__(trust_env=False)
        # httpx has no public knob for the network backend; the pool is what it delegates to.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=max_connections, max_keepalive_connections=max_connections,
            keepalive_expiry=30.0, network_backend=GuardedBackend(allowed))


def _describe(exc: Exception, timeout: float) -> str:
    if isinstance(exc, AddressRefused):
        return f"refused: {exc}"
    if isinstance(exc, (TimeoutError, httpx.TimeoutException)):
        return f"no complete answer within {timeout:g} s"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _error_for(response: httpx.Response) -> str | None:
    status = response.status_code
    if 200 <= status < 300:
        return None
    if 300 <= status < 400:
        where = response.headers.get("location", "?")
        return f"HTTP {status} redirect to {where} not followed: give the final URL instead"
    return f"HTTP {status}"


class Inbox(Generic[K]):
    """Outcomes handed from the sender's event loop to a waiting thread a few at a time:
    waking a thread (and passing the GIL) for every response costs about as much as the
    response itself; grouping them over `COALESCE_SECONDS` does not."""

    def __init__(self) -> None:
        self._queue: SimpleQueue[list[tuple[K, Outcome]]] = SimpleQueue()
        self._buffer: list[tuple[K, Outcome]] = []

    def _put(self, loop: asyncio.AbstractEventLoop, item: tuple[K, Outcome]) -> None:
        if not self._buffer:  # runs on the loop's thread only
            loop.call_later(COALESCE_SECONDS, self._flush)
        self._buffer.append(item)

    def _flush(self) -> None:
        batch, self._buffer = self._buffer, []
        self.deliver(batch)

    def deliver(self, batch: list[tuple[K, Outcome]]) -> None:
        """Hand a group of outcomes to the waiting thread (from any thread; [] just wakes it)."""
        self._queue.put(batch)

    def get(self, timeout: float | None) -> list[tuple[K, Outcome]]:
        """What has come in: waits up to `timeout` (None: for ever) for the first group."""
        out: list[tuple[K, Outcome]] = []
        try:
            out.extend(self._queue.get(timeout=timeout))
            while True:
                out.extend(self._queue.get_nowait())
        except Empty:
            return out


Done = Callable[[Outcome], None]


class Dispatcher(Protocol):
    """What `deliver_due` needs from a sender: in this process (`Sender`) or in a child
    process (`process_sender.ProcessSender`)."""

    timeout: float
    concurrency: int

    @property
    def alive(self) -> bool: ...

    def dispatch(self, items: list[tuple[K, Outgoing]], inbox: Inbox[K], *,
                 start_by: float | None = None) -> None: ...

    def close(self) -> None: ...


class Sender:
    """Sends webhooks concurrently (at most `webhook_concurrency` at a time) from any thread.

    `webhook_concurrency` long-lived worker coroutines take requests from one queue (a task
    per request waiting on a semaphore costs ~25 % more CPU per request). Workers are spread
    over several small connection pools (`POOL_CONNECTIONS` each) rather than one big one:
    httpcore checks every idle connection of a pool for each request it assigns, which costs a
    poll() per connection — 4x the throughput at 16 connections (bench/webhook_fanout.py).
    """

    def __init__(self, settings: Settings, *,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.timeout = settings.webhook_timeout
        self.concurrency = max(1, settings.webhook_concurrency)
        self._allowed = settings.webhook_allowed
        self._transport = transport
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="webhook-sender",
                                        daemon=True)
        self._thread.start()
        self._closed = False
        self._pools: list[httpx.AsyncClient] = []
        self._workers: list[asyncio.Task[None]] = []
        self._queue: asyncio.Queue[tuple[Outgoing, float | None, Done]] = self._run(self._setup())
        self._closed = False

    async def _setup(self) -> asyncio.Queue[tuple[Outgoing, float | None, Done]]:
        pools = 1 if self._transport else math.ceil(self.concurrency / POOL_CONNECTIONS)
        size = math.ceil(self.concurrency / pools)
        for _ in range(pools):
            transport = self._transport or GuardedTransport(self._allowed, max_connections=size)
            self._pools.append(httpx.AsyncClient(transport=transport, follow_redirects=False,
                                                 trust_env=False, timeout=httpx.Timeout(self.timeout)))
        queue: asyncio.Queue[tuple[Outgoing, float | None, Done]] = asyncio.Queue()
        self._workers = [asyncio.create_task(self._work(queue, self._pools[i % pools]))
                         for i in range(self.concurrency)]
        return queue

    async def _work(self, queue: asyncio.Queue[tuple[Outgoing, float | None, Done]],
                    client: httpx.AsyncClient) -> None:
        while True:
            out, start_by, done = await queue.get()
            started = time.monotonic()
            if start_by is not None and started > start_by:
                done(Outcome(None, 0, error="not sent: the lease would expire first", sent=False))
            else:
                done(await self._exchange(client, out, started))

    @property
    def alive(self) -> bool:
        """False once closed (or if the loop thread died): dispatch would go nowhere."""
        return not self._closed and self._thread.is_alive()

    def _run(self, coro):  # type: ignore[no-untyped-def]
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result()

    def _enqueue(self, items: list[tuple[Outgoing, float | None, Done]]) -> None:
        for item in items:
            self._queue.put_nowait(item)

    def submit(self, out: Outgoing, *, start_by: float | None = None
               ) -> concurrent.futures.Future[Outcome]:
        """Queue a send; it is skipped (`sent=False`) if it cannot start before `start_by`
        (a `time.monotonic()` value: the caller's lease must outlive the request)."""
        future: concurrent.futures.Future[Outcome] = concurrent.futures.Future()
        self._loop.call_soon_threadsafe(self._enqueue, [(out, start_by, future.set_result)])
        return future

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """The sending loop, for a caller that feeds it from the loop itself (process_sender)."""
        return self._loop

    def dispatch(self, items: list[tuple[K, Outgoing]], inbox: Inbox[K], *,
                 start_by: float | None = None) -> None:
        """Queue many sends at once (one wake-up of the loop); outcomes arrive in `inbox`
        with their keys. `start_by` as for `submit`. Callable from any thread."""
        if not items:
            return
        queued = [(out, start_by, functools.partial(self._to_inbox, inbox, key)) for key, out in items]
        if threading.get_ident() == self._thread.ident:
            self._enqueue(queued)
        else:
            self._loop.call_soon_threadsafe(self._enqueue, queued)

    def _to_inbox(self, inbox: Inbox[K], key: K, outcome: Outcome) -> None:
        inbox._put(self._loop, (key, outcome))

    def send(self, out: Outgoing) -> Outcome:
        """Send one request and wait for the outcome."""
        return self.submit(out).result()

    async def _exchange(self, client: httpx.AsyncClient, out: Outgoing, started: float) -> Outcome:
        """One POST under a hard deadline; every failure becomes the outcome's error.

        The URL's scheme and host were checked at subscription time, and the transport checks
        the addresses again when it connects: nothing to re-parse here."""
        received = bytearray()
        try:
            async with asyncio.timeout(self.timeout):
                request = client.build_request("POST", out.url, content=out.body, headers=out.headers)
                response = await client.send(request, stream=True)
                try:
                    async for chunk in response.aiter_raw():
                        received += chunk
                        if len(received) >= MAX_RESPONSE_BYTES:
                            break
                finally:
                    await response.aclose()
        except Exception as exc:  # noqa: BLE001 - every failure is recorded on the attempt
            return Outcome(None, int((time.monotonic() - started) * 1000),
                           error=_describe(exc, self.timeout))
        excerpt = bytes(received[:EXCERPT_CHARS * 4]).decode("utf-8", "replace")[:EXCERPT_CHARS]
        return Outcome(response.status_code, int((time.monotonic() - started) * 1000),
                       error=_error_for(response), response_excerpt=excerpt or None,
                       retry_after=response.headers.get("retry-after"))

    def close(self) -> None:
        """Close the connections and stop the loop thread."""
        if self._closed:
            return
        self._closed = True
        try:
            self._run(self._shutdown())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)
            self._loop.close()

    async def _shutdown(self) -> None:
        for worker in self._workers:
            worker.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)
        while not self._queue.empty():  # never sent: say so, so no caller waits for ever
            self._queue.get_nowait()[2](Outcome(None, 0, error="not sent: the sender stopped",
                                                sent=False))
        for client in self._pools:
            await client.aclose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
