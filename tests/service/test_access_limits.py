"""Access rule, rate-limit identity and streamed body limits, through the real app (SQLite and,
when configured, PostgreSQL): one rule for every read surface, buckets keyed on who a caller
proved to be (not on what they claim), and 413 for chunked bodies as they stream."""

from __future__ import annotations

import asyncio
import re
import secrets
import socket
import threading
import time
from collections.abc import Coroutine, Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlmodel import Session

from service.auth.keys import create_key, revoke_key
from service.config import Settings, get_settings
from service.db import get_session
from service.main import create_app
from service.models import Role
from service.security import AccessControl, RateLimiter


def _run(coro: Coroutine[Any, Any, Any]) -> Any:
    """Run `coro` to completion on a loop of its own thread: browser tests earlier in the session
    leave this thread's event loop marked as running (Playwright's sync API), where asyncio.run
    refuses to start."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(coro)
        except BaseException as exc:  # re-raised in the test's thread
            outcome["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")

def _app(engine, settings: Settings, **overrides):
    settings = settings.model_copy(update=overrides)
    app = create_app(engine_provider=lambda: engine, settings=settings)

    def session():
        with Session(engine, expire_on_commit=False) as s:
            yield s
    app.dependency_overrides[get_session] = session
    app.dependency_overrides[get_settings] = lambda: settings
    return app


def _key(engine, name: str = "reader", role: Role = Role.READER) -> str:
    with Session(engine) as s:
        key = create_key(s, name, role)
        s.commit()
    return key


def _scope(method: str, path: str, headers: list[tuple[bytes, bytes]]) -> dict:
    """An HTTP scope as a server builds it, for driving the ASGI app without a client."""
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
            "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
            "client": ("127.0.0.1", 5000), "server": ("t", 80), "headers": [(b"host", b"t"), *headers]}


def _access_control(app) -> AccessControl:
    """The AccessControl instance in the app's built middleware stack (built on first request)."""
    layer = app.middleware_stack
    while layer is not None and not isinstance(layer, AccessControl):
        layer = getattr(layer, "app", None)
    assert layer is not None
    return layer


# --- 1. one access rule for every read surface ---------------------------------------------------

def test_feed_and_every_data_read_need_a_key_when_reading_does(engine, settings):
    key = _key(engine)
    with TestClient(_app(engine, settings, read_requires_key=True)) as client:
        for path in ("/feeds/changes.atom", "/feeds/changes.atom?state=AZE", "/api/v1/states",
                     "/api/v1/changes", "/api/v1/documents/1/raw", "/api/v1/reports/AZE",
                     "/api/v1/export"):
            res = client.get(path)
            assert res.status_code == 401, path
            assert res.json()["error"]["code"] == "unauthorized" and res.headers["www-authenticate"] == "Bearer"
            assert client.get(path, headers={"Authorization": "Bearer rw_wrong"}).status_code == 401, path
        feed = client.get("/feeds/changes.atom", headers={"Authorization": f"Bearer {key}"})
        assert feed.status_code == 200 and "<feed" in feed.text
        # A key in the address is not a credential (it would end up in access logs).
        res = client.get(f"/feeds/changes.atom?key={key}")
        assert res.status_code == 401 and "Authorization" in res.json()["error"]["message"]


def test_open_surfaces_stay_open_when_reading_needs_a_key(engine, settings):
    with TestClient(_app(engine, settings, read_requires_key=True)) as client:
        for path in ("/healthz", "/readyz", "/docs", "/redoc", "/openapi.json", "/signin",
                     "/static/dashboard/htmx.min.js"):
            assert client.get(path).status_code == 200, path


def test_dashboard_pages_need_a_live_sign_in(engine, settings):
    """Pages send a browser to sign in; a session whose key was revoked stops reading at once."""
    key = _key(engine)
    with TestClient(_app(engine, settings, read_requires_key=True)) as client:
        for path in ("/", "/sources", "/recommendations", "/documents/1"):
            res = client.get(path, follow_redirects=False)
            assert res.status_code == 303 and res.headers["location"].startswith("/signin?next="), path
        csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/signin").text).group(1)
        assert client.post("/signin", data={"key": key, "csrf": csrf}, follow_redirects=False).status_code == 303
        assert client.get("/sources", follow_redirects=False).status_code == 200
        assert client.get("/feeds/changes.atom").status_code == 200  # the dashboard's own links
        with Session(engine) as s:
            assert revoke_key(s, "reader")
            s.commit()
        assert client.get("/sources", follow_redirects=False).status_code == 303
        assert client.get("/feeds/changes.atom").status_code == 401


def test_feed_stays_public_by_default(engine, settings):
    with TestClient(_app(engine, settings)) as client:
        assert client.get("/feeds/changes.atom").status_code == 200


# --- 2. rate limits keyed on validated identity ------------------------------------------------

def test_random_bearer_tokens_share_the_client_address_bucket(engine, settings):
    with TestClient(_app(engine, settings, rate_limit_per_minute=20)) as client:
        codes = [client.get("/api/v1/states", headers={"Authorization": f"Bearer {secrets.token_urlsafe(24)}"})
                 .status_code for _ in range(100)]
    assert 429 not in codes[:20] and set(codes[20:]) == {429}, codes


