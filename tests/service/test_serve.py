"""`recwatch serve --demo` on the embedded default: migrates itself, loads the sample, answers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_starts_on_embedded_sqlite_with_the_sample(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECWATCH_")}
    env["RECWATCH_DATA_DIR"] = str(tmp_path / "data")
    proc = subprocess.Popen([sys.executable, "-m", "service", "serve", "--port", str(port), "--demo"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline, base = time.monotonic() + 60, f"http://127.0.0.1:{port}"
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            raise AssertionError("service did not start")
        body = httpx.get(base + "/api/v1/recommendations", params={"state": "XSA"}).json()
        assert body["total"] == 10
        assert (tmp_path / "data" / "recwatch.sqlite3").exists()
        assert httpx.get(base + "/docs").status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)
