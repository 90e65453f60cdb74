"""HTTP hardening: headers, body and rate limits, key-only reading, CORS off by default."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from service.auth.keys import create_key
from service.main import create_app
from service.models import Role
from service.security import RateLimiter


def _client(engine, settings, **overrides) -> TestClient:
    from service.config import get_settings
    from service.db import get_session

    for name, value in overrides.items():
        setattr(settings, name, value)
    app = create_app(engine_provider=lambda: engine, settings=settings)

    def session():
        with Session(engine) as s:
            yield s
    app.dependency_overrides[get_session] = session
    app.dependency_overrides[get_settings] = lambda: settings
    return TestClient(app)


def test_security_headers_on_every_answer(client):
    for path in ("/api/v1/states", "/api/v1/recommendations/999", "/healthz"):
        res = client.get(path)
        assert res.headers["x-content-type-options"] == "nosniff"
        assert res.headers["x-frame-options"] == "DENY"
        assert "default-src 'self'" in res.headers["content-security-policy"]
    assert "content-security-policy" not in client.get("/docs").headers


def test_cors_is_off_by_default_and_configurable(client, engine, settings):
    res = client.get("/api/v1/states", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in res.headers
    allowed = _client(engine, settings, cors_origins="https://ngo.example")
    res = allowed.get("/api/v1/states", headers={"Origin": "https://ngo.example"})
    assert res.headers["access-control-allow-origin"] == "https://ngo.example"


def test_oversized_body_is_413(engine, settings):
    small = _client(engine, settings, max_body_bytes=100)
    res = small.post("/api/v1/recommendations/1/assessments", content=b"x" * 500,
                     headers={"content-type": "application/json"})
    assert res.status_code == 413 and res.json()["error"]["code"] == "payload_too_large"


def test_rate_limit_answers_429_with_retry_after(engine, settings):
    limited = _client(engine, settings, rate_limit_per_minute=3)
    codes = [limited.get("/api/v1/states").status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3] == 429
    res = limited.get("/api/v1/states")
    assert res.status_code == 429 and int(res.headers["retry-after"]) >= 1
    assert limited.get("/healthz").status_code == 200  # probes are never limited


def test_rate_limiter_refills_over_time():
    now = [0.0]
    limiter = RateLimiter(60, clock=lambda: now[0])
    assert all(limiter.take("a") == 0 for _ in range(60))
    assert limiter.take("a") == pytest.approx(1.0)
    assert limiter.take("b") == 0  # buckets are per key or address
    now[0] += 1.0
    assert limiter.take("a") == 0


def test_reading_can_require_a_key(engine, settings):
    closed = _client(engine, settings, read_requires_key=True)
    assert closed.get("/api/v1/states").status_code == 401
    assert closed.get("/api/v1/states", headers={"Authorization": "Bearer wrong"}).status_code == 401
    with Session(engine) as s:
        key = create_key(s, "reader", Role.READER)
        s.commit()
    assert closed.get("/api/v1/states", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    assert closed.get("/healthz").status_code == 200


def test_keys_are_managed_by_admins_and_every_change_is_audited(client, engine):
    with Session(engine) as s:
        admin = create_key(s, "root", Role.ADMIN)
        editor = create_key(s, "desk", Role.EDITOR)
        s.commit()
    as_admin = {"Authorization": f"Bearer {admin}"}
    assert client.get("/api/v1/keys").status_code == 401
    assert client.get("/api/v1/keys", headers={"Authorization": f"Bearer {editor}"}).status_code == 403
    created = client.post("/api/v1/keys", json={"name": "newsroom-bot", "role": "reader"}, headers=as_admin)
    assert created.status_code == 201 and created.json()["key"].startswith("rw_")
    listed = client.get("/api/v1/keys", headers=as_admin).json()["items"]
    assert {k["name"] for k in listed} == {"root", "desk", "newsroom-bot"}
    assert all("key" not in k and "key_hash" not in k for k in listed)
    assert client.post("/api/v1/keys", json={"name": "desk", "role": "reader"}, headers=as_admin).status_code == 409
    assert client.delete("/api/v1/keys/newsroom-bot", headers=as_admin).status_code == 204
    bot = {"Authorization": f"Bearer {created.json()['key']}"}
    assert client.post("/api/v1/recommendations/1/assessments", json={}, headers=bot).status_code == 401
    audit = client.get("/api/v1/audit", headers=as_admin).json()
    assert [(e["actor"], e["action"]) for e in audit["items"]] == [("root", "key.revoke"), ("root", "key.create")]
    assert client.get("/api/v1/audit", headers={"Authorization": f"Bearer {editor}"}).status_code == 403
