"""Measure the thresholds that decide whether a passage supports a generated sentence.

For each answerable question of the seed set, a claim is built the way a model states
an answer (the question's words plus the reference fact). Its passage (the chunk
holding the evidence) is a positive; the best-ranked chunk that does not hold the
evidence is a hard negative: same topic, not the support. The script prints the word
overlap and embedding cosine of both, and the pair of thresholds (a sentence is
supported when overlap >= O or cosine >= C) that separates them best.

Run: `.venv/bin/python eval/support_thresholds.py` (builds a temporary index).
"""

from __future__ import annotations

import itertools
import json
import re
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.app import build_application  # noqa: E402
from assistant.grounding import GroundingChecker  # noqa: E402
from assistant.settings import Settings  # noqa: E402

QUESTION_WORDS = re.compile(r"^(who|what|which|when|where|why|how( many| much)?|does|do|did|is|are|was|were)\b", re.I)


def main() -> None:
    services = build_application(Settings(data_dir=Path(tempfile.mkdtemp()), corpus_dir=ROOT / "data" / "corpus"))
    services.documents.ingestor.ingest([ROOT / "data" / "corpus"])
    assistant = services.assistant
    checker = GroundingChecker(assistant.embedder)
    rows = []
    for line in (ROOT / "eval" / "seed_questions.jsonl").read_text().splitlines():
        item = json.loads(line)
        if item.get("unanswerable"):
            continue
        claim = f"{QUESTION_WORDS.sub('', item['question']).rstrip('?').strip()} {item['answer']}."
        hits = assistant.retriever.retrieve(item["question"], 10)
        positive = next((h for h in hits if item["evidence"] in h.chunk.text), None)
        negative = next(h for h in hits if item["evidence"] not in h.chunk.text)
        if positive is not None:
            rows.append((True, checker.support(claim, [positive])))
        rows.append((False, checker.support(claim, [negative])))
    best = None
    for overlap, cosine in itertools.product([x / 20 for x in range(6, 19)], [x / 20 for x in range(6, 17)]):
        right = sum((s.overlap >= overlap or s.cosine >= cosine) == label for label, s in rows)
        # Ties go to the stricter pair: wrongly flagging is cheaper than wrongly trusting.
        key = (right, overlap + cosine)
        if best is None or key > best[0]:
            best = (key, overlap, cosine)
    assert best is not None
    for label in (True, False):
        group = [s for lab, s in rows if lab is label]
        print(f"{'supported  ' if label else 'unsupported'} n={len(group):2}  "
              f"overlap median {statistics.median(s.overlap for s in group):.2f}  "
              f"cosine median {statistics.median(s.cosine for s in group):.2f}")  # fmt: skip
    (right, _), overlap, cosine = best
    print(f"best: MIN_OVERLAP={overlap:.2f} MIN_COSINE={cosine:.2f} -> {right}/{len(rows)} pairs right")
    services.close()


if __name__ == "__main__":
    main()
