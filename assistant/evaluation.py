"""Score the assistant on a question set (JSONL): facts found, evidence cited, abstentions.

Each line of the set holds ``id`` and ``question``, and either ``answer`` (the fact a
correct answer contains) with ``evidence`` (text the cited passage must contain), or
``unanswerable: true``; ``history`` holds earlier turns for follow-ups.

- fact recall: share of answerable questions whose answer contains ``answer``
  (case-insensitive, curly and straight apostrophes equal);
- evidence recall: share of answerable questions with ``evidence`` inside a cited passage;
- abstention recall: share of unanswerable questions the assistant declined;
- false abstentions: answerable questions it declined;
- latency: p50/p95 of the assistant's own ``timings_ms.total``.

    >>> report = evaluate(assistant, load_questions(Path("eval/seed_questions.jsonl")))
    >>> report.summary["fact_recall"]
    0.923
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vectorstore.errors import AssistantError

from .service import Assistant

# Metrics a CI gate (`assistant eval --fail-under METRIC=VALUE`) can name.
GATED_METRICS = ("fact_recall", "evidence_recall", "abstention_recall")


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").replace("‘", "'").split())


def load_questions(path: Path) -> list[dict[str, Any]]:
    """Read a JSONL question set, with a clear error for a malformed line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise AssistantError(f"Cannot read the question set {path}: {err.strerror}") from None
    items = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as err:
            raise AssistantError(f"{path}:{number}: not valid JSON ({err.msg})") from None
        if not isinstance(item, dict) or not str(item.get("question", "")).strip():
            raise AssistantError(f'{path}:{number}: each line needs a non-empty "question"')
        items.append(item)
    if not items:
        raise AssistantError(f"{path} holds no questions")
    return items


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 2)


@dataclass
class EvalReport:
    rows: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"summary": self.summary, "questions": self.rows}


def evaluate(
    assistant: Assistant,
    questions: list[dict[str, Any]],
    top_k: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> EvalReport:
    report = EvalReport()
    for done, item in enumerate(questions, start=1):
        answer = assistant.ask(item["question"], history=item.get("history", []), top_k=top_k)
        row: dict[str, Any] = {
            "id": item.get("id", str(done)),
            "question": item["question"],
            "answer": answer.answer,
            "abstained": answer.abstained,
            "sources": [c.source for c in answer.citations],
            "total_ms": answer.timings_ms["total"],
        }
        if item.get("unanswerable"):
            row["correct"] = answer.abstained
        else:
            row["fact"] = bool(item.get("answer")) and _norm(item["answer"]) in _norm(answer.answer)
            row["evidence"] = bool(item.get("evidence")) and any(
                _norm(item["evidence"]) in _norm(c.text) for c in answer.citations
            )
            row["correct"] = row["fact"] and row["evidence"]
        report.rows.append(row)
        if on_progress:
            on_progress(done, len(questions))
    answerable = [r for r in report.rows if "fact" in r]
    unanswerable = [r for r in report.rows if "fact" not in r]
    latencies = [r["total_ms"] for r in report.rows]

    def share(hits: int, total: int) -> float | None:
        return round(hits / total, 3) if total else None

    report.summary = {
        "questions": len(report.rows),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "fact_recall": share(sum(r["fact"] for r in answerable), len(answerable)),
        "evidence_recall": share(sum(r["evidence"] for r in answerable), len(answerable)),
        "abstention_recall": share(sum(r["abstained"] for r in unanswerable), len(unanswerable)),
        "false_abstentions": sum(r["abstained"] for r in answerable),
        "latency_ms_p50": _percentile(latencies, 0.5),
        "latency_ms_p95": _percentile(latencies, 0.95),
    }
    return report
