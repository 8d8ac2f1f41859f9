"""Where a question asking several things is cut into the questions it asks."""

from __future__ import annotations

import pytest

from assistant.compound import parts


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "what time does the studio open on saturday and how much is the taster membership",
            ["what time does the studio open on saturday?", "how much is the taster membership?"],
        ),
        ("hi, can i bring my dog and do i need to book?", ["hi, can i bring my dog?", "do i need to book?"]),
        ("when does it open? how much is it?", ["when does it open?", "how much is it?"]),
        (
            "if i cancel a week before, what do i get back? and how long does a refund take",
            ["if i cancel a week before, what do i get back?", "how long does a refund take?"],
        ),
        ("what does it cost, and where do i pay", ["what does it cost?", "where do i pay?"]),
        ("is there parking and is it free?", ["is there parking?", "is it free?"]),
        ("can u tell me what time it opens and what it costs", ["can u tell me what time it opens?", "what it costs?"]),
        (
            "who is the coach, what age groups are there and how much are lessons?",
            ["who is the coach, what age groups are there?", "how much are lessons?"],
        ),
    ],
)
def test_a_second_question_after_and_or_a_question_mark_is_asked_on_its_own(question: str, expected: list[str]) -> None:
    assert parts(question) == expected


@pytest.mark.parametrize(
    "question",
    [
        # One question about two things.
        "what is the difference between a hard link and what a symlink is?",
        "can i compare the taster and how the maker membership works?",
        # Two verbs of one question, no second question.
        "how do i find and kill a process",
        "what time do you open and close",
        # A clause its verb closes is what the first question asks about.
        "How can I check that I am using a Debian system, and what version it is?",
        # A negated verb says why the first was asked.
        "Why is that step even needed? doesn't the package ship the data ready to use?",
        # Too short to search on its own.
        "who founded the array and when",
        # Not asked as a question.
        "i want to know if i can bring my dog and if there's parking",
        "tell me about the maker membership and what about the studio one",
    ],
)
def test_one_question_stays_whole(question: str) -> None:
    assert parts(question) == [question]
