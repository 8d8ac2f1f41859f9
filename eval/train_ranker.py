"""Learn the weights of the answerer's evidence signals from a FAQ nobody here wrote.

The Python FAQ (Debian's ``python3-doc``) has about 200 question headings, each over
the text that answers it. Its pages are ingested into a temporary index with the
project's own pipeline; each question is asked, and every quotable sentence of the
retrieved passages becomes a candidate with its signals (``assistant/evidence.py``).
The candidate that is the first sentence under the question's heading is the right
one: the picker has to find the sentence, not only the passage.

The question's own heading is hidden while training, from the ``heading`` signal and
from the embedded passages (they are embedded without headings): a FAQ's heading is
the question word for word, which other documents never give.

A conditional logit (a softmax over each question's candidates) is fitted by gradient
descent, and compared with the hand-set weights on held-out folds: the share of
questions whose best-scored candidate is a right one. The weights are then scaled so
that ``lexical`` and ``dense`` sum to 1, as the answerer's thresholds expect.

Run: `.venv/bin/python eval/train_ranker.py` (needs `python3-doc`; `make bench` installs it).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant import evidence
from assistant.app import build_application
from assistant.extractive import candidates
from assistant.settings import Settings
from core.records import Hit
from core.text import sentence_spans
from ingest.chunking import Chunker
from ingest.pipeline import Ingestor
from vectorstore.embeddings import TokenCounter

sys.path.insert(0, str(Path(__file__).resolve().parent))

from python_faq import FAQ, faq_items

LEARNED = ("lexical", "dense", "retrieval", "heading", "kind")


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def examples(items: list[tuple[str, str]], data: Path) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per question: the signal matrix of its candidates and which ones are right."""
    settings = Settings(data_dir=data, top_k=5, embed_headings=False)
    assistant = build_application(settings).assistant
    chunker = Chunker(TokenCounter(), settings.chunk_tokens, embed_headings=False)
    Ingestor(assistant.store, assistant.embedder, chunker).ingest([FAQ])
    out = []
    for question, answer in items:
        hits = assistant.retriever.retrieve(question, settings.top_k * 3)
        # Hide the question's own heading: no other document hands the question over.
        masked = [
            Hit(dataclasses.replace(h.chunk, headings=tuple(x for x in h.chunk.headings if x != question)), h.score)
            for h in hits
        ]
        scored = evidence.rank(question, candidates(masked), masked)
        if not scored:
            continue
        first = next((text for _, _, text in sentence_spans(answer) if len(text.split()) >= 4), answer)
        target = _norm(first)
        labels = np.array(
            [bool(_norm(s.candidate.text)) and _norm(s.candidate.text) in target for s in scored], dtype=float
        )
        if labels.sum() == 0:
            continue
        features = np.array([[s.signals[name] for name in LEARNED] for s in scored])
        out.append((features, labels))
    assistant.close()
    return out


def _covers(candidate: str, evidence_text: str) -> bool:
    """A candidate holds the evidence, or is a sentence of it."""
    cand, ev = _norm(candidate), _norm(evidence_text)
    if not cand or not ev:
        return False
    if ev in cand or (len(cand.split()) >= 5 and cand in ev):
        return True
    words = ev.split()
    return len(words) >= 8 and sum(w in set(cand.split()) for w in words) / len(words) >= 0.8


def set_examples(questions: Path, data: Path, part: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Groups from a question set's standalone answerable questions whose id number has
    parity ``part`` (1: odd, the half weights are fitted on; 0: even, the half reported)."""
    assistant = build_application(Settings(data_dir=data)).assistant
    out = []
    for line in questions.read_text(encoding="utf-8").splitlines():
        item = json.loads(line) if line.strip() else {}
        number = int(re.sub(r"\D", "", item.get("id", "")) or 0)
        if number % 2 != part or not item.get("evidence") or item.get("history") or item.get("conversation"):
            continue
        hits = assistant.retriever.retrieve(item["question"], 15)
        scored = evidence.rank(item["question"], candidates(hits), hits)
        labels = np.array([_covers(s.candidate.text, item["evidence"]) for s in scored], dtype=float)
        if scored and labels.sum():
            out.append((np.array([[s.signals[name] for name in LEARNED] for s in scored]), labels))
    assistant.close()
    return out


def fit(groups: list[tuple[np.ndarray, np.ndarray]], l2: float = 0.01, steps: int = 3000) -> np.ndarray:
    """Conditional logit: maximise the probability mass of the right candidates."""
    w = np.array([evidence.WEIGHTS[name] for name in LEARNED]) * 5
    rate = 1.0
    for _ in range(steps):
        gradient = l2 * w
        for x, y in groups:
            z = x @ w
            p = np.exp(z - z.max())
            p /= p.sum()
            right = y / y.sum()
            gradient -= (right - p) @ x / len(groups)
        w -= rate * gradient
    return w


def top1(groups: list[tuple[np.ndarray, np.ndarray]], w: np.ndarray) -> float:
    return float(np.mean([y[int(np.argmax(x @ w))] for x, y in groups]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--no-faq", action="store_true", help="fit on the --set halves alone")
    parser.add_argument("--out", type=Path, default=Path("eval/out/ranker.json"))
    parser.add_argument(
        "--set",
        nargs=2,
        action="append",
        default=[],
        metavar=("QUESTIONS", "DATA_DIR"),
        help="also fit on the odd-numbered questions of a set over the index in DATA_DIR, and report the even ones",
    )
    args = parser.parse_args()
    if not FAQ.is_dir():
        print(f"{FAQ} is missing: install the python3-doc package.", file=sys.stderr)
        return 1
    items = faq_items(FAQ)
    with tempfile.TemporaryDirectory() as data:
        groups = examples(items, Path(data))
    hand = np.array([evidence.WEIGHTS[name] for name in LEARNED])
    rng = np.random.default_rng(0)
    order = rng.permutation(len(groups))
    held_hand, held_learned = [], []
    for fold in range(args.folds):
        test = [groups[i] for i in order[fold :: args.folds]]
        train = [groups[i] for i in order if i not in set(order[fold :: args.folds])]
        w = fit(train)
        held_hand.append(top1(test, hand))
        held_learned.append(top1(test, w))
    fitted, reported = ([] if args.no_faq else list(groups)), []
    for questions, data_dir in args.set:
        fitted += set_examples(Path(questions), Path(data_dir), part=1)
        reported.append((questions, set_examples(Path(questions), Path(data_dir), part=0)))
    w = fit(fitted)
    print("raw weights", dict(zip(LEARNED, np.round(w, 3), strict=True)), file=sys.stderr)
    scaled = w / (w[0] + w[1])
    report = {
        "questions": len(items),
        "usable": len(groups),
        "candidates": int(sum(len(y) for _, y in groups)),
        "held_out_top1_hand": round(float(np.mean(held_hand)), 4),
        "held_out_top1_learned": round(float(np.mean(held_learned)), 4),
        "weights": {name: round(float(v), 3) for name, v in zip(LEARNED, scaled, strict=True)},
        "held_out_sets": {
            name: {
                "questions": len(held),
                "top1_hand": round(top1(held, hand), 4),
                "top1_learned": round(top1(held, w), 4),
            }
            for name, held in reported
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
