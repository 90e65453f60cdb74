"""Dispatch: claim due deliveries, sign and send them concurrently, record every attempt.

The loop keeps the sender busy: it claims the next batch (`webhook_batch_size`) while the
previous one is still going out (`refill_below`), and stores outcomes in groups as they come
in. Each claim holds a lease long enough for its batch to be sent (`lease_for`); a request that
could not start early enough to finish inside its lease is not sent but given back, so two
workers never send the same delivery at the same time, and a worker killed mid-send leaves the
lease to expire and the delivery to be retried with the same webhook-id (at-least-once).

Time is injectable: `now` fixes the clock for scheduling (tests jump days ahead); the
`webhook-timestamp` header always carries the real time, which is what receivers check.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from service.config import Settings
from service.models import ChangeEvent, WebhookSubscription
from service.models._common import utcnow
from service.webhooks import store
from service.webhooks.fanout import fan_out, fan_out_batch  # noqa: F401  (re-exported)
from service.webhooks.outcomes import record_outcomes
from service.webhooks.payloads import build_body
from service.webhooks.sender import Dispatcher, Inbox, Outcome, Outgoing, Sender
from service.webhooks.signing import secrets_in_force, webhook_headers
from service.webhooks.store import Claimed

LEASE_MARGIN = timedelta(seconds=5)  # recording time and clock skew between workers
ATTEMPT_HEADER = "recwatch-attempt"  # informational: which attempt of this webhook-id this is
# Outcomes are committed in groups: at most FLUSH_DELAY after the first of them came in (or at
# FLUSH_SIZE), so a crash loses at most 0.1 s of answers — those deliveries are sent again.
FLUSH_DELAY = 0.1
FLUSH_SIZE = 256


def refill_below(settings: Settings) -> int:
    """Claim more once fewer than this many requests are queued or in flight: enough to keep
    every connection busy while the next batch is claimed and signed."""
    return max(settings.webhook_concurrency, settings.webhook_batch_size // 2)


def lease_for(settings: Settings) -> timedelta:
    """How long a claim holds its deliveries: the queue ahead of the last one and its own
    request (each at most `webhook_timeout`, `webhook_concurrency` at a time), and a margin.
    Requests that could not start in time are given back unsent (see `deliver_due`)."""
    ahead = refill_below(settings) + max(1, settings.webhook_batch_size)
    rounds = math.ceil(ahead / max(1, settings.webhook_concurrency))
    return timedelta(seconds=settings.webhook_timeout * rounds) + LEASE_MARGIN


@dataclass
class _Cache:
    """Bodies per event (one event goes to many subscribers) and subscriptions per batch."""

    bodies: dict[int, bytes]
    subs: dict[int, WebhookSubscription]


def _prepare(engine: Engine, settings: Settings, claims: list[Claimed], cache: _Cache,
             now: datetime) -> list[tuple[Claimed, Outgoing | None]]:
    """The signed request of each claim (None when its subscription has just been deleted)."""
    with Session(engine, expire_on_commit=False) as session:
        missing = {c.event_id for c in claims} - set(cache.bodies)
        if len(cache.bodies) > 20_000:
            cache.bodies.clear()
        events: dict[int, ChangeEvent] = store.load_events(session, missing)
        for event_id, e in events.items():
            cache.bodies[event_id] = build_body(
                e.type, e.created_at, e.event_id, e.payload or {}, recommendation_id=e.recommendation_id,
                public_base_url=settings.public_base_url)
        cache.subs = store.load_subscriptions(session, {c.subscription_id for c in claims})
    timestamp = int(time.time())
    out: list[tuple[Claimed, Outgoing | None]] = []
    for c in claims:
        sub, body = cache.subs.get(c.subscription_id), cache.bodies.get(c.event_id)
        if sub is None or body is None:  # deleted meanwhile
            out.append((c, None))
            continue
        signing = secrets_in_force(sub.secret, sub.previous_secret, sub.previous_secret_expires_at, now)
        headers = webhook_headers(signing, c.webhook_id, timestamp, body, settings.user_agent)
        headers[ATTEMPT_HEADER] = str(c.attempt)
        out.append((c, Outgoing(sub.url, body, headers)))
    return out


def deliver_due(engine: Engine, settings: Settings, *, now: datetime | None = None,
                client: Dispatcher | None = None, rng: random.Random | None = None) -> int:
    """Send every delivery due at `now` (default: the real time, read at each claim).

    Returns the number of attempts made. `client` is a shared `Sender` (connection pools) or
    `ProcessSender`; without one a sender is made for this call. Never raises for a receiver's failure: every
    failure is an attempt on record. `rng` makes the retry jitter reproducible.
    """
    own = Sender(settings) if client is None else None
    sender: Dispatcher = client if client is not None else own  # type: ignore[assignment]
    clock: Callable[[], datetime] = (lambda: now) if now is not None else utcnow
    lease = lease_for(settings)
    batch, refill = max(1, settings.webhook_batch_size), refill_below(settings)
    cache = _Cache({}, {})
    inbox: Inbox[Claimed] = Inbox()
    inflight, attempts, drained = 0, 0, False
    pending: list[tuple[Claimed, Outcome]] = []
    flush_at = 0.0
    try:
        while True:
            if not drained and inflight < refill and not sender.alive:
                drained = True  # nothing could be sent: leave the work for a working sender
            if not drained and inflight < refill:
                claim_now = clock()
                claims = store.claim(engine, claim_now, batch, lease)
                drained = len(claims) < batch
                start_by = time.monotonic() + (lease - LEASE_MARGIN).total_seconds() - sender.timeout
                ready = []
                for c, outgoing in _prepare(engine, settings, claims, cache, claim_now):
                    if outgoing is None:  # deleted meanwhile: give it back
                        pending.append((c, Outcome(None, 0, error="deleted", sent=False)))
                    else:
                        ready.append((c, outgoing))
                sender.dispatch(ready, inbox, start_by=start_by)
                inflight += len(ready)
            if inflight:
                got = inbox.get(max(0.0, flush_at - time.monotonic()) if pending else None)
                if got and not pending:
                    flush_at = time.monotonic() + FLUSH_DELAY
                pending.extend(got)
                inflight -= len(got)
                attempts += sum(1 for _, o in got if o.sent)
            if pending and (not inflight or len(pending) >= FLUSH_SIZE
                            or time.monotonic() >= flush_at):
                record_outcomes(engine, settings, pending, clock(), rng)
                pending = []
            if not inflight and not pending and drained:
                return attempts
    finally:
        if own is not None:
            own.close()
