from assistant.extractive import ExtractiveAnswerer
from assistant.spelling import respelled
from assistant.synonyms import Synonyms
from core.records import Chunk, Hit

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


def test_a_word_the_index_holds_in_capitals_or_with_an_apostrophe_is_no_slip(synonyms: Synonyms) -> None:
    index = "Marie Dupont teaches on Fridays. The pool doesn't open on Sundays."
    passages = ["Maria Lopez runs the lessons.", "The pool doesn't open on Sundays."]
    hits = [Hit(Chunk(str(i), text, f"{i}.txt", "", (), 0, 0, len(text)), score=0.5) for i, text in enumerate(passages)]
    answerer = ExtractiveAnswerer(synonyms=synonyms, mentions=lambda text: text in index)
    # "marie" is a name the index holds (capitalised), not a slip of the passages' "maria".
    assert answerer.respelled("does marie work on fridays", hits) == "does marie work on fridays"
    assert answerer.respelled("does mariia work on fridays", hits) == "does maria work on fridays"
    # The index finds "autum" inside "autumn": a word it holds only as the start of the
    # word meant is still a slip.
    terms = [Hit(Chunk("a", "The autumn term starts in September.", "a.txt", "", (), 0, 0, 36), score=0.5)]
    seasons = ExtractiveAnswerer(synonyms=synonyms, mentions=lambda text: text in "The autumn term starts.")
    assert seasons.respelled("when does the autum term start", terms) == "when does the autumn term start"
    # "doesn't" is one word of the passages: "doesnt" is not read as "doesn".
    assert respelled("it doesnt open", passages, lambda w: False) == "it doesnt open"
