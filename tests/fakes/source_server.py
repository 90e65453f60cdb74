"""A real HTTP server on 127.0.0.1 that plays an outside source with scripted answers.

Each route maps a path (with query string) to a list of responses served in turn; the last one
repeats. Every request is recorded so tests can assert what was actually sent on the wire.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Scripted:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    at: float


class SourceServer:
    def __init__(self) -> None:
        self.routes: dict[str, list[Scripted]] = {}
        self.requests: list[Recorded] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server API
                server.requests.append(Recorded(self.path, dict(self.headers), time.monotonic()))
                queue = server.routes.get(self.path) or server.routes.get(self.path.split("?")[0])
                answer = (queue.pop(0) if len(queue) > 1 else queue[0]) if queue else Scripted(404, b"not found")
                if answer.delay:
                    time.sleep(answer.delay)
                try:
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(answer.body)))
                    self.end_headers()
                    self.wfile.write(answer.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout tests): nothing to answer

            def log_message(self, *args) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def route(self, path: str, *answers: Scripted) -> None:
        self.routes[path] = list(answers)

    def start(self) -> SourceServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
