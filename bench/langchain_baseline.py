"""The pipeline of LangChain's RAG tutorial, as a user would run it, for comparison.

RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200), HuggingFaceEmbeddings
with the same bundled model, Chroma.from_documents into a folder, similarity search.
Pages are read with this project's loader, so both sides start from the same text
and pay the same parsing cost; what differs is everything after that. The baseline
has no incremental mode: adding or editing a file means ingesting again.

Run (one job per process, so the caller can time it and read its peak memory):

    python bench/langchain_baseline.py ingest CORPUS INDEX_DIR
    python bench/langchain_baseline.py ask INDEX_DIR "question"        # cold start
    python bench/langchain_baseline.py latency INDEX_DIR QUESTIONS.txt  # warm p50/p95/p99

Each prints one JSON object.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.loaders import is_supported, load  # noqa: E402
from ingest.normalize import normalise  # noqa: E402
from vectorstore.embeddings import bundled_model_path  # noqa: E402

COLLECTION = "baseline"


def _embeddings():
    from langchain_huggingface import HuggingFaceEmbeddings

    return HuggingFaceEmbeddings(model_name=str(bundled_model_path()), model_kwargs={"device": "cpu"})


def ingest(corpus: Path, index: Path) -> dict[str, object]:
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    documents = [Document(page_content=normalise(load(p)).text, metadata={"source": str(p.relative_to(corpus))})
                 for p in sorted(corpus.rglob("*")) if p.is_file() and is_supported(p)]  # fmt: skip
    splits = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(documents)
    Chroma.from_documents(splits, _embeddings(), collection_name=COLLECTION, persist_directory=str(index))
    return {"documents": len(documents), "chunks": len(splits)}


def _open(index: Path):
    from langchain_chroma import Chroma

    return Chroma(collection_name=COLLECTION, embedding_function=_embeddings(), persist_directory=str(index))


def ask(index: Path, question: str) -> dict[str, object]:
    hits = _open(index).similarity_search(question, k=5)
    return {"passages": len(hits)}


def latency(index: Path, questions: list[str]) -> dict[str, object]:
    store = _open(index)
    for question in questions[:5]:
        store.similarity_search(question, k=5)
    timings = []
    for question in questions:
        started = time.perf_counter()
        store.similarity_search(question, k=5)
        timings.append((time.perf_counter() - started) * 1000)
    return {"retrieve_ms": timings}


def main() -> int:
    job, *args = sys.argv[1:]
    if job == "ingest":
        result = ingest(Path(args[0]), Path(args[1]))
    elif job == "ask":
        result = ask(Path(args[0]), args[1])
    elif job == "latency":
        result = latency(Path(args[0]), Path(args[1]).read_text(encoding="utf-8").splitlines())
    else:
        raise SystemExit(f"unknown job {job!r}; use ingest, ask or latency")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
