"""Writers and readers at once: clients mixing uploads, deletes, questions and streamed chat.

16 clients (by default) for 60 s against a real `assistant serve` on 127.0.0.1, each on
one keep-alive connection of its own. Every turn a client asks (`/v1/ask`), streams a
chat completion, uploads one to three small files (202, then polls the job until it
ends) or deletes one of the documents it uploaded. Passing means: no 5xx other than
503 with `Retry-After`, no dropped connection, no other unexpected status, every job
done, and at the end the listing holds exactly the documents uploaded and not deleted.

Prints a JSON summary. Run: `make reliability` (or
`.venv/bin/python reliability/mixed_campaign.py --seconds 60`).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reliability.served import ingested_server  # noqa: E402

QUESTIONS = [json.loads(line)["question"] for line in (ROOT / "eval" / "seed_questions.jsonl").read_text().splitlines()
             if line.strip() and "history" not in line]  # fmt: skip
# What each turn does, and how often.
ACTIONS = {"ask": 0.4, "stream": 0.25, "upload": 0.2, "delete": 0.15}
# Every status each route may answer when all is well (503 only with Retry-After).
EXPECTED = {"ask": {200}, "stream": {200}, "upload": {202, 503}, "job": {200}, "list": {200}, "delete": {200, 503}}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1) if ordered else 0.0


@dataclass
class Tally:
    """Statuses, latencies and problems, shared by the client threads."""

    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    timings: dict[str, list[float]] = field(default_factory=lambda: {"ask": [], "stream": [], "job": []})
    problems: list[str] = field(default_factory=list)
    dropped: int = 0
    retry_503: int = 0
    jobs: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, route: str, response: httpx.Response) -> None:
        status = response.status_code
        with self.lock:
            self.statuses[(route, status)] += 1
            if status == 503 and response.headers.get("retry-after"):
                self.retry_503 += 1
            if status not in EXPECTED[route] or (status == 503 and not response.headers.get("retry-after")):
                self.problems.append(f"{route} {status}: {response.text[:200]}")

    def drop(self, route: str, err: Exception) -> None:
        with self.lock:
            self.dropped += 1
            self.problems.append(f"{route} dropped: {type(err).__name__}: {err}")


def note(client: int, n: int, part: int) -> bytes:
    return (f"# Mix note {client}-{n}-{part}\n\nDepot {client} logged shipment {n}.{part} of {100 + n} crates of "
            f"rope to berth {part}. The tally clerk of depot {client} signed shipment {n}.{part}.\n").encode()  # fmt: skip


class MixClient:
    """One client: one connection, its own documents, a deterministic random sequence."""

    def __init__(self, url: str, number: int, deadline: float, tally: Tally, seed: int):
        self.url, self.number, self.deadline, self.tally = url, number, deadline, tally
        self.rng = random.Random(seed * 1000 + number)
        self.mine: list[str] = []  # sources this client uploaded and has not deleted
        self.turn = 0

    def run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=120) as client:
            while time.monotonic() < self.deadline:
                self.turn += 1
                action = self.rng.choices(list(ACTIONS), weights=list(ACTIONS.values()))[0]
                if action == "delete" and not self.mine:
                    action = "upload"
                try:
                    getattr(self, action)(client)
                except httpx.TransportError as err:
                    self.tally.drop(action, err)
                    return  # the connection is gone: this client stops, and the run fails

    def ask(self, client: httpx.Client) -> None:
        started = time.perf_counter()
        response = client.post("/v1/ask", json={"question": self.rng.choice(QUESTIONS)})
        self.tally.timings["ask"].append((time.perf_counter() - started) * 1000)
        self.tally.record("ask", response)

    def stream(self, client: httpx.Client) -> None:
        body = {"messages": [{"role": "user", "content": self.rng.choice(QUESTIONS)}], "stream": True}
        started = time.perf_counter()
        with client.stream("POST", "/v1/chat/completions", json=body) as response:
            text = "".join(response.iter_text())
        self.tally.timings["stream"].append((time.perf_counter() - started) * 1000)
        self.tally.record("stream", response)
        if response.status_code == 200 and not text.rstrip().endswith("data: [DONE]"):
            with self.tally.lock:
                self.tally.problems.append(f"stream cut short: {text[-200:]!r}")

    def upload(self, client: httpx.Client) -> None:
        names = [f"mix-{self.number:02d}-{self.turn:04d}-{part}.md" for part in range(self.rng.randint(1, 3))]
        files = [("files", (name, note(self.number, self.turn, part), "text/markdown")) for part, name in
                 enumerate(names)]  # fmt: skip
        started = time.perf_counter()
        response = client.post("/v1/documents", files=files)
        self.tally.record("upload", response)
        if response.status_code != 202:
            return
        job_id = response.json()["id"]
        while True:
            polled = client.get(f"/v1/jobs/{job_id}")
            self.tally.record("job", polled)
            state = polled.json() if polled.status_code == 200 else {"status": "lost"}
            if state["status"] not in ("queued", "running"):
                break
            time.sleep(0.25)
        self.tally.timings["job"].append((time.perf_counter() - started) * 1000)
        with self.tally.lock:
            self.tally.jobs[state["status"]] += 1
            if state["status"] != "done":
                self.tally.problems.append(f"job {job_id} ended {state['status']}: {state.get('error')}")
        if state["status"] == "done":
            self.mine += state["result"]["added"] + state["result"]["updated"]

    def delete(self, client: httpx.Client) -> None:
        listing = client.get("/v1/documents")
        self.tally.record("list", listing)
        if listing.status_code != 200:
            return
        source = self.rng.choice(self.mine)
        ids = [d["id"] for d in listing.json()["documents"] if d["source"] == source]
        if not ids:
            with self.tally.lock:
                self.tally.problems.append(f"{source}: uploaded (job done) but not listed")
            self.mine.remove(source)
            return
        response = client.delete(f"/v1/documents/{ids[0]}")
        self.tally.record("delete", response)
        if response.status_code == 200:
            self.mine.remove(source)


def mix(url: str, clients: int = 16, seconds: float = 60.0, seed: int = 11) -> dict[str, Any]:
    """Run the mix against ``url``; returns counts, latencies and problems."""
    tally = Tally()
    deadline = time.monotonic() + seconds
    workers = [MixClient(url, n, deadline, tally, seed) for n in range(clients)]
    threads = [threading.Thread(target=w.run, daemon=True) for w in workers]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 300)
    elapsed = time.monotonic() - started
    expected = sorted(source for w in workers for source in w.mine)
    listed = sorted(d["source"] for d in httpx.get(f"{url}/v1/documents", timeout=60).json()["documents"]
                    if "/uploads/mix-" in d["source"])  # fmt: skip
    requests = sum(tally.statuses.values())
    server_errors = sum(n for (_, status), n in tally.statuses.items() if status >= 500) - tally.retry_503
    by_route: Counter[str] = Counter()
    for (route, _), n in tally.statuses.items():
        by_route[route] += n
    return {
        "clients": clients, "seconds": round(elapsed, 1), "requests": requests,
        "requests_per_s": round(requests / elapsed, 1),
        **{f"{route}_requests": by_route[route] for route in EXPECTED},
        "statuses": {f"{route} {status}": n for (route, status), n in sorted(tally.statuses.items())},
        "retry_503": tally.retry_503, "server_errors": server_errors, "dropped": tally.dropped,
        "jobs_done": tally.jobs["done"], "jobs_not_done": sum(tally.jobs.values()) - tally.jobs["done"],
        "documents_kept": len(expected), "listing_matches": listed == expected,
        "problems": len(tally.problems), "first_problems": tally.problems[:5],
        **{f"{route}_ms_{name}": percentile(values, share) for route, values in tally.timings.items()
           for name, share in (("p50", 0.5), ("p95", 0.95))},
    }  # fmt: skip


def passed(result: dict[str, Any]) -> bool:
    return not result["problems"] and not result["dropped"] and result["listing_matches"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    with ingested_server(args.port, "mixed-"):
        result = mix(f"http://127.0.0.1:{args.port}", clients=args.clients, seconds=args.seconds)
    print(json.dumps(result))
    return 0 if passed(result) else 1


if __name__ == "__main__":
    sys.exit(main())
