"""The assistant: one object that answers questions, shared by every front door.

>>> assistant = build_assistant(Settings())
>>> assistant.ask("Who is India's ambassador to the U.S.?").answer
'Recently, India’s Ambassador to the U.S., Vinay Mohan Kwatra, held meetings ... [1].'
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from core.errors import InvalidQuestionError, LLMUnavailableError
from core.records import Hit
from vectorstore.backends import open_embedder
from vectorstore.chroma import ChromaStore
from vectorstore.embeddings import Embedder, TokenCounter

from .answer import Answer, check_citations
from .conversation import Standalone, Turn, standalone
from .evidence import CONTEXT_SHARE, OPEN_CONTEXT_SHARE
from .extractive import ExtractiveAnswerer
from .grounding import CitationVerifier, GroundingChecker
from .llm import ChatModel
from .retrieval import Retriever
from .settings import Settings
from .word_vectors import WordVectors

log = logging.getLogger(__name__)


class _Clock:
    """Milliseconds per stage of one answer."""

    def __init__(self) -> None:
        self.started = self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round((now - self.last) * 1000, 2)
        self.last = now

    def done(self) -> dict[str, float]:
        return {**self.laps, "total": round((time.perf_counter() - self.started) * 1000, 2)}


def _context_share(asked: Standalone) -> float:
    """Earlier words count more when the follow-up left a reference open for them to fill."""
    return CONTEXT_SHARE if asked.resolved else OPEN_CONTEXT_SHARE


def _in_pieces(answer: Answer) -> Iterator[str | Answer]:
    """The extractive answer one cited sentence at a time, then the answer object.

    It exists whole already; sentence-sized pieces stream it without paying a
    server-sent event (and a thread hop) per word.
    """
    pieces = re.findall(r".+?(?:\[\d+\](?:\[\d+\])*[.!?]?\s*|$)", answer.answer, flags=re.S)
    yield from (piece for piece in pieces if piece)
    yield answer


class Assistant:
    def __init__(
        self,
        store: ChromaStore,
        embedder: Embedder,
        retriever: Retriever,
        answerer: ExtractiveAnswerer,
        llm: ChatModel | None = None,
        drop_unsupported: bool = False,
        max_question_chars: int = 2000,
        max_history_turns: int = 20,
    ):
        self.store = store
        self.embedder = embedder
        self.retriever = retriever
        self.answerer = answerer
        self.llm = llm
        self.checker = GroundingChecker(embedder)
        self.drop_unsupported = drop_unsupported
        self.max_question_chars = max_question_chars
        self.max_history_turns = max_history_turns

    def passages(
        self, question: str, k: int, history: Sequence[Turn | dict[str, str]] = (), top_k: int | None = None
    ) -> list[Hit]:
        """The ``k`` passages the extractive answerer reads for ``question``, best first:
        the same pool ``ask`` draws from, re-ranked by each passage's best sentence."""
        asked = standalone(self._validate(question), self._turns(history))
        return self.answerer.rerank(asked.focus, self._pool(asked, top_k), asked.context, _context_share(asked))[:k]

    def _turns(self, history: Sequence[Turn | dict[str, str]]) -> list[Turn]:
        turns = [t if isinstance(t, Turn) else Turn.model_validate(t) for t in history]
        return turns[-self.max_history_turns :] if self.max_history_turns else []

    def _pool(self, asked: Standalone, top_k: int | None) -> list[Hit]:
        # A wider pool than top_k: the answerer picks sentences, and cites only those.
        return self.retriever.retrieve(asked.query, (top_k or self.retriever.top_k) * 3)

    def warm_up(self) -> None:
        """Load the model and build the keyword index before the first question."""
        self.embedder.warm_up()
        if self.answerer.vectors is not None:
            self.answerer.vectors.warm_up()
        if self.retriever.mode == "hybrid":
            self.retriever.keywords.warm_up()

    def ask(self, question: str, history: Sequence[Turn | dict[str, str]] = (), top_k: int | None = None) -> Answer:
        """Answer ``question``, in the conversation ``history`` (oldest turn first)."""
        final = None
        for piece in self.stream(question, history, top_k):
            if isinstance(piece, Answer):
                final = piece
        assert final is not None  # stream() always ends with the answer
        return final

    def stream(
        self, question: str, history: Sequence[Turn | dict[str, str]] = (), top_k: int | None = None
    ) -> Iterator[str | Answer]:
        """Yield the answer text in pieces, then the complete, checked ``Answer``.

        The pieces always add up to ``Answer.answer``. Both answerers send a sentence
        at a time: the extractive answer as soon as it exists, a language model's as
        each sentence arrives and passes its checks.
        """
        clock = _Clock()
        question = self._validate(question)
        turns = self._turns(history)
        if self.llm is None:
            yield from _in_pieces(self._extractive(question, turns, top_k, clock))
        else:
            yield from self._generated(self.llm, question, turns, top_k, clock)

    def _extractive(
        self, question: str, turns: list[Turn], top_k: int | None, clock: _Clock, warning: str | None = None
    ) -> Answer:
        asked = standalone(question, turns)
        hits = self._pool(asked, top_k)
        clock.lap("retrieve")
        # A reference left open ("How did India describe them?") most likely points into
        # the last answer, so its sentences are not held back as repeats.
        said = [t.content for t in turns if t.role == "assistant"] if asked.resolved else []
        answer = check_citations(self.answerer.answer(asked.focus, hits, asked.context, said, _context_share(asked)))
        clock.lap("generate")
        mode = "extractive-fallback" if warning else "extractive"
        return answer.model_copy(
            update={"query": asked.query, "mode": mode, "warning": warning, "timings_ms": clock.done()}
        )

    def _generated(
        self, llm: ChatModel, question: str, turns: list[Turn], top_k: int | None, clock: _Clock
    ) -> Iterator[str | Answer]:
        try:
            query = llm.rewrite(question, turns) if turns else question
        except LLMUnavailableError as err:
            yield from _in_pieces(self._extractive(question, turns, top_k, clock, f"{err} Answered extractively."))
            return
        clock.lap("rewrite")
        hits = self.retriever.retrieve(query, top_k)
        clock.lap("retrieve")
        verifier = CitationVerifier(hits, self.checker, self.drop_unsupported)
        sent, warning = "", None
        if not self.answerer.off_topic(query, hits):  # nothing relevant: no need to ask the model
            try:
                for piece in llm.stream_answer(question, turns, hits):
                    if out := verifier.feed(piece):
                        sent += out
                        yield out
                if out := verifier.finish():
                    sent += out
                    yield out
            except LLMUnavailableError as err:
                if not sent:
                    yield from _in_pieces(
                        self._extractive(question, turns, top_k, clock, f"{err} Answered extractively.")
                    )
                    return
                warning = f"{err} The answer ends where the model stopped."
        answer = check_citations(verifier.answer())
        if not sent:
            yield answer.answer  # the abstention text
        clock.lap("generate")
        yield answer.model_copy(update={"query": query, "warning": warning, "timings_ms": clock.done()})

    def _validate(self, question: str) -> str:
        question = " ".join(question.split())
        if not question:
            raise InvalidQuestionError("The question is empty: ask something about your documents.")
        if re.search("[\ud800-\udfff]", question):
            # Valid JSON can carry one ("\ud800"); it is no character and cannot be encoded.
            raise InvalidQuestionError("The question holds an invalid character (a lone surrogate): send UTF-8 text.")
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


