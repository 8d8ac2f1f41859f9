"""The OpenAI chat-completions wire format, mapped onto the assistant's answers.

Earlier messages are the conversation and the last user message is the question.
The reply text keeps its ``[n]`` markers and ends with a short "Sources" list, so
clients that ignore unknown fields still show where the answer came from; the
structured citations ride along in a top-level ``citations`` array (in the final
chunk when streaming). The model name chooses the collection: ``grounded-assistant``
answers from ``default``, ``grounded-assistant:hr-handbook`` from ``hr-handbook``.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from assistant.answer import Answer, Citation
from assistant.collections import DEFAULT
from assistant.conversation import Turn
from assistant.filters import MAX_GLOBS, SourceFilter
from core.errors import InvalidQuestionError

from .errors import ApiError
from .openai_reply import NO_LIMITS, Limits, count_tokens, shape, sources_text, split_sentences
from .text_input import UnicodeChecked

MODEL_NAME = "grounded-assistant"
# A user or assistant message becomes a `Turn`: it is held to the same limit.
TURN_CHARS = next(m.max_length for m in Turn.model_fields["content"].metadata if hasattr(m, "max_length"))


class ContentPart(BaseModel):
    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ContentPart] | None = None

    @field_validator("content")
    @classmethod
    def _turn_sized(cls, content: str | list[ContentPart] | None, info: ValidationInfo) -> Any:
        # Every turn is checked, also those older than the history window, so a
        # conversation is refused or answered whole, the same at every door.
        if info.data.get("role") in ("user", "assistant") and len(_text(content)) > TURN_CHARS:
            raise PydanticCustomError("string_too_long", "String should have at most {max_length} characters",
                                      {"max_length": TURN_CHARS})  # fmt: skip
        return content

    def text(self) -> str:
        return _text(self.content)


def _text(content: str | list[ContentPart] | None) -> str:
    if isinstance(content, list):
        return "".join(part.text or "" for part in content if part.type == "text")
    return content or ""


class StreamOptions(BaseModel):
    include_usage: bool | None = False


# Messages one chat completion may carry: a long conversation resent whole, twice over. Only
# the latest turns are read, but each message is parsed first: 400,000 cost 7.7 s of CPU.
MAX_MESSAGES = 2000


class ChatCompletionRequest(UnicodeChecked):
    model: str = MODEL_NAME
    messages: list[ChatMessage] = Field(
        min_length=1, max_length=MAX_MESSAGES, description=f"At most {MAX_MESSAGES}; only the latest turns are read."
    )
    stream: bool | None = False
    stream_options: StreamOptions | None = None
    top_k: int | None = Field(None, ge=1, le=50, description="Passages an answer cites at most (an extension).")
    sources: list[str] | None = Field(None, max_length=MAX_GLOBS, description="Answer only from documents whose "
                                      "source matches one of these globs (an extension).")  # fmt: skip
    types: list[str] | None = Field(None, max_length=10, description="Answer only from documents of these file "
                                    "types: txt, md, html, pdf, docx (an extension).")  # fmt: skip
    max_tokens: int | None = Field(None, ge=1, description="Whole sentences only; tokens are counted as words.")
    max_completion_tokens: int | None = Field(None, ge=1, description="The newer name of max_tokens.")
    stop: str | list[str] | None = Field(None, description="The reply ends before the first of these.")
    # Checked by `check_request`: only the values that change nothing are accepted.
    n: int | None = None
    tools: list[dict[str, Any]] | None = None
    tool_choice: str | dict[str, Any] | None = None
    functions: list[dict[str, Any]] | None = None
    function_call: str | dict[str, Any] | None = None
    response_format: dict[str, Any] | None = None
    # Accepted for compatibility with OpenAI clients; the extractive answerer has no use for them.
    temperature: float | None = None
    user: str | None = None

    model_config = ConfigDict(extra="allow")

    def only(self) -> SourceFilter | None:
        """The filter the ``sources`` and ``types`` extensions ask for."""
        return SourceFilter.of(self.sources, self.types)

    def limits(self) -> Limits:
        stop = [self.stop] if isinstance(self.stop, str) else self.stop or []
        return Limits(self.max_completion_tokens or self.max_tokens, tuple(s for s in stop if s))


_NO_TOOLS = "tool calls are not supported; this server answers from its documents, with citations."


def check_request(request: ChatCompletionRequest) -> None:
    """Refuse, naming the parameter, what this server cannot honour (rather than ignore it).
    The model is checked apart: it names a collection (``collection_of``)."""
    refusals = [
        ("n", request.n not in (None, 1), "only n=1 is supported; this server writes one grounded answer per request."),
        # Tools an agent framework sends with every request are no harm where it says not to
        # call them ("none").
        ("tools", bool(request.tools) and request.tool_choice != "none", _NO_TOOLS),
        ("tool_choice", request.tool_choice not in (None, "none"), _NO_TOOLS),
        ("functions", bool(request.functions) and request.function_call != "none", _NO_TOOLS),
        ("function_call", request.function_call not in (None, "none"), _NO_TOOLS),
        ("response_format", (request.response_format or {"type": "text"}).get("type") != "text",
         'only {"type": "text"} is supported; answers are cited prose, not JSON.'),
    ]  # fmt: skip
    for param, refused, why in refusals:
        if refused:
            raise ApiError(400, "unsupported_parameter", f"{param}: {why}", param=param)


def question_and_history(request: ChatCompletionRequest, max_turns: int) -> tuple[str, list[Turn]]:
    """Split messages into the question (the last user message) and earlier turns."""
    last = request.messages[-1]
    if last.role != "user":
        raise InvalidQuestionError("The last message must come from the user: it is the question to answer.")
    others = {part.type for part in last.content if part.type != "text"} if isinstance(last.content, list) else set()
    if others and not last.text().strip():
        # Parts of another type only ("image_url"): not an empty question, one this server cannot read.
        kinds = ", ".join(sorted(others))
        raise InvalidQuestionError(f"The last user message holds no text, only {kinds} parts; this server reads "
                                   "text: ask the question in words.")  # fmt: skip
    turns = [Turn(role=m.role, content=m.text()) for m in request.messages[:-1] if m.role in ("user", "assistant")]
    # Clients resend the whole conversation; only its recent part matters.
    return last.text(), turns[-max_turns:] if max_turns else []


def _envelope(kind: str, completion_id: str, created: int, model: str) -> dict[str, Any]:
    return {"id": completion_id, "object": kind, "created": created, "model": model}


def _new_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex[:24]}"


def _usage(prompt: str, content: str) -> dict[str, int]:
    prompt_tokens, completion_tokens = count_tokens(prompt), count_tokens(content)
    return {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens}  # fmt: skip


def completion(answer: Answer, model: str, prompt: str, limits: Limits = NO_LIMITS) -> dict[str, Any]:
    reply = shape(answer, limits)
    body = _envelope("chat.completion", _new_id(), int(time.time()), model)
    body["choices"] = [{"index": 0, "message": {"role": "assistant", "content": reply.content},
                        "finish_reason": reply.finish_reason}]  # fmt: skip
    body["usage"] = _usage(prompt, reply.content)
    body.update(_extensions(answer, reply.citations))
    return body


def _extensions(answer: Answer, citations: list[Citation]) -> dict[str, Any]:
    """Fields beyond OpenAI's: clients that know them get structure, others ignore them."""
    return {
        "citations": [c.model_dump() for c in citations],
        "abstained": answer.abstained,
        "mode": answer.mode,
        # What was searched: a follow-up's standalone rewrite, as the chat page shows it.
        "query": answer.query,
        "warning": answer.warning,
        "unsupported": [s.model_dump() for s in answer.unsupported],
    }


