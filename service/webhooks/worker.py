"""Entry points for the scheduler and the worker process.

`run_webhooks_once` is what the scheduler calls every few seconds: fan out new events, then
send what is due. `run_webhooks_forever` is the worker's loop: fan-out runs on its own thread
and wakes the sender as soon as it has created deliveries, so a burst of events starts going
out while the rest are still being matched.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from datetime import datetime

from sqlalchemy import Engine

from service.config import Settings
from service.db import session_scope
from service.webhooks.delivery import deliver_due
from service.webhooks.fanout import fan_out_batch
from service.webhooks.process_sender import ProcessSender
from service.webhooks.sender import Dispatcher, Sender

log = logging.getLogger(__name__)
_senders: OrderedDict[tuple[object, ...], Sender] = OrderedDict()
_senders_lock = threading.Lock()


def shared_sender(settings: Settings) -> Sender:
    """One long-lived sender (connection pool) per sending configuration, for repeated calls."""
    key = (settings.webhook_timeout, settings.webhook_concurrency, tuple(settings.webhook_allowed))
    with _senders_lock:
        sender = _senders.get(key)
        if sender is None:
            sender = _senders[key] = Sender(settings)
            while len(_senders) > 4:
                _senders.popitem(last=False)[1].close()
        return sender


def fan_out_all(engine: Engine, settings: Settings, *, now: datetime | None = None) -> tuple[int, int]:
    """Fan out until the outbox is caught up; returns (events read, deliveries created)."""
    events = deliveries = 0
    while True:
        with session_scope(engine) as session:
            result = fan_out_batch(session, settings, now=now)
        events, deliveries = events + result.events, deliveries + result.deliveries
        if not result.more:
            return events, deliveries


def run_webhooks_once(engine: Engine, settings: Settings, *, now: datetime | None = None,
                      client: Sender | None = None) -> dict[str, int]:
    """Fan out new change events, then send every delivery due; returns the counts."""
    events, created = fan_out_all(engine, settings, now=now)
    attempted = deliver_due(engine, settings, now=now, client=client or shared_sender(settings))
    return {"events": events, "deliveries_created": created, "attempted": attempted}


def _fan_out_loop(engine: Engine, settings: Settings, stop: threading.Event,
                  wake: threading.Event, interval: float) -> None:
    while not stop.is_set():
        try:
            with session_scope(engine) as session:
                result = fan_out_batch(session, settings)
            if result.deliveries:
                wake.set()
            if result.more:
                continue
        except Exception:  # the database may be away for a while; keep trying
            log.exception("webhook fan-out failed; retrying in %.1f s", interval)
        stop.wait(interval)


def run_webhooks_forever(engine: Engine, settings: Settings, stop_event: threading.Event,
                         interval: float = 2.0, *, sender_process: bool = True) -> None:
    """Fan out and deliver until `stop_event` is set (a worker process's main loop).

    Sending runs in a child process unless `sender_process` is False (see process_sender)."""
    def new_sender() -> Dispatcher:
        return ProcessSender(settings) if sender_process else Sender(settings)

    wake = threading.Event()
    fan = threading.Thread(target=_fan_out_loop, args=(engine, settings, stop_event, wake, interval),
                           name="webhook-fanout", daemon=True)
    fan.start()
    sender = new_sender()
    try:
        while not stop_event.is_set():
            try:
                if not sender.alive:  # its process died: deliveries it held come back by lease
                    log.error("the webhook sender stopped; starting a new one")
                    sender.close()
                    sender = new_sender()
                if deliver_due(engine, settings, client=sender):
                    continue
            except Exception:  # the database may be away for a while; keep trying
                log.exception("webhook delivery failed; retrying in %.1f s", interval)
            wake.wait(interval)
            wake.clear()
    finally:
        sender.close()
        fan.join(timeout=interval + 30)
