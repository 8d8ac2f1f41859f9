from __future__ import annotations

from assistant.answer import ABSTAIN_TEXT, Answer, Citation, check_citations, renumbered


def cite(n: int) -> Citation:
    return Citation(id=n, source="a.txt", title="A", chunk_id=f"c{n}", text=f"passage {n}", start=0, end=9, score=0.5)


def test_consistent_answer_is_unchanged() -> None:
    answer = Answer(answer="One [1]. Two [2].", citations=[cite(1), cite(2)])
    assert check_citations(answer) == answer


def test_dangling_markers_go_uncited_passages_go_and_ids_are_renumbered() -> None:
    answer = Answer(answer="First [3]. Second [7]. Third [1].", citations=[cite(1), cite(2), cite(3)])
    checked = check_citations(answer)
    assert checked.answer == "First [1]. Second. Third [2]."
    assert [(c.id, c.chunk_id) for c in checked.citations] == [(1, "c3"), (2, "c1")]


def test_a_quoted_command_keeps_its_spaces_when_markers_are_checked() -> None:
    # "rsync -aHAXSv . /dest" copies the current folder; "rsync -aHAXSv. /dest" is another
    # command. Only the space a dropped marker leaves goes.
    text = 'Copy it with "# cd ./source; rsync -aHAXSv . /dest" [1]. Then run sudo dpkg -i ../*.deb [2] [5].'
    checked = check_citations(Answer(answer=text, citations=[cite(1), cite(2)]))
    assert (
        checked.answer == 'Copy it with "# cd ./source; rsync -aHAXSv . /dest" [1]. Then run sudo dpkg -i ../*.deb [2].'
    )


def test_a_language_models_sentence_keeps_its_spaces_when_renumbered() -> None:
    # The grounding check renumbers a model's markers with the same function.
    text = 'Run "rsync -a . /dest" [3] [9]. Then ls ../x [9].'
    assert renumbered(text, {3: 1}.get) == 'Run "rsync -a . /dest" [1]. Then ls ../x.'


def test_answer_with_no_valid_citation_becomes_an_abstention() -> None:
    checked = check_citations(Answer(answer="Made up [4].", citations=[]))
    assert checked.abstained is True and checked.answer == ABSTAIN_TEXT and checked.citations == []


def test_abstention_carries_no_citations() -> None:
    checked = check_citations(Answer(answer=ABSTAIN_TEXT, citations=[cite(1)], abstained=True))
    assert checked.citations == [] and checked.answer == ABSTAIN_TEXT


def test_contract_keys_are_exactly_the_documented_ones() -> None:
    dumped = Answer(answer="x [1].", citations=[cite(1)]).model_dump()
    assert list(dumped) == ["answer", "citations", "abstained", "mode", "timings_ms", "query", "unsupported", "warning"]
    assert list(dumped["citations"][0]) == ["id", "source", "title", "chunk_id", "text", "start", "end", "score"]


def test_marked_sentences_keep_every_marker_of_a_sentence() -> None:
    from assistant.answer import marked_sentences

    assert marked_sentences("Kwatra met Danly [1][2]. Tariffs rose [3]. Uncited tail.") == [
        ("Kwatra met Danly", [1, 2]),
        ("Tariffs rose", [3]),
    ]
