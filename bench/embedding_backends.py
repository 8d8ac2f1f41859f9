"""Speed and quality of the embedding backends of the bundled model (torch, onnx, onnx-int8).

What the default (`Settings().embedding_backend`) has to justify: the fastest backend
whose retrieval hit@5 stays within one point of the float model's.

- Speed: a seeded sample of real chunks (the Python documentation of the Debian package
  python3-doc, chunked by the project's own loader, normaliser and 256-token chunker,
  embedded as ingest embeds them, headings included). Each backend is warmed up, then
  `embed(sample)` is timed; the median of the runs is reported, and the fastest run (the
  least disturbed, on a shared machine). Runs are interleaved across backends so load
  from other work on the machine falls on all of them alike.
- Cold start: a fresh Python process per backend imports it, builds the embedder and
  embeds one sentence; its wall time (median of 3) and peak RSS (`os.wait4`).
- Agreement: cosine of each backend's vectors with the torch vectors of the same sample.
- Retrieval: one temporary index per backend and question set (the seed set over
  `data/corpus`, and the Debian FAQ set that `make eval` makes), scored dense and hybrid
  with `score` from eval/retrieval_study.py (hit@1, hit@5, MRR@5 over the top 10).

Run: `.venv/bin/python bench/embedding_backends.py [--sample 512] [--runs 3] [--json] [--out FILE.md]`
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))  # eval/ holds scripts, not a package: for `score`

from retrieval_study import score  # noqa: E402

from assistant.conversation import standalone  # noqa: E402
from assistant.evaluation import load_questions  # noqa: E402
from assistant.keyword import KeywordIndex  # noqa: E402
from assistant.retrieval import Retriever  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from ingest.chunking import Chunker  # noqa: E402
from ingest.loaders import load  # noqa: E402
from ingest.normalize import normalise  # noqa: E402
from ingest.pipeline import Ingestor  # noqa: E402
from vectorstore.backends import BACKENDS, Backend, open_embedder  # noqa: E402
from vectorstore.chroma import ChromaStore  # noqa: E402
from vectorstore.embeddings import Embedder, TokenCounter  # noqa: E402

SEED = 1234
CHUNK_TOKENS = 256
TOP_K = 10
COLD_REPEATS = 3
PYTHON_DOCS = Path("/usr/share/doc/python3.11/html")
DEBIAN = ROOT / "eval" / "out" / "debian"
REFERENCE: Backend = "torch"
# hit@5 may fall by at most this much (in points) for a backend to count as keeping quality.
TOLERANCE_PTS = 1.0

# The cold-start child: everything a fresh `assistant` process does before its first vector.
_CHILD = """
import json, sys, time
started = time.perf_counter()
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from vectorstore.backends import open_embedder
embedder = open_embedder(sys.argv[2], Path(sys.argv[3]))
built = time.perf_counter()
embedder.warm_up()
warm = time.perf_counter()
embedder.embed(["India and the U.S. signed a trade deal."])
done = time.perf_counter()
print(json.dumps({"import_s": built - started, "warm_up_s": warm - built, "first_embed_s": done - warm}))
"""
# Starts the child and reports its wall time and peak RSS. On Linux a process started
# from this benchmark (1 GB with every backend loaded) inherits that high-water mark
# in ru_maxrss at exec, so the child is started from this small launcher instead.
_LAUNCHER = """
import json, os, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE)
out = child.stdout.read()
_, status, usage = os.wait4(child.pid, 0)
wall = time.perf_counter() - started
child.returncode = os.waitstatus_to_exitcode(status)
if child.returncode:
    sys.exit(f"exit status {child.returncode}")
print(json.dumps({"process_s": wall, "peak_rss_mib": usage.ru_maxrss / 1024, **json.loads(out)}))
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def sample_texts(n: int, seed: int = SEED) -> list[str]:
    """``n`` chunk texts, as ingest would embed them, drawn at random from the Python docs."""
    if not PYTHON_DOCS.is_dir():
        raise SystemExit(f"{PYTHON_DOCS} is missing: install it with `apt-get install -y python3-doc`")
    pages = sorted(p for p in PYTHON_DOCS.rglob("*.html") if not p.relative_to(PYTHON_DOCS).parts[0].startswith("_"))
    chunker = Chunker(TokenCounter(), CHUNK_TOKENS)
    texts = []
    for page in pages:
        chunks = chunker.chunk(normalise(load(page)), str(page), str(page.relative_to(PYTHON_DOCS)))
        texts.extend(c.embedding_text(True) for c in chunks)
    log(f"{len(texts)} chunks from {len(pages)} pages of {PYTHON_DOCS}; sampling {n}")
    return random.Random(seed).sample(texts, min(n, len(texts)))


