from __future__ import annotations

from assistant.extractive import ExtractiveAnswerer
from core.records import Chunk, Hit


def _hit(chunk_id: str, text: str, score: float) -> Hit:
    return Hit(Chunk(chunk_id, text, f"{chunk_id}.txt", "", (), 0, 0, len(text)), score=score)


def test_best_sentence_without_question_words_does_not_break_the_coverage_check() -> None:
    # The nearest passage shares no word with the question, so the top sentence's
    # question-word coverage is zero; a later sentence that covers some must still be weighed.
    hits = [
        _hit("near", "Engineers inspected the reactor budget in Lisbon last week.", 0.5),
        _hit("far", "The trade committee met twice in Lisbon to review the goal.", 0.2),
    ]
    answer = ExtractiveAnswerer().answer("What is the stated target goal of the trade agreement?", hits)
    assert not answer.abstained
    assert answer.answer == "The trade committee met twice in Lisbon to review the goal [1]."
    assert [c.chunk_id for c in answer.citations] == ["far"]


def test_a_question_after_a_when_clause_is_not_a_question_for_a_date() -> None:
    # "When reconfiguring ..., which type should I choose?" asks for a type: the sentence
    # naming it holds no date, and is the answer all the same.
    text = (
        'Exim4 is the default mail transfer agent of Debian. Select "mail sent by smarthost; '
        'received via SMTP or fetchmail" for "General type of mail configuration".'
    )
    hits = [_hit("exim", text, 0.8)]
    answer = ExtractiveAnswerer().answer(
        "When reconfiguring exim4 for a smarthost, which general mail configuration type should I choose?", hits
    )
    assert not answer.abstained
    assert answer.answer == (
        'Select "mail sent by smarthost; received via SMTP or fetchmail" for "General type of mail configuration" [1].'
    )
