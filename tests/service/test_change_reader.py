"""The change-feed reader never moves a poller past an event that commits late.

PostgreSQL hands out ids at INSERT: writer A takes id N and holds its transaction open, writer B
takes N+1 and commits. A poll must not return N+1 with a cursor past N, or N is lost for good.
The writers run in their own threads on their own connections; nothing is mocked.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session

from service.changes import reader
from service.ingest.events import emit
from service.models import ChangeEvent, OutboxCursor
from service.pagination import encode_cursor
from service.webhooks.outbox import CURSOR_NAME, lock_cursor

ATOM = "{http://www.w3.org/2005/Atom}"


def _committed_event(engine: Engine, note: str) -> tuple[int, str]:
    with Session(engine) as s:
        event = emit(s, "recommendation.created", payload={"n": note}, state="AZE", mechanism="upr")
        s.commit()
        assert event.id is not None
        return event.id, event.event_id


@contextmanager
def _open_writer(engine: Engine, note: str, *, commit: bool = True) -> Iterator[tuple[int, str]]:
    """A writer thread that inserts one event and keeps its transaction open until the block ends."""
    took: dict[str, tuple[int, str]] = {}
    ready, release = threading.Event(), threading.Event()
    errors: list[Exception] = []

    def run() -> None:
        try:
            with Session(engine) as s:
                event = emit(s, "recommendation.created", payload={"n": note}, state="AZE",
                             mechanism="upr")
                s.flush()  # takes its id now
                assert event.id is not None
                took["id"] = (event.id, event.event_id)
                ready.set()
                release.wait(30)
                s.commit() if commit else s.rollback()
        except Exception as exc:  # noqa: BLE001 - surfaced in the test thread
            errors.append(exc)
            ready.set()

    thread = threading.Thread(target=run, name=f"writer-{note}")
    thread.start()
    try:
        assert ready.wait(30) and not errors, errors
        yield took["id"]
    finally:
        release.set()
        thread.join(30)
    assert not thread.is_alive() and not errors, errors


def _quick_writer(engine: Engine, note: str) -> tuple[int, str]:
    """Writer B: inserts and commits in its own thread and connection."""
    out: list[tuple[int, str]] = []
    thread = threading.Thread(target=lambda: out.append(_committed_event(engine, note)))
    thread.start()
    thread.join(30)
    assert out, "writer B did not commit"
    return out[0]


def _poll(client, since: str | None) -> dict:
    res = client.get("/api/v1/changes", params={"since": since} if since else {})
    assert res.status_code == 200, res.text
    return res.json()


def _ids(page: dict) -> list[str]:
    return [item["id"] for item in page["items"]]


def _atom_ids(client) -> list[str]:
    res = client.get("/feeds/changes.atom")
    assert res.status_code == 200
    return [e.findtext(f"{ATOM}id", "").removeprefix("urn:uuid:")
            for e in ET.fromstring(res.content).iter(f"{ATOM}entry")]


def _postgres_only(db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time: ids become visible in order")


def test_a_poll_does_not_skip_an_event_that_commits_late(client, engine, db_url):
    _postgres_only(db_url)
    _committed_event(engine, "first")
    cursor = _poll(client, None)["items"][-1]["cursor"]
    with _open_writer(engine, "slow import") as (slow_id, slow_uuid):
        quick_id, quick_uuid = _quick_writer(engine, "quick")
        assert quick_id == slow_id + 1
        page = _poll(client, cursor)
        # Either nothing past the hole, or only with a cursor that still lets N be seen.
        assert quick_uuid not in _ids(page), page
        assert page["total"] == 0 and page["next"] is None
        assert quick_uuid not in _atom_ids(client)
        cursor = page["items"][-1]["cursor"] if page["items"] else cursor
    # Writer A has committed: the next poll from the returned cursor sees N, then N+1.
    page = _poll(client, cursor)
    assert _ids(page) == [slow_uuid, quick_uuid]
    assert _atom_ids(client)[:2] == [quick_uuid, slow_uuid]


def test_events_before_the_late_one_are_still_served(client, engine, db_url):
    _postgres_only(db_url)
    first_id, first_uuid = _committed_event(engine, "first")
    with _open_writer(engine, "slow import") as (_, slow_uuid):
        _quick_writer(engine, "quick")
        page = _poll(client, None)
        assert _ids(page) == [first_uuid]
        assert page["items"][-1]["cursor"] == encode_cursor([first_id])
    assert _ids(_poll(client, page["items"][-1]["cursor"]))[0] == slow_uuid


def test_a_rolled_back_event_does_not_hold_the_feed(client, engine, db_url):
    _postgres_only(db_url)
    with _open_writer(engine, "failed import", commit=False):
        _, quick_uuid = _quick_writer(engine, "quick")
        assert _ids(_poll(client, None)) == []
    assert _ids(_poll(client, None)) == [quick_uuid]  # no writer left: the hole is settled


def test_a_hole_the_outbox_has_passed_does_not_hold_a_busy_feed(client, engine, db_url):
    """While some writer is busy, holes below the webhook outbox's cursor are known settled."""
    _postgres_only(db_url)
    with _open_writer(engine, "failed import", commit=False):
        quick_id, quick_uuid = _quick_writer(engine, "quick")
    with Session(engine) as s:  # as the fan-out does once the hole's horizon has passed
        lock_cursor(s)
        s.execute(update(OutboxCursor).where(OutboxCursor.name == CURSOR_NAME)
                  .values(position=quick_id))
        s.commit()
    with _open_writer(engine, "another slow import") as (slow_id, _):
        assert _ids(_poll(client, None)) == [quick_uuid]
        with Session(engine) as s:
            assert reader.safe_horizon(s) == quick_id < slow_id


def test_a_late_commit_on_either_backend_is_seen_by_the_next_poll(client, engine):
    """SQLite too: a poll while a write transaction is open sees it once it commits."""
    _committed_event(engine, "first")
    cursor = _poll(client, None)["items"][-1]["cursor"]
    with _open_writer(engine, "slow import") as (_, slow_uuid):
        assert _ids(_poll(client, cursor)) == []
    assert _ids(_poll(client, cursor)) == [slow_uuid]


def test_total_counts_only_what_follows_the_cursor(client, engine):
    for n in range(4):
        _committed_event(engine, str(n))
    everything = _poll(client, None)
    assert everything["total"] == 4
    third = everything["items"][2]["cursor"]
    assert _poll(client, third)["total"] == 1
    with Session(engine) as s:
        assert reader.count_after(s, 0, reader.safe_horizon(s), cap=3) == 3
        assert reader.count_after(s, 0, None, [ChangeEvent.type == "nope"]) == 0
