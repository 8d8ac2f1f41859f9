"""The store and the answer path at synthetic scale: 10k, 100k, 500k chunks.

For each size, builds an embedded index in a temp folder from synthetic documents
(no embedding model runs for them), then opens it in a fresh process with a warm
`Assistant` wired by `build_application` (hybrid retrieval, extractive answers: what
`assistant ask` runs) and times questions through it.

The synthetic corpus has structure on both sides of hybrid retrieval:

- 300 topics, each a made-up name ("Kalovi") with three keywords of one of 16 domains.
  Documents are about a topic; their sentences come from templates over a fixed
  vocabulary (topic name and keywords, domain words, places, years, numbers), so BM25
  has rare and common terms to match and the answerer has dates and counts to quote.
- Each topic has one real embedding: a sentence about it, embedded once by the bundled
  model. A chunk's vector is that embedding, plus a share of a related topic's, plus
  Gaussian noise, normalised, so nearest neighbours cluster by topic and domain as
  real passages do (cosine to the topic's embedding about 0.75).

Questions are the seed questions without history plus ones generated from the topics
(a few name a topic that does not exist, which takes the abstention path), the same
strings at every size. Everything is seeded; a rerun builds the same index.

    .venv/bin/python bench/store_scale.py --sizes 10000,100000
    .venv/bin/python bench/store_scale.py --sizes 100000 --keep /tmp/scale --json
    .venv/bin/python bench/store_scale.py --sizes 100000 --keep /tmp/scale --baseline main

Reported per size: build time, insert rate, bytes on disk, the time to open the store
and answer the first question (the BM25 index is built then, with no saved copy),
latency percentiles of the retriever alone and of whole answers after a warm-up,
resident memory, and what a write costs the next question: one new file of 100
passages is written through the store as ingest writes it, then the first question
after it is timed (it names a word only that file holds, so the answer shows whether
the keyword index already has it), the retriever's percentiles again, and the first
question after the file is deleted. The store is left as it was.

``--baseline REV`` measures the same index in the same invocation with the code of
another commit (``git archive``), in its own fresh process, before this tree's.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.records import Chunk, DocumentRecord, chunk_id  # noqa: E402

SEED = 1234
TOPICS = 300
WARM_UP_QUESTIONS = 20
TARGET_SIZE, TARGET_P95_MS = 100_000, 50.0
TARGET_AFTER_WRITE_MS = 1000.0  # the first answer after a one-file write, at TARGET_SIZE
# Chunks per second through `upsert_chunks` on the 2-core development machine; only
# used to estimate the first size's build time before anything is measured.
DEFAULT_RATE = 900.0
# Noise per dimension: its norm is about 0.045 * sqrt(384) = 0.88 against a unit
# topic vector, so a chunk keeps a cosine of about 0.75 with its topic.
NOISE = 0.045

DOMAINS = {
    "energy": "reactor pipeline turbine grid refinery uranium solar battery emission fuel coal hydrogen",
    "trade": "tariff export import quota customs subsidy shipment freight invoice duty surplus deficit",
    "defence": "frigate drone radar missile patrol treaty garrison convoy airbase exercise artillery satellite",
    "software": "package kernel compiler library debugger repository release patch module daemon firmware installer",
    "health": "vaccine clinic hospital diagnosis therapy enzyme dosage outbreak surgeon pharmacy trial antibody",
    "finance": "bond equity dividend mortgage ledger audit pension inflation currency loan credit budget",
    "farming": "harvest irrigation wheat fertiliser livestock orchard soil drought seed grain dairy tractor",
    "transport": "railway highway port terminal bridge tunnel airline cargo metro ferry locomotive timetable",
    "education": "curriculum school teacher exam scholarship campus lecture literacy tuition degree syllabus classroom",
    "climate": "glacier monsoon carbon forest flood heatwave rainfall ocean coral wildfire aquifer permafrost",
    "law": "statute verdict appeal tribunal contract liability clause warrant testimony regulation licence court",
    "telecom": "spectrum antenna fibre broadband handset router bandwidth roaming tower cable modem network",
    "housing": "rent tenant landlord mortgage zoning apartment shelter construction estate insulation permit plot",
    "water": "reservoir dam sewage pump desalination canal well purification leak meter basin pipe",
    "space": "rocket orbit launcher probe telescope astronaut capsule payload lander comet booster spacecraft",
    "culture": "museum festival theatre archive gallery orchestra heritage exhibition manuscript library film opera",
}
ADJECTIVES = (
    "new regional national major key local large small annual early late joint formal public private final "
    "initial urgent modest steady sharp broad critical interim revised"
).split()
PAST = (
    "approved reviewed expanded reduced delayed announced funded inspected upgraded replaced signed extended "
    "measured recorded tested published revised cancelled launched completed"
).split()
INFINITIVE = "approve review expand reduce delay fund inspect upgrade replace extend measure test publish".split()
SUBJECTS = (
    "the ministry|the committee|the board|local officials|the agency|the council|engineers|inspectors|"
    "the operator|analysts|the regulator|the working group|auditors|the steering panel"
).split("|")
PLACES = (
    "Lisbon Nairobi Osaka Quito Bergen Tartu Accra Hanoi Perth Lyon Porto Graz Malmo Kochi Pune Cusco Dakar "
    "Tunis Turku Leeds Bilbao Gdansk Recife Medan"
).split()
MONTHS = "January February March April May June July August September October November December".split()
PERIODS = "week month quarter year season".split()
SYLLABLES = "ka lo ren vi sta mor dun el ba tri ne fen ri gal os mi tor an be sel".split()
UNKNOWN_SYLLABLES = "xu yph zar quil vex ozz".split()

SENTENCES = [
    "{Subj} {past} the {adj} {kw} in {place} in {month} {year}.",
    "In {year}, {name} {past} {num} {kw} projects and {num2} {dw} contracts.",
    "The {name} {kw} programme was {past} by {subj} after a {adj} review of {dw} costs.",
    "{Subj} said the {kw} would {inf} the {adj} {dw} by {pct} per cent.",
    "Under the {name} plan, {kw} and {dw} work is {past} every {period}.",
    "A {adj} report on {kw} found that the {dw} {dw2} had been {past} in {place}.",
    "{name}'s {adj} {dw} team {past} the {kw} budget of {money} million.",
    "Most {dw} sites near {place} {past} their {kw} plans during {month}.",
    "The {adj} {kw} at {place} is expected to {inf} {dw} output next {period}.",
    "{Subj} {past} a {adj} agreement on {kw} with partners in {place}.",
    "Work on the {dw} began in {year} and the {kw} was {past} {num} times since.",
    "{name} staff {past} {num} {adj} {kw} inspections across {place} last {period}.",
]
QUESTIONS = [
    "What did {name} report about the {kw}?",
    "How many {kw} projects did {name} approve in {year}?",
    "When was the {name} {kw} programme {past}?",
    "Which {dw} work is done under the {name} plan?",
    "Why did {subj} {inf} the {kw} in {place}?",
    "What is the {kw} budget of the {name} {dw} team?",
    "How much would the {kw} {inf} the {dw}?",
    "{kw} {dw} {name}",
    "Who signed the agreement on {kw} with partners in {place}?",
    "What happened to the {dw} {kw} plans near {place}?",
    "Is the {name} {kw} in {place} finished?",
    "How often is {kw} work done under the {name} plan?",
]


class Topic:
    def __init__(self, name: str, domain: str, keywords: list[str]):
        self.name, self.domain, self.keywords = name, domain, keywords

    @property
    def sentence(self) -> str:
        """The real sentence whose embedding anchors this topic's chunks."""
        a, b, c = self.keywords
        return f"The {self.name} {self.domain} programme deals with {a}, {b} and {c}."


