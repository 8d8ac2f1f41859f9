"""Ingest split across processes (`assistant ingest --shard I/N`) against one Chroma server.

Every process is a real `assistant ingest` started by this script and timed from the
outside; all N write to one real `chroma run` on 127.0.0.1. For each N, a fresh
collection, the same pages of Debian's Python documentation; the wall time is from the
first start to the last exit. Each N's index is checked against the one process's:
the same documents, hashes and chunk ids.

Run: `.venv/bin/python bench/sharded_ingest.py [--pages N] [--processes 1,2,4] [--json]`
(`make bench` runs it with the other benchmarks).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from python_docs import copy_corpus  # noqa: E402

from tests.helpers import free_port, start_chroma  # noqa: E402
from vectorstore.chroma import ChromaStore  # noqa: E402

ASSISTANT = Path(sys.executable).parent / "assistant"


def index_of(url: str, collection: str) -> tuple[dict[str, tuple[str, int, bool]], set[str]]:
    with ChromaStore.remote(url, collection) as store:
        registry = {p: (r.file_hash, r.chunks, r.complete) for p, r in store.documents().items()}
        return registry, {chunk.id for chunk, _ in store.all_chunks()}


def ingest(url: str, corpus: Path, processes: int, work: Path) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(ASSISTANT_CHROMA_URL=url, ASSISTANT_COLLECTION=f"shards{processes}")
    started = time.perf_counter()
    running = []
    for number in range(1, processes + 1):
        command = [str(ASSISTANT), "ingest", "--json", str(corpus)]
        if processes > 1:
            command[2:2] = ["--shard", f"{number}/{processes}"]
        shard_env = {**env, "ASSISTANT_DATA_DIR": str(work / f"data-{processes}-{number}")}
        running.append(subprocess.Popen(command, env=shard_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
    for process in running:
        _, error = process.communicate()
        if process.returncode != 0:
            raise SystemExit(f"ingest failed: {error.decode()[-2000:]}")
    return time.perf_counter() - started


def run(pages: int, counts: list[int]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        corpus = work / "corpus"
        copied = copy_corpus(corpus, pages)
        port = free_port()
        server = start_chroma(work / "chroma", port)
        url = f"http://127.0.0.1:{port}"
        try:
            rows = []
            for count in counts:
                seconds = ingest(url, corpus, count, work)
                rows.append(
                    {"processes": count, "seconds": round(seconds, 1), "index": index_of(url, f"shards{count}")}
                )
            first = rows[0]
            out = {"pages": copied, "cpus": os.cpu_count(), "runs": []}
            for row in rows:
                same = row["index"] == first["index"]
                out["runs"].append({
                    "processes": row["processes"], "seconds": row["seconds"],
                    "speedup": round(first["seconds"] / row["seconds"], 2),
                    "chunks": len(row["index"][1]), "same_index_as_one_process": same,
                })  # fmt: skip
            return out
        finally:
            server.terminate()
            server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=120, help="pages of the Python documentation (0 = all)")
    parser.add_argument("--processes", default="1,2,4", help="comma-separated process counts; the first is the base")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    result = run(args.pages, [int(n) for n in args.processes.split(",")])
    if args.json:
        print(json.dumps(result))
        return
    print(f"{result['pages']} pages, {result['cpus']} CPUs, one Chroma server")
    for row in result["runs"]:
        print(f"{row['processes']} process(es): {row['seconds']} s ({row['speedup']}x), {row['chunks']} chunks, "
              f"same index as one process: {row['same_index_as_one_process']}")  # fmt: skip


if __name__ == "__main__":
    main()
