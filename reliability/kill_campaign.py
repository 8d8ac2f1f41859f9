"""Kill `assistant ingest` with SIGKILL at random points, many times, and check the index.

Each round starts from an empty index, runs the real `assistant ingest` command over a
generated corpus of a few hundred documents, kills it at a random moment, then checks
that every document the index had acknowledged (registry entry marked complete) holds
exactly the chunks a clean ingest gives it, runs the ingest again to the end, and
compares the whole index with a clean ingest: same chunk ids and texts, no duplicates,
no orphans. Prints a JSON summary.

Run: `make reliability` (or `.venv/bin/python reliability/kill_campaign.py --kills 30`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vectorstore.chroma import ChromaStore  # noqa: E402

ASSISTANT = Path(sys.executable).parent / "assistant"
TOPICS = ["tariffs", "liquefied gas", "semiconductors", "defence co-production", "critical minerals",
          "shipping lanes", "vaccines", "satellites", "railways", "fertiliser"]  # fmt: skip


def write_corpus(folder: Path, documents: int) -> None:
    for d in range(documents):
        topic = TOPICS[d % len(TOPICS)]
        lines = [f"# Report {d} on {topic}", ""]
        for p in range(6):
            lines += [f"Paragraph {p} of report {d} explains how {topic} policy {d * 7 + p} affects region {p % 4}. "
                      f"Delegation {d} agreed on step {p} after round {p + d} of talks.", ""]  # fmt: skip
        sub = folder / f"part{d % 5}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"report-{d:04d}.md").write_text("\n".join(lines), encoding="utf-8")


def snapshot(index: Path) -> tuple[dict[str, list[tuple[str, str]]], dict[str, bool]]:
    """Chunks (id, text) per file, and which files the registry marks complete."""
    with ChromaStore.embedded(index) as store:
        per_file: dict[str, list[tuple[str, str]]] = {}
        for chunk, path in store.all_chunks():
            per_file.setdefault(path, []).append((chunk.id, chunk.text))
        complete = {path: record.complete for path, record in store.documents().items()}
    return {k: sorted(v) for k, v in per_file.items()}, complete


def ingest(corpus: Path, data: Path) -> subprocess.Popen:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data)}
    return subprocess.Popen([str(ASSISTANT), "ingest", str(corpus), "--json"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=30)
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kill-campaign-"))
    corpus = work / "corpus"
    write_corpus(corpus, args.documents)
    started = time.monotonic()
    clean = ingest(corpus, work / "clean")
    clean.wait()
    full_s = time.monotonic() - started
    expected, _ = snapshot(work / "clean" / "index")
    rng = random.Random(args.seed)
    rounds = []
    for n in range(args.kills):
        data = work / f"round{n}"
        process = ingest(corpus, data)
        delay = rng.uniform(0.5, full_s)
        time.sleep(delay)
        landed = process.poll() is None
        if landed:
            process.send_signal(signal.SIGKILL)
        process.wait()
        chunks, complete = snapshot(data / "index")
        acknowledged = [path for path, done in complete.items() if done]
        intact = sum(chunks.get(path) == expected.get(path) for path in acknowledged)
        rerun = ingest(corpus, data)
        rerun.wait()
        final, final_complete = snapshot(data / "index")
        converged = final == expected and all(final_complete.values()) and len(final_complete) == len(expected)
        rounds.append({"delay_s": round(delay, 2), "killed_mid_ingest": landed, "acknowledged": len(acknowledged),
                       "acknowledged_intact": intact, "converged": converged})  # fmt: skip
        print(json.dumps({"round": n, **rounds[-1]}), file=sys.stderr, flush=True)
        shutil.rmtree(data, ignore_errors=True)
    summary = {
        "documents": args.documents,
        "chunks": sum(len(v) for v in expected.values()),
        "clean_ingest_s": round(full_s, 1),
        "kills_tried": len(rounds),
        "kills_mid_ingest": sum(r["killed_mid_ingest"] for r in rounds),
        "converged": sum(r["converged"] for r in rounds),
        "acknowledged_documents_checked": sum(r["acknowledged"] for r in rounds),
        "acknowledged_documents_intact": sum(r["acknowledged_intact"] for r in rounds),
    }
    print(json.dumps(summary))
    shutil.rmtree(work, ignore_errors=True)
    ok = summary["converged"] == summary["kills_tried"]
    ok = ok and summary["acknowledged_documents_intact"] == summary["acknowledged_documents_checked"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
