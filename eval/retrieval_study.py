"""Measure retrieval choices against the LangChain tutorial baseline, in one run.

For a corpus and its question set, builds one index per configuration and scores
the top 10 passages of every question: hit@1, hit@5, MRR@5, recall@5, nDCG@10
(relevance as in `assistant eval`: the passage holds the evidence text). The
baseline is the pipeline of the LangChain RAG tutorial on the same normalised text
and the same model: RecursiveCharacterTextSplitter(chunk_size=1000,
chunk_overlap=200), HuggingFaceEmbeddings, Chroma.from_documents, similarity search.

Run: `.venv/bin/python eval/retrieval_study.py CORPUS QUESTIONS.jsonl [--out FILE.md]`
(`make eval` runs it on the Debian FAQ set).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant import metrics  # noqa: E402
from assistant.evaluation import Question, expected_items_in, load_questions  # noqa: E402
from assistant.keyword import KeywordIndex  # noqa: E402
from assistant.retrieval import Retriever  # noqa: E402
from ingest.chunking import Chunker  # noqa: E402
from ingest.loaders import is_supported, load  # noqa: E402
from ingest.normalize import normalise  # noqa: E402
from ingest.pipeline import Ingestor  # noqa: E402
from vectorstore.chroma import ChromaStore  # noqa: E402
from vectorstore.embeddings import SentenceTransformerEmbedder, TokenCounter, bundled_model_path  # noqa: E402

Ranker = Callable[[str], list[tuple[str, str]]]  # question -> [(passage text, source)] best first


def score(name: str, rank: Ranker, questions: list[Question], build_s: float, chunks: int) -> dict[str, object]:
    rows = []
    for q in questions:
        found = [expected_items_in(text, source, q) for text, source in rank(q.question)]
        relevant = [bool(f) for f in found]
        items = len(q.evidence) + len(q.sources)
        rows.append((metrics.hit_at_k(relevant, 1), metrics.hit_at_k(relevant, 5), metrics.mrr_at_k(relevant, 5),
                     metrics.recall_at_k(found, items, 5), metrics.ndcg_at_k(relevant, 10, max(items, 1))))  # fmt: skip
    columns = list(zip(*rows, strict=True))
    values = [round(sum(c) / len(c), 3) for c in columns]
    print(f"  {name:44} hit@5 {values[1]:.3f}  mrr@5 {values[2]:.3f}", file=sys.stderr)
    return {"name": name, "hit@1": values[0], "hit@5": values[1], "mrr@5": values[2], "recall@5": values[3],
            "ndcg@10": values[4], "chunks": chunks, "index_s": round(build_s, 1)}  # fmt: skip


def baseline(corpus: Path, embedder: SentenceTransformerEmbedder) -> tuple[Ranker, float, int]:
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_huggingface import HuggingFaceEmbeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    started = time.perf_counter()
    documents = [Document(page_content=normalise(load(p)).text, metadata={"source": str(p.relative_to(corpus))})
                 for p in sorted(corpus.rglob("*")) if p.is_file() and is_supported(p)]  # fmt: skip
    splits = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(documents)
    embeddings = HuggingFaceEmbeddings(model_name=str(bundled_model_path()), model_kwargs={"device": "cpu"})
    store = Chroma.from_documents(splits, embeddings, collection_name=f"baseline-{time.time_ns()}")
    build = time.perf_counter() - started

    def rank(question: str) -> list[tuple[str, str]]:
        return [(d.page_content, d.metadata["source"]) for d in store.similarity_search(question, k=10)]

    return rank, build, len(splits)


def ours(corpus: Path, folder: Path, embedder, counter, tokens: int, headings: bool) -> tuple[ChromaStore, float]:
    started = time.perf_counter()
    store = ChromaStore.embedded(folder)
    Ingestor(store, embedder, Chunker(counter, tokens, embed_headings=headings)).ingest([corpus])
    return store, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("questions", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    questions = [q for q in load_questions(args.questions) if not q.unanswerable and (q.evidence or q.sources)]
    embedder, counter = SentenceTransformerEmbedder(), TokenCounter()
    embedder.warm_up()
    results = []
    rank, build, chunks = baseline(args.corpus, embedder)
    results.append(score("LangChain tutorial baseline (1000/200, dense)", rank, questions, build, chunks))
    work = Path(tempfile.mkdtemp(prefix="retrieval-study-"))
    for tokens, headings in [(256, True), (160, True), (96, True), (256, False)]:
        store, build = ours(args.corpus, work / f"i{tokens}{headings:d}", embedder, counter, tokens, headings)
        for mode in ("dense", "hybrid"):
            retriever = Retriever(store, embedder, 10, mode, KeywordIndex(store))  # type: ignore[arg-type]

            def rank(question: str, r: Retriever = retriever) -> list[tuple[str, str]]:
                return [(h.chunk.text, h.chunk.source) for h in r.retrieve(question, 10)]

            label = f"{mode}, {tokens} tokens, headings {'on' if headings else 'off'}"
            results.append(score(label, rank, questions, build, store.count()))
        store.close()
    base = results[0]["hit@5"]
    lines = [f"{len(questions)} questions from {args.questions.name}; corpus {args.corpus}", "",
             "| configuration | hit@1 | hit@5 | Δ hit@5 vs baseline | MRR@5 | recall@5 | nDCG@10 | chunks | index s |",
             "|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for r in results:
        delta = (float(r["hit@5"]) - float(base)) * 100  # type: ignore[arg-type]
        lines.append(f"| {r['name']} | {r['hit@1']:.3f} | {r['hit@5']:.3f} | {delta:+.1f} pts | {r['mrr@5']:.3f} | "
                     f"{r['recall@5']:.3f} | {r['ndcg@10']:.3f} | {r['chunks']} | {r['index_s']} |")  # fmt: skip
    table = "\n".join(lines)
    print(table)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
