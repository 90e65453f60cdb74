"""Runs, source health, the Atom feed and the operations endpoints."""

from __future__ import annotations

import feedparser
from sqlmodel import Session

from service import migrate
from service.ingest import runs
from service.ingest.importer import import_parsed
from service.models import RunOutcome
from tests.service.helpers import sample_report


def _run(engine, source: str, outcome: RunOutcome, **counts) -> int:
    run_id = runs.start_run(engine, source)
    errors = [] if outcome in (RunOutcome.OK, RunOutcome.PARTIAL) else [
        {"class": "SourceBlocked", "message": "bot challenge (HTTP 403)", "url": "https://pace.coe.int/x"}]
    runs.finish_run(engine, run_id, outcome, counts=counts, errors=errors)
    return run_id


def test_runs_are_listed_with_filters(client, engine):
    _run(engine, "pace", RunOutcome.BLOCKED)
    _run(engine, "upr-reports", RunOutcome.OK, fetched=2, inserted=5)
    body = client.get("/api/v1/runs").json()
    assert body["total"] == 2 and body["items"][0]["source"] == "upr-reports"
    blocked = client.get("/api/v1/runs", params={"outcome": "blocked"}).json()["items"]
    assert [r["source"] for r in blocked] == ["pace"]
    assert blocked[0]["errors"][0]["url"] == "https://pace.coe.int/x"


def test_failing_source_is_announced_once_and_its_recovery_too(client, engine):
    for _ in range(4):
        _run(engine, "pace", RunOutcome.BLOCKED)
    types = [e["type"] for e in client.get("/api/v1/changes").json()["items"]]
    assert types == ["source.failing"]
    pace = next(s for s in client.get("/api/v1/sources").json()["items"] if s["source"] == "pace")
    assert pace["failing"] and pace["consecutive_failures"] == 4 and pace["last_outcome"] == "blocked"
    _run(engine, "pace", RunOutcome.OK, fetched=1)  # a success reached the source
    types = [e["type"] for e in client.get("/api/v1/changes").json()["items"]]
    assert types == ["source.failing", "source.recovered"]
    pace = next(s for s in client.get("/api/v1/sources").json()["items"] if s["source"] == "pace")
    assert not pace["failing"] and pace["last_success_at"] and pace["freshness_seconds"] is not None


def test_every_known_source_is_listed_even_before_its_first_run(client):
    names = {s["source"] for s in client.get("/api/v1/sources").json()["items"]}
    assert {"upr-reports", "upr-info", "pace", "coe-exec"} <= names


def test_atom_feed_validates_and_filters_by_state(client, engine):
    with Session(engine) as s:
        import_parsed(s, sample_report(), recorded_by="test")
        from tests.service.helpers import report, scraped_rec
        from scrapers.records import Position
        import_parsed(s, report(b"%PDF other", [scraped_rec("121.1", "Abolish the death penalty", ["FRA"],
                                                             Position.PENDING, state="SVN", cycle=3)],
                                state="SVN", cycle=3, symbol="A/HRC/43/15"), recorded_by="test")
        s.commit()
    res = client.get("/feeds/changes.atom", params={"state": "AZE"})
    assert res.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(res.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert len(feed.entries) == 4  # 3 recommendations + the document
    assert all("SVN" not in e.title for e in feed.entries)
    assert any(e.link.endswith("/recommendations/1") for e in feed.entries)
    everything = feedparser.parse(client.get("/feeds/changes.atom").content)
    assert len(everything.entries) == 6
    assert client.get("/feeds/changes.atom", params={"state": "A<b"}).status_code == 422


def test_readyz_fails_when_migrations_are_behind(client, db_url):
    assert client.get("/readyz").json()["status"] == "ok"
    migrate.downgrade(db_url, "0002")
    try:
        res = client.get("/readyz")
        assert res.status_code == 503 and "migrations behind" in res.json()["reason"]
    finally:
        migrate.upgrade(db_url)
    assert client.get("/healthz").status_code == 200


def test_metrics_expose_runs_items_latency_and_pending_deliveries(client, engine):
    _run(engine, "upr-reports", RunOutcome.OK, fetched=3, inserted=7)
    _run(engine, "pace", RunOutcome.FAILED)
    client.get("/api/v1/states")
    text = client.get("/metrics").text
    assert 'recwatch_runs{outcome="ok",source="upr-reports"} 1.0' in text
    assert 'recwatch_runs{outcome="failed",source="pace"} 1.0' in text
    assert 'recwatch_run_items{kind="inserted",source="upr-reports"} 7.0' in text
    assert "recwatch_webhook_deliveries_pending 0.0" in text
    assert 'recwatch_http_request_duration_seconds_count{method="GET",route="/api/v1/states",status="200"}' in text


def test_watchlist_is_replaced_by_admins_only_and_audited(client, engine):
    from service.auth.keys import create_key
    from service.models import AuditEntry, Role
    from sqlalchemy import select as sel

    with Session(engine) as s:
        admin, editor = create_key(s, "ops", Role.ADMIN), create_key(s, "desk", Role.EDITOR)
        s.commit()
    body = {"states": ["AZE", "Slovenia"]}
    assert client.put("/api/v1/watchlist", json=body).status_code == 401
    assert client.put("/api/v1/watchlist", json=body, headers={"Authorization": f"Bearer {editor}"}).status_code == 403
    res = client.put("/api/v1/watchlist", json=body, headers={"Authorization": f"Bearer {admin}"})
    assert res.status_code == 200 and res.json()["states"] == ["AZE", "SVN"]
    assert client.get("/api/v1/watchlist").json()["states"] == ["AZE", "SVN"]
    bad = client.put("/api/v1/watchlist", json={"states": ["Narnia"]}, headers={"Authorization": f"Bearer {admin}"})
    assert bad.status_code == 422 and "Narnia" in bad.json()["error"]["message"]
    with Session(engine) as s:
        entry = s.execute(sel(AuditEntry)).scalar_one()
    assert (entry.actor, entry.action, entry.detail["after"]) == ("ops", "watchlist.replace", ["AZE", "SVN"])
