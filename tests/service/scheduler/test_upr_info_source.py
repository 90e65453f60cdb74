"""`upr-info` runs against a fake Uwazi on 127.0.0.1: harvest, join, rerun unchanged, silent empty."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from scrapers.http import HttpPolicy, PoliteClient, _HostLimiter
from service.models import ExternalRef, RunOutcome
from service.scheduler.jobs import run_source
from service.scheduler.validators import DbValidatorStore
from tests.fakes.uwazi import FakeUwazi, entity, start_fake_uwazi


@pytest.fixture
def uwazi(settings):
    fake = FakeUwazi([entity(i, "AZE", "30 - May 2018") for i in range(12)]
                     + [entity(100 + i, "NOR", "30 - May 2018") for i in range(10_000)])
    server = start_fake_uwazi(fake)
    settings.upr_info_base_url = f"http://127.0.0.1:{server.server_address[1]}"
    yield fake
    server.shutdown()
    server.server_close()


def _client(engine) -> PoliteClient:
    return PoliteClient(HttpPolicy(user_agent="recwatch/test", min_interval=0, backoff_base=0.01),
                        limiter=_HostLimiter(), sleep=lambda s: None, validators=DbValidatorStore(engine))


def test_harvest_imports_then_a_rerun_changes_nothing(engine, settings, uwazi):
    first = run_source(engine, settings, "upr-info", states=["AZE"], client=_client(engine))
    assert first.outcome == RunOutcome.OK, first.errors
    assert first.counts["inserted"] == 12
    with Session(engine) as s:
        assert s.execute(select(func.count()).select_from(ExternalRef).where(
            ExternalRef.source == "upr_info")).scalar_one() == 12
    second = run_source(engine, settings, "upr-info", states=["AZE"], client=_client(engine))
    assert second.outcome == RunOutcome.OK and second.counts["skipped_unchanged"] == 1
    assert second.counts["inserted"] == 0
    sent = [headers for path, _, headers in uwazi.requests if path == "/api/search"]
    assert all(h.get("Accept-Language") == "en" and "locale=en" in h.get("Cookie", "") for h in sent)


def test_silent_empty_answer_for_a_state_known_to_have_records_fails_the_run(engine, settings, uwazi):
    run_source(engine, settings, "upr-info", states=["AZE"], client=_client(engine))
    uwazi.blind = {"st-aze"}
    report = run_source(engine, settings, "upr-info", states=["AZE"], client=_client(engine))
    assert report.outcome == RunOutcome.FAILED
    assert report.errors[0]["class"] == "EmptyScrape"
