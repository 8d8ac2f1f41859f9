"""Measures a question gives, and the ranges sentences set."""

from __future__ import annotations

import math

import pytest

from assistant.ranges import _ranges, given, holds


def test_the_measures_a_question_gives_in_base_units() -> None:
    assert given("so if i pull out 3 weeks before how much do i get back") == [("time", 21.0)]
    assert given("my mates boat, its about 4.8m long") == [("length", 4.8)]
    assert given("can i cancel two days before?") == [("time", 2.0)]
    # A measure asked for is none given.
    assert given("how many days notice do i need to give?") == []
    assert given("how much a month is it?") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Between 14 and 28 days before the start: 50% refund", [("time", 14.0, 28.0)]),
        ("Less than 14 days before the start: no refund", [("time", 0.0, 14.0)]),
        ("More than 28 days before the start: full refund", [("time", 28.0, math.inf)]),
        ("It usually comes back within two to four weeks.", [("time", 14.0, 28.0)]),
        ("Large dinghy park space\t4.5 m to 6 m\t£165", [("length", 4.5, 6.0)]),
        ("Dinghy park space\tUp to 4.5 m\t£120", [("length", 0.0, 4.5)]),
        ("Boats of 6 m or more go on a mooring.", [("length", 6.0, math.inf)]),
        ("The course costs £165 for members.", []),
    ],
)
def test_the_ranges_a_sentence_sets(text: str, expected: list[tuple[str, float, float]]) -> None:
    assert _ranges(text) == expected


def test_a_range_holds_a_measure_of_its_kind_only() -> None:
    three_weeks = given("if i cancel 3 weeks before")
    assert holds("Between 14 and 28 days before the start: 50% refund", three_weeks) is True
    assert holds("More than 28 days before the start: full refund", three_weeks) is False
    # No range of that kind: nothing said either way.
    assert holds("Boats up to 4.5 m long", three_weeks) is None
    assert holds("A £50 deposit secures your place.", three_weeks) is None