def made_up_name(rng: random.Random, syllables: list[str]) -> str:
    return "".join(rng.choice(syllables) for _ in range(rng.choice((2, 3, 3)))).capitalize()


def topics() -> list[Topic]:
    rng = random.Random(SEED)
    names: set[str] = set()
    out = []
    while len(out) < TOPICS:
        name = made_up_name(rng, SYLLABLES)
        if len(name) < 5 or name in names:
            continue
        names.add(name)
        domain = list(DOMAINS)[len(out) % len(DOMAINS)]
        out.append(Topic(name, domain, rng.sample(DOMAINS[domain].split(), 3)))
    return out


def _slots(rng: random.Random, topic: Topic, name: str | None = None) -> dict[str, str]:
    domain_words = DOMAINS[topic.domain].split()
    subj = rng.choice(SUBJECTS)
    return {
        "name": name or topic.name,
        "kw": rng.choice(topic.keywords) if rng.random() < 0.6 else rng.choice(domain_words),
        "dw": rng.choice(domain_words),
        "dw2": rng.choice(domain_words),
        "adj": rng.choice(ADJECTIVES),
        "past": rng.choice(PAST),
        "inf": rng.choice(INFINITIVE),
        "subj": subj,
        "Subj": subj[0].upper() + subj[1:],
        "place": rng.choice(PLACES),
        "month": rng.choice(MONTHS),
        "period": rng.choice(PERIODS),
        "year": str(rng.randint(1995, 2025)),
        "num": str(rng.randint(2, 90)),
        "num2": str(rng.randint(2, 40)),
        "pct": str(rng.randint(2, 60)),
        "money": str(rng.randint(3, 900)),
    }


