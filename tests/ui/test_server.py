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


def _scrape(url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    from prometheus_client.parser import text_string_to_metric_families

    reply = httpx.get(f"{url}/metrics")
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("text/plain; version=0.0.4")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(reply.text)
        for sample in family.samples
    }


def test_metrics_count_requests_answers_and_what_the_index_holds(served: Served) -> None:
    before = _scrape(served.url)
    for _ in range(2):
        assert httpx.post(f"{served.url}/v1/ask", json={"question": "Who met James Danly?"}).status_code == 200
    assert httpx.delete(f"{served.url}/v1/documents/no-such-id").status_code == 404
    after = _scrape(served.url)

    def delta(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0.0) - before.get(key, 0.0)

    asks = {"method": "POST", "route": "/v1/ask", "status": "200"}
    assert delta("assistant_http_requests_total", **asks) == 2
    missing = {"method": "DELETE", "route": "/v1/documents/{id}", "status": "404"}
    assert delta("assistant_http_requests_total", **missing) == 1
    assert delta("assistant_http_request_duration_seconds_count", method="POST", route="/v1/ask") == 2
    assert delta("assistant_answers_total", mode="extractive") == 2
    assert delta("assistant_answer_stage_seconds_count", stage="retrieve") == 2
    assert after[("assistant_index_passages", ())] == served.services.assistant.store.count()
    assert after[("assistant_index_documents", ())] == len(served.services.documents.indexed())
    assert after[("assistant_upload_jobs", (("status", "queued"),))] == 0
