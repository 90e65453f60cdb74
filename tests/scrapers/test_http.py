"""The polite client against a real local server: retries, Retry-After, challenges, spacing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from scrapers.errors import SourceBlocked, SourceUnavailable
from scrapers.http import HttpPolicy, PoliteClient, _HostLimiter, parse_retry_after
from tests.fakes.source_server import Scripted


def _client(sleeps: list[float], **policy) -> PoliteClient:
    defaults = dict(user_agent="recwatch/test (+https://example.org)", min_interval=0.0,
                    read_timeout=2.0, backoff_base=0.01)
    return PoliteClient(HttpPolicy(**(defaults | policy)), sleep=sleeps.append, limiter=_HostLimiter())


def test_identifies_itself_and_does_not_follow_redirects(source_server):
    source_server.route("/a", Scripted(302, headers={"Location": "/b"}))
    with _client([]) as client:
        res = client.get(source_server.base_url + "/a")
    assert res.status_code == 302
    assert source_server.requests[0].headers["User-Agent"] == "recwatch/test (+https://example.org)"
    assert len(source_server.requests) == 1


def test_retry_after_seconds_is_honoured_on_503(source_server):
    source_server.route("/r", Scripted(503, headers={"Retry-After": "7"}), Scripted(200, b"ok"))
    sleeps: list[float] = []
    with _client(sleeps) as client:
        assert client.get(source_server.base_url + "/r").content == b"ok"
    assert sleeps == [7.0]


def test_retry_after_http_date_is_honoured_on_429(source_server):
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    source_server.route("/d", Scripted(429, headers={"Retry-After": when}), Scripted(200, b"ok"))
    sleeps: list[float] = []
    with _client(sleeps) as client:
        client.get(source_server.base_url + "/d")
    assert len(sleeps) == 1 and 25 <= sleeps[0] <= 31


def test_too_long_retry_after_stops_the_source(source_server):
    source_server.route("/x", Scripted(503, headers={"Retry-After": "86400"}))
    with _client([]) as client, pytest.raises(SourceUnavailable, match="retry later"):
        client.get(source_server.base_url + "/x")


def test_persistent_5xx_gives_up_with_reason(source_server):
    source_server.route("/e", Scripted(500))
    sleeps: list[float] = []
    with _client(sleeps, attempts=3) as client, pytest.raises(SourceUnavailable, match="HTTP 500"):
        client.get(source_server.base_url + "/e")
    assert len(source_server.requests) == 3 and len(sleeps) == 2


def test_cloudflare_challenge_is_blocked_not_content(source_server):
    source_server.route("/c", Scripted(403, b"<html><title>Just a moment...</title></html>",
                                       {"cf-mitigated": "challenge", "Content-Type": "text/html"}))
    with _client([]) as client, pytest.raises(SourceBlocked):
        client.get(source_server.base_url + "/c")


def test_empty_202_is_blocked(source_server):
    source_server.route("/202", Scripted(202, b""))
    with _client([]) as client, pytest.raises(SourceBlocked):
        client.get(source_server.base_url + "/202")


def test_timeout_is_a_clear_failure(source_server):
    source_server.route("/slow", Scripted(200, b"late", delay=1.5))
    with _client([], read_timeout=0.3, attempts=2) as client, pytest.raises(SourceUnavailable, match="Timeout"):
        client.get(source_server.base_url + "/slow")


def test_requests_to_one_host_are_spaced(source_server):
    source_server.route("/s", Scripted(200, b"ok"))
    with PoliteClient(HttpPolicy(user_agent="t", min_interval=0.2), limiter=_HostLimiter()) as client:
        for _ in range(3):
            client.get(source_server.base_url + "/s")
    times = [r.at for r in source_server.requests]
    assert all(b - a >= 0.18 for a, b in zip(times, times[1:]))


def test_parse_retry_after_rejects_garbage():
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
    assert parse_retry_after("12") == 12.0
