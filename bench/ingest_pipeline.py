"""Pipelined ingest against the sequential order, on Debian's Python documentation.

One process, one loaded model, the same pages: each run ingests them into a new
embedded Chroma, alternating the pipeline (``PIPELINE_DEPTH``) and the sequential
order (depth 0) so that both see the same machine state. Besides the wall time it
reports how much of it the embedding calls took: the rest is what the pipeline
tries to hide (loading, parsing, chunking, hashing, Chroma writes).

Run: `.venv/bin/python bench/ingest_pipeline.py [--pages N] [--runs 3] [--json]`
(`make bench` runs it with the other benchmarks).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from python_docs import DOCS, copy_corpus  # noqa: E402

from assistant.settings import Settings  # noqa: E402
from ingest.chunking import Chunker  # noqa: E402
from ingest.pipeline import PIPELINE_DEPTH, Ingestor  # noqa: E402
from vectorstore.backends import open_embedder  # noqa: E402
from vectorstore.chroma import ChromaStore  # noqa: E402
from vectorstore.embeddings import TokenCounter  # noqa: E402


class TimedEmbedder:
    """The real embedder, with the seconds spent inside its ``embed`` added up."""

    def __init__(self, embedder: Any):
        self._embedder = embedder
        self.seconds = 0.0
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._embedder, name)

    def embed(self, texts: list[str]) -> Any:
        started = time.perf_counter()
        try:
            return self._embedder.embed(texts)
        finally:
            with self._lock:
                self.seconds += time.perf_counter() - started


def one_run(corpus: Path, folder: Path, embedder: TimedEmbedder, chunker: Chunker, depth: int) -> dict[str, Any]:
    embedder.seconds = 0.0
    with ChromaStore.embedded(folder) as store:
        started = time.perf_counter()
        report = Ingestor(store, embedder, chunker, depth=depth).ingest([corpus])  # type: ignore[arg-type]
        wall = time.perf_counter() - started
        ids = sorted(chunk.id for chunk, _ in store.all_chunks())
    return {"wall_s": wall, "embed_s": embedder.seconds, "other_s": wall - embedder.seconds,
            "chunks": report.chunks, "ids": ids}  # fmt: skip


def run(pages: int, runs: int, log=print) -> dict[str, Any]:
    settings = Settings()
    embedder = TimedEmbedder(open_embedder(settings.embedding_backend, settings.model_cache_dir,
                                           settings.embed_batch_size))  # fmt: skip
    embedder.embed(["warm the model up"])
    chunker = Chunker(TokenCounter(embedder.model_path), target_tokens=settings.chunk_tokens,
                      embed_headings=settings.embed_headings)  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="bench-ingest-pipeline-") as work:
        corpus = Path(work) / "corpus"
        count = copy_corpus(corpus, pages)
        log(f"{count} pages of {DOCS}; {runs} runs of each order, alternating")
        rows: dict[str, list[dict[str, Any]]] = {"sequential": [], "pipelined": []}
        for number in range(runs):
            for name, depth in (("sequential", 0), ("pipelined", PIPELINE_DEPTH)):
                row = one_run(corpus, Path(work) / f"{name}-{number}", embedder, chunker, depth)
                rows[name].append(row)
                log(f"  {name:10} run {number + 1}: {row['wall_s']:.1f} s, embedding {row['embed_s']:.1f} s")
    same = rows["sequential"][0]["ids"] == rows["pipelined"][0]["ids"]
    result: dict[str, Any] = {"pages": count, "runs": runs, "depth": PIPELINE_DEPTH, "same_chunks": same}
    for name, measured in rows.items():
        wall = statistics.median(r["wall_s"] for r in measured)
        embed = statistics.median(r["embed_s"] for r in measured)
        result[name] = {"wall_s": round(wall, 1), "embed_s": round(embed, 1),
                        "not_embedding_share": round(1 - embed / wall, 3), "chunks": measured[0]["chunks"],
                        "chunks_per_s": round(measured[0]["chunks"] / wall, 1)}  # fmt: skip
    result["speedup"] = round(result["sequential"]["wall_s"] / result["pipelined"]["wall_s"], 2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100, help="every k-th page for a sample of this many (0 = all)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not DOCS.is_dir():
        raise SystemExit(f"{DOCS} is missing: install Debian's python3-doc (`make bench` does)")
    result = run(args.pages, args.runs, log=lambda m: print(m, file=sys.stderr))
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for name in ("sequential", "pipelined"):
        row = result[name]
        print(f"{name:10} {row['wall_s']:6.1f} s  {row['chunks_per_s']:6.1f} chunks/s  "
              f"not embedding {row['not_embedding_share']:.0%} of the wall time")  # fmt: skip
    print(f"pipelined / sequential: {result['speedup']}x; same chunks: {result['same_chunks']}")


if __name__ == "__main__":
    main()