def time_embedding(embedders: dict[Backend, Embedder], texts: list[str], runs: int) -> dict[Backend, Any]:
    """Seconds per ``embed(texts)`` call of each backend, and the vectors of the last call."""
    for backend, embedder in embedders.items():
        started = time.perf_counter()
        embedder.warm_up()
        embedder.embed(texts[:32])
        log(f"  {backend}: warmed up in {time.perf_counter() - started:.1f} s")
    seconds: dict[Backend, list[float]] = {b: [] for b in embedders}
    vectors: dict[Backend, np.ndarray] = {}
    for run in range(1, runs + 1):
        for backend, embedder in embedders.items():
            started = time.perf_counter()
            vectors[backend] = embedder.embed(texts)
            seconds[backend].append(time.perf_counter() - started)
            log(f"  run {run}/{runs} {backend}: {seconds[backend][-1]:.2f} s")
    return {b: (seconds[b], vectors[b]) for b in embedders}


def cold_start(backend: Backend, cache_dir: Path) -> dict[str, Any]:
    """Wall time and peak RSS of a fresh process that builds ``backend`` and embeds one sentence."""
    child = [sys.executable, "-c", _CHILD, str(ROOT), backend, str(cache_dir)]
    runs = []
    for _ in range(COLD_REPEATS):
        launched = subprocess.run([sys.executable, "-c", _LAUNCHER, *child], capture_output=True, text=True)
        if launched.returncode:
            raise RuntimeError(f"the cold start of {backend} failed:\n{launched.stderr}")
        runs.append(json.loads(launched.stdout))
    medians = {k: round(statistics.median(r[k] for r in runs), 3) for k in runs[0]}
    log(f"  {backend}: cold process {medians['process_s']:.2f} s, peak RSS {medians['peak_rss_mib']:.0f} MiB")
    return {**medians, "process_runs_s": [round(r["process_s"], 3) for r in runs]}


def agreement(vectors: np.ndarray, reference: np.ndarray) -> dict[str, float]:
    """Cosine of each vector with the reference vector of the same text (both are unit length)."""
    cosines = np.einsum("ij,ij->i", vectors.astype(np.float64), reference.astype(np.float64))
    return {
        "cosine_mean": round(float(cosines.mean()), 5),
        "cosine_p5": round(float(np.percentile(cosines, 5)), 5),
        "cosine_min": round(float(cosines.min()), 5),
    }


def question_sets() -> list[tuple[str, Path, Path]]:
    """(name, corpus, questions) of each set present; the Debian set is made if it is missing."""
    sets = [("seed", ROOT / "data" / "corpus", ROOT / "eval" / "seed_questions.jsonl")]
    questions = DEBIAN / "questions.jsonl"
    if not questions.is_file():
        log(f"making the Debian FAQ set in {DEBIAN}")
        made = subprocess.run([sys.executable, str(ROOT / "eval" / "debian_faq.py"), "--out", str(DEBIAN)])
        if made.returncode:
            log("  skipped: install Debian's docs with `apt-get install -y debian-faq debian-reference-en`")
    if questions.is_file():
        sets.append(("debian", DEBIAN / "corpus", questions))
    return sets


def retrieval(embedder: Embedder, backend: Backend, corpus: Path, questions_path: Path) -> dict[str, Any]:
    """hit@1, hit@5 and MRR@5 of dense and hybrid retrieval over a fresh index of ``corpus``."""
    questions = []
    for q in load_questions(questions_path):
        if q.unanswerable or not (q.evidence or q.sources):
            continue
        # The query the extractive assistant retrieves with: a follow-up stands on its own.
        questions.append(dataclasses.replace(q, question=standalone(q.question, list(q.history)).query))
    with tempfile.TemporaryDirectory(prefix="bench-embedding-") as folder:
        started = time.perf_counter()
        store = ChromaStore.embedded(Path(folder))
        try:
            Ingestor(store, embedder, Chunker(TokenCounter(), CHUNK_TOKENS)).ingest([corpus])
            build = time.perf_counter() - started
            scores: dict[str, Any] = {"questions": len(questions), "chunks": store.count(), "index_s": round(build, 1)}
            for mode in ("dense", "hybrid"):
                retriever = Retriever(store, embedder, TOP_K, mode, KeywordIndex(store))

                def rank(question: str, r: Retriever = retriever) -> list[tuple[str, str]]:
                    return [(h.chunk.text, h.chunk.source) for h in r.retrieve(question, TOP_K)]

                row = score(f"{backend}, {mode}", rank, questions, build, store.count())
                scores[mode] = {k: row[k] for k in ("hit@1", "hit@5", "mrr@5")}
        finally:
            store.close()
    return scores


