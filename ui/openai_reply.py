"""The reply text of a chat completion, cut the way the client asked.

The text is the answer with its ``[n]`` markers, then a "Sources" list of the
passages it cites. ``max_tokens`` keeps whole sentences only: the longest run of
leading sentences whose reply (sources included) fits, and ``finish_reason`` is
``"length"`` when one was left out. ``stop`` ends the reply before the first stop
sequence it contains. Tokens are counted as words, as in ``usage``. Citations the
kept text no longer cites are dropped.

    >>> shape(answer, Limits(max_tokens=12)).finish_reason
    'length'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer import Answer, Citation

# A sentence ends with its [n] markers (and the stop after them), as answers are
# written; leading whitespace stays with the sentence, so the parts join back exactly.
_SENTENCE = re.compile(r"\s*.+?(?:\[\d+\])+(?:[.!?](?=\s|$)|(?=\s*$))|\s*.+", re.S)


@dataclass(frozen=True)
class Limits:
    max_tokens: int | None = None
    stop: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return self.max_tokens is not None or bool(self.stop)


NO_LIMITS = Limits()


@dataclass(frozen=True)
class Shaped:
    content: str
    citations: list[Citation]
    finish_reason: str


def count_tokens(text: str) -> int:
    return len(text.split())


def sources_text(citations: list[Citation]) -> str:
    if not citations:
        return ""
    lines = [f"[{c.id}] {c.source} (chars {c.start}-{c.end})" for c in citations]
    return "\n\nSources:\n" + "\n".join(lines)


def split_sentences(text: str) -> list[str]:
    """``text`` in sentences (the last piece takes whatever follows the last marker)."""
    return [match.group() for match in _SENTENCE.finditer(text)]


def _cited(citations: list[Citation], text: str) -> list[Citation]:
    return [c for c in citations if f"[{c.id}]" in text]


def shape(answer: Answer, limits: Limits = NO_LIMITS) -> Shaped:
    sentences = split_sentences(answer.answer)

    def reply(kept: int) -> tuple[str, list[Citation]]:
        text = answer.answer if kept == len(sentences) else "".join(sentences[:kept]).rstrip()
        cited = _cited(answer.citations, text)
        return text + sources_text(cited), cited

    kept = len(sentences)
    content, cited = reply(kept)
    while limits.max_tokens is not None and kept > 0 and count_tokens(content) > limits.max_tokens:
        kept -= 1
        content, cited = reply(kept)
    finish = "length" if kept < len(sentences) else "stop"
    found = [i for i in (content.find(s) for s in limits.stop if s) if i >= 0]
    if found:
        content = content[: min(found)]
        cited, finish = _cited(cited, content), "stop"
    return Shaped(content, cited, finish)
