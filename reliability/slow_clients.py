"""Keyless slow clients against a keyed server: 32 sockets send partial bodies, keyed
requests keep answering.

A real `assistant serve` on 127.0.0.1 with `ASSISTANT_API_KEYS` set. For the run,
32 sockets each send `POST /v1/ask` headers declaring 100 bytes with no key and one
byte of body, then trickle one more byte a second and stay open to the end;
meanwhile keyed clients ask questions on keep-alive connections. Before the attack a
few seconds of keyed questions alone give the baseline latency. Passing means: every
keyed question answered 200, every keyless socket refused (401) without its body.

Prints a JSON summary. Run: `make reliability` (or
`.venv/bin/python reliability/slow_clients.py --seconds 30`).
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reliability.served import ingested_server  # noqa: E402

KEY = "slow-client-campaign-key"
QUESTION = {"question": "Which senator from Tennessee did the ambassador meet?"}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1) if ordered else 0.0


def half_sent(host: str, port: int, stop: threading.Event, timeout_s: float = 30) -> tuple[str, float]:
    """One keyless request whose body never completes: headers declaring 100 bytes, one
    byte, then one more byte a second until ``stop``, the socket held open throughout.
    Returns the status line's code (or what went wrong) and how long it took to come."""
    started = time.monotonic()
    try:
        with socket.create_connection((host, port), timeout=timeout_s) as raw:
            raw.sendall(f"POST /v1/ask HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                        "Content-Length: 100\r\n\r\n{".encode())  # fmt: skip
            head = raw.recv(64)
            took = time.monotonic() - started
            while not stop.wait(1.0):
                raw.sendall(b" ")
    except TimeoutError:
        return "no answer", time.monotonic() - started
    except OSError as err:
        return type(err).__name__, time.monotonic() - started
    parts = head.split(b" ", 2)
    return (parts[1].decode() if len(parts) > 1 else "closed"), took


def siege(url: str, key: str, seconds: float = 30.0, sockets: int = 32, keyed_clients: int = 2,
          baseline_s: float = 5.0) -> dict[str, Any]:  # fmt: skip
    """Keyed questions alone for ``baseline_s``, then with ``sockets`` keyless slow
    clients for ``seconds``; returns counts and latencies."""
    host, port = url.removeprefix("http://").split(":")
    headers = {"Authorization": f"Bearer {key}"}
    lock = threading.Lock()
    keyed: dict[str, Counter[str]] = {"baseline": Counter(), "attack": Counter()}
    latency: dict[str, list[float]] = {"baseline": [], "attack": []}
    keyless: Counter[str] = Counter()
    keyless_s: list[float] = []
    phase = {"name": "baseline"}
    stop = threading.Event()

    def ask() -> None:
        with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
            while not stop.is_set():
                name = phase["name"]
                started = time.perf_counter()
                try:
                    status = str(client.post("/v1/ask", json=QUESTION).status_code)
                except httpx.TransportError as err:
                    status = type(err).__name__
                with lock:
                    keyed[name][status] += 1
                    latency[name].append((time.perf_counter() - started) * 1000)

    def attack() -> None:
        status, took = half_sent(host, int(port), stop)
        with lock:
            keyless[status] += 1
            keyless_s.append(took)

    askers = [threading.Thread(target=ask, daemon=True) for _ in range(keyed_clients)]
    for thread in askers:
        thread.start()
    time.sleep(baseline_s)
    phase["name"] = "attack"
    attackers = [threading.Thread(target=attack, daemon=True) for _ in range(sockets)]
    for thread in attackers:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in askers + attackers:
        thread.join(60)
    return {
        "sockets": sockets, "seconds": seconds, "keyed_clients": keyed_clients,
        "keyed_baseline": sum(keyed["baseline"].values()), "keyed_during": sum(keyed["attack"].values()),
        "keyed_ok_during": keyed["attack"]["200"],
        "keyed_statuses_during": dict(keyed["attack"]),
        "keyed_ms_p50_baseline": percentile(latency["baseline"], 0.5),
        "keyed_ms_p95_baseline": percentile(latency["baseline"], 0.95),
        "keyed_ms_p50_during": percentile(latency["attack"], 0.5),
        "keyed_ms_p95_during": percentile(latency["attack"], 0.95),
        "keyed_ms_max_during": round(max(latency["attack"], default=0.0), 1),
        "keyless_requests": sum(keyless.values()), "keyless_401": keyless["401"],
        "keyless_statuses": dict(keyless),
        "keyless_answer_ms_p95": percentile([s * 1000 for s in keyless_s], 0.95),
        "keyless_answer_ms_max": round(max(keyless_s, default=0.0) * 1000, 1),
    }  # fmt: skip


def passed(result: dict[str, Any]) -> bool:
    return (result["keyed_during"] > 0 and result["keyed_ok_during"] == result["keyed_during"]
            and result["keyless_401"] == result["keyless_requests"])  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--sockets", type=int, default=32)
    parser.add_argument("--port", type=int, default=8767)
    args = parser.parse_args()
    with ingested_server(args.port, "slow-clients-", {"ASSISTANT_API_KEYS": KEY}):
        result = siege(f"http://127.0.0.1:{args.port}", KEY, seconds=args.seconds, sockets=args.sockets)
    print(json.dumps(result))
    return 0 if passed(result) else 1


if __name__ == "__main__":
    sys.exit(main())
