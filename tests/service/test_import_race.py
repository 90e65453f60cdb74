"""Concurrent `recwatch import` of one file: real processes, real database, no mocks.

Processes that lose the race must converge on "already imported" (exit 0), never fail with a
raw database error shown on the open runs API.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

from sqlalchemy import func, select
from sqlmodel import Session

from service.models import Document, Recommendation, ScrapeRun
from tests.conftest import corpus_file

PROCESSES = 4
# The real CLI, started only once every process has loaded its modules (a start barrier): on a
# busy machine interpreter start-up alone would otherwise spread the processes apart.
STARTER = """
import os, sys, time
from pathlib import Path
import scrapers.upr_reports, service.cli, service.ingest.pipeline
go = Path(sys.argv[1])
Path(f"{go}.ready.{os.getpid()}").touch()
while not go.exists():
    time.sleep(0.005)
sys.argv = ["recwatch", *sys.argv[2:]]
service.cli.app(prog_name="recwatch")
"""


def test_concurrent_imports_of_one_file_converge(settings, engine, client, tmp_path):
    path = tmp_path / "same.pdf"
    shutil.copy(corpus_file("azerbaijan2009.pdf"), path)
    env = os.environ | {"RECWATCH_DATA_DIR": str(settings.data_dir),
                        "RECWATCH_DATABASE_URL": settings.effective_database_url}
    # The schema first (embedded SQLite upgrades on start): the race is about the import.
    assert subprocess.run([sys.executable, "-m", "service", "db", "upgrade"], env=env,
                          capture_output=True, timeout=300).returncode == 0
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", STARTER, str(go), "import", str(path)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(PROCESSES)]
    ready = [tmp_path / f"go.ready.{p.pid}" for p in procs]
    deadline = time.monotonic() + 120
    while not all(r.exists() for r in ready) and time.monotonic() < deadline:
        time.sleep(0.05)
    go.touch()  # every process is loaded: they now run `recwatch import` at the same instant
    outs = [(p.wait(timeout=300), *p.communicate()) for p in procs]
    assert all(rc == 0 for rc, _, _ in outs), outs
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(Document)).scalar_one() == 1
        recs = session.execute(select(func.count()).select_from(Recommendation)).scalar_one()
        runs = list(session.execute(select(ScrapeRun)).scalars())
    assert recs == 32
    assert len(runs) == PROCESSES and all(r.outcome in ("ok", "partial") for r in runs), \
        [(r.outcome, r.errors) for r in runs]
    assert sum(r.skipped_unchanged for r in runs) == PROCESSES - 1
    body = client.get("/api/v1/runs").text
    for leak in ("INSERT", "[SQL", "parameters", "file://", str(tmp_path)):
        assert leak not in body, leak
