"""Reading the change-event outbox without ever skipping an event.

The outbox is read by id after a cursor (`OutboxCursor` "webhooks"). On PostgreSQL ids come
from a sequence and are handed out at INSERT, not at COMMIT: a scrape import that inserted
event 100 and commits five minutes later becomes visible after event 101, which a quick
transaction committed meanwhile. Advancing the cursor past 101 would lose 100 for good.

So the reader remembers holes (gaps) in the ids it has seen. Events after a gap are handed out
at once (nothing waits behind a long import); the cursor stops just before the oldest gap; a
gap is given up only when every transaction that could still fill it has ended — every
transaction running when the gap was noticed is older than the current snapshot's xmin (ids
of rolled-back inserts are never filled). SQLite has one writer at a time and reuses ids, so
a hole there is never filled later and is skipped at once.

The remembered state lives in this process and is applied only after the caller's transaction
commits; a process that restarts re-reads from the cursor, and deliveries are created
idempotently, so re-reading is harmless.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field

from sqlalchemy import Engine, event, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from service.models import ChangeEvent, OutboxCursor

CURSOR_NAME = "webhooks"


@dataclass
class Gap:
    """Ids lo..hi not seen yet; `horizon`: the xmax after which they can no longer appear."""

    lo: int
    hi: int
    horizon: int | None = None


@dataclass
class ReaderState:
    high_water: int = 0  # highest id handed out (ids <= high_water outside gaps are done)
    gaps: list[Gap] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class Batch:
    """Events to fan out, and where the cursor may move once they are handled."""

    events: list[ChangeEvent]
    cursor: int
    new_cursor: int
    full: bool  # the batch hit its limit: more events may be waiting


_states: weakref.WeakKeyDictionary[Engine, dict[str, ReaderState]] = weakref.WeakKeyDictionary()
_states_lock = threading.Lock()


def _state(session: Session, name: str) -> ReaderState:
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    with _states_lock:
        return _states.setdefault(engine, {}).setdefault(name, ReaderState())


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def lock_cursor(session: Session, name: str = CURSOR_NAME) -> int | None:
    """The cursor position, row-locked on PostgreSQL; None while another worker holds it."""
    stmt = select(OutboxCursor.position).where(OutboxCursor.name == name)
    if _is_postgres(session):
        stmt = stmt.with_for_update(skip_locked=True)
    position = session.execute(stmt).scalar_one_or_none()
    if position is None:
        dialect_insert = pg_insert if _is_postgres(session) else sqlite_insert
        session.execute(dialect_insert(OutboxCursor).values(name=name, position=0)
                        .on_conflict_do_nothing(index_elements=["name"]))
        position = session.execute(stmt).scalar_one_or_none()
    return position


def _snapshot_horizon(session: Session) -> tuple[int, int]:
    """(xmin, xmax) of the current PostgreSQL snapshot."""
    row = session.execute(text("SELECT pg_snapshot_xmin(s)::text::bigint, "
                               "pg_snapshot_xmax(s)::text::bigint FROM pg_current_snapshot() s")
                          ).one()
    return int(row[0]), int(row[1])


def _remaining_gaps(gaps: list[Gap], found: set[int]) -> list[Gap]:
    """Split gaps around the ids that have turned up."""
    out: list[Gap] = []
    for gap in gaps:
        lo = gap.lo
        for i in sorted(x for x in found if gap.lo <= x <= gap.hi):
            if i > lo:
                out.append(Gap(lo, i - 1, gap.horizon))
            lo = i + 1
        if lo <= gap.hi:
            out.append(Gap(lo, gap.hi, gap.horizon))
    return out


def read_batch(session: Session, limit: int, name: str = CURSOR_NAME) -> Batch | None:
    """The next events to fan out (in id order), or None when another worker is reading.

    Call `commit_batch` in the same transaction once the events are handled.
    """
    postgres = _is_postgres(session)
    horizon = _snapshot_horizon(session) if postgres else None
    cursor = lock_cursor(session, name)
    if cursor is None:
        return None
    state = _state(session, name)
    with state.lock:
        high_water = max(state.high_water, cursor)
        gaps = [Gap(max(g.lo, cursor + 1), g.hi, g.horizon) for g in state.gaps if g.hi > cursor]
    wanted = [ChangeEvent.id > high_water] + [ChangeEvent.id.between(g.lo, g.hi) for g in gaps]
    events = list(session.execute(select(ChangeEvent).where(or_(*wanted))
                                  .order_by(ChangeEvent.id).limit(limit)).scalars())
    ids = [e.id for e in events if e.id is not None]
    gaps = _remaining_gaps(gaps, {i for i in ids if i <= high_water})
    if horizon is None:
        gaps = []  # SQLite: nothing still in flight can fill a hole
    else:
        xmin, xmax = horizon
        # Known gaps get their horizon on the read after the one that noticed them, so that a
        # transaction which took its id an instant before that snapshot (before it had an xid)
        # is covered too; a gap goes once every transaction older than its horizon has ended.
        gaps = [Gap(g.lo, g.hi, xmax if g.horizon is None else g.horizon)
                for g in gaps if g.horizon is None or xmin < g.horizon]
    for i in (i for i in ids if i > high_water):
        if i > high_water + 1 and horizon is not None:
            gaps.append(Gap(high_water + 1, i - 1))
        high_water = i
    new_cursor = min(g.lo for g in gaps) - 1 if gaps else high_water
    _apply_after_commit(session, state, high_water, gaps)
    return Batch(events=events, cursor=cursor, new_cursor=max(cursor, new_cursor),
                 full=len(events) >= limit)


def commit_batch(session: Session, batch: Batch, name: str = CURSOR_NAME) -> None:
    """Move the cursor forward (never back: another worker may have moved it further)."""
    if batch.new_cursor > batch.cursor:
        session.execute(update(OutboxCursor)
                        .where(OutboxCursor.name == name, OutboxCursor.position < batch.new_cursor)
                        .values(position=batch.new_cursor))


def _apply_after_commit(session: Session, state: ReaderState, high_water: int,
                        gaps: list[Gap]) -> None:
    """Remember what was read only once the deliveries made from it are committed."""
    live = {"ok": True}

    def on_commit(_session: Session) -> None:
        if live["ok"]:
            with state.lock:
                state.high_water, state.gaps = high_water, gaps

    def on_rollback(_session: Session) -> None:
        live["ok"] = False

    event.listen(session, "after_commit", on_commit, once=True)
    event.listen(session, "after_rollback", on_rollback, once=True)
