"""The one served app as other origins, wrong methods and signed-out page clients see it:
no cross-origin access unless origins are configured, 405 (with Allow) for a wrong
method on a real /v1 route, and no heartbeat stream without signing in."""

from __future__ import annotations

import re

import httpx
import pytest

from .conftest import KEYS, Served

PREFLIGHT = {"Access-Control-Request-Method": "DELETE", "Access-Control-Request-Headers": "content-type"}


@pytest.mark.parametrize("origin", ["http://localhost:5173", "http://127.0.0.1:9999", "null", "https://evil.example"])
@pytest.mark.parametrize("path", ["/v1/documents/0123", "/v1/ask", "/gradio_api/queue/join", "/config"])
def test_without_configured_origins_no_origin_gets_cross_origin_access(served: Served, origin: str, path: str) -> None:
    preflight = httpx.options(f"{served.url}{path}", headers={"Origin": origin, **PREFLIGHT})
    assert (preflight.status_code, preflight.text) == (400, "Disallowed CORS origin")
    simple = httpx.get(f"{served.url}{path}", headers={"Origin": origin})
    for response in (preflight, simple):
        assert {"access-control-allow-origin", "access-control-allow-credentials"}.isdisjoint(response.headers)


def test_configured_origins_still_get_access(locked: Served) -> None:
    preflight = httpx.options(f"{locked.url}/gradio_api/queue/join",
                              headers={"Origin": "https://app.example", **PREFLIGHT})  # fmt: skip
    assert preflight.status_code == 200 and preflight.headers["access-control-allow-origin"] == "https://app.example"
    other = httpx.options(f"{locked.url}/gradio_api/queue/join", headers={"Origin": "http://localhost:1", **PREFLIGHT})
    assert other.status_code == 400 and "access-control-allow-origin" not in other.headers


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/v1/ask", "POST"),
        ("GET", "/v1/chat/completions", "POST"),
        ("PUT", "/v1/documents", "GET, POST"),
        ("GET", "/v1/documents/0123", "DELETE"),
        ("POST", "/v1/models", "GET"),
        ("OPTIONS", "/v1/eval", "POST"),
    ],
    ids=["delete-ask", "get-chat", "put-documents", "get-document", "post-models", "options-eval"],
)
def test_a_wrong_method_on_a_v1_route_is_405_with_allow(served: Served, method: str, path: str, allow: str) -> None:
    response = httpx.request(method, f"{served.url}{path}")
    assert response.status_code == 405 and response.headers["allow"] == allow
    assert response.json() == {"error": {"message": f"{method} is not allowed on {path}; use {allow}.",
                                         "type": "invalid_request_error", "code": "method_not_allowed", "param": None}}  # fmt: skip
    unknown = httpx.request(method, f"{served.url}/v1/nope")
    assert (unknown.status_code, unknown.json()["error"]["message"]) == (
        404,
        "No route /v1/nope; see /docs for the API.",
    )


def test_heartbeat_needs_a_signed_in_session_when_keys_are_set(locked: Served) -> None:
    refused = httpx.get(f"{locked.url}/gradio_api/heartbeat/abc123", timeout=5)
    assert refused.status_code == 401
    assert refused.json() == {"error": {"message": "Sign in on the chat page first: any user name, an API key as the "
                                        "password.", "type": "authentication_error", "code": "not_signed_in",
                                        "param": None}}  # fmt: skip
    with httpx.Client(base_url=locked.url, timeout=5) as browser:
        assert browser.post("/login", data={"username": "anyone", "password": KEYS[0]}).status_code == 200
        with browser.stream("GET", "/gradio_api/heartbeat/abc123") as beating:
            assert beating.status_code == 200
            assert next(beating.iter_lines()) == "data: ALIVE"


def test_heartbeat_is_open_without_keys(served: Served) -> None:
    with httpx.stream("GET", f"{served.url}/gradio_api/heartbeat/abc123", timeout=5) as beating:
        assert beating.status_code == 200 and next(beating.iter_lines()) == "data: ALIVE"


def test_every_response_carries_a_request_id(served: Served) -> None:
    given = httpx.get(f"{served.url}/healthz", headers={"X-Request-ID": "abc-123"})
    assert given.headers["x-request-id"] == "abc-123"
    made = httpx.get(f"{served.url}/healthz")
    assert re.fullmatch(r"[0-9a-f]{16}", made.headers["x-request-id"])
    unsafe = httpx.get(f"{served.url}/healthz", headers={"X-Request-ID": "two words\tand a tab"})
    assert re.fullmatch(r"[0-9a-f]{16}", unsafe.headers["x-request-id"])
