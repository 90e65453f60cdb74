"""A webhook worker process for the crash and concurrency tests.

Run as `python -m tests.service.webhooks.worker_main`; configured like production, through
RECWATCH_* environment variables. SIGTERM stops it cleanly; the tests also SIGKILL it.
"""

from __future__ import annotations

import logging
import os
import signal
import threading

from service.config import Settings
from service.db import make_engine
from service.webhooks.worker import run_webhooks_forever


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    settings = Settings()
    engine = make_engine(settings.effective_database_url)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print("worker ready", os.getpid(), flush=True)
    run_webhooks_forever(engine, settings, stop, interval=float(os.environ.get("WORKER_INTERVAL", "0.2")),
                         sender_process=os.environ.get("WORKER_SENDER", "process") == "process")
    engine.dispose()


if __name__ == "__main__":
    main()
