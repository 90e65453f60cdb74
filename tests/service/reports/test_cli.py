"""`recwatch report` and `recwatch export` as a user runs them: a real process and real files."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

pytestmark = pytest.mark.corpus

# Until service/cli.py registers the commands, run them from a Typer app of their own.
SHIM = ("import typer; from service.reports.cli import register; app = typer.Typer(); "
        "register(app); app()")


def _wired() -> bool:
    from service.cli import app

    return any(c.name == "report" for c in app.registered_commands)


def recwatch(settings, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = os.environ | {"RECWATCH_DATA_DIR": str(settings.data_dir),
                        "RECWATCH_DATABASE_URL": settings.effective_database_url}
    command = ["-m", "service"] if _wired() else ["-c", SHIM]
    return subprocess.run([sys.executable, *command, *args], check=False, capture_output=True,
                          env=env, timeout=300, cwd=cwd)


def test_report_writes_a_docx(settings, azerbaijan, tmp_path):
    out = tmp_path / "azerbaijan-upr2.docx"
    res = recwatch(settings, "report", "AZE", "--cycle", "2", "--format", "docx", "-o", str(out))
    assert res.returncode == 0, res.stderr.decode()
    assert "162 recommendations" in res.stderr.decode()
    tables = [t for t in Document(str(out)).tables if t.rows[0].cells[0].text == "Para."]
    assert sum(len(t.rows) - 1 for t in tables) == 162


def test_report_names_the_file_itself(settings, azerbaijan, tmp_path):
    res = recwatch(settings, "report", "azerbaijan", "--cycle", "2", "--format", "csv",
                   "--group-by", "paragraph", cwd=tmp_path)
    assert res.returncode == 0, res.stderr.decode()
    rows = list(csv.DictReader(io.StringIO((tmp_path / "azerbaijan-upr2.csv").read_text("utf-8-sig"))))
    assert len({r["paragraph"] for r in rows}) == 162


@pytest.mark.parametrize("args, code", [(["Atlantis"], 1), (["AZE", "--cycle", "9"], 1),
                                        (["AZE", "--since", "soon"], 2), (["AZE", "--format", "pdf"], 2)])
def test_report_failures_say_why(settings, azerbaijan, tmp_path, args, code):
    work = tmp_path / "work"
    work.mkdir()
    res = recwatch(settings, "report", *args, cwd=work)
    assert res.returncode == code and res.stderr.strip()
    assert not list(work.iterdir())  # no half-written report


def test_export_to_a_file_and_to_stdout(settings, azerbaijan, tmp_path):
    out = tmp_path / "aze.jsonl"
    res = recwatch(settings, "export", "--format", "jsonl", "--state", "AZE", "--cycle", "2", "-o", str(out))
    assert res.returncode == 0, res.stderr.decode()
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert len(lines) == 162 and {r["cycle"] for r in lines} == {2}
    res = recwatch(settings, "export", "--position", "noted")
    assert res.returncode == 0, res.stderr.decode()
    rows = list(csv.DictReader(io.StringIO(res.stdout.decode("utf-8"))))
    assert rows and {r["position"] for r in rows} == {"noted"}
    assert recwatch(settings, "export", "--state", "Atlantis").returncode == 2
