from assistant.spelling import respelled
from assistant.synonyms import Synonyms

PASSAGES = [
    "Swimming lessons run in term time. Bring goggles and a towel.",
    "Members can borrow books, ebooks and audiobooks. A deposit is taken for power tools.",
]


def test_a_misspelt_word_is_read_as_the_passages_word_one_slip_away(synonyms: Synonyms) -> None:
    def known(word: str) -> bool:
        return bool(synonyms.parts(word))

    # A letter left out, one added, two swapped, one changed.
    assert respelled("whens the spring term for swimmng", PASSAGES, known) == "whens the spring term for swimming"
    assert respelled("how much is the depposit", PASSAGES, known) == "how much is the deposit"
    assert respelled("do i need gogles", PASSAGES, known) == "do i need goggles"
    assert respelled("can i borow audiobooks", PASSAGES, known) == "can i borrow audiobooks"
    # A word of English is no slip, however near a word of the passages ("tower" / "towel").
    assert respelled("is there a tower", PASSAGES, known) == "is there a tower"
    # Nor is a word whose first letter differs ("rbooks" / "books"), nor one that a slip
    # could have made of either of two words ("bocks": "books" or "bucks").
    assert respelled("can i get rbooks", PASSAGES, known) == "can i get rbooks"
    assert respelled("bocks or bucks", [*PASSAGES, "Bucks Fizz"], known) == "bocks or bucks"
    # Words shorter than five letters are left alone: one slip makes too many words.
    assert respelled("can i borow a tol", PASSAGES, known) == "can i borrow a tol"
