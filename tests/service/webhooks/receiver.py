"""A real webhook receiver on 127.0.0.1 for the tests.

Every request is verified with the `standardwebhooks` reference library against each secret
the test configured; the receiver records which secrets verified, counts deliveries per
webhook-id and per (webhook-id, attempt), and answers as the test scripts it: fail, time out,
answer 410, 429/503 with Retry-After, redirect, or hold the request open.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float
    verified_with: list[str] = field(default_factory=list)  # the secrets that verified
    errors: list[str] = field(default_factory=list)  # why the others did not

    @property
    def webhook_id(self) -> str:
        return self.headers.get("webhook-id", "")

    @property
    def attempt(self) -> int:
        return int(self.headers.get("recwatch-attempt", "0"))

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b"ok"
    delay: float = 0.0
    hold: threading.Event | None = None  # keep the request open until this is set


Script = Callable[[Received, int], Reply]  # (request, how many times this id came before)


class Receiver:
    def __init__(self) -> None:
        self.secrets: list[str] = []
        self.script: Script = lambda req, seen: Reply()
        self.requests: list[Received] = []
        self._lock = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                reply = receiver._receive(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                if reply.hold is not None:
                    reply.hold.wait(60)
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.send_header("content-length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except OSError:  # the sender gave up (timeout) or was killed
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def start(self) -> Receiver:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def _receive(self, path: str, headers: dict[str, str], body: bytes) -> Reply:
        req = Received(path=path, headers=headers, body=body, at=time.time())
        for secret in list(self.secrets):
            try:
                Webhook(secret).verify(body, headers)
                req.verified_with.append(secret)
            except WebhookVerificationError as exc:
                req.errors.append(str(exc))
        with self._lock:
            seen = sum(1 for r in self.requests if r.webhook_id == req.webhook_id)
            self.requests.append(req)
            self._lock.notify_all()
        if self.secrets and not req.verified_with:
            return Reply(400, body=b"bad signature")
        return self.script(req, seen)

    # --- what the tests look at ---------------------------------------------------------

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self.requests) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} requests, got {len(self.requests)}")
                self._lock.wait(left)
            return list(self.requests)

    def per_id(self) -> Counter[str]:
        return Counter(r.webhook_id for r in self.requests)

    def per_attempt(self) -> Counter[tuple[str, int]]:
        return Counter((r.webhook_id, r.attempt) for r in self.requests)

    def unverified(self) -> list[Received]:
        return [r for r in self.requests if self.secrets and not r.verified_with]

    def events(self) -> list[str]:
        """`data.event_id` of each request, in arrival order."""
        return [r.json["data"]["event_id"] for r in self.requests]
