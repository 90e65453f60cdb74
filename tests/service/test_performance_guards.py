"""Guards that keep the main endpoints fast: a fixed number of queries per request whatever the
page holds, and ETags that let pollers skip unchanged answers."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event
from sqlmodel import Session

from scrapers.records import Position
from service.ingest.importer import import_parsed
from tests.service.helpers import report, scraped_rec


@contextmanager
def counted(engine):
    statements: list[str] = []

    def before(conn, cursor, statement, *args) -> None:
        statements.append(statement)
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def _load(engine, n: int, cycle: int) -> None:
    recs = [scraped_rec(f"100.{i}", f"Recommendation number {i} about freedom", ["NOR", "SWE"],
                        Position.NOTED if i % 3 else Position.SUPPORTED, cycle=cycle) for i in range(1, n + 1)]
    for rec in recs:
        rec.themes = ["Women's rights"]
    with Session(engine) as s:
        import_parsed(s, report(f"%PDF c{cycle}".encode(), recs, cycle=cycle, symbol=f"A/HRC/{cycle}/1"),
                      recorded_by="t")
        s.commit()


@pytest.mark.parametrize("path", ["/api/v1/recommendations?state=AZE&limit=100",
                                  "/api/v1/recommendations?state=AZE&position=noted&q=freedom",
                                  "/api/v1/states/AZE", "/api/v1/states", "/api/v1/documents",
                                  "/api/v1/changes?limit=500", "/api/v1/recommendations/1"])
def test_queries_per_request_do_not_grow_with_the_data(client, engine, path):
    _load(engine, 3, cycle=1)
    with counted(engine) as small:
        assert client.get(path).status_code == 200
    _load(engine, 60, cycle=2)
    with counted(engine) as large:
        assert client.get(path).status_code == 200
    assert len(large) == len(small), (path, len(small), len(large))
    assert len(large) <= 14, large


def test_etag_lets_a_poller_skip_an_unchanged_answer(client, engine):
    _load(engine, 3, cycle=1)
    first = client.get("/api/v1/recommendations")
    etag = first.headers["etag"]
    again = client.get("/api/v1/recommendations", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    _load(engine, 1, cycle=2)
    changed = client.get("/api/v1/recommendations", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    detail = client.get("/api/v1/recommendations/1")
    assert client.get("/api/v1/recommendations/1", headers={"If-None-Match": detail.headers["etag"]}).status_code == 304


def test_cached_state_counts_follow_every_change(client, engine):
    _load(engine, 3, cycle=1)
    assert client.get("/api/v1/states/AZE").json()["recommendations"] == 3
    assert client.get("/api/v1/states/AZE").json()["recommendations"] == 3  # served from the cache
    _load(engine, 2, cycle=2)
    body = client.get("/api/v1/states/AZE").json()
    assert body["recommendations"] == 5 and len(body["reviews"]) == 2


def test_cached_text_counts_follow_every_change(client, engine):
    _load(engine, 3, cycle=1)
    assert client.get("/api/v1/recommendations", params={"q": "freedom"}).json()["total"] == 3
    assert client.get("/api/v1/recommendations", params={"q": "freedom"}).json()["total"] == 3  # cached
    _load(engine, 2, cycle=2)
    body = client.get("/api/v1/recommendations", params={"q": "freedom"}).json()
    assert body["total"] == 5 and len(body["items"]) == 5
    noted = client.get("/api/v1/recommendations", params={"q": "freedom", "position": "noted"}).json()
    assert noted["total"] == len(noted["items"]) == 4
