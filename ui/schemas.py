"""The API's request and response bodies (what /docs shows)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from assistant.answer import Answer
from assistant.conversation import Turn
from assistant.filters import MAX_GLOBS, SourceFilter

from .text_input import UnicodeChecked


class AskRequest(UnicodeChecked):
    question: str = Field(description="What to ask about the indexed documents.")
    history: list[Turn] = Field([], description="Earlier turns of the conversation, oldest first.")
    top_k: int | None = Field(None, ge=1, le=50, description="Passages an answer cites at most.")
    collection: str = Field("default", description="The collection to answer from (GET /v1/collections).")
    sources: list[str] | None = Field(None, max_length=MAX_GLOBS, description="Answer only from documents whose "
                                      "source matches one of these globs, e.g. handbook/*.md.")  # fmt: skip
    types: list[str] | None = Field(None, max_length=10, description="Answer only from documents of these file "
                                    "types: txt, md, html, pdf, docx.")  # fmt: skip
    conversation_id: str | None = Field(
        None,
        description='Save the turn: "new" starts a saved conversation, an id continues one (its saved turns are '
        "the history, so send no history). Left out, nothing is saved.",
    )

    def only(self) -> SourceFilter | None:
        """The filter the request asks for (``InvalidFilterError`` for a bad glob or type)."""
        return SourceFilter.of(self.sources, self.types)


class AskResponse(Answer):
    """The answer; with a saved turn, where it was saved (both left out otherwise)."""

    conversation_id: str | None = Field(None, description="The saved conversation this turn was added to.")
    turn: int | None = Field(None, description="The turn's number in it, from 0 (POST /v1/feedback names it).")


class ConversationOut(BaseModel):
    id: str
    object: str = "conversation"
    collection: str = Field(description="The collection its answers come from.")
    title: str
    created: float = Field(description="Unix time of its first turn.")
    updated: float = Field(description="Unix time of its last turn or rename.")
    turns: int = Field(description="How many turns it holds.")


class ConversationList(BaseModel):
    object: str = "list"
    data: list[ConversationOut] = Field(description="The key's conversations, the most recently used first.")


class FeedbackOut(BaseModel):
    rating: Literal["up", "down"]
    comment: str | None
    rated: float = Field(description="Unix time of the rating.")


class TurnOut(BaseModel):
    turn: int = Field(description="Its number in the conversation, from 0.")
    question: str
    answer: Answer
    created: float
    feedback: FeedbackOut | None


class ConversationDetail(ConversationOut):
    turns: list[TurnOut]  # type: ignore[assignment]


class ConversationRename(UnicodeChecked):
    title: str = Field(min_length=1, max_length=200, description="The new title (spaces around it are dropped).")

    @field_validator("title", mode="before")
    @classmethod
    def _strip(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value


# Past any conversation's length, and within what SQLite's integers hold (2**63 - 1).
MAX_TURN = 1_000_000


class FeedbackRequest(UnicodeChecked):
    conversation_id: str = Field(description="A saved conversation of this key's (see conversation_id on /v1/ask).")
    turn: int = Field(ge=0, le=MAX_TURN, description="The turn's number, from 0, as /v1/ask answered it.")
    rating: Literal["up", "down"]
    comment: str | None = Field(None, max_length=2000, description="What was right or wrong with the answer.")


class FeedbackSaved(BaseModel):
    object: str = "feedback"
    conversation_id: str
    turn: int
    rating: Literal["up", "down"]
    comment: str | None


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
