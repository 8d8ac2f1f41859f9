"""The API's error shape, OpenAI's: ``{"error": {"message", "type", "code", "param"}}``.

Routes and the OpenAI-compatible layer raise ``ApiError``; one handler in ``api``
turns it into a JSON response with the status, so a traceback never leaves the server.

    >>> error_body("The model 'x' does not exist.", "model_not_found", 404, param="model")["error"]["param"]
    'model'
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.evaluation import QuestionSetError
from core.errors import (
    AssistantError,
    CollectionExistsError,
    CollectionNameError,
    DefaultCollectionError,
    DocumentError,
    EmptyIndexError,
    IngestInProgressError,
    InvalidFilterError,
    InvalidQuestionError,
    InvalidUploadError,
    NoMatchingDocumentsError,
    StoreError,
    TooManyFilesError,
    UnknownCollectionError,
    UnknownConversationError,
    UnknownDocumentError,
    UnknownTurnError,
    UnsupportedFileError,
    UploadTooLargeError,
)

# Most specific first: the first matching class decides the status.
_STATUS: list[tuple[type[AssistantError], int, str]] = [
    (InvalidFilterError, 422, "invalid_filter"),
    (InvalidQuestionError, 422, "invalid_question"),
    (QuestionSetError, 422, "invalid_question_set"),
    (NoMatchingDocumentsError, 409, "no_matching_documents"),
    (EmptyIndexError, 409, "empty_index"),
    (UnknownDocumentError, 404, "unknown_document"),
    (UnknownCollectionError, 404, "collection_not_found"),
    (UnknownConversationError, 404, "conversation_not_found"),
    (UnknownTurnError, 404, "turn_not_found"),
    (CollectionNameError, 422, "invalid_collection_name"),
    (CollectionExistsError, 409, "collection_exists"),
    (DefaultCollectionError, 409, "default_collection"),
    (UnsupportedFileError, 415, "unsupported_file_type"),
    (TooManyFilesError, 422, "too_many_files"),
    (UploadTooLargeError, 413, "upload_too_large"),
    (InvalidUploadError, 422, "invalid_upload"),
    (DocumentError, 422, "unreadable_document"),
    (IngestInProgressError, 503, "ingest_in_progress"),
    (StoreError, 503, "store_unavailable"),
    (AssistantError, 400, "bad_request"),
]


def status_of(err: AssistantError) -> tuple[int, str]:
    """The HTTP status and error code for a core error."""
    return next((s, c) for kind, s, c in _STATUS if isinstance(err, kind))


def assistant_error_response(err: AssistantError) -> JSONResponse:
    status, code = status_of(err)
    retry = {"Retry-After": str(err.retry_after_s)} if isinstance(err, IngestInProgressError) else None
    return error_response(status, code, str(err), retry)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None,
                 param: str | None = None):  # fmt: skip
        super().__init__(message)
        self.status, self.code, self.message, self.headers, self.param = status, code, message, headers, param


# A name or id a message quotes back ('...') longer than this is shortened: what a client
# sent is not echoed whole (a 100 kB id, a 100 kB reply).
MAX_QUOTED = 60
_LONG_QUOTED = re.compile(rf"'([^'\n]{{{MAX_QUOTED + 1},}})'")


def error_body(message: str, code: str, status: int, param: str | None = None) -> dict[str, Any]:
    message = _LONG_QUOTED.sub(lambda m: f"'{m.group(1)[:MAX_QUOTED]}…'", message)
    kind = "invalid_request_error" if status < 500 else "server_error"
    if status == 401:
        kind = "authentication_error"
    return {"error": {"message": message, "type": kind, "code": code, "param": param}}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None,
                   param: str | None = None) -> JSONResponse:  # fmt: skip
    return JSONResponse(error_body(message, code, status, param), status_code=status, headers=headers)


def internal_error_response() -> JSONResponse:
    """The 500 for a fault no handler expected: its details go to the server log only."""
    return error_response(500, "internal_error", "Internal error; the server log has the details.")


class InternalErrors:
    """A 500 in the API's error shape for a fault no handler expected, sent here rather than
    by the server underneath: that one re-raises after its 500, and uvicorn then logs the
    traceback a second time and closes a keep-alive connection it never marked closed."""

    def __init__(self, app: ASGIApp, log: logging.Logger):
        self.app = app
        self.log = log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception:
            if started:
                raise  # half a response is out: only closing the connection can say it failed
            self.log.exception("unexpected error on %s %s", scope["method"], scope["path"])
            await internal_error_response()(scope, receive, send)
