"""The API's request and response bodies (what /docs shows)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from assistant.conversation import Turn

from .text_input import UnicodeChecked


class AskRequest(UnicodeChecked):
    question: str = Field(description="What to ask about the indexed documents.")
    history: list[Turn] = Field([], description="Earlier turns of the conversation, oldest first.")
    top_k: int | None = Field(None, ge=1, le=50, description="Passages an answer cites at most.")
    collection: str = Field("default", description="The collection to answer from (GET /v1/collections).")


class EvalRequest(UnicodeChecked):
    questions: list[dict[str, Any]] = Field(
        min_length=1, max_length=500, description="Question objects, as in a JSONL set (id, question, answer, ...)."
    )
    top_k: int | None = Field(None, ge=1, le=50)
    collection: str = Field("default", description="The collection to score (GET /v1/collections).")


class IngestPathsRequest(UnicodeChecked):
    paths: list[str] = Field(min_length=1, max_length=100, description="Files or folders on the server's own disk.")
    collection: str = Field("default", description="The collection to ingest into; created when missing.")


class CollectionCreate(UnicodeChecked):
    name: str = Field(description="1-32 lowercase letters, digits and hyphens, e.g. hr-handbook.")


class CollectionOut(BaseModel):
    object: str = "collection"
    name: str
    documents: int = Field(description="Documents indexed in the collection.")
    chunks: int = Field(description="Passages they hold.")
    model: str = Field(description="The model name that answers from it in /v1/chat/completions.")


class CollectionList(BaseModel):
    object: str = "list"
    data: list[CollectionOut]


class DocumentOut(BaseModel):
    id: str
    source: str
    title: str
    chunks: int


class DocumentList(BaseModel):
    documents: list[DocumentOut]
    chunks: int


class IngestSummary(BaseModel):
    added: list[str]
    updated: list[str]
    unchanged: list[str]
    removed: list[str]
    failed: list[dict[str, str]]
    chunks: int


class JobProgress(BaseModel):
    files_done: int = Field(description="Files stored so far.")
    files_total: int
    chunks: int = Field(description="Passages the stored files hold.")


class JobError(BaseModel):
    code: str = Field(description="The error code the API uses for it, e.g. invalid_upload.")
    message: str


class JobOut(BaseModel):
    id: str
    object: str = "ingest.job"
    collection: str = Field(description="The collection the upload goes to.")
    status: str = Field(description="queued, running, done or failed.")
    created: float = Field(description="Unix time the upload was accepted.")
    started: float | None
    finished: float | None
    progress: JobProgress
    result: IngestSummary | None = Field(description="When done: what the upload changed.")
    error: JobError | None = Field(description="When failed: why; nothing of the upload was stored.")


class JobList(BaseModel):
    jobs: list[JobOut]
