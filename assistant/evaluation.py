"""Run the assistant over a question set and score every answer (no LLM judge needed).

A question set is JSONL or CSV with ``id``, ``question`` and optionally ``answer``
(the reference; in JSON, a list of them for a question asking several things, every
one of which the answer must hold), ``evidence`` (text a relevant passage contains; a list, or ``|``
separated in CSV), ``sources`` (expected source files, same format),
``unanswerable`` and ``history`` (earlier turns; JSON in a CSV cell).

A conversation is scored on its last question: ``conversation`` lists the earlier
user questions, which are asked first, in order, each with the assistant's real
answers so far as history (as the chat page and the API send them), and
``query_contains`` names words the standalone query of the last question must hold.

    >>> result = Evaluator(assistant).run(load_questions(Path("eval/seed_questions.jsonl")))
    >>> result.summary["hit@5"]
    0.981
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from core.errors import AssistantError
from core.records import Chunk, Hit

from . import metrics
from .answer import MARKER, Answer, marked_sentences, without_markers
from .compound import parts
from .conversation import Turn
from .service import Assistant

# How each summary metric is computed; the report prints these.
DEFINITIONS = {
    "hit@1": "share of answerable questions with a relevant passage ranked first",
    "hit@k": "share of answerable questions with a relevant passage in the top k",
    "first_relevant": "share of answered, answerable questions whose first quoted sentence comes from a relevant passage",
    "mrr@k": "mean reciprocal rank of the first relevant passage within the top k (0 if none)",
    "recall@k": "share of expected items (evidence texts or source files) found in the top k",
    "ndcg@10": "binary-gain nDCG of the top 10 passages",
    "exact_match": "answer equals the reference after SQuAD normalisation",
    "f1": "token F1 between answer and reference after SQuAD normalisation",
    "rouge_l": "ROUGE-L F1 (longest common subsequence of tokens)",
    "similarity": "cosine between answer and reference embeddings (all-MiniLM-L6-v2)",
    "answer_contains": "the normalised reference appears inside the answer",
    "evidence_cited": "a cited passage contains the evidence",
    "first_contains": "the answer's first sentence contains the normalised reference",
    "citation_precision": "share of (sentence, cited passage) pairs where the passage supports the sentence",
    "citation_recall": "share of answer sentences with at least one supporting citation",
    "abstention_precision": "of the answers that abstained, the share whose question was unanswerable",
    "abstention_recall": "of the unanswerable questions, the share that abstained",
    "fallbacks": "answers the extractive answerer gave because the language model failed",
    "readability_defects": "share of answers that open with a label (not a day, date or figure keying a value, "
    "'Wednesday: closed all day') or an unresolved pronoun or connective, or quote a question or a heading",
    "query_standalone": "share of follow-ups whose search query holds the words named in query_contains",
}
RELEVANCE = (
    "A passage is relevant when it contains the evidence text (case, whitespace and quotes normalised; for "
    "evidence of 12 words or more, 80% of its words suffice) or comes from an expected source file."
)


class QuestionSetError(AssistantError):
    """A question set that cannot be read; the message names the line."""


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    answer: str | None = None
    evidence: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    unanswerable: bool = False
    history: tuple[Turn, ...] = ()
    conversation: tuple[str, ...] = ()
    query_contains: tuple[str, ...] = ()
    # A question asking several things ("how much is it and how long does it last?") has a
    # reference for each: ``answer`` is the first, these the rest, and the answer holds all.
    also: tuple[str, ...] = ()


def _listish(value: Any, where: str) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split("|") if part.strip())
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(v for v in value if v.strip())
    raise QuestionSetError(f"{where}: expected text or a list of texts")


def _truthy(value: Any) -> bool:
    return value is True or str(value).strip().lower() in ("true", "1", "yes", "y")


def _reference(value: Any) -> str | None:
    return None if value in (None, "") else (str(value).strip() or None)


def asks_in_all(questions: list[Question]) -> int:
    """How many answers scoring ``questions`` takes: each earlier question of a conversation
    is answered in turn, and each part of a question asking several things."""
    return sum(len(parts(text)) for q in questions for text in (*q.conversation, q.question))


def parse_item(item: Any, where: str) -> Question:
    """One question from a JSON object or CSV row; ``where`` names it in errors."""
    if not isinstance(item, dict):
        raise QuestionSetError(f'{where}: each entry must be an object with a "question"')
    question = str(item.get("question") or "").strip()
    if not question:
        raise QuestionSetError(f'{where}: "question" is missing or empty')
    history = item.get("history") or []
    if isinstance(history, str):
        try:
            history = json.loads(history)
        except json.JSONDecodeError:
            raise QuestionSetError(f'{where}: "history" must be a JSON list of turns') from None
    try:
        turns = tuple(Turn.model_validate(t) for t in history)
    except Exception:
        raise QuestionSetError(f'{where}: each "history" turn needs a role (user or assistant) and content') from None
    listed = isinstance(item.get("answer"), list)
    references = _listish(item["answer"], where) if listed else ()
    return Question(
        id=str(item.get("id") or where),
        question=question,
        answer=references[0] if references else None if listed else _reference(item.get("answer")),
        also=references[1:],
        evidence=_listish(item.get("evidence"), where),
        sources=_listish(item.get("sources"), where),
        unanswerable=_truthy(item.get("unanswerable", False)),
        history=turns,
        conversation=_listish(item.get("conversation"), where),
        query_contains=_listish(item.get("query_contains"), where),
    )


def parse_text(text: str, name: str) -> list[Question]:
    """Questions from the text of a ``.jsonl`` or ``.csv`` set (``name`` picks the format)."""
    questions = []
    if name.lower().endswith(".csv"):
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or "question" not in reader.fieldnames:
            raise QuestionSetError(f'{name}:1: the header needs a "question" column')
        for row in reader:
            questions.append(parse_item(row, f"{name}:{reader.line_num}"))
    else:
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as err:
                raise QuestionSetError(f"{name}:{number}: not valid JSON ({err.msg})") from None
            questions.append(parse_item(item, f"{name}:{number}"))
    if not questions:
        raise QuestionSetError(f"{name} holds no questions")
    ids = [q.id for q in questions]
    duplicate = next((i for i in ids if ids.count(i) > 1), None)
    if duplicate:
        raise QuestionSetError(f"{name}: the id {duplicate!r} is used twice")
    return questions


def load_questions(path: Path) -> list[Question]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as err:
        raise QuestionSetError(f"Cannot read the question set {path}: {err.strerror}") from None
    except UnicodeDecodeError:
        raise QuestionSetError(f"{path}: not UTF-8 text") from None
    return parse_text(text, str(path))


_CELL_BARS = re.compile(r"(?:^|\s)\|(?=\s|$)")
# Markdown's bold markers, which the passage indexed reads without.
_BOLD = re.compile(r"\*\*")
# A Markdown list item's marker ("- ", "* ", "1. ") opening a line: a contact list is indexed
# without it.
_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+", re.M)


def _norm(text: str) -> str:
    """Text as it reads: quotes folded, an edit's brackets gone ("Ambassador [Vinay
    Mohan] Kwatra" reads "Ambassador Vinay Mohan Kwatra"), and a Markdown table's bars
    between cells too ("| Magazines | 1 week |" reads as the row indexed, its cells parted
    by a tab), bold markers ("**Lost property: 01632 960 433**") and a list item's marker
    ("- Phone: 0161 496 0732")."""
    text = _CELL_BARS.sub(" ", _BOLD.sub("", _ITEM.sub("", text.replace("[", "").replace("]", ""))))
    return " ".join(text.lower().replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').split())


def _contains(text: str, reference: str) -> bool:
    """Whether the reference reads inside ``text``; a whole-sentence reference's closing
    stop is not needed, since an answer's first sentence ends at its marker, and a space
    before a stop is none (a reference exported before markers went with their space
    reads "... collaboration .")."""
    return _unspaced(_norm(reference)).rstrip(".!?") in _unspaced(_norm(text))


def _unspaced(text: str) -> str:
    return re.sub(r"\s+([.,;:!?])", r"\1", text)


def _first_sentence(answer: str) -> str:
    """The answer up to its first citation marker: its first quoted sentence."""
    match = MARKER.search(answer)
    return answer[: match.start()] if match else answer


def _matches_evidence(passage: str, evidence: str) -> bool:
    passage_n, evidence_n = _norm(passage), _norm(evidence)
    if evidence_n in passage_n:
        return True
    words = metrics.normalize_answer(evidence).split()
    if len(words) < 12:
        return False
    present = set(metrics.normalize_answer(passage).split())
    return sum(w in present for w in words) / len(words) >= 0.8


def _matches_source(source: str, expected: str) -> bool:
    return source == expected or source.endswith("/" + expected) or Path(source).name == Path(expected).name


def expected_items_in(text: str, source: str, q: Question) -> set[int]:
    """Indexes of the question's expected items (evidence texts, then sources) a passage matches."""
    found = {i for i, e in enumerate(q.evidence) if _matches_evidence(text, e)}
    offset = len(q.evidence)
    return found | {offset + i for i, s in enumerate(q.sources) if _matches_source(source, s)}


