"""Run every benchmark and write the figures to docs/BENCHMARKS.md (and print the ratios).

Each benchmark runs in its own process and prints one JSON object, kept in bench/out/.
Run: `make bench`, or `.venv/bin/python bench/report.py [--pages N] [--runs N]`;
`--reuse` renders the page from the JSON already in bench/out/ without running anything;
with `--large-sizes 500000` too, it runs that size alone and adds it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
OUT = ROOT / "bench" / "out"

from machine import machine  # noqa: E402  (bench/ is on the path from here on)


def measure(name: str, script: str, *args: str) -> dict[str, Any]:
    print(f"== {script} {' '.join(args)}", file=sys.stderr, flush=True)
    result = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args, "--json"], stdout=subprocess.PIPE,
                            text=True, cwd=ROOT, check=True)  # fmt: skip
    data = last_json(result.stdout)
    OUT.mkdir(exist_ok=True)
    (OUT / f"{name}.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    return data


def last_json(stdout: str) -> dict[str, Any]:
    """The last JSON object a benchmark printed (on one line or indented)."""
    lines = stdout.rstrip().splitlines()
    for start in range(len(lines) - 1, -1, -1):
        if lines[start].startswith("{"):
            try:
                return json.loads("\n".join(lines[start:]))
            except json.JSONDecodeError:
                continue
    raise ValueError("the benchmark printed no JSON object")


def x(value: float) -> str:
    return f"{value:.2f}x" if value < 10 else f"{value:.0f}x"


def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def targets_section(
    docs: dict[str, Any],
    scale: dict[str, Any],
    served: dict[str, Any],
    backends: dict[str, Any],
    large: dict[str, Any] | None = None,
) -> list[str]:
    ratio, cold = docs["ratios"], docs["cold_start_s"]["ours"]
    at_100k = scale["target"]
    rows = [
        ("full ingest, chunks/s against the baseline", "at least 3x", x(ratio["ingest_chunks_per_s_x"]),
         verdict(ratio["ingest_chunks_per_s_x"] >= 3)),
        ("re-ingest of the unchanged corpus against the baseline's full ingest", "at least 50x faster",
         x(ratio["unchanged_reingest_x"]), verdict(ratio["unchanged_reingest_x"] >= 50)),
        ("warm extractive answer p95 at 100k chunks", "under 50 ms",
         f"{at_100k['answer_p95_ms']:.1f} ms" if at_100k["met"] is not None else "not measured",
         verdict(bool(at_100k["met"])) if at_100k["met"] is not None else "not measured"),
        ("cold start, new process to first answer (Python documentation index)", "under 5 s", f"{cold:.2f} s",
         verdict(cold < 5)),
        ("first answer after a one-file write at 100k chunks", "under 1 s",
         f"{at_100k['after_write_ms']:.0f} ms" if at_100k.get("after_write_ms") is not None else "not measured",
         verdict(at_100k["after_write_ms"] < 1000) if at_100k.get("after_write_ms") is not None else "not measured"),
        *large_targets(large),
        *[(f"served `/v1/ask`, {served['clients']} clients, p95 ({name})", "under 200 ms",
           f"{row['p95_ms']} ms at {row['requests_per_s']} requests/s", verdict(row["p95_ms"] < 200))
          for name, row in served["setups"].items()],
    ]  # fmt: skip
    lines = ["## Targets", "", "| target | asked | measured | |", "|---|---|---|---|",
             *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows], ""]  # fmt: skip
    embed_only = backends["backends"]["onnx-int8"]["speedup_vs_torch"]
    if ratio["ingest_chunks_per_s_x"] < 3:
        lines += [
            f"Embedding is most of an ingest, and on this machine the int8 model embeds {embed_only:.2f}x as "
            "fast as the baseline's sentence-transformers path (Embedding backends, below): an ingest that did "
            "nothing but embed would reach about that ratio. The rest of ours is HTML parsing (lxml, "
            "the same loader for both sides) and Chroma writes.",
            "",
        ]
    return lines


def docs_section(r: dict[str, Any], command: str) -> list[str]:
    base, ours, ratio = r["ingest"]["baseline"], r["ingest"]["onnx-int8"], r["ratios"]
    torch = r["ingest"].get("torch")
    lines = [
        "## Ingest and answers on the Python documentation",
        "",
        f"Debian's `python3-doc` (Python 3.11 HTML, {r['pages']} pages), median of {r['runs']} runs; "
        "each run is a new process timed from outside (`bench/python_docs.py`). The baseline is the LangChain "
        "tutorial pipeline (`bench/langchain_baseline.py`: `RecursiveCharacterTextSplitter(1000, 200)`, "
        "`HuggingFaceEmbeddings`, `Chroma.from_documents`) with the same model, reading the pages with this "
        "project's loader so both start from the same text.",
        "",
        "| figure | LangChain baseline | this project (default, ONNX int8) | ratio |"
        + (" this project (torch backend) |" if torch else ""),
        "|---|---|---|---|" + ("---|" if torch else ""),
    ]

    def row(label: str, b: str, o: str, ratio_text: str, t: str = "") -> None:
        lines.append(f"| {label} | {b} | {o} | {ratio_text} |" + (f" {t} |" if torch else ""))

    row("full ingest, wall", f"{base['ingest_s']:.1f} s", f"{ours['ingest_s']:.1f} s", f"{x(ratio['ingest_wall_x'])} faster",
        f"{torch['ingest_s']:.1f} s" if torch else "")  # fmt: skip
    row("chunks", f"{base['chunks']:.0f}", f"{ours['chunks']:.0f}", "", f"{torch['chunks']:.0f}" if torch else "")
    row("chunks/s", f"{base['chunks_per_s']:.1f}", f"{ours['chunks_per_s']:.1f}", f"{x(ratio['ingest_chunks_per_s_x'])}",
        f"{torch['chunks_per_s']:.1f}" if torch else "")  # fmt: skip
    row("re-ingest, corpus unchanged", f"{base['ingest_s']:.1f} s (no incremental mode)", f"{ours['reingest_s']:.2f} s",
        f"{x(ratio['unchanged_reingest_x'])} faster", f"{torch['reingest_s']:.2f} s" if torch else "")  # fmt: skip
    row("re-ingest after editing one page", f"{base['ingest_s']:.1f} s", f"{ours['edit_s']:.2f} s",
        f"{x(ratio['edit_one_page_x'])} faster", f"{torch['edit_s']:.2f} s" if torch else "")  # fmt: skip
    row("peak memory (max RSS) during ingest", f"{base['peak_mb']:.0f} MB", f"{ours['peak_mb']:.0f} MB",
        f"{x(ratio['peak_memory_x'])}", f"{torch['peak_mb']:.0f} MB" if torch else "")  # fmt: skip
    row("index size on disk", f"{base['index_mb']:.1f} MB", f"{ours['index_mb']:.1f} MB", f"{x(ratio['index_size_x'])}",
        f"{torch['index_mb']:.1f} MB" if torch else "")  # fmt: skip
    cold = r["cold_start_s"]
    row("cold start: new process to first answer", f"{cold['baseline']:.2f} s (search only)", f"{cold['ours']:.2f} s",
        f"{x(ratio['cold_start_x'])} faster", f"{cold['ours_torch']:.2f} s")  # fmt: skip
    w = r["warm"]
    lines += [
        "",
        f"Warm latency over {r['questions']} questions made from the corpus's own section headings "
        "(six phrasings), in one process after five warm-up questions, in milliseconds:",
        "",
        "| | p50 | p95 | p99 |",
        "|---|---|---|---|",
        f"| baseline: similarity search (k=5) | {w['baseline_retrieve_ms_p50']} | {w['baseline_retrieve_ms_p95']} | "
        f"{w['baseline_retrieve_ms_p99']} |",
        f"| this project: retrieval (hybrid, question embedding included) | {w['retrieve_ms_p50']} | "
        f"{w['retrieve_ms_p95']} | {w['retrieve_ms_p99']} |",
        f"| this project: whole extractive answer with citations | {w['answer_ms_p50']} | {w['answer_ms_p95']} | "
        f"{w['answer_ms_p99']} |",
        "",
        f"Rerun: `{command}`.",
        "",
    ]
    return lines


def serve_section(r: dict[str, Any]) -> list[str]:
    from serve_latency import LABELS

    return [
        "## Answers through the served app",
        "",
        f"`bench/serve_latency.py`: the app served by uvicorn on 127.0.0.1 over the bundled corpus; "
        f"{r['questions']} questions, each through every path, one at a time (the `openai` client against "
        "`/v1/chat/completions`, and `gradio_client` against the chat page's own endpoint), in milliseconds:",
        "",
        "| path | p50 | p95 |",
        "|---|---|---|",
        *[f"| {label} | {r[key]['p50_ms']} | {r[key]['p95_ms']} |" for key, label in LABELS.items()],
        "",
    ]


def backends_section(r: dict[str, Any]) -> list[str]:
    from embedding_backends import table

    return [
        "## Embedding backends",
        "",
        "`bench/embedding_backends.py`: the bundled model through sentence-transformers (`torch`), exported to "
        "ONNX and fused by ONNX Runtime's optimiser (`onnx`, float32), and the same with int8 weights "
        "(`onnx-int8`, the default; `ASSISTANT_EMBEDDING_BACKEND` picks one). Agreement is the cosine between "
        "each backend's vector and the torch vector of the same chunk; retrieval is scored on both question "
        "sets of the evaluation harness (docs/QUALITY.md, docs/RETRIEVAL.md).",
        "",
        table(r),
        "",
    ]


LARGE_SIZE = "500000"
LARGE_RSS_MIB_BELOW = 1536
LARGE_AFTER_WRITE_MS_BELOW = 2000


def large_targets(large: dict[str, Any] | None) -> list[tuple[str, str, str, str]]:
    """The 500k-chunk targets, from the separate large run (``--large-sizes``)."""
    f = (large or {}).get("sizes", {}).get(LARGE_SIZE)
    if f is None:
        return [
            ("resident memory at 500k chunks", "under 1.5 GiB", "not measured", "not measured"),
            ("first answer after a one-file write at 500k chunks", "under 2 s", "not measured", "not measured"),
        ]
    rss = f["rss_bytes"] / 2**20
    after = f["after_write"]["first_question_ms"]
    return [
        ("resident memory at 500k chunks (after 220 answers)", "under 1.5 GiB", f"{rss:.0f} MiB",
         verdict(rss < LARGE_RSS_MIB_BELOW)),
        ("first answer after a one-file write at 500k chunks", "under 2 s", f"{after:.0f} ms",
         verdict(after < LARGE_AFTER_WRITE_MS_BELOW)),
    ]  # fmt: skip


def scale_section(r: dict[str, Any], large: dict[str, Any] | None = None, commit: str = "") -> list[str]:
    lines = [
        "## The store at synthetic scale",
        "",
        f"`bench/store_scale.py`: indexes of synthetic chunks (generated text; 384-dim vectors mixed from real "
        f"embeddings and noise, so neighbourhoods are realistic), built through the project's own store, then "
        f"{r['questions']} questions answered warm in process (milliseconds):",
        "",
        "| chunks | build s | insert chunks/s | disk MiB | open + first question ms | retrieval p50 / p95 / p99 "
        "| whole answer p50 / p95 / p99 | RSS MiB (file-backed) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    sizes = {**r["sizes"], **(large or {}).get("sizes", {})}
    for size, f in sizes.items():
        # A store kept from an earlier run (store_scale.py --keep) was not built in this one.
        build = f"{f['build_s']:.0f}" if f["build_s"] is not None else "kept"
        insert = f["insert_chunks_per_s"] if f["insert_chunks_per_s"] is not None else "–"
        q, a = f["retrieval_ms"], f["answer_ms"]
        lines.append(
            f"| {int(size):,} | {build} | {insert} | {f['disk_bytes'] / 2**20:.0f} "
            f"| {f['open_ms'] + f['first_query_ms']:.0f} | {q['p50']:.1f} / {q['p95']:.1f} / {q['p99']:.1f} "
            f"| {a['p50']:.1f} / {a['p95']:.1f} / {a['p99']:.1f} | {f['rss_bytes'] / 2**20:.0f} "
            f"({f.get('rss_file_bytes', 0) / 2**20:.0f}) |"
        )
    lines += [
        "",
        "Resident memory is measured after the 220 answers. In brackets, its file-backed part: the keyword "
        "index's saved files, which the index searches mapped, and the program's own libraries, pages the "
        "system shares between processes and can drop under memory pressure; the rest is the process's own "
        "(at 500k chunks mostly Chroma's vector index, about 1 GiB).",
        "",
        "What a write costs the next questions: one new file of 100 passages written through the store as "
        "ingest writes it (the keyword index then reads that file only), the first answer after it (its "
        "question names a word only that file holds), the retriever's percentiles after it, and a delete of "
        "the file with the next answer (milliseconds):",
        "",
        "| chunks | write | first answer after it | cites the new file | retrieval p50 / p95 / p99 after it "
        "| delete + next answer |",
        "|---|---|---|---|---|---|",
    ]
    for size, f in sizes.items():
        w = f.get("after_write")
        if w:
            q = w["retrieval_ms"]
            lines.append(
                f"| {int(size):,} | {w['write_ms']:.0f} | {w['first_question_ms']:.0f} "
                f"| {'yes' if w['first_question_cites_the_new_file'] else 'no'} "
                f"| {q['p50']:.1f} / {q['p95']:.1f} / {q['p99']:.1f} | {w['delete_and_first_question_ms']:.0f} |"
            )
    if large:
        when = f"on {large['date']} at `{large['commit']}`" if large.get("commit") != commit else "at the same commit"
        lines += ["", f"`make bench` builds 10k and 100k; {', '.join(f'{int(n):,}' for n in large['sizes'])} "
                      f"chunks ran on their own ({when}): `make bench BENCH_LARGE=500000`, some 25 minutes here, "
                      "or `.venv/bin/python bench/report.py --reuse --large-sizes 500000` for that size alone."]  # fmt: skip
    else:
        lines += ["", "`make bench` builds 10k and 100k; a larger size is a separate run: "
                      "`make bench BENCH_LARGE=500000` (some 25 minutes more here)."]  # fmt: skip
    target = r["target"]
    if target["met"] is not None:
        verdict = "met" if target["met"] else "not met"
        lines += ["", f"Target, whole answer p95 under {target['answer_p95_ms_below']:.0f} ms at "
                      f"{target['chunks']:,} chunks: {verdict} ({target['answer_p95_ms']:.1f} ms)."]  # fmt: skip
    return [*lines, ""]


def throughput_section(r: dict[str, Any]) -> list[str]:
    lines = [
        "## Served throughput",
        "",
        f"`bench/served_throughput.py`: {r['clients']} clients on 127.0.0.1 posting `/v1/ask` for {r['seconds']:g} s "
        "per setup, after a warm-up; the load generator shares the machine's cores with the server "
        f"(load average {r['load_average']} at the start). Deployment: [DEPLOY.md](DEPLOY.md).",
        "",
        "| setup | requests/s | p50 ms | p95 ms | p99 ms | errors | worker RSS MB |",
        "|---|---|---|---|---|---|---|",
    ]
    names = {"embedded-1": "one worker, embedded index", "server-1": "one worker, Chroma server",
             "server-2": "two workers, one Chroma server"}  # fmt: skip
    for name, row in r["setups"].items():
        lines.append(f"| {names.get(name, name)} | {row['requests_per_s']} | {row['p50_ms']} | {row['p95_ms']} "
                     f"| {row['p99_ms']} | {row['errors']} | {' + '.join(map(str, row['worker_rss_mb']))} |")  # fmt: skip
    return [*lines, ""]


def shards_section(shards: dict[str, Any]) -> list[str]:
    """`assistant ingest --shard I/N` in N processes against one Chroma server."""
    rows = [
        f"| {r['processes']} | {r['seconds']} s | {r['speedup']}x | {r['chunks']} | {r['same_index_as_one_process']} |"
        for r in shards["runs"]
    ]
    return [
        "## Sharded ingest",
        "",
        f"`bench/sharded_ingest.py`: {shards['pages']} pages, N `assistant ingest --shard I/N` processes against one "
        f"`chroma run` on this machine ({shards['cpus']} CPUs); docs/DEPLOY.md says where sharding pays.",
        "",
        "| processes | wall | speed-up | chunks | same index as one process |",
        "|---|---|---|---|---|",
        *rows,
        "",
    ]


def pipeline_section(p: dict[str, Any]) -> list[str]:
    """Pipelined ingest against the sequential order, in one process."""
    rows = [
        f"| {name} | {p[name]['wall_s']} s | {p[name]['chunks_per_s']} | {p[name]['embed_s']} s "
        f"| {p[name]['not_embedding_share']:.0%} |"
        for name in ("sequential", "pipelined")
    ]
    return [
        "## Pipelined ingest",
        "",
        f"`bench/ingest_pipeline.py`: {p['pages']} pages, one loaded model, the two orders alternating "
        f"({p['runs']} runs each). Not embedding: the share of the wall time with no embedding call running "
        f"(loading, parsing, chunking, Chroma writes left in the open). Pipelined / sequential: {x(p['speedup'])}; "
        f"same chunks: {p['same_chunks']}.",
        "",
        "| order | wall | chunks/s | inside embedding calls | not embedding |",
        "|---|---|---|---|---|",
        *rows,
        "",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=0, help="python3-doc pages (0 = all)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="10000,100000", help="store sizes for the synthetic scale benchmark")
    parser.add_argument("--large-sizes", default="",
                        help="larger store sizes, run on their own (e.g. 500000, some 25 minutes here); kept in "
                             "bench/out/store_scale_large.json and shown with its own date and commit")  # fmt: skip
    parser.add_argument("--seconds", type=int, default=20, help="length of each served-throughput measurement")
    parser.add_argument("--reuse", action="store_true", help="render from bench/out/*.json")
    args = parser.parse_args()
    pages = ["--pages", str(args.pages), "--runs", str(args.runs)]

    def get(name: str, script: str, *extra: str) -> dict[str, Any]:
        if args.reuse:
            return json.loads((OUT / f"{name}.json").read_text())
        return measure(name, script, *extra)

    # The commit measured is the one checked out when the run starts (kept for --reuse).
    # So is the machine: CPU model and vector extensions (int8 embedding speed depends on them).
    if args.reuse:
        commit = (OUT / "commit.txt").read_text().strip()
        machine_text = (OUT / "machine.txt").read_text().strip() if (OUT / "machine.txt").exists() else machine()
    else:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
        commit = head.stdout.strip() or "unknown"
        machine_text = machine()
        OUT.mkdir(exist_ok=True)
        (OUT / "commit.txt").write_text(commit)
        (OUT / "machine.txt").write_text(machine_text)
    docs = get("python_docs", "python_docs.py", *pages)
    backends = get("embedding_backends", "embedding_backends.py", "--runs", str(args.runs))
    scale = get("store_scale", "store_scale.py", "--sizes", args.sizes)
    if args.large_sizes:  # run even with --reuse: the larger sizes alone, the rest re-rendered
        large = measure("store_scale_large", "store_scale.py", "--sizes", args.large_sizes)
        large.update(commit=commit, date=datetime.date.today().isoformat())
        (OUT / "store_scale_large.json").write_text(json.dumps(large, indent=2), encoding="utf-8")
    large_path = OUT / "store_scale_large.json"
    large = json.loads(large_path.read_text()) if large_path.exists() else None
    served = get("served_throughput", "served_throughput.py", "--seconds", str(args.seconds))
    latency = get("serve_latency", "serve_latency.py")
    shards = get("sharded_ingest", "sharded_ingest.py", "--pages", str(min(args.pages or 60, 60)))
    pipeline = get("ingest_pipeline", "ingest_pipeline.py", "--pages", str(min(args.pages or 100, 100)),
                   "--runs", str(args.runs))  # fmt: skip
    command = "make bench" + (f" BENCH_PAGES={args.pages}" if args.pages else "")
    lines = [
        "# Benchmarks",
        "",
        f"Measured on {datetime.date.today().isoformat()} at commit `{commit}`. `make bench` installs the corpus "
        "(Debian's `python3-doc`) and reruns everything below; figures are medians, and ratios compare runs made "
        "in the same invocation on the same machine. Benchmarks are not tests: a slow machine does not fail CI.",
        "",
        machine_text,
        "",
        *targets_section(docs, scale, served, backends, large),
        *docs_section(docs, command),
        *backends_section(backends),
        *scale_section(scale, large, commit),
        *throughput_section(served),
        *serve_section(latency),
        *pipeline_section(pipeline),
        *shards_section(shards),
    ]
    text = "\n".join(lines)
    (ROOT / "docs" / "BENCHMARKS.md").write_text(text, encoding="utf-8")
    print(text)
    print("ratios:", json.dumps(docs["ratios"]), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
