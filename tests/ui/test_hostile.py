"""Hostile input and overload against the served app: each gets a clear 4xx/503, nothing stored changes."""

from __future__ import annotations

import asyncio
import io
import logging
import socket
import threading
import time
import zipfile
from typing import cast

import httpx
import pytest
from starlette.requests import ClientDisconnect
from uvicorn.protocols.utils import ClientDisconnected

from ui.metrics import Metrics
from ui.server import RequestLog
from ui.wiring import Services

from ..llm_stub import Reply, StubLLM, passages
from .conftest import KEYS, Served


def documents(url: str) -> dict:
    return httpx.get(f"{url}/v1/documents").json()


def zip_bomb_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (300 * 1024 * 1024))  # 300 MB of zeros, ~300 KB zipped
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "status", "message"),
    [
        (
            "bomb.docx",
            zip_bomb_docx(),
            422,
            "bomb.docx: expands to 300 MB, over the 200 MB limit for a .docx; it is refused as a likely zip bomb",
        ),
        ("noise.txt", bytes(range(256)) * 64, 422, "noise.txt: binary content, not a text file"),
        ("paper.pdf", b"GIF89a not a pdf at all", 422, "paper.pdf: not a readable PDF"),
        (
            "..%2F..%2Fetc%2Fpasswd",
            b"root:x:0:0",
            422,
            "'..%2F..%2Fetc%2Fpasswd' is not a usable file name; rename the file and upload it again.",
        ),
        ("../../outside.txt", b"escape attempt", 200, None),
    ],
    ids=["zip-bomb", "binary-as-txt", "not-a-pdf", "encoded-traversal", "traversal-is-flattened"],
)
def test_hostile_uploads(served: Served, name: str, content: bytes, status: int, message: str | None) -> None:
    before = documents(served.url)
    response = httpx.post(f"{served.url}/v1/documents?wait=true", files=[("files", (name, content, "application/octet-stream"))],
                          timeout=60)  # fmt: skip
    assert response.status_code == status
    if message:
        assert response.json()["error"]["message"].startswith(message)
        assert documents(served.url) == before
    else:
        added = response.json()["added"]
        assert len(added) == 1 and added[0].endswith("/uploads/outside.txt")  # kept inside the uploads folder
        entry = next(d for d in documents(served.url)["documents"] if d["source"] == added[0])
        assert httpx.delete(f"{served.url}/v1/documents/{entry['id']}").status_code == 200


def test_a_gigabyte_body_is_refused_early(served: Served) -> None:
    def body():
        for _ in range(1024):
            yield b"a" * (1024 * 1024)

    started = time.monotonic()
    response = httpx.post(f"{served.url}/v1/documents", content=body(), timeout=60,
                          headers={"Content-Type": "multipart/form-data; boundary=x"})  # fmt: skip
    assert response.status_code == 413 and response.json()["error"]["code"] == "body_too_large"
    # The client sends its whole body before reading the answer; the server stopped
    # reading at the limit, so this stays fast and memory stays flat.
    assert time.monotonic() - started < 30
    # A client that declares 1 GB is answered before it sends any of it.
    host, port = served.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as raw:
        raw.sendall(f"POST /v1/ask HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {1 << 30}\r\n\r\n".encode())  # fmt: skip
        assert raw.recv(64).startswith(b"HTTP/1.1 413 ")


def test_past_the_concurrency_limit_requests_get_503_with_retry_after(
    single_slot: Served, llm_stub: StubLLM, caplog: pytest.LogCaptureFixture
) -> None:
    llm_stub.responder = lambda body: Reply("Slow answer [1].", delay_s=2)
    question = {"question": "Which senator from Tennessee did the ambassador meet?"}
    slow = threading.Thread(target=lambda: httpx.post(f"{single_slot.url}/v1/ask", json=question, timeout=30))
    slow.start()
    time.sleep(0.5)
    with caplog.at_level(logging.INFO, logger="assistant.access"):
        refused = httpx.post(f"{single_slot.url}/v1/ask", json=question)
    slow.join()
    assert refused.status_code == 503 and refused.headers["retry-after"] == "1"
    # Load turned away is routine: a warning, not an error of the server's.
    [line] = [r for r in caplog.records if r.getMessage().startswith("POST /v1/ask 503")]
    assert line.levelno == logging.WARNING

    assert refused.json()["error"]["message"] == "The server is answering 1 requests already; retry shortly."
    assert httpx.get(f"{single_slot.url}/healthz").status_code == 200  # probes are never refused
    llm_stub.responder = lambda body: Reply(status=500)
    assert httpx.post(f"{single_slot.url}/v1/ask", json=question).status_code == 200


