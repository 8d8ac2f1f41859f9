"""A yes-or-no question about a thing the documents never mention is declined, not answered
by a sentence that shares its other words."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.service import Assistant
from assistant.synonyms import Synonyms
from assistant.unheard import any_unheard_of, unheard_of
from assistant.word_vectors import WordVectors
from vectorstore.embeddings import Embedder

from ..helpers import ingested_assistant

GUIDE = """# Ashby Leisure Centre: visiting us

## Facilities
Ashby Leisure Centre has a 25-metre pool, a learner pool, a gym with 40 stations and a sports hall.
The car park behind the centre is free for members for up to three hours.
Towels can be hired from reception for £1.50.
Members can use the Wi-Fi in the café free of charge.

## Memberships
A monthly membership costs £32 and includes unlimited swimming.
You can freeze your membership for up to two months a year if you go on holiday or are ill.
The NHS referral scheme gives twelve weeks of gym sessions for £20.

## Food waste
Line your caddy with compostable liners or newspaper, but not plastic bags.
"""


@pytest.fixture(scope="module")
def guide_assistant(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[Assistant]:
    assistant = ingested_assistant(tmp_path_factory, embedder, {"ashby-leisure-centre.md": GUIDE})
    assistant.warm_up()
    yield assistant
    assistant.close()


@pytest.mark.parametrize(
    "question",
    [
        "does the leisure centre have a sauna?",
        "is there a student discount on the monthly membership?",
        "doesn't the leisure centre have a sauna?",
        # "dbs" is in no dictionary: it names a scheme of its own, not which of the guide's
        # referral schemes (as "carrier" only says which bag, below).
        "is there a dbs referral scheme for the gym?",
        # What a question opening with "is" ends on is what it asks its subject to be.
        "is the learner pool heated?",
    ],
)
def test_a_yes_or_no_question_about_a_thing_never_mentioned_is_declined(
    guide_assistant: Assistant, question: str
) -> None:
    answer = guide_assistant.ask(question)
    assert answer.abstained is True
    assert answer.citations == []


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        # "parking" is a form of the "car park" the guide names.
        ("is there parking at the leisure centre?", "The car park behind the centre is free for members"),
        # "carrier" only says which bag: the guide speaks of bags.
        ("can i line the caddy with a normal carrier bag?", "Line your caddy with compostable liners or newspaper"),
        # "pause" is what the question asks to do, not a thing: the guide says "freeze".
        ("can i pause my membership if i go on holiday?", "You can freeze your membership for up to two months"),
        # "wifi" is how the guide's "Wi-Fi" is typed.
        ("is there free wifi?", "Members can use the Wi-Fi in the café free of charge"),
        # "towel" is a form of "Towels"; "NHS" is written in capitals.
        ("can i hire a towel?", "Towels can be hired from reception for £1.50"),
        ("is the car park free?", "The car park behind the centre is free for members"),
        ("is there an nhs referral scheme for the gym?", "The NHS referral scheme gives twelve weeks of gym sessions"),
    ],
)
def test_a_yes_or_no_question_about_a_thing_said_in_another_form_is_answered(
    guide_assistant: Assistant, question: str, quoted: str
) -> None:
    answer = guide_assistant.ask(question)
    assert answer.abstained is False
    assert quoted in answer.answer


def test_only_things_asked_about_count(synonyms: Synonyms, word_vectors: WordVectors) -> None:
    texts = ["Juniors repeat the swim test every two years, while adults only take it once."]

    def mentions(text: str) -> bool:
        return any(text in t for t in texts)

    def unheard(question: str) -> list[str]:
        return unheard_of(question, texts, mentions, synonyms, word_vectors)

    # "couple" counts years, "well" is "as well" and "keen" is an adjective here.
    assert unheard("do adults need to redo it every couple of years as well?") == []
    assert unheard("are juniors keen on the swim test?") == []
    # Words that stand for anything are no thing asked about.
    assert unheard("do i need any stuff for the swim test?") == []
    # A noun the texts never use, in any form, is; the verb after the question's subject is
    # not ("count" may be a noun, but not there).
    assert unheard("do juniors need a helmet for the swim test?") == ["helmet"]
    assert unheard("does the swim test count towards a badge?") == ["badge"]
    assert unheard("do adults need the goggles and a cap for the test?") == ["goggles", "cap"]
    # "don't": the opening verb all the same; "is ... repeating": the verb of an "is" question.
    assert unheard("don't juniors repeat the test?") == []
    assert unheard("are juniors repeating the test?") == []
    # "my son" is the asker's own.
    assert unheard("does my son repeat the swim test?") == []
    # Nor is what the asker brings of their own ("my friend", "my 4 year old", "my van"),
    # which the documents may call a guest, a child or a car.
    assert unheard("can i bring my friend to the swim test?") == []
    assert unheard("can i bring my 4 year old to the swim test?") == []
    # Words in any script, without the quotes around them.
    assert unheard("is there a ‘goggles’ rule?") == ["goggles", "rule"]
    assert unheard("do juniors need a crèche pass?") == ["crèche"]
    # A noun after "to" is asked about ("go to the pool"), a verb after it is not.
    assert unheard("do juniors go to the pool for the test?") == ["pool"]
    # The verb after a subject and its auxiliary ("i can get") is no thing asked about.
    assert unheard("so what's the latest i can get in for the swim test?") == []
    assert unheard("what's the latest a junior can get in for the swim test?") == []
    assert any_unheard_of("do juniors need a helmet for the test?", texts, mentions, synonyms, word_vectors) is True
    assert any_unheard_of("do juniors repeat the test?", texts, mentions, synonyms, word_vectors) is False


def test_a_sum_taken_off_a_price_is_a_discount(synonyms: Synonyms) -> None:
    # "money off" reads "discount" (``plain``), which "£4 off" and "10% off" are.
    def unheard(question: str, text: str) -> list[str]:
        return unheard_of(question, [text], lambda _: False, synonyms, None)

    assert unheard("do we get money off", "Parties of 10 or more receive £4 off each full-price ticket.") == []
    assert unheard("do we get money off", "Members get 10% off in the café.") == []
    assert unheard("do we get money off", "Parties of 10 or more receive a free programme.") == ["discount"]
    assert unheard("do we get money off", "Turn the lights off at £4 an hour.") == ["discount"]
    assert unheard("do we get money off", "A day return costs £12.40 off-peak.") == ["discount"]


def test_a_word_an_idiom_puts_beside_the_question_s_is_heard_with_it(synonyms: Synonyms) -> None:
    # "discount" is read "discount concession", "subs" "subs subscriptions": a document
    # need use only one of each pair.
    def unheard(question: str, text: str) -> list[str]:
        return unheard_of(question, [text], lambda _: False, synonyms, None)

    assert unheard("is there a discount", "Members get 10% off compost.") == []
    assert unheard("is there a discount", "Plot-holders aged 65 or over can claim a concession.") == []
    assert unheard("do i get my subs back", "Subscriptions are refunded within three weeks.") == []
    # Neither word of a pair heard: both are unheard.
    assert unheard("is there a discount", "Parties receive a free programme.") == ["discount", "concession"]


def test_without_wordnet_or_an_index_nothing_is_unheard_of(tmp_path: Path, word_vectors: WordVectors) -> None:
    texts = ["Juniors repeat the swim test every two years."]
    missing = Synonyms(tmp_path)
    assert unheard_of("do juniors need goggles?", texts, lambda t: False, missing, word_vectors) == []
    assert unheard_of("do juniors need goggles?", texts, None, Synonyms(), word_vectors) == []


def test_a_synonym_that_is_a_common_word_does_not_know_a_thing(synonyms: Synonyms) -> None:
    # WordNet gives "can" for "toilet" and "will" for "testament": a passage saying "you can"
    # says nothing of toilets.
    text = "Children aged 8 to 11 can come on site with a parent, who will sign them in."

    def unheard(question: str) -> list[str]:
        return unheard_of(question, [text], lambda _: False, synonyms, None)

    assert unheard("is there a toilet on site") == ["toilet"]
    assert unheard("is there a loo on site") == ["loo"]
    # A synonym of its own is still one: "lavatory" is a toilet.
    assert (
        unheard_of("is there a toilet on site", ["The lavatory is by the shop."], lambda _: False, synonyms, None) == []
    )


def test_a_thing_two_nouns_name_is_heard_only_where_a_passage_uses_both(
    synonyms: Synonyms, word_vectors: WordVectors
) -> None:
    texts = [
        "The shop at reception sells swim caps, goggles and gift wrap.",
        "New members get two swim vouchers for a free guest swim.",
        "The server answers on smtp/tcp.",
        "Each port is listed in the services file.",
        "The gym is upstairs.",
        "You need to pay at reception.",
    ]

    def mentions(text: str) -> bool:
        return any(text in t for t in texts)

    def unheard(question: str) -> list[str]:
        return unheard_of(question, texts, mentions, synonyms, word_vectors)

    # The shop's gift wrap and the members' vouchers are no gift vouchers.
    assert unheard("do you sell gift vouchers?") == ["gift vouchers"]
    # "do" after the subject is its verb, not the auxiliary before one: "gift" is a thing.
    assert unheard("do u do gift vouchers? want one for my brother") == ["gift vouchers"]
    assert unheard("does the shop do gift vouchers?") == ["gift vouchers"]
    assert unheard("do new members get guest vouchers?") == []
    # The verb after the subject names no thing with the noun after it ("get goggles").
    assert unheard("do members get goggles at the shop?") == []
    # A word no dictionary lists ("smtp") may be written in other ways: "smtp/tcp".
    assert unheard("does the server listen on the smtp port?") == []
    # What may be the subject's verb ("need", "pay": nouns too) names no thing with the noun
    # before it.
    assert unheard("do members need goggles?") == []
    assert unheard("do members pay for goggles?") == []
    # Only the last two nouns of a run name the thing ("a shop swim cap" is a swim cap), and
    # only where nothing parts them ("gift wrap? vouchers").
    assert unheard("do you sell gym swim caps?") == []
    assert unheard("do you sell gift wrap? vouchers too?") == []
    # Only where the documents name kinds of the thing ("swim vouchers") does the noun
    # before it say which: where they speak of the thing alone ("free parking", "the hall"),
    # it is the one asked about.
    hall = ["There is free parking behind the hall.", "Car sharing is encouraged.", "The choir sings on Tuesdays."]
    assert unheard_of("is there a car park?", hall, lambda _: False, synonyms, word_vectors) == []
    assert unheard_of("is there a choir hall?", hall, lambda _: False, synonyms, word_vectors) == []
    halls = [*hall, "The sports hall opens at 9.", "A concert is held in May."]
    assert unheard_of("is there a concert hall?", halls, lambda _: False, synonyms, word_vectors) == ["concert hall"]
    # Two nouns written as one are both used: "bathrobes", "baby-changing".
    robes = ["Bathrobes are provided in every room.", "The bath is in the en-suite.", "Robes are cotton."]
    assert unheard_of("are bath robes provided?", robes, lambda _: False, synonyms, word_vectors) == []
