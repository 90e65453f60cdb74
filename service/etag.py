"""ETag / If-None-Match for JSON reads under /api/v1: a client polling an unchanged list or
detail gets a 304 with no body. Streams (exports, reports) pass through untouched."""

from __future__ import annotations

import hashlib

from starlette.types import ASGIApp, Message, Receive, Scope, Send

STREAMED = ("/api/v1/export", "/api/v1/reports")


class ETagMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (scope["type"] != "http" or scope["method"] != "GET" or not path.startswith("/api/v1/")
                or path.startswith(STREAMED)):
            return await self.app(scope, receive, send)
        start: Message | None = None
        chunks: list[bytes] = []

        async def buffer(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            await _finish(scope, send, start, b"".join(chunks))

        await self.app(scope, receive, buffer)


async def _finish(scope: Scope, send: Send, start: Message, body: bytes) -> None:
    headers = list(start.get("headers", []))
    is_json = any(k.lower() == b"content-type" and v.startswith(b"application/json") for k, v in headers)
    if start["status"] != 200 or not is_json:
        await send(start)
        await send({"type": "http.response.body", "body": body})
        return
    etag = b'W/"' + hashlib.sha256(body).hexdigest()[:32].encode() + b'"'
    sent = dict(scope.get("headers", [])).get(b"if-none-match", b"")
    if etag in [t.strip() for t in sent.split(b",")] or sent.strip() == b"*":
        keep = [(k, v) for k, v in headers if k.lower() not in (b"content-length", b"content-type")]
        await send({"type": "http.response.start", "status": 304, "headers": keep + [(b"etag", etag)]})
        await send({"type": "http.response.body", "body": b""})
        return
    headers = [(k, v) for k, v in headers if k.lower() != b"etag"] + [
        (b"etag", etag), (b"cache-control", b"no-cache")]
    await send({**start, "headers": headers})
    await send({"type": "http.response.body", "body": body})
