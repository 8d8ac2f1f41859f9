"""Where a question asking several things is cut into the questions it asks."""

from __future__ import annotations

import pytest

from assistant.answer import Answer, Citation
from assistant.compound import joined, parts


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
            "how much is the adult membership and are guests allowed?",
            ["how much is the adult membership?", "are guests allowed?"],
        ),
        (
            "what is the difference between a park space and a large park space, and how long is the waiting list?",
            ["what is the difference between a park space and a large park space?", "how long is the waiting list?"],
        ),
        ("i'm new. how much is it and when are renewals due?", ["i'm new. how much is it?", "when are renewals due?"]),
        (
            "Hi there, what time do you open and how much is it?",
            ["Hi there, what time do you open?", "how much is it?"],
        ),
        (
            "hi my daughter is 9, how much is junior membership for her and is there a joining fee?",
            ["hi my daughter is 9, how much is junior membership for her?", "is there a joining fee?"],
        ),
        ("what time do you open？ how much is it？", ["what time do you open?", "how much is it?"]),
        # After what the asker says of themselves and a dash; after a lead-in ("ok so"),
        # whose "how" is no clause of the first question.
        (
            "i want to learn to lead myself - whats the price of the course and how many sessions is it",
            ["i want to learn to lead myself - whats the price of the course?", "how many sessions is it?"],
        ),
        ("the course - what is it - and how long is it", ["the course - what is it?", "how long is it?"]),
        (
            "ok so how much is a guest pass and how many times can she use one",
            ["ok so how much is a guest pass?", "how many times can she use one?"],
        ),
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
        # Clauses beside each other in one question, and a title in quotes.
        "what should i wear when it's cold and when it's wet?",
        "is there someone who can help and who speaks french?",
        "are there courses which are for juniors and which run in august?",
        "what does the section 'Where and when do we sail' say?",
        # "have" before what is had, not its subject.
        "can i bring kids and have a party there?",
        # More parts than anyone asks in one breath.
        "is it red and is it blue and is it green and is it pink and is it grey?",
        # A clause after a comma about what it follows.
        "I'm booked on the Level 2 course, which starts in June, and can my son come too?",
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


def _cited(text: str, *passages: tuple[int, str]) -> Answer:
    """An answer quoting ``text``, its [n] citing the passages given as (n, chunk id)."""
    citations = [
        Citation(
            id=n, source="guide.md", title="Guide", chunk_id=chunk, text=f"passage {chunk}", start=0, end=9, score=0.5
        )
        for n, chunk in passages
    ]
    return Answer(answer=text, citations=citations, query=text)


def _declined(query: str) -> Answer:
    return Answer(answer="I could not find the answer to that in the indexed documents.", abstained=True, query=query)


def test_a_part_whose_best_sentence_an_earlier_part_quoted_adds_nothing() -> None:
    # Its runner-up (the adult's fee) would read as the answer to "the joining fee for it".
    first = _cited("[Family, Annual fee] £320 [1]. [Family, Joining fee] £60 [1].", (1, "fees"))
    second = _cited("[Family, Joining fee] £60 [1]. [Adult, Joining fee] £40 [1].", (1, "fees"))
    answer = joined([("how much is it for a family?", first), ("what is the joining fee for it?", second)], 5)
    assert answer.answer == "[Family, Annual fee] £320 [1]. [Family, Joining fee] £60 [1]."
    assert [c.chunk_id for c in answer.citations] == ["fees"]


def test_the_parts_cite_one_passage_once_and_no_more_passages_than_allowed() -> None:
    first = _cited("Open at 9 [1]. Closes at 5 [2].", (1, "hours"), (2, "closing"))
    second = _cited("A swim costs £4 [1]. Lessons cost £8 [2].", (1, "closing"), (2, "prices"))
    answer = joined([("when is it open?", first), ("how much is it?", second)], 2)
    assert answer.answer == "Open at 9 [1]. Closes at 5 [2]. A swim costs £4 [2]."
    assert [(c.id, c.chunk_id) for c in answer.citations] == [(1, "hours"), (2, "closing")]


def test_a_part_nothing_answers_is_quoted_without_making_its_brackets_markers() -> None:
    answer = joined(
        [("what does [2] mean?", _declined("what does [2] mean?")), ("when?", _cited("At 9 [1].", (1, "a")))], 5
    )
    assert answer.answer == "At 9 [1]. I could not find the answer to “what does (2) mean?” in the indexed documents."
    assert [c.id for c in answer.citations] == [1]


def test_a_part_another_part_s_sentence_answers_is_not_said_to_be_unanswered() -> None:
    # The lunch sentence gives the course days' times too.
    lunch = _cited("Course days run from 09:30 to 16:30, with a break for lunch [1].", (1, "days"))
    parts_answered = [("what time do course days start?", _declined("what time")), ("is lunch included?", lunch)]
    assert joined(parts_answered, 5).answer == "Course days run from 09:30 to 16:30, with a break for lunch [1]."


def test_a_part_on_something_else_is_still_said_to_be_unanswered() -> None:
    # The clubhouse's Saturday hours are a time on Saturday, but not the cafe's.
    clubhouse = _cited("[Saturday, Clubhouse] 09:00–18:00 [1].", (1, "hours"))
    parts_answered = [
        ("what time does the cafe open on saturday?", _declined("cafe")),
        ("what time does the clubhouse open on saturday?", clubhouse),
    ]
    assert joined(parts_answered, 5).answer == (
        "[Saturday, Clubhouse] 09:00–18:00 [1]. "
        "I could not find the answer to “what time does the cafe open on saturday?” in the indexed documents."
    )
