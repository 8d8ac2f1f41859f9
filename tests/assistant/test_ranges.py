"""Measures a question gives, and the ranges sentences set."""

from __future__ import annotations

import math

import pytest

from assistant.ranges import _age_ranges, _ranges, ages_given, given, holds, narrowest, only_ages, sets_ages


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
    # An area, in square metres, as people type it.
    assert given("my plot is 250 sq m how much rent") == [("area", 250.0)]
    assert given("it's about 100 square metres") == [("area", 100.0)]


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
        ("Full plot\t151–300 sq m\t£85", [("area", 151.0, 300.0, True, True)]),
        ("Quarter plot\tup to 75 sq m\t£28", [("area", 0.0, 75.0, True, True)]),
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


def test_the_ages_a_question_gives_in_years() -> None:
    assert ages_given("my son is 11, which of the kids clubs would he go in?") == [("age", 11.0)]
    assert ages_given("my lad's 13 and v keen") == [("age", 13.0)]
    assert ages_given("she is 2½, which room is she in") == [("age", 2.5)]
    assert ages_given("how much for my 14 month old") == [("age", pytest.approx(14 / 12))]
    assert ages_given("can an 8-year-old join?") == [("age", 8.0)]
    assert ages_given("my 7yo wants to come") == [("age", 7.0)]
    assert ages_given("he turns 12 next month") == [("age", 12.0)]
    assert ages_given("twins aged 9, can they come?") == [("age", 9.0)]
    assert ages_given("my kids are 5 and 8") == [("age", 5.0), ("age", 8.0)]
    assert ages_given("my dad is 70, is there a discount") == [("age", 70.0)]
    assert ages_given("my daughter, 9, wants to join") == [("age", 9.0)]
    assert ages_given("my daughter is 9 and my son is 5 - which club?") == [("age", 9.0), ("age", 5.0)]
    assert ages_given("and when shes 14 can she come on her own?") == [("age", 14.0)]
    # A dash before a number is a range's, not the end of an age's clause.
    assert ages_given("shes 5 - 10 mins away") == []
    assert ages_given("he is 10 - 12 stone, which boat") == []
    # A number that ends no clause, or a time, a length, a weight or a sum, is no age.
    assert ages_given("im 3 days late with the fee") == []
    assert ages_given("she is 15 minutes away") == []
    assert ages_given("she is 1.5m tall, which harness?") == []
    assert ages_given("she's 12.5kg") == []
    assert ages_given("he is 12:30 late") == []
    assert ages_given("i'm 1,000 miles away") == []
    assert ages_given("how many clubs are there?") == []
    # A range gives no one age.
    assert ages_given("what classes are there for 8-11 year olds") == []


def test_an_age_is_no_length_of_time() -> None:
    assert given("my 10-year-old wants to join") == []
    assert given("an 8-year-old") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Climbers aged 14 to 17 can climb without an adult.", [("age", 14.0, 18.0, True, False)]),
        ("Club Junior Club\tAges 8 to 11\tWhen Saturday", [("age", 8.0, 12.0, True, False)]),
        ("Age group 8 to 11", [("age", 8.0, 12.0, True, False)]),
        ("Ages 2½ to 4", [("age", 2.5, 5.0, True, False)]),
        ("Room Babies\tAge Under 2\tFee £60", [("age", 0.0, 2.0, True, False)]),
        ("Adult\tAges 18 and over\t£52", [("age", 18.0, math.inf, True, True)]),
        ("Adults (18+)", [("age", 18.0, math.inf, True, True)]),
        ("Minimum age 16", [("age", 16.0, math.inf, True, True)]),
        ("aged 14 and under", [("age", 0.0, 15.0, True, False)]),
        ("Under-5s travel free.", [("age", 0.0, 5.0, True, False)]),
        ("Children under 14 must be supervised.", [("age", 0.0, 14.0, True, False)]),
        # "over-65s" are 65 and over, as "Under 18s" are up to 18.
        ("Tickets for over-65s are £5.", [("age", 65.0, math.inf, True, True)]),
        ("Babies 0-2 years", [("age", 0.0, 3.0, True, False)]),
        ("aged 6 months to 2 years", [("age", 0.5, 3.0, True, False)]),
        ("aged 6-12 weeks", [("age", 6 * 7 / 365, 13 * 7 / 365, True, False)]),
        (
            "Children under 12 must travel with a passenger aged 16 or over.",
            [("age", 0.0, 12.0, True, False), ("age", 16.0, math.inf, True, True)],
        ),
        # No age is named: a grade, a group's size, a time, a duration.
        ("Squad members must climb at grade 5+.", []),
        ("Groups of 10 and over get 10% off.", []),
        ("Sessions are under 2 hours long.", []),
        ("The pass is valid for 6-12 months.", []),
        # A band without a unit is an age's only after a word naming ages: "8 to 11" alone is not.
        ("Junior Club\t8 to 11\tSaturday", []),
    ],
)
def test_the_age_bands_a_sentence_sets(text: str, expected: list[tuple[str, float, float, bool, bool]]) -> None:
    assert _age_ranges(text) == [
        (kind, pytest.approx(low), pytest.approx(high), a, b) for kind, low, high, a, b in expected
    ]
    assert sets_ages(text) is bool(expected)


def test_a_cell_is_all_age_band_or_holds_another_figure_too() -> None:
    assert only_ages("Ages 12 to 17") is True
    assert only_ages("Ages 6 to 8, Saturdays 10:00–10:45") is False
    assert only_ages("£210") is False


def test_an_age_band_holds_every_age_in_its_last_year() -> None:
    assert holds("Climbers aged 14 to 17", [("age", 17.5)]) is True
    assert holds("Climbers aged 14 to 17", [("age", 18.0)]) is False
    assert holds("Age Under 2", [("age", 14 / 12)]) is True
    assert holds("Age Under 2", [("age", 2.0)]) is False
    assert holds("Tickets for over-65s", [("age", 65.0)]) is True
    # Ages are read only for an age given: "aged 6" is no six days.
    assert holds("children aged 6 and over", [("time", 10.0)]) is None


def test_the_narrowest_band_holding_the_age_is_the_closest_fit() -> None:
    assert narrowest("Club Youth Squad\tAges 12 to 17", [("age", 13.0)]) == (6.0, -12.0)
    assert narrowest("birthday parties for children aged 6 and over", [("age", 13.0)]) == (math.inf, -6.0)
    # Of two open bands, the one starting later: a 68-year-old's is "67 or over", not "18 and over".
    assert narrowest("Senior\tAged 67 or over", [("age", 68.0)]) < narrowest("Adult\tAges 18 and over", [("age", 68.0)])
    # A band that does not hold the age fits it not at all.
    assert narrowest("Club Junior Club\tAges 8 to 11", [("age", 12.0)]) == (math.inf, math.inf)
