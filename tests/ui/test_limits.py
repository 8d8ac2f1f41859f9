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


@pytest.fixture(scope="module")
def tight(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[Served]:
    """Bodies of at most 1 MB, and at most 3 MB of them held at once."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("tight"), corpus_dir=CORPUS, max_upload_mb=1,
                        max_bodies_mb=3)  # fmt: skip
    yield from serve(settings, embedder, ingest=False)


def posting(url: str, length: int, chunked: bool = False) -> socket.socket:
    """A socket that has sent `POST /v1/documents` headers for a body of ``length`` bytes
    and the first 1000 of them."""
    host, port = url.removeprefix("http://").split(":")
    raw = socket.create_connection((host, int(port)), timeout=10)
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {length}"
    first = b"3e8\r\n" + b"x" * 1000 + b"\r\n" if chunked else b"x" * 1000
    raw.sendall(f"POST /v1/documents HTTP/1.1\r\nHost: {host}\r\nContent-Type: multipart/form-data; boundary=x\r\n"
                f"{framing}\r\n\r\n".encode() + first)  # fmt: skip
    return raw


BUSY = (b'{"error": {"message": "The server is reading 3 MB of request bodies already; retry shortly or send a '
        b'smaller body.", "type": "server_error", "code": "overloaded", "param": null}}')  # fmt: skip


def test_bodies_being_read_hold_at_most_their_budget(tight: Served) -> None:
    # Three uploads of 1,000,000 bytes each, sent slowly, take 2.9 MB of the 3 MB: a fourth
    # is turned away before a byte of it is read, a small request still passes, and once
    # the three have gone the fourth gets in.
    slow = [posting(tight.url, 1_000_000) for _ in range(3)]
    try:
        time.sleep(0.5)
        fourth = posting(tight.url, 1_000_000)
        fourth.settimeout(5)
        head, _, body = reply(fourth).partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 503 ") and b"retry-after: 1" in head.lower()
        assert b"connection: close" in head.lower() and body == BUSY
        assert httpx.get(f"{tight.url}/v1/documents").status_code == 200
    finally:
        for raw in slow:
            raw.close()
    time.sleep(0.5)
    again = posting(tight.url, 1_000_000)
    again.settimeout(3)
    with pytest.raises(TimeoutError):  # it is read, not refused: nothing comes back yet
        again.recv(4096)
    again.close()


def test_a_chunked_body_counts_as_it_arrives(tight: Served) -> None:
    slow = [posting(tight.url, 1_000_000) for _ in range(3)]
    try:
        time.sleep(0.5)
        chunked = posting(tight.url, 0, chunked=True)
        chunked.sendall(b"30d40\r\n" + b"x" * 200_000 + b"\r\n")  # 0.2 MB more: over the budget
        chunked.settimeout(5)
        head, _, body = reply(chunked).partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 503 ") and body == BUSY
    finally:
        for raw in slow:
            raw.close()
