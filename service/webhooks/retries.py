"""When to try a failed delivery again (DESIGN.md §4 step 7).

Attempt 1 is immediate; retries follow after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h
(about 28 hours in all), each with ±10 % jitter so that a receiver coming back from an outage
is not hit by every delivery in the same second. A `Retry-After` from the receiver is honoured:
we never come back earlier than it asked (capped at a day, so a typo cannot park a delivery).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from scrapers.http import parse_retry_after as retry_after_seconds

RETRY_DELAYS = (
    timedelta(seconds=5), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
    timedelta(hours=5), timedelta(hours=10), timedelta(hours=10),
)
MAX_ATTEMPTS = 1 + len(RETRY_DELAYS)
JITTER = 0.1
MAX_RETRY_AFTER = timedelta(days=1)


def parse_retry_after(value: str | None, now: datetime) -> timedelta | None:
    """`Retry-After` as seconds or an HTTP date, capped at a day; None when absent or unreadable."""
    seconds = retry_after_seconds(value, now)
    return None if seconds is None else min(timedelta(seconds=seconds), MAX_RETRY_AFTER)


def next_attempt_at(attempt: int, now: datetime, *, retry_after: timedelta | None = None,
                    rng: random.Random | None = None) -> datetime | None:
    """When to make attempt `attempt + 1` after attempt `attempt` failed; None: give up."""
    if attempt >= MAX_ATTEMPTS:
        return None
    base = RETRY_DELAYS[attempt - 1]
    delay = base * (1 + (rng or random).uniform(-JITTER, JITTER))
    if retry_after is not None and retry_after > delay:
        delay = retry_after
    return now + delay
