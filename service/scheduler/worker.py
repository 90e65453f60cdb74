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


def _deliver_forever(engine: Engine, settings: Settings, stop: threading.Event) -> None:
    """Webhook delivery until `stop`: fan-out on its own thread, sending in a child process — the
    loop `bench/webhook_fanout.py` measures (see service/webhooks/worker.py)."""
    from service.webhooks.worker import run_webhooks_forever

    run_webhooks_forever(engine, settings, stop, interval=settings.webhook_interval_seconds)


class Worker:
    """Runs until `stop` is set. Holds the scheduling lease when it can get it."""

    def __init__(self, engine: Engine, settings: Settings, *, deliver: bool = True) -> None:
        self.engine, self.settings = engine, settings
        self.lease = SchedulerLease(engine)
        self.poll_seconds = settings.worker_poll_seconds
        self.source_scheduler: BackgroundScheduler | None = None
        self.deliver = deliver
        self.delivery: threading.Thread | None = None

    def run(self, stop: threading.Event) -> None:
        if self.deliver:
            self.delivery = threading.Thread(target=_deliver_forever, args=(self.engine, self.settings, stop),
                                             name="webhooks", daemon=True)
            self.delivery.start()
        try:
            while not stop.is_set():
                self._tick()
                stop.wait(self.poll_seconds)
        finally:
            stop.set()  # also ends delivery when the loop stopped on an error
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
        if self.source_scheduler is not None and self.source_scheduler.running:
            self.source_scheduler.shutdown(wait=False)
        self.source_scheduler = None
        if self.delivery is not None:
            self.delivery.join(timeout=self.settings.webhook_timeout + 30)  # lets sends in flight finish
        self.lease.release()
