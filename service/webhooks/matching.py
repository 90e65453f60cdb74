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
# The `/recommendations` filter names, each a list here (a subscription may watch several).
FILTER_KEYS = ("state", "mechanism", "theme", "position")
# Deprecated plural spelling: accepted on create and update (stored as the new one), and still
# read when matching, so subscriptions stored before the rename keep receiving their events.
LEGACY_KEYS = {"states": "state", "mechanisms": "mechanism", "themes": "theme", "positions": "position"}
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


def canonical(filters: dict[str, Any] | None) -> dict[str, Any]:
    """Filters in the current spelling: legacy plural keys renamed, values under both merged."""
    out: dict[str, Any] = {}
    for key, values in (filters or {}).items():
        name = LEGACY_KEYS.get(key, key)
        if name in out and isinstance(out[name], list) and isinstance(values, list):
            values = list(dict.fromkeys([*out[name], *values]))
        out[name] = values
    return out


def validate_filters(filters: dict[str, Any] | None) -> dict[str, list[str]]:
    """Normalised filters in the current spelling (ISO3 upper-case, known mechanisms and
    positions); the deprecated plural keys are accepted and renamed; empty lists dropped."""
    raw = filters or {}
    unknown_keys = sorted(set(raw) - set(FILTER_KEYS) - set(LEGACY_KEYS))
    if unknown_keys:
        raise FilterError(f"filters: unknown filter(s) {', '.join(unknown_keys)}; "
                          f"use {', '.join(FILTER_KEYS)}")
    for key, values in raw.items():
        if values is not None and (not isinstance(values, list)
                                   or not all(isinstance(v, str) for v in values)):
            raise FilterError(f"filters.{key}: a list of strings")
    filters = canonical({k: v for k, v in raw.items() if v is not None})
    out: dict[str, list[str]] = {}
    for key in FILTER_KEYS:
        values = list(dict.fromkeys(v.strip() for v in filters.get(key) or [] if v.strip()))
        if not values:
            continue
        if key == "state":
            values = [v.upper() for v in values]
            bad = [v for v in values if not _ISO3.match(v)]
            if bad:
                raise FilterError(f"filters.state: {', '.join(bad)} not ISO 3166 alpha-3 codes (e.g. AZE)")
        elif key in ("mechanism", "position"):
            allowed = [m.value for m in (Mechanism if key == "mechanism" else Position)]
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
    if (states := _wanted(filters, "state", "states")) and facts.state not in states:
        return False
    if (mechanisms := _wanted(filters, "mechanism", "mechanisms")) and facts.mechanism not in mechanisms:
        return False
    if (positions := _wanted(filters, "position", "positions")) and facts.position not in positions:
        return False
    if themes := _wanted(filters, "theme", "themes"):
        if not {t.lower() for t in themes} & facts.themes:
            return False
    return True


def _wanted(filters: dict[str, Any], key: str, legacy: str) -> list[str] | None:
    """A stored filter's values under either spelling (rows stored before the rename use the
    old one; `validate_filters` never stores both)."""
    return filters.get(key) or filters.get(legacy)
