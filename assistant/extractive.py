"""The offline answerer: quotes the retrieved sentences that best answer the question.

No language model is involved, so nothing can be invented: every sentence of the
answer is copied from a passage and followed by that passage's ``[n]``.

Each sentence of the retrieved passages is scored by how much of the question it
covers (question words weighted by how rare they are among the candidates, so
"Tennessee" counts for more than "India") blended with its passage's similarity to
the question. The best sentence leads; a few close runners-up from other places
join it, in document order after it.

    >>> answer = ExtractiveAnswerer().answer("Who met Danly?", hits)
    >>> answer.answer
    'Ambassador Kwatra also held a “fruitful discussion” with U.S. Deputy Secretary ... [1].'
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from vectorstore.records import Hit
from vectorstore.text import content_terms, sentence_spans, words

from .answer import ABSTAIN_TEXT, Answer, Citation
from .grounding import looks_like_injection
from .question import expected_type, name_stem, names, satisfies

# Weight of the question's words against the passage's dense similarity.
LEXICAL_WEIGHT = 0.6
# Weight of the question words found in a passage's headings.
# Measured: 0.1 lifts evidence cited on the Debian FAQ from 0.35 to 0.50 and leaves
# the seed set unchanged; 0.2 and more start to cost seed answers (docs/RETRIEVAL.md).
HEADING_WEIGHT = 0.1
# A runner-up joins the answer when it scores at least this share of the best.
RUNNER_UP_SHARE = 0.8
# Words carried over from earlier turns count for this much of a question word.
CONTEXT_WEIGHT = 0.5
# The best sentence of the expected kind (a date, a number) must reach this share of
# the best sentence's score and question-word coverage, or the answer is not there.
TYPED_SHARE = 0.8
# Question-word coverage that stands on its own even when dense similarity is low.
STRONG_LEXICAL = 0.5
# A lead sentence this short is followed by the next sentence of its passage.
SHORT_SENTENCE_WORDS = 12


@dataclass(frozen=True)
class _Candidate:
    rank: int
    hit: Hit
    start: int
    end: int
    text: str
    terms: frozenset[str]


@dataclass(frozen=True)
class Scored:
    candidate: _Candidate
    lexical: float
    score: float


class ExtractiveAnswerer:
    def __init__(
        self,
        max_sentences: int = 3,
        min_relevance: float = 0.2,
        mentions: Callable[[str], bool] | None = None,
    ):
        """``mentions(text)`` tells whether the index contains ``text`` anywhere."""
        if max_sentences < 1:
            raise ValueError("max_sentences must be at least 1")
        self.max_sentences = max_sentences
        self.min_relevance = min_relevance
        self.mentions = mentions

    def answer(self, question: str, hits: list[Hit], context: str = "") -> Answer:
        """Answer ``question`` from ``hits``; ``context`` is earlier conversation text."""
        scored = self.score(question, hits, context)
        if self._off_topic(question, hits, scored):
            return abstention()
        answer_type = expected_type(question)
        typed = [s for s in scored if s.lexical > 0.0 and satisfies(s.candidate.text, answer_type)]
        # The best sentence of the right kind must be a serious contender, not a
        # distant one that merely contains a number or a date. When the best sentence
        # won on similarity alone (no question word), any typed one covers at least as much.
        if not typed:
            return abstention()
        coverage = typed[0].lexical / scored[0].lexical if scored[0].lexical > 0 else 1.0
        if min(typed[0].score / scored[0].score, coverage) < TYPED_SHARE:
            return abstention()
        lead, extra = self._select(typed[0], scored)
        # The answer leads; supporting sentences follow in document order.
        extra.sort(key=lambda s: (s.candidate.hit.chunk.source, s.candidate.hit.chunk.start + s.candidate.start))
        return self._compose(lead + extra)

    def off_topic(self, question: str, hits: list[Hit], context: str = "") -> bool:
        """Whether nothing retrieved is about the question (then no answerer should try)."""
        return self._off_topic(question, hits, self.score(question, hits, context))

    def _off_topic(self, question: str, hits: list[Hit], scored: list[Scored]) -> bool:
        if not hits or _missing_names(question, hits, self.mentions):
            return True
        # A short, name-heavy question can sit far from every passage in embedding
        # space while a sentence covers it word for word: only both signals failing
        # together mean that nothing here is about the question.
        return hits[0].score < self.min_relevance and (not scored or scored[0].lexical < STRONG_LEXICAL)

    def score(self, question: str, hits: list[Hit], context: str = "") -> list[Scored]:
        """Every candidate sentence, best first."""
        candidates = [
            _Candidate(rank, hit, start, end, text, frozenset(content_terms(text)))
            for rank, hit in enumerate(hits)
            for start, end, text in sentence_spans(hit.chunk.text)
            if _is_statement(text)
        ]
        if not candidates:
            return []
        weights = {term: 1.0 for term in content_terms(question)}
        for term in content_terms(context):
            weights.setdefault(term, CONTEXT_WEIGHT)
        df = Counter(term for c in candidates for term in c.terms)
        n = len(candidates)
        idf = {term: math.log(1 + n / (df[term] or 0.5)) for term in weights}
        total = sum(weights[t] * idf[t] for t in weights) or 1.0
        top = hits[0].score
        scored = []
        heading_terms = {id(h): frozenset(content_terms(" ".join(h.chunk.headings))) for h in hits}
        for c in candidates:
            lexical = sum(weights[t] * idf[t] for t in weights if t in c.terms) / total
            dense = c.hit.score / top if top > 0 else 0.0
            # A section whose heading asks the question holds its answer ("What is a
            # Debian package?" in a FAQ), so the heading's words count for its sentences.
            heading = sum(weights[t] * idf[t] for t in weights if t in heading_terms[id(c.hit)]) / total
            score = LEXICAL_WEIGHT * lexical + (1 - LEXICAL_WEIGHT) * dense + HEADING_WEIGHT * heading
            scored.append(Scored(c, lexical, score))
        scored.sort(key=lambda s: (-s.score, s.candidate.rank, s.candidate.start))
        return scored

    def _select(self, best: Scored, scored: list[Scored]) -> tuple[list[Scored], list[Scored]]:
        """The leading sentence(s), then close runners-up from elsewhere."""
        chosen = [best]
        if len(words(best.candidate.text)) <= SHORT_SENTENCE_WORDS:
            # A short lead sentence ("Domestic politics can affect ties.") usually
            # introduces the specifics in the sentence right after it.
            following = [
                s for s in scored
                if s.candidate.hit is best.candidate.hit and s.candidate.start > best.candidate.start
            ]  # fmt: skip
            if following and self.max_sentences > 1:
                chosen.append(min(following, key=lambda s: s.candidate.start))
        lead = len(chosen)
        for item in scored:
            if len(chosen) >= self.max_sentences or item.score < RUNNER_UP_SHARE * best.score:
                break
            if item.lexical == 0.0 or any(_similar(item.candidate, c.candidate) for c in chosen):
                continue
            chosen.append(item)
        return chosen[:lead], chosen[lead:]

    @staticmethod
    def _compose(chosen: list[Scored]) -> Answer:
        numbers: dict[str, int] = {}
        citations: list[Citation] = []
        parts: list[str] = []
        for item in chosen:
            chunk = item.candidate.hit.chunk
            if chunk.id not in numbers:
                numbers[chunk.id] = len(numbers) + 1
                citations.append(
                    Citation(
                        id=numbers[chunk.id], source=chunk.source, title=chunk.title, chunk_id=chunk.id,
                        text=chunk.text, start=chunk.start, end=chunk.end, score=item.candidate.hit.score,
                    )
                )  # fmt: skip
            parts.append(_with_marker(item.candidate.text, numbers[chunk.id]))
        return Answer(answer=" ".join(parts), citations=citations, abstained=False, mode="extractive")


_LINKISH = re.compile(r"https?://|www\.|!\[[^\]]*\]\(|\]\([^)]*\)|<[a-zA-Z/][^>]*>", re.I)


def abstention() -> Answer:
    return Answer(answer=ABSTAIN_TEXT, citations=[], abstained=True, mode="extractive")


def _missing_names(question: str, hits: list[Hit], mentions: Callable[[str], bool] | None) -> list[str]:
    """Names in the question that neither the retrieved passages nor the index mention.

    A name only has to appear somewhere: "Washington" in a question about energy is
    fine when some passage mentions Washington, even if not the retrieved ones.
    Matching is by the name's stem, so "Russian" finds "Russia".
    """
    missing = []
    for name in names(question):
        root = name_stem(name)
        if any(root in hit.chunk.text for hit in hits):
            continue
        if mentions is not None and mentions(root):
            continue
        missing.append(name)
    return missing


def _is_statement(sentence: str) -> bool:
    """Lead-ins ("Key themes include:") and fragments say nothing on their own; a
    sentence carrying a link, an image or markup is never quoted, so a document
    cannot make an answer fetch or point anywhere."""
    if _LINKISH.search(sentence) or looks_like_injection(sentence):
        return False
    return len(words(sentence)) >= 4 and not sentence.rstrip().endswith(":")


def _similar(a: _Candidate, b: _Candidate) -> bool:
    if not a.terms or not b.terms:
        return False
    return len(a.terms & b.terms) / len(a.terms | b.terms) > 0.8


def _with_marker(sentence: str, n: int) -> str:
    """Put ``[n]`` before the closing punctuation: "... Kwatra [1]." """
    text = sentence.rstrip()
    end = len(text)
    while end > 0 and text[end - 1] in "\"'”’)]":
        end -= 1
    if end > 0 and text[end - 1] in ".!?" and end == len(text):
        return f"{text[: end - 1]} [{n}]{text[end - 1]}"
    return f"{text} [{n}]" if text[-1:] in ".!?\"'”’)]" else f"{text} [{n}]."
