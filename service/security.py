"""HTTP hardening shared by every route: security headers, body limits, rate limits, and
key-only reading when configured. Pure ASGI middleware, so streamed responses stay streamed.

The access rule lives in `surface()` and `AccessControl` only. With `read_requires_key`:
- OPEN: probes (/healthz, /readyz, /metrics — operational numbers, no recommendation data), the
  API docs and /openapi.json, static assets, and the dashboard's /signin and /signout;
- DATA: the API (/api/...) and the feeds (/feeds/...), reports and raw documents included, answer
  only to a valid key sent as `Authorization: Bearer <key>`, or, for GET/HEAD, to a browser signed
  in to the dashboard with a key that is still valid; otherwise 401 (JSON). A `?key=` query is
  NOT accepted: addresses end up in access logs, proxies and browser history.
- PAGE: everything else is the dashboard, which needs a live sign-in (its session cookie, whose
  key is re-checked here on every request, so revoking a key ends reading at once); otherwise a
  303 to /signin, as the dashboard itself does.

Rate-limit buckets are keyed on who a caller proved to be: a valid key's id, else the client
address (an IPv6 client by its /64). Unknown or revoked tokens and every sign-in attempt are
charged to the address, so inventing tokens buys no fresh buckets.
"""

from __future__ import annotations

import ipaddress
import json
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from enum import Enum
from urllib.parse import parse_qs, urlencode

