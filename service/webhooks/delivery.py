"""Dispatch: claim due deliveries, sign and send them concurrently, record every attempt.

The loop keeps the sender busy: it claims a batch whenever at most `webhook_concurrency`
requests remain in flight, and stores outcomes as they come in. Each claim holds a lease long
enough for its batch to be sent (`lease_for`); a request that could not start early enough to
finish inside its lease is not sent but given back, so two workers never send the same
delivery at the same time, and a worker killed mid-send leaves the lease to expire and the
delivery to be retried with the same webhook-id (at-least-once).

Time is injectable: `now` fixes the clock for scheduling (tests jump days ahead); the
`webhook-timestamp` header always carries the real time, which is what receivers check.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from service.config import Settings
from service.models import ChangeEvent, WebhookSubscription
from service.models._common import utcnow
from service.webhooks import queue
from service.webhooks.fanout import fan_out, fan_out_batch  # noqa: F401  (re-exported)
from service.webhooks.outcomes import record_outcomes
from service.webhooks.payloads import build_body
from service.webhooks.queue import Claimed
from service.webhooks.sender import Outcome, Outgoing, Sender
from service.webhooks.signing import secrets_in_force, webhook_headers

LEASE_MARGIN = timedelta(seconds=5)  # recording time and clock skew between workers
ATTEMPT_HEADER = "recwatch-attempt"  # informational: which attempt of this webhook-id this is


def lease_for(settings: Settings) -> timedelta:
    """How long a claim holds its deliveries: the queue ahead of the last one, its own
    request (each at most `webhook_timeout`), and a margin."""
    rounds = math.ceil(max(1, settings.webhook_batch_size) / max(1, settings.webhook_concurrency))
    return timedelta(seconds=settings.webhook_timeout * (rounds + 1)) + LEASE_MARGIN


@dataclass
class _Cache:
    """Bodies per event (one event goes to many subscribers) and subscriptions per batch."""

    bodies: dict[int, tuple[str, bytes]]
    subs: dict[int, WebhookSubscription]


def _prepare(engine: Engine, settings: Settings, claims: list[Claimed], cache: _Cache,
             now: datetime) -> list[tuple[Claimed, Outgoing | None]]:
    with Session(engine, expire_on_commit=False) as session:
        missing = {c.event_id for c in claims} - set(cache.bodies)
        if len(cache.bodies) > 20_000:
            cache.bodies.clear()
        events: dict[int, ChangeEvent] = queue.load_events(session, missing)
        for event_id, e in events.items():
            cache.bodies[event_id] = (e.type, build_body(
                e.type, e.created_at, e.event_id, e.payload or {}, recommendation_id=e.recommendation_id,
                public_base_url=settings.public_base_url))
        cache.subs = queue.load_subscriptions(session, {c.subscription_id for c in claims})
    timestamp = int(time.time())
    out: list[tuple[Claimed, Outgoing | None]] = []
    for c in claims:
        sub, body = cache.subs.get(c.subscription_id), cache.bodies.get(c.event_id)
        if sub is None or body is None:  # deleted meanwhile
            out.append((c, None))
            continue
        signing = secrets_in_force(sub.secret, sub.previous_secret, sub.previous_secret_expires_at, now)
        headers = webhook_headers(signing, c.webhook_id, timestamp, body[1], settings.user_agent)
        headers[ATTEMPT_HEADER] = str(c.attempt)
        out.append((c, Outgoing(sub.url, body[1], headers)))
    return out


def deliver_due(engine: Engine, settings: Settings, *, now: datetime | None = None,
                client: Sender | None = None, rng: random.Random | None = None) -> int:
    """Send every delivery due at `now` (default: the real time, read at each claim).

    Returns the number of attempts made. `client` is a shared `Sender` (connection pool);
    without one a sender is made for this call. Never raises for a receiver's failure: every
    failure is an attempt on record. `rng` makes the retry jitter reproducible.
    """
    sender = client or Sender(settings)
    clock: Callable[[], datetime] = (lambda: now) if now is not None else utcnow
    lease = lease_for(settings)
    batch = max(1, settings.webhook_batch_size)
    cache = _Cache({}, {})
    inflight: dict[Future[Outcome], Claimed] = {}
    attempts, drained = 0, False
    try:
        while True:
            if not drained and len(inflight) <= sender.concurrency:
                claim_now = clock()
                claims = queue.claim(engine, claim_now, batch, lease)
                drained = len(claims) < batch
                start_by = time.monotonic() + (lease - LEASE_MARGIN).total_seconds() - sender.timeout
                unsendable = []
                for c, outgoing in _prepare(engine, settings, claims, cache, claim_now):
                    if outgoing is None:
                        unsendable.append((c, Outcome(None, 0, error="deleted", sent=False)))
                    else:
                        inflight[sender.submit(outgoing, start_by=start_by)] = c
                record_outcomes(engine, settings, unsendable, claim_now, rng)
            if not inflight:
                return attempts
            done, _ = wait(list(inflight), return_when=FIRST_COMPLETED)
            results = [(inflight.pop(f), f.result()) for f in done]
            attempts += sum(1 for _, o in results if o.sent)
            record_outcomes(engine, settings, results, clock(), rng)
    finally:
        if client is None:
            sender.close()
