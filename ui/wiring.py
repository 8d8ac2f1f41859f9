"""Build what the front doors need from settings: the assistant and an ingestor on
the same store and model, so a document ingested through one is answered by all."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.service import Assistant, build_assistant
from assistant.settings import Settings
from ingest.chunking import Chunker
from ingest.pipeline import Ingestor
from vectorstore.embeddings import TokenCounter


@dataclass
class Services:
    settings: Settings
    assistant: Assistant
    ingestor: Ingestor

    def close(self) -> None:
        self.assistant.close()


def open_services(settings: Settings) -> Services:
    assistant = build_assistant(settings)
    chunker = Chunker(TokenCounter(assistant.embedder.model_path), target_tokens=settings.chunk_tokens)
    return Services(settings, assistant, Ingestor(assistant.store, assistant.embedder, chunker))
