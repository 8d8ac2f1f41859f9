"""Evaluation metrics that need no LLM judge: retrieval, answer text, abstention.

Each function states how it computes its number; the HTML report repeats it.

    >>> token_f1("The Vinay Kwatra", "Vinay Mohan Kwatra")
    0.8
    >>> mrr_at_k([False, True, False], k=3)
    0.5
"""

from __future__ import annotations

import math
import re
import string
from collections import Counter
from collections.abc import Sequence

from .question import MONTHS, WEEKDAY
from .quoting import expletive_it

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCT = str.maketrans("", "", string.punctuation + "“”‘’")


def normalize_answer(text: str) -> str:
    """SQuAD normalisation: lower case, no punctuation, no articles, single spaces."""
    text = text.lower().translate(_PUNCT)
    return " ".join(_ARTICLES.sub(" ", text).split())


def exact_match(prediction: str, reference: str) -> float:
    """1.0 when the normalised texts are identical."""
    return float(normalize_answer(prediction) == normalize_answer(reference))


def token_f1(prediction: str, reference: str) -> float:
    """Harmonic mean of token precision and recall after SQuAD normalisation."""
    pred, ref = normalize_answer(prediction).split(), normalize_answer(reference).split()
    if not pred or not ref:
        return float(pred == ref)
    common = sum((Counter(pred) & Counter(ref)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(ref)
    return round(2 * precision * recall / (precision + recall), 4)


def rouge_l(prediction: str, reference: str) -> float:
    """ROUGE-L F1: longest common subsequence of normalised tokens."""
    pred, ref = normalize_answer(prediction).split(), normalize_answer(reference).split()
    if not pred or not ref:
        return float(pred == ref)
    previous = [0] * (len(ref) + 1)
    for token in pred:
        current = [0]
        for j, other in enumerate(ref, start=1):
            current.append(previous[j - 1] + 1 if token == other else max(previous[j], current[j - 1]))
        previous = current
    lcs = previous[-1]
    if lcs == 0:
        return 0.0
    precision, recall = lcs / len(pred), lcs / len(ref)
    return round(2 * precision * recall / (precision + recall), 4)


def hit_at_k(relevant: Sequence[bool], k: int) -> float:
    """1.0 when any of the first k retrieved passages is relevant."""
    return float(any(relevant[:k]))


def mrr_at_k(relevant: Sequence[bool], k: int) -> float:
    """Reciprocal rank of the first relevant passage within the first k, else 0."""
    for rank, is_relevant in enumerate(relevant[:k], start=1):
        if is_relevant:
            return round(1.0 / rank, 4)
    return 0.0


def recall_at_k(found: Sequence[set[int]], expected: int, k: int) -> float:
    """Share of the expected items (evidence texts or source files) found in the first k.

    ``found[i]`` holds the indexes of the expected items passage i matches.
    """
    if expected == 0:
        return 0.0
    covered: set[int] = set().union(*found[:k]) if found[:k] else set()
    return round(len(covered) / expected, 4)


def ndcg_at_k(relevant: Sequence[bool], k: int, ideal_relevant: int) -> float:
    """Binary-gain nDCG: DCG of the ranking over the DCG of ``ideal_relevant`` hits on top."""
    dcg = sum(1.0 / math.log2(rank + 1) for rank, r in enumerate(relevant[:k], start=1) if r)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(k, ideal_relevant) + 1))
    return round(dcg / ideal, 4) if ideal else 0.0


def precision_recall(predicted: Sequence[bool], actual: Sequence[bool]) -> tuple[float | None, float | None]:
    """Precision and recall of a yes/no prediction (None where undefined: nothing to divide by)."""
    true_positive = sum(p and a for p, a in zip(predicted, actual, strict=True))
    predicted_yes, actual_yes = sum(predicted), sum(actual)
    precision = round(true_positive / predicted_yes, 4) if predicted_yes else None
    recall = round(true_positive / actual_yes, 4) if actual_yes else None
    return precision, recall


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (``share`` in 0..1); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return round(ordered[rank - 1], 2)


def mean(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(sum(present) / len(present), 4) if present else None


# What a reader stumbles on at the start of an answer: a label pasted from a heading or
# list item ("Energy Security: ..."), or a pronoun or connective whose referent is not
# quoted ("He also ...", "Thus, ..."). Bracketed referents ("[Kwatra] also ...") are fine.
# A pronoun opens a clause ("You have two choices: ...", "It has two modes: ..."), not a label.
_OPENING_LABEL = re.compile(r"^(?!(?:I|You|We|He|She|They|It|There)\s)[A-Z][^\s:]*(?:\s+[^\s:]+){0,3}:\s")
# "Wednesday: closed all day", "May 2023: ...": a day, a date or a figure before the colon
# keys the value after it, as a timetable or a table does; no heading pasted in front.
_KEYED = re.compile(rf"\d|\b{WEEKDAY}\b|\b(?:{'|'.join(sorted(MONTHS))})\b", re.I)
_OPENING_REFERENCE = re.compile(
    r"^(he|she|they|it|its|this|these|those|his|her|their|them|thus|also|additionally|moreover|however|"
    r"furthermore|therefore|hence|such|alternatively|conversely)\b",
    re.I,
)
_QUOTED_QUESTION = re.compile(r"\?\s*(?:\[\d+\])+|(?:\[\d+\])+\?")
_MARKERS = re.compile(r"(?:\s*\[\d+\])+")
# A bracketed key that is no citation marker: "[Band 3]", not "[3]".
_ROW_KEY = re.compile(r"\[(?!\d+\])[^\]]+\]")


def readability_defects(answer: str) -> list[str]:
    """What makes ``answer`` read badly: ``label`` or ``reference`` at its opening, a quoted
    ``question``, or a quoted ``heading`` (a short title-cased line with no verb-like word)."""
    text = answer.strip()
    defects = []
    if (label := _OPENING_LABEL.match(text)) and not _KEYED.search(label.group(0)):
        defects.append("label")
    if _OPENING_REFERENCE.match(text) and not expletive_it(text):
        defects.append("reference")
    if _QUOTED_QUESTION.search(text):
        defects.append("question")
    keyed = False
    for sentence in re.split(r"(?<=\])[.!?]?\s+", text):
        if _ROW_KEY.fullmatch(sentence):
            keyed = True  # "[Coding Club] Mr Osei": a table's cell shown with its row's key
            continue
        body = _MARKERS.sub("", sentence).strip().rstrip(".")
        tokens, keyed = ([] if keyed else body.split()), False
        if 0 < len(tokens) <= 8 and all(
            t[:1].isupper() or t.lower() in ("&", "and", "of", "the", "in", "for") for t in tokens
        ):
            defects.append("heading")
            break
    return defects
