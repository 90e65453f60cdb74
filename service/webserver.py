"""`recwatch web --workers N`: N uvicorn processes, each listening on its own socket bound with
SO_REUSEPORT, so the kernel spreads incoming connections over them.

Why not uvicorn's own `--workers`: there all processes share one listening socket, and the one
that wakes first accepts every pending connection. Measured with 16 keep-alive clients and two
workers: all 16 connections went to one worker, the other stayed idle, and the machine's second
core did nothing for the API.
"""

from __future__ import annotations

import multiprocessing
import signal
import socket
import sys
import time
from types import FrameType

APP = "service.main:create_app"


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


def _worker(host: str, port: int) -> None:
    import uvicorn

    from service import logs

    logs.configure()
    config = uvicorn.Config(APP, factory=True, log_config=None)
    uvicorn.Server(config).run(sockets=[listening_socket(host, port)])


def serve(host: str, port: int, workers: int) -> None:
    """Run the API until SIGTERM or SIGINT; a worker that dies is started again."""
    import uvicorn

    if workers <= 1 or not hasattr(socket, "SO_REUSEPORT"):
        uvicorn.run(APP, factory=True, host=host, port=port, workers=workers, log_config=None)
        return
    # Fail here, once, if the address is taken, by anything: a socket bound without SO_REUSEPORT
    # cannot join another server's (a second `recwatch web` on the same port would, silently).
    listening_socket(host, port, shared=False).close()
    context = multiprocessing.get_context("spawn")
    stopping = False

    def start() -> multiprocessing.process.BaseProcess:
        process = context.Process(target=_worker, args=(host, port), name="recwatch-web")
        process.start()
        return process

    def stop(_signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    processes = [start() for _ in range(workers)]
    while not stopping:
        time.sleep(0.5)
        processes = [p if p.is_alive() or stopping else start() for p in processes]
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=30)
    sys.exit(0)
