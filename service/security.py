"""HTTP hardening shared by every route: security headers, body limits, rate limits, and
key-only reading when configured. Pure ASGI middleware, so streamed responses stay streamed."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from sqlalchemy import Engine
from sqlmodel import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.auth.keys import hash_key, verify_key
from service.config import Settings
from service.errors import error_body

API_DOCS = ("/docs", "/redoc", "/openapi.json")
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
# Our pages load nothing from elsewhere; the API docs page is the one exception (its assets).
CSP = b"default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"


async def _json(send: Send, status: int, code: str, message: str, headers: list[tuple[bytes, bytes]] = ()) -> None:
    import json

    body = json.dumps(error_body(code, message)).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *headers]})
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        is_docs = scope["path"].startswith(API_DOCS)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [h for h in SECURITY_HEADERS if h[0] not in present]
                if not is_docs and b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", CSP))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    """413 for bodies over the limit, by Content-Length or while streaming; uploads get more."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app, self.settings = app, settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.settings.max_upload_bytes if scope["path"].startswith("/api/v1/imports") \
            else self.settings.max_body_bytes
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            return await _json(send, 413, "payload_too_large", f"request body over {limit} bytes")
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _TooLarge()
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await _json(send, 413, "payload_too_large", f"request body over {limit} bytes")


class _TooLarge(Exception):
    pass


class RateLimiter:
    """A token bucket per key (or client address): `per_minute` requests, refilled smoothly."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = per_minute / 60.0
        self.capacity = float(per_minute)
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, who: str) -> float:
        """0 when allowed, else the seconds to wait."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(who, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1:
                self._buckets[who] = (tokens - 1, now)
                return 0.0
            self._buckets[who] = (tokens, now)
            return (1 - tokens) / self.rate


class AccessControl:
    """Rate limits for everyone; with `read_requires_key`, the API answers only to keys (or, for
    reading, to a person signed in to the dashboard, whose pages link to documents and reports)."""

    def __init__(self, app: ASGIApp, settings: Settings, engine_provider: Callable[[], Engine]) -> None:
        self.app, self.settings, self.engine_provider = app, settings, engine_provider
        self.limiter = RateLimiter(settings.rate_limit_per_minute) if settings.rate_limit_per_minute > 0 else None

    def _signed_in(self, headers: dict[bytes, bytes]) -> bool:
        from http.cookies import SimpleCookie

        from service.dashboard import auth

        cookie = SimpleCookie(headers.get(b"cookie", b"").decode("latin-1")).get(auth.COOKIE)
        data = auth.decode(cookie.value, auth.signing_secret(self.settings)) if cookie else None
        return data is not None and data.viewer is not None and _active_key(self.engine_provider(), data.viewer.key_id)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in ("/healthz", "/readyz", "/metrics"):
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers", []))
        auth = headers.get(b"authorization", b"").decode("latin-1")
        key = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        client = scope.get("client")
        who = f"key:{hash_key(key)[:16]}" if key else f"ip:{client[0] if client else 'unknown'}"
        if self.limiter is not None:
            wait = self.limiter.take(who)
            if wait > 0:
                return await _json(send, 429, "rate_limited", "too many requests; slow down",
                                   [(b"retry-after", str(math.ceil(wait)).encode())])
        if (self.settings.read_requires_key and scope["path"].startswith("/api/")
                and not scope["path"].startswith(API_DOCS)):
            if not key and not (scope["method"] == "GET" and self._signed_in(headers)):
                return await _json(send, 401, "unauthorized", "reading this API needs a key "
                                   "(`Authorization: Bearer <key>`)", [(b"www-authenticate", b"Bearer")])
            if not key and scope["method"] == "GET" and self._signed_in(headers):
                return await self.app(scope, receive, send)  # the dashboard's links to documents
            with Session(self.engine_provider()) as session:
                if verify_key(session, key) is None:
                    return await _json(send, 401, "unauthorized", "the API key is not valid or has been revoked",
                                       [(b"www-authenticate", b"Bearer")])
        await self.app(scope, receive, send)


def _active_key(engine: Engine, key_id: int) -> bool:
    from service.models import ApiKey

    with Session(engine) as session:
        row = session.get(ApiKey, key_id)
        return row is not None and row.revoked_at is None
