"""A source is added by one line of `scrapers/registry.py`: a toy source in its own folder,
served by a real HTTP server on 127.0.0.1, is scheduled, run, importable from a file, listed by
the API and labelled on the dashboard — with no other change to the code."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlmodel import Session
from typer.testing import CliRunner

from scrapers import registry
from scrapers.http import HttpPolicy, PoliteClient, _HostLimiter
from service.models import Document, Recommendation, RunOutcome, ScrapeRun
from service.scheduler.jobs import run_source
from service.scheduler.runner import build_scheduler
from tests.fakes.source_server import Scripted
from tests.toy_source.source import LABEL, note, toy_source


@pytest.fixture
def toy(monkeypatch, source_server):
    source = toy_source(source_server.base_url)
    monkeypatch.setattr(registry, "SOURCES", (*registry.SOURCES, source))
    return source


def _client() -> PoliteClient:
    return PoliteClient(HttpPolicy(user_agent="recwatch/test", min_interval=0, backoff_base=0.01),
                        limiter=_HostLimiter(), sleep=lambda s: None)


def _texts(engine, state: str) -> list[str]:
    with Session(engine) as s:
        return sorted(s.execute(select(Recommendation.text).where(Recommendation.state == state)).scalars())


def test_the_toy_source_is_scheduled_and_a_triggered_run_imports_from_it(engine, settings, toy, source_server):
    scheduler = build_scheduler(engine, settings)
    job = scheduler.get_job("source:toy")
    assert job is not None and tuple(job.args) == (engine, settings, "toy")
    assert "minute='15'" in str(job.trigger) and "hour='5'" in str(job.trigger)

    source_server.routes["/notes/AZE"] = [Scripted(200, note("AZE", "Free the journalists", "Reform the courts"),
                                                   {"Content-Type": "text/html"})]
    settings.watchlist = "AZE"
    report = job.func(*job.args)  # the job as the scheduler fires it: watchlist, polite client
    assert report.outcome == RunOutcome.OK, report.errors
    assert report.counts["inserted"] == 2 and report.counts["fetched"] == 1
    assert _texts(engine, "AZE") == ["Free the journalists", "Reform the courts"]
    assert "/notes/AZE" in [r.path for r in source_server.requests]
    with Session(engine) as s:
        run = s.execute(select(ScrapeRun).where(ScrapeRun.source == "toy")).scalar_one()
        assert run.trigger == "schedule"


def test_an_unregistered_source_is_refused(engine, settings):
    with pytest.raises(ValueError, match="unknown source 'toy'"):
        run_source(engine, settings, "toy", client=_client())


def test_a_saved_toy_note_is_detected_and_imported_by_the_cli(engine, settings, toy, tmp_path, monkeypatch):
    from service.cli import app
    from service.config import get_settings
    from service.db import get_engine

    path = tmp_path / "note.html"
    path.write_bytes(note("SVN", "Ratify the convention"))
    assert registry.detect(path.read_bytes()).label == LABEL
    monkeypatch.setenv("RECWATCH_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("RECWATCH_DATABASE_URL", settings.effective_database_url)
    get_settings.cache_clear()  # the CLI's settings and engine come from the environment above
    get_engine.cache_clear()
    try:
        result = CliRunner().invoke(app, ["import", str(path), "--source", "toy"])
    finally:
        get_engine().dispose()
        get_engine.cache_clear()
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert _texts(engine, "SVN") == ["Ratify the convention"], result.output
    with Session(engine) as s:
        doc = s.execute(select(Document).where(Document.state == "SVN")).scalar_one()
        assert doc.parser == "toy"
        assert s.execute(select(ScrapeRun.source)).scalars().all() == ["toy"]


def test_the_toy_source_is_listed_and_labelled_before_its_first_run(client, toy):
    sources = [s["source"] for s in client.get("/api/v1/sources").json()["items"]]
    assert sources == [*registry.keys()] and sources[-1] == "toy"
    page = client.get("/sources")
    assert page.status_code == 200
    assert "Toy notes served on 127.0.0.1" in page.text


def test_without_the_toy_line_nothing_of_it_shows(client):
    assert "toy" not in [s["source"] for s in client.get("/api/v1/sources").json()["items"]]
    assert "Toy notes" not in client.get("/sources").text

