"""One reader of the change-event log for every poller (`/api/v1/changes`, the Atom feed, ...).

Pollers read `id > cursor`. On PostgreSQL ids come from a sequence and are handed out at INSERT,
not at COMMIT: a long import that took id N and commits late becomes visible after N+1, which a
quick transaction committed meanwhile. A poller that returned N+1 with a cursor past N would never
see N. So every read is capped at a *safe horizon*: the highest id H such that no id <= H can
still appear (every id <= H is visible now, or its transaction has ended).

How H is found, statelessly (no memory in the process, cursors stay plain ids):

* `top` = the highest visible id, then, in the same statement (so later than its snapshot), is
  any other transaction holding a write lock on the table? Every writer takes that lock before its
  INSERT draws an id and keeps it until it ends. A holder of an id below `top` drew it before
  `top`'s writer did, so before the snapshot; if no writer holds the lock, they have all ended and
  a later statement sees every one that committed: H = top ("quiet").
* Otherwise ("busy") the holes above the reader's base are suspect: H = first missing id - 1.
  The base is the caller's cursor, raised to the webhook outbox's cursor, below which the outbox
  has already proved every hole settled (see `service.webhooks.outbox`) — so a rolled-back id is
  passed as soon as the outbox passes it, or at the first quiet read.

SQLite has one writer at a time, so ids become visible in order: no cap there.
Assumes READ COMMITTED (each statement sees what committed before it; PostgreSQL's default) and a
sequence without a per-session cache (the default: `serial`/identity with CACHE 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select, text
from sqlmodel import Session

from service.models import ChangeEvent, OutboxCursor
from service.webhooks.outbox import CURSOR_NAME as OUTBOX_CURSOR

COUNT_CAP = 10_000  # `total` counts at most this many events: a poll never counts the whole log

_TABLE = ChangeEvent.__tablename__

_PROBE = text(f"""
SELECT (SELECT max(id) FROM {_TABLE}) AS top,
       (SELECT position FROM {OutboxCursor.__tablename__} WHERE name = :outbox) AS settled,
       EXISTS (SELECT 1 FROM pg_locks l
               WHERE l.locktype = 'relation' AND l.relation = '{_TABLE}'::regclass
                 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                 AND l.mode = 'RowExclusiveLock'
                 AND l.pid IS DISTINCT FROM pg_backend_pid()) AS busy
""")

# The first id above :base that is not visible (NULL: none up to :top).
_FIRST_HOLE = text(f"""
SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM {_TABLE} WHERE id = :base + 1) THEN :base + 1
       ELSE (SELECT e.id + 1 FROM {_TABLE} e
             WHERE e.id > :base AND e.id < :top
               AND NOT EXISTS (SELECT 1 FROM {_TABLE} n WHERE n.id = e.id + 1)
             ORDER BY e.id LIMIT 1) END
""")


@dataclass(frozen=True)
class Window:
    """A page of events after a cursor, and the horizon the read was capped at."""

    events: list[ChangeEvent]
    more: bool  # more events up to the horizon: fetch the next page now
    horizon: int | None  # None: no cap (SQLite)


def safe_horizon(session: Session, base: int = 0) -> int | None:
    """The highest id a reader that has seen everything up to `base` may read now (None: any)."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    top, settled, busy = session.execute(_PROBE, {"outbox": OUTBOX_CURSOR}).one()
    if top is None:
        return 0
    if not busy:
        return int(top)
    start = max(base, int(settled or 0))
    if start >= top:
        return int(top)
    hole = session.execute(_FIRST_HOLE, {"base": start, "top": top}).scalar_one()
    return int(top) if hole is None else min(int(top), int(hole) - 1)


def conditions(*, type: str | None = None, state: str | None = None) -> list[ColumnElement[bool]]:
    """The filters a poller may ask for: an event type, a state under review."""
    conds: list[ColumnElement[bool]] = []
    if type:
        conds.append(ChangeEvent.type == type)
    if state:
        conds.append(ChangeEvent.state == state.upper())
    return conds


def _capped(horizon: int | None) -> list[ColumnElement[bool]]:
    return [] if horizon is None else [ChangeEvent.id <= horizon]


def read_after(session: Session, after: int, where: Sequence[ColumnElement[bool]] = (),
               limit: int = 100) -> Window:
    """Events with id > `after` (oldest first) matching `where`, never past the safe horizon."""
    horizon = safe_horizon(session, after)
    stmt = (select(ChangeEvent).where(*where, ChangeEvent.id > after, *_capped(horizon))
            .order_by(ChangeEvent.id).limit(limit + 1))
    rows = list(session.execute(stmt).scalars())
    return Window(events=rows[:limit], more=len(rows) > limit, horizon=horizon)


def count_after(session: Session, after: int, horizon: int | None,
                where: Sequence[ColumnElement[bool]] = (), cap: int = COUNT_CAP) -> int:
    """How many events `read_after` could return from `after` on, counting at most `cap`."""
    ids = (select(ChangeEvent.id).where(*where, ChangeEvent.id > after, *_capped(horizon))
           .limit(cap).subquery())
    return int(session.execute(select(func.count()).select_from(ids)).scalar_one())


def latest(session: Session, where: Sequence[ColumnElement[bool]] = (),
           limit: int = 100) -> list[ChangeEvent]:
    """The newest events (newest first) up to the safe horizon, for feeds without a cursor."""
    horizon = safe_horizon(session)
    stmt = (select(ChangeEvent).where(*where, *_capped(horizon))
            .order_by(ChangeEvent.id.desc()).limit(limit))
    return list(session.execute(stmt).scalars())
