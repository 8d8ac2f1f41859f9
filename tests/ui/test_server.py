"""The one served app as other origins, wrong methods and signed-out page clients see it:
no cross-origin access unless origins are configured, 405 (with Allow) for a wrong
method on a real /v1 route, and no heartbeat stream without signing in."""

from __future__ import annotations

import logging
import re
import socket
import time

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
        ("PUT", "/v1/documents", "GET, HEAD, POST"),
        ("GET", "/v1/documents/0123", "DELETE"),
        ("POST", "/v1/models", "GET, HEAD"),
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


@pytest.mark.parametrize(("method", "path"), [("POST", "/healthz"), ("DELETE", "/metrics"), ("PUT", "/readyz")])
def test_a_wrong_method_on_a_probe_is_405_in_the_api_shape(served: Served, method: str, path: str) -> None:
    # Not the chat page's {"detail": "Not Found"}: a monitor misconfigured is told what to use.
    response = httpx.request(method, f"{served.url}{path}")
    assert response.status_code == 405 and response.headers["allow"] == "GET, HEAD"
    assert response.json() == {"error": {"message": f"{method} is not allowed on {path}; use GET or HEAD.",
                                         "type": "invalid_request_error", "code": "method_not_allowed", "param": None}}  # fmt: skip


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


def test_paths_no_route_serves_add_no_metrics_series(served: Served) -> None:
    # Labels come from the routes served, so a client cannot grow /metrics with made-up
    # paths or methods.
    for n in range(3):
        httpx.get(f"{served.url}/v1/made-up-{n}")
        httpx.get(f"{served.url}/v1/chat/made-up-{n}")
        httpx.request(["TRACE", "PROPFIND", "MKCOL"][n], f"{served.url}/v1/ask")
    after = _scrape(served.url)
    routes = {dict(labels).get("route") for name, labels in after if name == "assistant_http_requests_total"}
    methods = {dict(labels).get("method") for name, labels in after if name == "assistant_http_requests_total"}
    assert not any("made-up" in str(r) for r in routes)
    assert methods <= {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other"}
    assert (
        after[("assistant_http_requests_total", (("method", "GET"), ("route", "/v1/{unknown}"), ("status", "404")))]
        >= 6
    )
    assert after[("assistant_http_requests_total", (("method", "other"), ("route", "/v1/ask"), ("status", "404")))] >= 3


def test_a_path_cannot_write_lines_of_its_own_into_the_log(served: Served, caplog: pytest.LogCaptureFixture) -> None:
    forged = "2026-12-07 15:10:00,000 INFO DELETE /v1/collections/x 200 0.1 ms id=forged"
    with caplog.at_level(logging.INFO, logger="assistant.access"):
        with socket.create_connection(("127.0.0.1", int(served.url.rsplit(":", 1)[1])), timeout=5) as raw:
            path = f"/v1/ask%0d%0a{forged.replace(' ', '%20')}%00%C2%85%E2%80%A8"
            raw.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
            while raw.recv(65536):
                pass
        deadline = time.monotonic() + 5
        while not any("forged" in r.getMessage() for r in caplog.records) and time.monotonic() < deadline:
            time.sleep(0.05)
    [line] = [r.getMessage() for r in caplog.records if "forged" in r.getMessage()]
    # The path as a URL writes it: no line break of any kind, no space to fake a field with.
    assert line.startswith("GET /v1/ask%0D%0A2026-12-07%2015:10:00,000%20INFO%20DELETE%20/v1/collections/x%20200")
    assert line.split(" ")[1].endswith("id=forged%00%C2%85%E2%80%A8")
    assert not any(ch in line for ch in "\n\r\x00\x85\u2028")


def test_mcp_answers_a_get_at_once_that_it_keeps_no_stream(served: Served) -> None:
    # Stateless MCP opens no event stream for GET: 405 at once, holding no slot (an open
    # GET never answered would, and 32 of them locked the API out).
    for _ in range(40):
        refused = httpx.get(f"{served.url}/mcp", headers={"Accept": "text/event-stream"}, timeout=5)
        assert (refused.status_code, refused.headers["allow"]) == (405, "POST")
    assert httpx.post(f"{served.url}/v1/ask", json={"question": "Who met James Danly?"}, timeout=30).status_code == 200


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics", "/v1/documents", "/v1/models"])
def test_head_answers_wherever_get_does_without_a_body(served: Served, path: str) -> None:
    got = httpx.get(f"{served.url}{path}")
    head = httpx.head(f"{served.url}{path}")
    assert (head.status_code, head.content) == (got.status_code, b"")
    assert head.headers["content-type"] == got.headers["content-type"]


def test_head_where_get_is_not_served_is_405(served: Served) -> None:
    refused = httpx.head(f"{served.url}/v1/ask")
    assert (refused.status_code, refused.headers["allow"], refused.content) == (405, "POST", b"")


def test_the_api_docs_page_needs_nothing_from_outside(served: Served) -> None:
    # The machine may be offline: every script and style the page loads comes from the server.
    page = httpx.get(f"{served.url}/docs")
    assert page.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    scripts = [a for a in assets if a.endswith(".js")]
    assert scripts and all(a.startswith("/") for a in assets), assets
    for asset in assets:
        assert httpx.get(f"{served.url}{asset}").status_code == 200, asset
    assert "SwaggerUIBundle" in httpx.get(f"{served.url}{scripts[0]}").text


def test_every_v1_route_has_a_metrics_label_of_its_own() -> None:
    # The labels' list of /v1 routes is kept by hand: a route added without it would be
    # counted as /v1/{unknown}.
    from fastapi.routing import APIRoute

    from ui.api import _V1
    from ui.metrics import UNKNOWN, route_of

    paths = [f"/v1{route.path}" for router in _V1 for route in router.routes if isinstance(route, APIRoute)]
    assert len(paths) >= 15
    assert [p for p in paths if route_of(p.replace("{", "x").replace("}", "")) == UNKNOWN] == []
