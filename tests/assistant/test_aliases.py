"""Country names folded to one form, so a question's "America" meets a passage's "U.S."."""

from __future__ import annotations

import pytest

from assistant.aliases import fold


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
