"""Check a generated answer against its passages, sentence by sentence, as it streams.

A language model's text is not trusted: before a sentence leaves the core,

- links, images and HTML are stripped (a passage cannot smuggle an exfiltration URL
  into the answer through the model);
- ``[n]`` markers that point to no retrieved passage are removed;
- a sentence left with no citation is dropped: it has nothing to stand on, and so is
  one too short to check or one that echoes an instruction planted in a document;
- a sentence whose cited passages do not support it (too few of its words in them
  and too little embedding similarity) is flagged in ``unsupported``, or dropped
  when the policy says so;
- citations are renumbered 1..k in order of first use.

Working sentence by sentence means what is streamed to a client is exactly the
checked text; nothing has to be taken back at the end.

    >>> verifier = CitationVerifier(hits, checker)
    >>> verifier.feed("Kwatra met Danly [2]. He")
    'Kwatra met Danly [1].'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from core.records import Hit
from core.text import content_terms, sentence_spans
from vectorstore.embeddings import Embedder

from .answer import ABSTAIN_TEXT, MARKER, Answer, Citation, Span, renumbered

# Measured on the seed set (eval/support_thresholds.py, docs/QUALITY.md): a sentence
# is supported when enough of its words appear in a cited passage, or when it is close
# enough to that passage in embedding space.
MIN_OVERLAP = 0.55
MIN_COSINE = 0.80

# A generated sentence needs this many content words to be checked against a passage.
MIN_CLAIM_TERMS = 2

_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|<img\b[^>]*>", re.I)
_LINK = re.compile(r"\[([^\]]+)\]\((?:[^)]*)\)")
_URL = re.compile(r"\b(?:https?|ftp)://\S+|\bwww\.\S+", re.I)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_GROUP = re.compile(r"\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})+)\]")
# "…the pact. [1]" reads as "…the pact [1]."
_TRAILING_MARKERS = re.compile(r"([.!?])((?:\s*\[\d{1,3}\])+)")


_INJECTION = re.compile(
    r"\b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|prompts?|passages|context|rules|above)\b"
    r"|\byou are now\b|^\W*(system|assistant|developer)\s*:|\b(developer|jailbreak|god) mode\b"
    r"|\b(reply|answer|respond)\s+(only\s+)?with\b",
    re.I,
)

_INJECTION_WORDS = frozenset(
    "ignore disregard forget override you system assistant developer jailbreak god reply answer respond".split()
)
_LOWER_WORD = re.compile(r"[a-z]+")


def looks_like_injection(text: str) -> bool:
    """Text that addresses a language model rather than a reader ("ignore previous
    instructions", "SYSTEM:", "you are now..."): never quoted, never passed through."""
    # Every pattern needs one of these words; most sentences hold none (a set lookup per
    # word is cheaper than the pattern tried at every word of every passage read).
    if _INJECTION_WORDS.isdisjoint(_LOWER_WORD.findall(text.lower())):
        return False
    return bool(_INJECTION.search(text))


def strip_links(text: str) -> str:
    """No images, no URLs, no HTML; a link keeps only its label."""
    text = _IMAGE.sub("", text)
    text = _TAG.sub("", text)
    text = _LINK.sub(r"\1", text)
    return _URL.sub("", text)


def normalise_markers(text: str) -> str:
    text = _GROUP.sub(lambda m: "".join(f"[{n.strip()}]" for n in re.split(r"[,;]", m.group(1))), text)
    text = _TRAILING_MARKERS.sub(lambda m: f" {m.group(2).strip()}{m.group(1)}", text)
    return re.sub(r"(?<=\S) {2,}(?=\[)", " ", text)


@dataclass(frozen=True)
class Support:
    overlap: float
    cosine: float

    @property
    def supported(self) -> bool:
        return self.overlap >= MIN_OVERLAP or self.cosine >= MIN_COSINE


class GroundingChecker:
    """How well a claim is supported by a passage: word overlap and embedding cosine."""

    def __init__(self, embedder: Embedder):
        self.embedder = embedder

    def support(self, claim: str, hits: list[Hit]) -> Support:
        terms = set(content_terms(claim))
        overlap = max(
            (len(terms & set(content_terms(h.chunk.text))) / len(terms) if terms else 0.0 for h in hits), default=0.0
        )
        vectors = [h.vector for h in hits if h.vector is not None]
        cosine = 0.0
        if vectors:
            claim_vector = self.embedder.embed([claim])[0]
            cosine = float(max(np.dot(np.asarray(v), claim_vector) for v in vectors))
        return Support(round(overlap, 3), round(cosine, 3))


@dataclass
class CitationVerifier:
    """Feed it model output; it returns the checked text to send, sentence by sentence."""

    hits: list[Hit]
    checker: GroundingChecker
    drop_unsupported: bool = False
    _buffer: str = ""
    _text: str = ""
    _numbers: dict[int, int] = field(default_factory=dict)
    _unsupported: list[Span] = field(default_factory=list)

    def feed(self, piece: str) -> str:
        self._buffer += piece
        spans = list(sentence_spans(self._buffer))
        # Hold back the last sentence (it may be unfinished) and any sentence whose
        # citation may still be arriving in the next piece.
        ready = 0
        for i in range(len(spans) - 1):
            if not spans[i + 1][2].startswith("["):
                ready = i + 1
        if not ready:
            return ""
        cut = spans[ready - 1][1]
        out = self._process(self._buffer[:cut])
        self._buffer = self._buffer[cut:]
        return out

    def finish(self) -> str:
        out = self._process(self._buffer)
        self._buffer = ""
        return out

    def _process(self, text: str) -> str:
        text = normalise_markers(strip_links(text))
        emitted = []
        for _, _, sentence in sentence_spans(text):
            checked = self._check(sentence)
            if checked:
                emitted.append(checked)
        return "".join(emitted)

    def _check(self, sentence: str) -> str:
        cited = [int(n) for n in MARKER.findall(sentence) if 1 <= int(n) <= len(self.hits)]
        claim = " ".join(MARKER.sub("", sentence).split())
        claim = re.sub(r"\s+([.,;:!?])", r"\1", claim)
        if not cited or not re.search(r"\w", claim):
            return ""  # uncited text, an abstention or a stray marker: nothing to show
        if len(content_terms(claim)) < MIN_CLAIM_TERMS or looks_like_injection(claim):
            return ""  # too short to check ("PWNED [2].") or an instruction echoed from a passage
        support = self.checker.support(claim, [self.hits[n - 1] for n in dict.fromkeys(cited)])
        if not support.supported and self.drop_unsupported:
            return ""
        for n in cited:
            self._numbers.setdefault(n, len(self._numbers) + 1)

        def renumber(n: int) -> int | None:
            return self._numbers[n] if n in self._numbers and 1 <= n <= len(self.hits) else None

        rewritten = renumbered(sentence, renumber).strip()
        prefix = " " if self._text else ""
        start = len(self._text) + len(prefix)
        self._text += prefix + rewritten
        if not support.supported:
            self._unsupported.append(Span(start=start, end=len(self._text), text=rewritten))
        return prefix + rewritten

    def answer(self) -> Answer:
        """The checked answer: exactly the text returned so far, with its citations."""
        by_new = {new: old for old, new in self._numbers.items()}
        citations = []
        for new in sorted(by_new):
            hit = self.hits[by_new[new] - 1]
            chunk = hit.chunk
            citations.append(Citation(id=new, source=chunk.source, title=chunk.title, chunk_id=chunk.id,
                                      text=chunk.text, start=chunk.start, end=chunk.end, score=hit.score))  # fmt: skip
        if not citations:
            return Answer(answer=ABSTAIN_TEXT, abstained=True, mode="llm")
        return Answer(answer=self._text, citations=citations, mode="llm", unsupported=list(self._unsupported))