def chunk_text(rng: random.Random, topic: Topic) -> str:
    return " ".join(rng.choice(SENTENCES).format(**_slots(rng, topic)) for _ in range(rng.randint(6, 10)))


def question_set(count: int, extra: int = 0) -> list[str]:
    """The seed questions without history, then generated ones, ``count + extra`` distinct strings.

    The last ``extra`` are for warming up only and never timed.
    """
    seed = [json.loads(line) for line in (ROOT / "eval" / "seed_questions.jsonl").read_text().splitlines() if line]
    out = list(dict.fromkeys(q["question"] for q in seed if "history" not in q))[:count]
    rng = random.Random(SEED + 1)
    all_topics = topics()
    known = {t.name for t in all_topics}
    seen = set(out)
    while len(out) < count + extra:
        topic = rng.choice(all_topics)
        name = None
        if rng.random() < 0.05:  # a topic that does not exist: the abstention path
            name = made_up_name(rng, UNKNOWN_SYLLABLES)
            if any(k.startswith(name[:4]) for k in known):
                continue
        text = rng.choice(QUESTIONS).format(**_slots(rng, topic, name))
        text = text[0].upper() + text[1:]
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out


def anchors(all_topics: list[Topic]) -> np.ndarray:
    """One real embedding per topic, from the bundled model."""
    from vectorstore.embeddings import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder().embed([t.sentence for t in all_topics])


def folder_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def build(index: Path, size: int, topic_vectors: np.ndarray, all_topics: list[Topic]) -> dict[str, Any]:
    """Write ``size`` synthetic chunks through the store's own API, as ingest does."""
    from vectorstore.chroma import ChromaStore

    rng = random.Random(f"{SEED}-{size}")
    noise = np.random.default_rng([SEED, size])
    by_domain: dict[str, list[int]] = {}
    for i, topic in enumerate(all_topics):
        by_domain.setdefault(topic.domain, []).append(i)
    started = time.perf_counter()
    written = documents = 0
    storing = 0.0  # seconds inside the store's calls, without making up the documents
    with ChromaStore.embedded(index) as store, tqdm(total=size, unit="chunk", file=sys.stderr, disable=None) as bar:
        while written < size:
            primary = rng.randrange(len(all_topics))
            topic = all_topics[primary]
            n = min(rng.randint(40, 160), size - written)
            path = f"/synthetic/{topic.domain}/{topic.name.lower()}-{documents:05d}.txt"
            source, title = path[1:], f"{topic.name} {topic.domain.title()} Review {documents}"
            chunks, picks, start = [], [], 0
            for index_in_doc in range(n):
                roll = rng.random()  # most chunks on the document's topic, some on neighbours
                if roll < 0.75:
                    pick = primary
                elif roll < 0.9:
                    pick = rng.choice(by_domain[topic.domain])
                else:
                    pick = rng.randrange(len(all_topics))
                picks.append(pick)
                text = chunk_text(rng, all_topics[pick])
                headings = (title, f"{rng.choice(all_topics[pick].keywords).title()} {rng.randint(1, 9)}")
                draft = Chunk("", text, source, title, headings, index_in_doc, start, start + len(text))
                chunks.append(replace(draft, id=chunk_id(path, draft.embedding_text(), 0)))
                start += len(text) + 2  # documents join their chunks with a blank line
            related = topic_vectors[[rng.choice(by_domain[topic.domain]) for _ in picks]]
            mix = rng.uniform(0.0, 0.5)
            vectors = topic_vectors[picks] + mix * related + noise.normal(0, NOISE, (n, topic_vectors.shape[1]))
            vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
            file_hash = f"{documents:032x}"
            record = DocumentRecord(path, source, title, file_hash, n, complete=False)
            t = time.perf_counter()
            store.put_document(record)  # registered incomplete first, completed last, as ingest does
            store.upsert_chunks(chunks, vectors, path=path, file_hash=file_hash)
            store.put_document(replace(record, complete=True))
            storing += time.perf_counter() - t
            written += n
            documents += 1
            bar.update(n)
        count = store.count()
    elapsed = time.perf_counter() - started
    if count != size:
        raise RuntimeError(f"expected {size} chunks in the index, found {count}")
    return {
        "documents": documents,
        "build_s": round(elapsed, 1),
        "insert_s": round(storing, 1),
        "insert_chunks_per_s": round(size / storing),
    }


