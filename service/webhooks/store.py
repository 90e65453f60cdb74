"""SQL of the delivery queue: claim due deliveries under a lease, record what happened.

Claiming is one short transaction. On PostgreSQL due rows are selected `FOR UPDATE SKIP LOCKED`
and leased (`locked_until`) before commit, so concurrent workers take disjoint rows; on SQLite
one conditional `UPDATE … RETURNING` does the same under the database's single write lock.
The attempt counter goes up at claim time: an attempt whose worker dies mid-send still counts,
and `(webhook-id, attempt)` is never sent twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, bindparam, or_, select, update
from sqlmodel import Session

from service.models import (
    ChangeEvent,
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)

DELIVERY = WebhookDelivery.__table__
ATTEMPT = WebhookAttempt.__table__


@dataclass(frozen=True)
class Claimed:
    """A delivery this worker holds until `locked_until` (also the lease's token)."""

    id: int
    subscription_id: int
    event_id: int
    webhook_id: str
    attempt: int
    locked_until: datetime


@dataclass(frozen=True)
class AttemptRecord:
    """The outcome of one sent attempt, ready to store."""

    claimed: Claimed
    started_at: datetime
    status: str  # the delivery's new status
    next_attempt_at: datetime
    http_status: int | None
    duration_ms: int
    error: str | None
    response_excerpt: str | None


def _due(now: datetime):  # type: ignore[no-untyped-def]
    active = select(WebhookSubscription.id).where(WebhookSubscription.active.is_(True))
    return (WebhookDelivery.status == DeliveryStatus.PENDING.value,
            WebhookDelivery.next_attempt_at <= now,
            or_(WebhookDelivery.locked_until.is_(None), WebhookDelivery.locked_until <= now),
            WebhookDelivery.subscription_id.in_(active))


def claim(engine: Engine, now: datetime, limit: int, lease: timedelta) -> list[Claimed]:
    """Lease up to `limit` due deliveries (oldest due first) in one short transaction."""
    until = now + lease
    with Session(engine) as session:
        if engine.dialect.name == "postgresql":
            ids = list(session.execute(
                select(WebhookDelivery.id).where(*_due(now))
                .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(limit)
                .with_for_update(skip_locked=True)).scalars())
            if not ids:
                return []
            where = (WebhookDelivery.id.in_(ids),)
        else:
            # One statement under SQLite's write lock: the pick cannot go stale. (Repeating the
            # conditions outside would make SQLite scan every pending row instead of the ids.)
            pick = (select(WebhookDelivery.id).where(*_due(now))
                    .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(limit))
            where = (WebhookDelivery.id.in_(pick.scalar_subquery()),)
        rows = session.execute(
            update(WebhookDelivery).where(*where)
            .values(locked_until=until, attempts=WebhookDelivery.attempts + 1, updated_at=now)
            .returning(WebhookDelivery.id, WebhookDelivery.subscription_id, WebhookDelivery.event_id,
                       WebhookDelivery.webhook_id, WebhookDelivery.attempts)
            .execution_options(synchronize_session=False)).all()
        session.commit()
    return sorted((Claimed(r[0], r[1], r[2], r[3], r[4], until) for r in rows), key=lambda c: c.id)


def release(session: Session, claims: Iterable[Claimed]) -> None:
    """Give back deliveries that were not sent (their attempt does not count)."""
    params = [{"b_id": c.id, "b_lock": c.locked_until} for c in claims]
    if params:
        session.execute(update(DELIVERY).where(DELIVERY.c.id == bindparam("b_id"),
                                               DELIVERY.c.locked_until == bindparam("b_lock"))
                        .values(locked_until=None, attempts=DELIVERY.c.attempts - 1), params)


def store_attempts(session: Session, records: Sequence[AttemptRecord], now: datetime) -> None:
    """Update the deliveries (only where our lease still stands) and append their attempts."""
    if not records:
        return
    session.execute(
        update(DELIVERY).where(DELIVERY.c.id == bindparam("b_id"),
                               DELIVERY.c.locked_until == bindparam("b_lock"))
        .values(status=bindparam("b_status"), next_attempt_at=bindparam("b_next"),
                locked_until=None, last_http_status=bindparam("b_http"),
                last_error=bindparam("b_error"), updated_at=now),
        [{"b_id": r.claimed.id, "b_lock": r.claimed.locked_until, "b_status": r.status,
          "b_next": r.next_attempt_at, "b_http": r.http_status, "b_error": r.error}
         for r in records])
    session.execute(ATTEMPT.insert(), [
        {"delivery_id": r.claimed.id, "attempt": r.claimed.attempt, "started_at": r.started_at,
         "http_status": r.http_status, "duration_ms": r.duration_ms, "error": r.error,
         "response_excerpt": r.response_excerpt} for r in records])


def load_events(session: Session, event_ids: Iterable[int]) -> dict[int, ChangeEvent]:
    ids = sorted(set(event_ids))
    if not ids:
        return {}
    return {e.id: e for e in session.execute(select(ChangeEvent).where(ChangeEvent.id.in_(ids))).scalars()}


def load_subscriptions(session: Session, subscription_ids: Iterable[int]) -> dict[int, WebhookSubscription]:
    ids = sorted(set(subscription_ids))
    if not ids:
        return {}
    return {s.id: s for s in session.execute(
        select(WebhookSubscription).where(WebhookSubscription.id.in_(ids))).scalars()}


def mark_succeeding(session: Session, subscription_ids: Iterable[int]) -> None:
    """A success ends a subscription's failing streak."""
    ids = sorted(set(subscription_ids))
    if ids:
        session.execute(update(WebhookSubscription)
                        .where(WebhookSubscription.id.in_(ids),
                               WebhookSubscription.failing_since.is_not(None))
                        .values(failing_since=None).execution_options(synchronize_session=False))


def mark_failing(session: Session, subscription_ids: Iterable[int], now: datetime
                 ) -> dict[int, datetime]:
    """Start the failing streak where none runs; returns when each active one started."""
    ids = sorted(set(subscription_ids))
    if not ids:
        return {}
    session.execute(update(WebhookSubscription)
                    .where(WebhookSubscription.id.in_(ids), WebhookSubscription.failing_since.is_(None))
                    .values(failing_since=now).execution_options(synchronize_session=False))
    rows = session.execute(select(WebhookSubscription.id, WebhookSubscription.failing_since)
                           .where(WebhookSubscription.id.in_(ids),
                                  WebhookSubscription.active.is_(True)))
    return {i: since for i, since in rows if since is not None}


def deactivate(session: Session, subscription_id: int, reason: str, now: datetime) -> bool:
    """Disable an active subscription and give up its pending deliveries; False if it was not
    active (another worker got there first)."""
    done = session.execute(update(WebhookSubscription)
                           .where(WebhookSubscription.id == subscription_id,
                                  WebhookSubscription.active.is_(True))
                           .values(active=False, disabled_reason=reason[:500], updated_at=now)
                           .execution_options(synchronize_session=False)).rowcount
    if done != 1:
        return False
    session.execute(update(DELIVERY)
                    .where(DELIVERY.c.subscription_id == subscription_id,
                           DELIVERY.c.status == DeliveryStatus.PENDING.value)
                    .values(status=DeliveryStatus.FAILED.value, locked_until=None,
                            last_error=f"subscription disabled: {reason}"[:2000], updated_at=now))
    return True
