"""ASGI middleware that bounds what one request and all requests together may take.

- ``Admission`` (the API under ``/v1/`` and the MCP server at ``/mcp``): the key is checked first (401 at once,
  without reading the body; what it may reach is left in the request state), then the whole body is read, at most up to the size
  limit (413) and with a pause between its parts of at most the read timeout (408),
  within what is left of the budget for all bodies held at once (``Bodies``: 503), and
  only then is one of the concurrency slots taken; past the configured number of
  requests in flight, new ones get 503 with ``Retry-After`` at once instead of
  queueing without bound. A client that never sends its key or its body therefore
  never holds a slot that keyed requests need.
- ``BodySizeLimit`` (every other path, the chat page's uploads): a body over the limit
  gets 413 before the app reads it, whether the client declared ``Content-Length``
  or streamed it in chunks.
"""

from __future__ import annotations

import asyncio
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .keys import ALL, OPEN, Access, KeyRing, owner_of

ACCESS = "access"  # the request state's entry for what the caller's key may reach
OWNER = "owner"  # and for whose saved conversations it reaches (``keys.owner_of``)


def _error(status: int, code: str, message: str) -> bytes:
    kind = "authentication_error" if status == 401 else "invalid_request_error" if status < 500 else "server_error"
    return json.dumps({"error": {"message": message, "type": kind, "code": code, "param": None}}).encode()


async def _send_json(send: Send, status: int, body: bytes, extra: list[tuple[bytes, bytes]] | None = None) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers + (extra or [])})
    await send({"type": "http.response.body", "body": body})


# Set in the request's state when Admission turns it away for load.
TURNED_AWAY = "assistant.turned_away"


class Refused(Exception):
    """A request answered by the middleware itself, with an error body."""

    def __init__(self, status: int, code: str, message: str, headers: list[tuple[bytes, bytes]] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or []

    async def send(self, send: Send) -> None:
        await _send_json(send, self.status, _error(self.status, self.code, self.message), self.headers)


def _too_large(max_mb: float) -> Refused:
    return Refused(413, "body_too_large", f"The request body is larger than {max_mb:g} MB; send smaller files or "
                   "raise ASSISTANT_MAX_UPLOAD_MB.")  # fmt: skip


def _declared_length(scope: Scope) -> int | None:
    declared = dict(scope.get("headers", [])).get(b"content-length")
    return int(declared) if declared is not None and declared.isdigit() else None


async def read_body(
    receive: Receive, max_mb: float, timeout_s: float | None = None, budget: Budget | None = None
) -> list[Message]:
    """The request's messages up to the end of its body; raises ``Refused`` when the
    body is over ``max_mb``, with ``timeout_s`` pauses longer than that, or with
    ``budget`` takes more than is left of it (the caller gives back what it took)."""
    max_bytes = int(max_mb * 1024 * 1024)
    messages: list[Message] = []
    seen = 0
    while True:
        try:
            message = await asyncio.wait_for(receive(), timeout_s)
        except TimeoutError:
            raise Refused(408, "body_timeout", f"No part of the request body arrived for {timeout_s:g} s; send the "
                          "whole body without pausing.", [(b"connection", b"close")]) from None  # fmt: skip
        messages.append(message)
        if message["type"] != "http.request":
            return messages
        seen += len(message.get("body", b""))
        if seen > max_bytes:
            raise _too_large(max_mb)
        if budget is not None:
            budget.grow_to(seen)
        if not message.get("more_body", False):
            return messages


class Bodies:
    """The bytes of request bodies held in memory by all requests together, at most
    ``max_mb``: each request reserves its declared length before a byte of it is read
    (a chunked one grows its share as parts arrive), so that many slow uploads at once
    cannot fill the server's memory; past the limit a request gets 503."""

    def __init__(self, max_mb: float):
        self.max_mb = max_mb
        self.max_bytes = int(max_mb * 1024 * 1024)
        self.held = 0  # one event loop per process: a plain counter is enough

    def budget(self) -> Budget:
        return Budget(self)


class Budget:
    """One request's share of ``Bodies``; ``release`` gives it back."""

    def __init__(self, bodies: Bodies):
        self.bodies, self.taken = bodies, 0

    def grow_to(self, size: int) -> None:
        if size <= self.taken:
            return
        if self.bodies.held + size - self.taken > self.bodies.max_bytes:
            raise Refused(503, "overloaded", f"The server is reading {self.bodies.max_mb:g} MB of request bodies "
                          "already; retry shortly or send a smaller body.",
                          [(b"retry-after", b"1"), (b"connection", b"close")])  # fmt: skip
        self.bodies.held += size - self.taken
        self.taken = size

    def release(self) -> None:
        self.bodies.held -= self.taken
        self.taken = 0


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """A ``receive`` that hands out ``messages`` first, then waits on the real one
    (which reports the client's disconnect)."""
    pending = iter(messages)

    async def replayed() -> Message:
        return next(pending, None) or await receive()

    return replayed


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_mb: float, skip_prefix: str | None = None):
        self.app = app
        self.max_mb = max_mb
        self.skip_prefix = skip_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or (self.skip_prefix and path.startswith(self.skip_prefix)):
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        try:
            if declared is not None:
                # The server holds the client to its declared length, so checking it suffices.
                if declared > self.max_mb * 1024 * 1024:
                    raise _too_large(self.max_mb)
                await self.app(scope, receive, send)
                return
            # A chunked body has no declared length: read it here, at most up to the
            # limit, and hand the app a replay of what was read.
            messages = await read_body(receive, self.max_mb)
        except Refused as refused:
            await refused.send(send)
            return
        await self.app(scope, _replay(messages, receive), send)