from sqlalchemy import Engine, select
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.auth import sessions
from service.auth.keys import KEY_PREFIX, hash_key, verify_key
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
    """413 for bodies over the limit, by Content-Length or while streaming; uploads get more.

    A chunked body has no length up front, so bytes are counted as the app reads them. Once over
    the limit the 413 goes out at once and the app sees a disconnect. Raising through the app
    would not do: FastAPI turns any error while reading a body into its own 400."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app, self.settings = app, settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.settings.max_upload_bytes if scope["path"].startswith("/api/v1/imports") \
            else self.settings.max_body_bytes
        message_413 = f"request body over {limit} bytes"
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            return await _json(send, 413, "payload_too_large", message_413)
        seen, started, rejected = 0, False, False

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if rejected:
                return  # the client has its 413; whatever the app answers after is dropped
            started = started or message["type"] == "http.response.start"
            await send(message)

        async def counted() -> Message:
            nonlocal seen, rejected
            if rejected:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    rejected = True
                    if not started:
                        await _json(send, 413, "payload_too_large", message_413, [(b"connection", b"close")])
                    return {"type": "http.disconnect"}
            return message

        try:
            await self.app(scope, counted, guarded_send)
        except Exception:
            if not rejected:
                raise
            # The app failed on the body we cut off; the 413 already told the client why.


class RateLimiter:
    """A token bucket per identity: `per_minute` requests, refilled smoothly.

    Storage is bounded: buckets are kept in least-recently-used order, a bucket idle long enough
    to be full again is dropped (forgetting it changes nothing), and beyond `max_entries` the
    least recent goes. Entries cost a few hundred bytes, so the default bounds memory to a few MB."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic,
                 max_entries: int = 10_000) -> None:
        self.rate = per_minute / 60.0
        self.capacity = float(per_minute)
        self.clock = clock
        self.max_entries = max_entries
        self.refill_seconds = self.capacity / self.rate
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._buckets)

    def take(self, who: str) -> float:
        """0 when allowed, else the seconds to wait."""
        now = self.clock()
        with self._lock:
            self._expire(now)
            tokens, last = self._buckets.pop(who, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
            self._buckets[who] = (tokens - 1 if tokens >= 1 else tokens, now)  # now most recent
            while len(self._buckets) > self.max_entries:
                self._buckets.popitem(last=False)
            return wait

    def _expire(self, now: float) -> None:
        """Drop refilled buckets from the old end; amortised O(1), as entries are in touch order."""
        while self._buckets:
            who, (_, last) = next(iter(self._buckets.items()))
            if now - last < self.refill_seconds:
                return
            del self._buckets[who]


class Surface(Enum):
    OPEN = "open"  # anyone, always
    DATA = "data"  # API and feeds: a key (or a live dashboard sign-in, for reading)
    PAGE = "page"  # dashboard pages: a live dashboard sign-in


PROBES = frozenset({"/healthz", "/readyz", "/metrics"})  # never limited, never gated
OPEN_PATHS = PROBES | {"/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json", "/signin", "/signout"}
OPEN_PREFIXES = ("/static/",)
DATA_PREFIXES = ("/api/", "/feeds/")
SIGN_IN = "/signin"
SAFE_METHODS = frozenset({"GET", "HEAD"})


def surface(path: str) -> Surface:
    """The one place that says what a path is; anything not named open is gated."""
    if path in OPEN_PATHS or path.startswith(OPEN_PREFIXES):
        return Surface.OPEN
    return Surface.DATA if path.startswith(DATA_PREFIXES) else Surface.PAGE


def client_bucket(scope: Scope) -> str:
    """The address bucket; IPv6 by /64, since one client holds a whole /64 to rotate through."""
    client = scope.get("client")
    host = client[0] if client else "unknown"
    try:
        addr = ipaddress.ip_address(host)
    except ValueError:
        return f"ip:{host}"
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.ipv4_mapped is not None:
            return f"ip:{addr.ipv4_mapped}"
        return f"ip:{ipaddress.ip_network(f'{addr}/64', strict=False)}"
    return f"ip:{addr}"


def bearer_token(headers: dict[bytes, bytes]) -> str:
    auth = headers.get(b"authorization", b"").decode("latin-1")
    return auth[7:].strip() if auth.lower().startswith("bearer ") else ""


class AccessControl:
    """Rate limits for everyone (per validated key, else per address); with `read_requires_key`,
    every non-open surface answers only to a valid key or a live dashboard sign-in (see module doc)."""

    def __init__(self, app: ASGIApp, settings: Settings, engine_provider: Callable[[], Engine]) -> None:
        self.app, self.settings, self.engine_provider = app, settings, engine_provider
        self.limiter = RateLimiter(settings.rate_limit_per_minute) if settings.rate_limit_per_minute > 0 else None

    def _key_id(self, token: str, touch: bool) -> int | None:
        """The id of the active key `token` is, else None. `touch` records the use (as routes do)."""
        if not token.startswith(KEY_PREFIX) or len(token) > 256:
            return None  # not something create_key makes: no database round trip for garbage
        if touch:
            with Session(self.engine_provider()) as session:
                principal = verify_key(session, token)
            return principal.key_id if principal else None
        from service.models import ApiKey

        with Session(self.engine_provider()) as session:
            row = session.execute(select(ApiKey.id, ApiKey.revoked_at)
                                  .where(ApiKey.key_hash == hash_key(token))).first()
        return row.id if row is not None and row.revoked_at is None else None

    def _signed_in(self, headers: dict[bytes, bytes]) -> bool:
        """A valid dashboard session cookie whose sign-in is still live: its server-side session
        (where the dashboard stores them) and its key are neither revoked nor expired."""
        from http.cookies import CookieError, SimpleCookie

        try:
            cookie = SimpleCookie(headers.get(b"cookie", b"").decode("latin-1")).get(sessions.COOKIE)
        except CookieError:
            return False
        data = sessions.decode(cookie.value, sessions.signing_secret(self.settings)) if cookie else None
        if data is None or data.viewer is None:
            return False
        with Session(self.engine_provider()) as session:
            return sessions.session_live(session, data.viewer)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in PROBES:
            return await self.app(scope, receive, send)
        path, method = scope["path"], scope["method"]
        kind = surface(path)
        gated = self.settings.read_requires_key and kind is not Surface.OPEN
        headers = dict(scope.get("headers", []))
        token = bearer_token(headers)
        # Sign-in tests the key in its form; a header key must not lend it a bucket of its own.
        key_id = await run_in_threadpool(self._key_id, token, gated) if token and path != SIGN_IN else None
        if self.limiter is not None:
            wait = self.limiter.take(f"key:{key_id}" if key_id is not None else client_bucket(scope))
            if wait > 0:
                return await _json(send, 429, "rate_limited", "too many requests; slow down",
                                   [(b"retry-after", str(math.ceil(wait)).encode())])
        if not gated or key_id is not None:
            return await self.app(scope, receive, send)
        cookie_reads = kind is Surface.PAGE or method in SAFE_METHODS
        if not (token and kind is Surface.DATA) and cookie_reads \
                and await run_in_threadpool(self._signed_in, headers):
            return await self.app(scope, receive, send)
        if kind is Surface.PAGE:
            return await _to_sign_in(scope, send)
        await _unauthorized(scope, send, bool(token))


async def _unauthorized(scope: Scope, send: Send, had_token: bool) -> None:
    if had_token:
        message = "the API key is not valid or has been revoked"
    elif "key" in parse_qs(scope.get("query_string", b"").decode("latin-1")):
        message = "a key in the address is not accepted; send it as `Authorization: Bearer <key>`"
    else:
        message = "reading this API needs a key (`Authorization: Bearer <key>`)"
    await _json(send, 401, "unauthorized", message, [(b"www-authenticate", b"Bearer")])


async def _to_sign_in(scope: Scope, send: Send) -> None:
    """A browser is sent to sign in and back, exactly as the dashboard's own pages do."""
    query = scope.get("query_string", b"").decode("latin-1")
    target = "/signin?" + urlencode({"next": scope["path"] + (f"?{query}" if query else "")})
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", target.encode("latin-1")), (b"content-length", b"0"),
                            (b"cache-control", b"no-store")]})
    await send({"type": "http.response.body", "body": b""})
