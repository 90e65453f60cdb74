"""Scheduled runs with nothing configured to fetch: recorded `skipped` with what to set, never a
success (no freshness) and never a failure (no failing streak, no source.failing event)."""

from __future__ import annotations

import pytest

from scrapers.http import HttpPolicy, PoliteClient, _HostLimiter
from service.ingest import runs
from service.models import RunOutcome
from service.scheduler.jobs import run_source
from service.scheduler.plans import SourceRequest, argument_error, nothing_to_do


@pytest.fixture
def everywhere(settings, source_server):
    """Every source pointed at one fake server, so any request a skipped run made would show."""
    for name in ("ods_base_url", "docs_un_base_url", "upr_info_base_url", "pace_base_url",
                 "pace_legacy_base_url", "hudoc_exec_base_url"):
        setattr(settings, name, source_server.base_url)
    settings.upr_calendar = settings.pace_fileids = ""
    return source_server


def _client() -> PoliteClient:
    return PoliteClient(HttpPolicy(user_agent="recwatch/test", min_interval=0, backoff_base=0.01),
                        limiter=_HostLimiter(), sleep=lambda s: None)


def _health(client, source: str) -> dict:
    return next(s for s in client.get("/api/v1/sources").json()["items"] if s["source"] == source)


@pytest.mark.parametrize(("source", "watchlist", "to_set"), [
    ("upr-reports", "AZE", "RECWATCH_UPR_CALENDAR=AZE:"),
    ("upr-info", "", "RECWATCH_WATCHLIST"),
    ("pace", "AZE", "RECWATCH_PACE_FILEIDS=AZE:"),
    ("coe-exec", "USA", "member state"),
])
def test_nothing_configured_is_skipped_with_what_to_set_and_never_fails_the_source(
        engine, settings, client, everywhere, source, watchlist, to_set):
    settings.watchlist = watchlist
    for _ in range(settings.source_failing_after + 1):
        report = run_source(engine, settings, source, client=_client())
        assert report.outcome == RunOutcome.SKIPPED and report.skipped and not report.ok
        assert report.errors[0]["class"] == "NotConfigured" and to_set in report.errors[0]["message"]
        assert report.counts["fetched"] == 0
    assert everywhere.requests == [], "a skipped run asks the source nothing"
    assert "source.failing" not in [e["type"] for e in client.get("/api/v1/changes").json()["items"]]
    health = _health(client, source)
    assert health["last_outcome"] == "skipped" and not health["failing"]
    assert health["consecutive_failures"] == 0 and health["last_success_at"] is None
    assert health["freshness_seconds"] is None and to_set in health["skip_reason"]
    latest = client.get("/api/v1/runs", params={"source": source}).json()["items"][0]
    assert latest["outcome"] == "skipped" and to_set in latest["errors"][0]["message"]


def test_pace_states_without_file_ids_are_named_on_a_run_that_fetched(engine, settings, everywhere):
    settings.watchlist, settings.pace_fileids = "AZE,SVN", "AZE:28584"
    report = run_source(engine, settings, "pace", client=_client())
    assert report.outcome == RunOutcome.FAILED  # the fake server has no page 28584: 404
    notes = [e["message"] for e in report.errors if e["class"] == "NotConfigured"]
    assert notes and "RECWATCH_PACE_FILEIDS=SVN:" in notes[0] and "AZE" not in notes[0]


def _finish(engine, outcome: RunOutcome, **counts) -> None:
    run_id = runs.start_run(engine, "pace")
    errors = [{"class": "SourceBlocked", "message": "HTTP 403", "url": None}] \
        if outcome in (RunOutcome.FAILED, RunOutcome.BLOCKED) else []
    runs.finish_run(engine, run_id, outcome, counts=counts, errors=errors, failing_threshold=3)


def test_skipped_runs_neither_break_a_failing_streak_nor_end_it(engine, client):
    for outcome in (RunOutcome.BLOCKED, RunOutcome.BLOCKED, RunOutcome.SKIPPED, RunOutcome.FAILED):
        _finish(engine, outcome)
    assert [e["type"] for e in client.get("/api/v1/changes").json()["items"]] == ["source.failing"]
    _finish(engine, RunOutcome.SKIPPED)
    health = _health(client, "pace")
    assert health["consecutive_failures"] == 3 and not health["failing"]  # the latest asked nothing
    _finish(engine, RunOutcome.OK, fetched=1)
    types = [e["type"] for e in client.get("/api/v1/changes").json()["items"]]
    assert types == ["source.failing", "source.recovered"]
    assert _health(client, "pace")["last_success_at"] is not None


def test_a_success_that_fetched_nothing_is_recorded_as_skipped(engine, client):
    _finish(engine, RunOutcome.OK)
    latest = client.get("/api/v1/runs").json()["items"][0]
    assert latest["outcome"] == "skipped" and latest["errors"][0]["class"] == "NotConfigured"
    assert _health(client, "pace")["last_success_at"] is None


def test_an_explicit_symbol_or_a_member_state_is_something_to_do(engine, settings):
    settings.upr_calendar = settings.pace_fileids = ""
    assert nothing_to_do(engine, settings, "upr-reports", SourceRequest([], ["A/HRC/39/14"])) is None
    assert nothing_to_do(engine, settings, "coe-exec", SourceRequest(["USA", "AZE"])) is None
    gap = nothing_to_do(engine, settings, "upr-reports", SourceRequest(["AZE"]))
    assert gap is not None and gap.option is not None and "--symbol" in gap.usage
    pace = nothing_to_do(engine, settings, "pace", SourceRequest(["AZE"]))
    assert pace is not None and pace.option is None, "only configuration gives PACE file ids"


@pytest.mark.parametrize(("args", "says"), [
    (("nope", None, None, None), "pass one of upr-reports"),
    (("pace", ["XYZ"], None, None), "--state XYZ"),
    (("pace", ["AZE"], ["A/HRC/39/14"], None), "--symbol is for upr-reports only"),
    (("coe-exec", ["AZE"], None, "2024-13-01"), "YYYY-MM-DD"),
    (("pace", ["AZE"], None, "2024-01-01"), "--since is for coe-exec only"),
])
def test_arguments_that_cannot_make_a_run_say_what_to_pass(args, says):
    assert says in (argument_error(*args) or "")
    assert argument_error("coe-exec", ["AZE"], None, "2024-01-31") is None