def stream_events(pieces: Iterator[str | Answer], model: str, prompt: str, limits: Limits = NO_LIMITS,
                  include_usage: bool = False) -> Iterator[str]:  # fmt: skip
    """Server-sent events: a role chunk, content chunks, a final chunk with citations,
    a usage chunk when asked for, [DONE].

    With ``max_tokens`` or ``stop`` the whole answer is made before the first
    sentence is sent, since the cut depends on all of it.
    """
    completion_id, created = _new_id(), int(time.time())

    def event(delta: dict[str, Any] | None, finish: str | None = None, **extra: Any) -> str:
        chunk = _envelope("chat.completion.chunk", completion_id, created, model)
        chunk["choices"] = [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": finish}]
        if include_usage:
            chunk["usage"] = None
        chunk.update(extra)
        return f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"

    finish = "stop"
    if limits.active:
        answer = next(p for p in pieces if isinstance(p, Answer))
        reply = shape(answer, limits)
        finish = reply.finish_reason
        pieces = iter([*split_sentences(reply.content), answer.model_copy(update={"citations": reply.citations})])
    yield event({"role": "assistant", "content": ""})
    sent = ""
    for piece in pieces:
        if isinstance(piece, Answer):
            tail = "" if limits.active else sources_text(piece.citations)
            if tail:
                sent += tail
                yield event({"content": tail})
            yield event({}, finish, **_extensions(piece, piece.citations))
        else:
            sent += piece
            yield event({"content": piece})
    if include_usage:
        yield event(None, usage=_usage(prompt, sent))
    yield "data: [DONE]\n\n"


def _model(name: str) -> dict[str, Any]:
    return {"id": name, "object": "model", "created": 0, "owned_by": "local"}


def model_name(collection: str) -> str:
    """The model that answers from ``collection``: ``grounded-assistant`` for ``default``,
    ``grounded-assistant:NAME`` for the others."""
    return MODEL_NAME if collection == DEFAULT else f"{MODEL_NAME}:{collection}"


def collection_of(model: str) -> str | None:
    """The collection a model name answers from (``None``: not one of this server's names)."""
    if model == MODEL_NAME:
        return DEFAULT
    prefix, _, name = model.partition(":")
    return name if prefix == MODEL_NAME and name and name != DEFAULT else None


def models_list(collections: list[str]) -> dict[str, Any]:
    """One model per collection in ``collections`` (those the caller may read)."""
    return {"object": "list", "data": [_model(model_name(name)) for name in collections]}


def model_not_found(name: str) -> ApiError:
    """The same 404 for a name that answers from no collection and one the key may not read."""
    return ApiError(404, "model_not_found", f"The model {name!r} does not exist; GET /v1/models lists the models "
                    "this server offers.", param="model")  # fmt: skip


def model_object(name: str) -> dict[str, Any]:
    return _model(name)
