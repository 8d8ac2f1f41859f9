"""The conversation set's gate: the bundled corpus and the uploaded test document,
each follow-up asked after the real earlier answers, as the chat page sends them.

The Debian Reference conversations of the same set need `debian-reference-en` (`make
eval` installs it and reports them); this gate runs the rest on every `make test`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from assistant.app import build_application
from assistant.evaluation import EvalResult, Evaluator, parse_item
from assistant.service import Assistant
from assistant.settings import Settings
from ingest.chunking import Chunker
from ingest.pipeline import Ingestor
from vectorstore.embeddings import Embedder, TokenCounter

from ..conftest import CORPUS, ROOT

CONVERSATIONS = ROOT / "eval" / "conversations.jsonl"
UPLOADED = ROOT / "eval" / "docs"


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[EvalResult]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("conversations"))
    assistant: Assistant = build_application(settings, embedder=embedder).assistant
    Ingestor(assistant.store, embedder, Chunker(TokenCounter(), settings.chunk_tokens)).ingest([CORPUS, UPLOADED])
    items = [json.loads(line) for line in CONVERSATIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = [parse_item(item, item["id"]) for item in items if item["corpus"] in ("seed", "upload")]
    yield Evaluator(assistant).run(questions)
    assistant.close()


def test_the_set_is_what_the_gate_expects(result: EvalResult) -> None:
    assert (result.summary["questions"], result.summary["unanswerable"]) == (35, 6)


def test_last_answers_of_conversations(result: EvalResult) -> None:
    # Measured 33 of 35, evidence 0.97 and 6 of 6 unanswerable follow-ups declined when
    # this gate was last raised (docs/QUALITY.md); a drop fails CI, one answer's margin kept.
    assert result.summary["passed"] >= 32
    assert result.summary["evidence_cited"] >= 0.93
    assert result.summary["abstention_recall"] >= 0.83


def test_follow_ups_become_standalone_queries(result: EvalResult) -> None:
    assert result.summary["query_standalone"] >= 0.79  # measured 0.83


def test_last_answers_read_well(result: EvalResult) -> None:
    assert result.summary["readability_defects"] <= 0.05  # measured 0.0


def test_a_follow_up_is_not_answered_from_a_passage_that_never_names_its_subject(result: EvalResult) -> None:
    # "How much did its repair cost?" about turbine T3: the only cost near "repairs" is
    # the community fund's, in a passage that never mentions T3.
    row = next(r for r in result.rows if r["id"] == "c51")
    assert row["query"] == "How much did T3’s repair cost?"
    assert (row["abstained"], row["citations"]) == (True, [])