def test_a_probe_saying_not_ready_is_a_warning(locked: Served, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="assistant.access"):
        assert httpx.get(f"{locked.url}/readyz").status_code == 503  # the index is empty
    [line] = [r for r in caplog.records if r.getMessage().startswith("GET /readyz 503")]
    assert line.levelno == logging.WARNING


def test_logs_never_contain_api_keys(locked: Served, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    for key in (KEYS[0], "key-three"):
        httpx.get(f"{locked.url}/v1/documents", headers={"Authorization": f"Bearer {key}"})
        httpx.post(f"{locked.url}/v1/ask", json={"question": "x"}, headers={"Authorization": f"Bearer {key}"})
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert KEYS[0] not in text and "key-three" not in text


def test_ui_file_routes_serve_nothing_outside_their_assets(served: Served) -> None:
    for path in ("/gradio_api/file=/etc/passwd", "/gradio_api/file=../../../../etc/passwd",
                 "/file=/etc/passwd", "/gradio_api/file=%2Fetc%2Fpasswd", "/static/../../../../etc/passwd",
                 "/assets/..%2F..%2F..%2Fetc%2Fpasswd"):  # fmt: skip
        response = httpx.get(f"{served.url}{path}")
        assert response.status_code in (400, 403, 404), path
        assert "root:x:0:0" not in response.text


@pytest.mark.parametrize("gone", [ClientDisconnect(), ClientDisconnected()])
def test_a_client_gone_while_a_response_is_written_is_logged_as_having_left(
    gone: Exception, caplog: pytest.LogCaptureFixture
) -> None:
    # A write to a client that left fails (Starlette's ClientDisconnect, or uvicorn's
    # ClientDisconnected), after the status line went out: the client left, nginx's 499, not the
    # 200 the response began with. Which way a departure shows depends on timing, so the
    # streamed test above can meet either.
    async def app(scope: object, receive: object, send: object) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})  # type: ignore[operator]
        raise gone

    async def send(message: object) -> None:
        return None

    async def receive() -> dict[str, str]:
        return {"type": "http.disconnect"}

    metrics = Metrics(cast(Services, None))  # the index and jobs are only read when scraped
    scope = {"type": "http", "method": "POST", "path": "/v1/chat/completions", "headers": []}
    with caplog.at_level(logging.INFO, logger="assistant.access"), pytest.raises(type(gone)):
        asyncio.run(RequestLog(app, metrics)(scope, receive, send))  # type: ignore[arg-type]
    [line] = [r.getMessage() for r in caplog.records if r.name == "assistant.access"]
    assert line.split()[:3] == ["POST", "/v1/chat/completions", "499"]
    counted = metrics.requests.labels("POST", "/v1/chat/completions", "499")._value.get()
    assert counted == 1


def test_a_client_leaving_a_streamed_answer_stops_the_model_reply(
    single_slot: Served, llm_stub: StubLLM, caplog: pytest.LogCaptureFixture
) -> None:
    # A reply of ten supported sentences, a word every 0.1 s: read on after the client left,
    # it would keep the model busy while its slot went to the next client. Each sentence goes
    # out once it arrives and passes its checks, so the client leaves while the model is
    # still replying (a sentence nothing supports is held back until the model's time runs
    # out, and the fallback then goes out whole, before the client could leave).
    def reply(body: dict[str, object]) -> Reply:
        cited = next(n for n, text in passages(body).items() if "Hagerty" in text)
        said = f"He also engaged with Senator Bill Hagerty from Tennessee on continuing ongoing talks [{cited}]."
        return Reply(" ".join([said] * 10), piece_delay_s=0.1)

    llm_stub.responder = reply
    body = {"model": "grounded-assistant", "stream": True,
            "messages": [{"role": "user", "content": "Which senator from Tennessee did the ambassador meet?"}]}  # fmt: skip
    left = 'assistant_http_requests_total{method="POST",route="/v1/chat/completions",status="499"}'
    with caplog.at_level(logging.INFO, logger="assistant.access"):
        with httpx.stream("POST", f"{single_slot.url}/v1/chat/completions", json=body, timeout=30) as reply:
            assert reply.status_code == 200
            next(reply.iter_lines())
        time.sleep(1.5)
        read_by_then = llm_stub.sent
        time.sleep(1.5)
    assert llm_stub.sent == read_by_then < 130
    # The access log and the metrics say the client left (nginx's 499), as they would a reply sent in full.
    [line] = [r for r in caplog.records if r.getMessage().startswith("POST /v1/chat/completions ")]
    assert line.getMessage().split()[2] == "499" and line.levelno == logging.INFO
    metrics = httpx.get(f"{single_slot.url}/metrics").text.splitlines()
    assert f"{left} 1.0" in metrics
