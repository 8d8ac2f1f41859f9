from __future__ import annotations

import pytest

from assistant.conversation import Turn, follow_up_context, is_follow_up
from assistant.question import expected_type, name_stem, names, satisfies


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("When did the talks start?", "date"),
        ("On what date was the deal signed?", "date"),
        ("How many rounds were held?", "count"),
        ("How much LNG will be shipped?", "quantity"),
        ("What is the total dollar value of trade?", "quantity"),
        ("Who is the ambassador?", "any"),
    ],
)
def test_expected_answer_type(question: str, kind: str) -> None:
    assert expected_type(question) == kind


def test_sentences_that_can_hold_each_type() -> None:
    assert satisfies("Five rounds have been completed.", "count")
    assert not satisfies("Rounds have been completed.", "count")
    assert satisfies("Tariffs of 50 per cent were imposed.", "quantity")
    assert not satisfies("The two countries are near a deal.", "quantity")
    assert satisfies("They met in March 2024.", "date")
    assert not satisfies("They met recently.", "date")


def test_names_skip_the_opening_word_and_stopwords() -> None:
    assert names("What did Kwatra discuss with Senator Marco Rubio?") == ["Kwatra", "Senator", "Marco", "Rubio"]
    assert names("Does the India-US deal cover LNG?") == ["India", "US", "LNG"]
    assert name_stem("Russian") == "Russi" and name_stem("Indian") == "Indi" and name_stem("Modi") == "Modi"


def test_follow_up_detection_and_context() -> None:
    history = [
        Turn(role="user", content="Who is India's ambassador to the U.S.?"),
        Turn(role="assistant", content="India’s Ambassador is Vinay Mohan Kwatra [1].\n\nSources:\n[1] a.txt"),
    ]
    assert is_follow_up("Which senators did he meet?")
    assert is_follow_up("And the tariffs?")
    assert not is_follow_up("Which senators did Kwatra meet in Washington?")
    assert follow_up_context("Which senators did he meet?", history) == (
        "Who is India's ambassador to the U.S.? India’s Ambassador is Vinay Mohan Kwatra."
    )
    assert follow_up_context("Which senators did Kwatra meet in Washington?", history) == ""
    assert follow_up_context("Which senators did he meet?", []) == ""
