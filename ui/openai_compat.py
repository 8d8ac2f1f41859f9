"""The OpenAI chat-completions wire format, mapped onto the assistant's answers.

Earlier messages are the conversation and the last user message is the question.
The reply text keeps its ``[n]`` markers and ends with a short "Sources" list, so
clients that ignore unknown fields still show where the answer came from; the
structured citations ride along in a top-level ``citations`` array (in the final
chunk when streaming).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from assistant.answer import Answer
from assistant.conversation import Turn
from vectorstore.errors import InvalidQuestionError

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


class ChatCompletionRequest(UnicodeChecked):
    model: str = MODEL_NAME
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    top_k: int | None = Field(None, ge=1, le=50, description="Passages to retrieve (an extension).")
    # Accepted for compatibility with OpenAI clients; the extractive answerer has no use for them.
    temperature: float | None = None
    max_tokens: int | None = None
    max_completion_tokens: int | None = None
    user: str | None = None

    model_config = ConfigDict(extra="allow")


def question_and_history(request: ChatCompletionRequest, max_turns: int) -> tuple[str, list[Turn]]:
    """Split messages into the question (the last user message) and earlier turns."""
    last = request.messages[-1]
    if last.role != "user":
        raise InvalidQuestionError("The last message must come from the user: it is the question to answer.")
    turns = [Turn(role=m.role, content=m.text()) for m in request.messages[:-1] if m.role in ("user", "assistant")]
    # Clients resend the whole conversation; only its recent part matters.
    return last.text(), turns[-max_turns:] if max_turns else []


def sources_text(answer: Answer) -> str:
    if not answer.citations:
        return ""
    lines = [f"[{c.id}] {c.source} (chars {c.start}-{c.end})" for c in answer.citations]
    return "\n\nSources:\n" + "\n".join(lines)


def _envelope(kind: str, completion_id: str, created: int, model: str) -> dict[str, Any]:
    return {"id": completion_id, "object": kind, "created": created, "model": model}


def _new_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex[:24]}"


def completion(answer: Answer, model: str, prompt: str) -> dict[str, Any]:
    content = answer.answer + sources_text(answer)
    body = _envelope("chat.completion", _new_id(), int(time.time()), model)
    body["choices"] = [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}]
    prompt_tokens, completion_tokens = len(prompt.split()), len(content.split())
    body["usage"] = {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }
    body.update(_extensions(answer))
    return body


def _extensions(answer: Answer) -> dict[str, Any]:
    """Fields beyond OpenAI's: clients that know them get structure, others ignore them."""
    return {
        "citations": [c.model_dump() for c in answer.citations],
        "abstained": answer.abstained,
        "mode": answer.mode,
        "warning": answer.warning,
        "unsupported": [s.model_dump() for s in answer.unsupported],
    }


def stream_events(pieces: Iterator[str | Answer], model: str) -> Iterator[str]:
    """Server-sent events: a role chunk, content chunks, a final chunk with citations, [DONE]."""
    completion_id, created = _new_id(), int(time.time())

    def event(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        chunk = _envelope("chat.completion.chunk", completion_id, created, model)
        chunk["choices"] = [{"index": 0, "delta": delta, "finish_reason": finish}]
        chunk.update(extra)
        return f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"

    yield event({"role": "assistant", "content": ""})
    for piece in pieces:
        if isinstance(piece, Answer):
            tail = sources_text(piece)
            if tail:
                yield event({"content": tail})
            yield event({}, "stop", **_extensions(piece))
        else:
            yield event({"content": piece})
    yield "data: [DONE]\n\n"


def models_list() -> dict[str, Any]:
    return {"object": "list", "data": [{"id": MODEL_NAME, "object": "model", "created": 0, "owned_by": "local"}]}
