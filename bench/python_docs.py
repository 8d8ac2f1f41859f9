"""Ingest and answer speed on Debian's Python documentation, against the LangChain baseline.

Every figure comes from real processes started by this script (the `assistant` command
and bench/langchain_baseline.py), timed from the outside, in one invocation:

- full ingest: wall time, chunks, chunks/s, peak memory (the process's max RSS), index
  size on disk; for the baseline and for this project with each embedding backend;
- re-ingest of the unchanged corpus, and after editing one page;
- cold start: a new process answering one question (`assistant ask`), against the
  baseline's new process running one similarity search;
- warm latency over >= 200 varied questions (made from the corpus's own section
  headings): retrieval alone and the whole extractive answer, in process.

Each timing is the median of ``--runs`` runs. Run: `make bench` (all of bench/), or
`.venv/bin/python bench/python_docs.py [--pages N] [--runs 3] [--json]`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reliability.load_test import percentile  # noqa: E402

DOCS = Path("/usr/share/doc/python3.11/html")
ASSISTANT = Path(sys.executable).parent / "assistant"
BASELINE = [sys.executable, str(ROOT / "bench" / "langchain_baseline.py")]
TEMPLATES = ["What is {}?", "How does {} work?", "Explain {} in Python.", "When should I use {}?",
             "What does the documentation say about {}?", "Give an example of {}."]  # fmt: skip


def run_measured(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) and stdout of one process, read with wait4."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, env={**os.environ, **(env or {})}, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{err.read()[-2000:]}")
        return wall, usage.ru_maxrss / 1024, out.read()


def folder_mb(folder: Path) -> float:
    return round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6, 1)


def copy_corpus(target: Path, pages: int) -> int:
    """The documentation's HTML pages (not its _static/_sources copies); every k-th for a sample."""
    found = sorted(p for p in DOCS.rglob("*.html") if not any(s.startswith("_") for s in p.relative_to(DOCS).parts))
    if pages and pages < len(found):
        step = len(found) / pages
        found = [found[int(i * step)] for i in range(pages)]
    for page in found:
        destination = target / page.relative_to(DOCS)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(page, destination)
    return len(found)


def edit_one_page(corpus: Path, run: int) -> None:
    page = sorted(corpus.rglob("*.html"))[run % 7]
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("</body>", f"<p>Benchmark edit {run}: one new paragraph.</p></body>", 1))


def ours_ingest(corpus: Path, data: Path, backend: str) -> dict[str, Any]:
    env = {"ASSISTANT_DATA_DIR": str(data), "ASSISTANT_EMBEDDING_BACKEND": backend}
    wall, rss, out = run_measured([str(ASSISTANT), "ingest", str(corpus), "--json"], env)
    chunks = json.loads(out)["chunks"]
    row: dict[str, Any] = {"ingest_s": wall, "chunks": chunks, "chunks_per_s": chunks / wall, "peak_mb": rss,
                           "index_mb": folder_mb(data / "index")}  # fmt: skip
    row["reingest_s"], _, out = run_measured([str(ASSISTANT), "ingest", str(corpus), "--json"], env)
    assert not json.loads(out)["added"] and not json.loads(out)["updated"], "unchanged corpus was re-ingested"
    return row


def ours_edit(corpus: Path, data: Path, backend: str, run: int) -> float:
    edit_one_page(corpus, run)
    env = {"ASSISTANT_DATA_DIR": str(data), "ASSISTANT_EMBEDDING_BACKEND": backend}
    wall, _, out = run_measured([str(ASSISTANT), "ingest", str(corpus), "--json"], env)
    assert len(json.loads(out)["updated"]) == 1, out
    return wall


def baseline_ingest(corpus: Path, index: Path) -> dict[str, Any]:
    wall, rss, out = run_measured([*BASELINE, "ingest", str(corpus), str(index)])
    chunks = json.loads(out)["chunks"]
    return {"ingest_s": wall, "chunks": chunks, "chunks_per_s": chunks / wall, "peak_mb": rss,
            "index_mb": folder_mb(index)}  # fmt: skip


def make_questions(data: Path, count: int) -> list[str]:
    """Varied questions from the index's own section headings (seeded)."""
    from vectorstore.chroma import ChromaStore

    with ChromaStore.embedded(data / "index") as store:
        headings = sorted(
            {c.headings[-1] for c, _ in store.all_chunks() if c.headings and 3 <= len(c.headings[-1]) <= 60}
        )
    rng = random.Random(11)
    picked = rng.sample(headings, min(count, len(headings)))
    return [rng.choice(TEMPLATES).format(h.rstrip("¶ ").strip()) for h in picked]


def warm_latency(data: Path, questions: list[str]) -> dict[str, float]:
    from assistant.app import build_application
    from assistant.settings import Settings

    assistant = build_application(Settings(data_dir=data)).assistant
    try:
        assistant.warm_up()
        for question in questions[:5]:
            assistant.ask(question)
        retrieve, answer = [], []
        for question in questions:
            started = time.perf_counter()
            assistant.retriever.retrieve(question)
            retrieve.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            assistant.ask(question)
            answer.append((time.perf_counter() - started) * 1000)
    finally:
        assistant.close()
    return {f"{name}_ms_p{p}": percentile(values, p / 100) for name, values in (("retrieve", retrieve), ("answer", answer))
            for p in (50, 95, 99)}  # fmt: skip


