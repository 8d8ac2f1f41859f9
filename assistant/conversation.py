"""Conversation turns, and the retrieval query for a follow-up question.

Without a language model there is no rewriting, but a follow-up such as "Which
senators did he meet?" still has to find the passage about Kwatra. When a question
leans on earlier turns (a pronoun, "that", "there", or too few words of its own),
the query adds the previous question and the start of the previous answer.

    >>> turns = [Turn(role="user", content="Who is India's ambassador to the U.S.?"),
    ...          Turn(role="assistant", content="Vinay Mohan Kwatra [1].")]
    >>> follow_up_context("Which senators did he meet?", turns)
    "Who is India's ambassador to the U.S.? Vinay Mohan Kwatra."
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from vectorstore.text import content_terms, words

from .answer import MARKER

_ANAPHORA = frozenset(
    """he she they him her them his hers their theirs it its this that these those there
    then such former latter same other another else more one ones""".split()
)
_OPENERS = ("and ", "also ", "what about", "how about", "why ", "why?", "how so", "and?", "anything else")
# Enough of the previous answer to carry its subject, not its whole text.
_ANSWER_CONTEXT_CHARS = 300


class Turn(BaseModel):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=20_000)


def is_follow_up(question: str) -> bool:
    lowered = question.strip().lower()
    if lowered.startswith(_OPENERS):
        return True
    tokens = words(lowered)
    return any(t in _ANAPHORA for t in tokens) or len(content_terms(question)) <= 1


def follow_up_context(question: str, history: list[Turn]) -> str:
    """Text from earlier turns that a follow-up depends on ("" when it stands alone)."""
    if not history or not is_follow_up(question):
        return ""
    last_user = next((t.content for t in reversed(history) if t.role == "user"), "")
    last_answer = next((t.content for t in reversed(history) if t.role == "assistant"), "")
    last_answer = _strip_sources(MARKER.sub("", last_answer))[:_ANSWER_CONTEXT_CHARS]
    return " ".join(part.strip() for part in (last_user, last_answer) if part.strip())


def _strip_sources(text: str) -> str:
    """Drop a trailing "Sources:" list and tidy what marker removal left behind."""
    text = re.split(r"\n+\**sources\**:?\s*\n", text, flags=re.IGNORECASE)[0]
    return re.sub(r"\s+([.,;:!?])", r"\1", " ".join(text.split()))
