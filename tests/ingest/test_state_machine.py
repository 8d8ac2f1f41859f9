"""A Hypothesis state machine over files, ingest and the store, closing and reopening
the store after every step: the index always matches a model of what it should hold."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from ingest.chunking import Chunker
from ingest.pipeline import Ingestor
from vectorstore.chroma import ChromaStore
from vectorstore.embeddings import SentenceTransformerEmbedder, TokenCounter

NAMES = ["a.txt", "b.md", "sub/c.txt", "sub/deep/d.md"]
WORDS = ["tariff", "energy", "defence", "minerals", "shipping", "vaccines", "railways", "satellites"]
_EMBEDDER = SentenceTransformerEmbedder()
_COUNTER = TokenCounter()

paragraphs = st.lists(
    st.lists(st.sampled_from(WORDS), min_size=3, max_size=12).map(lambda w: " ".join(w).capitalize() + "."),
    min_size=1, max_size=4,
)  # fmt: skip


class IndexMachine(RuleBasedStateMachine):
    @initialize()
    def setup(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="machine-"))
        self.corpus = self.root / "corpus"
        self.corpus.mkdir()
        self.files: dict[str, str] = {}  # the model: what each present file says
        self.store = ChromaStore.embedded(self.root / "index")

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.root, ignore_errors=True)

    def _ingest(self) -> None:
        report = Ingestor(self.store, _EMBEDDER, Chunker(_COUNTER, 64)).ingest([self.corpus])
        assert report.ok, report.failed

    @rule(name=st.sampled_from(NAMES), body=paragraphs)
    def write(self, name: str, body: list[str]) -> None:
        path = self.corpus / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = "\n\n".join(body) + "\n"
        path.write_text(text, encoding="utf-8")
        self.files[name] = text
        self._ingest()

    @rule(name=st.sampled_from(NAMES))
    def delete(self, name: str) -> None:
        (self.corpus / name).unlink(missing_ok=True)
        self.files.pop(name, None)
        self._ingest()

    @rule()
    def reopen(self) -> None:
        self.store.close()
        self.store = ChromaStore.embedded(self.root / "index")

    @invariant()
    def index_matches_the_files(self) -> None:
        if not hasattr(self, "store"):
            return
        registry = self.store.documents()
        expected = {str((self.corpus / n).resolve()) for n in self.files}
        assert set(registry) == expected
        assert all(r.complete for r in registry.values())
        chunks = list(self.store.all_chunks())
        assert {path for _, path in chunks} == expected
        assert len({c.id for c, _ in chunks}) == len(chunks)  # no duplicates
        assert sum(r.chunks for r in registry.values()) == len(chunks)  # no orphans
        for name, text in self.files.items():
            path = str((self.corpus / name).resolve())
            stored = " ".join(c.text for c, p in sorted(chunks, key=lambda cp: cp[0].index) if p == path)
            assert " ".join(stored.split()) == " ".join(text.split())


TestIndexMachine = IndexMachine.TestCase
TestIndexMachine.settings = settings(
    max_examples=12, stateful_step_count=8, deadline=None, suppress_health_check=list(HealthCheck)
)
