"""APScheduler wiring: one job per source on its cron (webhook delivery is its own loop, see worker.py)."""

from __future__ import annotations

import logging
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import Engine

from scrapers import registry
from scrapers.source import Source
from service.config import Settings
from service.scheduler.jobs import run_source

log = logging.getLogger("recwatch.scheduler")


def build_scheduler(engine: Engine, settings: Settings) -> BackgroundScheduler:
    """A scheduler (not started). `coalesce` and `max_instances=1`: a source never runs twice at
    once and missed firings collapse into one; late firings within the grace period still run."""
    scheduler = BackgroundScheduler(timezone="UTC", job_defaults={
        "coalesce": True, "max_instances": 1, "misfire_grace_time": settings.misfire_grace_seconds})
    for source in registry.sources():
        scheduler.add_job(run_source, CronTrigger.from_crontab(_cron(settings, source), timezone="UTC"),
                          id=f"source:{source.key}", name=f"run {source.key}", args=[engine, settings, source.key])
    return scheduler


def _cron(settings: Settings, source: Source) -> str:
    """The schedule the settings give the source, else the source's own default."""
    try:
        return settings.schedule_for(source.key)
    except AttributeError:
        return source.schedule


def next_runs(scheduler: BackgroundScheduler | None) -> dict[str, datetime | None]:
    """Next firing per source, for /api/v1/sources."""
    if scheduler is None:
        return {}
    out = {}
    for job in scheduler.get_jobs():
        if job.id.startswith("source:"):
            out[job.id.removeprefix("source:")] = getattr(job, "next_run_time", None)
    return out
