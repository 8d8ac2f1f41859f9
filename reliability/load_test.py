"""A bounded load test against the served app: many clients, mixed traffic, fixed time.

16 clients (by default) for 60 s on 127.0.0.1: most ask through `/v1/ask`, a quarter
stream `/v1/chat/completions`, and one more client uploads a small document every few
seconds. Reports requests/s, latency percentiles per route, the error rate, and the
server's resident memory before and after.

Run: `make reliability` (or `.venv/bin/python reliability/load_test.py --seconds 60`).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = [json.loads(line)["question"] for line in (ROOT / "eval" / "seed_questions.jsonl").read_text().splitlines()
             if line.strip() and "history" not in line]  # fmt: skip


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1) if ordered else 0.0


async def drive(
    url: str | Sequence[str],
    clients: int = 16,
    seconds: float = 60.0,
    upload_every_s: float | None = 3.0,
    stream_share: float = 0.25,
) -> dict[str, Any]:
    """Run the mixed load against ``url``; returns counts and latencies per route.

    ``url`` may list several servers (workers of one deployment): requests go to them
    in turn, a round robin like a load balancer's. ``stream_share`` of the questions
    stream; ``upload_every_s=None`` sends no uploads.
    """
    urls = [url] if isinstance(url, str) else list(url)
    turn = itertools.cycle(urls)
    timings: dict[str, list[float]] = {"ask": [], "stream": [], "upload": []}
    errors: list[str] = []
    deadline = time.monotonic() + seconds
    rng = random.Random(1)

    async def client(session: httpx.AsyncClient) -> None:
        while time.monotonic() < deadline:
            question = rng.choice(QUESTIONS)
            target = next(turn)
            started = time.perf_counter()
            try:
                if rng.random() < stream_share:
                    body = {"messages": [{"role": "user", "content": question}], "stream": True}
                    async with session.stream("POST", f"{target}/v1/chat/completions", json=body) as response:
                        text = "".join([chunk async for chunk in response.aiter_text()])
                        ok = response.status_code == 200 and text.rstrip().endswith("data: [DONE]")
                    route = "stream"
                else:
                    response = await session.post(f"{target}/v1/ask", json={"question": question})
                    ok, route = response.status_code == 200, "ask"
            except httpx.HTTPError as err:
                ok, route = False, "ask"
                errors.append(type(err).__name__)
            timings[route].append((time.perf_counter() - started) * 1000)
            if not ok:
                errors.append(route)

    async def uploader(session: httpx.AsyncClient) -> None:
        n = 0
        while time.monotonic() < deadline:
            n += 1
            target = next(turn)
            note = f"# Load note {n}\n\nThe load test wrote note {n} about harbour fees in zone {n}.\n".encode()
            started = time.perf_counter()
            # Waited for: the time until the upload's job has stored it.
            response = await session.post(f"{target}/v1/documents?wait=true", files=[("files", (f"load-{n}.md", note))])
            timings["upload"].append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                errors.append("upload")
            await asyncio.sleep(upload_every_s)

    started = time.monotonic()
    async with httpx.AsyncClient(timeout=60) as session:
        uploads = [] if upload_every_s is None else [uploader(session)]
        await asyncio.gather(*(client(session) for _ in range(clients)), *uploads)
    elapsed = time.monotonic() - started
    requests = sum(len(v) for v in timings.values())
    return {
        "clients": clients, "seconds": round(elapsed, 1), "requests": requests,
        "requests_per_s": round(requests / elapsed, 1), "errors": len(errors),
        "error_rate": round(len(errors) / requests, 4) if requests else 0.0,
        **{f"{route}_ms_{name}": percentile(values, share) for route, values in timings.items()
           for name, share in (("p50", 0.5), ("p95", 0.95), ("p99", 0.99))},
        **{f"{route}_count": len(values) for route, values in timings.items()},
    }  # fmt: skip


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    bin_dir = Path(sys.executable).parent
    data = Path(tempfile.mkdtemp(prefix="load-"))
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data)}
    subprocess.run([str(bin_dir / "assistant"), "ingest", str(ROOT / "data" / "corpus")], env=env, check=True,
                   capture_output=True)  # fmt: skip
    server = subprocess.Popen([str(bin_dir / "assistant"), "serve", "--port", str(args.port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    url = f"http://127.0.0.1:{args.port}"
    try:
        while True:
            try:
                if httpx.get(f"{url}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        asyncio.run(drive(url, clients=args.clients, seconds=5))  # warm-up, not measured
        before = rss_mb(server.pid)
        result = asyncio.run(drive(url, clients=args.clients, seconds=args.seconds))
        after = rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    result.update(rss_mb_before=before, rss_mb_after=after, rss_growth=round(after / before - 1, 3))
    print(json.dumps(result))
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
