"""`recwatch serve --demo` on the embedded default: migrates itself, loads the sample, answers,
and says where to open it in one plain line; `recwatch web --workers 2` says it once too."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

RUNNING = "recwatch is running: open"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECWATCH_")}
    env["RECWATCH_DATA_DIR"] = str(tmp_path / "data")
    return env


def _start(args: list[str], env: dict[str, str]) -> tuple[subprocess.Popen, list[str]]:
    """Start `recwatch ARGS`; its standard error lines are collected as they come."""
    proc = subprocess.Popen([sys.executable, "-m", "service", *args], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(iter(proc.stderr.readline, "")), daemon=True).start()
    return proc, lines


def _wait_healthy(base: str, proc: subprocess.Popen, lines: list[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("service did not start:\n" + "".join(lines))


def _running_lines(lines: list[str], port: int) -> list[str]:
    time.sleep(1.0)  # a second announcement, if any, would have arrived by now
    found = [line.strip() for line in lines if line.startswith(RUNNING)]
    expected = f"http://127.0.0.1:{port}/ (dashboard), http://127.0.0.1:{port}/docs (API)"
    assert all(expected in line for line in found), found
    return found


def test_serve_starts_on_embedded_sqlite_with_the_sample_and_says_where(tmp_path):
    port = _free_port()
    proc, lines = _start(["serve", "--port", str(port), "--demo"], _env(tmp_path))
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_healthy(base, proc, lines)
        body = httpx.get(base + "/api/v1/recommendations", params={"state": "XSA"}).json()
        assert body["total"] == 10
        assert (tmp_path / "data" / "recwatch.sqlite3").exists()
        assert httpx.get(base + "/docs").status_code == 200
        assert len(_running_lines(lines, port)) == 1, "".join(lines)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_web_with_several_workers_says_where_once(tmp_path):
    env = _env(tmp_path)
    upgrade = subprocess.run([sys.executable, "-m", "service", "db", "upgrade"], env=env,
                             capture_output=True, text=True, timeout=120)
    assert upgrade.returncode == 0, upgrade.stderr
    port = _free_port()
    proc, lines = _start(["web", "--port", str(port), "--workers", "2"], env)
    try:
        _wait_healthy(f"http://127.0.0.1:{port}", proc, lines)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not any(line.startswith(RUNNING) for line in lines):
            time.sleep(0.1)
        assert len(_running_lines(lines, port)) == 1, "".join(lines)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
