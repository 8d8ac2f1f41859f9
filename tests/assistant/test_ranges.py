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
    # An age is no length of time; a range given is no one figure.
    assert given("my daughter is 8 years old, how much for her?") == []
    assert given("we want to stay 3-4 nights") == []
    assert given("visibility is 1,000 m") == [("length", 1000.0)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Between 14 and 28 days before the start: 50% refund", [("time", 14.0, 28.0, True, True)]),
        ("Less than 14 days before the start: no refund", [("time", 0.0, 14.0, True, False)]),
        ("More than 28 days before the start: full refund", [("time", 28.0, math.inf, False, True)]),
        ("It usually comes back within two to four weeks.", [("time", 14.0, 28.0, True, True)]),
        ("Large dinghy park space\t4.5 m to 6 m\t£165", [("length", 4.5, 6.0, True, True)]),
        ("Dinghy park space\tUp to 4.5 m\t£120", [("length", 0.0, 4.5, True, True)]),
        ("Trailer bay\tOver 5.5 m\t£210", [("length", 5.5, math.inf, False, True)]),
        ("Boats of 6 m or more go on a mooring.", [("length", 6.0, math.inf, True, True)]),
        # "no" and "not" turn a bound round.
        ("A single booking can last no longer than 3 days.", [("time", 0.0, 3.0, True, True)]),
        ("Book no less than 6 weeks ahead.", [("time", 42.0, math.inf, True, True)]),
        ("Sessions run from 30 minutes to 1 hour.", [("time", 30 * (1 / 1440), 1 / 24, True, True)]),
        # A notice and a duration are no bounds.
        ("Cancel free of charge up to 24 hours in advance.", []),
        ("The course is spread over 3 days.", []),
        ("The course costs £165 for members.", []),
    ],
)
def test_the_ranges_a_sentence_sets(text: str, expected: list[tuple[str, float, float, bool, bool]]) -> None:
    assert _ranges(text) == expected


def test_a_range_holds_a_measure_of_its_kind_only() -> None:
    three_weeks = given("if i cancel 3 weeks before")
    assert holds("Between 14 and 28 days before the start: 50% refund", three_weeks) is True
    assert holds("More than 28 days before the start: full refund", three_weeks) is False
    # No range of that kind: nothing said either way.
    assert holds("Boats up to 4.5 m long", three_weeks) is None
    assert holds("A £50 deposit secures your place.", three_weeks) is None


def test_a_bound_the_range_does_not_reach_is_outside_it() -> None:
    fourteen_days = given("if i cancel 14 days before")
    assert holds("Less than 14 days before the start: no refund", fourteen_days) is False
    assert holds("Between 14 and 28 days before the start: 50% refund", fourteen_days) is True
