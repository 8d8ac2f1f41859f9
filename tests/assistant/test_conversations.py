"""The conversation set's gate: the bundled corpus and the uploaded test document,
each follow-up asked after the real earlier answers, as the chat page sends them.

The Debian Reference conversations of the same set need `debian-reference-en` (`make
eval` installs it and reports them); this gate runs the rest on every `make test`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from assistant.app import build_application
from assistant.conversation import Turn
from assistant.evaluation import EvalResult, Evaluator, parse_item
from assistant.service import Assistant
from assistant.settings import Settings
from ingest.chunking import Chunker
from ingest.pipeline import Ingestor
from vectorstore.embeddings import Embedder, TokenCounter

from ..conftest import CORPUS, ROOT

CONVERSATIONS = ROOT / "eval" / "conversations.jsonl"
UPLOADED = ROOT / "eval" / "docs"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[Assistant]:
    """The bundled corpus and the test document of eval/docs/, as if uploaded."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("conversations"))
    opened: Assistant = build_application(settings, embedder=embedder).assistant
    Ingestor(opened.store, embedder, Chunker(TokenCounter(), settings.chunk_tokens)).ingest([CORPUS, UPLOADED])
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def result(assistant: Assistant) -> EvalResult:
    items = [json.loads(line) for line in CONVERSATIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = [parse_item(item, item["id"]) for item in items if item["corpus"] in ("seed", "upload")]
    return Evaluator(assistant).run(questions)


def test_the_set_is_what_the_gate_expects(result: EvalResult) -> None:
    assert (result.summary["questions"], result.summary["unanswerable"]) == (35, 6)


def test_last_answers_of_conversations(result: EvalResult) -> None:
    # Measured 33 of 35, evidence 0.97 and 6 of 6 unanswerable follow-ups declined when
    # this gate was last raised (docs/QUALITY.md); a drop fails CI, one answer's margin kept.
    assert result.summary["passed"] >= 32
    assert result.summary["evidence_cited"] >= 0.93
    assert result.summary["abstention_recall"] >= 0.83


def test_follow_ups_become_standalone_queries(result: EvalResult) -> None:
    assert result.summary["query_standalone"] >= 0.79  # measured 0.83


def test_last_answers_read_well(result: EvalResult) -> None:
    assert result.summary["readability_defects"] <= 0.05  # measured 0.0


def test_a_follow_up_is_not_answered_from_a_passage_that_never_names_its_subject(result: EvalResult) -> None:
    # "How much did its repair cost?" about turbine T3: the only cost near "repairs" is
    # the community fund's, in a passage that never mentions T3.
    row = next(r for r in result.rows if r["id"] == "c51")
    assert row["query"] == "How much did T3’s repair cost?"
    assert (row["abstained"], row["citations"]) == (True, [])


def _after(assistant: Assistant, first: str) -> list[Turn]:
    """The history once ``first`` is asked and answered for real."""
    return [Turn(role="user", content=first), Turn(role="assistant", content=assistant.ask(first).answer)]


def test_a_short_follow_up_is_answered_about_what_the_conversation_asked(assistant: Assistant) -> None:
    # "per megawatt" is in a sentence on the strike price too ("per megawatt-hour"); the
    # conversation was about the community fund.
    first = "Does the tidal project pay anything into a community fund?"
    history = _after(assistant, first)
    answer = assistant.ask("how much per megawatt?", history=history)
    assert answer.query == "how much per megawatt? (tidal project pay anything community fund)"
    assert answer.answer.startswith("A community benefit fund receives £5,000 per installed megawatt each year [1].")


def test_they_after_a_who_question_is_whoever_the_answer_named(assistant: Assistant) -> None:
    # "their contract" is the turbine supplier's; the only price near "contract" is the
    # electricity's, in a passage that never names the supplier.
    first = "Who supplies the turbines for the array?"
    history = _after(assistant, first)
    answer = assistant.ask("What's their contract worth?", history=history)
    assert answer.query == "What's Norrland Turbinverk AB’s contract worth?"
    assert (answer.abstained, answer.citations) == (True, [])


def test_a_follow_up_is_answered_from_the_document_the_conversation_is_about(assistant: Assistant) -> None:
    # "challenge" is a word of the post on India and the U.S. too ("Speed is often a
    # challenge"); the conversation was about the tidal array.
    first = "How is the tidal array financed?"
    history = _after(assistant, first)
    answer = assistant.ask("what are the main challenges?", history=history)
    assert answer.query == "what are the main challenges?"
    assert answer.answer.startswith(
        "The board has identified five main risks for the coming phases [Biofouling; Cable scour; Marine mammals; "
        "Supply chain; Weather and vessel availability] [1]."
    )
    # The passages the API lists for it come in the order the answer read them.
    first_passage = assistant.passages("what are the main challenges?", 1, history=history)[0]
    assert first_passage.chunk.id == answer.citations[0].chunk_id
    # Said to be another matter, it is not held to that document.
    switched = assistant.ask("Different question - what are the main challenges?", history=history)
    assert switched.answer.startswith("Speed is often a challenge [1].")


def test_a_sentence_that_points_back_answers_from_the_document_the_last_answer_quoted(assistant: Assistant) -> None:
    # "It returned to service after 37 days." holds the follow-up's own words but opens
    # with a pronoun; beside the last answer, in its document, "it" is what was asked about.
    first = "did phase 1 have any big breakdowns in its first year?"
    history = _after(assistant, first)
    answer = assistant.ask("how long was it out of action", history=history)
    assert answer.answer.startswith(
        "The one significant stoppage came in February 2024, when a bearing seal on turbine T3 failed and the "
        "machine had to be lifted for repair [1]. It returned to service after 37 days [1]."
    )


def test_how_quick_asks_for_a_speed(assistant: Assistant) -> None:
    # No word of "how quick does the water get through there" is in the sentence that
    # gives the tide's speed; "how quick" asks for one, as "how heavy" asks for a weight.
    history = _after(assistant, "Why did they pick Skerrow Sound for the array?")
    answer = assistant.ask("how quick does the water get through there", history=history)
    assert answer.answer.startswith(
        "Skerrow Sound is only 900 metres wide at its narrowest point, and the flood tide squeezes through it at "
        "peak speeds of up to 3.4 metres per second [1]."
    )


def test_the_first_of_the_items_an_answer_named_is_one_of_them_not_what_they_do(assistant: Assistant) -> None:
    # "they" in "how are they handling the first one?" cannot be the risks the answer
    # listed: "the first one" is one of those, and "they" whoever handles it.
    first = "what are the main risks the board sees?"
    answer = assistant.ask(first)
    assert answer.answer == (
        "The board has identified five main risks for the coming phases [Biofouling; Cable scour; Marine mammals; "
        "Supply chain; Weather and vessel availability] [1]."
    )
    history = [Turn(role="user", content=first), Turn(role="assistant", content=answer.answer)]
    handled = assistant.ask("how are they handling the first one?", history=history)
    assert handled.query == "how are they handling Biofouling? (main risks board sees)"
    # Asked what is done about it, what the team does answers, not what the risk is.
    assert handled.answer.startswith("Renwick's team cleans each turbine every eighteen months")
    assert "Marine growth on the blades and housings reduces efficiency" not in handled.answer


def test_the_item_the_second_one_points_to_answers_though_it_was_said(assistant: Assistant) -> None:
    # The second phase's sentence gives what it adds ("adding 12 MW"); the third's holds
    # more of the follow-up's words ("final capacity") and was said too.
    history = _after(assistant, "what are the construction phases for the tidal array?")
    answer = assistant.ask("how much capacity does the second one add?", history=history)
    assert answer.answer.startswith(
        "Phase 2, the expansion stage: eight more 1.5 MW turbines adding 12 MW, bringing the array to 18 MW"
    )


def test_a_question_asking_two_things_answers_both(assistant: Assistant) -> None:
    # Asked whole, the capacity sentence wins and the homes are left out; the second part
    # is asked as a follow-up to the first, so "it" is the array.
    answer = assistant.ask("What is the tidal array's installed capacity and how many homes will it power?")
    assert answer.query == (
        "What is the tidal array's installed capacity? how many homes will it power? (tidal array's installed capacity)"
    )
    assert answer.answer == (
        "When all three phases are complete, the array is designed to reach an installed capacity of 42 MW, "
        "producing an estimated 118 GWh of electricity per year [1]. That is roughly enough for 31,000 homes, or "
        "about five times the number of households in Port Caddoway itself [1]."
    )
    assert [c.source for c in answer.citations] == ["eval/docs/harbour-tidal-array.md"]


def test_a_part_of_a_question_the_documents_do_not_answer_is_said_to_be_unanswered(assistant: Assistant) -> None:
    answer = assistant.ask("Who founded Halvard Tidal Energy and does the company own a helicopter?")
    assert answer.abstained is False
    assert answer.answer == (
        "Halvard Tidal Energy was founded in 2016 by Ingrid Halvard [1]. I could not find the answer to "
        "“does the company own a helicopter?” in the indexed documents."
    )


def test_a_part_answered_by_what_an_earlier_part_quoted_is_not_said_to_be_unanswered(assistant: Assistant) -> None:
    # "how high were they?" as a follow-up counts "tariffs" for less than its own words,
    # and nothing matches "high"; asked as it stands on its own, it is answered.
    answer = assistant.ask("has the us hit indian goods with tariffs before? how high were they")
    assert answer.answer == (
        "Earlier, U.S. imposed steep tariffs (50 per cent) on some Indian exports, labelled unfair by India [1]."
    )


def test_the_passages_of_a_question_asking_two_things_are_each_part_s_in_turn(assistant: Assistant) -> None:
    passages = assistant.passages("Who supplies the turbines and when was Halvard Tidal Energy founded?", 2)
    assert ["Norrland Turbinverk AB" in passages[0].chunk.text, "founded in 2016" in passages[1].chunk.text] == [
        True,
        True,
    ]