@dataclass
class EvalResult:
    rows: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    k: int = 5

    def to_json(self) -> dict[str, Any]:
        return {"k": self.k, "summary": self.summary, "definitions": DEFINITIONS, "questions": self.rows}


class Evaluator:
    def __init__(self, assistant: Assistant, top_k: int | None = None):
        self.assistant = assistant
        self.k = top_k or assistant.retriever.top_k

    def run(self, questions: list[Question], on_progress: Callable[[int, int], None] | None = None) -> EvalResult:
        result = EvalResult(k=self.k)
        self.assistant.warm_up()  # loading is not part of any answer's latency
        for done, question in enumerate(questions, start=1):
            result.rows.append(self._row(question))
            if on_progress:
                on_progress(done, len(questions))
        result.summary = self._summary(result.rows)
        return result

    def _history(self, q: Question) -> list[Turn]:
        """The written history, then each earlier question of a conversation with its real answer."""
        turns = list(q.history)
        for earlier in q.conversation:
            reply = self.assistant.ask(earlier, history=turns, top_k=self.k)
            turns += [Turn(role="user", content=earlier), Turn(role="assistant", content=reply.answer)]
        return turns

    def _row(self, q: Question) -> dict[str, Any]:
        history = self._history(q)
        answer = self.assistant.ask(q.question, history=history, top_k=self.k)
        # What the answer was drawn from: the extractive path re-ranks passages by their best
        # sentence, the language model reads them in the retriever's order.
        if self.assistant.llm is None:
            retrieved = self.assistant.passages(q.question, max(self.k, 10), history, top_k=self.k)
        else:
            retrieved = self.assistant.retriever.retrieve(answer.query or q.question, max(self.k, 10))
        items = len(q.evidence) + len(q.sources)
        found = [self._found(hit.chunk, q) for hit in retrieved]
        relevant = [bool(f) for f in found]
        row: dict[str, Any] = {
            "id": q.id, "question": q.question, "reference": " | ".join(filter(None, (q.answer, *q.also))) or None,
            "unanswerable": q.unanswerable,
            "answer": answer.answer, "abstained": answer.abstained, "mode": answer.mode, "warning": answer.warning,
            "query": answer.query, "timings_ms": answer.timings_ms,
            "history": [t.model_dump() for t in history] if q.conversation else None,
            "citations": [c.model_dump(include={"id", "source", "text", "start", "end", "score"})
                          for c in answer.citations],
            "retrieved": [{"source": h.chunk.source, "score": h.score, "relevant": r, "text": h.chunk.text[:600]}
                          for h, r in zip(retrieved[: self.k], relevant, strict=False)],
        }  # fmt: skip
        if not q.unanswerable and items:
            row.update({
                "hit@1": metrics.hit_at_k(relevant, 1), "hit@k": metrics.hit_at_k(relevant, self.k),
                "mrr@k": metrics.mrr_at_k(relevant, self.k), "recall@k": metrics.recall_at_k(found, items, self.k),
                "ndcg@10": metrics.ndcg_at_k(relevant, 10, max(items, sum(relevant))),
            })  # fmt: skip
        if not q.unanswerable and q.answer:
            text = without_markers(answer.answer)
            # Several references are scored as one text, each one in order.
            reference = " ".join((q.answer, *q.also))
            vectors = self.assistant.embedder.embed([text, reference])
            row.update({
                "exact_match": metrics.exact_match(text, reference), "f1": metrics.token_f1(text, reference),
                "rouge_l": metrics.rouge_l(text, reference),
                "similarity": round(float(np.dot(vectors[0], vectors[1])), 4),
                "answer_contains": float(all(_contains(text, r) for r in (q.answer, *q.also))),
                "first_contains": float(_contains(_first_sentence(answer.answer), q.answer)),
            })  # fmt: skip
        if not q.unanswerable and q.evidence:
            row["evidence_cited"] = float(
                any(_matches_evidence(c.text, e) for c in answer.citations for e in q.evidence)
            )
        if not answer.abstained:
            row.update(self._citation_quality(answer))
            row["defects"] = metrics.readability_defects(answer.answer)
            row["readability_defects"] = float(bool(row["defects"]))
            if not q.unanswerable and items and answer.citations:
                first = answer.citations[0]  # numbered in order of first use: the first sentence's
                row["first_relevant"] = float(bool(expected_items_in(first.text, first.source, q)))
        if q.also:
            row["references"] = [q.answer, *q.also]
        if q.query_contains:
            query = (answer.query or q.question).lower()
            row["query_standalone"] = float(all(word.lower() in query for word in q.query_contains))
        row["passed"] = self._passed(row)
        return row

    @staticmethod
    def _found(chunk: Chunk, q: Question) -> set[int]:
        return expected_items_in(chunk.text, chunk.source, q)

    def _citation_quality(self, answer: Answer) -> dict[str, float]:
        by_id = {c.id: c for c in answer.citations}
        pairs = supported_sentences = 0
        supported_pairs = 0
        sentences = marked_sentences(answer.answer)
        for claim, numbers in sentences:
            support = [
                self.assistant.checker.support(claim, [Hit(Chunk(c.chunk_id, c.text, c.source, c.title, (), 0,
                                                                 c.start, c.end), c.score)]).supported
                for c in (by_id[n] for n in numbers if n in by_id)
            ]  # fmt: skip
            pairs += len(support)
            supported_pairs += sum(support)
            supported_sentences += any(support)
        return {
            "citation_precision": round(supported_pairs / pairs, 4) if pairs else 0.0,
            "citation_recall": round(supported_sentences / len(sentences), 4) if sentences else 0.0,
        }

    @staticmethod
    def _passed(row: dict[str, Any]) -> bool:
        """Unanswerable: declined. Answerable: not declined, relevant passage retrieved,
        evidence cited, and the reference fact in the answer (a short reference must
        appear whole; a reference sentence of more than 8 words needs token F1 >= 0.5)."""
        if row["unanswerable"]:
            return bool(row["abstained"])
        checks = [not row["abstained"]]
        for key in ("hit@k", "evidence_cited"):
            if key in row:
                checks.append(row[key] == 1.0)
        if row.get("reference"):
            # Several references are each short facts, every one of which the answer holds.
            long_reference = "references" not in row and len(row["reference"].split()) > 8
            checks.append(row["f1"] >= 0.5 if long_reference else row["answer_contains"] == 1.0)
        return all(checks)

    def _summary(self, rows: list[dict[str, Any]]) -> dict[str, Any]:
        summary: dict[str, Any] = {
            "questions": len(rows),
            "answerable": sum(not r["unanswerable"] for r in rows),
            "unanswerable": sum(r["unanswerable"] for r in rows),
            "passed": sum(r["passed"] for r in rows),
        }
        for key in ("hit@1", "hit@k", "mrr@k", "recall@k", "ndcg@10", "exact_match", "f1", "rouge_l", "similarity",
                    "answer_contains", "first_contains", "evidence_cited", "first_relevant", "citation_precision", "citation_recall",
                    "readability_defects", "query_standalone"):  # fmt: skip
            summary[key] = metrics.mean([r.get(key) for r in rows])
        precision, recall = metrics.precision_recall([r["abstained"] for r in rows], [r["unanswerable"] for r in rows])
        summary["abstention_precision"], summary["abstention_recall"] = precision, recall
        summary["fallbacks"] = sum(r["mode"] == "extractive-fallback" for r in rows)
        stages = sorted({stage for r in rows for stage in r["timings_ms"]})
        for stage in stages:
            values = [r["timings_ms"][stage] for r in rows if stage in r["timings_ms"]]
            summary[f"{stage}_ms_p50"] = metrics.percentile(values, 0.5)
            summary[f"{stage}_ms_p95"] = metrics.percentile(values, 0.95)
        return summary


def compare(new: dict[str, Any], old: dict[str, Any]) -> dict[str, Any]:
    """Metric differences (new minus old) and the questions that got better or worse."""
    deltas = {}
    for key, value in new["summary"].items():
        before = old.get("summary", {}).get(key)
        if isinstance(value, int | float) and isinstance(before, int | float) and not isinstance(value, bool):
            deltas[key] = {"old": before, "new": value, "delta": round(value - before, 4)}
    old_rows = {r["id"]: r for r in old.get("questions", [])}
    better = [
        r["id"] for r in new["questions"] if r["id"] in old_rows and r["passed"] and not old_rows[r["id"]]["passed"]
    ]
    worse = [
        r["id"] for r in new["questions"] if r["id"] in old_rows and not r["passed"] and old_rows[r["id"]]["passed"]
    ]
    return {"metrics": deltas, "better": better, "worse": worse}


def gated_metrics() -> tuple[str, ...]:
    """Metric names a CI gate can name (``--fail-under METRIC=VALUE``)."""
    return (*DEFINITIONS.keys(), "passed")
