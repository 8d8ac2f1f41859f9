"""Requests per second through the served app: the embedded index, then one and two
workers sharing a Chroma server.

Each setup starts from a fresh index that `assistant ingest` fills with the bundled
corpus (its own process, as in a deployment), then 8 clients post `/v1/ask` (the
questions of eval/seed_questions.jsonl without history) for a fixed time on
127.0.0.1, after a short warm-up that is not measured:

- ``embedded-1``: one `assistant serve` over the embedded index (`ASSISTANT_DATA_DIR`);
- ``server-1``: one `assistant serve` with `ASSISTANT_CHROMA_URL` set to a `chroma run`
  server;
- ``server-2``: two such workers on two ports, each request sent to the next worker in
  turn (the round robin a load balancer does).

Reported per setup: requests, requests/s, latency p50/p95/p99 in ms, errors, and each
worker's resident memory after the load.

    .venv/bin/python bench/served_throughput.py --seconds 20
    .venv/bin/python bench/served_throughput.py --seconds 20 --json

`run(seconds)` returns the same figures as a dict, for other scripts.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.serve_latency import free_port  # noqa: E402
from reliability.load_test import drive, rss_mb  # noqa: E402

BIN = Path(sys.executable).parent
CLIENTS = 8
SETUPS = {"embedded-1": (False, 1), "server-1": (True, 1), "server-2": (True, 2)}  # name: (Chroma server, workers)


def _env(data: Path, chroma_url: str | None) -> dict[str, str]:
    """The caller's environment, with this setup's index; the same for every process."""
    env = {k: v for k, v in os.environ.items() if k not in ("ASSISTANT_CHROMA_URL", "ASSISTANT_COLLECTION")}
    env.update(ASSISTANT_DATA_DIR=str(data), ASSISTANT_CORPUS_DIR=str(ROOT / "data" / "corpus"),
               ANONYMIZED_TELEMETRY="False")  # fmt: skip
    if chroma_url:
        env["ASSISTANT_CHROMA_URL"] = chroma_url
    return env


def _start(stack: ExitStack, name: str, command: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen:
    """Start a process that is stopped (by its own handle) when ``stack`` closes."""
    log = (cwd / f"{name}.log").open("w")  # closed by the stack
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)

    def stop() -> None:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()

    stack.callback(stop)
    return process


def _wait(url: str, process: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args} exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer 200 within {timeout:.0f} s")
        time.sleep(0.2)


def _load(urls: list[str], seconds: float) -> dict[str, Any]:
    """Questions only, no streaming and no uploads: the figures are `/v1/ask`'s."""
    result = asyncio.run(drive(urls, clients=CLIENTS, seconds=seconds, upload_every_s=None, stream_share=0.0))
    return {
        "requests": result["requests"], "requests_per_s": result["requests_per_s"],
        "p50_ms": result["ask_ms_p50"], "p95_ms": result["ask_ms_p95"], "p99_ms": result["ask_ms_p99"],
        "errors": result["errors"],
    }  # fmt: skip


def measure(server: bool, workers: int, seconds: float) -> dict[str, Any]:
    """One setup: fresh index, ingest, start the workers, warm up, measure."""
    with tempfile.TemporaryDirectory(prefix="served-throughput-") as tmp, ExitStack() as stack:
        folder = Path(tmp)
        chroma_url = None
        if server:
            port = free_port()
            chroma = _start(stack, "chroma", [str(BIN / "chroma"), "run", "--path", str(folder / "chroma"), "--host",
                                    "127.0.0.1", "--port", str(port)], _env(folder, None), folder)  # fmt: skip
            chroma_url = f"http://127.0.0.1:{port}"
            _wait(f"{chroma_url}/api/v2/heartbeat", chroma)
        env = _env(folder / "data", chroma_url)
        subprocess.run([str(BIN / "assistant"), "ingest"], env=env, cwd=folder, check=True, capture_output=True)
        urls = []
        processes = []
        for n in range(workers):  # started together, as a deployment does; each loads its own model
            port = free_port()
            urls.append(f"http://127.0.0.1:{port}")
            processes.append(_start(stack, f"worker-{n}", [str(BIN / "assistant"), "serve", "--port", str(port)],
                                    env, folder))  # fmt: skip
        for url, process in zip(urls, processes, strict=True):
            _wait(f"{url}/readyz", process)
        _load(urls, min(3.0, seconds))  # warm-up: connections, the keyword index, first-call costs
        figures = _load(urls, seconds)
        memory = [rss_mb(p.pid) for p in processes]
        return {"workers": workers, "store": "chroma server" if server else "embedded", **figures,
                "worker_rss_mb": memory}  # fmt: skip


def _commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return f"{commit}+uncommitted changes" if git("status", "--porcelain", "--untracked-files=no") else commit


def run(seconds: float = 20.0) -> dict[str, Any]:
    """Every setup in turn, ``seconds`` of load each; one dict with all figures."""
    # The 1-minute load average before starting: other work on the machine skews the figures.
    return {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "commit": _commit(),
        "cpus": os.cpu_count(),
        "load_average": round(os.getloadavg()[0], 2),
        "clients": CLIENTS,
        "seconds": seconds,
        "setups": {name: measure(server, workers, seconds) for name, (server, workers) in SETUPS.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="measured load per setup (default 20)")
    parser.add_argument("--json", action="store_true", help="print one JSON object with all figures")
    args = parser.parse_args()
    result = run(args.seconds)
    if args.json:
        print(json.dumps(result))
        return
    print(f"{result['date']}  commit {result['commit']}  {result['cpus']} CPUs (load {result['load_average']})  "
          f"{CLIENTS} clients  {args.seconds:g} s per setup, POST /v1/ask")  # fmt: skip
    print(
        f"  {'setup':12} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}  RSS MB"
    )
    for name, row in result["setups"].items():
        print(f"  {name:12} {row['requests']:>8} {row['requests_per_s']:>7} {row['p50_ms']:>8} {row['p95_ms']:>8} "
              f"{row['p99_ms']:>8} {row['errors']:>6}  {' + '.join(map(str, row['worker_rss_mb']))}")  # fmt: skip


if __name__ == "__main__":
    main()
