"""ASGI middleware that bounds what one request and all requests together may take.

- ``BodySizeLimit``: a body over the limit gets 413 before the app reads it,
  whether the client declared ``Content-Length`` or streamed it in chunks.
- ``ConcurrencyLimit``: past the configured number of requests in flight, new ones
  get 503 with ``Retry-After`` at once instead of queueing without bound.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def _error(status: int, code: str, message: str) -> bytes:
    kind = "invalid_request_error" if status < 500 else "server_error"
    return json.dumps({"error": {"message": message, "type": kind, "code": code, "param": None}}).encode()


async def _send_json(send: Send, status: int, body: bytes, extra: list[tuple[bytes, bytes]] | None = None) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers + (extra or [])})
    await send({"type": "http.response.body", "body": body})


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_mb: float):
        self.app = app
        self.max_mb = max_mb
        self.max_bytes = int(max_mb * 1024 * 1024)

    def _message(self) -> bytes:
        return _error(413, "body_too_large", f"The request body is larger than {self.max_mb:g} MB; send smaller "
                      "files or raise ASSISTANT_MAX_UPLOAD_MB.")  # fmt: skip

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None:
            # The server holds the client to its declared length, so checking it suffices.
            if declared.isdigit() and int(declared) > self.max_bytes:
                await _send_json(send, 413, self._message())
                return
            await self.app(scope, receive, send)
            return
        # A chunked body has no declared length: read it here, at most up to the limit,
        # and hand the app a replay of what was read.
        messages: list[Message] = []
        seen = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                await _send_json(send, 413, self._message())
                return
            if not message.get("more_body", False):
                break
        replay = iter(messages)

        async def replayed() -> Message:
            return next(replay, None) or await receive()

        await self.app(scope, replayed, send)


class ConcurrencyLimit:
    def __init__(self, app: ASGIApp, limit: int, prefix: str = "/"):
        self.app = app
        self.limit = limit
        self.prefix = prefix
        self.active = 0  # one event loop per process: a plain counter is enough

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        if self.active >= self.limit:
            body = _error(503, "overloaded", f"The server is answering {self.limit} requests already; retry shortly.")
            await _send_json(send, 503, body, [(b"retry-after", b"1")])
            return
        self.active += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.active -= 1
