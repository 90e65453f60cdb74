"""Polite HTTP client shared by every scraper (SOURCES.md §9).

- identifies itself (`recwatch/<version> (+contact)`), never imitates a browser;
- one request at a time per host, at least `min_interval` seconds apart, across all jobs;
- retries network errors, 429 and 5xx with exponential backoff and jitter, honouring
  `Retry-After` (seconds or an HTTP date) up to `max_wait`;
- detects bot challenges and raises `SourceBlocked` instead of returning them as content.
"""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

from scrapers.challenge import challenge_markers
from scrapers.errors import SourceBlocked, SourceUnavailable

class NotModified(Exception):
    """A conditional GET answered 304 (or the same bytes again): nothing to parse."""

    def __init__(self, url: str) -> None:
        super().__init__(f"not modified: {url}")
        self.url = url


class ValidatorStore(Protocol):
    """Where ETag / Last-Modified / body hash per URL are kept between runs."""

    def get(self, url: str) -> tuple[str | None, str | None, str | None] | None: ...

    def put(self, url: str, etag: str | None, last_modified: str | None, sha256: str) -> None: ...

    def forget(self, url: str) -> None: ...


RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class HttpPolicy:
    user_agent: str
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    min_interval: float = 1.0  # seconds between requests to one host (SOURCES.md §9.1)
    attempts: int = 4
    backoff_base: float = 1.0
    max_wait: float = 120.0  # a Retry-After longer than this stops the source for this run
    max_bytes: int = 50 * 1024 * 1024


class _HostLimiter:
    """Process-wide per-host spacing: shared by every client so parallel jobs stay polite."""

    def __init__(self) -> None:
        self._locks: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}
        self._guard = threading.Lock()

    def lock_for(self, host: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(host, threading.Lock())

    def wait_turn(self, host: str, interval: float, sleep: Callable[[float], None]) -> None:
        last = self._last.get(host)
        if last is not None:
            remaining = interval - (time.monotonic() - last)
            if remaining > 0:
                sleep(remaining)

    def mark(self, host: str) -> None:
        self._last[host] = time.monotonic()


HOST_LIMITER = _HostLimiter()


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date); None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def is_challenge(response: httpx.Response) -> bool:
    """A bot wall answering instead of the source (SOURCES.md §9.2)."""
    if response.headers.get("cf-mitigated", "").lower() == "challenge":
        return True
    if response.status_code == 202 and not response.content:
        return True
    if response.status_code in (403, 429, 503) or "html" in response.headers.get("content-type", ""):
        return bool(challenge_markers(response.content))
    return False


class PoliteClient:
    """httpx.Client wrapper; `get()` returns a response or raises a ScrapeError subclass."""

    def __init__(self, policy: HttpPolicy, *, transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 limiter: _HostLimiter = HOST_LIMITER,
                 validators: ValidatorStore | None = None) -> None:
        self.policy = policy
        self.validators = validators
        self._sleep = sleep
        self._limiter = limiter
        self._client = httpx.Client(
            headers={"User-Agent": policy.user_agent},
            timeout=httpx.Timeout(policy.read_timeout, connect=policy.connect_timeout),
            follow_redirects=False, transport=transport)

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(self, url: str, *, headers: dict[str, str] | None = None,
            params: dict[str, str] | None = None, conditional: bool = False) -> httpx.Response:
        """GET with politeness and retries. Redirects are returned, not followed.

        With `conditional`, validators from the last fetch are sent and NotModified is raised
        on 304 or when the body hashes the same as last time (servers that ignore validators).
        """
        known = self.validators.get(url) if conditional and self.validators else None
        if known:
            headers = dict(headers or {})
            if known[0]:
                headers["If-None-Match"] = known[0]
            if known[1]:
                headers["If-Modified-Since"] = known[1]
        response = self._get_with_retries(url, headers, params)
        if not conditional or self.validators is None:
            return response
        if response.status_code == 304:
            raise NotModified(url)
        if response.status_code == 200:
            digest = hashlib.sha256(response.content).hexdigest()
            self.validators.put(url, response.headers.get("etag"), response.headers.get("last-modified"),
                                digest)
            if known and known[2] == digest:
                raise NotModified(url)
        return response

    def _get_with_retries(self, url: str, headers: dict[str, str] | None,
                          params: dict[str, str] | None) -> httpx.Response:
        last_error = "no attempt made"
        for attempt in range(1, self.policy.attempts + 1):
            try:
                response = self._send(url, headers, params)
            except httpx.TransportError as exc:
                last_error = f"{type(exc).__name__}: {exc}"
                wait = self._backoff(attempt)
            else:
                if is_challenge(response):
                    raise SourceBlocked(f"bot challenge (HTTP {response.status_code})", url=url)
                if response.status_code not in RETRY_STATUSES:
                    return response
                last_error = f"HTTP {response.status_code}"
                retry_after = parse_retry_after(response.headers.get("retry-after"))
                if retry_after is not None and retry_after > self.policy.max_wait:
                    raise SourceUnavailable(
                        f"HTTP {response.status_code}, Retry-After {retry_after:.0f} s exceeds "
                        f"{self.policy.max_wait:.0f} s: retry later", url=url)
                wait = retry_after if retry_after is not None else self._backoff(attempt)
            if attempt < self.policy.attempts:
                self._sleep(wait)
        raise SourceUnavailable(f"gave up after {self.policy.attempts} attempts: {last_error}", url=url)

    def _send(self, url: str, headers: dict[str, str] | None,
              params: dict[str, str] | None) -> httpx.Response:
        host = httpx.URL(url).host
        with self._limiter.lock_for(host):
            self._limiter.wait_turn(host, self.policy.min_interval, self._sleep)
            try:
                response = self._client.get(url, headers=headers, params=params)
            finally:
                self._limiter.mark(host)
        if len(response.content) > self.policy.max_bytes:
            raise SourceUnavailable(f"response larger than {self.policy.max_bytes} bytes", url=url)
        return response

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter: base·2^(n-1) · U(0.5, 1.5)."""
        return self.policy.backoff_base * (2 ** (attempt - 1)) * random.uniform(0.5, 1.5)
