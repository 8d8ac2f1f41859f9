"""What each evidence signal of the extractive answerer is worth: leave one out at a time.

For every signal in ``assistant.evidence.WEIGHTS`` and every question set given, the
set is answered with that signal's weight set to 0 and compared with all signals on:
answers passed, evidence passage cited, reference fact in the first sentence, and
answer latency. Sets are split by the parity of their ids: weights were chosen on the
odd half, so the even half is reported apart.

Run (after `make eval`, which builds the indexes):

    .venv/bin/python eval/answer_signals.py \\
        --set eval/seed_questions.jsonl eval/out/seed-index \\
        --set eval/out/debian/questions.jsonl eval/out/debian-index \\
        --set eval/debian_reference_howto.jsonl eval/out/mixed-index \\
        --set eval/conversations.jsonl eval/out/mixed-index
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant import evidence
from assistant.app import build_application
from assistant.evaluation import Evaluator, load_questions
from assistant.settings import Settings
from vectorstore.backends import open_embedder


def _half(rows: list[dict[str, Any]], parity: int) -> list[dict[str, Any]]:
    return [r for r in rows if int(re.sub(r"\D", "", r["id"]) or 0) % 2 == parity]


def _figures(rows: list[dict[str, Any]]) -> str:
    passed = sum(r["passed"] for r in rows)
    cited = [r["evidence_cited"] for r in rows if r.get("evidence_cited") is not None]
    return f"{passed}/{len(rows)} passed, evidence {sum(cited):.0f}/{len(cited)}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", nargs=2, action="append", required=True, metavar=("QUESTIONS", "DATA_DIR"))
    args = parser.parse_args()
    defaults = Settings()
    embedder = open_embedder(defaults.embedding_backend, defaults.model_cache_dir)
    embedder.warm_up()
    weights = dict(evidence.WEIGHTS)
    print("| signal left out | " + " | ".join(Path(q).stem for q, _ in args.set) + " |")
    print("|---" * (len(args.set) + 1) + "|")
    for left_out in [None, *weights]:
        evidence.WEIGHTS.update(weights)
        if left_out:
            evidence.WEIGHTS[left_out] = 0.0
        cells = []
        for questions, data_dir in args.set:
            assistant = build_application(Settings(data_dir=Path(data_dir)), embedder=embedder).assistant
            result = Evaluator(assistant).run(load_questions(Path(questions)))
            assistant.close()
            p95 = result.summary.get("generate_ms_p95")
            cells.append(
                f"odd {_figures(_half(result.rows, 1))}; even {_figures(_half(result.rows, 0))}; generate p95 {p95} ms"
            )
        print(f"| {left_out or '(none: all signals)'} | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
