"""The API's error shape, OpenAI's: ``{"error": {"message", "type", "code", "param"}}``.

Routes and the OpenAI-compatible layer raise ``ApiError``; one handler in ``api``
turns it into a JSON response with the status, so a traceback never leaves the server.

    >>> error_body("The model 'x' does not exist.", "model_not_found", 404, param="model")["error"]["param"]
    'model'
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None,
                 param: str | None = None):  # fmt: skip
        super().__init__(message)
        self.status, self.code, self.message, self.headers, self.param = status, code, message, headers, param


def error_body(message: str, code: str, status: int, param: str | None = None) -> dict[str, Any]:
    kind = "invalid_request_error" if status < 500 else "server_error"
    if status == 401:
        kind = "authentication_error"
    return {"error": {"message": message, "type": kind, "code": code, "param": param}}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None,
                   param: str | None = None) -> JSONResponse:  # fmt: skip
    return JSONResponse(error_body(message, code, status, param), status_code=status, headers=headers)