def keyword_cache(settings: Settings) -> Path:
    """Where the keyword index is saved between processes: beside the embedded index, or
    per Chroma server and collection in the user's cache."""
    if not settings.chroma_url:
        return settings.data_dir / "keywords"
    server = hashlib.sha256(f"{settings.chroma_url}\x00{settings.collection}".encode()).hexdigest()[:16]
    return settings.model_cache_dir / "keywords" / server


def _word_pieces() -> Callable[[str], int]:
    """How many word pieces the bundled model's tokenizer cuts a word into."""
    counter = TokenCounter()
    return lambda word: counter.count(word) - 2  # without [CLS] and [SEP]


def build_assistant(settings: Settings, embedder: Embedder | None = None) -> Assistant:
    """Wire the whole answering graph from settings; the CLI, API and UI all use this.

    Pass ``embedder`` to share an already loaded model (tests, several stores).
    """
    store = open_store(settings)
    embedder = embedder or open_embedder(
        settings.embedding_backend, settings.model_cache_dir, settings.embed_batch_size
    )
    recorded = store.embedding_model()
    if recorded is not None and recorded != embedder.name:
        # Vectors agree closely across the backends (cosine > 0.98), so answers still
        # work; re-embedding makes questions and passages come from one model again.
        log.warning(
            "the index was embedded with %s but questions are embedded with %s; run `assistant ingest` "
            "to re-embed it, or set ASSISTANT_EMBEDDING_BACKEND to match",
            recorded, embedder.name,
        )  # fmt: skip
    llm = None
    if settings.llm_base_url:
        llm = ChatModel(
            settings.llm_base_url,
            settings.llm_model,
            api_key=settings.llm_api_key,
            timeout_s=settings.llm_timeout_s,
            temperature=settings.llm_temperature,
            max_tokens=settings.llm_max_tokens,
        )
    retriever = Retriever(store, embedder, settings.top_k, settings.retrieval, keyword_cache(settings))
    # The keyword index answers "does any passage mention this name?" from memory; the
    # store's own check reads every passage (100-200 ms a question at 100k chunks).
    mentions = retriever.keywords.mentions if settings.retrieval == "hybrid" else store.mentions
    return Assistant(
        store=store,
        embedder=embedder,
        retriever=retriever,
        answerer=ExtractiveAnswerer(
            settings.answer_sentences,
            settings.min_relevance,
            mentions=mentions,
            pieces=_word_pieces(),
            vectors=WordVectors(),
        ),
        llm=llm,
        drop_unsupported=settings.unsupported_sentences == "drop",
        max_question_chars=settings.max_question_chars,
        max_history_turns=settings.max_history_turns,
    )
