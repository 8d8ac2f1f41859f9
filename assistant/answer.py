"""The answer contract every front door returns, and the check that keeps it honest.

    >>> answer = Answer(answer="Kwatra met Danly [1].", citations=[citation], abstained=False)
    >>> check_citations(answer).citations[0].id
    1

Every ``[n]`` in the text must have a citation with id ``n`` and every citation must
be cited; ``check_citations`` enforces that (dropping dangling markers and uncited
passages, renumbering the rest 1..k in order of first use) before any answer leaves
the core, whichever answerer wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, Field

MARKER = re.compile(r"\[(\d{1,3})\]")

ABSTAIN_TEXT = "I could not find the answer to that in the indexed documents."


class Citation(BaseModel):
    id: int = Field(ge=1, description="The n of the [n] markers that cite this passage.")
    source: str = Field(description="The document, as a path relative to where it was ingested from.")
    title: str
    chunk_id: str
    text: str = Field(description="The passage shown to the user.")
    start: int = Field(ge=0, description="Offset of the passage in the normalised document text.")
    end: int = Field(ge=0)
    score: float = Field(description="Cosine similarity of the passage to the question.")


class Span(BaseModel):
    start: int = Field(ge=0, description="Offset of the sentence in `answer`.")
    end: int = Field(ge=0)
    text: str


class Answer(BaseModel):
    answer: str
    citations: list[Citation] = []
    abstained: bool = False
    mode: Literal["extractive", "llm", "extractive-fallback"] = Field(
        "extractive",
        description="Who wrote the answer: the extractive answerer, the language model, or the extractive "
        "answerer because the language model failed (see `warning`).",
    )
    timings_ms: dict[str, float] = {}
    query: str = Field("", description="What was searched: the question, or its standalone rewrite.")
    unsupported: list[Span] = Field(
        [], description="Sentences whose cited passage does not support them well (LLM answers)."
    )
    warning: str | None = Field(None, description="Why the answer is degraded, when it is.")


def cited_ids(text: str) -> list[int]:
    """Marker numbers in order of first appearance."""
    return list(dict.fromkeys(int(n) for n in MARKER.findall(text)))


# One cited sentence of an answer: its text, its markers, its closing stop and the space after.
_PIECE = re.compile(r".+?(?:\[\d+\](?:\[\d+\])*[.!?]?\s*|$)", re.S)


def cited_pieces(text: str) -> list[str]:
    """``text`` cut after each sentence's markers; the pieces add up to it.

    >>> cited_pieces("Kwatra met Danly [1][2]. Tariffs rose [3].")
    ['Kwatra met Danly [1][2]. ', 'Tariffs rose [3].']
    """
    return [piece for piece in _PIECE.findall(text) if piece]


def marked_sentences(text: str) -> list[tuple[str, list[int]]]:
    """Each sentence that ends in ``[n]`` markers, without them, and the numbers it cites.

    >>> marked_sentences("Kwatra met Danly [1][2]. Tariffs rose [3].")
    [('Kwatra met Danly', [1, 2]), ('Tariffs rose', [3])]
    """
    return [
        (sentence.strip(), [int(n) for n in MARKER.findall(markers)])
        for sentence, markers in re.findall(r"(.+?)\s*((?:\[\d+\])+)[.!?]?\s*", text, flags=re.S)
    ]


_SPACED_MARKER = re.compile(r"([ \t]*)\[(\d{1,3})\]")


def renumbered(text: str, new: Callable[[int], int | None]) -> str:
    """``text`` with each marker ``[n]`` made ``[new(n)]``, or dropped with the space
    before it when ``new(n)`` is None ("Second [7]." -> "Second."). No other space changes:
    a quoted command's "rsync -aHAXSv . /dest" is not "rsync -aHAXSv. /dest".

    >>> renumbered("Kwatra met Danly [3]. Tariffs rose [7].", {3: 1}.get)
    'Kwatra met Danly [1]. Tariffs rose.'
    """

    def replace(match: re.Match[str]) -> str:
        number = new(int(match.group(2)))
        return f"{match.group(1)}[{number}]" if number else ""

    return _SPACED_MARKER.sub(replace, text)


def without_markers(text: str) -> str:
    """``text`` as it reads without its ``[n]`` markers, each gone with the space before it.

    >>> without_markers("Kwatra met Danly [1][2]. Tariffs rose [3].")
    'Kwatra met Danly. Tariffs rose.'
    """
    return " ".join(renumbered(text, lambda _: None).split())


def check_citations(answer: Answer) -> Answer:
    """Return ``answer`` with markers and citations made to agree.

    Markers with no citation are removed, citations no marker points to are dropped,
    and the survivors are renumbered 1..k in order of first use. An answer left with
    no citations at all (and not an abstention) has nothing to stand on: it becomes
    an abstention.
    """
    by_id = {c.id: c for c in answer.citations}
    order = [n for n in cited_ids(answer.answer) if n in by_id]
    renumber = {old: new for new, old in enumerate(order, start=1)}

    text = renumbered(answer.answer, renumber.get).strip()
    citations = [by_id[old].model_copy(update={"id": renumber[old]}) for old in order]
    if not citations and not answer.abstained:
        return answer.model_copy(update={"answer": ABSTAIN_TEXT, "citations": [], "abstained": True})
    if answer.abstained:
        return answer.model_copy(update={"citations": []})
    return answer.model_copy(update={"answer": text, "citations": citations})
