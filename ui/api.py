"""The HTTP API: native ``/v1/ask``, OpenAI-compatible ``/v1/chat/completions``,
document management, and health probes.

The routes live in ``ui/routes/`` (answers, documents, probes), one ``APIRouter`` per
subject, reaching the services through FastAPI dependencies; this module composes
them with the error handlers and middleware. Routes are thin: parse, one call into
the core, render. Every error is JSON in
OpenAI's ``{"error": {"message", "type", "code", "param"}}`` shape with a status that
fits and a message that says what to do; a traceback never leaves the server.

    >>> app = create_app(open_services(Settings()))
    >>> # uvicorn ui.server:app  (see `assistant serve`)
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.errors import AssistantError

from .errors import ApiError, InternalErrors, assistant_error_response, error_response, internal_error_response
from .limits import Admission, Bodies, BodySizeLimit
from .metrics import Metrics
from .routes import answers, collections, conversations, documents, probes
from .wiring import Services

log = logging.getLogger("assistant.api")
# FastAPI's detail for a body it could not decode or parse.
_UNPARSED = "There was an error parsing the body"


def create_app(services: Services) -> FastAPI:
    settings = services.settings
    # Swagger UI's scripts from the app itself (fastapi-offline), not a CDN: /docs works offline.
    app = FastAPIOffline(
        title="Grounded Assistant API",
        description="Answers from your documents, every sentence cited. OpenAI-compatible chat completions.",
        version="0.1.0",
    )
    app.state.services = services
    app.state.metrics = Metrics(services)

    # Keys are checked by `Admission`, before the body is read.
    for router in _V1:
        app.include_router(router, prefix="/v1")
    rest = APIRouter(prefix="/v1")

    # The chat page is mounted at "/", so without this an unknown /v1 path, or a known
    # one with another method, would go to the page (an HTML 404, and its CORS rules).
    @rest.api_route("/{path:path}", methods=_ANY_METHOD, include_in_schema=False)
    def unknown(request: Request, path: str) -> None:
        allowed = _allowed_methods(f"/{path}")
        if allowed:
            raise ApiError(405, "method_not_allowed", f"{request.method} is not allowed on {request.url.path}; use "
                           f"{', '.join(allowed)}.", {"Allow": ", ".join(allowed)})  # fmt: skip
        raise ApiError(404, "http_error", f"No route /v1/{path}; see /docs for the API.")

    app.include_router(rest)
    app.include_router(probes.router)

    _install_error_handlers(app)
    app.add_middleware(InternalErrors, log=log)
    app.add_middleware(HeadAsGet)
    app.add_middleware(Admission, keys=services.keys, limit=settings.max_concurrent_requests,
                       max_mb=settings.max_upload_mb, read_timeout_s=settings.body_read_timeout_s,
                       bodies=Bodies(settings.max_bodies_mb), prefix=("/v1/", "/mcp"))  # fmt: skip
    app.add_middleware(BodySizeLimit, max_mb=settings.max_upload_mb, skip_prefix="/v1/")
    # Always installed, even with no origins: then it refuses every cross-origin request,
    # and the chat page's own CORS rules (which let any localhost origin in) stand down.
    app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["*"],
                       allow_headers=["Authorization", "Content-Type"])  # fmt: skip
    return app


_V1 = (answers.router, collections.router, conversations.router, documents.router)
_ANY_METHOD = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def _allowed_methods(path: str) -> list[str]:
    """The methods the /v1 routes answer on ``path`` (given without its /v1): HEAD too
    wherever GET is (``HeadAsGet``)."""
    methods: set[str] = set()
    for router in _V1:
        for route in router.routes:
            if isinstance(route, APIRoute) and route.path_regex.match(path):
                methods |= route.methods or set()
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


# Outside /v1, the paths HEAD is answered on as GET (the page answers its own).
_HEAD_PATHS = ("/healthz", "/readyz", "/metrics")


class HeadAsGet:
    """HEAD answered as GET without the body, as HTTP asks of every GET route (monitors
    and load balancers probe with it); FastAPI's routes take only the methods they name."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if (
            scope["type"] != "http"
            or scope.get("method") != "HEAD"
            or not (path in _HEAD_PATHS or (path.startswith("/v1/") and "GET" in _allowed_methods(path[3:])))
        ):
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, err: ApiError) -> JSONResponse:
        return error_response(err.status, err.code, err.message, err.headers, err.param)

    @app.exception_handler(AssistantError)
    async def _assistant_error(_: Request, err: AssistantError) -> JSONResponse:
        return assistant_error_response(err)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, err: RequestValidationError) -> JSONResponse:
        whole = [e for e in err.errors() if tuple(e.get("loc", ())) == ("body",)]
        media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if whole and media != "application/json" and not media.endswith("+json"):
            # JSON sent as a form or as text reaches the route as a string, not an object.
            return error_response(422, "invalid_request", "Invalid request: the body must be a JSON object sent "
                                  "with Content-Type: application/json.")  # fmt: skip
        if any("Expected UploadFile" in str(e.get("msg", "")) for e in err.errors()):
            # A part named "files" without a file name arrives as a plain form field.
            return error_response(422, "invalid_upload", "Each file part needs a file name: Content-Disposition: "
                                  'form-data; name="files"; filename="notes.md".')  # fmt: skip
        problems = []
        for item in err.errors()[:3]:
            where = ".".join(str(p) for p in item.get("loc", ()) if p != "body")
            problems.append(f"{where}: {item.get('msg', 'invalid')}" if where else str(item.get("msg", "invalid")))
        return error_response(422, "invalid_request", "Invalid request: " + "; ".join(problems))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, err: StarletteHTTPException) -> JSONResponse:
        if err.status_code == 400 and err.detail == _UNPARSED:
            # FastAPI's answer to a body that is not UTF-8, or nested past what Python's
            # parser follows; malformed JSON is a 422 already.
            return error_response(422, "invalid_request", "Invalid request: the body is not JSON this server can "
                                  "read; send UTF-8 JSON text, nested at most a few hundred levels deep.")  # fmt: skip
        if err.status_code == 400 and str(err.detail).startswith(("Too many files", "Too many fields")):
            # The form parser stops at 1000 parts, before the upload's own check could count them.
            limit = app.state.services.settings.max_upload_files
            return error_response(422, "too_many_files", "This upload holds more than 1000 parts (files and form "
                                  f"fields); the limit is {limit} per upload. Send them in several uploads.")  # fmt: skip
        messages = {404: "No such route; see /docs for the API.", 405: "Method not allowed on this route."}
        return error_response(err.status_code, "http_error", messages.get(err.status_code, str(err.detail)))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, err: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return internal_error_response()