def test_a_valid_key_has_its_own_bucket(engine, settings):
    key = _key(engine)
    with TestClient(_app(engine, settings, rate_limit_per_minute=5)) as client:
        bogus = [client.get("/api/v1/states", headers={"Authorization": "Bearer rw_guess"}).status_code
                 for _ in range(6)]
        assert bogus[-1] == 429 and client.get("/api/v1/states").status_code == 429  # same address
        keyed = [client.get("/api/v1/states", headers={"Authorization": f"Bearer {key}"}).status_code
                 for _ in range(6)]
        assert keyed == [200] * 5 + [429]


def test_sign_in_attempts_count_against_the_address_even_with_a_valid_bearer(engine, settings):
    """A guesser cannot move sign-in attempts onto a bucket of their own by sending some key."""
    key = _key(engine)
    with TestClient(_app(engine, settings, rate_limit_per_minute=5)) as client:
        codes = [client.post("/signin", data={"key": f"rw_{i}", "csrf": "x"},
                             headers={"Authorization": f"Bearer {key}"}).status_code for i in range(6)]
        assert 429 not in codes[:5] and codes[5] == 429
        assert client.get("/healthz").status_code == 200
        assert client.get("/api/v1/states", headers={"Authorization": f"Bearer {key}"}).status_code == 200


def test_bucket_store_stays_bounded_under_10000_distinct_tokens(engine, settings):
    """Distinct random tokens add no buckets: 1,000 shaped like keys (each looked up in the
    database) and 9,000 that are not (refused without a lookup)."""
    app = _app(engine, settings, rate_limit_per_minute=100_000, read_requires_key=True)
    with TestClient(app) as client:
        assert client.get("/api/v1/states").status_code == 401
    limiter = _access_control(app).limiter
    statuses: list[int] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    async def flood() -> None:
        for i in range(10_000):
            token = (f"rw_{secrets.token_urlsafe(32)}" if i % 10 == 0 else secrets.token_hex(16)).encode()
            await app(_scope("GET", "/api/v1/states", [(b"authorization", b"Bearer " + token)]),
                      receive, send)

    _run(flood())
    assert statuses.count(401) == 10_000
    assert len(limiter) <= 2  # the TestClient address and the flood's one address


def test_rate_limiter_evicts_idle_and_least_recent_buckets():
    now = [0.0]
    limiter = RateLimiter(60, clock=lambda: now[0], max_entries=1000)
    for i in range(10_000):
        limiter.take(f"ip:{i}")
    assert len(limiter) == 1000
    assert limiter.take("ip:9999") == 0 and len(limiter) == 1000
    now[0] += 61.0  # every bucket refilled: dropping it changes nothing, so it is dropped
    limiter.take("ip:new")
    assert len(limiter) == 1


def test_rate_limiter_keeps_a_throttled_bucket_while_it_is_recent():
    now = [0.0]
    limiter = RateLimiter(2, clock=lambda: now[0], max_entries=10)
    assert limiter.take("ip:a") == 0 and limiter.take("ip:a") == 0
    now[0] += 1.0
    assert limiter.take("ip:a") > 0  # not forgotten by the expiry of idle buckets


# --- 3. streamed (chunked) bodies over the limit -----------------------------------------------

@pytest.fixture
def live_server(engine, settings) -> Iterator[str]:
    """The real app behind uvicorn on 127.0.0.1 (an ephemeral port), for real chunked uploads."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = _app(engine, settings, max_body_bytes=1000, rate_limit_per_minute=0)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def _chunks(total: int, size: int = 256) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        yield b" " * min(size, total - sent)
        sent += size


def test_oversized_chunked_body_is_413_with_the_error_envelope(live_server):
    key_free = f"{live_server}/api/v1/recommendations/1/assessments"
    res = httpx.post(key_free, content=_chunks(200_000), headers={"content-type": "application/json"},
                     timeout=20)
    assert res.request.headers.get("transfer-encoding") == "chunked" and "content-length" not in res.request.headers
    assert res.status_code == 413, res.text
    assert res.json() == {"error": {"code": "payload_too_large", "message": "request body over 1000 bytes"}}
    assert res.headers["x-content-type-options"] == "nosniff"
    # A small chunked body reaches the route and gets what the same body with a length gets.
    body = b'{"implementation": "implemented", "effective_on": "2024-01-02"}'
    small = httpx.post(key_free, content=iter([body[:20], body[20:]]), headers={"content-type": "application/json"})
    assert small.request.headers.get("transfer-encoding") == "chunked"
    sized = httpx.post(key_free, content=body, headers={"content-type": "application/json"})
    assert small.status_code == sized.status_code == 401
    assert httpx.get(f"{live_server}/healthz").status_code == 200


def test_chunked_limit_through_the_asgi_app(engine, settings):
    """The same check on the ASGI app directly: the 413 is the only answer, sent once."""
    app = _app(engine, settings, max_body_bytes=100, rate_limit_per_minute=0)
    sent: list[dict] = []
    chunks = [b"x" * 60] * 5

    async def receive() -> dict:
        if chunks:
            return {"type": "http.request", "body": chunks.pop(0), "more_body": bool(chunks)}
        await asyncio.sleep(0)
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = _scope("POST", "/api/v1/recommendations/1/assessments",
                   [(b"transfer-encoding", b"chunked"), (b"content-type", b"application/json")])
    _run(app(scope, receive, send))
    starts = [m for m in sent if m["type"] == "http.response.start"]
    assert [m["status"] for m in starts] == [413]
    assert len(chunks) >= 2  # answered as soon as the limit was passed, not after the whole body
