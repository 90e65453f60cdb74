"""The jobs the scheduler runs: one source now, and webhook delivery."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import Engine, select
from sqlmodel import Session

from scrapers import registry
from scrapers.errors import ScrapeError, SourceBlocked
from scrapers.http import HttpPolicy, PoliteClient
from service.config import Settings
from service.ingest.pipeline import RunContext, RunReport
from service.ingest.stored import SqlStored
from service.models import WatchedState
from service.scheduler.plans import SourceRequest
from service.scheduler.validators import DbValidatorStore

log = logging.getLogger("recwatch.jobs")


def watched_states(engine: Engine, settings: Settings) -> list[str]:
    """The watchlist: states from settings plus those added through the API."""
    with Session(engine) as session:
        stored = session.execute(select(WatchedState.state)).scalars().all()
    return sorted(set(settings.watched_states) | set(stored))


def polite_client(settings: Settings, engine: Engine) -> PoliteClient:
    return PoliteClient(HttpPolicy(
        user_agent=settings.user_agent, connect_timeout=settings.http_connect_timeout,
        read_timeout=settings.http_read_timeout, max_bytes=settings.http_max_bytes),
        validators=DbValidatorStore(engine))


def source_request(engine: Engine, settings: Settings, *, states: list[str] | None = None,
                   symbols: list[str] | None = None, since: str | None = None) -> SourceRequest:
    """What a run covers: the states asked for, else the watchlist."""
    return SourceRequest(states=states or watched_states(engine, settings), symbols=symbols, since=since)


def run_source(engine: Engine, settings: Settings, source: str, *, trigger: str = "schedule",
               states: list[str] | None = None, symbols: list[str] | None = None,
               since: str | None = None, client: PoliteClient | None = None,
               listener: Callable[[RunContext], None] | None = None) -> RunReport:
    """Run one source now over the watchlist (or the given states/units) and record the run;
    a run with nothing configured to fetch is recorded `skipped`, saying what to set."""
    found = registry.get(source)
    if found is None:
        raise ValueError(f"unknown source {source!r}; known: {', '.join(registry.keys())}")
    own_client = client is None
    client = client or polite_client(settings, engine)
    ctx = RunContext(engine, settings, source, trigger=trigger, validators=client.validators)
    ctx.listener = listener
    log.info("run started", extra={"run_id": ctx.run_id, "source": source})
    try:
        request = source_request(engine, settings, states=states, symbols=symbols, since=since)
        stored = SqlStored(engine)
        if (gap := found.plan(request, settings, stored)) is not None:
            ctx.not_configured(gap.message)
        else:
            found.collect(request, settings, stored, client, ctx)
    except SourceBlocked:
        pass  # recorded by the runner; the rest of this source waits for the next run
    except ScrapeError as exc:
        ctx.fail(exc, exc.url)
    except Exception as exc:  # a bug must not kill the scheduler; the run records it
        log.exception("run crashed", extra={"run_id": ctx.run_id, "source": source})
        ctx.fail(exc, None)
    finally:
        if own_client:
            client.close()
    report = ctx.finish()
    log.info("run finished", extra={"run_id": ctx.run_id, "source": source,
                                    "outcome": report.outcome.value})
    return report