class Admission:
    """Key, then body, then a slot, for every request under ``prefix`` (one or several)."""

    def __init__(self, app: ASGIApp, *, keys: KeyRing, limit: int, max_mb: float, read_timeout_s: float,
                 bodies: Bodies, prefix: str | tuple[str, ...] = "/v1/"):  # fmt: skip
        self.app = app
        self.keys = keys
        self.limit = limit
        self.max_mb = max_mb
        self.bodies = bodies
        self.read_timeout_s = read_timeout_s
        self.prefix = prefix
        self.active = 0  # one event loop per process: a plain counter is enough

    def _check_key(self, scope: Scope) -> None:
        """Refuse a request without a valid key; note what its key may reach (``ACCESS``
        in the request state) for the routes."""
        access: Access | None = ALL
        owner = OPEN
        if self.keys.required:
            authorization = dict(scope.get("headers", [])).get(b"authorization", b"").decode("latin-1")
            scheme, _, token = authorization.partition(" ")
            access = self.keys.lookup(token.strip()) if scheme.lower() == "bearer" else None
            owner = owner_of(token.strip())
        if access is None:
            raise Refused(401, "invalid_api_key", "A valid API key is required: send `Authorization: Bearer KEY`.",
                          [(b"www-authenticate", b"Bearer")])  # fmt: skip
        scope.setdefault("state", {}).update({ACCESS: access, OWNER: owner})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        budget = self.bodies.budget()
        try:
            try:
                self._check_key(scope)
                declared = _declared_length(scope)
                if declared is not None and declared > self.max_mb * 1024 * 1024:
                    raise _too_large(self.max_mb)
                budget.grow_to(declared or 0)
                messages = await read_body(receive, self.max_mb, self.read_timeout_s, budget)
                if messages[-1]["type"] == "http.disconnect":
                    return  # the client left before its body was complete
                if self.active >= self.limit:
                    raise Refused(503, "overloaded", f"The server is answering {self.limit} requests already; retry "
                                  "shortly.", [(b"retry-after", b"1")])  # fmt: skip
            except Refused as refused:
                if refused.status == 503:
                    scope.setdefault("state", {})[TURNED_AWAY] = True  # routine: the access log says so
                await refused.send(send)
                return
            self.active += 1
            try:
                await self.app(scope, _replay(messages, receive), send)
            finally:
                self.active -= 1
        finally:
            # The body stays in memory until the answer is sent: ``messages`` is replayed.
            budget.release()
