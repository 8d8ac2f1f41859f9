"""The assistant: one object that answers questions, shared by every front door.

>>> assistant = build_assistant(Settings())
>>> assistant.ask("Who is India's ambassador to the U.S.?").answer
'Recently, India’s Ambassador to the U.S., Vinay Mohan Kwatra, held meetings ... [1].'
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence

from vectorstore.chroma import ChromaStore
from vectorstore.embeddings import SentenceTransformerEmbedder
from vectorstore.errors import InvalidQuestionError

from .answer import Answer, check_citations
from .conversation import Turn, follow_up_context
from .extractive import ExtractiveAnswerer
from .retrieval import Retriever
from .settings import Settings


class Assistant:
    def __init__(
        self,
        store: ChromaStore,
        embedder: SentenceTransformerEmbedder,
        retriever: Retriever,
        answerer: ExtractiveAnswerer,
        max_question_chars: int = 2000,
        max_history_turns: int = 20,
    ):
        self.store = store
        self.embedder = embedder
        self.retriever = retriever
        self.answerer = answerer
        self.max_question_chars = max_question_chars
        self.max_history_turns = max_history_turns

    def ask(self, question: str, history: Sequence[Turn | dict[str, str]] = (), top_k: int | None = None) -> Answer:
        """Answer ``question``, in the conversation ``history`` (oldest turn first)."""
        started = time.perf_counter()
        question = self._validate(question)
        turns = [t if isinstance(t, Turn) else Turn.model_validate(t) for t in history]
        turns = turns[-self.max_history_turns :] if self.max_history_turns else []
        context = follow_up_context(question, turns)
        query = f"{context} {question}" if context else question
        hits = self.retriever.retrieve(query, (top_k or self.retriever.top_k) * 3)
        retrieved = time.perf_counter()
        answer = check_citations(self.answerer.answer(question, hits, context=context))
        done = time.perf_counter()
        timings = {
            "retrieve": round((retrieved - started) * 1000, 2),
            "generate": round((done - retrieved) * 1000, 2),
            "total": round((done - started) * 1000, 2),
        }
        return answer.model_copy(update={"timings_ms": timings})

    def stream(
        self, question: str, history: Sequence[Turn | dict[str, str]] = (), top_k: int | None = None
    ) -> Iterator[str | Answer]:
        """Yield the answer text in pieces, then the complete, checked ``Answer``.

        The extractive answer exists whole once retrieval is done, so it is sent a
        word at a time; clients render every front door the same way.
        """
        answer = self.ask(question, history, top_k)
        yield from re.findall(r"\S+\s*", answer.answer)
        yield answer

    def _validate(self, question: str) -> str:
        question = " ".join(question.split())
        if not question:
            raise InvalidQuestionError("The question is empty: ask something about your documents.")
        if len(question) > self.max_question_chars:
            raise InvalidQuestionError(
                f"The question is {len(question)} characters long; the limit is {self.max_question_chars}. "
                "Shorten it, or raise ASSISTANT_MAX_QUESTION_CHARS."
            )
        return question

    def close(self) -> None:
        self.store.close()


def open_store(settings: Settings) -> ChromaStore:
    """The embedded index under the data folder, or the configured Chroma server."""
    if settings.chroma_url:
        return ChromaStore.remote(settings.chroma_url, settings.collection)
    return ChromaStore.embedded(settings.index_dir, settings.collection)


def build_assistant(settings: Settings, embedder: SentenceTransformerEmbedder | None = None) -> Assistant:
    """Wire the whole answering graph from settings; the CLI, API and UI all use this.

    Pass ``embedder`` to share an already loaded model (tests, several stores).
    """
    store = open_store(settings)
    embedder = embedder or SentenceTransformerEmbedder(batch_size=settings.embed_batch_size)
    return Assistant(
        store=store,
        embedder=embedder,
        retriever=Retriever(store, embedder, top_k=settings.top_k),
        answerer=ExtractiveAnswerer(settings.answer_sentences, settings.min_relevance, mentions=store.mentions),
        max_question_chars=settings.max_question_chars,
        max_history_turns=settings.max_history_turns,
    )
