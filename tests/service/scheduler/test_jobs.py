"""Scheduled runs against a fake UN document system on 127.0.0.1: Retry-After, 304, challenges,
wrong content types — each visible in /api/v1/runs and `recwatch sources`."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlmodel import Session

from scrapers.http import HttpPolicy, PoliteClient, _HostLimiter
from service.ingest import runs
from service.models import RunOutcome, ScrapeRun
from service.scheduler.jobs import run_source
from service.scheduler.runner import build_scheduler
from service.scheduler.validators import DbValidatorStore
from tests.conftest import corpus_file
from tests.fakes.source_server import Scripted

RESOLVER = "/api/symbol/access?s=A/HRC/24/13&l=en&t=pdf"
FILE = "/doc/undoc/gen/g13/150/00/pdf/g1315000.pdf"


@pytest.fixture
def ods(source_server, settings):
    settings.ods_base_url = settings.docs_un_base_url = source_server.base_url
    settings.upr_calendar = "AZE:A/HRC/24/13"
    settings.watchlist = "AZE"
    return source_server


def _client(engine, sleeps: list[float] | None = None) -> PoliteClient:
    return PoliteClient(HttpPolicy(user_agent="recwatch/test", min_interval=0, backoff_base=0.01, attempts=3),
                        limiter=_HostLimiter(), sleep=(sleeps.append if sleeps is not None else lambda s: None),
                        validators=DbValidatorStore(engine))


def _serve_report(ods, *answers: Scripted) -> None:
    ods.route(RESOLVER, Scripted(302, headers={"Location": FILE}))
    ods.route(FILE, *answers)


def test_second_run_skips_an_unchanged_file_by_etag(engine, settings, ods):
    pdf = corpus_file("azerbaijan2013.pdf").read_bytes()
    _serve_report(ods, Scripted(200, pdf, {"ETag": '"v1"', "Content-Type": "application/pdf"}),
                  Scripted(304, b"", {"ETag": '"v1"'}))
    first = run_source(engine, settings, "upr-reports", client=_client(engine))
    assert first.outcome == RunOutcome.OK and first.counts["inserted"] == 162
    second = run_source(engine, settings, "upr-reports", client=_client(engine))
    assert second.outcome == RunOutcome.OK
    assert (second.counts["fetched"], second.counts["skipped_unchanged"], second.counts["inserted"]) == (1, 1, 0)
    file_requests = [r for r in ods.requests if r.path == FILE]
    assert file_requests[1].headers.get("If-None-Match") == '"v1"'


def test_same_bytes_without_validators_are_skipped_before_parsing(engine, settings, ods):
    pdf = corpus_file("azerbaijan2013.pdf").read_bytes()
    _serve_report(ods, Scripted(200, pdf, {"Content-Type": "application/pdf"}))
    run_source(engine, settings, "upr-reports", client=_client(engine))
    again = run_source(engine, settings, "upr-reports", client=_client(engine))
    assert again.counts["skipped_unchanged"] == 1 and again.counts["inserted"] == 0


def test_retry_after_is_honoured(engine, settings, ods):
    pdf = corpus_file("azerbaijan2013.pdf").read_bytes()
    _serve_report(ods, Scripted(503, b"busy", {"Retry-After": "42"}), Scripted(200, pdf))
    sleeps: list[float] = []
    report = run_source(engine, settings, "upr-reports", client=_client(engine, sleeps))
    assert report.outcome == RunOutcome.OK and 42.0 in sleeps


def test_challenge_ends_the_run_blocked_with_nothing_lost(engine, settings, ods, client):
    pdf = corpus_file("azerbaijan2013.pdf").read_bytes()
    _serve_report(ods, Scripted(200, pdf))
    run_source(engine, settings, "upr-reports", client=_client(engine))
    before = client.get("/api/v1/recommendations", params={"state": "AZE"}).json()["total"]
    ods.route(RESOLVER, Scripted(403, b"<html><title>Just a moment...</title></html>",
                                 {"cf-mitigated": "challenge", "Content-Type": "text/html"}))
    report = run_source(engine, settings, "upr-reports", client=_client(engine))
    assert report.outcome == RunOutcome.BLOCKED
    assert client.get("/api/v1/recommendations", params={"state": "AZE"}).json()["total"] == before == 162
    latest = client.get("/api/v1/runs", params={"source": "upr-reports"}).json()["items"][0]
    assert latest["outcome"] == "blocked" and latest["errors"][0]["class"] == "SourceBlocked"
    assert latest["errors"][0]["url"].endswith(RESOLVER)
    _serve_report(ods, Scripted(200, pdf + b"\n% new revision\n"))
    assert run_source(engine, settings, "upr-reports", client=_client(engine)).outcome == RunOutcome.OK


def test_html_where_a_pdf_was_expected_fails_the_run_with_the_reason(engine, settings, ods, client):
    _serve_report(ods, Scripted(200, b"<html><body>Document not found</body></html>", {"Content-Type": "text/html"}))
    ods.route("/en/A/HRC/24/13?direct=true", Scripted(200, b"<html>viewer</html>", {"Content-Type": "text/html"}))
    report = run_source(engine, settings, "upr-reports", client=_client(engine))
    assert report.outcome == RunOutcome.FAILED
    run = client.get("/api/v1/runs").json()["items"][0]
    assert run["outcome"] == "failed" and "expected a PDF" in run["errors"][0]["message"]


def test_a_parse_failure_makes_the_file_fetched_in_full_next_time(engine, settings, ods):
    _serve_report(ods, Scripted(200, b"%PDF-1.4 broken", {"ETag": '"x"'}), Scripted(304, b""))
    assert run_source(engine, settings, "upr-reports", client=_client(engine)).outcome == RunOutcome.FAILED
    run_source(engine, settings, "upr-reports", client=_client(engine))
    file_requests = [r for r in ods.requests if r.path == FILE]
    assert "If-None-Match" not in file_requests[1].headers


def test_a_source_that_answered_sets_last_success_and_an_unchanged_answer_moves_it(engine, settings, ods,
                                                                                   client):
    pdf = corpus_file("azerbaijan2013.pdf").read_bytes()
    _serve_report(ods, Scripted(200, pdf, {"ETag": '"v1"', "Content-Type": "application/pdf"}),
                  Scripted(304, b"", {"ETag": '"v1"'}))

    def health() -> dict:
        return next(s for s in client.get("/api/v1/sources").json()["items"] if s["source"] == "upr-reports")

    assert health()["last_success_at"] is None
    assert run_source(engine, settings, "upr-reports", client=_client(engine)).outcome == RunOutcome.OK
    first = health()
    assert first["last_outcome"] == "ok" and first["last_success_at"] and not first["failing"]
    assert first["skip_reason"] is None
    unchanged = run_source(engine, settings, "upr-reports", client=_client(engine))
    assert unchanged.outcome == RunOutcome.OK and unchanged.counts["skipped_unchanged"] == 1
    moved = datetime.fromisoformat(health()["last_success_at"])
    assert moved > datetime.fromisoformat(first["last_success_at"])


def test_stale_scheduled_runs_are_closed_as_failed(engine):
    stale = runs.start_run(engine, "pace", trigger="schedule")
    manual = runs.start_run(engine, "pace", trigger="manual")
    assert runs.close_stale_runs(engine) == 1
    with Session(engine) as s:
        outcomes = dict(s.execute(select(ScrapeRun.id, ScrapeRun.outcome)).all())
    assert outcomes == {stale: "failed", manual: "running"}


def test_scheduler_has_one_job_per_source_with_its_cron(engine, settings):
    settings.schedule_pace = "0 6 * * *"
    scheduler = build_scheduler(engine, settings)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"source:upr-reports", "source:upr-info", "source:pace", "source:coe-exec"}
    now = datetime(2026, 11, 23, 5, 59, tzinfo=UTC)
    assert jobs["source:pace"].trigger.get_next_fire_time(None, now) == datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
    assert scheduler._job_defaults == {"coalesce": True, "max_instances": 1,
                                       "misfire_grace_time": settings.misfire_grace_seconds}
