"""The worker: scheduling (one leader at a time) and webhook delivery (every worker)."""

from __future__ import annotations

import logging
import threading

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine

from service.config import Settings
from service.ingest import runs
from service.models._common import utcnow
from service.scheduler.leader import SchedulerLease
from service.scheduler.runner import build_scheduler

log = logging.getLogger("recwatch.worker")


def _webhook_job(engine: Engine, settings: Settings):
    """The webhook delivery job, when the webhooks package is present."""
    try:
        from service.webhooks.worker import run_webhooks_once
    except ImportError:  # pragma: no cover - webhooks are part of every release build
        return None

    def deliver() -> None:
        try:
            run_webhooks_once(engine, settings)
        except Exception:  # one bad batch must not stop delivery for good
            log.exception("webhook delivery failed")
    return deliver


class Worker:
    """Runs until `stop` is set. Holds the scheduling lease when it can get it."""

    def __init__(self, engine: Engine, settings: Settings, *, deliver: bool = True) -> None:
        self.engine, self.settings = engine, settings
        self.lease = SchedulerLease(engine)
        self.poll_seconds = settings.worker_poll_seconds
        self.source_scheduler: BackgroundScheduler | None = None
        self.delivery_scheduler = build_scheduler(engine, settings, deliver=_webhook_job(engine, settings),
                                                  sources=False) if deliver else None

    def run(self, stop: threading.Event) -> None:
        if self.delivery_scheduler is not None:
            self.delivery_scheduler.start()
        try:
            while not stop.is_set():
                self._tick()
                stop.wait(self.poll_seconds)
        finally:
            self.shutdown()

    def _tick(self) -> None:
        if self.lease.try_acquire():
            if self.source_scheduler is None:
                closed = runs.close_stale_runs(self.engine)  # the previous leader died mid-run
                log.info("scheduler leader", extra={"closed_stale_runs": closed})
                self.source_scheduler = build_scheduler(self.engine, self.settings)
                self.source_scheduler.start()
                if self.settings.run_sources_on_start:
                    for job in self.source_scheduler.get_jobs():
                        job.modify(next_run_time=utcnow())
        elif self.source_scheduler is not None:
            log.warning("scheduler lease lost; stopping source jobs")
            self.source_scheduler.shutdown(wait=False)
            self.source_scheduler = None

    def shutdown(self) -> None:
        for scheduler in (self.source_scheduler, self.delivery_scheduler):
            if scheduler is not None and scheduler.running:
                scheduler.shutdown(wait=False)
        self.source_scheduler = None
        self.lease.release()
