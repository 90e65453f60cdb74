"""Prometheus metrics: request latency measured in-process; run and delivery figures read from
the database at scrape time, so they are right whichever process did the work."""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import Engine, func, select
from sqlmodel import Session
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.models import DeliveryStatus, ScrapeRun, WebhookDelivery

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class DatabaseCollector:
    """Runs and items per source and outcome; pending webhook deliveries."""

    def __init__(self, engine_provider) -> None:
        self._engine_provider = engine_provider

    def collect(self):
        engine: Engine = self._engine_provider()
        runs = GaugeMetricFamily("recwatch_runs", "Scrape runs by source and outcome",
                                 labels=["source", "outcome"])
        items = GaugeMetricFamily("recwatch_run_items", "Items handled by runs, by source and kind",
                                  labels=["source", "kind"])
        pending = GaugeMetricFamily("recwatch_webhook_deliveries_pending",
                                    "Webhook deliveries waiting to be sent")
        with Session(engine) as session:
            for source, outcome, n in session.execute(
                    select(ScrapeRun.source, ScrapeRun.outcome, func.count())
                    .group_by(ScrapeRun.source, ScrapeRun.outcome)):
                runs.add_metric([source, outcome], n)
            kinds = ("fetched", "skipped_unchanged", "inserted", "updated", "unchanged", "rejected")
            sums = session.execute(select(ScrapeRun.source, *[func.coalesce(func.sum(getattr(ScrapeRun, k)), 0)
                                                              for k in kinds]).group_by(ScrapeRun.source))
            for row in sums:
                for kind, value in zip(kinds, row[1:]):
                    items.add_metric([row[0], kind], value)
            pending.add_metric([], session.execute(select(func.count()).select_from(WebhookDelivery).where(
                WebhookDelivery.status == DeliveryStatus.PENDING)).scalar_one())
        yield runs
        yield items
        yield pending


class Metrics:
    """One registry per app, so tests and several apps in one process do not collide."""

    def __init__(self, engine_provider) -> None:
        self.registry = CollectorRegistry()
        self.latency = Histogram("recwatch_http_request_duration_seconds", "HTTP request latency",
                                 ["method", "route", "status"], registry=self.registry)
        self.registry.register(DatabaseCollector(engine_provider))

    def render(self) -> Response:
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE)


class LatencyMiddleware:
    """Request latency by route template and status. Pure ASGI: BaseHTTPMiddleware would add a
    task and two memory streams to every request, a measurable cost on the hot reads."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start = time.perf_counter()
        status = 500

        async def timed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, timed)
        finally:
            template = getattr(scope.get("route"), "path", "unmatched")
            self.metrics.latency.labels(scope["method"], template, str(status)).observe(
                time.perf_counter() - start)
