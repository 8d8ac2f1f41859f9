"""Build a question set and a corpus from Debian's installed documentation.

The Debian FAQ (package ``debian-faq``) is a real question set no one here wrote:
each section heading is a question ("7.1. What is a Debian package?") and the text
under it is the answer. This script turns the installed HTML into

- ``OUT/questions.jsonl``: ``question`` = the heading without its number; ``answer``
  and ``evidence`` = the first sentence of the section's text (at least 6 words);
- ``OUT/corpus/``: the FAQ pages, plus the Debian Reference (``debian-reference-en``)
  when installed, as the documents to search.

Run: `.venv/bin/python eval/debian_faq.py --out eval/out/debian` (`make eval` does).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import warnings
from pathlib import Path

from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

FAQ = Path("/usr/share/doc/debian/FAQ")
REFERENCE = Path("/usr/share/debian-reference")
_NUMBER = re.compile(r"^\s*\d+(\.\d+)*\.\s*")


def first_sentence(text: str) -> str | None:
    text = " ".join(text.split())
    for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z(])", text):
        if len(sentence.split()) >= 6:
            return sentence
    return None


def questions_from(page: Path) -> list[dict[str, str]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)  # the pages are XHTML; HTML parsing is right
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
    items = []
    for heading in soup.find_all("h2"):
        title = " ".join(heading.get_text(" ").split())
        question = _NUMBER.sub("", title)
        if not question.endswith("?"):
            continue  # headings such as "Chapter 1" or statements are not questions
        section = heading.find_parent("div", class_="section")
        if section is None:
            continue
        parts = []
        for block in section.find_all(["p", "li", "pre"]):
            if block.find_parent("div", class_="titlepage"):
                continue
            parts.append(block.get_text(""))
        sentence = first_sentence(" ".join(parts))
        if sentence:
            items.append({"question": question, "answer": sentence, "evidence": sentence, "source": page.name})
    return items


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("eval/out/debian"))
    args = parser.parse_args()
    if not FAQ.is_dir():
        print(f"{FAQ} is missing: install the debian-faq package (make eval does).", file=sys.stderr)
        return 1
    corpus = args.out / "corpus"
    shutil.rmtree(corpus, ignore_errors=True)
    (corpus / "faq").mkdir(parents=True)
    questions = []
    for page in sorted(FAQ.glob("*.en.html")):
        if page.name in ("index.en.html",):
            continue
        shutil.copyfile(page, corpus / "faq" / page.name)
        questions += questions_from(page)
    if REFERENCE.is_dir():
        (corpus / "reference").mkdir()
        for page in sorted(REFERENCE.glob("*.en.html")):
            if page.name != "index.en.html":
                shutil.copyfile(page, corpus / "reference" / page.name)
    with (args.out / "questions.jsonl").open("w", encoding="utf-8") as handle:
        for n, item in enumerate(questions, start=1):
            item = {"id": f"faq{n:03d}", **item}
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    pages = len(list(corpus.rglob("*.html")))
    print(f"{len(questions)} questions, {pages} pages in {corpus}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
