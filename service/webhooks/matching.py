"""Which events a subscription wants: event types and filters, validated once and matched often.

Matching is pure (no SQL): the caller passes the recommendation's theme names, loaded in one
query per batch of events, so fan-out stays one pass over the batch.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from scrapers.records import Mechanism, Position
from service.ingest.events import EventType

EVENT_TYPES = EventType.all()
ANY_EVENT = "*"
SUBSCRIPTION_DISABLED = EventType.SUBSCRIPTION_DISABLED
FILTER_KEYS = ("states", "mechanisms", "themes", "positions")
_ISO3 = re.compile(r"^[A-Z]{3}$")


class FilterError(ValueError):
    """A subscription asks for something that does not exist; the message says what."""


def validate_event_types(types: Iterable[str]) -> list[str]:
    """Known event types (or `*`), deduplicated in order; FilterError names the unknown ones."""
    out = list(dict.fromkeys(t.strip() for t in types))
    if not out:
        raise FilterError("event_types: give at least one event type, or \"*\" for all")
    unknown = [t for t in out if t != ANY_EVENT and t not in EVENT_TYPES]
    if unknown:
        raise FilterError(f"event_types: unknown event type(s) {', '.join(map(repr, unknown))}; "
                          f"use \"*\" or any of: {', '.join(EVENT_TYPES)}")
    return [ANY_EVENT] if ANY_EVENT in out else out


def validate_filters(filters: dict[str, Any] | None) -> dict[str, list[str]]:
    """Normalised filters (ISO3 upper-case, known mechanisms and positions); empty lists dropped."""
    filters = filters or {}
    unknown_keys = sorted(set(filters) - set(FILTER_KEYS))
    if unknown_keys:
        raise FilterError(f"filters: unknown filter(s) {', '.join(unknown_keys)}; "
                          f"use {', '.join(FILTER_KEYS)}")
    out: dict[str, list[str]] = {}
    for key in FILTER_KEYS:
        values = filters.get(key) or []
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise FilterError(f"filters.{key}: a list of strings")
        values = list(dict.fromkeys(v.strip() for v in values if v.strip()))
        if not values:
            continue
        if key == "states":
            values = [v.upper() for v in values]
            bad = [v for v in values if not _ISO3.match(v)]
            if bad:
                raise FilterError(f"filters.states: {', '.join(bad)} not ISO 3166 alpha-3 codes (e.g. AZE)")
        elif key in ("mechanisms", "positions"):
            allowed = [m.value for m in (Mechanism if key == "mechanisms" else Position)]
            values = [v.lower() for v in values]
            bad = [v for v in values if v not in allowed]
            if bad:
                raise FilterError(f"filters.{key}: unknown {', '.join(bad)}; use {', '.join(allowed)}")
        out[key] = values
    return out


@dataclass(frozen=True)
class EventFacts:
    """What filters look at in one change event."""

    type: str
    state: str | None
    mechanism: str | None
    position: str | None
    themes: frozenset[str]  # lower-cased theme names of the event's recommendation
    owner: str | None = None  # for subscription.disabled: who owns the disabled subscription


def event_position(type_: str, payload: dict[str, Any]) -> str | None:
    """The position an event is about: the new one for a position change, else the current one."""
    if type_ == "recommendation.position_changed" and isinstance(payload.get("new"), str):
        return payload["new"]
    rec = payload.get("recommendation")
    return rec.get("position") if isinstance(rec, dict) else None


def matches(event_types: list[str], filters: dict[str, Any], owner: str, facts: EventFacts) -> bool:
    """True when a subscription with these settings should receive the event.

    A filter on a field the event lacks (a state filter and `source.failing`) excludes it.
    `subscription.disabled` goes only to subscriptions of the same owner: other subscribers
    have no business learning about somebody else's endpoint.
    """
    if ANY_EVENT not in event_types and facts.type not in event_types:
        return False
    if facts.type == SUBSCRIPTION_DISABLED and facts.owner != owner:
        return False
    if filters.get("states") and facts.state not in filters["states"]:
        return False
    if filters.get("mechanisms") and facts.mechanism not in filters["mechanisms"]:
        return False
    if filters.get("positions") and facts.position not in filters["positions"]:
        return False
    if filters.get("themes"):
        wanted = {t.lower() for t in filters["themes"]}
        if not wanted & facts.themes:
            return False
    return True
