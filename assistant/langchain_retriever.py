"""The assistant's retrieval as a LangChain retriever, for use in LCEL chains.

    >>> from assistant.langchain_retriever import AssistantRetriever
    >>> docs = AssistantRetriever(retriever=assistant.retriever).invoke("Who met Danly?")
    >>> docs[0].metadata["source"]
    'data/corpus/india-us-cooperation-trade-energy-defence.txt'

Each ``Document`` carries the passage text and the citation fields (source, title,
chunk id, offsets, score), so a chain can cite exactly what the assistant would.
"""

from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from .retrieval import Retriever


class AssistantRetriever(BaseRetriever):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Retriever
    k: int | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [
            Document(
                id=hit.chunk.id,
                page_content=hit.chunk.text,
                metadata={
                    "source": hit.chunk.source,
                    "title": hit.chunk.title,
                    "chunk_id": hit.chunk.id,
                    "headings": list(hit.chunk.headings),
                    "start": hit.chunk.start,
                    "end": hit.chunk.end,
                    "page": hit.chunk.page,
                    "score": hit.score,
                },
            )
            for hit in self.retriever.retrieve(query, self.k)
        ]
