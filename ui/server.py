"""One ASGI app: the API under ``/v1``, health probes, OpenAPI docs at ``/docs``, and
the chat page at ``/``, all on one set of services built once.

    $ assistant serve --host 127.0.0.1 --port 8000
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from starlette.requests import ClientDisconnect
from starlette.routing import Mount
from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.protocols.utils import ClientDisconnected

from assistant.settings import Settings
from vectorstore.embeddings import Embedder

from .api import create_app
from .keys import owner_of
from .limits import TURNED_AWAY, Refused
from .mcp_server import access_of_request, build_mcp, mount_mcp
from .metrics import Metrics
from .reconcile import reconcile_uploads
from .web import CSS, build_web, gr
from .web_collections import PageKeys
from .wiring import Services, open_services


def build_app(services: Services) -> FastAPI:
    """The API and the web page over ``services``; the model is loaded, and the uploads
    folder reconciled with the index (what a killed server left half done), before serving."""
    services.assistant.warm_up()
    for name in services.collections.names():
        collection = services.collection(name)
        if reconcile_uploads(collection).changed:
            # What the reconciliation wrote is in the keyword index before the first
            # question, however many files: no question is being answered yet.
            collection.assistant.warm_up()
    services.jobs  # noqa: B018 - made now, before two requests could make one each
    app = create_app(services)
    keys = services.keys
    server = build_mcp(services.collection, access_of_request(keys.required), services.collections.names)
    mount_mcp(app, server, services.settings.cors_origins)

    # Any key signs in (a user name keeps the key it first signed in with, so its saved
    # conversations stay that key's); the page offers the collections it may read.
    signed_in = PageKeys(keys)

    def check(user: str, password: str) -> bool:
        if keys.lookup(password) is None:
            return False
        # The saved conversations' binding first: it outlives a restart, this process's does not.
        return services.conversations.sign_in(user, owner_of(password)) and signed_in.sign_in(user, password)

    gr.mount_gradio_app(
        app,
        build_web(services, signed_in),
        path="/",
        auth=check if keys.required else None,
        auth_message="Sign in with a user name and an API key as the password (a user name stays with the key "
        "that first signed in with it).",
        css=CSS,
        footer_links=[],
        show_error=True,
        ssr_mode=False,
    )
    if keys.required:
        page = next(route.app for route in app.routes if isinstance(route, Mount) and route.path == "")
        app.add_middleware(SignedInOnly, page=page, prefixes=_SIGNED_IN_ONLY)
    app.add_middleware(RequestLog, metrics=app.state.metrics)
    return app


access = logging.getLogger("assistant.access")
# What an operator wants to see: the API, the probes and the page; the page's assets,
# event streams and heartbeats go to the debug level.
_LOGGED = ("/v1/", "/mcp", "/healthz", "/readyz", "/docs", "/openapi.json")


_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
CLIENT_LEFT = 499  # the status nginx logs for "client closed request"


def loggable(path: str) -> str:
    """``path`` percent-encoded as a URL writes it, so that what a client decoded into it
    cannot start a log line of its own ("%0d%0a", U+2028) or fake the fields after it (a
    space); letters outside ASCII are encoded too."""
    return quote(path, safe="/:@!$&'()*+,;=-._~%")


class RequestLog:
    """One line per request once its response has been sent: method, path, status,
    milliseconds (a streamed answer counts until its last event) and the request id.

    The id is the client's ``X-Request-ID`` when it is a plain token, else a new one;
    either way it comes back in the response's ``X-Request-ID``. Keys, queries and
    bodies are never logged.
    """

    def __init__(self, app: ASGIApp, metrics: Metrics):
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0
        given = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex[:16]

        logged = False

        async def sending(message: Any) -> None:
            nonlocal status, logged
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"]
                message = {**message, "headers": [*headers, (b"x-request-id", request_id.encode())]}
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                logged = True
                self._log(scope, status, started, request_id)

        try:
            await self.app(scope, receive, sending)
        except Exception as error:
            if not logged:
                logged = True
                # A write to a client that left fails: it left, whatever status went out first.
                gone = isinstance(error, (ClientDisconnect, ClientDisconnected))
                self._log(scope, CLIENT_LEFT if gone else status or 500, started, request_id)
            raise
        finally:
            # The app stopped before the response's last byte without failing: the client
            # left (a streamed answer it stopped reading, a body it never finished). Logged
            # as nginx does, 499, so that the request is still counted and timed.
            if not logged:
                self._log(scope, CLIENT_LEFT, started, request_id)

    def _log(self, scope: Scope, status: int, started: float, request_id: str) -> None:
        self.metrics.request(str(scope.get("method", "?")), str(scope.get("path", "")), status,
                             time.perf_counter() - started)  # fmt: skip
        path = loggable(str(scope.get("path", "")))
        level = logging.INFO if path == "/" or path.startswith(_LOGGED) else logging.DEBUG
        if status == 503 and (path == "/readyz" or scope.get("state", {}).get(TURNED_AWAY)):
            level = logging.WARNING  # load turned away, or a probe saying not ready: routine
        elif status >= 500:
            level = logging.ERROR  # a store that is down (503 store_unavailable) among them
        ms = round((time.perf_counter() - started) * 1000, 1)
        method = str(scope.get("method", "?"))
        fields = {"method": method, "path": path, "status": status, "ms": ms, "request_id": request_id}
        access.log(level, "%s %s %d %.1f ms id=%s", method, path, status, ms, request_id, extra={"fields": fields})


class JsonLines(logging.Formatter):
    """Log records as one JSON object a line, for log collectors (``--log-format json``)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def configure_logging(level: str, form: str) -> None:
    """The server's own log on stderr: ``level`` (debug, info, warning, error), ``form``
    ``text`` (a line for people) or ``json`` (an object a line)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLines() if form == "json" else logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())


# Page routes that gradio leaves open even with sign-in on: the heartbeat holds an
# event stream open for as long as the client likes.
_SIGNED_IN_ONLY = ("/gradio_api/heartbeat/",)


class SignedInOnly:
    """Refuse ``prefixes`` (401) to a client without a signed-in chat page session."""

    def __init__(self, app: ASGIApp, page: Any, prefixes: tuple[str, ...]):
        self.app, self.page, self.prefixes = app, page, prefixes

    def _signed_in(self, scope: Scope) -> bool:
        cookies = Request(scope).cookies
        names = (f"access-token-{self.page.cookie_id}", f"access-token-unsecure-{self.page.cookie_id}")
        return any(self.page.tokens.get(cookies.get(name, "")) is not None for name in names)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] == "http" and path.startswith(self.prefixes) and not self._signed_in(scope):
            await Refused(401, "not_signed_in", "Sign in on the chat page first: any user name, an API key as the "
                          "password.").send(send)  # fmt: skip
            return
        await self.app(scope, receive, send)


def create_server_app(settings: Settings | None = None, embedder: Embedder | None = None) -> FastAPI:
    return build_app(open_services(settings or Settings(), embedder=embedder))
