"""What an attempt's outcome means for the delivery and its subscription, stored promptly.

Attempts are committed in their own short transactions, in groups, at most 0.1 s after they
finish (`delivery.FLUSH_DELAY`; never held back for the rest of a batch), so a crash loses at
most the attempts on the wire or just answered — and those are sent again with the same
webhook-id when their lease runs out.

Rules: 2xx succeeds; anything else (redirects included) is retried on the schedule in
`retries`; `410 Gone` gives up and disables the subscription at once; a subscription whose
deliveries have failed without a single success for `webhook_disable_after_days` is disabled
too. Disabling records a `subscription.disabled` change event (through `ingest.events.emit`,
the one writer of the outbox).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from service.config import Settings
from service.ingest.events import emit
from service.models import DeliveryStatus, WebhookSubscription
from service.webhooks import store
from service.webhooks.matching import SUBSCRIPTION_DISABLED
from service.webhooks.retries import next_attempt_at, parse_retry_after
from service.webhooks.sender import Outcome
from service.webhooks.store import AttemptRecord, Claimed

log = logging.getLogger(__name__)
GONE = 410


def attempt_record(claimed: Claimed, outcome: Outcome, now: datetime,
                   rng: random.Random | None = None) -> AttemptRecord:
    """The delivery's next state after `outcome`."""
    status, when = DeliveryStatus.SUCCEEDED.value, now
    if not outcome.ok:
        retry_after = parse_retry_after(outcome.retry_after, now)
        later = None if outcome.http_status == GONE else \
            next_attempt_at(claimed.attempt, now, retry_after=retry_after, rng=rng)
        status = DeliveryStatus.FAILED.value if later is None else DeliveryStatus.PENDING.value
        when = later or now
    return AttemptRecord(claimed=claimed, started_at=now - timedelta(milliseconds=outcome.duration_ms),
                         status=status, next_attempt_at=when, http_status=outcome.http_status,
                         duration_ms=outcome.duration_ms, error=outcome.error,
                         response_excerpt=outcome.response_excerpt)


def disable_subscription(session: Session, subscription_id: int, reason: str, now: datetime) -> bool:
    """Disable the subscription (if still active) and record `subscription.disabled`."""
    if not store.deactivate(session, subscription_id, reason, now):
        return False
    sub = session.get(WebhookSubscription, subscription_id)
    assert sub is not None
    emit(session, SUBSCRIPTION_DISABLED, payload={"subscription": {
        "id": sub.id, "url": sub.url, "created_by": sub.created_by, "reason": reason,
        "disabled_at": now.isoformat()}})
    log.warning("webhook subscription %s disabled: %s", subscription_id, reason)
    return True


def _apply(session: Session, settings: Settings, results: Sequence[tuple[Claimed, Outcome]],
           now: datetime, rng: random.Random | None) -> None:
    store.release(session, [c for c, o in results if not o.sent])
    sent = [(c, o) for c, o in results if o.sent]
    store.store_attempts(session, [attempt_record(c, o, now, rng) for c, o in sent], now)
    succeeded = {c.subscription_id for c, o in sent if o.ok}
    gone = {c.subscription_id for c, o in sent if o.http_status == GONE}
    failing = {c.subscription_id for c, o in sent if not o.ok} - succeeded - gone
    store.mark_succeeding(session, succeeded)
    for sub_id in sorted(gone):
        disable_subscription(session, sub_id, "the endpoint answered 410 Gone", now)
    limit = timedelta(days=settings.webhook_disable_after_days)
    for sub_id, since in sorted(store.mark_failing(session, failing, now).items()):
        if now - since >= limit:
            disable_subscription(session, sub_id, f"every delivery failed for "
                                 f"{settings.webhook_disable_after_days:g} days (since "
                                 f"{since:%Y-%m-%d %H:%M} UTC)", now)


def record_outcomes(engine: Engine, settings: Settings, results: Sequence[tuple[Claimed, Outcome]],
                    now: datetime, rng: random.Random | None = None) -> None:
    """Store attempts and their consequences in one commit (one per result if that fails)."""
    if not results:
        return
    try:
        with Session(engine) as session:
            _apply(session, settings, results, now, rng)
            session.commit()
        return
    except IntegrityError:
        log.info("webhook attempts: storing one by one (a subscription was deleted meanwhile)")
    for result in results:
        try:
            with Session(engine) as session:
                _apply(session, settings, [result], now, rng)
                session.commit()
        except IntegrityError:  # its delivery went with its subscription: nothing left to record
            continue
