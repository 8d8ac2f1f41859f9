"""Slow and keyless clients against the served app, over raw sockets: a /v1 slot is
taken only after the key is checked and the whole body has arrived, and a stalled
body times out, so such clients never lock keyed requests out."""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from assistant.settings import Settings
from reliability.slow_clients import siege

from ..conftest import CORPUS
from .conftest import KEYS, Served, serve

QUESTION = {"question": "Which senator from Tennessee did the ambassador meet?"}
GOOD = {"Authorization": f"Bearer {KEYS[0]}"}


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[Served]:
    """Keys set, the default 32 slots, and a body that stalls for 2 s times out."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("guarded"), corpus_dir=CORPUS, api_keys=KEYS,
                        body_read_timeout_s=2)  # fmt: skip
    yield from serve(settings, embedder, ingest=True)


@contextlib.contextmanager
def half_sent(url: str, count: int, headers: str = "") -> Iterator[list[socket.socket]]:
    """``count`` sockets that send `POST /v1/ask` headers declaring 100 bytes, then one byte."""
    host, port = url.removeprefix("http://").split(":")
    sockets = []
    try:
        for _ in range(count):
            raw = socket.create_connection((host, int(port)), timeout=10)
            raw.sendall(f"POST /v1/ask HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n{headers}"
                        "Content-Length: 100\r\n\r\n{".encode())  # fmt: skip
            sockets.append(raw)
        time.sleep(0.5)  # every request has reached the app
        yield sockets
    finally:
        for raw in sockets:
            raw.close()


def reply(raw: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    data = b""
    while chunk := raw.recv(4096):
        data += chunk
    return data


def test_keyless_half_sent_bodies_are_refused_at_once_and_lock_nobody_out(guarded: Served) -> None:
    with half_sent(guarded.url, 32) as sockets:
        keyed = httpx.post(f"{guarded.url}/v1/ask", json=QUESTION, headers=GOOD, timeout=30)
        assert keyed.status_code == 200 and "Bill Hagerty" in keyed.json()["answer"]
        for raw in sockets:
            raw.settimeout(1)  # the 401 comes without waiting for the body
            assert raw.recv(4096).startswith(b"HTTP/1.1 401 ")


def test_keyed_stalled_bodies_time_out_without_holding_slots(guarded: Served) -> None:
    started = time.monotonic()
    with half_sent(guarded.url, 32, f"Authorization: Bearer {KEYS[1]}\r\n") as sockets:
        for _ in range(3):
            keyed = httpx.post(f"{guarded.url}/v1/ask", json=QUESTION, headers=GOOD, timeout=30)
            assert keyed.status_code == 200
        for raw in sockets:
            raw.settimeout(10)
            head, _, body = reply(raw).partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 408 ") and b"connection: close" in head.lower()
            assert body == (b'{"error": {"message": "No part of the request body arrived for 2 s; send the whole '
                            b'body without pausing.", "type": "invalid_request_error", "code": "body_timeout", '
                            b'"param": null}}')  # fmt: skip
    assert time.monotonic() - started < 10


def test_a_chunked_body_that_never_starts_times_out(guarded: Served) -> None:
    host, port = guarded.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as raw:
        raw.sendall(f"POST /v1/documents HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {KEYS[0]}\r\n"
                     "Content-Type: multipart/form-data; boundary=x\r\nTransfer-Encoding: chunked\r\n\r\n".encode())  # fmt: skip
        assert httpx.get(f"{guarded.url}/v1/documents", headers=GOOD).status_code == 200
        assert reply(raw).startswith(b"HTTP/1.1 408 ")


def test_short_slow_client_siege_keeps_keyed_requests_answering(guarded: Served) -> None:
    """A few seconds of `reliability/slow_clients.py` (`make reliability` runs 30 s)."""
    result = siege(guarded.url, KEYS[0], seconds=3, baseline_s=1)
    assert (result["keyless_requests"], result["keyless_statuses"]) == (32, {"401": 32})
    assert result["keyed_during"] > 3 and result["keyed_statuses_during"] == {"200": result["keyed_during"]}
