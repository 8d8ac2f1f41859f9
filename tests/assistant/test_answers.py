"""What a reader of an extractive answer sees: the sentence chosen, how it reads, and
how follow-ups behave. Real model, real Chroma, the bundled corpus and an uploaded one."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.answer import ABSTAIN_TEXT, MARKER, Answer
from assistant.app import build_application
from assistant.conversation import Turn, standalone, typed_lower
from assistant.evidence import adds_an_answer, held_in_ranges, sets_a_limit, terms_of
from assistant.extractive import ExtractiveAnswerer, candidates
from assistant.idioms import plain
from assistant.metrics import readability_defects
from assistant.question import (
    asks_for_path,
    asks_for_person,
    asks_whom_to_reach,
    asks_yes_or_no,
    counted,
    expected_type,
    gives_a_length,
)
from assistant.quoting import (
    label_end,
    opens_with_referent,
    organisations,
    people,
    person_before,
    verbatim,
    with_full_names,
)
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.synonyms import Synonyms
from assistant.word_vectors import WordVectors
from core.records import Chunk, Hit
from core.text import words
from ingest.chunking import Chunker
from ingest.loaders import load
from ingest.normalize import normalise
from ingest.pipeline import Ingestor
from vectorstore.embeddings import Embedder, TokenCounter

from ..conftest import ROOT, SEED_DOC
from ..helpers import ingested_assistant

OUTPOST = """# Kestrel Lunar Outpost

## Founding

The Kestrel Lunar Outpost was founded in 2031 by Dr. Amara Lindqvist, a mining engineer from Kiruna.
She chose the Shackleton crater rim because it stays in sunlight for most of the lunar year.

## Power

Primary power: The outpost runs a fission reactor that produces 42 megawatts of electricity.
Its backup is a field of solar panels on the crater rim.

## Crew

The first crew had eleven members, led by commander Tomas Oyelaran.
"""


def _hit(chunk_id: str, text: str, score: float, headings: tuple[str, ...] = ()) -> Hit:
    return Hit(Chunk(chunk_id, text, f"{chunk_id}.txt", "", headings, 0, 0, len(text)), score=score)


def _turns(*pairs: tuple[str, Answer]) -> list[Turn]:
    return [t for q, a in pairs for t in (Turn(role="user", content=q), Turn(role="assistant", content=a.answer))]


def _exchange(question: str, answer: str) -> list[Turn]:
    """A question and the answer a chat page showed for it, as history."""
    return [Turn(role="user", content=question), Turn(role="assistant", content=answer)]


def _quotes(answer: Answer) -> list[str]:
    return [s.strip() for s, _ in re.findall(r"(.+?)\s*((?:\[\d+\])+)[.!?]?\s*", answer.answer)]


@pytest.fixture(scope="module")
def upload_assistant(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[Assistant]:
    """The bundled corpus plus a document uploaded later, as a user would add one."""
    assistant = ingested_assistant(tmp_path_factory, embedder, {"kestrel-lunar-outpost.md": OUTPOST}, SEED_DOC.parent)
    yield assistant
    assistant.close()


def test_the_answer_sentence_beats_a_distractor_that_shares_more_words() -> None:
    # The distractor repeats the question's words; the answer names a person the question lacks.
    hits = [
        _hit("a", "The ambassador of India to the United States is a key post in the relationship. "
                  "The current ambassador is Vinay Mohan Kwatra, who took office last year.", 0.6),
    ]  # fmt: skip
    answer = ExtractiveAnswerer().answer("Who is the ambassador of India to the United States?", hits)
    assert answer.answer.startswith("The current ambassador is Vinay Mohan Kwatra, who took office last year [1].")


def test_a_pasted_label_is_left_out_and_the_quote_is_the_documents_text() -> None:
    text = "Energy Security: Better and more diversified energy imports would strengthen the energy mix."
    answer = ExtractiveAnswerer().answer("What would diversified energy imports strengthen?", [_hit("a", text, 0.7)])
    assert answer.answer == "Better and more diversified energy imports would strengthen the energy mix [1]."
    assert readability_defects(answer.answer) == []


def test_label_cut_keeps_citation_offsets_slicing_the_document(seed_assistant: Assistant) -> None:
    document = normalise(load(SEED_DOC)).text
    answer = seed_assistant.ask("What would more diversified energy imports strengthen for India?")
    assert answer.answer.startswith("Better and more diversified energy imports, including LNG/US oil, would")
    citation = answer.citations[0]
    assert document[citation.start : citation.end] == citation.text
    assert verbatim(_quotes(answer)[0]) in citation.text


def test_questions_are_context_never_quotes() -> None:
    text = (
        "What is the latest version of Debian? Are there package upgrades in stable? "
        "The latest release is Debian 12, codenamed bookworm, released in June 2023."
    )
    answer = ExtractiveAnswerer().answer("What is the latest version of Debian?", [_hit("faq", text, 0.8)])
    assert answer.answer == "The latest release is Debian 12, codenamed bookworm, released in June 2023 [1]."


def test_a_pointer_to_a_section_titled_as_a_question_is_not_quoted() -> None:
    # "See also <a title that asks>?." ends with the stop after the link: the pointer
    # answers nothing, and quoting it reads as a question.
    text = (
        "Self is merely a conventional name for the first argument of a method. "
        "See also Why must self be used explicitly in method definitions and calls?."
    )
    answer = ExtractiveAnswerer().answer("What is self in a method definition?", [_hit("faq", text, 0.8)])
    assert answer.answer == "Self is merely a conventional name for the first argument of a method [1]."
    assert readability_defects(answer.answer) == []


def test_an_exclamation_after_a_question_mark_still_asks() -> None:
    # A table of contents line ("OK, now I know what Debian is... what is Linux?!") is a
    # question, never an answer.
    text = "What is Debian GNU/Linux? OK, now I know what Debian is... what is Linux?! Debian is an operating system."
    answer = ExtractiveAnswerer().answer("What is Linux?", [_hit("toc", text, 0.8)])
    assert answer.answer == "Debian is an operating system [1]."


ROTATION = (
    "Log rotation is handled by logrotate, which a systemd timer starts once a day. "
    "Never rotate the log files by hand while the daemon writes to them, or lines are lost."
)


def _section(chunk_id: str, text: str, title: str, index: int = 0, score: float = 0.7) -> Hit:
    chunk = Chunk(chunk_id, text, "manual.txt", "Manual", ("Chapter 3. Logs", title), index, 0, len(text))
    return Hit(chunk, score=score)


def test_the_sentence_opening_a_section_titled_as_the_question_leads(word_vectors: WordVectors) -> None:
    # The second sentence holds more of the question's words; the first is what the
    # section, titled as the question, answers with.
    hits = [_section("a", ROTATION, "3.4. How do I rotate the log files?")]
    answer = ExtractiveAnswerer(vectors=word_vectors).answer("How do I rotate the log files?", hits)
    assert _quotes(answer)[0] == "Log rotation is handled by logrotate, which a systemd timer starts once a day"


@pytest.mark.parametrize(
    ("title", "index", "before"),
    [
        ("3.4. Rotate the log files, compress them and mail them off-site", 0, False),  # asks more than the question
        ("3.4. How do I rotate the log files?", 1, True),  # goes on a section begun before it
    ],
)
def test_a_sentence_that_opens_no_section_asked_about_does_not_lead_for_it(
    word_vectors: WordVectors, title: str, index: int, before: bool
) -> None:
    hits = [_section("a", ROTATION, title, index)]
    if before:
        hits.append(_section("b", "Each host keeps a week of them.", title, 0, 0.3))
    answer = ExtractiveAnswerer(vectors=word_vectors).answer("How do I rotate the log files?", hits)
    assert _quotes(answer)[0] == "Never rotate the log files by hand while the daemon writes to them, or lines are lost"


def test_an_opening_he_shows_whom_it_means(seed_assistant: Assistant) -> None:
    answer = seed_assistant.ask("Which Tennessee senator did the envoy talk with about a trade pact?")
    assert answer.answer.startswith(
        "[Ambassador Kwatra] also engaged with Senator Bill Hagerty from Tennessee on continuing ongoing talks"
    )
    assert readability_defects(answer.answer) == []


def test_an_opening_connective_brings_the_sentence_before_it() -> None:
    text = "Five rounds of talks ended in March. Thus, the first tranche of the deal is very near conclusion."
    answer = ExtractiveAnswerer().answer("How near is the first tranche of the deal?", [_hit("a", text, 0.7)])
    assert answer.answer == (
        "Five rounds of talks ended in March [1]. Thus, the first tranche of the deal is very near conclusion [1]."
    )


@pytest.mark.parametrize(
    ("passage", "quote"),
    [
        pytest.param(
            "In addition, a community share offer raised £2.4 million from 1,150 local investors in 2024.",
            "[A] community share offer raised £2.4 million from 1,150 local investors in 2024 [1].",
            id="cut-connective-capital-marked",
        ),
        pytest.param(
            "quick check algorithm that looks for files that have changed in size or in last-modified time",
            "quick check algorithm that looks for files that have changed in size or in last-modified time [1].",
            id="a-list-item-in-lower-case-stays",
        ),
        pytest.param(
            "Moreover, apt-get install fetches the packages that a package depends on.",
            "apt-get install fetches the packages that a package depends on [1].",
            id="a-command-stays-as-written",
        ),
        pytest.param(
            "In short: the partnership between both countries is a win-win for their economies.",
            "[T]he partnership between both countries is a win-win for their economies [1].",
            id="cut-label-capital-marked",
        ),
    ],
)
def test_a_quote_whose_opening_connective_was_cut_starts_with_a_marked_capital(passage: str, quote: str) -> None:
    # Only the letter changes, in brackets as quotations mark an edit; the citation still
    # points at the text as the document has it.
    answer = ExtractiveAnswerer().answer(f"What {passage.split()[3]} {passage.split()[4]}?", [_hit("a", passage, 0.7)])
    assert answer.answer == quote
    cited = answer.citations[0]
    assert cited.text == passage


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        pytest.param(
            "The CEO of which American defence company met the Indian envoy?", "Lockheed Martin", id="demonym"
        ),
        pytest.param("What do American defence companies gain?", "growing customer", id="country-name"),
        pytest.param("Which global issues could New Delhi and Washington work on together?", "climate", id="capital"),
        pytest.param("Who is India's ambassador to the United States?", "Vinay Mohan Kwatra", id="full-name"),
        pytest.param("how does india help the united states in asia?", "strategic balance", id="typed-in-lower-case"),
        # "culprit" is in no document (and cut into word pieces like jargon), but the
        # sentence on the tariffs holds the rest of the question: it answers.
        pytest.param(
            "What rate were the U.S. tariffs on Indian exports that India saw as the culprit?",
            "50 per cent",
            id="word-the-documents-never-use",
        ),
    ],
)
def test_aliases_and_demonyms_are_answered(seed_assistant: Assistant, question: str, fact: str) -> None:
    answer = seed_assistant.ask(question)
    assert not answer.abstained
    assert fact in _quotes(answer)[0]


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("What did Kwatra discuss with Senator Marco Rubio?", id="unknown-person"),
        pytest.param("How do I open a port in the ufw firewall for the trade talks?", id="unknown-tool"),
        # Typed in lower case, a name is still words the documents never use, side by side.
        pytest.param("what did kwatra discuss with senator marco rubio?", id="unknown-person-in-lower-case"),
    ],
)
def test_questions_about_what_no_document_mentions_are_declined(seed_assistant: Assistant, question: str) -> None:
    answer = seed_assistant.ask(question)
    assert (answer.abstained, answer.answer, answer.citations) == (True, ABSTAIN_TEXT, [])


CLINIC = """# Northwind Clinic IT policy

## Working from home

GPs and the practice manager may work from home on up to two days a week, with the agreement of the partners.
Staff who work from home must connect through the clinic VPN using the client installed by the IT team.
Only clinic-issued laptops can reach clinic systems, and sessions end automatically after 10 hours.

## Lost or stolen devices

If a laptop or phone is lost or stolen, report it within one hour of noticing.
Call the IT helpdesk on 01632 960 418 and then tell the practice manager.
If the device was stolen, pass the crime reference number to the practice manager.

## Equipment

A defibrillator hangs in the waiting room; it was installed in March 2024 with a grant from Chester Rotary Club.
"""


def _assistant_over(data: Path, docs: list[Path], embedder: Embedder) -> Assistant:
    settings = Settings(data_dir=data)
    assistant = build_application(settings, embedder=embedder).assistant
    Ingestor(assistant.store, embedder, Chunker(TokenCounter(), settings.chunk_tokens)).ingest(docs)
    return assistant


def _assistant_with(
    factory: pytest.TempPathFactory, embedder: Embedder, name: str, files: dict[str, str], seed: bool = True
) -> Assistant:
    """An assistant over documents written by a test (and the bundled corpus, if ``seed``)."""
    docs = factory.mktemp(f"{name}-docs")
    for file, text in files.items():
        (docs / file).write_text(text, encoding="utf-8")
    return _assistant_over(factory.mktemp(name), [SEED_DOC.parent, docs] if seed else [docs], embedder)


@pytest.fixture(scope="module")
def clinic_assistant(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[Assistant]:
    """The bundled corpus and a clinic's IT policy."""
    assistant = _assistant_with(tmp_path_factory, embedder, "clinic", {"clinic-it-policy.md": CLINIC})
    yield assistant
    assistant.close()


POOL = """# Millbrook Leisure Pool prices

Millbrook Leisure Pool is run by the parish trust and opened in 2009.

## Swimming prices

Prices for a single swim are set each April:

| Swimmer | Weekday price | Weekend price |
|---|---|---|
| Adult | £5.20 | £4.10 |
| Junior (under 16) | £2.80 | £2.10 |
| Over 65 | £3.40 | £2.60 |

Lessons run on weekday afternoons and are booked at reception.

## Building work

The trust is building a learner pool for toddlers beside the main hall. This work is due
to be completed in March 2027.
"""