def median_rows(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {key: round(statistics.median(r[key] for r in rows), 2) for key in rows[0]}


def run(pages: int = 0, runs: int = 3, backends: tuple[str, ...] = ("onnx-int8",), questions: int = 240,
        log=print) -> dict[str, Any]:  # fmt: skip
    work = Path(tempfile.mkdtemp(prefix="bench-python-docs-"))
    try:
        corpus = work / "corpus"
        count = copy_corpus(corpus, pages)
        log(f"python3-doc: {count} pages copied to {corpus}")
        per: dict[str, list[dict[str, Any]]] = {"baseline": [], **{b: [] for b in backends}}
        for number in range(runs):
            index = work / f"baseline-{number}"
            per["baseline"].append(baseline_ingest(corpus, index))
            log(f"run {number + 1}/{runs} baseline: {per['baseline'][-1]['ingest_s']:.1f} s")
            shutil.rmtree(index)
            for backend in backends:
                data = work / f"{backend}-{number}"
                row = ours_ingest(corpus, data, backend)
                row["edit_s"] = ours_edit(corpus, data, backend, number)
                per[backend].append(row)
                log(f"run {number + 1}/{runs} {backend}: {row['ingest_s']:.1f} s, re-ingest {row['reingest_s']:.2f} s")
                if number < runs - 1 or backend != backends[0]:
                    shutil.rmtree(data)
        result: dict[str, Any] = {"pages": count, "runs": runs, "ingest": {k: median_rows(v) for k, v in per.items()}}

        data = work / f"{backends[0]}-{runs - 1}"  # the default backend's last index, kept for the answer figures
        asked = make_questions(data, questions)
        (work / "questions.txt").write_text("\n".join(asked), encoding="utf-8")
        index = work / "baseline-latency"
        baseline_ingest(corpus, index)
        env = {"ASSISTANT_DATA_DIR": str(data)}
        cold = [run_measured([str(ASSISTANT), "ask", asked[i], "--json"], env)[0] for i in range(runs)]
        cold_torch = [run_measured([str(ASSISTANT), "ask", asked[i], "--json"],
                                   {**env, "ASSISTANT_EMBEDDING_BACKEND": "torch"})[0] for i in range(runs)]  # fmt: skip
        base_cold = [run_measured([*BASELINE, "ask", str(index), asked[i]])[0] for i in range(runs)]
        result["cold_start_s"] = {"ours": round(statistics.median(cold), 2),
                                  "ours_torch": round(statistics.median(cold_torch), 2),
                                  "baseline": round(statistics.median(base_cold), 2)}  # fmt: skip
        log(f"cold start: ours {result['cold_start_s']['ours']} s, baseline {result['cold_start_s']['baseline']} s")
        result["questions"] = len(asked)
        result["warm"] = warm_latency(data, asked)
        timings = json.loads(run_measured([*BASELINE, "latency", str(index), str(work / "questions.txt")])[2])
        values = timings["retrieve_ms"]
        result["warm"].update({f"baseline_retrieve_ms_p{p}": percentile(values, p / 100) for p in (50, 95, 99)})
        log(f"warm answer p95 {result['warm']['answer_ms_p95']} ms over {len(asked)} questions")
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def ratios(result: dict[str, Any]) -> dict[str, float]:
    base, ours = result["ingest"]["baseline"], result["ingest"][next(k for k in result["ingest"] if k != "baseline")]
    return {
        "ingest_chunks_per_s_x": round(ours["chunks_per_s"] / base["chunks_per_s"], 2),
        "ingest_wall_x": round(base["ingest_s"] / ours["ingest_s"], 2),
        "unchanged_reingest_x": round(base["ingest_s"] / ours["reingest_s"], 1),
        "edit_one_page_x": round(base["ingest_s"] / ours["edit_s"], 1),
        "peak_memory_x": round(ours["peak_mb"] / base["peak_mb"], 2),
        "index_size_x": round(ours["index_mb"] / base["index_mb"], 2),
        "cold_start_x": round(result["cold_start_s"]["baseline"] / result["cold_start_s"]["ours"], 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=0, help="every k-th page for a sample of this many (0 = all)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--questions", type=int, default=240)
    parser.add_argument("--backends", default="onnx-int8",
                        help="embedding backends to ingest with, the first is measured for answers (e.g. onnx-int8,torch)")  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    if not DOCS.is_dir():
        print(f"{DOCS} is missing: install Debian's python3-doc (`make bench` does)", file=sys.stderr)
        return 2
    backends = tuple(args.backends.split(","))
    result = run(args.pages, args.runs, backends, args.questions, log=lambda m: print(m, file=sys.stderr))
    result["ratios"] = ratios(result)
    print(json.dumps(result, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
