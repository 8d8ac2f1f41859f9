"""`assistant serve` as a process manager and a keep-alive client expect: it stops on
SIGTERM whatever its clients do, and a fault it cannot mend leaves connections usable."""

from __future__ import annotations

import json
import re
import shutil
import signal
import socket
import subprocess
from pathlib import Path

import httpx

from assistant.conversation_store import CONVERSATIONS_FILE

from ..conftest import CORPUS
from ..helpers import free_port, run_cli, start_serve


def test_sigterm_stops_the_server_though_a_chat_page_stays_open(tmp_path: Path) -> None:
    # An open chat page keeps its heartbeat stream open for as long as the tab is: systemd
    # or Kubernetes would otherwise wait, then SIGKILL, and the cleanup below never runs.
    shutil.copytree(CORPUS, tmp_path / "corpus")
    assert run_cli("ingest", "corpus", data_dir=tmp_path / "data", cwd=tmp_path).returncode == 0
    port = free_port()
    server = start_serve(tmp_path, port, settings={"ASSISTANT_SHUTDOWN_GRACE_S": "1"})
    note = tmp_path / "data" / "index" / "server.json"
    assert note.exists()
    try:
        with httpx.stream("GET", f"http://127.0.0.1:{port}/gradio_api/heartbeat/an-open-page", timeout=60) as page:
            assert page.status_code == 200
            server.send_signal(signal.SIGTERM)
            try:
                code = server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                code = None
    finally:
        if server.poll() is None:
            server.kill()
        server.communicate()
    assert code == 0
    assert not note.exists()  # the address note for CLI commands was withdrawn


def _exchange(sock: socket.socket, request: bytes) -> tuple[str, bytes]:
    """Send one HTTP/1.1 request on ``sock`` and read its response whole."""
    sock.sendall(request)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, "the server closed the connection"
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    length = int(re.search(rb"(?im)^content-length:\s*(\d+)", head).group(1))  # type: ignore[union-attr]
    while len(body) < length:
        chunk = sock.recv(65536)
        assert chunk, "the server closed the connection"
        body += chunk
    return head.decode(), body


def test_an_internal_error_keeps_the_connection_for_the_next_request(tmp_path: Path) -> None:
    # A conversation store damaged on disk is a fault the server cannot mend: its 500 must
    # not also cut the client's keep-alive connection, which it does not mark closed.
    shutil.copytree(CORPUS, tmp_path / "corpus")
    assert run_cli("ingest", "corpus", data_dir=tmp_path / "data", cwd=tmp_path).returncode == 0
    port = free_port()
    server = start_serve(tmp_path, port)
    try:
        assert httpx.post(f"http://127.0.0.1:{port}/v1/ask", json={"question": "Who is the ambassador?",
                          "conversation_id": "new"}, timeout=60).status_code == 200  # fmt: skip
        for part in (tmp_path / "data").rglob(f"{CONVERSATIONS_FILE}*"):  # the file, its WAL and index
            part.write_bytes(b"\xff" * part.stat().st_size)
        body = json.dumps({"question": "Who is the ambassador?", "conversation_id": "new"}).encode()
        ask = (b"POST /v1/ask HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
               b"Content-Length: %d\r\n\r\n%s" % (len(body), body))  # fmt: skip
        with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
            head, error = _exchange(sock, ask)
            assert head.startswith("HTTP/1.1 500 ") and "connection: close" not in head.lower()
            assert json.loads(error)["error"] == {"code": "internal_error", "type": "server_error", "param": None,
                                                  "message": "Internal error; the server log has the details."}  # fmt: skip
            head, _ = _exchange(sock, b"GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n")
            assert head.startswith("HTTP/1.1 200 ")
    finally:
        server.send_signal(signal.SIGTERM)
        _, log = server.communicate(timeout=60)
    assert log.count("Traceback") == 1  # logged once, not again by the server underneath
