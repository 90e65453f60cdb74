"""Fan-out: turn new change events into one pending delivery per matching subscription.

Reads the outbox after the "webhooks" cursor (see `outbox` for why no event is skipped), creates
deliveries idempotently (unique subscription, event, replay) and advances the cursor, all in
the caller's transaction — so two workers running it at once neither lose nor double anything.
Baseline events (a source's first run) are recorded but never delivered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from service.config import Settings
from service.models import ChangeEvent, WebhookSubscription
from service.models._common import utcnow
from service.webhooks import outbox, repository
from service.webhooks.matching import SUBSCRIPTION_DISABLED, EventFacts, event_position, matches
from service.webhooks.signing import new_webhook_ids

FANOUT_BATCH = 1000  # events per transaction: large enough to keep up, small enough to commit fast


@dataclass(frozen=True)
class FanOutResult:
    events: int
    deliveries: int
    more: bool  # the batch was full: call again


def event_facts(event: ChangeEvent, themes: dict[int, frozenset[str]]) -> EventFacts:
    """What the filters look at in `event`."""
    payload: dict[str, Any] = event.payload or {}
    owner = None
    if event.type == SUBSCRIPTION_DISABLED and isinstance(payload.get("subscription"), dict):
        owner = payload["subscription"].get("created_by")
    return EventFacts(type=event.type, state=event.state, mechanism=event.mechanism,
                      position=event_position(event.type, payload),
                      themes=themes.get(event.recommendation_id or -1, frozenset()), owner=owner)


def matching_subscriptions(session: Session, subs: list[WebhookSubscription],
                           events: list[ChangeEvent]) -> list[tuple[ChangeEvent, WebhookSubscription]]:
    """(event, subscription) pairs to deliver, in event order."""
    themes = repository.theme_names(session, [e.recommendation_id for e in events
                                              if e.recommendation_id is not None])
    pairs = []
    for event in events:
        facts = event_facts(event, themes)
        pairs.extend((event, sub) for sub in subs
                     if matches(sub.event_types, sub.filters, sub.created_by, facts))
    return pairs


def fan_out_batch(session: Session, settings: Settings, *, now: datetime | None = None,
                  limit: int = FANOUT_BATCH) -> FanOutResult:
    """Fan out one batch of events; the caller commits (and calls again while `more`)."""
    batch = outbox.read_batch(session, limit)
    if batch is None:  # another worker is fanning out right now
        return FanOutResult(0, 0, False)
    now = now or utcnow()
    events = [e for e in batch.events if not e.baseline]
    subs = repository.active_subscriptions(session) if events else []
    # A subscription hears of events from its creation on; older ones only by replay.
    pairs = [(e, s) for e, s in matching_subscriptions(session, subs, events)
             if s.created_at <= e.created_at]
    ids = new_webhook_ids(len(pairs))
    repository.insert_deliveries(session, [repository.delivery_row(s.id, e.id, now, webhook_id=i)
                                           for (e, s), i in zip(pairs, ids, strict=True)])
    outbox.commit_batch(session, batch)
    return FanOutResult(len(batch.events), len(pairs), batch.full)


def fan_out(session: Session, settings: Settings, *, now: datetime | None = None) -> int:
    """Fan out the next batch of change events; returns the deliveries created.

    The caller commits. To catch up with a backlog, use `fan_out_batch` and call it (committing
    each time) while `.more` is true, as `worker.fan_out_all` does.
    """
    return fan_out_batch(session, settings, now=now).deliveries