def rss_bytes(kind: str = "VmRSS") -> int:
    """Resident memory; ``kind`` "RssFile" for its file-backed part (the keyword index's
    saved files, searched mapped, and the libraries), which the system shares between
    processes and can drop."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{kind}:"):
            return int(line.split()[1]) * 1024
    return 0


def percentiles(values: list[float]) -> dict[str, float]:
    p50, p95, p99 = np.percentile(values, [50, 95, 99])
    return {"p50": round(float(p50), 2), "p95": round(float(p95), 2), "p99": round(float(p99), 2)}


# The file written to time the first question after a write: a made-up topic of its own.
UPLOAD_TOPIC = Topic("Zorvatrin", "energy", ["turbine", "grid", "hydrogen"])
UPLOAD_CHUNKS = 100
UPLOAD_QUESTION = "What did Zorvatrin report about the turbine?"


def upload_document() -> tuple[DocumentRecord, list[Chunk]]:
    """One new file of ``UPLOAD_CHUNKS`` passages about ``UPLOAD_TOPIC``."""
    rng = random.Random(f"{SEED}-upload")
    path = "/synthetic/upload/zorvatrin.txt"
    title = "Zorvatrin Energy Review"
    chunks, start = [], 0
    for index_in_doc in range(UPLOAD_CHUNKS):
        text = chunk_text(rng, UPLOAD_TOPIC)
        draft = Chunk("", text, path[1:], title, (title,), index_in_doc, start, start + len(text))
        chunks.append(replace(draft, id=chunk_id(path, draft.embedding_text(), 0)))
        start += len(text) + 2
    return DocumentRecord(path, path[1:], title, "f" * 32, UPLOAD_CHUNKS, complete=False), chunks


def after_write(assistant: Any, timed: list[str], k: int) -> dict[str, Any]:
    """What one new file costs the next questions, then what its deletion costs; the
    store is left as it was."""
    record, chunks = upload_document()
    new_ids = {c.id for c in chunks}
    store = assistant.store
    vectors = assistant.embedder.embed([c.embedding_text() for c in chunks])  # as ingest would, untimed
    started = time.perf_counter()
    store.put_document(record)  # as ingest writes a file: registered incomplete, chunks, complete
    store.upsert_chunks(chunks, vectors, path=record.path, file_hash=record.file_hash)
    store.put_document(replace(record, complete=True))
    written = time.perf_counter()
    assistant.index_changed()  # what document management calls after a write
    answer = assistant.ask(UPLOAD_QUESTION)
    first = time.perf_counter()
    assistant.ask(UPLOAD_QUESTION)
    second = time.perf_counter()
    retrieve_ms = []
    getattr(assistant.embedder, "forget", lambda: None)()  # the questions come new, as in ``measure``
    for question in timed:
        t = time.perf_counter()
        assistant.retriever.retrieve(question, k)
        retrieve_ms.append((time.perf_counter() - t) * 1000)
    t = time.perf_counter()
    store.delete_document(record.path)
    assistant.index_changed()
    assistant.ask(UPLOAD_QUESTION)
    after_delete = time.perf_counter()
    return {
        "write_ms": round((written - started) * 1000, 1),
        "first_question_ms": round((first - written) * 1000, 1),
        "first_question_cites_the_new_file": any(c.chunk_id in new_ids for c in answer.citations),
        "second_question_ms": round((second - first) * 1000, 1),
        "retrieval_ms": percentiles(retrieve_ms),
        "delete_and_first_question_ms": round((after_delete - t) * 1000, 1),
    }


def measure(
    data_dir: Path, timed: list[str], warm_up: list[str], profile: bool = False, write: bool = True
) -> dict[str, Any]:
    """Open the index as `assistant ask` does and time it; runs in a fresh process."""
    from assistant.app import build_application
    from assistant.settings import Settings

    # Every run starts without a saved keyword index, so first questions compare.
    shutil.rmtree(data_dir / "keywords", ignore_errors=True)
    # Only what this benchmark is about is pinned; nothing else from the environment.
    settings = Settings(data_dir=data_dir, chroma_url=None, llm_base_url=None, retrieval="hybrid", _env_file=None)
    started = time.perf_counter()
    assistant = build_application(settings).assistant  # its own embedder, as `assistant ask` has
    opened = time.perf_counter()
    embedder = assistant.embedder
    embedder.embed(["load the model"])
    loaded = time.perf_counter()
    rss_model = rss_bytes()
    assistant.ask(warm_up[0])
    first = time.perf_counter()
    for question in warm_up[1:]:
        assistant.ask(question)
    k = assistant.retriever.top_k * 3  # the pool the extractive path retrieves
    embed_ms, retrieve_ms, answer_ms, stages = [], [], [], {"retrieve": [], "generate": []}
    abstained = 0
    for question in timed:
        t = time.perf_counter()
        embedder.embed([question])
        embed_ms.append((time.perf_counter() - t) * 1000)
    # Each loop embeds its questions itself, as a new question is: the vectors the loop
    # before remembered (``RecentQueries``) are dropped.
    forget = getattr(embedder, "forget", lambda: None)
    forget()
    for question in timed:
        t = time.perf_counter()
        assistant.retriever.retrieve(question, k)
        retrieve_ms.append((time.perf_counter() - t) * 1000)
    profiler = cProfile.Profile() if profile else None
    forget()
    for question in timed:
        if profiler:
            profiler.enable()
        t = time.perf_counter()
        answer = assistant.ask(question)
        answer_ms.append((time.perf_counter() - t) * 1000)
        if profiler:
            profiler.disable()
        abstained += answer.abstained
        for stage in stages:
            stages[stage].append(answer.timings_ms[stage])
    result = {
        "open_ms": round((opened - started) * 1000, 1),
        "model_load_s": round(loaded - opened, 2),
        "first_query_ms": round((first - loaded) * 1000, 1),
        "open_first_query_ms": round((opened - started + first - loaded) * 1000, 1),
        "embed_ms": percentiles(embed_ms),
        "retrieval_ms": percentiles(retrieve_ms),
        "answer_ms": percentiles(answer_ms),
        "answer_stages_ms": {stage: percentiles(values) for stage, values in stages.items()},
        "abstained": abstained,
        "rss_bytes": rss_bytes(),
        "rss_file_bytes": rss_bytes("RssFile"),
        "rss_before_first_query_bytes": rss_model,
        "embedder": str(getattr(embedder, "name", type(embedder).__name__)),
        "retrieval": settings.retrieval,
        "k": k,
        "code": str(Path(sys.modules["assistant.app"].__file__ or "").parent.parent),  # which tree ran
    }
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        result["profile"] = out.getvalue()
    if write:
        result["after_write"] = after_write(assistant, timed, k)
    assistant.close()
    return result


def measure_baseline(rev: str, data_dir: Path, questions: int) -> dict[str, Any]:
    """``measure`` with the code of commit ``rev``, in a fresh process: this file is run
    from a copy of that commit's tree, so everything it imports is that commit's."""
    with tempfile.TemporaryDirectory(prefix="bench-baseline-") as tree:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", tree], input=archive.stdout, check=True)
        shutil.copy(Path(__file__), Path(tree) / "bench" / "store_scale.py")
        done = subprocess.run(
            [sys.executable, str(Path(tree) / "bench" / "store_scale.py"), "--measure", str(data_dir),
             "--questions", str(questions)],
            check=True, stdout=subprocess.PIPE, text=True, cwd=tree,
        )  # fmt: skip
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["rev"] = rev
    return result


def _existing(index: Path) -> int:
    from vectorstore.chroma import ChromaStore

    with ChromaStore.embedded(index) as store:
        return store.count()


def run(
    sizes: list[int], questions: int = 200, keep: Path | None = None, profile: bool = False, baseline: str | None = None
) -> dict:
    """Build (or reuse, under ``keep``) an index per size and time the answer path on it
    (first with the code of ``baseline`` when given)."""
    if questions < 1:
        raise ValueError("ask at least one question")
    asked = question_set(questions, extra=WARM_UP_QUESTIONS)
    timed, warm_up = asked[:questions], asked[questions:]
    root = keep or Path(tempfile.mkdtemp(prefix="bench-scale-"))
    all_topics = topics()
    topic_vectors: np.ndarray | None = None
    rate, first_per_chunk, results = DEFAULT_RATE, None, {}
    try:
        for size in sizes:
            data_dir = root / str(size)
            index = data_dir / "index"
            figures: dict[str, Any] = {"chunks": size}
            if keep and index.exists():
                found = _existing(index)
                if found != size:
                    raise SystemExit(f"{index} holds {found} chunks, not {size}: delete it or pick another --keep")
                print(f"{size} chunks: reusing {index}", file=sys.stderr)
                figures.update(documents=None, build_s=None, insert_chunks_per_s=None)
            else:
                first = f", then about {size * first_per_chunk:.0f} s for the first question" if first_per_chunk else ""
                print(
                    f"{size} chunks: building, about {size / rate / 60:.1f} min at {rate:.0f}/s{first}", file=sys.stderr
                )
                if topic_vectors is None:
                    topic_vectors = anchors(all_topics)
                figures.update(build(index, size, topic_vectors, all_topics))
                rate = size / figures["build_s"]  # making up the text included
            figures["disk_bytes"] = folder_bytes(index)
            if baseline:
                print(f"{size} chunks: timing {len(timed)} questions with {baseline}", file=sys.stderr)
                figures["baseline"] = measure_baseline(baseline, data_dir, questions)
            print(f"{size} chunks: timing {len(timed)} questions", file=sys.stderr)
            # A fresh process: memory and open time are those of `assistant ask`, not of the build.
            with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
                figures.update(pool.submit(measure, data_dir, timed, warm_up, profile).result())
            results[str(size)] = figures
            first_per_chunk = figures["first_query_ms"] / 1000 / size
    finally:
        if keep is None:
            shutil.rmtree(root, ignore_errors=True)
    target = results.get(str(TARGET_SIZE))
    return {
        "seed": SEED,
        "questions": len(timed),
        "distinct_questions": len(set(timed)),
        "cpus": os.cpu_count(),
        "sizes": results,
        "target": {
            "chunks": TARGET_SIZE,
            "answer_p95_ms_below": TARGET_P95_MS,
            "answer_p95_ms": target["answer_ms"]["p95"] if target else None,
            "met": target["answer_ms"]["p95"] < TARGET_P95_MS if target else None,
            "after_write_ms_below": TARGET_AFTER_WRITE_MS,
            "after_write_ms": target["after_write"]["first_question_ms"] if target else None,
        },
    }


def report(result: dict) -> str:
    mib = 1024 * 1024
    lines = [f"{result['questions']} questions per size after {WARM_UP_QUESTIONS} warm-up; {result['cpus']} CPUs"]
    for size, f in result["sizes"].items():
        built = (
            f"built in {f['build_s']:.0f} s ({f['documents']} documents; store calls {f['insert_s']:.0f} s, "
            f"{f['insert_chunks_per_s']} chunks/s)"
            if f["build_s"] is not None
            else "reused"
        )
        lines += [
            f"\n{int(size):,} chunks: {built}, {f['disk_bytes'] / mib:.0f} MiB on disk",
            f"  open {f['open_ms']:.0f} ms, first question {f['first_query_ms']:.0f} ms "
            f"(model load {f['model_load_s']:.1f} s, not included; {f['embedder']})",
        ]
        for label, key in (("embed only", "embed_ms"), ("retrieval", "retrieval_ms"), ("answer", "answer_ms")):
            p = f[key]
            lines.append(f"  {label:11} p50 {p['p50']:7.1f} ms   p95 {p['p95']:7.1f} ms   p99 {p['p99']:7.1f} ms")
        stages = ", ".join(f"{k} p50 {v['p50']:.1f} ms" for k, v in f["answer_stages_ms"].items())
        lines.append(f"  answer stages: {stages}; {f['abstained']} abstained")
        lines.append(
            f"  RSS {f['rss_bytes'] / mib:.0f} MiB after warm-up, {f.get('rss_file_bytes', 0) / mib:.0f} MiB of it "
            f"file-backed ({f['rss_before_first_query_bytes'] / mib:.0f} MiB "
            "with the store open and the model loaded, before the first question)"
        )
        lines += _after_write_lines(f)
        if "baseline" in f:
            b = f["baseline"]
            lines += [
                f"  {b['rev']} in the same invocation: first question {b['first_query_ms']:.0f} ms, retrieval p95 "
                f"{b['retrieval_ms']['p95']:.1f} ms, answer p95 {b['answer_ms']['p95']:.1f} ms, "
                f"RSS {b['rss_bytes'] / mib:.0f} MiB",
                *(f"  {b['rev']}: {line.strip()}" for line in _after_write_lines(b)),
            ]
        if "profile" in f:
            lines.append(f["profile"])
    target = result["target"]
    if target["met"] is None:
        lines.append(f"\nTarget (answer p95 < {TARGET_P95_MS:.0f} ms at {TARGET_SIZE:,} chunks): not measured")
    else:
        verdict = "met" if target["met"] else "NOT met"
        lines.append(
            f"\nTarget: answer p95 < {TARGET_P95_MS:.0f} ms at {TARGET_SIZE:,} chunks: {verdict} "
            f"({target['answer_p95_ms']:.1f} ms)"
        )
    if target.get("after_write_ms") is not None:
        verdict = "met" if target["after_write_ms"] < target["after_write_ms_below"] else "NOT met"
        lines.append(
            f"Target: first answer after a one-file write < {target['after_write_ms_below']:.0f} ms at "
            f"{TARGET_SIZE:,} chunks: {verdict} ({target['after_write_ms']:.0f} ms)"
        )
    return "\n".join(lines)


def _after_write_lines(f: dict) -> list[str]:
    w = f.get("after_write")
    if not w:
        return []
    cites = "cites the new file" if w["first_question_cites_the_new_file"] else "does NOT cite the new file"
    return [
        f"  after a {UPLOAD_CHUNKS}-passage file is written ({w['write_ms']:.0f} ms): first question "
        f"{w['first_question_ms']:.0f} ms ({cites}), second {w['second_question_ms']:.0f} ms, retrieval p95 "
        f"{w['retrieval_ms']['p95']:.1f} ms; the file deleted and the next question: "
        f"{w['delete_and_first_question_ms']:.0f} ms"
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated chunk counts (500000 is slow)")
    parser.add_argument("--questions", type=int, default=200, help="distinct questions timed per size")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--keep", type=Path, help="build the indexes here and keep them (reused when present)")
    parser.add_argument("--profile", action="store_true", help="cProfile the answers and print the top costs")
    parser.add_argument("--baseline", metavar="REV", help="also time each index with the code of this commit")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # one measurement (--baseline's child)
    args = parser.parse_args()
    if args.measure:
        asked = question_set(args.questions, extra=WARM_UP_QUESTIONS)
        print(json.dumps(measure(args.measure, asked[: args.questions], asked[args.questions :])))
        return
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    result = run(sizes, args.questions, keep=args.keep, profile=args.profile, baseline=args.baseline)
    print(json.dumps(result, indent=2) if args.json else report(result))


if __name__ == "__main__":
    main()
