"""Country names folded to one form, so a question's "America" meets a passage's "U.S."."""

from __future__ import annotations

import pytest

from assistant.aliases import MAX_RANGE, fold, numbered


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        # Every capitalised form, a possessive with it, several in one sentence.
        (
            "America’s trade with New Delhi grew, and Washington and the U.S.A. agreed.",
            "U.S. trade with India grew, and U.S. and the U.S. agreed.",
        ),
        # "us" the pronoun stays; "US" is the country, and so is "the united states" as typed.
        ("Tell us what the US and the united states said.", "Tell us what the U.S. and the U.S. said."),
        ("how does india help america in asia?", "how does India help U.S. in asia?"),
        # Lower-case forms that are common words are no countries.
        ("polish the turkey, then serve french fries on china", "polish the turkey, then serve french fries on china"),
        ("Americans in Brussels met the EU.", "U.S. in European Union met the European Union."),
        ("e.g.America", "e.g.America"),  # no name starts inside a word
        ("The output may roll off your screen.", "The output may roll off your screen."),
    ],
)
def test_country_names_are_folded_to_one_form(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("For pupils in Years 3 to 5, lunch costs £2.60.", ["year#3", "year#4", "year#5"]),
        ("Open to Years 5–6 and Band 1", ["year#5", "year#6", "band#1"]),
        # Not a range: a time, a decimal, a span wider than a list would be.
        ("Phase 2 to 3:30pm", ["phase#2"]),
        ("Open Saturday 9-12pm only", ["saturda#9"]),
        ("Year 3 to 6% off", ["year#3"]),
        ("version 2 to 30", ["version#2"]),
        ("Monday 6 January 2025", ["monday#6"]),
    ],
)
def test_a_range_numbers_each_thing_in_it(text: str, terms: list[str]) -> None:
    assert numbered(text) == terms


def test_the_widest_range_is_a_dozen() -> None:
    assert MAX_RANGE == 12
    assert len(numbered("rooms 1 to 13")) == 1 and len(numbered("rooms 1 to 12")) == 12
