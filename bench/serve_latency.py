"""Time to first token and total time of answers through the API and the chat page.

Serves the real app with uvicorn on 127.0.0.1 over a fresh index of the bundled
corpus, then asks varied questions through the `openai` client (streaming and not)
and through `gradio_client` (the chat page's own endpoint), and prints medians and
p95 in milliseconds. Run: `make bench` (or `.venv/bin/python bench/serve_latency.py`).
"""

from __future__ import annotations

import json
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from gradio_client import Client
from openai import OpenAI

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.settings import Settings  # noqa: E402
from ui.server import build_app  # noqa: E402
from ui.wiring import open_services  # noqa: E402

QUESTIONS = [
    json.loads(line)["question"]
    for line in (ROOT / "eval" / "seed_questions.jsonl").read_text().splitlines()
    if line.strip() and "history" not in json.loads(line)
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


LABELS = {
    "api_ttft": "API, streaming: first token", "api_total": "API, streaming: complete",
    "api_plain": "API, non-streaming", "ui_ttft": "Chat page: first token", "ui_total": "Chat page: complete",
}  # fmt: skip


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return {"p50_ms": round(statistics.median(ordered), 1), "p95_ms": round(p95, 1)}


def run() -> dict[str, object]:
    """Median and p95 per path, in ms, over every question."""
    data = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    services = open_services(Settings(data_dir=data, corpus_dir=ROOT / "data" / "corpus"))
    services.documents.ingestor.ingest([ROOT / "data" / "corpus"])
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(build_app(services), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port}"
    openai = OpenAI(base_url=f"{url}/v1", api_key="unused")
    gradio = Client(f"{url}/", verbose=False)
    rows: dict[str, list[float]] = {k: [] for k in ("api_ttft", "api_total", "api_plain", "ui_ttft", "ui_total")}
    for question in QUESTIONS:
        messages = [{"role": "user", "content": question}]
        started = time.perf_counter()
        first = None
        for chunk in openai.chat.completions.create(model="grounded-assistant", messages=messages, stream=True):
            if first is None and chunk.choices and chunk.choices[0].delta.content:
                first = time.perf_counter()
        done = time.perf_counter()
        rows["api_ttft"].append(((first or done) - started) * 1000)
        rows["api_total"].append((done - started) * 1000)
        started = time.perf_counter()
        openai.chat.completions.create(model="grounded-assistant", messages=messages)
        rows["api_plain"].append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        job = gradio.submit(question, [], api_name="/ask")
        first = None
        for _ in job:
            first = first or time.perf_counter()
        job.result()
        done = time.perf_counter()
        rows["ui_ttft"].append(((first or done) - started) * 1000)
        rows["ui_total"].append((done - started) * 1000)
    server.should_exit = True
    return {"questions": len(QUESTIONS), **{key: summary(values) for key, values in rows.items()}}


def main() -> None:
    result = run()
    if "--json" in sys.argv[1:]:
        print(json.dumps(result))
        return
    print(f"{result['questions']} questions on the bundled corpus, each through every path")
    for key, label in LABELS.items():
        print(f"  {label:32} p50 {result[key]['p50_ms']:7.1f} ms   p95 {result[key]['p95_ms']:7.1f} ms")


if __name__ == "__main__":
    main()