@pytest.fixture(scope="module")
def pool_assistant(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[Assistant]:
    """A pool's price list, its prices in a Markdown table."""
    assistant = _assistant_with(tmp_path_factory, embedder, "pool", {"millbrook-pool.md": POOL}, seed=False)
    yield assistant
    assistant.close()


def test_a_figure_in_a_table_is_quoted_with_what_its_row_is_about(pool_assistant: Assistant) -> None:
    # The figure alone is its row's and column's: "£2.10" answers only with "Junior"; the
    # whole table run together, header and delimiter line included, is no answer.
    answer = pool_assistant.ask("how much is a weekend swim for a junior?")
    assert _quotes(answer)[0] == "[Junior (under 16), Weekend price] £2.10"
    assert "Junior (under 16)\t£2.80\t£2.10" in answer.citations[0].text
    assert "|" not in answer.answer and "Swimmer" not in answer.answer


def test_a_sentence_leaning_on_the_one_before_answers_with_its_words(pool_assistant: Assistant) -> None:
    # "This work" is the learner pool: the date answers though its sentence names no pool.
    answer = pool_assistant.ask("when will the toddler pool be ready?")
    assert _quotes(answer) == [
        "The trust is building a learner pool for toddlers beside the main hall",
        "This work is due to be completed in March 2027",
    ]


@pytest.fixture(scope="module")
def set_g_assistant(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[Assistant]:
    """The bundled corpus and set g's two documents (eval/docs_g: a bike-share report and
    a clinic's IT policy), longer than the documents written into these tests."""
    docs_g = Path(__file__).parents[2] / "eval" / "docs_g"
    assistant = _assistant_over(tmp_path_factory.mktemp("set-g"), [SEED_DOC.parent, docs_g], embedder)
    yield assistant
    assistant.close()


def test_how_many_of_those_counts_the_things_those_are(set_g_assistant: Assistant) -> None:
    # "36-volt" and "60 km" are numbers of the e-bike sentence, but count no bikes.
    first = "how many bikes have they got?"
    before = set_g_assistant.ask(first)
    answer = set_g_assistant.ask("and how many of those are electric?", history=_exchange(first, before.answer))
    assert _quotes(answer) == ["Of these, 180 were electric-assist bikes, so e-bikes made up roughly 43% of the fleet"]


@pytest.fixture(scope="module")
def set_r_assistant(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[Assistant]:
    """The bundled corpus and set r's two documents (eval/docs_r: a school's parent
    handbook, a council's bins and recycling guide)."""
    docs_r = Path(__file__).parents[2] / "eval" / "docs_r"
    assistant = _assistant_over(tmp_path_factory.mktemp("set-r"), [SEED_DOC.parent, docs_r], embedder)
    yield assistant
    assistant.close()


@pytest.mark.parametrize(
    ("documents", "topic", "question", "quote", "query", "unrelated"),
    [
        # "what do i need to connect?" names no pronoun, and alone the documents do not
        # answer it: after "am i allowed to work from home?" it asks about connecting from home.
        (
            "set_g_assistant",
            "am i allowed to work from home?",
            "what do i need to connect?",
            "Staff who work from home must connect through the clinic VPN using the client installed by Brightline",
            "what do i need to connect? (allowed work home)",
            "what colour are the walls?",
        ),
        # "how many visits do i get" has words enough to stand alone, but alone the
        # documents do not answer it: after the tip question it asks about vans. "homework"
        # is in none of the passages found on the tip: still declined. ("how many trips a
        # year do i get" alone is answered by the van permit's "12 visits a year", "visits"
        # being a synonym of "trips" and "a year" its own words.)
        (
            "set_r_assistant",
            "can i take my van to the tip",
            "how many visits do i get",
            "Anyone visiting in a van or towing a trailer needs a free van permit, which allows up to 12 visits a year",
            "how many visits do i get (take van tip)",
            "how many hours of homework a week",
        ),
    ],
)
def test_a_question_naming_nothing_that_no_document_answers_alone_is_asked_in_the_conversation(
    request: pytest.FixtureRequest, documents: str, topic: str, question: str, quote: str, query: str, unrelated: str
) -> None:
    assistant: Assistant = request.getfixturevalue(documents)
    assert assistant.ask(question).abstained
    first = assistant.ask(topic)
    second = assistant.ask(question, history=_exchange(topic, first.answer))
    assert _quotes(second) == [quote]
    assert second.query == query
    # Declined both ways, the question is shown as it was asked.
    third = assistant.ask(unrelated, history=_exchange(topic, first.answer))
    assert third.abstained
    assert third.query == unrelated


@pytest.mark.parametrize(
    ("first", "follow_up", "quoted"),
    [
        (
            "i think my laptop got stolen, what do i do?",
            "whats the number to ring?",
            "Call the IT helpdesk on 01632 960 418 and then tell the practice manager",
        ),
        (
            "is there a defibrillator at the clinic?",
            "who paid for it?",
            "A defibrillator hangs in the waiting room; it was installed in March 2024 with a grant from "
            "Chester Rotary Club",
        ),
    ],
)
def test_a_follow_up_is_answered_by_the_kind_it_asks_for_in_the_document_talked_about(
    clinic_assistant: Assistant, first: str, follow_up: str, quoted: str
) -> None:
    # Neither "ring" nor "paid" is in the sentence that answers, in the document the
    # conversation is about: the telephone number and the club that gave the grant are.
    before = clinic_assistant.ask(first)
    answer = clinic_assistant.ask(follow_up, history=_exchange(first, before.answer))
    assert _quotes(answer) == [quoted]


def test_a_follow_up_for_a_count_is_not_answered_by_any_number(clinic_assistant: Assistant) -> None:
    # "March 2024" holds a number, but says nothing of how many.
    first = "is there a defibrillator at the clinic?"
    before = clinic_assistant.ask(first)
    assert clinic_assistant.ask("how many of them are women?", history=_exchange(first, before.answer)).abstained


def test_the_number_to_ring_is_a_telephone_number(clinic_assistant: Assistant) -> None:
    # Not "the crime reference number", which shares "number", though the helpdesk's
    # sentence holds fewer of the question's words than the one on reporting a theft.
    answer = clinic_assistant.ask("whats the number to ring if my laptop is stolen?")
    assert _quotes(answer) == ["Call the IT helpdesk on 01632 960 418 and then tell the practice manager"]
    # A number in another passage does not answer for a dentist the documents never name.
    assert clinic_assistant.ask("whats the phone number for the dentist?").abstained


PLAYHOUSE = """# Quayside Playhouse visitor guide

## Access

If you need someone to help you during your visit, they can come with you on a free companion ticket.
Please join our Access List so that we can note your needs before you book.
Captioned performances run on the first Thursday of each month.

## Spaces for hire

| Space | Standing capacity |
|---|---|
| Studio theatre | 80 people |
| Foyer bar | 40 people |

## Food and drink

Interval drinks can be ordered before the show and are left on a numbered shelf in the bar.

## Groups

**Groups:** parties of 10 or more get £3 off each full-price ticket.

## Cheaper tickets

Concessions are available to people aged 65 and over and to full-time students.
**Stage Door Club:** anyone aged 16 to 25 can join for free and buy £8 tickets for any Wednesday performance.

## Contacts

**Box office manager: Leela Varma**

**Access officer: Sam Okafor, 01632 960 512**

**Lost property: 01632 960 519**
"""


HUB = """# Canalside Works members' guide

## Plans

| Plan | Monthly price | Access | Meeting room credits |
|---|---|---|---|
| Hot Desk | £180 | Weekdays, 7am to 9pm | 4 credits |
| Fixed Desk | £260 | 24/7 access, your own desk | 8 credits |
| Team Office (3–5 people) | £1,100 | 24/7 access, a lockable room | 20 credits |

## Meeting rooms

There are three meeting rooms on the first floor:

- **The Boiler Room:** seats 6, with a large screen
- **The Lock Keeper:** seats 12, with a projector and a whiteboard
- **The Wharf:** seats 30, laid out for talks

Rooms are booked through the members' app. Members' socials run on Fridays and Saturdays in the kitchen.

## Parking

The Mill Lane car park is next door, and members get a discounted day rate of £5 there.
"""


@pytest.fixture(scope="module")
def venues_assistant(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[Assistant]:
    """The bundled corpus, a playhouse's visitor guide and a coworking space's members' guide."""
    files = {"quayside-playhouse.md": PLAYHOUSE, "canalside-works.md": HUB}
    assistant = _assistant_with(tmp_path_factory, embedder, "venues", files)
    yield assistant
    assistant.close()


def test_someones_number_is_their_telephone_number(venues_assistant: Assistant) -> None:
    # "his number" asks for a telephone number, not "a numbered shelf", though the shelf's
    # sentence holds the question's only word; the contact line holds fewer of the
    # conversation's words than the sentences on access, but a follow-up asking for a number
    # wants the number nearest the conversation.
    first = "is there anyone at the playhouse i can talk to about access needs"
    before = venues_assistant.ask(first)
    answer = venues_assistant.ask("whats his number", history=_exchange(first, before.answer))
    assert _quotes(answer)[0] == "Sam Okafor, 01632 960 512"


def test_a_question_naming_nothing_is_not_answered_from_another_document_than_the_conversations(
    venues_assistant: Assistant,
) -> None:
    # Alone, "do we get money off" is answered by the car park's discount in the members'
    # guide; after a group's visit to the playhouse, it asks about the playhouse's tickets.
    first = "thinking of bringing a group of 12 from our book club to the quayside playhouse"
    before = venues_assistant.ask(first)
    alone = venues_assistant.ask("do we get money off")
    assert alone.citations[0].source.endswith("canalside-works.md")
    answer = venues_assistant.ask("do we get money off", history=_exchange(first, before.answer))
    assert _quotes(answer)[0] == "[Groups] parties of 10 or more get £3 off each full-price ticket"
    assert answer.citations[0].source.endswith("quayside-playhouse.md")


def test_which_nights_is_answered_by_a_day_of_the_week(venues_assistant: Assistant) -> None:
    # The follow-up's only word, "nights", is not in the sentence; "Wednesday" answers it.
    first = "are there cheap tickets for young people at the playhouse, im 19"
    before = venues_assistant.ask(first)
    answer = venues_assistant.ask("which nights can i use them", history=_exchange(first, before.answer))
    assert _quotes(answer)[0] == (
        "[Stage Door Club] anyone aged 16 to 25 can join for free and buy £8 tickets for any Wednesday performance"
    )


def test_which_days_is_answered_by_the_days_named_in_the_plural(venues_assistant: Assistant) -> None:
    assert _quotes(venues_assistant.ask("which days are the members socials on")) == [
        "Members' socials run on Fridays and Saturdays in the kitchen"
    ]


def test_how_many_people_a_room_fits_is_how_many_it_seats(venues_assistant: Assistant) -> None:
    # "seats 12" counts people without the word; "(3–5 people)" counts them in another
    # row, about another thing than the second room.
    first = "what meeting rooms are there at canalside works"
    before = venues_assistant.ask(first)
    assert _quotes(before)[1] == "[The Lock Keeper] seats 12, with a projector and a whiteboard"
    answer = venues_assistant.ask("how many people does the second one fit", history=_exchange(first, before.answer))
    assert _quotes(answer) == ["[The Lock Keeper] seats 12, with a projector and a whiteboard"]
    # Asked alone, though "(3–5 people)" counts people in the question's word.
    assert _quotes(venues_assistant.ask("how many people does the wharf at canalside works fit"))[0] == (
        "[The Wharf] seats 30, laid out for talks"
    )


def test_a_count_in_a_table_is_quoted_with_its_row_and_a_rows_first_cell_is_not_quoted_alone(
    venues_assistant: Assistant,
) -> None:
    # "20 credits" under "Meeting room credits" is a value of the row as "£1,100" is; the
    # row's first cell, "Team Office (3–5 people)", only says what the row is about.
    turns = ["whats the price of a fixed desk at canalside works", "how many meeting room credits come with that"]
    history: list[Turn] = []
    for turn in turns:
        history += _exchange(turn, venues_assistant.ask(turn, history=history).answer)
    # The question names the fixed desk's row: the hot desk's credits are no answer to it.
    assert _quotes(venues_assistant.ask(turns[1], history=history[:2])) == ["[Fixed Desk] 8 credits"]
    # Naming no row, every row's answers.
    assert _quotes(venues_assistant.ask("how many meeting room credits do the plans at canalside works come with")) == [
        "[Hot Desk] 4 credits",
        "[Fixed Desk] 8 credits",
        "[Team Office (3–5 people)] 20 credits",
    ]
    answer = venues_assistant.ask("and the team office?", history=history)
    assert _quotes(answer) == ["[Team Office (3–5 people)] 20 credits"]


def test_a_follow_up_after_an_upload_is_answered_from_the_upload(upload_assistant: Assistant) -> None:
    first = upload_assistant.ask("Who founded the Kestrel Lunar Outpost?")
    assert "Dr. Amara Lindqvist" in first.answer
    second = upload_assistant.ask(
        "How much power does its reactor produce?", history=_turns(("Who founded the Kestrel Lunar Outpost?", first))
    )
    assert second.query == "How much power does Kestrel Lunar Outpost’s reactor produce?"
    assert _quotes(second)[0] == "The outpost runs a fission reactor that produces 42 megawatts of electricity"
    assert second.citations[0].source.endswith("kestrel-lunar-outpost.md")


def test_she_is_the_person_the_last_answer_named(upload_assistant: Assistant) -> None:
    first = upload_assistant.ask("Who founded the Kestrel Lunar Outpost?")
    second = upload_assistant.ask(
        "Why did she choose the crater rim?", history=_turns(("Who founded the Kestrel Lunar Outpost?", first))
    )
    assert second.query == "Why did Amara Lindqvist choose the crater rim?"
    assert "stays in sunlight for most of the lunar year" in _quotes(second)[0]


def test_a_topic_switch_is_not_pulled_back_to_the_old_topic(seed_assistant: Assistant) -> None:
    tariff = "What tariff rate did the U.S. impose on Indian exports?"
    first = seed_assistant.ask(tariff)
    switch = seed_assistant.ask("Who is the US Deputy Secretary of Energy?", history=_turns((tariff, first)))
    assert switch.query == "Who is the US Deputy Secretary of Energy?"
    assert "James Danly" in _quotes(switch)[0]
    assert "tariff" not in switch.answer


def test_a_follow_up_does_not_repeat_the_previous_answer(seed_assistant: Assistant) -> None:
    question = "What tariff rate did the U.S. impose on some Indian exports earlier?"
    first = seed_assistant.ask(question)
    assert "50 per cent" in first.answer
    second = seed_assistant.ask("What else strains trust in the trade track?", history=_turns((question, first)))
    spoken = MARKER.sub("", first.answer)
    assert second.answer != first.answer
    # The sentence that answers is new; the one before it may come along as its referent.
    assert _quotes(second)[-1] == "These past frictions mean trust must be built in the trade track"
    assert _quotes(second)[-1] not in spoken


def test_answers_on_the_bundled_questions_read_well(seed_assistant: Assistant, seed_questions: list[dict]) -> None:
    answers = [seed_assistant.ask(q["question"], history=q.get("history", [])) for q in seed_questions]
    flagged = [a.answer for a in answers if not a.abstained and readability_defects(a.answer)]
    assert flagged == []


def test_a_follow_up_the_documents_cannot_answer_is_declined(upload_assistant: Assistant) -> None:
    first = upload_assistant.ask("Who founded the Kestrel Lunar Outpost?")
    history = _turns(("Who founded the Kestrel Lunar Outpost?", first))
    second = upload_assistant.ask("Which university did she study at?", history=history)
    assert second.query == "Which university did Amara Lindqvist study at?"
    assert (second.abstained, second.answer, second.citations) == (True, ABSTAIN_TEXT, [])


def test_a_documents_own_bracketed_number_is_never_quoted() -> None:
    # "[2]" in the text would read as a citation marker and be renumbered or dropped.
    text = (
        "The relay host is set in main.cf, as noted in [2] and the manual. "
        "The relay host for outgoing mail is set with the relayhost parameter in main.cf."
    )
    answer = ExtractiveAnswerer().answer("Where is the relay host set?", [_hit("mail", text, 0.7)])
    assert answer.answer == "The relay host for outgoing mail is set with the relayhost parameter in main.cf [1]."


@pytest.mark.parametrize(
    ("before", "referent"),
    [
        pytest.param("Mayor Duncan Ferrie met Dr. Anna Berg. ", "Mayor Duncan Ferrie", id="dr-does-not-end-a-sentence"),
        pytest.param("Meanwhile Tom Smith chaired the board. ", "Tom Smith", id="connective-is-not-a-name"),
        pytest.param("Kwatra met Senator Bill Hagerty. ", None, id="one-word-subject-is-not-guessed"),
        pytest.param("She grew up in Port Caddoway. ", None, id="a-place-is-not-a-person"),
        pytest.param(
            "Dr. Blackwood's programme uses cameras. In a year no collision was recorded. ",
            "Dr. Blackwood",
            id="a-title-written-short",
        ),
    ],
)
def test_whom_an_opening_he_means(before: str, referent: str | None) -> None:
    assert person_before(before) == referent


def test_a_how_to_explanation_brings_the_command_after_it() -> None:
    text = (
        "When a file is too big to back up whole, you can split it into chunks and join them again later.\n"
        "$ split -b 2000m large_file"
    )
    answer = ExtractiveAnswerer().answer("How do I split a big file into chunks?", [_hit("man", text, 0.7)])
    assert answer.answer == (
        "When a file is too big to back up whole, you can split it into chunks and join them again later. "
        "$ split -b 2000m large_file [1]."
    )


@pytest.mark.parametrize(
    ("text", "question", "expected"),
    [
        pytest.param(
            "Snapshots are kept for a week.\n\n"
            "With zfsctl, you can pin a snapshot so that it is never pruned using\n\n"
            "zfsctl pin pool/name@snap\n\n"
            "and release it again with\n\n"
            "zfsctl unpin pool/name@snap",
            "How do I pin a snapshot with zfsctl?",
            "With zfsctl, you can pin a snapshot so that it is never pruned using zfsctl pin pool/name@snap",
            id="a-sentence-that-runs-on-into-its-command",
        ),
        pytest.param(
            "Old boot images take space on small disks.\n\n"
            "To remove a boot image you no longer need, purge its package with:\n\n"
            "bootctl purge image-NNN\n\n"
            "(replace NNN with the image's number)",
            "How do I remove a boot image I no longer need?",
            "To remove a boot image you no longer need, purge its package with: bootctl purge image-NNN",
            id="a-lead-in-with-a-colon",
        ),
    ],
)
def test_a_command_line_is_quoted_with_the_words_that_lead_into_it(text: str, question: str, expected: str) -> None:
    # A manual's "... using" or "... with:" on one line and the command on the next are one
    # sentence: neither reads alone ("... never pruned using [1]." then a bare command).
    answer = ExtractiveAnswerer().answer(question, [_hit("manual", text, 0.7)])
    assert _quotes(answer)[0] == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "Which function returns a string naming the current working directory?",
            "[fsx.cwd()] Return a string naming the current working directory",
        ),
        (
            "What does fsx.memo do?",
            "[@fsx.memo(maxsize=128, typed=False)] Decorator to wrap a function with a memoizing callable that "
            "saves up to the maxsize most recent calls",
        ),
    ],
)
def test_an_api_entry_is_quoted_with_the_signature_it_describes(question: str, expected: str) -> None:
    # A reference manual gives a function's signature on a line of its own and describes it
    # below: "Return a string ..." says nothing of which function without it, and the
    # signature alone answers nothing.
    text = (
        "fsx.chdir(path)\n\nChange the current working directory to path.\n\n"
        "fsx.cwd()\n\nReturn a string naming the current working directory.\n\n"
        "@fsx.memo(maxsize=128, typed=False)\n\n"
        "Decorator to wrap a function with a memoizing callable that saves up to the maxsize most recent calls."
    )
    answer = ExtractiveAnswerer().answer(question, [_hit("api", text, 0.7)])
    assert _quotes(answer)[0] == expected
    assert verbatim(_quotes(answer)[0]) in text  # the highlight still finds it


def test_the_first_item_of_a_list_is_quoted_with_the_line_that_announces_it() -> None:
    # "the zorb toolkit for building packages, ..." on its own says nothing of who provides
    # it: the line announcing the list does.
    text = (
        "Like most systems of its kind, Zorblax provides:\n\n"
        "the zorb toolkit for building packages from source, including compilers, linkers, "
        "debuggers and the make tools that drive them,\n"
        "the zorb shell with its completion scripts and a hundred small utilities."
    )
    answer = ExtractiveAnswerer().answer(
        "Which toolkit for building packages does Zorblax provide?", [_hit("z", text, 0.7)]
    )
    assert _quotes(answer)[0] == (
        "Like most systems of its kind, Zorblax provides: the zorb toolkit for building packages from source, "
        "including compilers, linkers, debuggers and the make tools that drive them,"
    )
    # Across the line break, word for word as the page's highlight matches it.
    assert re.search(r"\s+".join(map(re.escape, _quotes(answer)[0].split())), text)


def test_a_line_announcing_a_list_with_a_pronoun_is_not_quoted_with_its_first_item() -> None:
    # "Their meanings are:" would itself need what "their" stands for.
    text = (
        "Each zorb package has a status word. Their meanings are:\n"
        "unknown - the user has never said whether the zorb package is wanted,\n"
        "purge - the user wants the zorb package removed with its configuration files."
    )
    question = "Which status says the user has never said whether the zorb package is wanted?"
    answer = ExtractiveAnswerer().answer(question, [_hit("z", text, 0.7)])
    assert _quotes(answer)[0] == "unknown - the user has never said whether the zorb package is wanted,"


def test_a_timelines_date_is_read_with_what_it_dates() -> None:
    text = (
        "The project reached these milestones:\n"
        "January 2023: Phase 1 formally commissioned and connected to the grid.\n"
        "May 2023: visitor centre opened on the harbour front by Mayor Rosalind Quarrie.\n"
        "October 2024: final investment decision taken for Phase 2."
    )
    answer = ExtractiveAnswerer().answer("When was the visitor centre opened?", [_hit("report", text, 0.7)])
    assert answer.answer == "[May 2023] visitor centre opened on the harbour front by Mayor Rosalind Quarrie [1]."
    assert verbatim(_quotes(answer)[0]) in text  # the highlight still finds it


@pytest.mark.parametrize(
    ("label", "shown"),
    [
        ("Extra", "[Extra] packages"),
        ("Phase 3", "[Phase 3] packages"),
        ("In short", "[P]ackages"),
        # A list item's label in sentence case names the thing, as a title-cased one does.
        ("Optional extra packages", "[Optional extra packages] packages"),
        ("However", "[P]ackages"),
    ],
)
def test_a_term_keys_what_follows_it_and_a_phrase_of_discourse_does_not(label: str, shown: str) -> None:
    text = f"{label}: packages that conflict with others of higher priority and are rarely wanted."
    answer = ExtractiveAnswerer().answer("Which packages conflict with others?", [_hit("faq", text, 0.7)])
    assert answer.answer.startswith(shown + " that conflict")


def test_a_word_typed_joined_meets_it_written_with_a_hyphen_in_a_label() -> None:
    # "autobelays" is the "Auto-belay" of the item's label, in the plural.
    text = (
        "Bouldering induction: a free 20-minute talk covering falling and mat safety.\n"
        "Auto-belay induction: a free 15-minute session on the clip-in gate."
    )
    answer = ExtractiveAnswerer().answer("which induction do i need for the autobelays", [_hit("guide", text, 0.7)])
    assert answer.answer.startswith("[Auto-belay induction] a free 15-minute session on the clip-in gate [1].")


def test_a_plural_s_stem_meets_only_its_hyphenated_spelling() -> None:
    # "lessons" is no "less on".
    hits = [
        _hit("a", "Coaching runs on Saturday mornings for beginners.", 0.7),
        _hit("b", "Boat hire costs less on Saturdays.", 0.7),
    ]
    answer = ExtractiveAnswerer().answer("are there lessons on saturdays", hits)
    assert "less on" not in answer.answer


def test_a_label_naming_the_thing_is_kept_on_the_sentence_an_it_brings() -> None:
    # "It takes about 15 minutes" brings the sentence it points back to, whose label says
    # what is needed to top-rope: without it, "needed to top-rope ..." is no sentence.
    text = (
        "Bouldering induction: a free 20-minute talk covering falling and mat safety.\n"
        "Belay competency check: needed to top-rope with a partner. It takes about 15 minutes and costs £8."
    )
    answer = ExtractiveAnswerer().answer(
        "how long does it take", [_hit("guide", text, 0.7)], context="what is the belay competency check"
    )
    assert answer.answer == (
        "[Belay competency check] needed to top-rope with a partner [1]. It takes about 15 minutes and costs £8 [1]."
    )
    assert all(verbatim(quote) in text for quote in _quotes(answer))


def test_how_long_it_takes_is_asked_of_what_the_conversation_spoke_of() -> None:
    # "It takes about 15 minutes" is the belay check's time: after a question on the
    # bouldering induction, "it" is the induction, whose "20-minute talk" gives how long.
    text = (
        "Bouldering induction: a free 20-minute talk covering falling and mat safety.\n"
        "Belay competency check: needed to top-rope with a partner. It takes about 15 minutes and costs £8."
    )
    answer = ExtractiveAnswerer().answer(
        "how long does it take",
        [_hit("guide", text, 0.7)],
        context="do i need to do an induction before i can boulder?",
    )
    assert answer.answer == "[Bouldering induction] a free 20-minute talk covering falling and mat safety [1]."


@pytest.mark.parametrize(
    ("question", "context", "opening"),
    [
        # The best sentence holds only the conversation's words; the one giving the time
        # holds the follow-up's.
        ("how long does it take?", "do i need a belay check to top rope?", "[Belay competency check] needed"),
        # "usually" says how the question is put, no word of the answer.
        ("how long does it usually take?", "do i need to do an induction before i can boulder?", "[Bouldering"),
    ],
)
def test_how_long_it_takes_is_answered_by_the_time_the_thing_asked_about_takes(
    question: str, context: str, opening: str
) -> None:
    text = (
        "Bouldering induction: a free 20-minute talk covering falling and mat safety.\n"
        "Belay competency check: needed to top-rope with a partner. It takes about 15 minutes and costs £8."
    )
    answer = ExtractiveAnswerer().answer(question, [_hit("guide", text, 0.7)], context=context)
    assert answer.answer.startswith(opening)


def test_a_follow_ups_span_about_something_else_is_no_answer() -> None:
    # The parking permits "take 3 weeks" and hold "new staff", but the course is asked about.
    text = (
        "Fire safety course: required for all new staff.\n"
        "New staff: parking permits for new staff take 3 weeks to arrive."
    )
    answer = ExtractiveAnswerer().answer(
        "how long does it take?", [_hit("h", text, 0.7)], context="is there a fire safety course for new staff?"
    )
    assert "parking" not in answer.answer


def test_an_it_with_a_time_to_complete_is_what_the_label_names() -> None:
    text = (
        "Bouldering induction: a free 20-minute talk covering falling and mat safety.\n"
        "Belay competency check: needed to top-rope with a partner. It takes about 15 minutes to complete and costs £8."
    )
    answer = ExtractiveAnswerer().answer(
        "how long does it take", [_hit("guide", text, 0.7)], context="what is the belay competency check"
    )
    assert "It takes about 15 minutes to complete" in answer.answer


def test_a_sentence_saying_what_the_deadline_is_holds_the_word() -> None:
    text = "Applications should be sent to the school office. The deadline for applications is 31 August 2026."
    answer = ExtractiveAnswerer().answer("whats the deadline for applications?", [_hit("s", text, 0.6)])
    assert answer.answer.startswith("The deadline for applications is 31 August 2026 [1].")


def test_a_way_of_paying_is_answered_by_the_ways_not_by_a_sum() -> None:
    # "can i pay rent in cash" asks how, not how much: the fee beside it holds a sum.
    text = (
        "Every plot-holder also pays the Society membership fee of £5 a year. "
        'Rent can be paid by bank transfer, by cheque made out to "Hollins Lane Allotment Society", or in cash at the shop.'
    )
    answer = ExtractiveAnswerer().answer("can i pay rent in cash", [_hit("r", text, 0.6, ("Rent",))])
    assert answer.answer.startswith("Rent can be paid by bank transfer")


def test_an_it_standing_for_what_follows_is_not_what_the_label_names() -> None:
    # "It costs £8 to hire a harness" is the harness's price, not the belay check's.
    text = (
        "Belay competency check: needed to top-rope with a partner. It costs £8 to hire a harness for the day.\n"
        "Shoes are £4."
    )
    answer = ExtractiveAnswerer().answer("how much is the belay check?", [_hit("guide", text, 0.7)])
    assert "harness" not in answer.answer


def test_what_river_level_asks_for_a_measure() -> None:
    # "the level gauge at Thornby Weir" shares more words; "gauge above 1.3 m" gives the level.
    text = (
        "The flag board by the boathouse door shows the state of the river. It is set each morning "
        "using the river level gauge at Thornby Weir.\n"
        "Green: gauge below 0.9 m. All crews may go out.\n"
        "Red: gauge above 1.3 m. The river is closed to all rowing."
    )
    answer = ExtractiveAnswerer().answer("at what river level is rowing stopped completely?", [_hit("k", text, 0.7)])
    assert answer.answer.startswith("[Red] gauge above 1.3 m.")


def test_where_wants_a_place_the_question_does_not_name() -> None:
    # Both sentences hold the same question words; only the second says where.
    text = "India gets its energy from many reliable suppliers. India gets its energy from Russia, the Middle East and Africa."
    answer = ExtractiveAnswerer().answer("Where does India get its energy from?", [_hit("a", text, 0.7)])
    assert answer.answer == "India gets its energy from Russia, the Middle East and Africa [1]."


def test_what_besides_names_is_not_what_the_answer_must_say() -> None:
    text = "Norway supplies most of the turbines for the Norwegian fleet. The remaining turbines come from Scotland and Denmark."
    answer = ExtractiveAnswerer().answer("Where do the turbines come from, besides Norway?", [_hit("a", text, 0.6)])
    assert answer.answer == "The remaining turbines come from Scotland and Denmark [1]."


def test_a_remark_in_parentheses_does_not_lead() -> None:
    text = (
        "(If you want to keep some kernel modules from being loaded, list them in the blacklist file.) "
        "The lsmod program lists the kernel modules that are loaded."
    )
    answer = ExtractiveAnswerer().answer("How do I list the kernel modules that are loaded?", [_hit("a", text, 0.6)])
    assert answer.answer.startswith("The lsmod program lists the kernel modules that are loaded [1].")


def test_a_short_question_about_someone_the_documents_name_is_answered(seed_assistant: Assistant) -> None:
    # Far from every passage in embedding space, and "met" is in a sentence about others.
    answer = seed_assistant.ask("Who met Danly?")
    assert answer.answer.startswith("Ambassador Kwatra also held a “fruitful discussion” with U.S. Deputy Secretary")
    assert seed_assistant.ask("Who met Rubio?").abstained is True


def test_top_k_caps_the_passages_an_answer_cites(seed_assistant: Assistant) -> None:
    question = "Why does the US see an opening in India's defence purchasing?"
    # How many passages the uncapped answer cites varies with the CPU's int8 kernels (two
    # with AVX-512 VNNI, three without); every cap below it is kept to exactly.
    full = [c.id for c in seed_assistant.ask(question).citations]
    assert len(full) >= 2 and full == list(range(1, len(full) + 1))
    for k in range(1, len(full)):
        assert [c.id for c in seed_assistant.ask(question, top_k=k).citations] == list(range(1, k + 1))
    capped = seed_assistant.ask(question, top_k=1)
    assert [c.id for c in capped.citations] == [1]
    assert capped.answer.startswith("India has been diversifying its defence procurement beyond traditional suppliers")


def test_a_place_named_in_passing_does_not_outweigh_the_role_asked_about() -> None:
    # "Port Caddoway" counted twice (its words and the initialism "PC") and, being a
    # name, pulled the lead to the sentence that mentions it.
    text = (
        "The Port Caddoway tidal project is a tidal array in the channel off Port Caddoway. "
        "Ingrid Halvard has said that Port Caddoway could become a training centre for tidal engineers. "
        "The company's first employee was Dr. Tobias Renwick, who joined as chief turbine engineer in 2017. "
        "Each turbine of the project is checked twice a year by divers from Port Caddoway. "
        "The harbour board of Port Caddoway meets every month. "
        "Tidal currents in the channel reach four knots. "
        "Port Caddoway lies at the mouth of the river."
    )
    answer = ExtractiveAnswerer().answer(
        "Who is the chief turbine engineer on the Port Caddoway tidal project?", [_hit("a", text, 0.6)]
    )
    assert answer.answer == (
        "The company's first employee was Dr. Tobias Renwick, who joined as chief turbine engineer in 2017 [1]."
    )


def test_a_who_answer_does_not_bring_the_next_person_in_a_list() -> None:
    text = (
        "The key people are:\n\n"
        "Dr. Tobias Renwick, in charge of turbine selection and maintenance.\n"
        "Priya Okonkwo-Lisle, who manages the export cable and the onshore substation.\n"
    )
    answer = ExtractiveAnswerer().answer("Who is in charge of turbine maintenance?", [_hit("a", text, 0.6)])
    assert answer.answer == "Dr. Tobias Renwick, in charge of turbine selection and maintenance [1]."


def test_relevance_is_judged_on_the_nearest_passage_not_the_first_fused_one() -> None:
    # Fused order put a keyword-only find first; the nearest passage is second.
    hits = [
        _hit("k", "The harbour wall was repaired with council funds in the spring.", 0.1),
        _hit("d", "Mayor Duncan Ferrie opposed the plan over concerns about the fishing grounds.", 0.45),
    ]
    answer = ExtractiveAnswerer().answer("What did the former mayor fear most?", hits)
    assert answer.answer == "Mayor Duncan Ferrie opposed the plan over concerns about the fishing grounds [1]."


PEOPLE = """# Marlow Bike Share: annual report

## People

Priya Natarajan is the operations manager at Riverside Wheels and runs the scheme day to day. She joined in January 2021, three months before the launch. Before that, she spent eight years managing delivery fleets for a courier firm in Reading. She leads a team of 16 staff, including six mechanics and four van drivers who move bikes between stations.

The scheme's sponsor on the council is Councillor Tom Ashby, cabinet member for transport and the environment. He has represented the Chiltern ward since 2017. Before going into local politics, he taught geography at a secondary school in High Wycombe for 22 years. He chairs the quarterly review meetings between the council and Riverside Wheels.
"""


def test_a_sentence_about_him_does_not_answer_a_question_about_her(tmp_path: Path, embedder: Embedder) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "bike-share.md").write_text(PEOPLE, encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data")
    assistant = build_application(settings, embedder=embedder).assistant
    try:
        Ingestor(assistant.store, embedder, Chunker(TokenCounter(), settings.chunk_tokens)).ingest([docs])
        first = assistant.ask("who runs the bike scheme day to day?")
        assert first.answer.startswith("Priya Natarajan is the operations manager")
        second = assistant.ask(
            "how long has she been doing that?", _exchange("who runs the bike scheme day to day?", first.answer)
        )
        assert "geography" not in second.answer and "Chiltern" not in second.answer
        assert "joined in January 2021, three months before the launch [1]." in second.answer
    finally:
        assistant.close()


def test_a_sentence_about_him_does_not_join_an_answer_about_her(tmp_path: Path, embedder: Embedder) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "bike-share.md").write_text(PEOPLE, encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data")
    assistant = build_application(settings, embedder=embedder).assistant
    try:
        Ingestor(assistant.store, embedder, Chunker(TokenCounter(), settings.chunk_tokens)).ingest([docs])
        first = assistant.ask("who runs the bike scheme day to day?")
        before = assistant.ask(
            "what did she do before?", _exchange("who runs the bike scheme day to day?", first.answer)
        )
        assert before.query == "what did Priya Natarajan do before?"
        assert _quotes(before) == [
            "[Priya Natarajan] joined in January 2021, three months before the launch",
            "Before that, she spent eight years managing delivery fleets for a courier firm in Reading",
        ]
    finally:
        assistant.close()


def test_how_many_is_answered_by_the_best_sentence_counting_them_in_other_words() -> None:
    text = (
        "Riders can pick up and return bikes at 38 docking stations across the town. "
        "A survey of 1,100 riders in October found that 34% had used the bikes to replace a car journey."
    )
    hits = [_hit("a", text, 0.6)]
    places = ExtractiveAnswerer().answer("how many places around town can i grab a bike from?", hits)
    assert places.answer == "Riders can pick up and return bikes at 38 docking stations across the town [1]."
    # A sentence naming the things asked about while counting others does not answer.
    journeys = ExtractiveAnswerer().answer("how many journeys did people take on the bikes last year?", hits)
    assert journeys.abstained


def test_of_tied_sentences_the_one_holding_the_questions_words_in_order_leads() -> None:
    text = (
        "Six of these stations opened during 2025, including a 24-dock hub outside Marlow railway station. "
        "Riders can pick up and return bikes at 38 docking stations across the town."
    )
    answer = ExtractiveAnswerer().answer("how many docking stations are there?", [_hit("a", text, 0.6)])
    assert answer.answer.startswith("Riders can pick up and return bikes at 38 docking stations across the town [1].")


def test_a_word_typed_without_its_accent_is_the_same_word() -> None:
    assert words("Public Wi-Fi in cafés, Zürich and a naïve growth² in Teams™") == [
        "public", "wi", "fi", "in", "cafes", "zurich", "and", "a", "naive", "growth", "in", "teams",
    ]  # fmt: skip
    hits = [
        _hit("a", "Staff who work from home must connect through the clinic VPN using the client we install.", 0.6),
        _hit("b", "Public Wi-Fi, such as in cafés or on trains, may be used only when the VPN is connected.", 0.55),
    ]
    answer = ExtractiveAnswerer().answer("can i use wifi in a cafe?", hits)
    assert (
        answer.answer == "Public Wi-Fi, such as in cafés or on trains, may be used only when the VPN is connected [1]."
    )


SPONSOR = "Thames Valley Building Society has been the headline sponsor since 2023 and paid £140,000 in 2025."
APP = "A new booking app, built by the Oxford firm Cyclelogic, is due to replace the current app in June 2026."


@pytest.mark.parametrize(
    ("question", "answer", "distractor"),
    [
        # A body is whoever: a sentence naming a person that only shares "headline" does not win.
        ("who is the headline sponsor?", SPONSOR, "While not always the headline, the ambassador met Jeanne Shaheen."),
        ("who built the new app?", APP, "Eight new stations were built last year, including the first in Bourne End."),
        # A body's name may hold initials: "Brightline IT Services".
        (
            "who provides it support for the clinic?",
            "Day-to-day IT support is provided under contract by Brightline IT Services, a firm based in Wrexham.",
            "Clinic mobile phones are enrolled in Microsoft Intune, which allows Brightline to wipe them remotely.",
        ),
    ],
)
def test_who_is_answered_by_the_body_that_did_it(question: str, answer: str, distractor: str) -> None:
    hits = [_hit("a", answer, 0.6), _hit("b", distractor, 0.55)]
    assert ExtractiveAnswerer().answer(question, hits).answer == f"{answer[:-1]} [1]."


def test_who_passes_over_a_lead_naming_no_one_for_the_body_that_does_it() -> None:
    gas = (
        "By law we must check every gas appliance we own once a year. These checks are carried out by "
        "Calder Heating Ltd, who will write to you with an appointment about eight weeks before your "
        "certificate runs out. You must let the engineer in."
    )
    hits = [
        _hit("a", gas, 0.6, ("Repairs guide", "Gas safety")),
        _hit("b", "Expanding U.S. exports of liquified natural gas (LNG) and oil to India.", 0.4),
    ]
    answer = ExtractiveAnswerer().answer("who does the annual gas safety checks?", hits)
    assert answer.answer == (
        "By law we must check every gas appliance we own once a year [1]. These checks are carried out by "
        "Calder Heating Ltd, who will write to you with an appointment about eight weeks before your "
        "certificate runs out [1]."
    )


def test_a_capitalised_first_word_before_an_initial_is_no_name() -> None:
    assert people("Expanding U.S. exports of liquified natural gas (LNG) and oil to India.") == []
    assert people("Expanding trade, Jeanne Shaheen met U.S. officials.") == ["Jeanne Shaheen"]
    # A given name ending in -ing is a name.
    assert people("Xiaoming Li leads the project.") == ["Xiaoming Li"]


@pytest.mark.parametrize(
    ("text", "bodies"),
    [
        (SPONSOR, ["Thames Valley Building Society"]),
        (APP, ["Cyclelogic"]),
        ("The Senate Foreign Relations Committee met.", ["Senate Foreign Relations Committee"]),
        (
            "The scheme is owned by Marlow Town Council and operated by Riverside Wheels CIC.",
            ["Marlow Town Council", "Riverside Wheels CIC"],
        ),
        ("IT support is provided by Brightline IT Services.", ["Brightline IT Services"]),
        ("It came from the Department for Transport.", ["Department for Transport"]),
        ("Records are backed up by Brightline, and the contract runs until March 2028.", ["Brightline"]),
        # Laws, a holiday, a person's title, a means: no body.
        ("Under the Data Protection Act 2018, data is processed by our records team.", []),
        ("Trip money is collected by Easter at the latest, or by Dr. Smith.", []),
        ("Forms are sent by Post or by SMS.", []),
        # Places, a month and a company described but not named are no body.
        ("The busiest station was Higginson Park, near Seymour Court Road.", []),
        ("The contract was signed by March 2028 with a firm in Reading.", []),
    ],
)
def test_bodies_are_named_organisations(text: str, bodies: list[str]) -> None:
    assert organisations(text) == bodies


def test_who_runs_a_company_is_not_answered_by_a_body_that_runs_something_else() -> None:
    hits = [
        _hit("a", "Norrland Turbinverk AB supplies the turbines and provides spare parts.", 0.6),
        _hit("b", "The University of Westmarch runs the marine monitoring laboratory.", 0.5),
    ]
    assert ExtractiveAnswerer().answer("who runs Norrland Turbinverk AB?", hits).abstained


def test_a_follow_up_answered_in_words_of_the_same_meaning_is_answered(word_vectors: WordVectors) -> None:
    # "worried" is not in the sentence; "concerns" is, and means nearly the same.
    text = "Her predecessor, Mayor Duncan Ferrie, had opposed the first planning application over concerns about the fishing grounds."
    answer = ExtractiveAnswerer(vectors=word_vectors).answer(
        "What was he worried about?",
        [_hit("a", text, 0.4)],
        context="Mayor Duncan Ferrie Did the previous mayor support the project too?",
    )
    assert answer.answer == f"{text[:-1]} [1]."


def test_one_of_them_picks_an_item_and_is_no_word_to_match(word_vectors: WordVectors) -> None:
    text = (
        "The module-assistant program helps users to build and install module packages for one or more custom kernels. "
        "The modinfo(8) program shows information about a Linux kernel module."
    )
    answer = ExtractiveAnswerer(vectors=word_vectors).answer(
        "And how do I get details about one of them?",
        [_hit("a", text, 0.5)],
        context="kernel modules How do I list the kernel modules that are loaded right now?",
    )
    assert answer.answer == "The modinfo(8) program shows information about a Linux kernel module [1]."


def test_the_first_phase_is_phase_1_and_the_second_replaces_it() -> None:
    text = (
        "Phase 1, the demonstration stage: four 1.5 MW turbines, 6 MW in total. "
        "Phase 2, the expansion stage: eight more 1.5 MW turbines adding 12 MW. "
        "Phase 3, the full array: twelve 2 MW turbines adding 24 MW. "
        "The next status report will be published after the first Phase 2 turbines are installed. "
        "The first survey of the channel was made in 2012, and the first turbine base was laid in 2021."
    )
    first = "How many turbines go into the first phase of the tidal array?"
    answer = ExtractiveAnswerer().answer(first, [_hit("a", text, 0.6)])
    assert answer.answer.startswith("Phase 1, the demonstration stage: four 1.5 MW turbines, 6 MW in total [1].")
    answer = ExtractiveAnswerer().answer("What about the second phase?", [_hit("a", text, 0.6)], context=first)
    assert answer.answer.startswith("Phase 2, the expansion stage: eight more 1.5 MW turbines adding 12 MW [1].")


def test_what_about_asks_the_question_before_of_something_new(word_vectors: WordVectors) -> None:
    # "What about ... vim?" after a how-to on recording: how, from inside vim. Neither the
    # answer before (script) nor another tool's way (screen) answers it.
    hits = [
        _hit(
            "script",
            "The simple use of script(1) to record shell activity produces a file with control characters. "
            "This can be avoided by using col(1) as the following.",
            0.8,
        ),
        _hit(
            "tools",
            'Use screen with "^A H" to perform recording of console. '
            'Use vim with ":terminal" to enter the terminal mode. '
            'Use "Ctrl-W N" to exit from terminal mode to normal mode.',
            0.8,
        ),
    ]
    first = "How do I make a transcript of my terminal session, and clean up its control characters?"
    said = ["The simple use of script(1) to record shell activity produces a file with control characters [1]."]
    answer = ExtractiveAnswerer(vectors=word_vectors).answer(
        "What about doing the recording from inside vim?", hits, context=first, said=said
    )
    assert _quotes(answer)[0] == 'Use vim with ":terminal" to enter the terminal mode'


def test_e_g_stands_for_example() -> None:
    text = "Each grouping needs the sides to align. Watch how both sides align on security (e.g., the Quad grouping)."
    answer = ExtractiveAnswerer().answer("Which grouping is an example of how the sides align?", [_hit("a", text, 0.5)])
    assert _quotes(answer)[0] == "Watch how both sides align on security (e.g., the Quad grouping)"


def test_before_he_joined_asks_for_the_time_before_not_the_joining() -> None:
    text = (
        "The company's first employee was Dr. Tobias Renwick, who joined as chief turbine engineer in 2017. "
        "He previously spent nine years testing blade designs in the towing tank at Westmarch."
    )
    answer = ExtractiveAnswerer().answer(
        "What was he doing before he joined?",
        [_hit("a", text, 0.5)],
        context="Tobias Renwick Who is the chief engineer?",
    )
    assert answer.answer == (
        "[Dr. Tobias Renwick] previously spent nine years testing blade designs in the towing tank at Westmarch [1]."
    )


def test_a_sentence_about_someone_else_does_not_answer_for_her() -> None:
    text = (
        "Ingrid Halvard founded Halvard Tidal Energy in 2016 and still chairs its board. "
        "The company's first employee was Dr. Tobias Renwick. He previously spent nine years testing blade designs."
    )
    answer = ExtractiveAnswerer().answer(
        "What did she do before that?",
        [_hit("a", text, 0.5)],
        context="Ingrid Halvard Who founded Halvard Tidal Energy?",
    )
    assert (answer.abstained, answer.answer) == (True, ABSTAIN_TEXT)


def test_a_sentence_naming_the_person_asked_about_is_not_someone_elses(seed_assistant: Assistant) -> None:
    # "He" in it is Kwatra, but it names Hagerty, whom the question asks about.
    answer = seed_assistant.ask("What state does Senator Bill Hagerty represent?")
    assert answer.answer.startswith("[Ambassador Kwatra] also engaged with Senator Bill Hagerty from Tennessee")


def test_this_report_means_the_document_and_brings_no_sentence_before_it() -> None:
    text = "The array powers 31,000 homes. This report describes the project's history, the budget and the main risks."
    answer = ExtractiveAnswerer().answer("What does the report describe?", [_hit("a", text, 0.7)])
    assert answer.answer == "This report describes the project's history, the budget and the main risks [1]."


def test_a_sentence_about_the_document_itself_does_not_lead() -> None:
    text = (
        "This report describes the history, the people behind it, the budget and the main risks. "
        "The board has identified five main risks for the coming phases."
    )
    answer = ExtractiveAnswerer().answer("What are the main risks?", [_hit("a", text, 0.7)])
    assert _quotes(answer)[0] == "The board has identified five main risks for the coming phases"


def test_a_policy_speaking_of_itself_does_not_lead() -> None:
    # "This policy sets out ..." is about the text, as "This report describes ..." is.
    text = (
        "This policy sets out how staff at the clinic must use the clinic's computers, phones and data. "
        "All staff complete a 30-minute phishing awareness course when they join and again every year."
    )
    answer = ExtractiveAnswerer().answer("do staff get any training?", [_hit("a", text, 0.7)])
    assert _quotes(answer)[0] == (
        "All staff complete a 30-minute phishing awareness course when they join and again every year"
    )


def test_a_sentence_pointing_at_a_table_does_not_lead() -> None:
    # "The table below shows ..." says where the answer is; the rows below say it.
    text = (
        "The table below shows how long each type of item can be borrowed and the daily charge if it is "
        "returned late.\n\nItem\tLoan period\tLate charge per day\nBooks\t3 weeks\t20p\nDVDs\t1 week\t50p\n\n"
        "Late charges stop building up once they reach £6.00 for a single item."
    )
    answer = ExtractiveAnswerer().answer("what happens if i return something late", [_hit("a", text, 0.7)])
    assert not answer.answer.startswith("The table below")


def test_a_tutorials_lets_does_not_lead() -> None:
    # "Let's learn how ..." says what the text will do next, not how anything is.
    text = "Let's learn how a Debian package is made. A Debian package is an archive of the files of one program."
    answer = ExtractiveAnswerer().answer("What is a Debian package?", [_hit("a", text, 0.7)])
    assert _quotes(answer)[0] == "A Debian package is an archive of the files of one program"


ENVOY = "India's envoy in Washington, Ambassador Kwatra, met senior senators on trade."
FIRST_MENTION = "The talks were led by India's Ambassador to the U.S., Vinay Mohan Kwatra, in March."


def test_who_is_answered_with_the_full_name_the_passage_gives() -> None:
    text = f"{FIRST_MENTION} {ENVOY}"
    answer = ExtractiveAnswerer().answer("Who is India's envoy in Washington?", [_hit("a", text, 0.7)])
    assert _quotes(answer) == [
        "India's envoy in Washington, Ambassador [Vinay Mohan] Kwatra, met senior senators on trade"
    ]
    # The insertion is the answerer's: what the document says is the sentence without it.
    assert verbatim(_quotes(answer)[0]) == ENVOY[:-1]


def test_who_is_answered_with_the_sentence_another_passage_names_him_in_full_in() -> None:
    hits = [_hit("a", ENVOY, 0.7), Hit(Chunk("b", FIRST_MENTION, "a.txt", "", (), 1, 0, 80), score=0.3)]
    answer = ExtractiveAnswerer().answer("Who is India's envoy in Washington?", hits)
    assert answer.answer == f"{ENVOY[:-1]} [1]. {FIRST_MENTION[:-1]} [2]."


def test_a_namesake_in_another_document_completes_no_name() -> None:
    hits = [_hit("a", ENVOY, 0.7), _hit("b", FIRST_MENTION, 0.3)]
    answer = ExtractiveAnswerer().answer("Who is India's envoy in Washington?", hits)
    assert _quotes(answer)[0] == ENVOY[:-1]


@pytest.mark.parametrize(
    ("known", "shown"),
    [
        (["Ambassador Kwatra", "Vinay Mohan Kwatra"], "Ambassador [Vinay Mohan] Kwatra met Dr. Halvard."),
        (["Dr. Ingrid Halvard"], "Ambassador Kwatra met Dr. [Ingrid] Halvard."),
        (["Ingrid Halvard", "Erik Halvard"], "Ambassador Kwatra met Dr. Halvard."),  # which one?
        (["Ambassador Kwatra", "Senator Kwatra"], "Ambassador Kwatra met Dr. Halvard."),  # titles only
    ],
)
def test_given_names_are_added_only_when_one_person_has_the_surname(known: list[str], shown: str) -> None:
    assert with_full_names("Ambassador Kwatra met Dr. Halvard.", known) == shown
    assert verbatim(shown) == "Ambassador Kwatra met Dr. Halvard."


def test_a_follow_up_asking_the_name_of_a_role_the_documents_leave_unnamed_is_declined() -> None:
    text = "Ambassador Kwatra met the CEO of a defence company, Lockheed Martin, in March. The company builds aircraft."
    hits = [_hit("a", text, 0.7)]
    first = ExtractiveAnswerer().answer("Which defence company did the ambassador meet?", hits)
    assert _quotes(first) == ["Ambassador Kwatra met the CEO of a defence company, Lockheed Martin, in March"]
    follow_up = ExtractiveAnswerer().answer(
        "What's the name of Lockheed Martin's CEO?",
        hits,
        context="defence company ambassador meet",
        said=[first.answer],
    )
    assert follow_up.answer == ABSTAIN_TEXT


def test_the_name_of_a_role_is_not_answered_by_someone_the_question_calls_by_another_title() -> None:
    # "the senator" is Senator Rourke: his name is no answer to "the name of the CEO".
    question = "What is the name of the Brightwater Marine CEO the senator met?"
    unnamed = "Senator Rourke met the CEO of Brightwater Marine in Oslo. The company builds ferries."
    # Nor is anyone else he met.
    other = "Senator Rourke also met Tove Lind, the harbour master of Oslo."
    hits = [_hit("a", unnamed, 0.7), _hit("b", other, 0.65)]
    assert ExtractiveAnswerer().answer(question, hits).answer == ABSTAIN_TEXT
    named = "Senator Rourke met Ingrid Falk, the CEO of Brightwater Marine, in Oslo."
    assert _quotes(ExtractiveAnswerer().answer(question, [_hit("a", named, 0.7)])) == [named.rstrip(".")]


@pytest.mark.parametrize(
    ("question", "person"),
    [
        ("What's the name of its CEO?", True),
        ("What is the name of the company's founder?", True),
        ("Which director signed the plan?", True),
        ("What is the name of the ship?", False),
        ("What is the head of the list?", False),
    ],
)
def test_the_name_of_a_role_is_a_person(question: str, person: bool) -> None:
    assert asks_for_person(question) is person


def test_a_lead_in_whose_example_is_not_in_the_passage_is_not_quoted() -> None:
    text = (
        'The "/etc/nsswitch.conf" file with stanza like "hosts: files dns" dictates the hostname resolution order. '
        'For example, "/etc/hosts" looks like the following.'
    )
    answer = ExtractiveAnswerer().answer("What decides whether /etc/hosts is looked up first?", [_hit("a", text, 0.7)])
    assert _quotes(answer) == [
        'The "/etc/nsswitch.conf" file with stanza like "hosts: files dns" dictates the hostname resolution order'
    ]


def test_a_how_to_is_answered_by_the_sentence_that_says_how() -> None:
    text = (
        "Under systemd, kernel and system messages are logged by the journal service systemd-journald. "
        "You can log data to the journal from a shell script by using the systemd-cat(1) command."
    )
    question = "How can messages be logged into the systemd journal from a script?"
    answer = ExtractiveAnswerer().answer(question, [_hit("a", text, 0.7)])
    assert (
        _quotes(answer)[0] == "You can log data to the journal from a shell script by using the systemd-cat(1) command"
    )


@pytest.mark.parametrize(
    ("text", "question", "expected"),
    [
        pytest.param(
            "Git needs no server to start with.\n\n"
            "You may set your name and email address used by Git by the following.\n\n"
            '$ git config --global user.name "Name Surname"\n\n'
            "Repositories can be shared later.",
            "How do I set the name that git records?",
            "You may set your name and email address used by Git by the following. "
            '$ git config --global user.name "Name Surname" [1].',
            id="after-by-the-following",
        ),
        pytest.param(
            "If the hardware time is set to UTC, change the setting in the rcS file.\n\n"
            "The following reconfigure the timezone used by the Debian system.\n\n"
            "# dpkg-reconfigure tzdata\n\n"
            "If you wish to update system time via network, consider to use the NTP service.",
            "How do I change the system timezone on Debian?",
            "The following reconfigure the timezone used by the Debian system. # dpkg-reconfigure tzdata [1].",
            id="a-command-line-of-two-words",
        ),
    ],
)
def test_a_command_shares_the_citation_of_the_sentence_it_shows(text: str, question: str, expected: str) -> None:
    # In a manual, the command line under a sentence ("... by the following." then
    # "$ git config ...") is that sentence's example, however short ("# dpkg-reconfigure
    # tzdata"): one quote, one marker after both.
    answer = ExtractiveAnswerer().answer(question, [_hit("a", text, 0.7)])
    assert answer.answer == expected


def test_a_compound_word_matches_its_two_word_spelling() -> None:
    # "passphrase" in the question, "pass phrase" in the manual, and back.
    hits = [
        _hit("a", "The agent asks for the passphrase of your key whenever you add the key to a session.", 0.7),
        _hit("c", "A key pair without a phrase to unlock it is set up in seconds, and one with it in minutes.", 0.7),
        _hit("b", 'If a pass phrase was not set on your key, use "ssh-keygen -p" to set one.', 0.7),
    ]
    answer = ExtractiveAnswerer().answer("My key has no passphrase. How do I set one on the key?", hits)
    assert _quotes(answer)[0] == 'If a pass phrase was not set on your key, use "ssh-keygen -p" to set one'
    hits = [
        _hit("a", "Each user has a user name and a group.", 0.7),
        _hit("b", "Your username is stored in the passwd file.", 0.7),
    ]
    answer = ExtractiveAnswerer().answer("Where is my user name stored?", hits)
    assert _quotes(answer)[0] == "Your username is stored in the passwd file"


def test_an_initialism_the_document_defines_stands_for_its_words() -> None:
    text = (
        "The Debian system uses a user private group (UPG) scheme as its default. "
        'Enable UPG by putting "umask 002" in the ~/.bashrc file. '
        "Every user has a private group of the same name."
    )
    answer = ExtractiveAnswerer().answer(
        "How do I turn on the user private group scheme for my own shell?", [_hit("a", text, 0.7)]
    )
    assert _quotes(answer)[0] == 'Enable UPG by putting "umask 002" in the ~/.bashrc file'


def test_a_name_that_opens_with_a_contraction_is_one_name() -> None:
    # "Let's Encrypt" is a name the passages never give; "Encryption" alone they do.
    text = (
        "Encryption of mail. You can run these services over TLS to secure the whole communication. "
        "A certificate for the server is set in the main configuration file."
    )
    hits = [_hit("a", text, 0.7)]
    answer = ExtractiveAnswerer().answer("How do I get a free Let's Encrypt TLS certificate for the server?", hits)
    assert (answer.abstained, answer.answer) == (True, ABSTAIN_TEXT)
    answer = ExtractiveAnswerer().answer("How do I get a TLS certificate for the server?", hits)
    assert _quotes(answer) == ["A certificate for the server is set in the main configuration file"]


RISKS = (
    "The board has identified three main risks for the coming phases.\n\n"
    "Biofouling. Marine growth on the blades reduces efficiency. The team cleans each turbine every year.\n\n"
    "Cable scour. Strong currents can wash away the sand over the export cable. "
    "The survey team inspects the cable route twice a year with a remotely operated vehicle.\n\n"
    "Supply chain. The main bearings come from a single factory."
)


def test_a_line_announcing_the_sections_under_it_names_them(seed_assistant: Assistant) -> None:
    # "Several factors are converging ...:" closes its passage; the factors are the
    # numbered sections under its heading, each a passage of its own.
    answer = seed_assistant.ask("What factors are pushing India and the US closer together right now?")
    assert answer.answer.startswith(
        "Several factors are converging to push India-US relations into a closer orbit [Global Geopolitics & the "
        "Indo-Pacific Imperative; Trade and Economic Complementarity; Energy Transition & Security; Defence & "
        "Industrial Collaboration; Institutionalising the Partnership] [1]."
    )
    assert (
        verbatim(_quotes(answer)[0]) == "Several factors are converging to push India-US relations into a closer orbit"
    )
    history = _turns(("What factors are pushing India and the US closer together right now?", answer))
    last = seed_assistant.ask("whats the last one about?", history=history)
    assert last.answer.startswith(
        "Rather than ad-hoc cooperation, the two countries are now structuring multiple dialogues"
    )


def test_a_line_announcing_sections_names_them_where_it_is_not_the_lead() -> None:
    # The ambassador's meetings lead; the line announcing the reasons joins them, and
    # says which reasons there too: alone it would say nothing.
    def section(n: int, title: str, text: str) -> Chunk:
        return Chunk(f"s{n}", text, "post.txt", "", ("Why Now?", f"{n}. {title}"), 100 * n, 100 * n, 100 * n + 50)

    after = [
        section(1, "Geopolitics", "Great-power rivalry grows."),
        section(2, "Trade", "The economies complement each other."),
        section(3, "Energy", "Energy needs are large."),
        Chunk("x", "Talks go on.", "post.txt", "", ("Challenges",), 400, 400, 412),
    ]
    lead_in = Chunk("w", "Several factors are converging to push ties closer:", "post.txt", "", ("Why Now?",), 0, 0, 52)
    hits = [_hit("m", "Recent meetings show that ties are closer now, pushed by trade.", 0.7), Hit(lead_in, score=0.7)]
    answerer = ExtractiveAnswerer(following=lambda chunk, n: after[:n] if chunk.id == "w" else [])
    answer = answerer.answer("What factors are pushing ties closer now?", hits)
    assert _quotes(answer) == [
        "Recent meetings show that ties are closer now, pushed by trade",
        "Several factors are converging to push ties closer [Geopolitics; Trade; Energy]",
    ]


def test_benefits_got_from_a_country_are_for_the_one_getting_them(seed_assistant: Assistant) -> None:
    # India is where the benefits come from: "Benefits for India" is the counterpart.
    answer = seed_assistant.ask("What benefits does the US get from India?")
    assert all(citation.text.startswith("Large Growing Market:") for citation in answer.citations)


def test_the_section_for_the_one_asked_about_answers_not_its_counterpart(seed_assistant: Assistant) -> None:
    # "Benefits for India" and "Benefits for the U.S." differ only in whom they are for;
    # "India helps the U.S. ..." under the second shares more of the question's words.
    answer = seed_assistant.ask("What benefits does India get out of the partnership?")
    assert "India helps the U.S." not in answer.answer


def test_a_section_listing_labelled_items_under_the_title_asked_about_is_quoted_whole(
    seed_assistant: Assistant,
) -> None:
    # "Benefits for India" is a list of labelled items ("Energy Security: Better ...") and
    # its title is words of the question: the answer is all of them, in order.
    answer = seed_assistant.ask("What benefits does India get out of the partnership?")
    assert [q[:40] for q in _quotes(answer)] == [
        "A trade deal could open U.S. markets fur",
        "Better and more diversified energy impor",
        "Defence and industrial cooperation can h",
        "Enhanced U.S. partnership gives India mo",
        "By working with the U.S., India can redu",
    ]
    assert len(answer.citations) == 1
    # One item asked about is that item alone.
    issues = seed_assistant.ask("Which global issues could New Delhi and Washington jointly work on?")
    assert issues.answer == (
        "India and the U.S. can collaborate on global issues — climate, supply chains, technology standards, and "
        "governance norms [1]."
    )


def test_a_sentence_whose_she_is_someone_else_does_not_answer_for_her() -> None:
    # "She later completed a doctorate ..." is about Ingrid Halvard, as its passage shows;
    # nothing says where Saoirse Blackwood studied.
    hits = [
        _hit(
            "a",
            "Halvard Tidal Energy was founded in 2016 by Ingrid Halvard. She grew up in Port Caddoway. "
            "She later completed a doctorate on turbulence in tidal channels at the University of Westmarch.",
            0.6,
        ),
        _hit("b", "Environmental officer: Dr. Saoirse Blackwood, who leads the marine mammal monitoring.", 0.5),
    ]
    answer = ExtractiveAnswerer().answer(
        "which university did she get her doctorate from?",
        hits,
        context="Saoirse Blackwood Who is the environmental officer on the project?",
        about=["Saoirse Blackwood"],
    )
    assert (answer.abstained, answer.citations) == (True, [])


def test_a_sentence_announcing_items_under_run_in_headings_names_them() -> None:
    # Paragraphs opening with a short heading of their own ("Cable scour. Strong currents
    # ...") are the items the sentence before them announces: named in brackets.
    answer = ExtractiveAnswerer().answer("What are the main risks listed for the array?", [_hit("r", RISKS, 0.7)])
    assert answer.answer == (
        "The board has identified three main risks for the coming phases [Biofouling; Cable scour; Supply chain] [1]."
    )
    assert verbatim(_quotes(answer)[0]) == "The board has identified three main risks for the coming phases"


def test_items_announced_by_their_count_are_read_on_into_the_next_passage(tmp_path: Path, embedder: Embedder) -> None:
    # The fifth risk opens the passage after the one announcing "five main risks"; with a
    # pool of one passage it is not among those retrieved, and the store gives it.
    settings = Settings(data_dir=tmp_path / "data", top_k=1, candidate_pool=1)
    application = build_application(settings, embedder=embedder)
    try:
        Ingestor(application.assistant.store, embedder, Chunker(TokenCounter(), settings.chunk_tokens)).ingest(
            [ROOT / "eval" / "docs" / "harbour-tidal-array.md"]
        )
        answer = application.assistant.ask("What are the main risks the board sees?")
    finally:
        application.assistant.close()
    assert answer.answer == (
        "The board has identified five main risks for the coming phases [Biofouling; Cable scour; Marine mammals; "
        "Supply chain; Weather and vessel availability] [1]."
    )
    assert len(answer.citations) == 1


def test_a_run_in_heading_is_what_its_paragraph_is_about() -> None:
    answer = ExtractiveAnswerer().answer(
        "What is being done about cable scour?",
        [_hit("s", "Each cable in the harbour was laid by the barge crew.", 0.7), _hit("r", RISKS, 0.7)],
    )
    assert _quotes(answer)[0] == "Strong currents can wash away the sand over the export cable"
    assert "The survey team inspects the cable route twice a year" in answer.answer


def test_a_follow_up_about_one_item_quotes_only_that_items_paragraph() -> None:
    # "the second one" is Cable scour: not the sentence that says "second", nor the
    # paragraph on another item that nearly ties.
    text = RISKS.replace("single factory.", "single factory, and a second supplier is being qualified.")
    hits = [_hit("r", text, 0.7)]
    first = ExtractiveAnswerer().answer("What are the main risks listed for the array?", hits)
    asked = standalone(
        "What is being done about the second one?", _turns(("What are the main risks listed for the array?", first))
    )
    answer = ExtractiveAnswerer().answer(asked.focus, hits, asked.context, about=asked.referents)
    assert answer.answer == (
        "Strong currents can wash away the sand over the export cable [1]. "
        "The survey team inspects the cable route twice a year with a remotely operated vehicle [1]."
    )


@pytest.mark.parametrize(
    ("sentence", "defers"),
    [
        ("You should consider a clean installation, as described below.", 1.0),
        ("The options are explained later.", 1.0),
        ("Split the file into chunks and merge them back into the original file later.", 0.0),
    ],
)
def test_what_defers_to_later_text(sentence: str, defers: float) -> None:
    # A passage's last sentence that points below is never quoted: another follows it.
    scored = ExtractiveAnswerer().score("How do I install it?", [_hit("a", f"{sentence} Then reboot the box.", 0.7)])
    assert {s.candidate.text: s.signals["defers"] for s in scored}[sentence] == defers


def test_a_sentence_that_defers_to_later_text_is_not_the_answer() -> None:
    text = (
        "When moving to a new release, you should consider a clean installation of the whole system, "
        "as described below. This removes the garbage that has collected. "
        'You can upgrade the system to a newer release by running the "apt update; apt dist-upgrade" command.'
    )
    answer = ExtractiveAnswerer().answer("How do I move my whole system to a newer release?", [_hit("a", text, 0.7)])
    assert _quotes(answer)[0] == (
        'You can upgrade the system to a newer release by running the "apt update; apt dist-upgrade" command'
    )


def test_an_idiom_asks_for_its_plain_words() -> None:
    hits = [
        _hit("a", "The table lists the company's sites and the staff of each site.", 0.7),
        _hit("b", "The company offers turbines, maintenance and training to the harbour.", 0.7),
    ]
    answer = ExtractiveAnswerer().answer("What does the company bring to the table?", hits)
    assert _quotes(answer)[0] == "The company offers turbines, maintenance and training to the harbour"


def test_a_fee_going_up_is_one_that_rises() -> None:
    # "going" is no word of the answer: "Before going into local politics ..." shares it.
    hits = [
        _hit("a", "Before going into local politics, he taught geography for 22 years.", 0.7),
        _hit("b", "The unlock fee for pay as you go will rise to 1.20 pounds from 1 March 2026.", 0.7),
    ]
    first = ExtractiveAnswerer().answer("whats the unlock fee for a bike?", hits)
    asked = standalone("is that going up?", _turns(("whats the unlock fee for a bike?", first)))
    answer = ExtractiveAnswerer().answer(asked.focus, hits, asked.context, about=asked.referents)
    assert _quotes(answer) == ["The unlock fee for pay as you go will rise to 1.20 pounds from 1 March 2026"]


@pytest.mark.parametrize(
    ("last_question", "last_answer", "follow_up", "query"),
    [
        # "runs" in the answer is the question's verb, not what "they" stands for.
        (
            "when do the backups run?",
            "[A] full backup runs every Sunday and is kept for 12 weeks [1].",
            "and where do they end up offsite?",
            "and where do the backups end up offsite?",
        ),
        # "many" in "how many bikes" says how many, not which bikes.
        (
            "how many bikes have they got?",
            "At the end of 2025 the fleet stood at 420 bikes [1].",
            "and how many of those are electric?",
            "and how many of the bikes are electric?",
        ),
        # "Power" opens a sentence of the answer; "turbine T3" is the turbine asked about.
        (
            "which turbine had the big breakdown?",
            "Power from each turbine is collected at a subsea hub [1]. The one significant stoppage came in "
            "February 2024, when a bearing seal on turbine T3 failed [2].",
            "how long was it out of action?",
            "how long was T3 out of action?",
        ),
    ],
)
def test_a_pronoun_means_what_the_last_question_asked_about(
    last_question: str, last_answer: str, follow_up: str, query: str
) -> None:
    assert standalone(follow_up, _exchange(last_question, last_answer)).query == query


def test_a_second_one_is_one_more_not_the_second_item_listed() -> None:
    # "and a second one?" asks the price of another permit; "the second one" would be the
    # second price the answer listed.
    history = _exchange(
        "what does a first resident permit cost",
        "[First resident permit, 12 months] £60 [1]. [First resident permit, 6 months] £35 [1].",
    )
    assert standalone("and a second one?", history).query == "and a second one? (resident permit cost)"
    assert standalone("and a  second one?", history).query == "and a  second one? (resident permit cost)"
    assert standalone("and the second one?", history).query == "and the second one? (First resident permit 6 months 35)"


def test_a_price_that_comes_down_is_one_that_falls() -> None:
    hits = [
        _hit("a", "Engineers come to the harbour by boat when the price of diesel is down.", 0.7),
        _hit("b", "The price is expected to fall below 150 pounds as turbines become larger.", 0.7),
    ]
    answer = ExtractiveAnswerer().answer("Why would the price come down?", hits)
    assert _quotes(answer)[0] == "The price is expected to fall below 150 pounds as turbines become larger"


@pytest.mark.parametrize(
    ("question", "plainly"),
    [
        ("What does America bring to the table?", "What does America offer?"),
        ("What did she do for a living before that?", "What did she work as before that?"),
        ("How does the author sum up the partnership?", "How does the author summary the partnership?"),
        ("In short: the partnership is a win-win.", "in summary: the partnership is a win-win."),
        ("How do I switch off IBus?", "How do I disable IBus?"),
        ("Is SMART monitoring switched on for the disk?", "Is SMART monitoring enabled for the disk?"),
        ("Was the firewall turned off?", "Was the firewall disabled?"),
        ("What happens when switching on the pump?", "What happens when enable the pump?"),
        ("Can I jump straight over a major release?", "Can I skip a major release?"),
        ("Which table lists the sites?", "Which table lists the sites?"),
        ("So what does that add up to right now?", "So what does that total currently?"),
        ("What are the risks at the moment?", "What are the risks currently?"),
        ("Why would the price come down?", "Why would the price fall?"),
        ("She came down with flu.", "She came down with flu."),
        ("is that going up?", "is that rise?"),
        ("can he call off an outing last minute?", "can he cancel an outing at short notice?"),
        ("They called it off at the last minute.", "They cancel at short notice."),
        ("Call the office first.", "Call the office first."),
        ("Has the bus fare gone up since May?", "Has the bus fare rise since May?"),
        ("We go up the river at dawn.", "We go up the river at dawn."),
        ("Are they going to win?", "Are they going to win?"),
        # Colloquial words for theft and for a price, as people type them.
        ("what are they doing about bikes getting nicked?", "what are they doing about bikes theft?"),
        ("how much does a year pass set you back?", "how much does a year pass cost?"),
        ("do i get in trouble for losing it?", "disciplined for losing it?"),
        # Short words typed for long ones.
        ("can i log in from my own pc at home?", "can i log in from my own personal computer at home?"),
        ("any info on parking?", "any information on parking?"),
        ("Is the PCI card supported?", "Is the PCI card supported?"),
        ("PC Jones took the report.", "PC Jones took the report."),
        ("will i get into trouble?", "disciplined?"),
        ("what number do i ring if my daughter's off sick", "what number do i ring if my daughter's absent ill"),
        ("how soon will they come back", "how soon will they return"),
        ("do i get money off?", "do i get discount?"),
        ("will the bins come back in?", "will the bins come back in?"),
        # A day and a time of day as guides name them.
        ("whens the first day of the spring term", "whens the first day start of the spring term"),
        ("who do i ring in the middle of the night", "who do i ring in the middle of the night out of hours"),
        ("do they charge for the coat check?", "do they charge for the coat check cloakroom?"),
        ("how long can i keep it for", "how long is the loan to keep it for"),
        ("can my 14 yr old use the jigsaw", "can my 14 year old use the jigsaw"),
        ("how many hrs do i get a month", "how many hours do i get a month"),
        ("ask HR about it", "ask HR about it"),
        ("who is my hr contact", "who is my hr contact"),
        ("is it for kids over 3 yrs", "is it for kids over 3 years"),
        # Days of the week as people shorten them; "sat" and "sun" only where a day goes.
        ("what time do u open on weds", "what time do u open on wednesday"),
        ("r u open thurs evening", "r u open thursday evening"),
        # Not words and names that are days only sometimes ("sun cream", "Mon Valley").
        ("do i need to put on sun cream", "do i need to put on sun cream"),
        ("is the Mon Valley club open on sat", "is the Mon Valley club open on sat"),
        ("how do i get in touch with him", "how do i get in touch contact with him"),
        ("what time's the last one back", "what time's the last one back return"),
        ("when is the last bus back to town", "when is the last bus back return to town"),
        ("sit on the bus back seat", "sit on the bus back seat"),
        ("will they phone back today", "will they phone back today"),
        ("will the bus back up", "will the bus back up"),
        ("can i get hold of a bike pump", "can i get hold of a bike pump"),
        # Something brought back is returned, and money got back refunded too; joining is
        # signing up.
        ("do i have to plug it in when i bring it back", "do i have to plug it in when i return it back"),
        ("when do i get my deposit back", "when do i return refund my deposit back"),
        ("is there a sign up fee", "is there a sign up join fee"),
        ("how do i sign-up", "how do i sign up join"),
        ("get back to me", "get back to me"),
        # What is picked up is collected; what is held onto kept.
        (
            "how long will they hold onto it if i don't pick it up",
            "how long will they keep it if i don't collect it up",
        ),
        ("when can i pick up my prescription", "when can i collect up my prescription"),
        ("what time do i pick the kids up", "what time do i collect the kids up"),
        ("can i pick my own seat", "can i pick my own seat"),
        ("hold on, what about sundays", "hold on, what about sundays"),
        # What comes with something is included with it; someone coming with the asker is not.
        ("how much clay comes with it?", "how much clay come included with it?"),
        ("can my dad come with me", "can my dad come with me"),
        ("can i come with a friend", "can i come with a friend"),
        ("do children have to come with an adult", "do children have to come with an adult"),
        ("can i pick up the phone", "can i pick up the phone"),
        # Nothing picked: the wind rising.
        ("and if it picks up while im out how will i know", "and if it picks up while im out how will i know"),
        ("what if the wind picks up?", "what if the wind picks up?"),
        ("whats the cheapest package", "whats the cheapest price package"),
        ("which is the most expensive", "which is the most expensive price"),
        # Going over an allowance is going beyond it, into extra.
        ("and if i go over my hours what happens", "and if i go beyond extra my hours what happens"),
        ("can we go over the form together", "can we go over the form together"),
        ("lets go over my time sheet", "lets go over my time sheet"),
        # A way of travelling back is no return of anything.
        ("can i get the last bus back", "can i get the last bus back return"),
        ("we took the long way back", "we took the long way back"),
        # Not where the words mean something else.
        ("I nicked my finger on the chain.", "I nicked my finger on the chain."),
        (
            "what should i do if i get into trouble on the water?",
            "what should i do if i get into trouble on the water?",
        ),
        ("Could the project be in trouble?", "Could the project be in trouble?"),
        ("Set them back on the shelf.", "Set them back on the shelf."),
        ("I swiped my card at the dock.", "I swiped my card at the dock."),
        ("Why was he kicked off the team?", "Why was he kicked off the team?"),
    ],
)
def test_idioms_read_as_their_plain_words(question: str, plainly: str) -> None:
    assert plain(question) == plainly


def test_a_commands_output_is_not_brought_as_what_this_refers_to() -> None:
    text = (
        "0% packet loss, time 0ms rtt min/avg/max/mdev = 191.332/191.332/191.332/0.000 ms\n\n"
        "This process is Path MTU discovery and the tracepath(8) command can automate this."
    )
    answer = ExtractiveAnswerer().answer(
        "Which command can work out the path MTU automatically?", [_hit("a", text, 0.7)]
    )
    assert answer.answer == "This process is Path MTU discovery and the tracepath(8) command can automate this [1]."


@pytest.mark.parametrize(
    ("answer", "defects"),
    [
        ("It is not wise to skip a major Debian release [1].", []),
        ("It is possible that the first tranche is signed this year [1].", []),
        ("It is generally a good idea not to create complicated symbolic links [1].", []),
        ("It is used by apt to fetch packages [1].", ["reference"]),
        ("It was signed in March [1].", ["reference"]),
        ("It is a tool for reading logs [1].", ["reference"]),
    ],
)
def test_an_it_that_stands_for_what_follows_refers_to_nothing(answer: str, defects: list[str]) -> None:
    assert readability_defects(answer) == defects


def test_each_figure_quoted_from_a_table_carries_its_own_citation() -> None:
    # A short cell after the quoted one is no command output to run on into.
    text = (
        "How long each item can be borrowed, and the charge a day when it is late:\n\n"
        "Item\tLoan period\tLate charge\nBooks\t3 weeks\t20p\nBoard games\t2 weeks\t30p"
    )
    answer = ExtractiveAnswerer().answer("how long can i borrow board games for?", [_hit("loans", text, 0.7)])
    assert answer.answer.startswith("[Board games, Loan period] 2 weeks [1].")


HOURS = (
    "The library is open at the following times:\nMonday: 9.30am to 5pm\nWednesday: closed all day\n"
    "Saturday: 10am to 4pm\nSunday: 11am to 2pm\n\nThe book drop by the door is open all day."
)


@pytest.mark.parametrize(
    ("question", "quotes"),
    [
        # "Sunday: 11am to 2pm" is a day and its hours, not a title.
        ("when does it open on sunday?", ["Sunday: 11am to 2pm"]),
        # The first day under "Opening hours" is one entry, not the answer the section gives
        # first; the day after a keyed entry is another day, not what it introduces.
        ("what are the opening hours on saturday?", ["Saturday: 10am to 4pm"]),
        ("is it open on wednesdays?", ["Wednesday: closed all day"]),
        # A figure's key says what it is for.
        ("what time does it open on mondays?", ["[Monday] 9.30am to 5pm"]),
    ],
)
def test_a_timetable_answers_by_its_entries(question: str, quotes: list[str]) -> None:
    answer = ExtractiveAnswerer().answer(question, [_hit("hours", HOURS, 0.7, ("Opening hours",))])
    assert _quotes(answer) == quotes


@pytest.mark.parametrize(
    ("answer", "defects"),
    [
        # A day, a date or a figure before the colon keys the value after it: data, not a
        # heading pasted in front of a sentence.
        ("Wednesday: closed all day [1].", []),
        ("14 January, 09:00: Bottled water stations opened [1].", []),
        ("May 2023: visitor centre opened [1].", []),
        ("Energy Security: India imports most of its oil [1].", ["label"]),
        ("Pay as you go: £1 to unlock [1].", ["label"]),
    ],
)
def test_a_label_naming_a_day_or_figure_is_no_defect(answer: str, defects: list[str]) -> None:
    assert readability_defects(answer) == defects


@pytest.mark.parametrize(
    ("answer", "defects"),
    [
        ("You have two choices: you can use nested scopes or you can use callable objects [1].", []),
        ("We recommend two tools: apt and aptitude [1].", []),
        ("There are two ways: a cron job or a systemd timer [1].", []),
        ("Energy Security: Better and more diversified energy imports would help [1].", ["label"]),
        ("The context: Five rounds of negotiations have been completed [1].", ["label"]),
    ],
)
def test_a_clause_before_a_colon_is_no_label(answer: str, defects: list[str]) -> None:
    # "You have two choices:" says something; "Energy Security:" only names a topic.
    assert readability_defects(answer) == defects


@pytest.mark.parametrize(
    ("answer", "defects"),
    [
        # A table's cell shown with its row's key is the row's value, not a heading.
        ("[Coding Club] Mr Osei [1].", []),
        ("[Football] Monday [1]. [Football] 3:15pm–4:15pm [1].", []),
        ("Market Access & Tariff Reductions [1].", ["heading"]),
    ],
)
def test_a_cell_shown_with_its_row_key_is_no_heading(answer: str, defects: list[str]) -> None:
    assert readability_defects(answer) == defects


CLUBS = (
    "Clubs start in the second week of each term and are booked through ParentPay.\n\n"
    "Club\tDay\tTime\tCost per session\tYear groups\tRun by\n"
    "Football\tMonday\t3:15pm–4:15pm\t£3.50\tYears 3–6\tMr Brennan\n"
    "Coding Club\tWednesday\t3:15pm–4:15pm\t£3.00\tYears 5–6\tMr Osei\n"
    "Choir\tThursday\t12:30pm–1:00pm\tFree\tYears 2–6\tMiss Hughes"
)


@pytest.mark.parametrize(
    ("question", "context", "quote"),
    [
        # A name under a table's header is that row's, read with its row and column.
        ("who's in charge of the coding club?", "", "[Coding Club] Mr Osei"),
        ("who runs the choir?", "", "[Choir] Miss Hughes"),
        ("what day is football on?", "", "[Football] Monday"),
    ],
)
def test_a_name_in_a_table_answers_for_its_row(question: str, context: str, quote: str) -> None:
    answer = ExtractiveAnswerer().answer(question, [_hit("clubs", CLUBS, 0.7)], context=context)
    assert _quotes(answer)[0] == quote


def test_a_manual_s_lower_case_table_cells_are_not_quoted_alone() -> None:
    table = (
        "The following file types are listed.\n\nType\tSymbol\tMeaning\n"
        "c\t-rw-r--r--\tcharacter device node\nb\tbrw-r--r--\tblock device node"
    )
    texts = [c.text for c in candidates([_hit("types", table, 0.7)])]
    assert texts == ["The following file types are listed."]


def test_what_time_looks_for_a_time_not_the_word() -> None:
    # "at any time during the day" holds the word "time"; the deadline is "by 7:00am".
    text = (
        "Crews work Monday to Friday between 7am and 5pm, so your bin may be emptied at any time during the day. "
        "Bins must be put out by 7:00am on collection day, with the lid closed."
    )
    answer = ExtractiveAnswerer().answer("what time have the bins got to be out", [_hit("bins", text, 0.7)])
    assert _quotes(answer)[0] == "Bins must be put out by 7:00am on collection day, with the lid closed"


def test_money_off_is_answered_by_a_share_off() -> None:
    text = (
        "We will collect up to five large items for £38. "
        "Residents who receive Council Tax Reduction get a 50% discount on all bulky waste charges."
    )
    answer = ExtractiveAnswerer().answer("i'm on council tax reduction do i get money off", [_hit("bulky", text, 0.7)])
    assert _quotes(answer) == [
        "Residents who receive Council Tax Reduction get a 50% discount on all bulky waste charges"
    ]


def test_a_documents_in_short_sums_it_up() -> None:
    text = (
        "The partnership between the two countries has grown over five rounds of talks. "
        "In short: the partnership is a win-win, provided both sides follow through."
    )
    answer = ExtractiveAnswerer().answer("How does the author sum up the partnership?", [_hit("a", text, 0.7)])
    assert _quotes(answer)[0] == "[T]he partnership is a win-win, provided both sides follow through"


def test_sentences_scoring_alike_are_told_apart_by_meaning(embedder: Embedder) -> None:
    # Two rows of one table share every question word the passage offers ("login",
    # "lists"); only meaning says that "bad" logins are the failed ones.
    text = "last(1) shows listing of last logged in user.\nlastb(1) shows listing of last bad logged in users."
    question = "Which command lists failed login attempts?"
    words_only = ExtractiveAnswerer().score(question, [_hit("a", text, 0.6)])
    assert words_only[0].score == words_only[1].score
    answerer = ExtractiveAnswerer(meaning=embedder.embed)
    answer = answerer.answer(question, [_hit("a", text, 0.6)])
    assert answer.answer.startswith("lastb(1) shows listing of last bad logged in users [1].")


def test_how_a_question_is_put_is_no_word_the_answer_must_hold() -> None:
    # "in particular" asks for the specifics; a sentence saying "particularly" is no
    # closer for it.
    text = (
        "The envoy held talks with the energy secretary on recent developments in energy trade, especially "
        "hydrocarbons. The talks also covered shipping. Additionally, the trade and energy discussions overlap "
        "with defence interests, particularly in the Indo-Pacific."
    )
    for question in (
        "What kind of energy trade did they focus on in particular?",
        "What kind of energy trade did they actually focus on?",
        "Specifically, what kind of energy trade did they focus on?",
    ):
        answer = ExtractiveAnswerer().answer(question, [_hit("a", text, 0.7)])
        assert _quotes(answer)[0].endswith("energy trade, especially hydrocarbons"), question


def test_sentences_tied_without_a_word_of_the_question_are_not_weighed_by_meaning(embedder: Embedder) -> None:
    # Neither sentence holds a word of the question, so neither can answer it: the model
    # call that would order them (tens of milliseconds for long sentences) is not made.
    text = "Bad weather delays flights.\nTrains run late in winter."
    calls: list[list[str]] = []

    def meaning(texts: list[str]) -> Any:
        calls.append(texts)
        return embedder.embed(texts)

    question = "When did the Zorvian treaty start?"
    assert len({s.score for s in ExtractiveAnswerer().score(question, [_hit("a", text, 0.6)])}) == 1
    answer = ExtractiveAnswerer(meaning=meaning).answer(question, [_hit("a", text, 0.6)])
    assert (answer.abstained, calls) == (True, [])


def test_a_question_declined_for_want_of_its_kind_of_answer_weighs_no_tie_by_meaning(embedder: Embedder) -> None:
    # "When ...?" wants a date; the two sentences tied for best hold none, so the answer is
    # declined, and the model call that would order them (7 ms a sentence here) is not made.
    text = (
        "The Riren launcher programme was tested by inspectors after a joint review.\n"
        "The Riren launcher programme was tested by local officials after a public review."
    )
    calls: list[list[str]] = []

    def meaning(texts: list[str]) -> Any:
        calls.append(texts)
        return embedder.embed(texts)

    question = "When was the Riren launcher programme tested?"
    assert len({s.score for s in ExtractiveAnswerer().score(question, [_hit("a", text, 0.6)])}) == 1
    answer = ExtractiveAnswerer(meaning=meaning).answer(question, [_hit("a", text, 0.6)])
    assert (answer.abstained, calls) == (True, [])


def test_sentences_that_differ_in_score_keep_their_order_whatever_they_mean(embedder: Embedder) -> None:
    text = "Run lastb to list failed login attempts. Bad weather delays flights."
    question = "Which command lists failed login attempts?"
    answer = ExtractiveAnswerer(meaning=embedder.embed).answer(question, [_hit("a", text, 0.6)])
    assert answer.answer.startswith("Run lastb to list failed login attempts [1].")


def test_an_opening_alternatively_brings_the_sentence_before_it() -> None:
    text = (
        "For PCI devices, lspci(8) is a good start for hardware identification. "
        'Alternatively, you can identify the hardware by reading "/proc/bus/pci/devices".'
    )
    answer = ExtractiveAnswerer().answer("How do I identify the PCI hardware?", [_hit("a", text, 0.7)])
    assert answer.answer.startswith("For PCI devices, lspci(8) is a good start for hardware identification [1].")
    assert readability_defects('Alternatively, you can identify the hardware by reading "/proc/bus/pci/devices" [1].')


def test_a_follow_up_about_the_last_answer_is_answered_by_its_sentence_that_holds_its_words() -> None:
    # "The second one" meant the market item, which says nothing of Asia; the item of
    # the last answer that does is the answer, not a refusal.
    text = (
        "Benefits for the U.S.\n\n"
        "India helps the U.S. keep a strategic balance in Asia, and the partnership strengthens its policy.\n"
        "India offers a huge market for U.S. goods and services.\nU.S. defence firms gain a growing customer."
    )
    earlier = (
        "India helps the U.S. keep a strategic balance in Asia, and the partnership strengthens its policy [1]. "
        "India offers a huge market for U.S. goods and services [1]. U.S. defence firms gain a growing customer [1]."
    )
    answer = ExtractiveAnswerer().answer(
        "What does the second one say the US gets help with in Asia?",
        [_hit("a", text, 0.7, ("Benefits for the U.S.",))],
        context="India offers a huge market for U.S. goods and services",
        said=[earlier],
    )
    assert answer.answer == (
        "India helps the U.S. keep a strategic balance in Asia, and the partnership strengthens its policy [1]."
    )


def test_list_items_that_score_alike_read_in_the_documents_order(embedder: Embedder) -> None:
    # Meaning picks which tied row leads; when every tied row is quoted, they read as listed.
    # "partition" is in no row, and only df's is near it in meaning by a wide margin (0.70
    # against 0.64 at most): the int8 model's figures move by about 0.02 with the batch and
    # the CPU's instructions, so a closer call would test noise.
    text = (
        "du(1) shows disk usage of directories and files as a tree.\n"
        "df(1) shows disk usage of every mounted file system by device.\n"
        "ncdu(1) shows disk usage in an interactive text browser."
    )
    question = "Which command shows disk usage for each partition?"
    hit = _hit("a", text, 0.7)
    scored = ExtractiveAnswerer().score(question, [hit])
    assert len({s.score for s in scored}) == 1  # every row ties
    assert ExtractiveAnswerer(meaning=embedder.embed).score(question, [hit])[0].candidate.text.startswith("df(1)")
    answer = ExtractiveAnswerer(meaning=embedder.embed).answer(question, [hit])
    assert _quotes(answer) == [
        "du(1) shows disk usage of directories and files as a tree",
        "df(1) shows disk usage of every mounted file system by device",
        "ncdu(1) shows disk usage in an interactive text browser",
    ]


def test_tied_items_of_a_list_are_not_reordered_by_meaning_for_other_questions(embedder: Embedder) -> None:
    text = "\n".join(f"Officials in delegation 7 agreed on step {p} after round {p + 7} of talks." for p in range(4))
    answer = ExtractiveAnswerer(meaning=embedder.embed).answer("What did officials in delegation 7 agree on?",
                                                               [_hit("a", text, 0.7)])  # fmt: skip
    assert answer.answer.startswith("Officials in delegation 7 agreed on step 0 after round 7 of talks [1].")


FOUNDER = (
    "Brask Wind was founded in 2012 by Lena Brask. She grew up in Oster, the daughter of a baker, "
    "and spent nine years drawing bridges for the county as a structural engineer. "
    "She later completed a doctorate on gusts over open water at the polytechnic in Oster. "
    "Her first hire was Tomas Lind. He previously spent six years repairing ferries in the harbour."
)


def test_a_follow_up_asking_what_she_did_for_a_living_gets_her_work() -> None:
    # The follow-up has no words of its own for the answer to hold ("for a living" asks
    # for a line of work): the sentence naming hers answers, not the one that says
    # "previously" of someone else, nor the one after hers.
    hits = [_hit("f", FOUNDER, 0.7)]
    first = ExtractiveAnswerer().answer("Who founded Brask Wind?", hits)
    asked = standalone("What did she do for a living before that?", _turns(("Who founded Brask Wind?", first)))
    answer = ExtractiveAnswerer().answer(asked.focus, hits, asked.context, [first.answer], about=asked.referents)
    assert answer.answer == (
        "[Lena Brask] grew up in Oster, the daughter of a baker, and spent nine years drawing bridges "
        "for the county as a structural engineer [1]."
    )


@pytest.mark.parametrize(
    ("opening", "referent"),
    [
        ("He previously spent six years repairing ferries.", "Tomas Lind"),
        ("She later completed a doctorate.", "Lena Brask"),
    ],
)
def test_a_he_after_her_sentence_is_the_man_she_named(opening: str, referent: str) -> None:
    # "Her first hire was Tomas Lind. He ...": "he" is not she; "She ..." still means her.
    before = "Brask Wind was founded in 2012 by Lena Brask. Her first hire was Tomas Lind. "
    assert person_before(before, opening) == referent


def test_of_the_two_points_back_and_is_no_word_to_match() -> None:
    # "Which of the two ...?" asks about the two things just compared: a sentence saying
    # "two" holds none of the question's words for it.
    text = 'There are two methods of associating a file "foo" with a different filename "bar".'
    scored = ExtractiveAnswerer().score("Which of the two should I normally go for?", [_hit("links", text, 0.7)])
    assert (scored[0].own, scored[0].signals["lexical"]) == (0.0, 0.0)


def test_a_follow_up_about_someone_is_answered_even_far_from_every_passage() -> None:
    # The passages sit far from the question in embedding space (below min_relevance),
    # but the follow-up is about the person its "she" stands for, whom they name; and
    # "Who ...?" answered "to the wildlife agency" is not switched to whoever else is named.
    text = (
        "Dr. Tobias Renwick, in charge of turbine selection and maintenance. "
        "Dr. Saoirse Blackwood, who leads the marine mammal monitoring programme. "
        "She reports her findings each quarter to the regional wildlife agency."
    )
    hits = [_hit("team", text, 0.15)]
    history = [
        Turn(role="user", content="Who is in charge of the marine mammal monitoring?"),
        Turn(role="assistant", content="Dr. Saoirse Blackwood, who leads the marine mammal monitoring programme [1]."),
    ]
    asked = standalone("Who does she send her findings to?", history)
    answer = ExtractiveAnswerer().answer(asked.focus, hits, asked.context, about=asked.referents)
    assert (
        answer.answer
        == "[Dr. Saoirse Blackwood] reports her findings each quarter to the regional wildlife agency [1]."
    )


PHASES = (
    "The project has been divided into three construction phases so that lessons carry over:\n\n"
    "Phase 1, the demonstration stage: four turbines, 6 MW in total, commissioned in January 2023.\n"
    "Phase 2, the expansion stage: eight more turbines adding 12 MW, with construction planned for 2025.\n"
    "Phase 3, the full array: twelve larger turbines adding 24 MW, for a final capacity of 42 MW, due in 2031.\n\n"
    "Key dates so far are listed below."
)


def test_the_three_things_asked_for_are_the_items_of_the_list_that_holds_the_lead() -> None:
    # "construction" leads to Phase 2 alone; the question asks for three, and the list
    # under the lead-in holds three.
    answer = ExtractiveAnswerer().answer("What are the three construction phases?", [_hit("p", PHASES, 0.7)])
    assert [q.split(",")[0] for q in _quotes(answer)] == ["Phase 1", "Phase 2", "Phase 3"]


def _phases_walked() -> tuple[list[Hit], list[Turn]]:
    """The phases listed, then "When was the first one commissioned?" answered."""
    hits = [_hit("p", PHASES, 0.7)]
    listing = ExtractiveAnswerer().answer("What are the three construction phases?", hits)
    first = ExtractiveAnswerer().answer("When was Phase 1 commissioned?", hits)
    turns = ("What are the three construction phases?", listing), ("When was the first one commissioned?", first)
    return hits, _turns(*turns)


def test_walking_the_items_of_an_answer_two_turns_back() -> None:
    # "the last one" after "the first one" is the last item the answer before quoted,
    # not something of the one sentence the last answer gave.
    _, history = _phases_walked()
    asked = standalone("And when's the last one supposed to be done?", history)
    assert asked.query == (
        "And when's the last one supposed to be done? "
        "(Phase 3 full array twelve larger turbines adding 24 MW final capacity 42 MW due 2031)"
    )


def test_how_far_away_still_asks_for_a_distance() -> None:
    assert expected_type(plain("How far away is the wind farm from the coast?")) == "quantity"


def test_the_items_of_a_list_at_the_end_of_a_passage() -> None:
    text = PHASES.split("\n\nKey dates")[0] + "\n"
    answer = ExtractiveAnswerer().answer("What are the three construction phases?", [_hit("p", text, 0.7)])
    assert [q.split(",")[0] for q in _quotes(answer)] == ["Phase 1", "Phase 2", "Phase 3"]


def test_how_far_off_asks_how_near_not_for_a_distance() -> None:
    # "How far" wants a quantity; "how far off" is a time or a state, said in words.
    assert plain("So how far off is the first tranche?") == "So how near is the first tranche?"
    hits = [_hit("t", "Five rounds are done, and the first tranche of the trade deal is “very near” conclusion.", 0.7)]
    answer = ExtractiveAnswerer().answer("So how far off is the first tranche of the deal?", hits)
    assert (
        answer.answer == "Five rounds are done, and the first tranche of the trade deal is “very near” conclusion [1]."
    )


def test_a_follow_up_lead_holding_a_little_of_its_words_answers_when_nothing_holds_more(
    word_vectors: WordVectors,
) -> None:
    # "last" holds by meaning ("final"), a small share of the follow-up's words; no
    # sentence of an earlier answer holds more, so the item answers instead of a refusal.
    hits, history = _phases_walked()
    asked = standalone("And when's the last one supposed to be done?", history)
    said = [t.content for t in history[1::2]]
    answer = ExtractiveAnswerer(vectors=word_vectors).answer(
        asked.focus, hits, asked.context, said, about=asked.referents
    )
    assert _quotes(answer) == [
        "Phase 3, the full array: twelve larger turbines adding 24 MW, for a final capacity of 42 MW, due in 2031"
    ]


def test_an_ellipsis_is_answered_from_the_passage_on_the_question_it_leans_on() -> None:
    # Few of the follow-up's own words in the lead, but its passage is about the UUID of a
    # partition, what the question before asked: no sentence on "ls -l" takes its place.
    uuid = (
        "Partition names may change, so you can access a partition by its UUID. "
        "You can probe UUID of a block special device with blkid(8). "
        'You can also probe it and other information with "lsblk -f". '
        'The mount(8) command with "-U" option can mount a block device using UUID.'
    )
    ls = (
        'If you need to access information displayed by "ls -l" in shell script, you should use '
        "pertinent commands such as test(1), stat(1) and readlink(1)."
    )
    history = [
        Turn(role="user", content="How do I find the UUID of a partition?"),
        Turn(role="assistant", content="You can probe UUID of a block special device with blkid(8) [1]."),
    ]
    asked = standalone("Is there a command that shows that along with other filesystem information?", history)
    answer = ExtractiveAnswerer().answer(
        asked.focus, [_hit("uuid", uuid, 0.6), _hit("ls", ls, 0.5)], asked.context, about=asked.referents
    )
    assert _quotes(answer)[0] == 'You can also probe it and other information with "lsblk -f"'
    assert all(c.chunk_id == "uuid" for c in answer.citations)


def test_a_follow_up_about_someone_the_passages_say_nothing_of_is_declined() -> None:
    # "How old is he?" about Farrant: the passages name him, but no sentence about him
    # holds anything the follow-up asks, and they sit far from it in embedding space.
    text = (
        "Mateo Farrant, a former harbour pilot, schedules all offshore work around the neap tides. "
        "Mayor Rosalind Quarrie opened the visitor centre in May 2023, the first new industry since the cannery closed."
    )
    history = [
        Turn(role="user", content="Who manages the marine operations for the tidal array?"),
        Turn(role="assistant", content="Mateo Farrant, a former harbour pilot, schedules all offshore work [1]."),
    ]
    asked = standalone("How old is he?", history)
    answer = ExtractiveAnswerer().answer(asked.focus, [_hit("team", text, 0.15)], asked.context, about=asked.referents)
    assert (asked.query, answer.answer) == ("How old is Mateo Farrant?", ABSTAIN_TEXT)


def test_a_follow_up_is_answered_by_a_sentence_nearly_as_good_that_holds_its_words(word_vectors: WordVectors) -> None:
    # The passage on why India buys abroad ranks first and shares only "India" with the
    # follow-up; the sentence that says what India wants beyond buying answers it, and
    # leads though the runners-up score higher.
    why = (
        "India has been diversifying its defence procurement beyond traditional suppliers, and the U.S. sees an "
        "opening. India can reduce its dependency on single sources in critical sectors."
    )
    wants = "India will expect more than just purchase deals, pushing for co-production and local manufacturing."
    others = [
        "Five rounds of negotiations have been completed on the trade deal.",
        "The Quad meets every year.",
        "Energy trade grew last year.",
        "The ambassador met senators in Washington.",
    ]
    answer = ExtractiveAnswerer(vectors=word_vectors).answer(
        "Is India happy just buying from them, or does it want more than that?",
        [_hit("a", why, 0.62), _hit("b", wants, 0.58), *(_hit(f"o{i}", t, 0.3) for i, t in enumerate(others))],
        context="Why is the US interested in how India buys its defence equipment?",
    )
    assert answer.answer == (
        f"{wants[:-1]} [1]. India has been diversifying its defence procurement beyond traditional suppliers, and "
        "the U.S. sees an opening [2]. India can reduce its dependency on single sources in critical sectors [2]."
    )


def test_a_table_cell_is_quoted_with_what_its_row_is_about() -> None:
    # As ingest lays a table out: a row per line, cells parted by tabs.
    table = (
        "Table 9.2. List of key bindings for screen\n\nkey binding\tmeaning\n^A ?\tshow a help screen (display key "
        "bindings)\n^A c\tcreate a new window and switch to it\n^A n\tgo to next window"
    )
    answer = ExtractiveAnswerer().answer("How do I create a new window in screen?", [_hit("a", table, 0.6)])
    assert answer.answer == "[^A c] create a new window and switch to it [1]."
    assert verbatim(_quotes(answer)[0]) in table


def test_a_table_cell_under_a_caption_naming_the_referent_answers_the_follow_up(word_vectors: WordVectors) -> None:
    # "it" was screen; the cell does not say "screen", the caption of its table does.
    keys = (
        "Screen basics\nOver a slow connection, command keystrokes are entered by typing Control-A plus a single "
        "key. Every other keyboard input is sent to the program you are using."
    )
    table = (
        "Table 9.2. List of key bindings for screen\n\nkey binding\tmeaning\n^A c\tcreate a new window and switch "
        "to it\n^A d\tdetach the session"
    )
    others = [
        "You can detach a screen session and attach it again later.",
        "The screen program keeps programs running.",
    ]
    answer = ExtractiveAnswerer(vectors=word_vectors).answer(
        "How do I open a new window inside screen?",
        [_hit("a", keys, 0.62), _hit("b", table, 0.55), *(_hit(f"o{i}", t, 0.5) for i, t in enumerate(others))],
        context="screen Is there a way to keep my shell alive if the connection drops?",
        about=("screen",),
    )
    assert answer.answer == "[^A c] create a new window and switch to it [1]."


def test_a_version_written_short_is_the_long_one() -> None:
    mtu = (
        "MTU is the maximum data packet size without IP fragmentation plus 28 bytes for the IPv4 and plus 48 bytes "
        "for the IPv6."
    )
    answer = ExtractiveAnswerer().answer(
        "and for v6?",
        [_hit("a", mtu, 0.5)],
        context="When I work out the MTU with ping, how many bytes of overhead do I add for IPv4?",
    )
    assert answer.answer == f"{mtu[:-1]} [1]."


def test_a_this_after_a_command_brings_the_command_and_the_sentence_that_introduces_it() -> None:
    text = (
        "Modern editors cope well with any encoding.\n\nA latin1 text file can be edited simply with vim by the "
        "following.\n\n$ vim u-file.txt\n\nThis is possible since vim assumes the UTF-8 encoding first and, if it "
        "fails, assumes it to be latin1."
    )
    answer = ExtractiveAnswerer().answer("What encoding does vim assume when UTF-8 fails?", [_hit("a", text, 0.7)])
    assert answer.answer == (
        "A latin1 text file can be edited simply with vim by the following. $ vim u-file.txt [1]. This is possible "
        "since vim assumes the UTF-8 encoding first and, if it fails, assumes it to be latin1 [1]."
    )
    assert readability_defects(answer.answer) == []


def test_a_sentence_pointing_at_the_example_above_brings_the_example() -> None:
    # "Use --verbose in the above example" says nothing without the example.
    text = (
        "You can check if a text file is encoded in UTF-8 with iconv(1) by the following.\n\n"
        '$ iconv -f utf8 -t utf8 input.txt >/dev/null || echo "non-UTF-8 found"\n\nTip\n'
        'Use "--verbose" option in the above example to find the first non-UTF-8 character.'
    )
    answer = ExtractiveAnswerer().answer(
        "How do I locate the first character in a file that isn't valid UTF-8?", [_hit("a", text, 0.7)]
    )
    assert answer.answer == (
        "You can check if a text file is encoded in UTF-8 with iconv(1) by the following. $ iconv -f utf8 -t utf8 "
        'input.txt >/dev/null || echo "non-UTF-8 found" [1]. Use "--verbose" option in the above example to find '
        "the first non-UTF-8 character [1]."
    )


def test_a_this_under_a_heading_brings_nothing_from_the_section_before() -> None:
    # The heading separates them: "This work" is what the heading names, not the last
    # sentence of the section above it.
    text = (
        "Ferries leave the harbour every hour in summer.\n\nHarbour Wall Repairs\n\n"
        "This work is paid for by the community benefit fund, which the town council manages."
    )
    answer = ExtractiveAnswerer().answer("Which fund pays for the work?", [_hit("a", text, 0.7)])
    assert answer.answer == (
        "[Harbour Wall Repairs] This work is paid for by the community benefit fund, which the town council "
        "manages [1]."
    )


def test_a_definition_opening_with_this_is_read_with_its_term() -> None:
    # A definition list: each term on a line of its own, its definition under it.
    text = (
        "Currently there are three versions of Debian GNU/Linux:\n\nthe `testing' distribution\n\n"
        "This is where packages that will be released as the next `stable' are placed.\n\n"
        "the `unstable' distribution\n\nThis is the version currently under development; it is updated "
        "continuously."
    )
    answer = ExtractiveAnswerer().answer("Which version is currently under development?", [_hit("a", text, 0.7)])
    assert answer.answer.startswith(
        "[the `unstable' distribution] This is the version currently under development; it is updated continuously [1]."
    )
    assert readability_defects(answer.answer) == []


def test_a_term_is_no_statement_and_heads_the_definition_it_opens() -> None:
    # The term line is never quoted as a sentence of its own; a second sentence of its
    # definition brings the first, which the term heads.
    text = (
        "Currently there are three versions of Debian GNU/Linux:\n\nthe `testing' distribution, currently "
        "called bookworm\n\nThis is where packages that will be released as the next `stable' are placed. "
        "This distribution is updated more often than `stable', but not more often than `unstable'."
    )
    answer = ExtractiveAnswerer().answer("How often is the testing distribution updated?", [_hit("a", text, 0.7)])
    assert answer.answer == (
        "[the `testing' distribution, currently called bookworm] This is where packages that will be released as "
        "the next `stable' are placed [1]. This distribution is updated more often than `stable', but not more "
        "often than `unstable' [1]."
    )


@pytest.mark.parametrize("more", ["Tell me more.", "Can you tell me more about him?", "What else did he do?"])
def test_asking_for_more_gets_what_the_last_answer_did_not_say(seed_assistant: Assistant, more: str) -> None:
    question = "Who is India's ambassador to the US?"
    first = seed_assistant.ask(question)
    assert "Vinay Mohan Kwatra" in first.answer
    second = seed_assistant.ask(more, history=_turns((question, first)))
    said = {verbatim(q) for q in _quotes(first)}
    assert not second.abstained
    assert [q for q in _quotes(second) if verbatim(q) in said] == []
    assert "Kwatra" in second.answer


def test_which_file_is_answered_by_a_sentence_naming_a_path() -> None:
    text = (
        "With careful configuration, sudo(8) can grant limited administrative privileges to other users.\n\n"
        'Install the sudo package and activate it by setting options in "/etc/sudoers".'
    )
    answer = ExtractiveAnswerer().answer("Which file do I edit to grant users sudo rights?", [_hit("a", text, 0.7)])
    assert _quotes(answer)[0] == 'Install the sudo package and activate it by setting options in "/etc/sudoers"'


@pytest.mark.parametrize(
    ("question", "path"),
    [
        ("Which file do I edit to grant users sudo rights?", True),
        ("What config file holds the hostname?", True),
        ("Where are downloaded .deb files cached by APT?", True),
        ("Where did she study?", False),
        ("Which package provides the file?", False),
    ],
)
def test_questions_asking_for_a_path(question: str, path: bool) -> None:
    assert asks_for_path(question) is path


def test_asking_for_more_twice_goes_on_about_the_same_subject(seed_assistant: Assistant) -> None:
    question = "Who is India's ambassador to the US?"
    first = seed_assistant.ask(question)
    second = seed_assistant.ask("Tell me more.", history=_turns((question, first)))
    third = seed_assistant.ask("Tell me more.", history=_turns((question, first), ("Tell me more.", second)))
    assert third.query == "Tell me more. (India's ambassador US)"
    said = {verbatim(q) for q in _quotes(first) + _quotes(second)}
    assert not third.abstained
    assert [q for q in _quotes(third) if verbatim(q) in said] == []


def test_a_title_naming_a_question_is_not_quoted() -> None:
    text = (
        "In this post we explore:\nWhat triggered the engagement\nWhat we should watch going forward\n\n"
        "Going forward, both sides should watch how they align on maritime security."
    )
    answer = ExtractiveAnswerer().answer("What should we watch going forward?", [_hit("a", text, 0.7)])
    assert answer.answer == "Going forward, both sides should watch how they align on maritime security [1]."


def test_a_follow_ups_runners_up_come_from_passages_about_what_it_points_back_to() -> None:
    post = "How both sides align on regional security (e.g., Quad, maritime security) will reflect the partnership."
    manual = "For example, you can make a directory tree to be owned by a user foo and shared by a group bar."
    answer = ExtractiveAnswerer().answer(
        "Which grouping does it give as an example there?",
        [_hit("post", f"Indo-Pacific Strategy Alignment\n\n{post}", 0.6), _hit("manual", manual, 0.55)],
        context="Indo-Pacific What does the post say to watch on Indo-Pacific strategy alignment?",
        about=("Indo-Pacific",),
    )
    assert answer.answer == f"{post[:-1]} [1]."


@pytest.mark.parametrize(
    ("question", "quote", "marked"),
    [
        (
            "When did the envoy visit Delhi?",
            "The envoy visited Delhi in May 2025.",
            "The envoy visited Delhi in May 2025 [1].",
        ),
        (
            "Which package gives lpr in CUPS?",
            "(In CUPS, lpr comes with the cups-bsd package.)",
            "(In CUPS, lpr comes with the cups-bsd package.) [1]",
        ),
        (
            "Which command can display a message in a window?",
            "xmessage(1): display a message in a window (X)",
            "xmessage(1): display a message in a window (X) [1].",
        ),
        (
            "What did the envoy discuss about the trade arrangement?",
            "The envoy met senators to discuss a “mutually beneficial trade arrangement”",
            "The envoy met senators to discuss a “mutually beneficial trade arrangement” [1].",
        ),
    ],
)
def test_a_marker_closes_the_sentence_it_cites(question: str, quote: str, marked: str) -> None:
    answer = ExtractiveAnswerer().answer(question, [_hit("a", quote, 0.7)])
    assert answer.answer == marked


def test_an_answer_that_is_no_tell_me_more_brings_its_antecedent_even_when_said_before() -> None:
    stored = 'The system sets the hostname at boot to the name stored in "/etc/hostname".'
    text = f"{stored} This file should contain only the hostname, not a fully qualified domain name."
    answer = ExtractiveAnswerer().answer(
        "Should I put the fully qualified domain name in /etc/hostname?",
        [_hit("a", text, 0.7)],
        context="/etc/hostname Which file holds the hostname set at boot?",
        said=[f"{stored[:-1]} [1]."],
    )
    assert _quotes(answer) == [
        stored[:-1],
        "This file should contain only the hostname, not a fully qualified domain name",
    ]


def test_a_command_with_a_link_is_not_brought_as_what_this_refers_to() -> None:
    text = (
        "Install the tool by the following.\n\n$ curl https://get.example.sh | sh\n\n"
        "This installs the agent and starts it at boot."
    )
    answer = ExtractiveAnswerer().answer("What does installing the agent do at boot?", [_hit("a", text, 0.7)])
    assert "https://" not in answer.answer
    assert answer.answer == "This installs the agent and starts it at boot [1]."


@pytest.mark.parametrize(
    "statement", ["When prompted, enter your passphrase twice.", "Where possible, use the package manager"]
)
def test_an_instruction_opening_with_when_or_where_is_quoted(statement: str) -> None:
    answer = ExtractiveAnswerer().answer(
        "What should I do with the passphrase and the package manager?", [_hit("a", statement, 0.7)]
    )
    assert _quotes(answer)[0] == statement.rstrip(".")


def test_a_row_key_the_answer_would_respace_is_not_shown() -> None:
    table = "key binding\tmeaning\nC-a :\tenter the command line mode of screen\nC-a c\tcreate a new window"
    answer = ExtractiveAnswerer().answer("How do I enter the command line mode of screen?", [_hit("a", table, 0.6)])
    assert answer.answer == "enter the command line mode of screen [1]."


def test_a_lone_stop_line_after_a_sentence_is_not_a_second_stop() -> None:
    # Debian package descriptions part paragraphs with a line holding " ." only, which
    # reads as a stop of its own once the lines are joined.
    text = (
        "They can also include normal installed files like other packages do. . One use for this is to create a "
        "metapackage: a package whose sole purpose is to declare dependencies on other packages so that these "
        "will be automatically installed or removed. . Another use is to circumvent dependency checking."
    )
    answer = ExtractiveAnswerer().answer("What is a metapackage for?", [_hit("equivs", text, 0.7)])
    assert answer.answer.endswith("so that these will be automatically installed or removed [1].")


def test_a_piece_of_a_sentence_cut_inside_a_quotation_is_not_quoted() -> None:
    text = (
        "Debian is a base upon which value-added Linux distributions can be built. See Section 14.3, “I am making "
        'a special Linux distribution for a "vertical market". Can I use Debian GNU/Linux for the guts of a Linux '
        "system and add my own applications on top of it?” for more information."
    )
    answer = ExtractiveAnswerer().answer(
        "Can I use Debian for the guts of my own Linux system?", [_hit("a", text, 0.7)]
    )
    assert answer.answer == "Debian is a base upon which value-added Linux distributions can be built [1]."


def test_right_now_is_answered_by_what_holds_currently() -> None:
    text = (
        "A community fund receives £5,000 per installed megawatt each year. With Phase 1 in operation, "
        "this currently provides £30,000 a year. Electricity is sold at £178 per megawatt-hour."
    )
    answer = ExtractiveAnswerer().answer("So what does that add up to right now?", [_hit("fund", text, 0.7)])
    assert _quotes(answer)[0] == "With Phase 1 in operation, this currently provides £30,000 a year"


def test_a_quoted_slogan_is_no_person() -> None:
    sentence = (
        "Ambassador Kwatra met the CEO of Lockheed Martin to discuss how U.S. companies can "
        "contribute to India’s “Atmanirbhar Bharat” goals."
    )
    assert people(sentence) == ["Ambassador Kwatra", "Lockheed Martin"]
    assert people("He wrote to ‘Jeanne Shaheen’s office’ twice.") == ["Jeanne Shaheen"]


def test_how_heavy_is_answered_by_a_weight_not_by_a_date_or_the_word_heavy() -> None:
    text = (
        "14 March 2021: the first anchor was lowered from the heavy-lift barge Solveig. "
        "Each anchor weighs about 12 tonnes and is held by its own mass."
    )
    answer = ExtractiveAnswerer().answer("How heavy are the anchors?", [_hit("a", text, 0.7)])
    assert _quotes(answer) == ["Each anchor weighs about 12 tonnes and is held by its own mass"]


def test_a_sentence_about_this_file_counts_the_path_the_sentence_before_names() -> None:
    # "This file" is /etc/boxname: it holds the question's path as well as its other words.
    question = "Should I put the full domain name in /etc/boxname?"
    named = _hit(
        "a",
        'The service sets the box name at boot time to the name stored in "/etc/boxname". '
        "This file should contain only the box name, not a fully qualified domain name.",
        0.6,
    )
    other = _hit("b", "If the name is found in the Domain Name System, it returns all valid addresses.", 0.55)
    scored = ExtractiveAnswerer().score(question, [named, other])
    assert [s.candidate.text[:15] for s in scored] == ["This file shoul", "The service set", "If the name is "]
    assert scored[0].score > scored[1].score
    # Quoted with the sentence that says which file it is.
    assert _quotes(ExtractiveAnswerer().answer(question, [named, other]))[:2] == [
        'The service sets the box name at boot time to the name stored in "/etc/boxname"',
        "This file should contain only the box name, not a fully qualified domain name",
    ]


def test_a_question_for_several_things_is_answered_by_the_whole_list() -> None:
    text = (
        "For the ledger volume, the ledgerkit package provides the following.\n\n"
        "mkledger(8) to create a new ledger volume\n"
        "checkledger(8) to check and repair an existing ledger volume\n"
        "tuneledger(8) to configure the header of a ledger volume\n"
        "peekledger(8) to inspect a ledger volume interactively.\n\n"
        "The mkledger(8) command is provided by the ledgerkit package as a front-end to mkledger.fstype."
    )
    answer = ExtractiveAnswerer().answer(
        "Which tools does ledgerkit give me for ledger volumes?", [_hit("a", text, 0.7)]
    )
    assert _quotes(answer) == [
        "mkledger(8) to create a new ledger volume",
        "checkledger(8) to check and repair an existing ledger volume",
        "tuneledger(8) to configure the header of a ledger volume",
        "peekledger(8) to inspect a ledger volume interactively",
    ]


def test_a_follow_up_asking_again_what_the_last_answer_said_gets_it_again() -> None:
    named = _hit(
        "a",
        'The service sets the box name at boot time to the name stored in "/etc/boxname". '
        "This file should contain only the box name, not a fully qualified domain name.",
        0.62,
    )
    other = _hit(
        "b",
        'The "/etc/nsswitch.conf" file with stanza like "hosts: files dns" dictates the box name resolution order. '
        "If the box name is found by the query, it returns all valid addresses for it.",
        0.6,
    )
    # The answer to "Which file holds the box name set at boot?", as the chat page sends it back.
    first = (
        'The service sets the box name at boot time to the name stored in "/etc/boxname" [1]. '
        "This file should contain only the box name, not a fully qualified domain name [1]."
    )
    fillers = [_hit(f"f{i}", f"The archive mirror number {i} carries signed release files.", 0.3) for i in range(6)]
    again = ExtractiveAnswerer().answer(
        "Should I put the full domain name in /etc/boxname?",
        [other, named, *fillers],
        context="Which file holds the box name set at boot?",
        said=[first],
    )
    assert _quotes(again)[:2] == [
        'The service sets the box name at boot time to the name stored in "/etc/boxname"',
        "This file should contain only the box name, not a fully qualified domain name",
    ]


def test_which_senators_did_he_meet_names_the_senators_not_him_again(seed_assistant: Assistant) -> None:
    # "he" is the ambassador: a sentence naming him in full ("Vinay Mohan Kwatra, held
    # meetings with key U.S. figures including senators") names no senator.
    first = seed_assistant.ask("Who is Vinay Mohan Kwatra?")
    answer = seed_assistant.ask("which US senators did he meet?", history=_turns(("Who is Vinay Mohan Kwatra?", first)))
    quotes = _quotes(answer)
    assert [q.split(",")[0] for q in quotes] == [
        "[Ambassador Kwatra] met with Jeanne Shaheen",
        "[Ambassador Kwatra] also engaged with Senator Bill Hagerty from Tennessee on continuing ongoing talks for a trade pact",
    ]


def test_a_list_of_what_the_text_covers_is_not_quoted_as_an_answer() -> None:
    # "In this blog, we'll explore:" lists sections; "The challenges and headwinds" names
    # one and says nothing of any challenge.
    text = (
        "India and the U.S. are talking again.\nIn this blog, we’ll explore:\n-\nThe key domains of cooperation\n-\n"
        "The challenges and headwinds\nSeveral challenges remain.\nTariffs are one of the challenges: steep tariffs "
        "hit Indian exports."
    )
    answer = ExtractiveAnswerer().answer("What other challenges does the blog point out?", [_hit("a", text, 0.6)])
    assert "headwinds" not in answer.answer
    assert answer.answer.startswith("Tariffs are one of the challenges: steep tariffs hit Indian exports [1].")


def test_who_is_a_person_named_in_full_asks_what_they_are(seed_assistant: Assistant) -> None:
    # The question gives the name: a sentence naming someone else (the Lockheed Martin
    # CEO the ambassador met) is no answer, the one giving his office is.
    answer = seed_assistant.ask("Who is Vinay Mohan Kwatra?")
    assert answer.answer.startswith(
        "Recently, India’s Ambassador to the U.S., Vinay Mohan Kwatra, held meetings with key U.S. figures"
    )


def test_an_idiom_is_searched_by_the_plain_words_it_stands_for(seed_assistant: Assistant) -> None:
    # "come out ahead" finds passages by "win": the sentence saying so leads.
    answer = seed_assistant.ask("Does the blog think both countries come out ahead from this partnership?")
    assert answer.answer.startswith("[T]he partnership is a win-win — provided both sides manage sensitivities")


@pytest.mark.parametrize(
    ("question", "text"),
    [
        # Its only number counts resources, not megabytes.
        (
            "how many megabytes of ram does aptitude need?",
            "There are 2 resources available for you to get the memory usage situation. "
            "aptitude is heavier on memory than apt-get.",
        ),
        # Pounds are no dollars.
        (
            "how much is the deal expected to be worth in dollars?",
            "The company expects the price of the deal to fall below £150 per megawatt-hour.",
        ),
        # "twice a year" counts surveys, not seals; the year before "a bearing seal" counts nothing.
        (
            "how many seals has her team counted in the sound so far?",
            "Her team surveys the sound twice a year. In February 2024, a bearing seal on turbine T3 failed.",
        ),
        # "sudo(8)" is a manual page, not a length of time.
        (
            "how long does sudo remember my password?",
            "With more thoughtful and careful configuration, sudo(8) can grant limited administrative privileges "
            "to other users without sharing the root password.",
        ),
    ],
)
def test_a_number_that_measures_something_else_does_not_answer(question: str, text: str) -> None:
    answer = ExtractiveAnswerer().answer(question, [_hit("a", text, 0.6)])
    assert (answer.abstained, answer.citations) == (True, [])


def test_a_measure_in_the_unit_asked_answers() -> None:
    text = "There are 2 resources available to get the memory usage. The aptitude tool needs about 40 MB of RAM."
    answer = ExtractiveAnswerer().answer("how many megabytes of ram does aptitude need?", [_hit("a", text, 0.6)])
    assert answer.answer == "The aptitude tool needs about 40 MB of RAM [1]."


def test_who_about_a_named_company_is_not_answered_by_what_the_company_does() -> None:
    supplier = (
        "Norrland Turbinverk AB supplies the turbines and provides spare parts under a ten-year service agreement."
    )
    answer = ExtractiveAnswerer().answer("Who runs Norrland Turbinverk AB?", [_hit("a", supplier, 0.6)])
    assert (answer.abstained, answer.citations) == (True, [])
    # A sentence naming who, though no person, answers too.
    funded = "Norrland Turbinverk AB is funded by the European Investment Bank."
    answer = ExtractiveAnswerer().answer("Who funds Norrland Turbinverk AB?", [_hit("a", funded, 0.6)])
    assert answer.answer == "Norrland Turbinverk AB is funded by the European Investment Bank [1]."
    # The sentence naming whoever runs it does answer.
    runs = f"{supplier} Norrland Turbinverk AB is run by its founder, Karin Sjoberg."
    answer = ExtractiveAnswerer().answer("Who runs Norrland Turbinverk AB?", [_hit("a", runs, 0.6)])
    assert answer.answer == "Norrland Turbinverk AB is run by its founder, Karin Sjoberg [1]."


def test_opening_hours_are_not_answered_by_when_it_opened() -> None:
    text = (
        "Rosalind Quarrie opened the visitor centre on the harbour front in May 2023. "
        "Visitors can follow live output figures on a screen in the visitor centre."
    )
    answer = ExtractiveAnswerer().answer(
        "what are its opening hours?", [_hit("a", text, 0.6)], context="visitor centre open"
    )
    assert (answer.abstained, answer.citations) == (True, [])
    hours = f"{text} The visitor centre is open daily from 10am to 4pm."
    answer = ExtractiveAnswerer().answer("What are the visitor centre's opening hours?", [_hit("a", hours, 0.6)])
    assert answer.answer == "The visitor centre is open daily from 10am to 4pm [1]."


def test_two_words_asked_are_met_by_the_one_word_a_sentence_writes() -> None:
    # "hard links" asked, "hardlink" (singular, run together) written: the sentence holds
    # both words, as the one writing them apart does.
    hits = [
        _hit("a", "Hard disks and symbolic links are covered in the next chapter.", 0.6),
        _hit("b", "A hardlink shares the inode of the file, which the -i option of ls(1) reveals.", 0.5),
    ]
    scored = {
        s.candidate.hit.chunk.id: s for s in ExtractiveAnswerer().score("do two hard links share an inode?", hits)
    }
    assert (round(scored["a"].coverage, 3), round(scored["b"].coverage, 3)) == (0.337, 0.506)


@pytest.fixture(scope="module")
def harbour_assistant(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[Assistant]:
    """The bundled corpus and the tidal array report, a document of phases, costs and people."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("harbour"))
    assistant = build_application(settings, embedder=embedder).assistant
    Ingestor(assistant.store, embedder, Chunker(TokenCounter(), settings.chunk_tokens)).ingest(
        [SEED_DOC.parent, ROOT / "eval" / "docs" / "harbour-tidal-array.md"]
    )
    yield assistant
    assistant.close()


def test_how_something_is_split_up_lists_its_parts_and_the_second_one_is_the_second_part(
    harbour_assistant: Assistant,
) -> None:
    split = harbour_assistant.ask("how is the construction split up?")
    assert [quote.split(",")[0] for quote in _quotes(split)] == ["Phase 1", "Phase 2", "Phase 3"]
    # "second" points at Phase 2: "a second export cable" (Phase 3's) is no closer for it,
    # and the costs of the other phases do not join.
    cost = harbour_assistant.ask(
        "what's the second one going to cost", _turns(("how is the construction split up?", split))
    )
    quotes = _quotes(cost)
    assert quotes[0] == "[Phase 2 cost] £71 million, most of it for turbines, bases and installation vessels"
    assert not any("Phase 1 cost" in q or "Phase 3 cost" in q for q in quotes)


def test_the_second_phase_asks_no_unit_of_time_and_gets_its_own_cost(harbour_assistant: Assistant) -> None:
    answer = harbour_assistant.ask("how much will the second phase cost?")
    assert answer.answer == "[Phase 2 cost] £71 million, most of it for turbines, bases and installation vessels [1]."


def test_the_ordinal_pointing_at_an_item_is_no_word_a_second_of_something_else_holds() -> None:
    # "the second one" is an item of the last answer: "a second export cable" (Phase 3's)
    # holds the word but is no closer for it; "the second phase" is Phase 2.
    hits = [
        _hit("a", "Phase 3 cost: £104 million, reflecting the larger turbines and a second export cable.", 0.6),
        _hit("b", "Phase 2 cost: £71 million, most of it for turbines and vessels.", 0.5),
    ]

    def coverage(question: str) -> dict[str, float]:
        return {s.candidate.hit.chunk.id: round(s.coverage, 3) for s in ExtractiveAnswerer().score(question, hits)}

    assert coverage("what's the second one going to cost?") == {"a": 0.105, "b": 0.105}
    assert coverage("what's the second phase going to cost?") == {"a": 0.267, "b": 0.479}


LISTBUGS = """# Upgrade safeguards

The apt-listbugs package checks the Debian bug tracking system for critical bugs before each upgrade with APT.
The apt-listchanges package shows the news of packages being upgraded.
"""


def test_a_how_to_follow_up_answered_only_by_the_answer_before_is_declined(tmp_path: Path, embedder: Embedder) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "safeguards.md").write_text(LISTBUGS, encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data")
    assistant = build_application(settings, embedder=embedder).assistant
    try:
        Ingestor(assistant.store, embedder, Chunker(TokenCounter(), settings.chunk_tokens)).ingest([docs])
        first = assistant.ask("What does apt-listbugs do?")
        history = _turns(("What does apt-listbugs do?", first))
        how = assistant.ask("how do i make it ignore one particular bug?", history)
        which = assistant.ask("which tracker does it check?", history)
        again = assistant.ask("which package was that again?", history)
        rely = assistant.ask("can I rely on it to catch every bug?", history)
    finally:
        assistant.close()
    assert first.answer.startswith("The apt-listbugs package checks the Debian bug tracking system")
    # Saying again what apt-listbugs does tells nothing of how to make it ignore a bug.
    assert (how.abstained, how.answer) == (True, ABSTAIN_TEXT)
    # A question about what the answer before said is answered by it again, as is one
    # asking whether the thing described can be relied on.
    assert which.answer.startswith("The apt-listbugs package checks the Debian bug tracking system")
    assert rely.answer.startswith("The apt-listbugs package checks the Debian bug tracking system")
    assert again.answer.startswith("The apt-listbugs package checks the Debian bug tracking system")


def test_a_thing_pointed_at_by_its_noun_is_answered_by_the_sentence_on_it() -> None:
    # "These past frictions ..." holds the earlier question's words; the follow-up's own
    # ("those tariffs", under the heading on tariffs) are as much the other sentence's,
    # which holds the figure asked for.
    heading = ("Tariffs & Market Access Issues",)
    hits = [
        _hit("a", "These past frictions mean trust must be built in the trade track.", 0.6, heading),
        _hit(
            "b",
            "Earlier, U.S. imposed steep tariffs (50 per cent) on some Indian exports, labelled unfair.",
            0.5,
            heading,
        ),
    ]
    answer = ExtractiveAnswerer().answer(
        "how high were those tariffs?", hits, context="past frictions trade between two sides"
    )
    assert (
        answer.answer
        == "Earlier, U.S. imposed steep tariffs (50 per cent) on some Indian exports, labelled unfair [1]."
    )


def test_who_is_quoted_is_answered_by_the_sentence_quoting_someone() -> None:
    # Neither "guy" nor "quoted" is a word of the answer: the quotation marks are.
    hits = [
        _hit("a", "Trade deals often take time and get derailed by domestic politics or global shifts.", 0.6),
        _hit(
            "b",
            "India’s insistence on “we will not do a deal in a hurry” (said by Minister Piyush Goyal) shows caution.",
            0.5,
        ),
    ]
    answer = ExtractiveAnswerer().answer(
        "who's the guy quoted there?", hits, context="trade negotiations roller coaster"
    )
    assert _quotes(answer)[0].startswith("India’s insistence on “we will not do a deal in a hurry”")


def test_what_they_are_doing_about_a_problem_is_what_someone_does(harbour_assistant: Assistant) -> None:
    history = _exchange(
        "whats the supply chain worry for phase 3 of the array?",
        "The main bearings for the 2 MW turbines come from a single factory, and a delay there could push Phase 3 "
        "beyond 2031 [1].",
    )
    doing = harbour_assistant.ask("what are they doing about it?", history)
    assert _quotes(doing)[0] == (
        "The company has asked Norrland Turbinverk to qualify a second bearing supplier before the end of 2026"
    )


def test_what_she_did_before_her_phd_is_her_work_before_the_doctorate(harbour_assistant: Assistant) -> None:
    question = "who founded halvard tidal energy?"
    founded = harbour_assistant.ask(question)
    before = harbour_assistant.ask("what did she do before her phd?", _turns((question, founded)))
    assert before.answer.startswith("[Ingrid Halvard] grew up in Port Caddoway")
    assert "as a naval architect" in _quotes(before)[0]


def test_how_many_is_answered_by_the_number_counting_what_it_asks_for() -> None:
    text = (
        "The Debian archive is mirrored at many sites around the world since 1993. "
        "Currently, there are 68980 packages available for the amd64 architecture."
    )
    answer = ExtractiveAnswerer().answer("roughly how many packages does debian have for amd64", [_hit("a", text, 0.6)])
    assert answer.answer == "Currently, there are 68980 packages available for the amd64 architecture [1]."


def test_where_a_company_is_based_is_the_place_the_conversation_gave(harbour_assistant: Assistant) -> None:
    # The sentence naming Sweden was said already; the one ranked above it says what the
    # company does and names no place.
    history = _exchange(
        "who supplies the turbines?",
        "The turbines are supplied by Norrland Turbinverk AB, a manufacturer based in Sweden, under a contract "
        "signed in 2019 [1].",
    )
    answer = harbour_assistant.ask("where's that company based?", history)
    assert _quotes(answer)[0] == (
        "The turbines are supplied by Norrland Turbinverk AB, a manufacturer based in Sweden, under a contract "
        "signed in 2019"
    )


def test_a_countrys_role_is_not_answered_by_another_countrys_holder() -> None:
    text = "Recently, India’s Ambassador to the U.S., Vinay Mohan Kwatra, held meetings with key U.S. figures."
    american = ExtractiveAnswerer().answer("Who is the American ambassador in New Delhi?", [_hit("a", text, 0.6)])
    assert (american.abstained, american.citations) == (True, [])
    indian = ExtractiveAnswerer().answer("Who is India's ambassador to the US?", [_hit("a", text, 0.6)])
    assert indian.answer == f"{text[:-1]} [1]."


UPGRADE = (
    "No. Packages can be upgraded in place, even in running systems. "
    "Debian has a start-stop-daemon program that restarts running processes during an upgrade."
)


CRON = (
    "Yes.\n\nYou can use cron-apt; this tool updates the system at regular intervals using a cron job. "
    "By default it just updates the package list and downloads new packages."
)


@pytest.mark.parametrize(
    ("text", "question", "lead"),
    [
        (UPGRADE, "Must I go into single user mode in order to upgrade a package?",
         "No. Packages can be upgraded in place, even in running systems"),
        # Not asked yes or no: the document's "No." answers nothing asked.
        (UPGRADE, "How are packages upgraded in a running system?",
         "Packages can be upgraded in place, even in running systems"),
        (CRON, "Can I automatically update the system?",
         "Yes. You can use cron-apt; this tool updates the system at regular intervals using a cron job"),
    ],
)  # fmt: skip
def test_a_yes_or_no_question_gets_the_documents_yes_or_no(
    word_vectors: WordVectors, text: str, question: str, lead: str
) -> None:
    hits = [_section("a", text, f"3.9. {question}")]
    answer = ExtractiveAnswerer(vectors=word_vectors).answer(question, hits)
    assert _quotes(answer)[0] == lead
    assert readability_defects(answer.answer) == []
    # The quote is the document's text, line breaks read as spaces (as the chat page's
    # highlight finds it).
    assert lead in " ".join(answer.citations[0].text.split())


def test_the_documents_no_is_not_quoted_for_another_question(word_vectors: WordVectors) -> None:
    # "No." answers the section's question; this question, asked the other way round, is
    # answered "yes" by the same sentence.
    hits = [
        _section("a", "No. Packages can be upgraded in place without a reboot.", "9.3. Must I reboot after upgrading?")
    ]
    answer = ExtractiveAnswerer(vectors=word_vectors).answer(
        "Can packages be upgraded in place without a reboot?", hits
    )
    assert _quotes(answer)[0] == "Packages can be upgraded in place without a reboot"


@pytest.mark.parametrize(
    "text",
    [
        "A try/except block is extremely efficient if no exceptions are raised. Catching one is expensive.",
        # A figure elsewhere in the section does not outrank the section's own answer.
        "A try/except block is extremely efficient if no exceptions are raised. "
        "In Python 2.0 a dictionary lookup with a missing key raised one of 3 kinds of errors.",
    ],
)
def test_a_section_titled_as_the_question_answers_it_in_whatever_words(word_vectors: WordVectors, text: str) -> None:
    # "How fast" asks for a measure; the section says how fast without a figure.
    hits = [_section("a", text, "2.4. How fast are exceptions?")]
    answer = ExtractiveAnswerer(vectors=word_vectors).answer("How fast are exceptions?", hits)
    assert _quotes(answer)[0] == "A try/except block is extremely efficient if no exceptions are raised"


# What a review of the lower-case, "how many", "how long", "who is" and idiom rules found
# them doing to ordinary questions: each answered as before they were added.
@pytest.mark.parametrize(
    ("question", "text", "expected"),
    [
        # A lower-case word that is also a place's name is no name the documents lack.
        (
            "how long should i roast brussels sprouts?",
            "Roast the brussels sprouts for 25 minutes at 200 degrees.",
            "Roast the brussels sprouts for 25 minutes at 200 degrees [1].",
        ),
        # "How many doctors" is not answered by a count of nurses, nor "how many bikes
        # were stolen" by a sum in pounds.
        ("How many doctors does the clinic have?", "The clinic employs 14 nurses and two managers.", None),
        ("How many bikes were stolen last year?", "Vandalism cost the scheme 4,000 pounds last year.", None),
        ("how many staff work at the clinic?", "The clinic has 12 consulting rooms on two floors.", None),
        # A measure is not answered by a date or a span of time.
        ("How heavy is the bell?", "The bell has hung in the tower since 1850.", None),
        ("How deep is the lake?", "The lake freezes over a week or so each winter.", None),
        ("How long has the bridge been closed?", "The bridge was built in 1890 by the railway company.", None),
        # "kicked off" is not "started", "swiped" no theft.
        (
            "why was he kicked off the team?",
            "Ashby started for the county team in 2005. He was dropped from the team in 2010 after a dispute.",
            "Ashby started for the county team in 2005 [1]. He was dropped from the team in 2010 after a dispute [1].",
        ),
        # A word the documents never use beside a common one they do not use either is no name.
        (
            "can i book using myclinic online?",
            "Patients can book appointments online or by phone.",
            "Patients can book appointments online or by phone [1].",
        ),
    ],
)
def test_the_rules_for_typed_questions_leave_ordinary_ones_alone(
    question: str, text: str, expected: str | None, word_vectors: WordVectors
) -> None:
    answer = ExtractiveAnswerer(vectors=word_vectors, mentions=lambda s: s in text).answer(
        question, [_hit("a", text, 0.6)]
    )
    if expected is None:
        assert answer.abstained
    else:
        assert answer.answer == expected


def test_her_before_a_noun_is_not_whom_the_question_asks_about() -> None:
    # "her deputy" asks about him: "He has run the workshop" is no sentence about someone else.
    text = "Priya Natarajan is the operations manager. Her deputy, Sam Cole, joined in 2022. He has run the workshop since 2023."
    answer = ExtractiveAnswerer().answer(
        "how long has her deputy run the workshop?", [_hit("a", text, 0.7)], about=("Priya Natarajan",)
    )
    assert not answer.abstained
    assert "since 2023" in answer.answer


def test_this_policy_after_a_policy_named_brings_the_sentence_naming_it() -> None:
    text = (
        "The scheme holds a fleet insurance policy with Aviva. "
        "This policy covers theft of a bike from a dock but not from a rider's home."
    )
    answer = ExtractiveAnswerer().answer("What does the insurance cover if my bike is stolen?", [_hit("a", text, 0.6)])
    assert "fleet insurance policy with Aviva" in answer.answer


def test_a_question_with_nothing_left_to_quote_is_declined_not_an_error() -> None:
    text = "There are 40 bikes in the fleet."
    answer = ExtractiveAnswerer().answer("What else? How many bikes are there?", [_hit("a", text, 0.6)], said=[text])
    assert answer.abstained


def test_what_the_document_is_about_is_said_by_its_opening(seed_assistant: Assistant) -> None:
    answer = seed_assistant.ask("whats this document about?")
    assert answer.answer == (
        "The bilateral relationship between India and the United States is entering a new phase of deepening "
        "cooperation — not just in diplomacy, but in trade, energy, industrial partnership and defence [1]. "
        "Recently, India’s Ambassador to the U.S., Vinay Mohan Kwatra, held meetings with key U.S. figures "
        "including senators and energy officials to advance a broad agenda of collaboration [1]."
    )
    assert answer.citations[0].start == 0 and answer.query == "whats this document about?"
    # In a conversation, "it" is what the conversation was on, not the document.
    bta = seed_assistant.ask("What is the BTA?")
    about = seed_assistant.ask("what is it about?", _exchange("What is the BTA?", bta.answer))
    assert about.query == "what is BTA about?"


def test_what_the_documents_are_about_is_one_opening_each(upload_assistant: Assistant) -> None:
    answer = upload_assistant.ask("what are these documents about?")
    assert _quotes(answer) == [
        "The bilateral relationship between India and the United States is entering a new phase of deepening "
        "cooperation — not just in diplomacy, but in trade, energy, industrial partnership and defence",
        "The Kestrel Lunar Outpost was founded in 2031 by Dr. Amara Lindqvist, a mining engineer from Kiruna",
    ]
    assert [Path(c.source).name for c in answer.citations] == [
        "india-us-cooperation-trade-energy-defence.txt",
        "kestrel-lunar-outpost.md",
    ]


def test_an_overview_skips_a_byline_and_leads_with_what_speaks_of_the_document(
    tmp_path: Path, embedder: Embedder
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "annual-report.md").write_text(
        "# Marlow Bike Share Annual Report 2025\n\n*Prepared by Riverside Wheels CIC for Marlow Town Council.*\n\n"
        "## Overview\n\nMarlow Bike Share launched on 12 April 2021 with 150 bikes and 14 docking stations. "
        "The scheme is owned by Marlow Town Council. This report covers the calendar year 2025, which was the "
        "scheme's busiest year so far.\n",
        encoding="utf-8",
    )
    settings = Settings(data_dir=tmp_path / "data")
    assistant = build_application(settings, embedder=embedder).assistant
    try:
        Ingestor(assistant.store, embedder, Chunker(TokenCounter(), settings.chunk_tokens)).ingest([docs])
        answer = assistant.ask("summarise the report")
        assert _quotes(answer) == [
            "Marlow Bike Share launched on 12 April 2021 with 150 bikes and 14 docking stations",
            "This report covers the calendar year 2025, which was the scheme's busiest year so far",
        ]
    finally:
        assistant.close()


def test_the_policy_asked_about_is_the_document_titled_so(tmp_path: Path, embedder: Embedder) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "clinic-it-policy.md").write_text(
        "# Clinic IT Security Policy\n\nThis policy sets out how staff must look after the clinic's computers.\n",
        encoding="utf-8",
    )
    (docs / "police-liaison.md").write_text(
        "# Neighbourhood notes\n\nThe neighbourhood team meets the police liaison officer every month.\n",
        encoding="utf-8",
    )
    settings = Settings(data_dir=tmp_path / "data")
    assistant = build_application(settings, embedder=embedder).assistant
    try:
        Ingestor(assistant.store, embedder, Chunker(TokenCounter(), settings.chunk_tokens)).ingest([docs])
        policy = assistant.ask("what's the policy about?")
        assert policy.answer == "This policy sets out how staff must look after the clinic's computers [1]."
        both = assistant.ask("what are these documents about?")
        assert [Path(c.source).name for c in both.citations] == ["clinic-it-policy.md", "police-liaison.md"]
    finally:
        assistant.close()


def test_who_did_it_is_answered_by_the_sentence_naming_someone_for_that_act() -> None:
    # The doctorate sentence repeats more of the question's words ("Skerrow Sound", through
    # its "She" it names her too), but it names her for another act than founding.
    hits = [
        _hit(
            "a",
            "Halvard Tidal Energy was founded in 2016 by Ingrid Halvard. She grew up in Port Caddoway, the "
            "daughter of a ferry skipper. She later completed a doctorate on turbulence in tidal channels at "
            "the University of Westmarch, where her thesis used Skerrow Sound as its main case study.",
            0.7,
            ("Skerrow Sound Tidal Array", "The company"),
        )
    ]
    answer = ExtractiveAnswerer().answer("Who founded the company behind the Skerrow Sound tidal array?", hits)
    assert _quotes(answer)[0] == "Halvard Tidal Energy was founded in 2016 by Ingrid Halvard"


def test_what_is_done_about_a_problem_is_not_joined_by_the_problem() -> None:
    # The sentence stating the problem shares the question's words; it says nothing of
    # what is done about it.
    text = (
        "Marine growth on the blades and housings reduces the turbines' efficiency. "
        "Renwick's team cleans each turbine every eighteen months, and trials of a copper-free coating began in 2024."
    )
    hits = [_hit("a", text, 0.7, ("Risks", "Biofouling"))]
    answer = ExtractiveAnswerer().answer("What is being done about biofouling on the turbines?", hits)
    assert _quotes(answer) == [
        "Renwick's team cleans each turbine every eighteen months, and trials of a copper-free coating began in 2024"
    ]


BANDS = (
    "NHS charges are set nationally. You pay one charge for each course of treatment, however many visits it "
    "takes.\n\nBand\tCharge\tWhat it covers\n"
    "Band 1\t£27.40\tExamination, diagnosis, X-rays and advice\n"
    "Band 2\t£75.30\tEverything in Band 1 plus fillings, root canal treatment and extractions\n"
    "Band 3\t£326.70\tEverything in Bands 1 and 2 plus crowns, dentures and bridges"
)


def test_a_sum_in_a_row_of_words_answers_for_what_its_row_covers() -> None:
    # "and a crown?" asks the price again: the figure beside the cell naming crowns, read
    # with its row's key, not the cell that merely names them.
    answer = ExtractiveAnswerer().answer(
        "and a crown?", [_hit("bands", BANDS, 0.7)], context="how much will a filling set me back on the nhs"
    )
    assert _quotes(answer)[0] == "[Band 3] £326.70"


PERMITS = (
    "Resident permits are priced per vehicle, and each additional permit costs more than the one before.\n\n"
    "Permit type\t12 months\t6 months\tWho can buy it\n"
    "First resident permit\t£60\t£35\tAny eligible household\n"
    "Second resident permit\t£95\t£55\tHouseholds that already hold one permit\n"
    "Third resident permit\t£140\tNot available\tHouseholds that already hold two permits"
)


def test_a_table_header_holding_figures_is_no_answer_and_names_the_column() -> None:
    # "6 months" in the header names a column: it answers nothing, and tells which of the
    # row's two prices is which.
    hits = [_hit("permits", PERMITS, 0.7, ("Permit prices",))]
    answer = ExtractiveAnswerer().answer("how much is a 6 month permit", hits)
    assert _quotes(answer) == ["[First resident permit, 6 months] £35", "[Second resident permit, 6 months] £55"]
    answer = ExtractiveAnswerer().answer("can i buy a 6 month residents permit", hits)
    assert "Permit type" not in answer.answer


ZONES = (
    "The scheme covers three zones. Inside a zone, you may only park in a marked bay during the controlled hours "
    "if your vehicle has a valid permit.\n\n"
    "Zone A (Town Centre): Monday to Saturday, 8:00am to 8:00pm\n"
    "Zone B (Station Quarter): Monday to Friday, 8:00am to 6:30pm\n\n"
    "Prices for riders:\n\n"
    "Pay as you go: £1 to unlock, then 10p per minute on a standard bike\n"
    "Monthly pass: £9 per month, covering unlimited rides of up to 45 minutes each"
)


def test_a_table_without_a_header_starts_with_a_row() -> None:
    # "Adult | £5" over "Child | £2" is a row over a row: no header, whose cells would be
    # dropped and taken for the column names of the rows below.
    table = "Ticket prices:\nAdult\t£5\t£8\nChild\t£2\t£3\nConcession\t£3\t£4"
    answer = ExtractiveAnswerer().answer("how much is an adult ticket", [_hit("prices", table, 0.7)])
    assert _quotes(answer) == ["[Adult] £5", "[Adult] £8"]
    keys = "Key bindings are listed below.\n\nC-b c\tcreate a new window\nC-b n\tmove to the next window"
    answer = ExtractiveAnswerer().answer("how do i create a new window", [_hit("keys", keys, 0.7)])
    assert _quotes(answer) == ["[C-b c] create a new window"]


def test_a_key_before_a_short_value_keeps_it() -> None:
    # "£60" alone is no answer: the line is quoted whole, as before.
    text = "Some details follow.\n\nAnnual parking permit: £60"
    answer = ExtractiveAnswerer().answer("how much is a parking permit", [_hit("permit", text, 0.7)])
    assert _quotes(answer) == ["Annual parking permit: £60"]


def test_a_letter_naming_one_of_a_kind_is_asked_for() -> None:
    # "zone a": the letter is Zone A's name, not an article; Zone B's hours do not answer.
    hits = [_hit("zones", ZONES, 0.7, ("Permit zones and controlled hours",))]
    answer = ExtractiveAnswerer().answer("what are the controlled hours in zone a?", hits)
    assert "[Zone A (Town Centre)] Monday to Saturday, 8:00am to 8:00pm" in _quotes(answer)
    assert "Zone B" not in answer.answer


def test_a_key_before_a_day_or_a_sum_is_shown_as_a_key() -> None:
    # "Zone B (Station Quarter): Monday to Friday, ..." and "Pay as you go: £1 ...": what
    # the colon keys is a value, shown with its key in brackets, as a table cell is.
    hits = [_hit("zones", ZONES, 0.7, ("Permit zones and controlled hours",))]
    answer = ExtractiveAnswerer().answer("what are the controlled hours in zone b", hits)
    assert "[Zone B (Station Quarter)] Monday to Friday, 8:00am to 6:30pm" in _quotes(answer)
    assert readability_defects(answer.answer) == []
    answer = ExtractiveAnswerer().answer("how much is pay as you go", hits)
    assert _quotes(answer) == ["[Pay as you go] £1 to unlock, then 10p per minute on a standard bike"]
    assert readability_defects(answer.answer) == []


def test_a_unit_the_question_before_asked_for_holds_for_and_for() -> None:
    # "and for v6?" after "how many bytes ...": the sentence counting bytes, not one whose
    # figures count none.
    text = (
        "MTU is the maximum packet size without IP fragmentation plus 28 bytes for the IPv4 and plus 48 bytes "
        "for the IPv6. For example the following finds MTU for IPv4 connection to be 1460 and MTU for IPv6 "
        "connection to be 1500."
    )
    answer = ExtractiveAnswerer().answer(
        "and for v6?", [_hit("mtu", text, 0.7)], context="how many bytes of overhead do I add for IPv4 with ping?"
    )
    assert _quotes(answer)[0].endswith("plus 48 bytes for the IPv6")


def test_who_is_the_hygienist_is_answered_by_a_person_not_a_plan() -> None:
    # "Brookfield Care Plan" is a capitalised run the question lacks, but something offered:
    # "who's the hygienist?" asks for a person, as "who's the CEO?" does.
    prices = (
        "A private examination costs £58. We also offer the Brookfield Care Plan at £18.50 a month, which "
        "includes two examinations and two hygienist visits a year."
    )
    team = (
        "Our team\nDr Aisha Rahman – Principal Dentist.\nMegan Hollis – Dental Hygienist, available Monday and Friday."
    )
    answer = ExtractiveAnswerer().answer(
        "who's the hygienist at brookfield", [_hit("p", prices, 0.6), _hit("t", team, 0.5)]
    )
    assert _quotes(answer)[0] == "Megan Hollis – Dental Hygienist, available Monday and Friday"


def test_a_price_asked_by_a_rows_key_is_that_rows_not_one_naming_it() -> None:
    # Band 2's "Everything in Band 1 plus ..." names Band 1, but its price is Band 2's.
    hit = _hit("bands", BANDS, 0.7, ("Patient guide", "NHS and private charges"))
    scored = ExtractiveAnswerer().score("how much is a band 1 treatment", [hit])
    assert [s.candidate.text for s in scored if s.candidate.text.startswith("£")][:2] == ["£27.40", "£75.30"]


def test_opening_hours_are_answered_by_the_hours_from_one_time_to_another() -> None:
    # "at weekends" and "as soon as we open at 8:30am" say when, not what the hours are.
    out_of_hours = (
        "Outside our opening hours, please call NHS 111, who will direct you to the urgent dental service. "
        "This service runs in the evenings, at weekends and on bank holidays. If you have dental pain, phone us "
        "as soon as we open at 8:30am."
    )
    appointments = (
        "Reception is open Monday to Friday from 8:30am to 5:30pm, and on Saturdays from 9am to 1pm. "
        "The Saturday session is for private patients only."
    )
    title = "Brookfield Dental Practice"
    hits = [
        Hit(Chunk("b", appointments, "guide.md", title, (title, "Appointments"), 1, 0, 1), 0.5),
        Hit(Chunk("a", out_of_hours, "guide.md", title, (title, "Emergencies and out-of-hours care"), 0, 0, 1), 0.48),
    ]
    answer = ExtractiveAnswerer().answer("what are the opening hours of the dental practice", hits)
    assert (
        _quotes(answer)[0]
        == "Reception is open Monday to Friday from 8:30am to 5:30pm, and on Saturdays from 9am to 1pm"
    )


def test_a_numbered_thing_inside_a_range_is_named_by_it() -> None:
    # "Years 3 to 6" names Year 4; "aged 4 to 11" is the school's pupils, not lunch.
    text = (
        "We are a community primary school for children aged 4 to 11, with 412 pupils from Reception to Year 6. "
        "All children in Reception, Year 1 and Year 2 receive a free hot school lunch. "
        "For pupils in Years 3 to 6, a hot lunch costs £2.60 per day, or £13.00 for a full week."
    )
    answer = ExtractiveAnswerer().answer("how much is lunch in year 4?", [_hit("lunch", text, 0.7)])
    assert (
        _quotes(answer)[0] == "For pupils in Years 3 to 6, a hot lunch costs £2.60 per day, or £13.00 for a full week"
    )


def test_a_table_opening_its_passage_is_read_under_its_header() -> None:
    # A table straight under a heading starts its passage with the header row.
    text = "Club\tDay\tCost\tRun by\nFootball\tMonday\t£3.50\tMr Brennan\nCoding Club\tWednesday\t£3.00\tMr Osei"
    hit = _hit("clubs", text, 0.7, ("After-school clubs",))
    assert _quotes(ExtractiveAnswerer().answer("who runs the coding club?", [hit])) == ["[Coding Club] Mr Osei"]
    assert _quotes(ExtractiveAnswerer().answer("how much is the coding club?", [hit])) == ["[Coding Club] £3.00"]


def test_the_hours_of_something_else_do_not_lead_over_the_opening_time_asked() -> None:
    text = (
        "The school gates open at 8:40am and registration takes place at 8:50am. "
        "Morning break for all year groups runs from 10:30am to 10:45am."
    )
    answer = ExtractiveAnswerer().answer("what time do they open the gates in the morning", [_hit("day", text, 0.7)])
    assert _quotes(answer)[0] == "The school gates open at 8:40am and registration takes place at 8:50am"


def test_this_after_a_keyed_list_entry_is_shown_with_the_entry_s_key() -> None:
    text = (
        "All Inclusive: £42.00 a month. This gives unlimited use of the gym, pool and all fitness classes.\n"
        "Swim Only: £26.50 a month. This covers public and lane swimming sessions but not classes in the pool "
        "such as aqua fit."
    )
    answer = ExtractiveAnswerer().answer("does swim only get me into aqua fit classes", [_hit("m", text, 0.7)])
    assert answer.answer.startswith(
        "[Swim Only] This covers public and lane swimming sessions but not classes in the pool such as aqua fit [1]."
    )
    assert readability_defects(answer.answer) == []


def test_a_later_item_of_a_list_is_read_with_the_line_announcing_the_list() -> None:
    text = (
        "The charge is £9.90 per item.\n\nYou do not pay for prescriptions if you:\n\n"
        "are aged 60 or over, or under 16\nare aged 16, 17 or 18 and in full-time education\n"
        "have a valid medical exemption certificate"
    )
    answer = ExtractiveAnswerer().answer("are 17 year olds in full-time education exempt?", [_hit("rx", text, 0.7)])
    assert answer.answer.startswith(
        "You do not pay for prescriptions if you: are aged 16, 17 or 18 and in full-time education [1]."
    )
    # Not across a paragraph or a code block: "foo, bar ..." under a function definition.
    code = "For example, given the definition:\n\ndef func(foo, bar=None): pass\n\nfoo, bar are parameters of func."
    answer = ExtractiveAnswerer().answer("what are the parameters of func?", [_hit("py", code, 0.7)])
    assert answer.answer.startswith("foo, bar are parameters of func [1].")


def test_the_entry_holding_every_word_of_the_question_leads_a_sentence_scoring_a_little_more(
    word_vectors: WordVectors,
) -> None:
    text = (
        "Monday to Friday: 8:30am to 6:30pm\nSaturday: 9:00am to 5:00pm\nSunday: 10:00am to 1:00pm\n\n"
        "On bank holidays we open from 10:00am to 1:00pm, except on Christmas Day, when we are closed. "
        "Our pharmacist takes a lunch break from 1:15pm to 1:45pm on weekdays."
    )
    hits = [_hit("hours", text, 0.7, ("Hollis Community Pharmacy", "Opening hours"))]
    answer = ExtractiveAnswerer(vectors=word_vectors).answer("what time does hollis pharmacy open on a saturday", hits)
    assert answer.answer.startswith("[Saturday] 9:00am to 5:00pm [1].")


def test_a_cell_of_a_table_of_words_and_figures_is_what_its_row_and_column_say(word_vectors: WordVectors) -> None:
    # "£2.50" under "Delivery charge" in Wexcombe's row answers a yes-or-no question about a
    # charge as well as a "how much" one: the row and the header say what the figure is.
    table = (
        "Area\tDelivery day\tDelivery window\tDelivery charge\n"
        "Lower Pellham\tTuesday\t9am - 1pm\tFree\n"
        "Kestley and Brindham\tWednesday\t10am - 3pm\t£1.50\n"
        "Wexcombe\tThursday\t11am - 4pm\t£2.50"
    )
    pay = (
        "Most customers pay by monthly Direct Debit, which is collected on the 1st of each month for the "
        "deliveries to Kestley. Your delivery day depends on where you live."
    )
    hits = [_hit("t", table, 0.6, ("Delivery",)), _hit("p", pay, 0.55)]
    answerer = ExtractiveAnswerer(vectors=word_vectors)
    assert answerer.answer("do you charge for wexcombe deliveries?", hits).answer == (
        "[Wexcombe, Delivery charge] £2.50 [1]."
    )
    assert answerer.answer("is there a charge for delivery to kestley?", hits).answer == (
        "[Kestley and Brindham, Delivery charge] £1.50 [1]."
    )
    # Holding the row's name is no answer to what the cell does not give: "where is coding
    # club held?" is answered by the sentence saying where, not by the club's day.
    clubs = "Club\tDay\tTime\tRun by\nCoding Club\tWednesday\t3:15pm–4:15pm\tMr Osei\nChess\tFriday\t3:15pm–4:15pm\tMrs Amis"
    room = "Coding Club meets in the ICT suite on the first floor."
    held = answerer.answer("where is coding club held?", [_hit("c", clubs, 0.5, ("Clubs",)), _hit("r", room, 0.45)])
    assert held.answer == "Coding Club meets in the ICT suite on the first floor [1]."


def test_a_cell_is_about_what_the_header_over_the_rows_names(word_vectors: WordVectors) -> None:
    # "Membership type" over "Adult" and "Concession": each row is a membership, so
    # "how much is membership for the whole year" is asked of the table's "Full year" cells,
    # not declined for the sentence on paying "for the whole year" that holds more words.
    table = (
        "Fees for each term and year:\n"
        "Membership type\tPer term\tFull year (3 terms)\n"
        "Adult\t£60\t£165\n"
        "Concession\t£35\t£95\n"
        "Aged 14-17\tFree\tFree"
    )
    pay = "Subscriptions are due at the first rehearsal of term. You can pay each term or for the whole year at a reduced rate."
    hits = [_hit("p", pay, 0.6, ("Fees",)), _hit("t", table, 0.58, ("Fees",))]
    answer = ExtractiveAnswerer(vectors=word_vectors).answer("how much is choir membership for the whole year?", hits)
    assert answer.answer == "[Adult, Full year (3 terms)] £165 [1]. [Concession, Full year (3 terms)] £95 [1]."


def test_someone_named_in_full_elsewhere_is_a_person_by_first_name(word_vectors: WordVectors) -> None:
    # "who do i pay it to" after a question on fees: "... handed to Gareth at rehearsal"
    # names the person (the passages name him in full, "Gareth Price"), and a sentence
    # naming someone, nearly as good, answers a question for a person before one that does not.
    fees = (
        "You can pay each term or for the whole year at a reduced rate. "
        "You can pay by bank transfer or by cash or cheque handed to Gareth at rehearsal."
    )
    who = "Gareth Price, Membership Secretary, keeps the register and sends out reminders."
    hits = [_hit("f", fees, 0.6, ("Fees",)), _hit("w", who, 0.4, ("Who's who",))]
    answer = ExtractiveAnswerer(vectors=word_vectors).answer(
        "who do i pay it to", hits, context="how much is choir membership for the whole year?"
    )
    assert answer.answer == "You can pay by bank transfer or by cash or cheque handed to Gareth at rehearsal [1]."
    # Nor is it passed over for a sentence naming a body ("Direct Debit") that the lead
    # seemed to lack, though the lead names him by his first name.
    debit = "Most customers pay by monthly Direct Debit, which is collected on the 1st of each month."
    hits = [*hits, _hit("d", debit, 0.58, ("Paying for your box",))]
    answer = ExtractiveAnswerer(vectors=word_vectors).answer("who do i pay it to", hits, context="the whole year")
    assert answer.answer == "You can pay by bank transfer or by cash or cheque handed to Gareth at rehearsal [1]."


def test_a_table_of_dates_is_read_cell_by_cell(word_vectors: WordVectors) -> None:
    # "Monday 4 January 2027" under "Starts" in Spring's row is a figure of its table, as
    # "£60" is, though four words read like a sentence: the question on when the spring
    # term starts is answered by that cell, not declined.
    table = (
        "Term\tStarts\tEnds\tNumber of weeks\tHalf-term break (no lessons)\n"
        "Autumn\tMonday 7 September 2026\tSaturday 12 December 2026\t13\t26 October - 31 October 2026\n"
        "Spring\tMonday 4 January 2027\tSaturday 27 March 2027\t11\t15 February - 20 February 2027\n"
        "Summer\tMonday 12 April 2027\tSaturday 17 July 2027\t13\t31 May - 5 June 2027\n\n"
        "Re-enrolment for existing swimmers opens three weeks before the end of each term."
    )
    hits = [_hit("t", table, 0.6, ("Term dates 2026/27",))]
    answerer = ExtractiveAnswerer(vectors=word_vectors)
    assert answerer.answer("when does the spring term start?", hits).answer == (
        "[Spring, Starts] Monday 4 January 2027 [1]."
    )
    assert answerer.answer("when is the summer half-term break?", hits).answer == (
        "[Summer, Half-term break (no lessons)] 31 May - 5 June 2027 [1]."
    )


def test_a_misspelt_word_is_no_sign_the_documents_are_not_about_the_question(
    word_vectors: WordVectors, synonyms: Synonyms
) -> None:
    # "swimmng" is in no passage and in no dictionary: read as "swimming", it no longer
    # declines the question as one about something the documents never mention; "the first
    # day of" the term asks when it starts.
    table = (
        "Term\tStarts\tEnds\tHalf-term break (no lessons)\n"
        "Autumn\tMonday 7 September 2026\tSaturday 12 December 2026\t26 October - 31 October 2026\n"
        "Spring\tMonday 4 January 2027\tSaturday 27 March 2027\t15 February - 20 February 2027"
    )
    lessons = "Kingsmere Pool runs swimming lessons for children aged 4 to 14 throughout the school year."
    hits = [_hit("t", table, 0.6, ("Term dates 2026/27",)), _hit("l", lessons, 0.5)]
    answerer = ExtractiveAnswerer(
        vectors=word_vectors,
        synonyms=synonyms,
        pieces=lambda word: len(word) // 2,
        mentions=lambda text: any(text in h.chunk.text for h in hits),
    )
    answer = answerer.answer("whens the first day of the spring term for swimmng", hits)
    assert answer.answer == "[Spring, Starts] Monday 4 January 2027 [1]."


def test_a_cell_of_another_row_than_the_one_asked_is_no_answer(word_vectors: WordVectors) -> None:
    # Spring's row is not all dates ("To be confirmed"), so it is not read as figures, but
    # its dates are cells of it; the question names Spring's row, and Summer's start is not
    # given for it. Nor does a column join for a word in its bracket ("(no lessons)" for
    # "lessons").
    table = (
        "Term\tStarts\tEnds\tHalf-term break (no lessons)\n"
        "Autumn\tMonday 7 September 2026\tSaturday 12 December 2026\t26 October - 31 October 2026\n"
        "Spring\tMonday 4 January 2027\tTo be confirmed\t15-20 February 2027\n"
        "Summer\tMon 12 Apr 2027\tSaturday 17 July 2027\t31 May - 5 June 2027"
    )
    hits = [_hit("t", table, 0.6, ("Term dates",))]
    answerer = ExtractiveAnswerer(vectors=word_vectors)
    assert (
        answerer.answer("when does the spring term start?", hits).answer
        == "[Spring, Starts] Monday 4 January 2027 [1]."
    )
    assert answerer.answer("when do summer lessons start?", hits).answer == "[Summer, Starts] Mon 12 Apr 2027 [1]."


def test_a_cell_saying_none_is_shown_with_its_column(word_vectors: WordVectors) -> None:
    # "[Junior] None" says nothing of what there is none of.
    table = "Membership\tAnnual fee\tJoining fee\nAdult\t£185\t£40\nJunior\t£65\tNone"
    hits = [_hit("m", table, 0.6, ("Membership fees",))]
    answer = ExtractiveAnswerer(vectors=word_vectors).answer("is there a joining fee for junior membership?", hits)
    assert answer.answer == "[Junior, Joining fee] None [1]."
    # A column that cannot be shown in brackets leaves the row's key, not nothing.
    marked = [_hit("m", table.replace("Joining fee", "Joining fee [a]"), 0.6, ("Membership fees",))]
    answer = ExtractiveAnswerer(vectors=word_vectors).answer("is there a joining fee for junior membership?", marked)
    assert answer.answer == "[Junior] None [1]."


TOOLS = (
    "Category\tExamples\tLoan period\tDeposit\tInduction needed?\n"
    "Hand tools\tHammers, saws, spanners, spirit levels\t14 days\tNone\tNo\n"
    "Small power tools\tCordless drills, jigsaws, sanders\t7 days\t£20\tNo\n"
    "Cleaning equipment\tCarpet cleaner, pressure washer, wallpaper steamer\t3 days\t£30\tNo\n"
    "Ladders and access\tStepladders, extension ladder, scaffold tower\t7 days\t£40\tYes\n"
    "Camping and events\tTents, gazebo, folding tables, urn\t7 days\t£25\tNo"
)


def test_a_row_is_named_by_the_things_it_lists(word_vectors: WordVectors) -> None:
    # "Tents, gazebo, ..." under "Examples" names the row as its first cell does: "£25"
    # under "Deposit" is a tent's deposit, and "Yes" under "Induction needed?" a scaffold
    # tower's induction, not the examples cell that holds the question's words.
    hits = [_hit("t", TOOLS, 0.6, ("Borrowing",))]
    answerer = ExtractiveAnswerer(vectors=word_vectors)
    assert answerer.answer("whats the deposit for a tent", hits).answer == "[Camping and events, Deposit] £25 [1]."
    assert (
        answerer.answer("do i need an induction for a scaffold tower", hits).answer
        == "[Ladders and access, Induction needed?] Yes [1]."
    )


TOOL_GUIDE = """# Harlow Green Tool Library: Members' Guide

## Borrowing

Most tools can be borrowed for a week. The deposit is refunded when the tool comes back clean.

| Category | Examples | Loan period | Deposit | Induction needed? |
|---|---|---|---|---|
| Hand tools | Hammers, saws, spanners, spirit levels | 14 days | None | No |
| Garden tools | Spades, loppers, lawn rakes, wheelbarrows | 14 days | None | No |
| Small power tools | Cordless drills, jigsaws, sanders | 7 days | £20 | No |
| Large power tools | Circular saw, tile cutter, rotavator, hedge trimmer | 3 days | £50 | Yes |
| Cleaning equipment | Carpet cleaner, pressure washer, wallpaper steamer | 3 days | £30 | No |
| Ladders and access | Stepladders, extension ladder, scaffold tower | 7 days | £40 | Yes |
| Camping and events | Tents, gazebo, folding tables, urn | 7 days | £25 | No |

You can renew a loan once, online or by phone, as long as nobody else has reserved the item.
"""


@pytest.fixture(scope="module")
def tool_assistant(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[Assistant]:
    assistant = ingested_assistant(tmp_path_factory, embedder, {"harlow-green-tool-library.md": TOOL_GUIDE})
    yield assistant
    assistant.close()


def test_a_follow_up_naming_another_column_gets_that_column_alone(tool_assistant: Assistant) -> None:
    # The deposit asked for is the deposit alone, not the loan period beside it; "how long
    # is the loan" after it asks the loan period, and the deposit the conversation named
    # does not join it.
    deposit = "how much is the deposit for a cordless drill"
    first = tool_assistant.ask(deposit)
    assert first.answer == "[Small power tools, Deposit] £20 [1]."
    second = tool_assistant.ask("how long is the loan", history=_exchange(deposit, first.answer))
    assert second.answer == "[Small power tools, Loan period] 7 days [1]."


def test_a_column_is_not_named_by_per(word_vectors: WordVectors) -> None:
    # "per term" names "Price per term", not "Children per teacher"; "how long can i keep
    # it" after a deposit asks the loan period alone.
    stages = (
        "Stage\tTypical age\tLesson length\tChildren per teacher\tPrice per term\n"
        "Stage 1 (Water Confidence)\t4 to 5\t30 minutes\t6\t£78\n"
        "Stage 2 (Floating and Kicking)\t5 to 6\t30 minutes\t8\t£78"
    )
    answerer = ExtractiveAnswerer(vectors=word_vectors)
    price = answerer.answer("how much is stage 2 swimming per term", [_hit("s", stages, 0.6, ("Stages",))])
    assert price.answer == "[Stage 2 (Floating and Kicking), Price per term] £78 [1]."
    tools = [_hit("t", TOOLS, 0.6, ("Borrowing",))]
    deposit = "how much is the deposit for a pressure washer"
    assert answerer.answer("how long can i keep it for", tools, context=deposit).answer == (
        "[Cleaning equipment, Loan period] 3 days [1]."
    )


def test_a_runner_up_for_a_sum_gives_a_sum() -> None:
    # "how much is the deposit" answered by a sum: a sentence holding only another number
    # ("around 420 tools") adds no answer, however many of the question's words it holds;
    # another sum does.
    question = "how much is the deposit for a pressure washer"
    tools = "We hold around 420 tools, from screwdrivers and spirit levels to pressure washers and carpet cleaners."
    assert adds_an_answer(tools, ["£30"], question) is False
    assert adds_an_answer("A large pressure washer needs a £50 deposit.", ["£30"], question) is True


COMMITTEE = (
    "Committee members are elected each September.\n"
    "Role\tName\tContact\n"
    "Chair\tHelen Marsh\tchair@wrenfordsingers.org\n"
    "Treasurer\tMina Okoro\ttreasurer@wrenfordsingers.org\n"
    "Librarian\tPaul Fenwick\t07700 900 316"
)


def test_a_follow_up_asking_how_to_contact_someone_gets_their_address(word_vectors: WordVectors) -> None:
    # "how do i contact her" after "who is the treasurer" wants what reaches her: the
    # address in her row, not her name again.
    hits = [_hit("c", COMMITTEE, 0.6, ("Committee",))]
    answerer = ExtractiveAnswerer(vectors=word_vectors)
    answer = answerer.answer("hows best to contact her", hits, context="who is the treasurer")
    assert answer.answer == "[Treasurer] treasurer@wrenfordsingers.org [1]."
    number = answerer.answer("how do i get in touch with him", hits, context="who is the librarian")
    assert number.answer == "[Librarian] 07700 900 316 [1]."
    # A person named is the row to reach them at, under whatever header ("How to reach").
    office = "The choir office can be contacted on 01632 960 100, Monday to Friday."
    reach = [
        _hit("c", COMMITTEE.replace("\tContact\n", "\tHow to reach\n"), 0.6, ("Committee",)),
        _hit("o", office, 0.6, ("Contacts",)),
    ]
    named = answerer.answer("whats the best way to contact mina okoro", reach)
    assert named.answer == "[Treasurer] treasurer@wrenfordsingers.org [1]."


@pytest.mark.parametrize(
    ("sentence", "limit"),
    [
        ("Transfer your place through the online entry portal until 31 August.", True),
        ("Defer by emailing the race office no later than 7 September.", True),
        ("All bags must be collected by 1:00pm.", True),
        ("Book by Friday 3 May.", True),
        # A figure after "by" or "until" that is no day, and opening hours, set no limit.
        ("Membership grew by 40 members in 2024 alone.", False),
        ("Entries rose by 12% in 2023.", False),
        ("The bridge was designed by May Thornton in 1931.", False),
        ("She lived there until 2010.", False),
        ("The library is open until 5pm on weekdays.", False),
    ],
)
def test_a_limit_is_a_day_or_a_time_something_must_be_done_by(sentence: str, limit: bool) -> None:
    assert sets_a_limit(sentence) is limit


def test_a_deadline_is_met_by_the_date_something_must_be_done_by() -> None:
    # "whats the deadline for that" after asking about a refund: "until 14 March" is the
    # deadline, though the sentence never says "deadline"; the fee beside it is not.
    text = (
        "We are sorry if you can no longer come. "
        "Return your tickets through the box office for a refund until 14 March. "
        "A £2 handling fee applies to every refund."
    )
    hits = [_hit("r", text, 0.6, ("Refunds",))]
    answer = ExtractiveAnswerer().answer(
        "whats the deadline for that", hits, context="can i get a refund on my tickets"
    )
    assert answer.answer == "Return your tickets through the box office for a refund until 14 March [1]."


def test_a_sentence_speaking_of_the_deadline_without_setting_it_is_no_closer_for_the_word() -> None:
    # "after the Sunday deadline" names the deadline; "by 9am on the Sunday" sets it.
    text = (
        "Changes to your box size must reach us by 9am on the Sunday before your delivery. "
        "Changes received after the Sunday deadline will apply from the following week."
    )
    hits = [_hit("v", text, 0.6, ("Changing your box",))]
    answer = ExtractiveAnswerer().answer(
        "whats the deadline for doing that each week", hits, context="how do i switch to a bigger veg box"
    )
    assert answer.answer.startswith(
        "Changes to your box size must reach us by 9am on the Sunday before your delivery [1]."
    )


def test_subs_are_subscriptions() -> None:
    # "do i get my subs back" asks about the subscription, not the deposit on the scores.
    text = (
        "Your deposit is refunded once the folder and scores are handed in. "
        "Subscriptions are only refunded if you leave within the first three weeks of a term."
    )
    answer = ExtractiveAnswerer().answer("do i get my subs back", [_hit("choir", text, 0.6)])
    assert answer.answer.startswith("Subscriptions are only refunded if you leave within the first three weeks")


def test_hours_to_a_time_of_day_named_are_hours() -> None:
    # "from 7am until dusk" gives the hours; "on Saturday mornings" only names when.
    text = (
        "The site is open to plot-holders from 7am until dusk every day. The main gate is locked at all times. "
        "The small pedestrian gate by the railway is opened by the Warden on Saturday mornings only."
    )
    hits = [_hit("gates", text, 0.6, ("Gates and keys",))]
    answer = ExtractiveAnswerer().answer("what time do the gates open", hits)
    assert answer.answer == "The site is open to plot-holders from 7am until dusk every day [1]."


def test_a_discount_is_a_concession() -> None:
    # "do i get a discount" asks for a reduced price, which the guide calls a concession; the
    # sentence on refunds shares more of the question's words.
    text = (
        "If you give up the plot before 31 December you get back half of that year's rent. "
        "Plot-holders aged 65 or over can claim a 25% concession on the rent."
    )
    hits = [_hit("rents", text, 0.6)]
    for question in ("im 67 do i get a discount", "is there a discount for pensioners", "any discounted rent at 67"):
        answer = ExtractiveAnswerer().answer(question, hits)
        assert answer.answer == "Plot-holders aged 65 or over can claim a 25% concession on the rent [1]."


def test_what_day_is_met_by_a_day_of_the_week() -> None:
    # "what day is that" after the members' discount asks which day: "on Wednesdays"
    # names it, though only the sentence on booking says "day".
    text = (
        "Members get 10% off service washes on Wednesdays. Please book a collection by 8:00pm the day before by phone."
    )
    hits = [_hit("m", text, 0.6, ("Membership",))]
    answer = ExtractiveAnswerer().answer("what day is that", hits, context="any discount if im a member?")
    assert _quotes(answer)[0] == "Members get 10% off service washes on Wednesdays"


def test_a_number_under_its_label_in_a_list_of_contacts_is_an_answer() -> None:
    # "Phone: 01632 960771" states nothing, but the number its label names is what "whats
    # the phone number" asks for, rather than the number labelled for bookings only.
    contacts = (
        "You can reach us in several ways.\n"
        "Phone: 01632 960771\n"
        "WhatsApp (bookings and collection only): 07700 900645\n"
        "Email: hello@bubbleandpress.co.uk"
    )
    hits = [_hit("c", contacts, 0.6, ("Contact us",))]
    answer = ExtractiveAnswerer().answer("whats the laundrette phone number", hits)
    assert answer.answer == "[Phone] 01632 960771 [1]."
    # A number under a label naming no way to reach anyone is no number to ring.
    orders = "Keep these for your records.\nOrder number: 4455667788\nBooking reference: 20250914123"
    assert ExtractiveAnswerer().answer("whats the phone number", [_hit("o", orders, 0.6, ("Your order",))]).abstained


BUSES = (
    "The number 42 bus to Halden stops outside the village post office.\n\n"
    "Day\tFirst bus to Halden\tLast bus back from Halden\tHow often\n"
    "Monday to Friday\t7:05am\t10:40pm\tEvery 30 minutes\n"
    "Saturday\t8:15am\t10:40pm\tEvery hour\n"
    "Sunday and bank holidays\t10:20am\t6:15pm\tEvery two hours\n"
)


@pytest.mark.parametrize(
    ("question", "context", "quote"),
    [
        # The first row's times are read with their row and column; so are a later row's,
        # though "Every hour" beside them holds no figure: the row and the column the
        # question names are Sunday's and the last bus's.
        ("last bus back from halden on a sunday?", "", "[Sunday and bank holidays, Last bus back from Halden] 6:15pm"),
        ("and on saturdays", "last bus back from halden on a sunday?", "[Saturday, Last bus back from Halden] 10:40pm"),
        ("first bus to halden on saturday?", "", "[Saturday, First bus to Halden] 8:15am"),
        # The column's last word names no row: with none named, the first row's stands.
        ("last bus back from halden?", "", "[Monday to Friday, Last bus back from Halden] 10:40pm"),
        # A row the conversation named is named still.
        (
            "and the first one?",
            "last bus back from halden on a sunday?",
            "[Sunday and bank holidays, First bus to Halden] 10:20am",
        ),
    ],
)
def test_a_row_and_a_column_named_pick_a_cell_in_every_row_alike(question: str, context: str, quote: str) -> None:
    answer = ExtractiveAnswerer().answer(question, [_hit("bus", BUSES, 0.6, ("Getting around",))], context=context)
    assert _quotes(answer)[0] == quote


TICKETS = (
    "Prices below are for our busiest route.\n\n"
    "Ticket type\tAdult price\tValidity\tChanges allowed\n"
    "Saver Single\t£8.50\tBooked departure only\tNo changes\n"
    "Open Return\t£22.00\tReturn within 30 days of outward travel\t£3 fee per change\n"
)


def test_a_column_is_named_by_a_form_of_its_header_word(synonyms: Synonyms) -> None:
    # "how long is it valid for" after the open return's price asks for the cell under
    # "Validity" in the Open Return row: "valid" is the header's word in another form.
    hits = [_hit("t", TICKETS, 0.6, ("Ticket types",)), _hit("r", "Refunds are paid within 10 working days.", 0.6)]
    answerer = ExtractiveAnswerer(synonyms=synonyms)
    answer = answerer.answer("how long is it valid for", hits, context="how much is the open return")
    assert answer.answer == "[Open Return, Validity] Return within 30 days of outward travel [1]."


STUDIO_HOURS = (
    "Day\tOpen\tClose\tNotes\n"
    "Monday\tClosed\tClosed\tKiln loading and maintenance day\n"
    "Tuesday\t10:00\t21:00\tEvening course 18:30–21:00 in the back room\n"
    "Friday\t10:00\t17:00\t—\n"
    "Sunday\t11:00\t16:00\tStudio and Maker tiers only\n"
)


@pytest.mark.parametrize(
    ("question", "quote"),
    [
        # Times of the 24-hour clock are figures, a dash in a row says nothing, and the table's
        # first line is its header though the row under it is of words ("Closed").
        ("what time does the studio close on a friday", "[Friday, Close] 17:00"),
        ("when does it open on sundays", "[Sunday, Open] 11:00"),
    ],
)
def test_a_cell_of_a_timetable_in_the_24_hour_clock_is_read_with_its_row_and_column(question: str, quote: str) -> None:
    answer = ExtractiveAnswerer().answer(question, [_hit("h", STUDIO_HOURS, 0.6, ("Opening hours",))])
    assert _quotes(answer)[0] == quote


def test_a_column_is_named_by_a_synonym_of_its_header(synonyms: Synonyms) -> None:
    # "shut" is what the header calls "Close".
    answer = ExtractiveAnswerer(synonyms=synonyms).answer(
        "what time does the studio shut on a friday", [_hit("h", STUDIO_HOURS, 0.6, ("Opening hours",))]
    )
    assert _quotes(answer)[0] == "[Friday, Close] 17:00"


def test_a_synonym_of_one_word_of_a_longer_header_names_its_column_only_in_part(synonyms: Synonyms) -> None:
    # "open" is "outdoors" to WordNet: the indoor pool's column is still the one asked for.
    pools = "Day\tIndoor pool\tOutdoor pool\nFriday\t07:00\t10:00\nSaturday\t08:00\t11:00\n"
    answer = ExtractiveAnswerer(synonyms=synonyms).answer(
        "what time does the indoor pool open on saturday", [_hit("p", pools, 0.6, ("Pool times",))]
    )
    assert answer.answer == "[Saturday, Indoor pool] 08:00 [1]."


def test_a_passage_that_starts_mid_table_on_rows_of_words_has_no_header_row() -> None:
    # "Saturday | Closed | Closed" over "Sunday | Closed | Closed" is a row like the next, not
    # a header naming the columns "Closed".
    rows = (
        "Saturday\tClosed\tClosed\tStaff training\nSunday\tClosed\tClosed\tStaff training\n"
        "Bank holidays\t10:00\t16:00\tPay and play only"
    )
    answer = ExtractiveAnswerer().answer("what time do you close on bank holidays?", [_hit("m", rows, 0.6)])
    assert _quotes(answer) == ["[Bank holidays] 10:00", "[Bank holidays] 16:00"]


def test_a_row_for_ages_under_eighteen_is_for_kids() -> None:
    # "(ages 7–15 with an adult)" is a class for kids, though the row never says "kids".
    courses = (
        "Course\tDay\tPrice\n"
        "Beginners' Wheel Throwing\tTuesday\t£195\n"
        "Family Clay Morning (ages 7–15 with an adult)\tSaturday\t£30 per pair\n"
    )
    hits = [_hit("c", courses, 0.6, ("Classes and courses",))]
    answer = ExtractiveAnswerer().answer(
        "how much is it", hits, context="do u run any pottery classes for kids", sources=frozenset({"c.txt"})
    )
    assert _quotes(answer)[0] == "[Family Clay Morning (ages 7–15 with an adult)] £30 per pair"


PACKAGES = (
    "Package\tPrice\tChildren\tExtra child\n"
    "Mighty Oak\t£245\t15 to 20\t£12.50\n"
    "Little Acorn\t£165\t10 to 15\t£11\n"
    "Treehouse Takeover\t£395\t20 to 30\t£13\n"
)


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        # The lowest or the highest sum of the column, not the first row's, and no other row's.
        ("whats the cheapest party package", "[Little Acorn, Price] £165 [1]."),
        ("how much is the most expensive package", "[Treehouse Takeover, Price] £395 [1]."),
        ("how much is the mighty oak", "[Mighty Oak, Price] £245 [1]. [Mighty Oak, Extra child] £12.50 [1]."),
    ],
)
def test_the_cheapest_is_the_lowest_sum_of_its_column(question: str, answer: str) -> None:
    hits = [_hit("p", PACKAGES, 0.6, ("Party packages",))]
    assert ExtractiveAnswerer().answer(question, hits).answer == answer


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        # Of the rows the question names, not of every row in the column.
        ("what is the most expensive cat treatment", "[Cat vaccination] £54 [1]."),
        ("what is the cheapest dog treatment", "[Dog microchip] £25 [1]."),
        ("whats the cheapest treatment", "[Cat microchip] £20 [1]."),
    ],
)
def test_the_cheapest_of_the_rows_named_is_among_them(question: str, answer: str) -> None:
    table = "Treatment\tPrice\nDog vaccination\t£58\nDog microchip\t£25\nCat vaccination\t£54\nCat microchip\t£20\n"
    assert ExtractiveAnswerer().answer(question, [_hit("t", table, 0.6, ("Prices",))]).answer == answer


TIERS = (
    "Tier\tMonthly price\tStudio hours included\tShelf space\tClay included\n"
    "Starter\t£35\t8 hours\tNone\t5 kg\n"
    "Maker\t£65\t20 hours\tOne shelf\t10 kg\n"
)


def test_how_much_of_a_thing_comes_with_a_row_is_its_cell_under_that_thing_s_column() -> None:
    # "how much clay comes with it" asks what the Maker tier includes: "10 kg" under "Clay
    # included", though the cell itself (in a row with words in it) does not say "clay".
    clay = "You can buy more clay at the desk: a buff stoneware is £1.80 per kg, a white earthenware £1.60 per kg."
    hits = [_hit("t", TIERS, 0.6, ("Membership tiers",)), _hit("c", clay, 0.6, ("Clay",))]
    answer = ExtractiveAnswerer().answer(
        "and how much clay comes with it?", hits, context="how much is the maker membership"
    )
    assert _quotes(answer)[0] == "[Maker, Clay included] 10 kg"


def test_how_long_until_something_happens_is_answered_by_the_sentence_naming_both_ends() -> None:
    # "after firing" and "before they get moved" bound the span asked for: the sentence
    # naming them answers it, not one that shares only "leave".
    text = (
        "If you leave the studio, please clear your shelf within 14 days of your membership ending. "
        'Fired work not collected within 3 weeks of firing is moved to the "last chance" shelf for a further 2 weeks.'
    )
    answer = ExtractiveAnswerer().answer(
        "how long can i leave them after firing before they get moved", [_hit("w", text, 0.6, ("Work left",))]
    )
    assert _quotes(answer)[0].startswith("Fired work not collected within 3 weeks of firing")


def test_a_named_person_s_address_is_the_one_on_their_own_line() -> None:
    # "whats her email address" about the studio manager: her address, not the studio's
    # general one that a label "Email" heads.
    contacts = (
        "Email: hello@kilnandwheel.org.uk\nPhone: 0161 496 0732\n"
        "Studio manager: Harriet Okafor (harriet@kilnandwheel.org.uk)\n"
        "Kiln technician: Tomasz Wisniewski (firing queries at the front desk)"
    )
    answer = ExtractiveAnswerer().answer(
        "whats her email address",
        [_hit("c", contacts, 0.6, ("Contact details",))],
        context="Harriet Okafor who's the studio manager",
        about=("Harriet Okafor",),
        sources=frozenset({"c.txt"}),
    )
    assert _quotes(answer)[0] == "Harriet Okafor (harriet@kilnandwheel.org.uk)"


VET_PRICES = (
    "Treatment\tPrice\tNotes\n"
    "Standard consultation\t£52.00\t15 minutes with a vet\n"
    "Dog vaccination booster\t£58.00\tIncludes a full health check with a vet\n"
    "Cat vaccination booster\t£54.00\tIncludes a full health check with a vet\n"
)


def test_a_short_word_s_plural_meets_the_word() -> None:
    # "cats" is four letters, which the stemmer leaves whole: the row on "Cat vaccination
    # booster" is about cats all the same.
    club = "The Pet Health Club costs £14.50 a month for cats and £17.50 a month for dogs."
    hits = [_hit("p", VET_PRICES, 0.6, ("Prices",)), _hit("c", club, 0.55, ("Pet Health Club",))]
    answer = ExtractiveAnswerer().answer("how much is a vaccination for cats", hits)
    assert _quotes(answer)[0] == "[Cat vaccination booster] £54.00"


def test_a_word_asked_plain_meets_its_form_with_a_doubled_consonant() -> None:
    # "plug it in" asks about cars "plugged in": the same word, whatever its ending.
    text = (
        "To finish your trip, put the key back in the glovebox and lock the car with your card. "
        "Electric cars must be returned with at least 30% battery and plugged in to the charger at their bay."
    )
    answer = ExtractiveAnswerer().answer("do i have to plug it in at the end", [_hit("e", text, 0.6, ("Returning",))])
    assert _quotes(answer)[0].startswith("Electric cars must be returned")


def test_a_sign_up_fee_is_a_joining_fee_that_you_get_back() -> None:
    # Neither "sign up" nor "get it back" is the guide's word: it says "joining" and "returned".
    text = (
        "To finish your trip, put the key back in the glovebox and lock the car with your card. "
        "There is a one-off joining fee of £25, which is returned to you as driving credit after your first booking."
    )
    hits = [_hit("j", text, 0.6, ("Joining",))]
    answer = ExtractiveAnswerer().answer("is there a sign up fee? someone said u get it back", hits)
    assert _quotes(answer)[0].startswith("There is a one-off joining fee of £25")


def test_a_question_giving_an_age_is_answered_by_a_limit_of_age() -> None:
    # "if im 23" asks whether the van is open to a 23-year-old: the sentence setting its
    # age limit answers that, not the one that only says there is a van.
    text = (
        "We share seven vehicles, including one van, between around 340 members. "
        "Badger can only be booked by members aged 25 or over, and it is charged at Occasional rates plus "
        "a £10 van supplement per booking."
    )
    answer = ExtractiveAnswerer().answer("can i take the van if im 23", [_hit("v", text, 0.6, ("Our cars",))])
    assert _quotes(answer)[0].startswith("Badger can only be booked by members aged 25 or over")


ART_SCHOOL = """# Fenwick Art School: Courses and Membership

## Courses

All courses are taught in the top-floor studio, with no more than eight students.

| Course | Level | Dates | Duration | Price |
|---|---|---|---|---|
| Drawing Basics (Level 1) | Beginner | 3–4 May | 2 days | £120 |
| Life Drawing (Level 2) | Improver | 5–6 and 12–13 June | 4 days | £260 |
| Watercolour Weekend | Intermediate | 18–19 July | 2 days | £150 |

Course days run from 10:00 to 16:00, with an hour for lunch.

## Membership

The membership year runs from 1 September to 31 August.

| Membership | Who it covers | Annual fee |
|---|---|---|
| Single | One person aged 18 or over | £90 |
| Household | Two adults and their children at one address | £150 |
"""


@pytest.fixture(scope="module")
def art_assistant(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[Assistant]:
    assistant = _assistant_with(tmp_path_factory, embedder, "art", {"fenwick-art-school.md": ART_SCHOOL}, seed=False)
    yield assistant
    assistant.close()


def test_a_date_of_several_words_in_a_table_is_read_with_its_row(art_assistant: Assistant) -> None:
    # "5–6 and 12–13 June" reads as a sentence of four words; it is a cell of its row,
    # which the question names, though the row's "Improver" holds "level" twice over.
    answer = art_assistant.ask("when is the level 2 course on this year")
    assert answer.answer == "[Life Drawing (Level 2), Dates] 5–6 and 12–13 June [1]."


def test_how_much_per_year_asks_a_price(art_assistant: Assistant) -> None:
    answer = art_assistant.ask("how much per year for a household membership?")
    assert answer.answer == "[Household] £150 [1]."


KAYAK_CLUB = """# Kestrel Kayak Club: Members' Guide

## Course cancellations

If you cancel a place on a course, we refund you as follows:

- More than 30 days before the start: full refund minus a £20 admin fee
- Between 10 and 30 days before the start: 50% refund
- Less than 10 days before the start: no refund

## Boat storage

| Space | Boat length | Yearly fee |
|---|---|---|
| Rack space | Up to 4 m | £90 |
| Large rack space | 4 m to 5.5 m | £130 |
| Trailer bay | Over 5.5 m | £210 |
"""


@pytest.fixture(scope="module")
def kayak_assistant(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[Assistant]:
    assistant = _assistant_with(tmp_path_factory, embedder, "kayak", {"kestrel-kayak-club.md": KAYAK_CLUB}, seed=False)
    yield assistant
    assistant.close()


def test_the_rule_whose_range_holds_the_time_given_answers(kayak_assistant: Assistant) -> None:
    # Each rule shares the same few words with the question; three weeks is 21 days.
    history = _exchange("what's the refund policy if i cancel a course?", "")
    answer = kayak_assistant.ask("so if i pull out 3 weeks before how much do i get back", history=history)
    assert answer.answer == "Between 10 and 30 days before the start: 50% refund [1]."


def test_money_back_asks_for_the_rule_whose_range_holds_the_time_given(kayak_assistant: Assistant) -> None:
    # "my money back" is a refund, not a price: the "£20 admin fee" of the rule for more
    # than 30 days is no answer for 12 days.
    answer = kayak_assistant.ask("if i cancel my course 12 days before it starts do i get my money back?")
    assert answer.answer == "Between 10 and 30 days before the start: 50% refund [1]."


def test_the_row_whose_range_holds_the_length_given_answers(kayak_assistant: Assistant) -> None:
    first = "how much is a rack space"
    history = [
        Turn(role="user", content=first),
        Turn(role="assistant", content=kayak_assistant.ask(first).answer),
    ]
    answer = kayak_assistant.ask("and what about my friend's kayak, its about 4.8m long?", history=history)
    assert answer.answer == "[Large rack space] £130 [1]."


ALLOTMENTS = """# Hollins Lane Allotment Society: rents

Rent is charged by the size of the plot, for the year from 1 November.

| Plot size | Area | Annual rent | Water charge |
|---|---|---|---|
| Quarter plot | up to 75 sq m | £28 | £6 |
| Half plot | 76–150 sq m | £48 | £10 |
| Full plot | 151–300 sq m | £85 | £18 |
| Large plot | over 300 sq m | £110 | £22 |

## Junior plots

We keep six small junior plots (about 20 sq m each) next to the pond for young growers.

- **Who can apply:** young people aged 8 to 15. Children aged 8 to 11 must have a parent or guardian named on the agreement who comes with them every time they are on site.
- **Rent:** £5 a year, water included.
- **Turning 16:** a junior plot-holder may keep the junior plot until the end of the rent year in which they turn 16, and then joins the adult waiting list.

## Water

Water is supplied to the troughs from 1 April to 31 October. Please do not water in the heat of the day between 11am and 4pm in June, July and August.

## The shop

| Season | Days | Hours |
|---|---|---|
| March to October | Saturday | 9am – 12 noon |
| November to February | Sunday | 10am – 11.30am |

Members get 10% off compost and canes at the shop.
"""


@pytest.fixture(scope="module")
def allotment_assistant(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[Assistant]:
    assistant = _assistant_with(tmp_path_factory, embedder, "allotments", {"rents.md": ALLOTMENTS}, seed=False)
    yield assistant
    assistant.close()


def test_the_row_whose_range_holds_the_area_given_answers(allotment_assistant: Assistant) -> None:
    # 250 sq m is a full plot's, though every row shares the question's words.
    first = "my plot is 250 sq m how much rent"
    answer = allotment_assistant.ask(first)
    assert answer.answer == "[Full plot, Annual rent] £85 [1]."
    # The area given before still picks the row for a follow-up giving none.
    water = allotment_assistant.ask("and the water on top?", history=_exchange(first, answer.answer))
    assert water.answer == "[Full plot, Water charge] £18 [1]."


def test_a_time_of_day_or_a_month_a_range_holds_is_met(allotment_assistant: Assistant) -> None:
    # "between 11am and 4pm" holds 1pm, though it does not write it.
    first = "can i water at 7pm in july"
    answer = allotment_assistant.ask(first)
    later = allotment_assistant.ask("what about 1pm", history=_exchange(first, answer.answer))
    assert later.answer == (
        "Please do not water in the heat of the day between 11am and 4pm in June, July and August [1]."
    )
    # "November to February" holds December: its row answers.
    assert allotment_assistant.ask("is the shop open in december").answer.startswith(
        "[November to February] Sunday [1]."
    )


def test_a_cell_s_range_is_its_own_not_its_neighbour_s() -> None:
    # The winter price is December's; the summer price beside it in the row is not.
    table = "Ticket\tPrice\tPrice\nAdult\t£10 (Apr–Sep)\t£8 (Oct–Mar)\nChild\t£6 (Apr–Sep)\t£4 (Oct–Mar)"
    hits = [_hit("a", table, 0.6, ("Admission",))]
    answerer = ExtractiveAnswerer()
    assert answerer.answer("how much is an adult ticket in december", hits).answer == "[Adult, Price] £8 (Oct–Mar) [1]."
    assert answerer.answer("how much is an adult ticket in july", hits).answer == "[Adult, Price] £10 (Apr–Sep) [1]."


def test_a_word_an_idiom_adds_need_not_be_in_the_documents(allotment_assistant: Assistant) -> None:
    # "discount" is read as "discount concession"; these documents never say "concession",
    # and "10% off" is the discount asked about.
    answer = allotment_assistant.ask("is there a discount on compost")
    assert answer.answer == "Members get 10% off compost and canes at the shop [1]."


def test_a_range_holds_the_times_and_months_between_its_ends() -> None:
    asked = {"t1300", "t0100", "decembe", "july", "februar"}
    assert held_in_ranges(asked, "between 11am and 4pm in June") == {"t1300"}
    # Across midnight, and across the new year.
    assert held_in_ranges(asked, "open 22:00-02:00") == {"t0100"}
    assert held_in_ranges(asked, "November to February") == {"decembe", "februar"}
    assert held_in_ranges(asked, "between 1 November and 31 March") == {"decembe", "februar"}
    assert held_in_ranges(asked, "from 1 April to 31 October, 9am – 12 noon") == {"july"}
    # "and" makes a range only after "between": these name two times and two months.
    assert held_in_ranges(asked, "at 9am and 5pm, in June and August") == set()
    # Nor is a word that opens like a month one ("the market to decide").
    assert held_in_ranges(asked, "from the market to decide") == set()
    # A 24-hour range written with points, and a month shortened ("open in sept?").
    assert held_in_ranges(asked, "Mon–Fri 10.00–16.00") == {"t1300"}
    assert held_in_ranges(asked, "between 10.00 and 16.00") == {"t1300"}
    assert held_in_ranges({"sept"}, "Aug to Oct") == {"sept"}
    # Sums are no times.
    assert held_in_ranges(asked, "£10.00-£16.00") == set()


def test_an_age_given_is_no_time_a_rule_s_range_holds(kayak_assistant: Assistant) -> None:
    # "8 years old" is no 2,920 days, which "More than 30 days before the start" would hold.
    answer = kayak_assistant.ask("my son is 8 years old, how much is a rack space for his kayak?")
    assert answer.answer == "[Rack space] £90 [1]."


def test_a_rule_in_another_passage_does_not_stand_for_the_one_asked(kayak_assistant: Assistant) -> None:
    # The storage table answers; the refund rules' "Between 10 and 30 days" holds 14 days
    # but is about courses.
    answer = kayak_assistant.ask("how much to store a 3 m kayak for 14 days?")
    assert answer.answer.startswith("[Rack space] £90 [1].")


def test_a_row_key_opening_with_a_figure_is_shown(word_vectors: WordVectors) -> None:
    # "£9.95" alone says neither for whom nor when.
    table = "Age\tOff-peak\tPeak\nUnder 1\tFree\tFree\n1–3 years\t£5.95\t£7.95\n4–11 years\t£7.95\t£9.95"
    hits = [_hit("a", table, 0.6, ("Admission",))]
    answer = ExtractiveAnswerer(vectors=word_vectors).answer("how much is off-peak entry for 4–11 years", hits)
    assert answer.answer == "[4–11 years, Off-peak] £7.95 [1]."
    assert (opens_with_referent("[4–11 years, Peak] £9.95"), verbatim("[4–11 years, Peak] £9.95")) == (True, "£9.95")
    # A citation marker is no key.
    assert opens_with_referent("[1] £9.95") is False


CLIMBING_WALL = """# Ridgeway Climbing Wall: Members' Guide

## Climbing on your own

Climbers aged 14 to 17 can climb without an adult once they have passed the Junior Independent Climber assessment.

## Opening hours

| Day | Opening hours | Notes |
|---|---|---|
| Monday | 10:00–22:00 | Route setting until 12:00 |
| Saturday | 09:00–19:00 | Kids' clubs in the mornings |
| Sunday | 09:00–18:00 | Quietest after 15:00 |

## Kids' clubs

Our kids' clubs run in 10-week terms that follow the school terms. We also host birthday parties for children aged 6 and over for £180.

| Club | Ages | When | Price per term |
|---|---|---|---|
| Little Climbers | 4 to 7 | Saturday 09:15–10:15 | £96 |
| Junior Club | 8 to 11 | Saturday 10:30–12:00 | £120 |
| Youth Squad | 12 to 17 | Tuesday 17:30–19:30 | £210 |

## Memberships

| Membership | Per month | Per year |
|---|---|---|
| Adult | £52 | £540 |
| Concession | £42 | £440 |
"""


@pytest.fixture(scope="module")
def climbing_assistant(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[Assistant]:
    assistant = _assistant_with(
        tmp_path_factory, embedder, "climbing", {"ridgeway-climbing-wall.md": CLIMBING_WALL}, seed=False
    )
    yield assistant
    assistant.close()


def test_a_row_the_question_names_gives_the_figure_asked_for(climbing_assistant: Assistant) -> None:
    # No word of "what time ... shut" names the column "Opening hours": the row named
    # holds the time asked for.
    answer = climbing_assistant.ask("what time do u shut on a sunday")
    assert answer.answer.startswith("[Sunday, Opening hours] 09:00–18:00 [1].")
    history = [Turn(role="user", content="what time do u shut on a saturday")]
    history.append(Turn(role="assistant", content=climbing_assistant.ask(history[0].content).answer))
    assert history[1].content == "[Saturday] 09:00–19:00 [1]."
    assert climbing_assistant.ask("and sundays?", history=history).answer.startswith(
        "[Sunday, Opening hours] 09:00–18:00"
    )


@pytest.mark.parametrize(
    "question", ["what time is the last bus on sunday?", "what time does the cafe shut on a sunday?"]
)
def test_a_row_named_does_not_answer_for_something_else(climbing_assistant: Assistant, question: str) -> None:
    # The bus and the café are no part of the opening hours' table: its Sunday row is not
    # their time.
    answer = climbing_assistant.ask(question)
    assert (answer.abstained, answer.citations) == (True, [])


def test_a_row_named_is_read_in_the_column_the_conversation_names(climbing_assistant: Assistant) -> None:
    # "the concession rate" after "for the whole year" is the year's, not the month's.
    first = "how much is a membership for the whole year?"
    history = [Turn(role="user", content=first), Turn(role="assistant", content=climbing_assistant.ask(first).answer)]
    answer = climbing_assistant.ask("and the concession rate?", history=history)
    assert answer.answer == "[Concession, Per year] £440 [1]."


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("my son is 11, which of the kids clubs would he go in?", "[Junior Club] 8 to 11 [1]."),
        ("my daughter is 5, which kids club is she in", "[Little Climbers] 4 to 7 [1]."),
        ("my son is 9, how much is his club per term?", "[Junior Club, Price per term] £120 [1]."),
        # The narrowest band holding 13 leads: the squad's, not the parties' "aged 6 and over".
        ("how much is the kids club for my 13 year old", "[Youth Squad, Price per term] £210 [1]."),
        # A follow-up giving an age, after "when" without a comma: whether she can.
        ("and when shes 14 can she come climb on her own without me?", "Climbers aged 14 to 17 can climb"),
        # Not a band that holds the age but is not what the question asks about: the party.
        ("my son is 11, how much is a birthday party?", "We also host birthday parties for children aged 6"),
        # "12 to 17" under "Ages" is no date; what is said before the comma asks nothing.
        ("my lad's 13, when does his club run?", "[Youth Squad, When] Tuesday 17:30–19:30 [1]."),
    ],
)
def test_the_row_whose_age_band_holds_the_age_given_answers(
    climbing_assistant: Assistant, question: str, expected: str
) -> None:
    assert climbing_assistant.ask(question).answer.startswith(expected)


def test_money_back_is_answered_only_by_a_refund_rule(climbing_assistant: Assistant) -> None:
    # The guide sets no refunds: its prices are not what "my money back" asks for.
    answer = climbing_assistant.ask("can i get my money back if i stop coming to the junior club?")
    assert (answer.abstained, answer.citations) == (True, [])


def test_a_cell_under_an_ages_header_says_how_old(climbing_assistant: Assistant) -> None:
    assert (
        climbing_assistant.ask("how old do you have to be for the youth squad").answer == "[Youth Squad] 12 to 17 [1]."
    )


def test_a_time_asked_meets_the_same_time_written_otherwise() -> None:
    # "1pm" is the "1:00pm" of the second rule, which reads as "1" and "00pm" word by word.
    text = (
        "Bags still at the marquee at 11:00am are moved to the bandstand.\n"
        "Bags still at the marquee at 1:00pm are taken to the reception desk."
    )
    answer = ExtractiveAnswerer().answer("where do bags still at the marquee at 1pm go?", [_hit("race", text, 0.7)])
    assert answer.answer == "Bags still at the marquee at 1:00pm are taken to the reception desk [1]."


SOCIETY = """# Hollins Lane Allotment Society

## Who does what

- **Secretary:** Margaret Oduya — secretary@hollins.example.org, or 07700 900412 (evenings only).
- **Lettings Officer:** Dev Chauhan — lettings@hollins.example.org. Dev manages the waiting list, plot offers and the return of keys.
- **Treasurer:** Alan Pryce — treasurer@hollins.example.org. Rent queries and refunds go to Alan.

## Giving up a plot

If you decide to give up your plot, please tell the Lettings Officer in writing, giving at least one month's notice. Before you leave:

- clear any rubbish and take away anything you brought;
- empty the shed or agree with the Lettings Officer that it can stay;
- return your gate key(s) to the Lettings Officer.
"""


@pytest.fixture(scope="module")
def society_assistant(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[Assistant]:
    assistant = _assistant_with(tmp_path_factory, embedder, "society", {"society.md": SOCIETY}, seed=False)
    yield assistant
    assistant.close()


def test_a_contact_entry_is_quoted_with_the_role_its_label_names(society_assistant: Assistant) -> None:
    # "whats their email" after the list item quoted with its lead-in: the Lettings Officer's
    # entry, shown with its label, as the name and address alone do not say whose they are.
    first = "who do i give the key back to"
    answer = society_assistant.ask(first)
    assert answer.answer == "Before you leave: return your gate key(s) to the Lettings Officer [1]."
    email = society_assistant.ask("whats their email", history=_exchange(first, answer.answer))
    assert email.answer.startswith("[Lettings Officer] Dev Chauhan — lettings@hollins.example.org [1].")


def test_a_label_that_asks_is_shown_with_the_value_it_keys(allotment_assistant: Assistant) -> None:
    # "Who can apply: young people aged 8 to 15": the value is no sentence without its label.
    answer = allotment_assistant.ask("im 15 can i have my own plot")
    assert answer.answer.startswith("[Who can apply] young people aged 8 to 15 [1].")


@pytest.mark.parametrize(
    ("passage", "question", "quote"),
    [
        # A connective, and a heading of many words, are no title of whoever is reached.
        (
            "However: the club secretary reads email at secretary@club.example.org on weekdays only.",
            "what is the club secretary's email",
            "[T]he club secretary reads email at secretary@club.example.org on weekdays only [1].",
        ),
        (
            "Opening Times And Contact Details: You can email the office at office@club.example.org any time.",
            "what is the office email",
            "You can email the office at office@club.example.org any time [1].",
        ),
    ],
)
def test_only_a_title_is_shown_before_a_way_to_reach_someone(passage: str, question: str, quote: str) -> None:
    hits = [_hit("a", passage, 0.7)]
    assert ExtractiveAnswerer().answer(question, hits).answer == quote


GYM = ROOT / "eval" / "docs_ab" / "riverside-community-gym-members-handbook.md"


def test_how_long_is_answered_by_a_span_not_by_any_figure(tmp_path_factory: pytest.TempPathFactory, embedder) -> None:
    # "24 free spaces" is a figure, not how long; the span is in the same list item.
    assistant = ingested_assistant(tmp_path_factory, embedder, {"gym.md": GYM.read_text(encoding="utf-8")})
    try:
        first = assistant.ask("is there parking at the gym")
        answer = assistant.ask(
            "how long can i leave my car there", history=_turns(("is there parking at the gym", first))
        )
    finally:
        assistant.close()
    assert answer.answer.startswith("Parking is limited to two hours and enforced by ParkRight")


@pytest.mark.parametrize(
    ("sentence", "gives"),
    [("Parking is limited to two hours.", True), ("We reply within 10 working days.", True),
     ("Passwords must be at least 12 characters.", True), ("Keep it for a fortnight.", True),
     ("You return it the next day.", True), ("The pool is 25 metres long.", True),
     ("There are 24 free spaces.", False),
     ("The bar is open until 10pm.", True), ("Lockers cost £8 a month.", False), ("Call 01632 960 400.", False)],
)  # fmt: skip
def test_what_answers_how_long(sentence: str, gives: bool) -> None:
    assert gives_a_length(sentence) is gives


def test_weekdays_meet_monday_to_friday_and_the_weekend_saturday_and_sunday() -> None:
    assert "weekday" in terms_of("Monday to Friday") and "weekday" in terms_of("Mon-Fri 9am")
    assert "weekend" in terms_of("Saturday and Sunday") and "weekend" in terms_of("Sat & Sun")
    assert "weekday" not in terms_of("Friday") and "weekend" not in terms_of("Sunday")
    hours = "Opening hours\nMonday to Friday: 06:00 to 22:00.\nSaturday: 08:00 to 18:00.\nSunday: 08:00 to 16:00.\n"
    answer = ExtractiveAnswerer().answer("what time does the gym open on weekdays", [_hit("h", hours, 0.7)])
    assert answer.answer == "[Monday to Friday] 06:00 to 22:00 [1]."


@pytest.mark.parametrize(
    ("question", "yes_or_no"),
    [("any ev chargers there?", True), ("and any toilets on site", True), ("any idea what time it opens?", False),
     ("any info on parking at the gym?", False), ("any details on guest passes?", False),
     ("what about shampoo and shower gel, do you sell them?", True), ("what about sundays?", False),
     ("what time is it open?", False)],
)  # fmt: skip
def test_questions_asked_yes_or_no_in_short(question: str, yes_or_no: bool) -> None:
    assert asks_yes_or_no(question) is yes_or_no


def test_them_after_the_things_a_question_turns_to_means_those_things() -> None:
    history = _exchange("do u have towels or do i need to bring my own",
                        "[Towels] we don't supply towels for free [1].")  # fmt: skip
    asked = standalone("what about shampoo and shower gel, do you sell them?", history)
    assert asked.query.startswith("what about shampoo and shower gel, do you sell them?")
    assert asked.referents == ()


@pytest.mark.parametrize(
    ("sentence", "label"),
    [("Cancelling an annual membership: you can cancel for a full refund within 14 days.", True),
     ("The trade agenda covers multiple domains: goods, services, energy and investment.", False),
     ("Debian ships both gnash and swfdec: two free SWF movie players.", False),
     ("There's only one common catch: the libraries are built with the newest headers.", False),
     ("Phase 1, the demonstration stage: four 1.5 MW turbines, 6 MW in total.", False)],
)  # fmt: skip
def test_a_topic_lead_in_of_a_few_words_is_a_label_and_a_clause_is_not(sentence: str, label: bool) -> None:
    assert (label_end(sentence) > 0) is label


LIBRARY = ROOT / "eval" / "docs_ac" / "millbrook-library-members-guide.md"


@pytest.fixture(scope="module")
def library_assistant(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[Assistant]:
    assistant = ingested_assistant(tmp_path_factory, embedder, {"library.md": LIBRARY.read_text(encoding="utf-8")})
    yield assistant
    assistant.close()


def test_how_many_items_is_answered_by_whatever_the_documents_count(library_assistant: Assistant) -> None:
    # "items" counts reservations as well as loans: the rule on how many may be on hold answers.
    answer = library_assistant.ask("how many items can i have on hold at once?")
    assert answer.answer.startswith("Each member can hold up to 10 reservations at one time [1].")
    # Where a sentence counts items, it answers; no other figure does ("a 14-day loan").
    answer = library_assistant.ask("how many items can a child borrow?")
    assert "A child's card allows a maximum of 12 items" in _quotes(answer)
    assert all(quote.endswith(" items") or " items " in quote for quote in _quotes(answer))
    assert counted("how many items I may have on hold") == ["item"]
    assert counted("how many guests you can bring") == ["guest"]


def test_a_name_typed_in_lower_case_is_the_name_written(library_assistant: Assistant) -> None:
    # "rhyme time" is "Rhyme Time": the question is about it (not declined as off the
    # documents), and the follow-up's "it" is answered by the span in the sentence naming it.
    alone = library_assistant.ask("how long does rhyme time go on for")
    assert alone.answer.startswith("Rhyme Time for babies and toddlers runs every Tuesday and Friday at 10:30am")
    first = library_assistant.ask("when is rhyme time on?")
    follow_up = library_assistant.ask("how long does it go on for", history=_turns(("when is rhyme time on?", first)))
    assert follow_up.query == "how long does it go on for (rhyme time)"
    assert "lasts 30 minutes [1]" in follow_up.answer
    # Story Time's sentence gives when it starts, not how long it lasts; Rhyme Time's
    # 30 minutes are not Story Time's for sharing "Time".
    first = library_assistant.ask("when is story time?")
    follow_up = library_assistant.ask("how long does it go on for", history=_turns(("when is story time?", first)))
    assert follow_up.abstained
    assert typed_lower("is the main library open?", ["The Main Library opens at 9.", "NHS Direct"]) == ["Main Library"]


def test_whom_to_speak_to_is_answered_by_the_person_named(library_assistant: Assistant) -> None:
    # Not by the sentence on the service itself, whose name is no one to speak to.
    for question in ("who do i talk to about getting books delivered to my dad, he is housebound",
                     "who should I speak to about getting library books delivered?"):  # fmt: skip
        answer = library_assistant.ask(question)
        assert answer.answer.startswith("To arrange the Home Library Service, contact the coordinator, Janet Okafor")
    assert asks_whom_to_reach("Who should I speak to about parking?") and not asks_whom_to_reach("Who runs it?")


def test_a_span_in_other_words_than_the_question_s_answers_how_long(library_assistant: Assistant) -> None:
    # "Reserved items are kept for you ... for 7 days" says how long they are held in other
    # words ("kept"); "Each member can hold up to 10 reservations" holds the word, and no span.
    first = library_assistant.ask("i reserved a dvd, how will i know when its ready?")
    answer = library_assistant.ask(
        "how long will you hold it for me", history=_turns(("i reserved a dvd, how will i know when its ready?", first))
    )
    assert answer.answer.startswith("Reserved items are kept for you at the collection point for 7 days")


def _follow_up(
    tmp_path_factory: pytest.TempPathFactory, embedder: Embedder, documents: dict[str, str], first: str, second: str
) -> Answer:
    """The answer to ``second`` asked after ``first``, over a new index of ``documents``."""
    assistant = ingested_assistant(tmp_path_factory, embedder, documents)
    try:
        return assistant.ask(second, history=_turns((first, assistant.ask(first))))
    finally:
        assistant.close()


def test_how_long_it_takes_is_the_span_it_takes_not_a_span_of_notice(
    tmp_path_factory: pytest.TempPathFactory, embedder
) -> None:
    # "[Missed inductions] ... at least 24 hours' notice, we charge £10" gives a span too, of
    # notice; "It's free, takes about 45 minutes ..." says how long the induction takes.
    documents = {"gym.md": GYM.read_text(encoding="utf-8")}
    answer = _follow_up(tmp_path_factory, embedder, documents, "do i need an induction before i use the machines?",
                        "how long does it take?")  # fmt: skip
    assert "It's free, takes about 45 minutes and covers warming up" in answer.answer
    assert "24 hours' notice" not in answer.answer


def test_what_another_thing_takes_is_not_how_long_this_one_takes(
    tmp_path_factory: pytest.TempPathFactory, embedder
) -> None:
    # "It takes about 15 minutes" is the belay check's; bouldering's induction is "a free
    # 20-minute talk", whose paragraph holds what the conversation asked about.
    wall = (
        "# Ridge Climbing: members' guide\n\n## Inductions\n\n"
        "- **Bouldering induction:** a free 20-minute talk covering falling, spotting and mat safety.\n"
        "- **Belay competency check:** needed to top-rope with a partner. It takes about 15 minutes and costs £8.\n"
        "- **Lead climbing:** by assessment only, booked at reception.\n"
    )
    answer = _follow_up(tmp_path_factory, embedder, {"wall.md": wall},
                        "do i need to do an induction before i can boulder?", "how long does it take")  # fmt: skip
    assert answer.answer.startswith("[Bouldering induction] a free 20-minute talk")
    assert "15 minutes" not in answer.answer


def test_how_many_are_there_counts_what_the_conversation_named(
    tmp_path_factory: pytest.TempPathFactory, embedder
) -> None:
    # "the ones you have" are the inks of the question before: the sentence counting inks
    # answers, though the answer before quoted it.
    studio = (
        "# Riverside Print Studio: members' guide\n\n## Inks\n\n"
        "Only the studio's own inks may be used on the presses. There are 24 shared water-based inks in the "
        "ink cupboard, with swatches on the wall. Oil-based inks from outside are not allowed, as they need "
        "solvents to clean.\n\n## Paper\n\nPaper is sold at the desk by the sheet. Members may bring their own "
        "paper if it is acid-free.\n"
    )
    answer = _follow_up(tmp_path_factory, embedder, {"studio.md": studio}, "can i bring my own inks",
                        "what about the ones you have, how many are there")  # fmt: skip
    assert answer.answer.startswith("There are 24 shared water-based inks in the ink cupboard")
    assert "Oil-based" not in answer.answer and "Only the studio" not in answer.answer


def test_how_many_of_what_it_does_not_name_counts_what_the_conversation_did(
    tmp_path_factory: pytest.TempPathFactory, embedder
) -> None:
    # "How many can one adult take in at once?" after the children at the pool: the rule
    # counting children per adult, not the prices' "two adults".
    park = (
        "# Brackenfold Holiday Park: guest guide\n\n## Swimming pool\n\n"
        "Our outdoor heated pool is open from late May until mid-September. Children under 12 must be "
        "accompanied in the water by a responsible adult aged 18 or over. No more than two children under 12 "
        "per adult. A lifeguard is on duty whenever the pool is open.\n\n## Prices\n\n"
        "All prices are per night and include two adults, one car and use of the showers and swimming pool. "
        "Extra people are charged at £6 per night for each adult.\n"
    )
    answer = _follow_up(tmp_path_factory, embedder, {"park.md": park}, "my kids are 7, 9 and 10, can they swim without me?",
                        "How many can one adult take in at once?")  # fmt: skip
    assert "No more than two children under 12 per adult" in answer.answer
    assert "two adults, one car" not in answer.answer
    assert answer.query.startswith("How many can one adult take in at once? (")


def test_what_about_another_day_asks_the_column_the_question_before_asked(
    tmp_path_factory: pytest.TempPathFactory, embedder
) -> None:
    # "what about sundays" after when the pool opens wants Sunday's cell under "Doors open",
    # not the lifeguarded hours beside it, though both sit under "Opening hours" and only the
    # hours run from one time to another.
    pool = (
        "# Kelham Pool: visiting us\n\n## Opening hours\n\n"
        "| Day | Doors open | Doors close | Lifeguarded hours |\n|---|---|---|---|\n"
        "| Monday to Friday | 06:30 | 21:00 | 7am to 8pm |\n| Saturday | 08:00 | 18:00 | 8am to 5pm |\n"
        "| Sunday | 09:00 | 16:00 | 10am to 2pm |\n\n## Lessons\n\nLessons run on weekday evenings from 4pm.\n"
    )
    answer = _follow_up(tmp_path_factory, embedder, {"pool.md": pool}, "what time does the pool open on weekdays",
                        "what about sundays")  # fmt: skip
    assert answer.answer.startswith("[Sunday, Doors open] 09:00 [1]")
