"""Cached aggregates for dashboard and state counts, invalidated by change events.

Every write that changes counts also writes a change event, so the newest change-event id is a
version number for all aggregates: one indexed MAX() decides whether a cached value still holds.
Per process; web workers each keep their own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlmodel import Session

from service.models import ChangeEvent

T = TypeVar("T")
_MAX_ENTRIES = 2048


class AggregateCache:
    def __init__(self) -> None:
        self._values: dict[tuple[str, Any], tuple[tuple, Any]] = {}
        self._lock = threading.Lock()

    def get(self, session: Session, key: tuple[str, Any], compute: Callable[[], T]) -> T:
        # The newest event's uuid, not only its id: ids restart when a database is restored or
        # emptied, uuids never repeat.
        version = tuple(session.execute(select(ChangeEvent.id, ChangeEvent.event_id)
                                        .order_by(ChangeEvent.id.desc()).limit(1)).first() or ())
        bound = session.get_bind()
        full_key = (str(bound.url), *key)
        with self._lock:
            hit = self._values.get(full_key)
        if hit is not None and hit[0] == version:
            return hit[1]
        value = compute()
        with self._lock:
            if len(self._values) >= _MAX_ENTRIES:
                self._values.clear()
            self._values[full_key] = (version, value)
        return value


AGGREGATES = AggregateCache()
