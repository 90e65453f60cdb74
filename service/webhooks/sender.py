"""Sending: one shared async HTTP client on a background event loop, guarded against SSRF.

Why async on its own thread: the database side stays simple synchronous SQLAlchemy, while the
sends run concurrently on one connection pool with a hard deadline each (`asyncio.timeout`
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
import math
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Self

import anyio.to_thread
import httpcore
import httpx

from service.config import Settings
from service.webhooks.ssrf import AddressRefused, split_url, vet_host

POOL_CONNECTIONS = 4
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


class Sender:
    """Sends webhooks concurrently (at most `webhook_concurrency` at a time) from any thread.

    Requests are spread over several small connection pools (`POOL_CONNECTIONS` each) rather
    than one big one: httpcore checks every idle connection of a pool for each request it
    assigns, which costs a poll() per connection — 4x the throughput at 16 connections in the
    benchmark (bench/webhook_fanout.py).
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
        self._pools: list[httpx.AsyncClient] = []
        self._busy: list[int] = []
        self._slots = self._run(self._setup())
        self._closed = False

    async def _setup(self) -> asyncio.Semaphore:
        pools = 1 if self._transport else math.ceil(self.concurrency / POOL_CONNECTIONS)
        size = math.ceil(self.concurrency / pools)
        for _ in range(pools):
            transport = self._transport or GuardedTransport(self._allowed, max_connections=size)
            self._pools.append(httpx.AsyncClient(transport=transport, follow_redirects=False,
                                                 trust_env=False, timeout=httpx.Timeout(self.timeout)))
            self._busy.append(0)
        return asyncio.Semaphore(self.concurrency)

    def submit(self, out: Outgoing, *, start_by: float | None = None
               ) -> concurrent.futures.Future[Outcome]:
        """Queue a send; it is skipped (`sent=False`) if it cannot start before `start_by`
        (a `time.monotonic()` value: the caller's lease must outlive the request)."""
        return asyncio.run_coroutine_threadsafe(self._send(out, start_by), self._loop)

    def send(self, out: Outgoing) -> Outcome:
        """Send one request and wait for the outcome."""
        return self.submit(out).result()

    async def _send(self, out: Outgoing, start_by: float | None) -> Outcome:
        async with self._slots:
            started = time.monotonic()
            if start_by is not None and started > start_by:
                return Outcome(None, 0, error="not sent: the lease would expire first", sent=False)
            pool = min(range(len(self._pools)), key=self._busy.__getitem__)
            self._busy[pool] += 1
            try:
                return await self._exchange(self._pools[pool], out, started)
            finally:
                self._busy[pool] -= 1

    async def _exchange(self, client: httpx.AsyncClient, out: Outgoing, started: float) -> Outcome:
        """One POST under a hard deadline; every failure becomes the outcome's error."""
        try:
            split_url(out.url)
            async with asyncio.timeout(self.timeout):
                async with client.stream("POST", out.url, content=out.body,
                                         headers=out.headers) as response:
                    received = bytearray()
                    async for chunk in response.aiter_bytes():
                        received += chunk
                        if len(received) >= MAX_RESPONSE_BYTES:
                            break
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
            for client in self._pools:
                self._run(client.aclose())
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)
            self._loop.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
