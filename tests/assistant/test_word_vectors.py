"""Matching question words to sentence words by meaning, with the model's own word table."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.extractive import ExtractiveAnswerer
from assistant.word_vectors import MAX_TEXTS, WordVectors
from core.records import Chunk, Hit


@pytest.fixture
def vectors(word_vectors: WordVectors) -> WordVectors:
    return word_vectors


def _hit(text: str) -> Hit:
    return Hit(Chunk("a", text, "a.txt", "", (), 0, 0, len(text)), score=0.6)


def test_near_words_score_high_and_unrelated_ones_low(vectors: WordVectors) -> None:
    near = vectors.nearest(["worried", "cost"], [("concerns", "fishing"), ("turbine",), ("price", "vessel"), ()])
    assert near.astype(float).round(2).tolist() == [[0.49, 0.10], [-0.05, 0.05], [-0.06, 0.54], [0.0, 0.0]]


def test_a_word_seen_again_gets_the_same_vector(vectors: WordVectors) -> None:
    first = vectors.nearest(["price"], [("cost",)])
    vectors.nearest(["harbour"], [("turbine", "cable", "seabed")])
    assert vectors.nearest(["price"], [("cost",)]) == pytest.approx(first)


def test_without_the_table_answers_match_exact_words_only(tmp_path: Path) -> None:
    missing = WordVectors(tmp_path)
    assert missing.available is False
    assert missing.nearest(["cost"], [("price",)]).tolist() == [[0.0]]
    text = "The price rose. The cost of the cable was twelve million pounds."
    answer = ExtractiveAnswerer(vectors=missing).answer("What was the cost of the cable?", [_hit(text)])
    assert answer.answer == "The cost of the cable was twelve million pounds [1]."


def test_the_answer_sentence_says_it_in_other_words(vectors: WordVectors) -> None:
    # "not running continuously" is the laptop that "isn't on all the time"; the
    # distractor shares "run" and "periodic" word for word.
    text = (
        "For scheduled system maintenance scripts, you can run them periodically from the root account by placing "
        'such scripts in "/etc/cron.daily/". For a system not running continuously, install the anacron package '
        "to schedule periodic commands as closely as machine uptime permits."
    )
    question = "My laptop isn't on all the time; what should I use to run periodic jobs?"
    words_only = ExtractiveAnswerer().answer(question, [_hit(text)])
    by_meaning = ExtractiveAnswerer(vectors=vectors).answer(question, [_hit(text)])
    assert words_only.answer.startswith("For scheduled system maintenance scripts")
    assert by_meaning.answer.startswith("For a system not running continuously, install the anacron package")
    assert np.isclose(by_meaning.citations[0].score, 0.6)


def test_an_asked_word_that_grows_the_table_is_read_from_the_grown_one() -> None:
    fresh = WordVectors()
    fresh.nearest(["w0"], [tuple(f"w{n}" for n in range(1, 1024))])  # rows 0-1023: the table is full
    near = fresh.nearest(["price"], [("w5",)])  # only "price" is new: it takes row 1024 and grows the table
    assert near.tolist() == WordVectors().nearest(["price"], [("w5",)]).tolist()


def test_a_server_meeting_new_sentences_of_old_words_keeps_its_memory_bounded() -> None:
    # A large corpus of a small vocabulary brings sentences never seen before, question
    # after question, made of words seen long ago: what is remembered of them stays bounded.
    fresh = WordVectors()
    words = [f"w{n}" for n in range(50)]
    texts = [(*(words[(i + j * 7) % 50] for j in range(i % 9 + 1)), str(i)) for i in range(MAX_TEXTS + 500)]
    for start in range(0, len(texts), 500):
        fresh.nearest(["price"], texts[start : start + 500])
    assert len(fresh._texts) <= MAX_TEXTS
    # What was forgotten is worked out again, the same.
    assert fresh.nearest(["price"], texts[:3]).tolist() == WordVectors().nearest(["price"], texts[:3]).tolist()


def test_the_table_is_saved_once_and_read_back_mapped(tmp_path: Path) -> None:
    # A new process reads the half-precision table from its file in the model cache,
    # mapped, so it loads at once and the workers of a server share its pages.
    first = WordVectors(cache_dir=tmp_path)
    expected = first.nearest(["worried"], [("concerns", "fishing")])
    saved = list(tmp_path.glob("word-pieces-*.f16.npy"))
    assert len(saved) == 1 and not list(tmp_path.glob("*.partial"))
    again = WordVectors(cache_dir=tmp_path)
    assert again.nearest(["worried"], [("concerns", "fishing")]).tolist() == expected.tolist()
    assert isinstance(again._table[0], np.memmap)
    assert WordVectors().nearest(["worried"], [("concerns", "fishing")]).tolist() == expected.tolist()


def test_a_damaged_saved_table_is_read_from_the_model_again(tmp_path: Path) -> None:
    WordVectors(cache_dir=tmp_path).warm_up()
    (saved,) = tmp_path.glob("word-pieces-*.f16.npy")
    saved.write_bytes(b"not an array")
    damaged = WordVectors(cache_dir=tmp_path)
    assert damaged.nearest(["cost"], [("price",)]).tolist() == WordVectors().nearest(["cost"], [("price",)]).tolist()
    assert np.load(saved, allow_pickle=False).dtype == np.float16  # saved again, whole


def test_the_closest_of_many_words_is_found_without_remembering_them_as_a_text(vectors: WordVectors) -> None:
    texts_before = len(vectors._texts)
    others = {"concerns", "fishing", "turbine", "vessel"}
    assert vectors.closest("worried", others) == pytest.approx(0.49, abs=0.005)
    assert vectors.closest("worried", set()) == 0.0
    assert len(vectors._texts) == texts_before
