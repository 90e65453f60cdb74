"""`recwatch web --workers N`: N uvicorn processes, each listening on its own socket bound with
SO_REUSEPORT, so the kernel spreads incoming connections over them.

Why not uvicorn's own `--workers`: there all processes share one listening socket, and the one
that wakes first accepts every pending connection. Measured with 16 keep-alive clients and two
workers: all 16 connections went to one worker, the other stayed idle, and the machine's second
core did nothing for the API.

Whatever the number of processes, one plain line on standard error says where to open recwatch,
once something listens: the JSON log lines are for machines, the person who started it needs a URL.
"""

from __future__ import annotations

import multiprocessing
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

import uvicorn

APP = "service.main:create_app"
ANY_HOST = {"", "0.0.0.0", "::"}


def running_line(host: str, port: int) -> str:
    """`recwatch is running: open http://127.0.0.1:8000/ (dashboard), …/docs (API)`; a server
    bound to every interface is opened locally on the loopback address, and by host name elsewhere."""
    local = "[::1]" if host == "::" else "127.0.0.1" if host in ANY_HOST else \
        f"[{host}]" if ":" in host else host
    base = f"http://{local}:{port}"
    line = f"recwatch is running: open {base}/ (dashboard), {base}/docs (API)"
    if host in ANY_HOST:
        line += f"; from other machines: http://{socket.gethostname()}:{port}/"
    return line


def announce(host: str, port: int) -> None:
    sys.stderr.write(running_line(host, port) + "\n")
    sys.stderr.flush()


class AnnouncingServer(uvicorn.Server):
    """A uvicorn server that calls `on_listening(port)` once its sockets accept connections
    (after the application's startup, so the URL it leads to answers)."""

    def __init__(self, config: uvicorn.Config, on_listening: Callable[[int], None]) -> None:
        super().__init__(config)
        self._on_listening = on_listening

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            bound = [s.getsockname()[1] for server in self.servers for s in server.sockets or ()]
            self._on_listening(bound[0] if bound else self.config.port)


def run_announced(app: Any, host: str, port: int, *, factory: bool = False) -> None:
    """One server process (`recwatch serve`, `recwatch web`): serve `app`, saying where once up."""
    config = uvicorn.Config(app, factory=factory, host=host, port=port, log_config=None)
    AnnouncingServer(config, lambda bound: announce(host, bound)).run()


def listening_socket(host: str, port: int, *, shared: bool = True) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if shared:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _worker(host: str, port: int, listening: Any) -> None:
    from service import logs

    logs.configure()
    config = uvicorn.Config(APP, factory=True, log_config=None)
    # The parent announces, once, when the first worker listens.
    AnnouncingServer(config, lambda _port: listening.set()).run(sockets=[listening_socket(host, port)])


def _announce_when_connectable(host: str, port: int, timeout: float = 120.0) -> None:
    """For uvicorn's own workers, whose start the parent does not see: poll until one answers."""
    target = "::1" if host == "::" else "127.0.0.1" if host in ANY_HOST else host
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection((target, port), timeout=1).close()
        except OSError:
            time.sleep(0.2)
            continue
        announce(host, port)
        return


def serve(host: str, port: int, workers: int) -> None:
    """Run the API until SIGTERM or SIGINT; a worker that dies is started again."""
    if workers <= 1:
        run_announced(APP, host, port, factory=True)
        return
    if not hasattr(socket, "SO_REUSEPORT"):
        threading.Thread(target=_announce_when_connectable, args=(host, port), daemon=True).start()
        uvicorn.run(APP, factory=True, host=host, port=port, workers=workers, log_config=None)
        return
    # Fail here, once, if the address is taken, by anything: a socket bound without SO_REUSEPORT
    # cannot join another server's (a second `recwatch web` on the same port would, silently).
    listening_socket(host, port, shared=False).close()
    context = multiprocessing.get_context("spawn")
    stopping = False
    listening = context.Event()

    def start() -> multiprocessing.process.BaseProcess:
        process = context.Process(target=_worker, args=(host, port, listening), name="recwatch-web")
        process.start()
        return process

    def stop(_signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    processes = [start() for _ in range(workers)]
    announced = False
    while not stopping:
        if not announced and listening.wait(0.5):
            announce(host, port)
            announced = True
        elif announced:
            time.sleep(0.5)
        processes = [p if p.is_alive() or stopping else start() for p in processes]
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=30)
    sys.exit(0)
