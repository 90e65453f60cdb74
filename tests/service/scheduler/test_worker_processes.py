"""Real `recwatch worker` processes: crash safety of imports and the PostgreSQL leader lease."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from service.models import Document, Recommendation, ScrapeRun
from tests.conftest import CORPUS
from tests.fakes.source_server import Scripted

REPORTS = ["azerbaijan2013", "kenya2010", "switzerland2012", "mali2013", "slovenia2019", "iceland2011"]


def _worker(settings, tmp_path: Path, name: str, **env: str) -> tuple[subprocess.Popen, Path]:
    log = tmp_path / f"{name}.log"
    full = os.environ | {"RECWATCH_DATA_DIR": str(settings.data_dir),
                         "RECWATCH_DATABASE_URL": settings.effective_database_url,
                         "RECWATCH_WORKER_POLL_SECONDS": "0.5"} | env
    proc = subprocess.Popen([sys.executable, "-m", "service", "worker"], env=full,
                            stdout=log.open("w"), stderr=subprocess.STDOUT)
    return proc, log


def _wait(predicate, timeout: float = 60.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def many_reports(source_server):
    if not CORPUS.exists():
        pytest.skip("corpus not available")
    calendar = []
    for i, name in enumerate(REPORTS):
        symbol = f"A/HRC/90/{i + 1}"
        path = f"/doc/{name}.pdf"
        source_server.route(f"/api/symbol/access?s={symbol}&l=en&t=pdf", Scripted(302, headers={"Location": path}))
        source_server.route(path, Scripted(200, (CORPUS / f"{name}.pdf").read_bytes()))
        calendar.append(f"AZE:{symbol}")
    return {"RECWATCH_ODS_BASE_URL": source_server.base_url, "RECWATCH_DOCS_UN_BASE_URL": source_server.base_url,
            "RECWATCH_UPR_CALENDAR": ",".join(calendar), "RECWATCH_WATCHLIST": "AZE",
            "RECWATCH_RUN_SOURCES_ON_START": "true"}


def _documents_complete(engine) -> bool:
    """Every stored document has all its recommendations or none: no half import."""
    with Session(engine) as s:
        docs = s.execute(select(Document.id, Document.symbol)).all()
        counts = dict(s.execute(select(Recommendation.source_document_id, func.count())
                                .group_by(Recommendation.source_document_id)).all())
    return all(counts.get(doc_id, 0) > 0 for doc_id, _ in docs)


def test_sigkill_mid_import_leaves_no_partial_import_and_next_run_completes(settings, engine, tmp_path,
                                                                             many_reports):
    proc, _ = _worker(settings, tmp_path, "first", **many_reports)
    try:
        def some_imported() -> bool:
            with Session(engine) as s:
                return s.execute(select(func.count()).select_from(Document)).scalar_one() >= 1
        _wait(some_imported, what="the first document")
        time.sleep(0.3)  # land inside the next document's transaction
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert _documents_complete(engine)
    with Session(engine) as s:
        run = s.execute(select(ScrapeRun).where(ScrapeRun.source == "upr-reports")).scalar_one()
        assert run.outcome == "running"
        imported_before = s.execute(select(func.count()).select_from(Document)).scalar_one()
    assert imported_before < len(REPORTS)

    proc, _ = _worker(settings, tmp_path, "second", **many_reports)
    try:
        def second_run_done() -> bool:
            with Session(engine) as s:
                rows = s.execute(select(ScrapeRun.outcome).where(ScrapeRun.source == "upr-reports")
                                 .order_by(ScrapeRun.id)).scalars().all()
            return len(rows) >= 2 and rows[1] in ("ok", "partial")
        _wait(second_run_done, timeout=120, what="the following run")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    with Session(engine) as s:
        runs = s.execute(select(ScrapeRun).where(ScrapeRun.source == "upr-reports").order_by(ScrapeRun.id)).scalars().all()
        assert runs[0].outcome == "failed" and runs[0].errors[0]["class"] == "Interrupted"
        assert s.execute(select(func.count()).select_from(Document)).scalar_one() == len(REPORTS)
    assert _documents_complete(engine)


def test_only_one_postgresql_worker_schedules_and_another_takes_over(settings, db_url, tmp_path):
    if not db_url.startswith("postgresql"):
        pytest.skip("the leader lease is a PostgreSQL advisory lock")
    a, log_a = _worker(settings, tmp_path, "a")
    b, log_b = _worker(settings, tmp_path, "b")
    procs = {"a": (a, log_a), "b": (b, log_b)}
    try:
        def leaders() -> list[str]:
            return [n for n, (_, log) in procs.items() if "scheduler leader" in log.read_text()]
        _wait(lambda: len(leaders()) >= 1, what="a leader")
        time.sleep(2)  # both have polled several times by now
        assert len(leaders()) == 1
        leader = leaders()[0]
        other = "b" if leader == "a" else "a"
        procs[leader][0].send_signal(signal.SIGKILL)
        procs[leader][0].wait()
        _wait(lambda: "scheduler leader" in procs[other][1].read_text(), what="the other worker to take over")
    finally:
        for proc, _ in procs.values():
            if proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=30)
