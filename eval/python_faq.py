"""Build a question set from the Python FAQ (Debian's ``python3-doc``).

A second FAQ nobody here wrote, over another project's documentation: each question
heading ("Why must 'self' be used explicitly in method definitions and calls?") is the
question, and the first sentence of at least six words in the paragraph under it is the
reference and the evidence, as `eval/debian_faq.py` does for the Debian FAQ (not when
that sentence leads into code with a colon, nor for a question asked a second time). It
serves as a check: no weight of the answerer was chosen on it (`eval/train_ranker.py` fits
weights on it for a study; the hand-set ones are kept), and one rule only was found from
it (docs/RETRIEVAL.md, "A section's opening sentence").

Run: `.venv/bin/python eval/python_faq.py --out eval/out/python-faq` (`make eval` does),
then ingest the FAQ pages and evaluate, as `make eval` does.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

sys.path.insert(0, str(Path(__file__).resolve().parent))

from debian_faq import first_sentence

FAQ = Path("/usr/share/doc/python3.11/html/faq")


def faq_items(folder: Path) -> list[tuple[str, str]]:
    """(question, first paragraph of its answer) for every question heading."""
    items = []
    for page in sorted(folder.glob("*.html")):
        if page.name == "index.html":
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        for heading in soup.find_all(["h2", "h3", "h4"]):
            question = heading.get_text(" ", strip=True).rstrip("¶ ").strip()
            paragraph = heading.find_next_sibling("p")
            if question.endswith("?") and paragraph is not None:
                items.append((question, paragraph.get_text(" ", strip=True)))
    return items


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("eval/out/python-faq"))
    args = parser.parse_args()
    if not FAQ.is_dir():
        print(f"{FAQ} is missing: install the python3-doc package (make eval does).", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    questions, seen = [], set()
    for question, paragraph in faq_items(FAQ):
        sentence = first_sentence(paragraph)
        # A line leading into code ("Users are often surprised by results like this:")
        # states nothing to find; a question asked twice ("What is Python?") has two
        # references, of which one answer can hold only one.
        if sentence and not sentence.endswith(":") and question not in seen:
            seen.add(question)
            questions.append({"question": question, "answer": sentence, "evidence": sentence})
    with (args.out / "questions.jsonl").open("w", encoding="utf-8") as handle:
        for n, item in enumerate(questions, start=1):
            handle.write(json.dumps({"id": f"py{n:03d}", **item}, ensure_ascii=False) + "\n")
    print(f"{len(questions)} questions from {FAQ}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
