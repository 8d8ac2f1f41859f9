"""Rated answers as question-set entries that `assistant eval` reads."""

from __future__ import annotations

from pathlib import Path

from assistant.answer import Answer, Citation
from assistant.conversation_store import CONVERSATIONS_FILE, ConversationStore
from assistant.evaluation import parse_item
from assistant.feedback import evidence, feedback_items, reference

PASSAGE = "He met Senator Bill Hagerty from Tennessee on trade. Talks continue."


def cited(text: str) -> Answer:
    citation = Citation(id=1, source="corpus/a.txt", title="A", chunk_id="c", text=PASSAGE, start=0,
                        end=len(PASSAGE), score=0.6)  # fmt: skip
    return Answer(answer=text, citations=[citation])


def test_the_reference_is_the_answer_without_markers_and_the_evidence_its_quoted_sentences() -> None:
    answer = cited("[Kwatra] met Senator Bill Hagerty from Tennessee on trade [1]. Talks continue [1].")
    assert reference(answer) == "[Kwatra] met Senator Bill Hagerty from Tennessee on trade. Talks continue."
    assert evidence(answer) == ["met Senator Bill Hagerty from Tennessee on trade", "Talks continue"]
    assert evidence(cited("Something the passage does not hold [1].")) == []


def test_each_item_parses_as_a_question(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / CONVERSATIONS_FILE)
    saved = store.add_turn("o", None, "default", "Who did he meet?", cited("He met Senator Bill Hagerty [1]."))
    store.add_turn("o", saved.id, "default", "Where from?", cited("Tennessee on trade [1]."))
    store.rate("o", saved.id, 1, "up", "good")
    store.rate("o", saved.id, 0, "down", "too short")
    (up,) = feedback_items(store, "default", "up")
    question = parse_item(up, "up")
    assert (question.id, question.question, question.answer, question.evidence, question.sources) == (
        f"{saved.id}-1", "Where from?", "Tennessee on trade.", ("Tennessee on trade",), ("corpus/a.txt",))  # fmt: skip
    assert [t.content for t in question.history] == ["Who did he meet?", "He met Senator Bill Hagerty [1]."]
    (down,) = feedback_items(store, "default", "down")
    assert (down["comment"], down["given_answer"], "answer" in down) == ("too short", "He met Senator Bill Hagerty [1].",
                                                                       False)  # fmt: skip
    assert parse_item(down, "down").answer is None
