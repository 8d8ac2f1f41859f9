"""The assistant over the bundled corpus: contract, citations, abstention, follow-ups, quality."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.answer import ABSTAIN_TEXT, MARKER, Answer
from assistant.app import build_application
from assistant.evaluation import Evaluator, load_questions
from assistant.quoting import verbatim
from assistant.service import Assistant
from assistant.settings import Settings
from core.errors import EmptyIndexError, InvalidQuestionError
from ingest.loaders import load
from ingest.normalize import normalise
from vectorstore.embeddings import Embedder

from ..conftest import SEED_DOC, SEED_QUESTIONS
from ..helpers import CountingEmbedder


def answered(assistant: Assistant, item: dict) -> Answer:
    return assistant.ask(item["question"], history=item.get("history", []))


def assert_grounded(answer: Answer, document_text: str) -> None:
    ids = [c.id for c in answer.citations]
    assert ids == list(range(1, len(ids) + 1))
    assert sorted({int(n) for n in MARKER.findall(answer.answer)}) == ids
    by_id = {c.id: c for c in answer.citations}
    # Every sentence is copied from the passage its marker points to, apart from a
    # bracketed referent in place of its opening pronoun.
    for sentence, n in re.findall(r"(.+?)\s*\[(\d+)\][.!?]?\s*", answer.answer):
        assert verbatim(sentence.strip()) in by_id[int(n)].text
    for citation in answer.citations:
        assert document_text[citation.start : citation.end] == citation.text


def test_every_seed_answer_keeps_the_contract(seed_assistant: Assistant, seed_questions: list[dict]) -> None:
    document_text = normalise(load(SEED_DOC)).text
    for item in seed_questions:
        answer = answered(seed_assistant, item)
        assert answer.mode == "extractive"
        assert set(answer.timings_ms) == {"retrieve", "generate", "total"}
        if answer.abstained:
            assert answer.answer == ABSTAIN_TEXT and answer.citations == []
        else:
            assert_grounded(answer, document_text)
            assert all(
                c.source == "data/corpus/india-us-cooperation-trade-energy-defence.txt" for c in answer.citations
            )


def test_quality_on_the_seed_questions(seed_assistant: Assistant) -> None:
    summary = Evaluator(seed_assistant).run(load_questions(SEED_QUESTIONS)).summary
    assert (summary["answerable"], summary["unanswerable"]) == (52, 8)
    # Measured: 46/52 with the default int8 embeddings, 48/52 with float ones (two
    # near-tied sentence choices flip; retrieval hit@5 is 0.981 with both).
    assert summary["answer_contains"] >= 46 / 52 - 1e-4
    assert summary["evidence_cited"] >= 46 / 52 - 1e-4
    assert summary["abstention_recall"] >= 0.85


def test_follow_ups_need_their_history(seed_assistant: Assistant, seed_questions: list[dict]) -> None:
    follow_ups = [q for q in seed_questions if q.get("history")]
    assert len(follow_ups) >= 3
    with_history = [any(q["evidence"] in c.text for c in answered(seed_assistant, q).citations) for q in follow_ups]
    alone = [any(q["evidence"] in c.text for c in seed_assistant.ask(q["question"]).citations) for q in follow_ups]
    assert all(with_history)
    assert sum(alone) < len(follow_ups)


def test_off_topic_question_abstains(seed_assistant: Assistant) -> None:
    answer = seed_assistant.ask("How do I bake sourdough bread at home?")
    assert answer.model_dump(exclude={"timings_ms"}) == {
        "answer": ABSTAIN_TEXT, "citations": [], "abstained": True, "mode": "extractive",
        "query": "How do I bake sourdough bread at home?", "unsupported": [], "warning": None,
    }  # fmt: skip


def test_known_fact_is_quoted_with_its_citation(seed_assistant: Assistant) -> None:
    answer = seed_assistant.ask("Which senator from Tennessee did the ambassador meet?")
    # "He" in the passage: the quote shows whom it means, in brackets.
    quoted = re.search(r"^\[Ambassador Kwatra\] also engaged with Senator Bill Hagerty from Tennessee on continuing "
                       r"ongoing talks for a trade pact \[(\d+)\]\.", answer.answer)  # fmt: skip
    assert quoted is not None
    cited = answer.citations[int(quoted.group(1)) - 1]
    assert (cited.source, cited.start, cited.end) == (
        "data/corpus/india-us-cooperation-trade-energy-defence.txt", 3095, 3748,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("   ", "The question is empty: ask something about your documents."),
        ("Who met \ud800 Danly?", "The question holds an invalid character (a lone surrogate): send UTF-8 text."),
        (
            "x" * 2001,
            "The question is 2001 characters long; the limit is 2000. Shorten it, or raise "
            "ASSISTANT_MAX_QUESTION_CHARS.",
        ),
    ],
    ids=["empty", "lone-surrogate", "too-long"],
)
def test_invalid_questions(seed_assistant: Assistant, question: str, message: str) -> None:
    with pytest.raises(InvalidQuestionError) as caught:
        seed_assistant.ask(question)
    assert str(caught.value) == message


def test_empty_index_says_what_to_do(tmp_path: Path, embedder) -> None:
    assistant = build_application(Settings(data_dir=tmp_path / "empty"), embedder=embedder).assistant
    try:
        with pytest.raises(EmptyIndexError) as caught:
            assistant.ask("Anything?")
        assert str(caught.value) == "The index is empty: run `assistant ingest PATH` to add documents first."
    finally:
        assistant.close()


def test_a_question_is_embedded_once_though_its_tied_sentences_are_weighed_by_meaning(
    tmp_path: Path, embedder: Embedder
) -> None:
    # Retrieval embeds the question; the sentences tied for best are then compared with
    # it by meaning, which needs its vector again: the model runs once for it (7 ms here).
    counting = CountingEmbedder(embedder)
    app = build_application(Settings(data_dir=tmp_path / "data"), embedder=counting)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "logins.txt").write_text(
        "last(1) shows listing of last logged in user.\nlastb(1) shows listing of last bad logged in users.\n"
    )
    app.documents.ingest([docs])
    question = "Which command lists failed login attempts?"
    counting.texts.clear()
    answer = app.assistant.ask(question)
    assert answer.answer.startswith("lastb(1) shows listing of last bad logged in users [1].")
    assert counting.texts.count(question) == 1
    assert counting.texts.count("lastb(1) shows listing of last bad logged in users.") == 1
    app.assistant.close()
