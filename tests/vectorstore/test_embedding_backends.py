"""The three embedding backends: same model, agreeing vectors, one model per index."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.settings import Settings
from ingest.chunking import Chunker
from ingest.pipeline import Ingestor
from vectorstore.backends import open_embedder
from vectorstore.chroma import ChromaStore
from vectorstore.embeddings import Embedder, TokenCounter

from ..conftest import CORPUS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def chunk_texts(counter: TokenCounter) -> list[str]:
    from ingest.loaders import load
    from ingest.normalize import normalise

    path = next(CORPUS.iterdir())
    chunks = Chunker(counter, target_tokens=256).chunk(normalise(load(path)), path=str(path), source=path.name)
    return [c.embedding_text(True) for c in chunks]


@pytest.fixture(scope="module")
def torch_embedder() -> Embedder:
    return open_embedder("torch", Settings().model_cache_dir)


def test_default_backend_is_int8_onnx() -> None:
    assert Settings().embedding_backend == "onnx-int8"
    assert open_embedder("onnx-int8", Settings().model_cache_dir).name == "all-MiniLM-L6-v2/int8"
    assert open_embedder("onnx", Settings().model_cache_dir).name == "all-MiniLM-L6-v2/fp32"
    assert open_embedder("torch", Settings().model_cache_dir).name == "all-MiniLM-L6-v2/fp32"


def test_onnx_fp32_gives_the_sentence_transformers_vectors(chunk_texts: list[str], torch_embedder: Embedder) -> None:
    reference = torch_embedder.embed(chunk_texts)
    onnx = open_embedder("onnx", Settings().model_cache_dir).embed(chunk_texts)
    assert onnx.shape == reference.shape == (21, 384)
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1.0, atol=1e-5)
    assert float((onnx * reference).sum(axis=1).min()) > 0.9999


def test_int8_agrees_with_float_vectors(chunk_texts: list[str], torch_embedder: Embedder, embedder: Embedder) -> None:
    reference = torch_embedder.embed(chunk_texts)
    cosines = (embedder.embed(chunk_texts) * reference).sum(axis=1)
    # Measured on this corpus: mean 0.994, least 0.984 (docs/BENCHMARKS.md has the
    # agreement on the Python documentation and its effect on hit@5).
    assert float(cosines.mean()) > 0.99
    assert float(cosines.min()) > 0.97


def test_switching_backend_re_embeds_every_document_once(
    tmp_path: Path, embedder: Embedder, torch_embedder: Embedder, counter: TokenCounter
) -> None:
    source = f"corpus/{next(CORPUS.iterdir()).name}"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / Path(source).name).write_text(next(CORPUS.iterdir()).read_text(), encoding="utf-8")
    with ChromaStore.embedded(tmp_path / "index") as store:
        chunker = Chunker(counter, target_tokens=256)
        assert Ingestor(store, embedder, chunker).ingest([corpus]).added == [source]
        assert store.embedding_model() == "all-MiniLM-L6-v2/int8"
        int8_vectors = store.embeddings_for(c.id for c, _ in store.all_chunks())

        switched = Ingestor(store, torch_embedder, chunker).ingest([corpus])
        assert switched.to_json() == {
            "added": [], "updated": [source], "unchanged": [], "removed": [], "failed": [], "chunks": 21
        }  # fmt: skip
        assert store.embedding_model() == "all-MiniLM-L6-v2/fp32"
        fp32_vectors = store.embeddings_for(int8_vectors)
        assert fp32_vectors.keys() == int8_vectors.keys()
        assert all(not np.array_equal(fp32_vectors[k], int8_vectors[k]) for k in int8_vectors)

        # Same name, same vectors: the ONNX float export reuses what torch wrote.
        again = Ingestor(store, open_embedder("onnx", Settings().model_cache_dir), chunker).ingest([corpus])
        assert again.unchanged == [source] and not again.updated


_EMBED_AND_REPORT = """
import json, sys
from pathlib import Path
from vectorstore.backends import open_embedder
embedder = open_embedder("onnx-int8", Path(sys.argv[1]))
vector = embedder.embed(["Which agreement covers liquefied natural gas?"])[0]
print(json.dumps({"torch_imported": "torch" in sys.modules, "head": [round(float(x), 5) for x in vector[:4]]}))
"""


def test_export_happens_once_under_concurrency_and_later_runs_skip_torch(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    command = [sys.executable, "-c", _EMBED_AND_REPORT, str(cache)]
    first = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [json.loads(p.communicate(timeout=300)[0]) for p in first]
    assert all(p.returncode == 0 for p in first)
    # One process exported (and so imported torch); the other waited for its file.
    assert sorted(o["torch_imported"] for o in outputs) == [False, True]
    files = sorted(p.name for p in cache.glob("onnx/*/*"))
    assert files == ["export.lock", "model-fp32.onnx", "model-int8.onnx", "recipe.json"]

    later = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True)
    result = json.loads(later.stdout)
    assert result == {"torch_imported": False, "head": outputs[0]["head"]}
    assert outputs[1]["head"] == outputs[0]["head"]
