"""The retry schedule, Retry-After, leases, and a sender that gives back what it cannot start."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta

from service.config import Settings
from service.webhooks.delivery import lease_for, refill_below
from service.webhooks.payloads import MAX_BODY_BYTES, build_body
from service.webhooks.retries import MAX_ATTEMPTS, RETRY_DELAYS, next_attempt_at, parse_retry_after
from service.webhooks.sender import Outgoing, Sender

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def test_schedule_is_5s_5min_30min_2h_5h_10h_10h_then_give_up():
    assert [d.total_seconds() for d in RETRY_DELAYS] == [5, 300, 1800, 7200, 18000, 36000, 36000]
    assert MAX_ATTEMPTS == 8
    rng = random.Random(1)
    for attempt, base in enumerate(RETRY_DELAYS, start=1):
        delay = next_attempt_at(attempt, NOW, rng=rng) - NOW
        assert base * 0.9 <= delay <= base * 1.1  # ±10 % jitter
    assert next_attempt_at(MAX_ATTEMPTS, NOW) is None


def test_retry_after_is_a_floor_not_a_ceiling():
    assert next_attempt_at(1, NOW, retry_after=timedelta(minutes=10)) == NOW + timedelta(minutes=10)
    later = next_attempt_at(3, NOW, retry_after=timedelta(seconds=1), rng=random.Random(1)) - NOW
    assert later > timedelta(minutes=20)  # the 30 min schedule wins over a shorter Retry-After


def test_retry_after_parsing():
    assert parse_retry_after("120", NOW) == timedelta(seconds=120)
    assert parse_retry_after("Wed, 01 May 2024 12:30:00 GMT", NOW) == timedelta(minutes=30)
    assert parse_retry_after("Wed, 01 May 2024 11:00:00 GMT", NOW) == timedelta(0)
    assert parse_retry_after("9999999", NOW) == timedelta(days=1)  # capped
    assert parse_retry_after("soon", NOW) is None and parse_retry_after(None, NOW) is None


def test_lease_covers_the_queue_ahead_and_the_request():
    settings = Settings(webhook_timeout=10, webhook_batch_size=50, webhook_concurrency=16)
    assert refill_below(settings) == 25
    # 25 queued + 50 claimed at 16 at a time: 5 rounds of at most 10 s, plus the margin.
    assert lease_for(settings) == timedelta(seconds=55)


def test_a_request_that_cannot_start_before_its_deadline_is_not_sent(receiver):
    settings = Settings(webhook_allowed_hosts="127.0.0.1")
    with Sender(settings) as sender:
        outcome = sender.submit(Outgoing(receiver.url(), b"{}", {}),
                                start_by=time.monotonic() - 1).result()
    assert not outcome.sent and "lease" in outcome.error
    assert receiver.requests == []


def test_pathological_payload_keeps_only_the_identifiers():
    payload = {f"field{i}": "x" * 30 for i in range(2000)}
    body = build_body("source.failing", NOW, "e-1", payload, recommendation_id=None,
                      public_base_url="https://r.example")
    assert len(body) <= MAX_BODY_BYTES and b'"truncated":true' in body and b'"e-1"' in body
