"""SQL for subscriptions, the delivery log, redelivery and replay, and the lookups fan-out needs.

Functions work in the caller's session; the caller (a route or a job) commits. Given a
`principal`, lookups honour ownership: editors reach only subscriptions their key created
(anything else is "not found", so ids of others' subscriptions reveal nothing); admins reach all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from service.auth.keys import Principal
from service.errors import Conflict, InvalidParameter, NotFound
from service.models import (
    ROLE_RANK,
    ChangeEvent,
    DeliveryStatus,
    RecommendationTheme,
    Role,
    Theme,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from service.models._common import utcnow
from service.webhooks.signing import generate_secret, new_webhook_id

MAX_REPLAY_EVENTS = 10_000  # one replay call; ask for a later `since` beyond that


# --- subscriptions -------------------------------------------------------------------------

def create_subscription(session: Session, *, url: str, event_types: list[str],
                        filters: dict[str, list[str]], created_by: str,
                        owner_key_id: int | None = None) -> WebhookSubscription:
    """A new active subscription with a fresh secret, owned by `owner_key_id` (None: admins only)."""
    sub = WebhookSubscription(url=url, secret=generate_secret(), event_types=event_types,
                              filters=filters, created_by=created_by, owner_key_id=owner_key_id)
    session.add(sub)
    session.flush()
    return sub


def sees_all(principal: Principal) -> bool:
    """Admins manage every subscription; editors only their own."""
    return ROLE_RANK[principal.role] >= ROLE_RANK[Role.ADMIN]


def may_manage(principal: Principal | None, sub: WebhookSubscription) -> bool:
    """None is a job or the CLI (no ownership); otherwise admin, or the owning key."""
    return principal is None or sees_all(principal) or sub.owner_key_id == principal.key_id


def get_subscription(session: Session, subscription_id: int,
                     principal: Principal | None = None) -> WebhookSubscription:
    """The subscription if `principal` may manage it; NotFound otherwise (also for others')."""
    sub = session.get(WebhookSubscription, subscription_id)
    if sub is None or not may_manage(principal, sub):
        raise NotFound(f"no webhook subscription {subscription_id}")
    return sub


def delivery_event(session: Session, delivery: WebhookDelivery) -> ChangeEvent:
    """The change event a delivery carries (deliveries never outlive their event)."""
    event = session.get(ChangeEvent, delivery.event_id)
    assert event is not None
    return event


def list_subscriptions(session: Session, *, after_id: int | None, limit: int,
                       principal: Principal | None = None) -> tuple[list[WebhookSubscription], int]:
    """A page of the subscriptions `principal` may manage, by id, and their total."""
    conds = []
    if principal is not None and not sees_all(principal):
        conds.append(WebhookSubscription.owner_key_id == principal.key_id)
    total = session.execute(select(func.count()).select_from(WebhookSubscription).where(*conds)).scalar_one()
    stmt = select(WebhookSubscription).where(*conds).order_by(WebhookSubscription.id).limit(limit)
    if after_id is not None:
        stmt = stmt.where(WebhookSubscription.id > after_id)
    return list(session.execute(stmt).scalars()), total


def rotate_secret(session: Session, sub: WebhookSubscription, *, grace: timedelta,
                  now: datetime | None = None) -> str:
    """Give `sub` a new secret; the current one keeps signing alongside for `grace`."""
    now = now or utcnow()
    sub.previous_secret, sub.previous_secret_expires_at = sub.secret, now + grace
    sub.secret = generate_secret()
    sub.updated_at = now
    session.add(sub)
    return sub.secret


def active_subscriptions(session: Session) -> list[WebhookSubscription]:
    return list(session.execute(select(WebhookSubscription)
                                .where(WebhookSubscription.active.is_(True))).scalars())


# --- fan-out helpers ---------------------------------------------------------------------------

def theme_names(session: Session, recommendation_ids: Iterable[int]) -> dict[int, frozenset[str]]:
    """Lower-cased theme names per recommendation (one query for a whole batch)."""
    ids = sorted(set(recommendation_ids))
    if not ids:
        return {}
    names: dict[int, set[str]] = defaultdict(set)
    for i in range(0, len(ids), 500):
        rows = session.execute(
            select(RecommendationTheme.recommendation_id, Theme.name)
            .join(Theme, Theme.id == RecommendationTheme.theme_id)
            .where(RecommendationTheme.recommendation_id.in_(ids[i:i + 500])))
        for rec_id, name in rows:
            names[rec_id].add(name.lower())
    return {k: frozenset(v) for k, v in names.items()}


def delivery_row(subscription_id: int, event_id: int, now: datetime, replay: int = 0,
                 webhook_id: str | None = None) -> dict[str, Any]:
    """The column values of a new pending delivery, due at `now`."""
    return {"subscription_id": subscription_id, "event_id": event_id,
            "webhook_id": webhook_id or new_webhook_id(), "replay": replay,
            "status": DeliveryStatus.PENDING.value, "attempts": 0, "next_attempt_at": now,
            "locked_until": None, "created_at": now, "updated_at": now}


def insert_deliveries(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert deliveries, ignoring any that exist: fan-out may read an event twice."""
    if not rows:
        return
    dialect_insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = dialect_insert(WebhookDelivery.__table__).on_conflict_do_nothing(
        index_elements=["subscription_id", "event_id", "replay"])
    for i in range(0, len(rows), 1000):
        session.execute(stmt, list(rows[i:i + 1000]))


# --- the delivery log ---------------------------------------------------------------------

def list_deliveries(session: Session, subscription_id: int, *, before_id: int | None, limit: int
                    ) -> tuple[list[tuple[WebhookDelivery, ChangeEvent]], dict[int, list[WebhookAttempt]], int]:
    """Newest deliveries first, with their events, attempts (by delivery id) and the total."""
    total = session.execute(select(func.count()).select_from(WebhookDelivery)
                            .where(WebhookDelivery.subscription_id == subscription_id)).scalar_one()
    stmt = (select(WebhookDelivery, ChangeEvent)
            .join(ChangeEvent, ChangeEvent.id == WebhookDelivery.event_id)
            .where(WebhookDelivery.subscription_id == subscription_id)
            .order_by(WebhookDelivery.id.desc()).limit(limit))
    if before_id is not None:
        stmt = stmt.where(WebhookDelivery.id < before_id)
    rows = [(d, e) for d, e in session.execute(stmt)]
    attempts: dict[int, list[WebhookAttempt]] = defaultdict(list)
    if rows:
        for a in session.execute(select(WebhookAttempt)
                                 .where(WebhookAttempt.delivery_id.in_([d.id for d, _ in rows]))
                                 .order_by(WebhookAttempt.delivery_id, WebhookAttempt.attempt)).scalars():
            attempts[a.delivery_id].append(a)
    return rows, attempts, total


def _next_replay(session: Session, subscription_id: int, event_ids: list[int]) -> dict[int, int]:
    rows = session.execute(select(WebhookDelivery.event_id, func.max(WebhookDelivery.replay))
                           .where(WebhookDelivery.subscription_id == subscription_id,
                                  WebhookDelivery.event_id.in_(event_ids))
                           .group_by(WebhookDelivery.event_id))
    latest = dict(rows.all())
    return {e: latest.get(e, -1) + 1 for e in event_ids}


def _require_active(sub: WebhookSubscription) -> None:
    if not sub.active:
        raise Conflict(f"webhook subscription {sub.id} is disabled ({sub.disabled_reason or 'by its owner'}); "
                       "re-enable it with PATCH {\"active\": true} first")


def redeliver(session: Session, delivery_id: int, *, now: datetime | None = None,
              principal: Principal | None = None) -> WebhookDelivery:
    """A new delivery of the same event to the same subscription, with a new webhook-id; only of
    a subscription `principal` may manage (NotFound otherwise)."""
    original = session.get(WebhookDelivery, delivery_id)
    sub = session.get(WebhookSubscription, original.subscription_id) if original is not None else None
    if original is None or sub is None or not may_manage(principal, sub):
        raise NotFound(f"no webhook delivery {delivery_id}")
    _require_active(sub)
    replay = _next_replay(session, original.subscription_id, [original.event_id])[original.event_id]
    copy = WebhookDelivery(**delivery_row(original.subscription_id, original.event_id,
                                          now or utcnow(), replay))
    session.add(copy)
    try:
        session.flush()
    except IntegrityError as exc:  # a simultaneous redelivery took the same replay number
        session.rollback()
        raise Conflict("this delivery is being redelivered already; try again") from exc
    return copy


def replay_candidates(session: Session, since: datetime) -> list[ChangeEvent]:
    """Non-baseline events since `since`, oldest first; InvalidParameter past the cap."""
    events = list(session.execute(
        select(ChangeEvent).where(ChangeEvent.created_at >= since, ChangeEvent.baseline.is_(False))
        .order_by(ChangeEvent.id).limit(MAX_REPLAY_EVENTS + 1)).scalars())
    if len(events) > MAX_REPLAY_EVENTS:
        raise InvalidParameter(f"since: more than {MAX_REPLAY_EVENTS} events since {since.isoformat()}; "
                               "choose a later time and replay in parts")
    return events


def queue_replay(session: Session, sub: WebhookSubscription, events: list[ChangeEvent], *,
                 now: datetime | None = None) -> int:
    """New deliveries of `events` (already matched) to `sub`; returns how many."""
    _require_active(sub)
    if not events:
        return 0
    now = now or utcnow()
    next_replay = _next_replay(session, sub.id, [e.id for e in events])
    insert_deliveries(session, [delivery_row(sub.id, e.id, now, next_replay[e.id]) for e in events])
    return len(events)