def run(sample: int = 512, runs: int = 3) -> dict[str, Any]:
    """Measure every backend; the result is what ``--json`` prints."""
    cache_dir = Settings().model_cache_dir
    load_before = os.getloadavg()
    texts = sample_texts(sample)
    embedders: dict[Backend, Embedder] = {b: open_embedder(b, cache_dir) for b in BACKENDS}
    log(f"embedding {len(texts)} texts, {runs} runs per backend")
    timed = time_embedding(embedders, texts, runs)
    log("cold starts")
    cold = {b: cold_start(b, cache_dir) for b in BACKENDS}
    reference, reference_best = statistics.median(timed[REFERENCE][0]), min(timed[REFERENCE][0])
    backends: dict[str, Any] = {}
    for backend, (seconds, vectors) in timed.items():
        median = statistics.median(seconds)
        backends[backend] = {
            "name": embedders[backend].name,
            "texts_per_s": round(len(texts) / median, 1),
            "ms_per_text": round(1000 * median / len(texts), 2),
            "speedup_vs_torch": round(reference / median, 2),
            # The least disturbed run: on a shared machine the median can still carry others' load.
            "best_texts_per_s": round(len(texts) / min(seconds), 1),
            "best_speedup_vs_torch": round(reference_best / min(seconds), 2),
            "runs_s": [round(s, 3) for s in seconds],
            "cold": cold[backend],
            **agreement(vectors, timed[REFERENCE][1]),
        }
    retrieval_results: dict[str, Any] = {}
    for name, corpus, questions in question_sets():
        log(f"retrieval on the {name} set")
        retrieval_results[name] = {b: retrieval(e, b, corpus, questions) for b, e in embedders.items()}
    return {
        "sample": len(texts),
        "runs": runs,
        "seed": SEED,
        "chunk_tokens": CHUNK_TOKENS,
        "cpus": os.cpu_count(),
        "load_average": {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in os.getloadavg()]},
        "default_backend": Settings().embedding_backend,
        "backends": backends,
        "retrieval": retrieval_results,
        "keeps_hit5": keeps_quality(retrieval_results),
        "fastest_keeping_hit5": fastest_keeping(backends, retrieval_results),
    }


def hit5_delta(results: dict[str, Any], backend: str, mode: str) -> float:
    """``backend``'s hit@5 minus torch's, in points."""
    return round(100 * (results[backend][mode]["hit@5"] - results[REFERENCE][mode]["hit@5"]), 1)


def keeps_quality(retrieval_results: dict[str, Any]) -> dict[str, dict[str, bool]]:
    """Per backend and set: hit@5 within the tolerance of torch's, dense and hybrid both."""
    return {
        b: {
            name: all(hit5_delta(results, b, mode) >= -TOLERANCE_PTS for mode in ("dense", "hybrid"))
            for name, results in retrieval_results.items()
        }
        for b in BACKENDS
    }


def fastest_keeping(backends: dict[str, Any], retrieval_results: dict[str, Any]) -> str:
    kept = keeps_quality(retrieval_results)
    candidates = [b for b in BACKENDS if all(kept[b].values())]
    return max(candidates, key=lambda b: backends[b]["texts_per_s"])


def table(result: dict[str, Any]) -> str:
    """The figures as markdown."""
    load = result["load_average"]
    lines = [
        f"Embedding {result['sample']} chunks of the Python docs (seed {result['seed']}, {result['chunk_tokens']}-token "
        f"chunks), median of {result['runs']} runs (and the fastest run); cold start: median of {COLD_REPEATS} fresh processes. "
        f"{result['cpus']} CPUs, load average {load['before'][0]} before, {load['after'][0]} after.",
        "",
        "| backend | texts/s | ms/text | speed-up vs torch | best run: texts/s, speed-up | cold process s "
        "| peak RSS MiB | cosine mean | cosine p5 | cosine min |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for backend, r in result["backends"].items():
        lines.append(
            f"| {backend} | {r['texts_per_s']:.1f} | {r['ms_per_text']:.2f} | {r['speedup_vs_torch']:.2f}× "
            f"| {r['best_texts_per_s']:.1f}, {r['best_speedup_vs_torch']:.2f}× | {r['cold']['process_s']:.2f} | {r['cold']['peak_rss_mib']:.0f} "
            f"| {r['cosine_mean']:.4f} | {r['cosine_p5']:.4f} | {r['cosine_min']:.4f} |"
        )
    lines += [
        "",
        "| set | backend | dense hit@1 | dense hit@5 | dense MRR@5 | hybrid hit@1 | hybrid hit@5 "
        "| hybrid MRR@5 | Δ hit@5 vs torch (dense / hybrid) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, results in result["retrieval"].items():
        for backend, r in results.items():
            d, h = r["dense"], r["hybrid"]
            delta = f"{hit5_delta(results, backend, 'dense'):+.1f} / {hit5_delta(results, backend, 'hybrid'):+.1f} pts"
            lines.append(
                f"| {name} ({r['questions']} q, {r['chunks']} chunks) | {backend} | {d['hit@1']:.3f} | {d['hit@5']:.3f} "
                f"| {d['mrr@5']:.3f} | {h['hit@1']:.3f} | {h['hit@5']:.3f} | {h['mrr@5']:.3f} | {delta} |"
            )
    lines += [
        "",
        f"Fastest backend with hit@5 within {TOLERANCE_PTS:g} point of torch on every set: "
        f"{result['fastest_keeping_hit5']} (default: {result['default_backend']}).",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=512, help="chunks to embed (default 512)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per backend (default 3)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--out", type=Path, help="also write the markdown table here")
    args = parser.parse_args()
    result = run(args.sample, args.runs)
    markdown = table(result)
    print(json.dumps(result, indent=2) if args.json else markdown)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(markdown + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
