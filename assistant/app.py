"""The composition root: the whole application built from settings, in one place.

The CLI, the API, the chat page, the scripts in ``bench/``, ``eval/`` and
``reliability/`` and the tests all build through ``build_application``, so every
door answers the same way and sees the same documents.

    >>> app = build_application(Settings())
    >>> app.documents.ingest([Path("data/corpus")]).ok
    True
    >>> app.assistant.ask("Who is India's ambassador to the U.S.?").abstained
    False
    >>> app.collections.get("hr-handbook").assistant.ask("How many leave days?").abstained
    False
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.chunking import Chunker
from ingest.pipeline import Ingestor
from vectorstore.backends import open_embedder
from vectorstore.chroma import ChromaStore
from vectorstore.embeddings import Embedder, RecentQueries, TokenCounter

from .collections import DEFAULT, Collections, chroma_names, collection_folder
from .documents import Documents
from .extractive import ExtractiveAnswerer
from .following import FollowingPassages
from .grounding import GroundingChecker
from .keyword import KeywordIndex
from .retrieval import EMPTY, Retriever
from .service import Assistant
from .settings import Settings
from .synonyms import Synonyms
from .word_vectors import WordVectors

if TYPE_CHECKING:
    from .llm import ChatModel

log = logging.getLogger(__name__)


@dataclass
class Application:
    """What the doors use for one collection: the settings, the assistant that answers,
    and the documents it answers from (ingest, uploads, deletes under one write lock).
    ``collections`` reaches the other collections of the same folder or server."""

    settings: Settings
    assistant: Assistant
    documents: Documents
    collection: str = DEFAULT
    collections: Collections | None = field(default=None, repr=False)

    def index_changed(self) -> None:
        """Documents changed outside ``documents`` (a start-up reconciliation): answers see it."""
        self.assistant.index_changed()

    def close(self) -> None:
        """Release the index: this collection's and, through the registry, all of them."""
        if self.collections is not None:
            self.collections.close()
        else:
            self.assistant.close()


def open_store(settings: Settings) -> ChromaStore:
    """The embedded index under the data folder, or the configured Chroma server."""
    if settings.chroma_url:
        return ChromaStore.remote(settings.chroma_url, settings.collection)
    return ChromaStore.embedded(settings.index_dir, settings.collection)


def keyword_cache(settings: Settings, collection: str = DEFAULT) -> Path:
    """Where a collection's keyword index is saved between processes: beside the embedded
    index, or per Chroma server and collection in the user's cache."""
    if not settings.chroma_url:
        if collection == DEFAULT:
            return settings.data_dir / "keywords"
        return collection_folder(settings, collection) / "keywords"
    chroma = chroma_names(settings, collection)[0]
    server = hashlib.sha256(f"{settings.chroma_url}\x00{chroma}".encode()).hexdigest()[:16]
    return settings.model_cache_dir / "keywords" / server


def upload_folder(settings: Settings, collection: str = DEFAULT) -> Path:
    """Where files uploaded to a collection are kept."""
    return settings.upload_dir if collection == DEFAULT else collection_folder(settings, collection) / "uploads"


def _check_embedder(store: ChromaStore, embedder: Embedder) -> None:
    recorded = store.embedding_model()
    if recorded is not None and recorded != embedder.name:
        # Vectors agree closely across the backends (cosine > 0.98), so answers still
        # work; re-embedding makes questions and passages come from one model again.
        log.warning(
            "the index was embedded with %s but questions are embedded with %s; run `assistant ingest` "
            "to re-embed it, or set ASSISTANT_EMBEDDING_BACKEND to match",
            recorded, embedder.name,
        )  # fmt: skip


def _llm(settings: Settings) -> ChatModel | None:
    if not settings.llm_base_url:
        return None
    # Imported only when a model is configured: LangChain's modules are most of what an
    # extractive `assistant ask` would otherwise spend starting up.
    from .llm import ChatModel

    return ChatModel(
        settings.llm_base_url,
        settings.llm_model,
        api_key=settings.llm_api_key,
        timeout_s=settings.llm_timeout_s,
        temperature=settings.llm_temperature,
        max_tokens=settings.llm_max_tokens,
    )


@dataclass(frozen=True)
class _Shared:
    """What every collection's graph shares: the model and its tables, loaded once."""

    embedder: Embedder
    vectors: WordVectors
    synonyms: Synonyms
    pieces: Callable[[str], int]
    counter: TokenCounter


def build_application(settings: Settings, embedder: Embedder | None = None) -> Application:
    """Wire the whole graph from settings: store, embedder, keyword index, retriever,
    answerers, LLM client and document management, for the ``default`` collection; its
    ``collections`` builds the others on first use, sharing the model.

    Pass ``embedder`` to share an already loaded model (tests, several stores).
    """
    root = open_store(settings)
    try:
        embedder = embedder or open_embedder(
            settings.embedding_backend, settings.model_cache_dir, settings.embed_batch_size
        )
        if not isinstance(embedder, RecentQueries):  # one memory of questions per model
            embedder = RecentQueries(embedder)
        counter = TokenCounter(embedder.model_path)
        # Word pieces a word is cut into, without [CLS] and [SEP].
        shared = _Shared(
            embedder,
            WordVectors(cache_dir=settings.model_cache_dir, counter=counter),
            Synonyms(),
            lambda word: counter.count(word) - 2,
            counter,
        )
    except BaseException:
        root.close()
        raise

    def build(name: str, store: ChromaStore) -> Application:
        return _assemble(settings, name, store, shared, collections)

    collections = Collections(settings, root, build)
    return collections.default


def _assemble(settings: Settings, name: str, store: ChromaStore, shared: _Shared,
              collections: Collections) -> Application:  # fmt: skip
    """One collection's graph over its ``store``."""
    embedder = shared.embedder
    _check_embedder(store, embedder)
    keywords = KeywordIndex(store, keyword_cache(settings, name)) if settings.retrieval == "hybrid" else None
    empty = EMPTY if name == DEFAULT else (f"The collection {name!r} is empty: run `assistant ingest PATH "
                                           f"--collection {name}` or upload documents to it first.")  # fmt: skip
    retriever = Retriever(store, embedder, settings.top_k, settings.retrieval, keywords, empty_message=empty)
    # The keyword index answers "does any passage mention this name?" from memory; the
    # store's own check reads every passage (100-200 ms a question at 100k chunks).
    answerer = ExtractiveAnswerer(
        settings.answer_sentences,
        settings.min_relevance,
        mentions=keywords.mentions if keywords is not None else store.mentions,
        pieces=shared.pieces,
        vectors=shared.vectors,
        meaning=embedder.embed,
        following=FollowingPassages(store, keywords.version) if keywords is not None else store.chunks_after,
        synonyms=shared.synonyms,
    )
    assistant = Assistant(
        store=store,
        embedder=embedder,
        retriever=retriever,
        answerer=answerer,
        checker=GroundingChecker(embedder),
        llm=_llm(settings),
        drop_unsupported=settings.unsupported_sentences == "drop",
        max_question_chars=settings.max_question_chars,
        max_history_turns=settings.max_history_turns,
        candidate_pool=settings.candidate_pool,
    )
    chunker = Chunker(shared.counter, target_tokens=settings.chunk_tokens, embed_headings=settings.embed_headings)
    documents = Documents(settings, store, Ingestor(store, embedder, chunker), assistant.index_changed,
                          upload_folder(settings, name))  # fmt: skip
    return Application(settings, assistant, documents, name, collections)
