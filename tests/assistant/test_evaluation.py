"""The evaluation harness: question-set parsing, per-question scoring, comparison."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.evaluation import (
    Evaluator,
    Question,
    QuestionSetError,
    compare,
    expected_items_in,
    load_questions,
    parse_text,
)
from assistant.service import Assistant

JSONL = (
    '{"id": "a", "question": "Which senator from Tennessee did the ambassador meet?", "answer": "Bill Hagerty", '
    '"evidence": "He also engaged with Senator Bill Hagerty from Tennessee"}\n'
    '{"id": "s", "question": "Who met James Danly?", "sources": ["india-us-cooperation-trade-energy-defence.txt"]}\n'
    '{"id": "u", "question": "How do I bake sourdough bread?", "unanswerable": true}\n'
)
CSV = (
    "id,question,answer,evidence,unanswerable,history\n"
    "a,Which senator from Tennessee did the ambassador meet?,Bill Hagerty,"
    '"He also engaged with Senator Bill Hagerty from Tennessee",,\n'
    "f,How did India describe them?,unfair,labelled unfair by India,,"
    '"[{""role"": ""user"", ""content"": ""What tariff did the U.S. impose on Indian exports?""}]"\n'
    "u,How do I bake sourdough bread?,,,true,\n"
)


def test_jsonl_and_csv_give_the_same_kind_of_questions(tmp_path: Path) -> None:
    (tmp_path / "set.jsonl").write_text(JSONL)
    (tmp_path / "set.csv").write_text(CSV)
    from_jsonl = load_questions(tmp_path / "set.jsonl")
    from_csv = load_questions(tmp_path / "set.csv")
    assert [(q.id, q.unanswerable, q.sources) for q in from_jsonl] == [
        ("a", False, ()), ("s", False, ("india-us-cooperation-trade-energy-defence.txt",)), ("u", True, ()),
    ]  # fmt: skip
    assert from_csv[0] == from_jsonl[0]
    assert from_csv[1].history[0].content == "What tariff did the U.S. impose on Indian exports?"
    assert from_csv[2].unanswerable is True and from_csv[2].answer is None


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("bad.jsonl", '{"question": "ok"}\n{"question": \n', "bad.jsonl:2: not valid JSON (Expecting value)"),
        ("bad.jsonl", '{"id": "x"}\n', 'bad.jsonl:1: "question" is missing or empty'),
        ("bad.jsonl", '["a list"]\n', 'bad.jsonl:1: each entry must be an object with a "question"'),
        (
            "bad.jsonl",
            '{"question": "q", "history": [{"role": "bot"}]}\n',
            'bad.jsonl:1: each "history" turn needs a role (user or assistant) and content',
        ),
        ("bad.csv", "id,text\n1,hello\n", 'bad.csv:1: the header needs a "question" column'),
        ("bad.csv", 'id,question,history\n1,q,"not json"\n', 'bad.csv:2: "history" must be a JSON list of turns'),
        (
            "dup.jsonl",
            '{"id": "1", "question": "a"}\n{"id": "1", "question": "b"}\n',
            "dup.jsonl: the id '1' is used twice",
        ),
        ("empty.jsonl", "\n\n", "empty.jsonl holds no questions"),
    ],
    ids=["json", "no-question", "not-object", "bad-history", "csv-header", "csv-history", "duplicate", "empty"],
)
def test_bad_question_sets_name_the_line(name: str, text: str, message: str) -> None:
    with pytest.raises(QuestionSetError) as caught:
        parse_text(text, name)
    assert str(caught.value) == message


def test_scores_each_kind_of_question(seed_assistant: Assistant) -> None:
    result = Evaluator(seed_assistant, top_k=5).run(parse_text(JSONL, "set.jsonl"))
    rows = {r["id"]: r for r in result.rows}
    assert rows["a"]["hit@k"] == 1.0 and rows["a"]["answer_contains"] == 1.0 and rows["a"]["evidence_cited"] == 1.0
    assert rows["a"]["citation_precision"] == 1.0 and rows["a"]["citation_recall"] == 1.0
    assert rows["a"]["passed"] is True
    assert rows["s"]["hit@1"] == 1.0 and rows["s"]["recall@k"] == 1.0 and "f1" not in rows["s"]
    assert rows["u"]["abstained"] is True and rows["u"]["passed"] is True and "hit@k" not in rows["u"]
    summary = result.summary
    assert (summary["questions"], summary["passed"], summary["abstention_recall"]) == (3, 3, 1.0)
    assert summary["abstention_precision"] == 1.0 and summary["fallbacks"] == 0


def test_a_whole_sentence_reference_is_found_where_it_is_quoted(seed_assistant: Assistant) -> None:
    # The reference is a sentence with its full stop; the answer quotes it with a
    # marker before the stop ("... development [1].").
    reference = (
        "India is a fast-growing economy with ambitions to scale manufacturing, energy security and "
        "infrastructure development."
    )
    text = f'{{"id": "w", "question": "What are India\'s economic ambitions according to the article?", "answer": "{reference}"}}\n'
    row = Evaluator(seed_assistant).run(parse_text(text, "w.jsonl")).rows[0]
    assert row["answer"] == reference[:-1] + " [1]."
    assert (row["answer_contains"], row["first_contains"], row["exact_match"]) == (1.0, 1.0, 1.0)
    # A reference exported while markers left their space behind ("... development .").
    spaced = text.replace("development.", "development .")
    row = Evaluator(seed_assistant).run(parse_text(spaced, "w.jsonl")).rows[0]
    assert (row["answer_contains"], row["first_contains"]) == (1.0, 1.0)


def test_a_question_asking_two_things_passes_only_with_both_answers(seed_assistant: Assistant) -> None:
    question = "Who is India's ambassador to the U.S. and which senator from Tennessee did he meet?"
    both = json.dumps({"id": "two", "question": question, "answer": ["Vinay Mohan Kwatra", "Bill Hagerty"]})
    one = json.dumps({"id": "one", "question": question, "answer": ["Vinay Mohan Kwatra", "Marsha Blackburn"]})
    rows = {r["id"]: r for r in Evaluator(seed_assistant).run(parse_text(f"{both}\n{one}\n", "two.jsonl")).rows}
    assert rows["two"]["reference"] == "Vinay Mohan Kwatra | Bill Hagerty"
    assert (rows["two"]["answer_contains"], rows["two"]["passed"]) == (1.0, True)
    assert (rows["one"]["answer_contains"], rows["one"]["passed"]) == (0.0, False)


def test_an_empty_list_of_references_is_no_reference() -> None:
    question = parse_text('{"id": "e", "question": "anything?", "answer": []}\n', "e.jsonl")[0]
    assert (question.answer, question.also) == (None, ())


def test_no_relevant_passage_scores_zero(seed_assistant: Assistant) -> None:
    text = '{"id": "x", "question": "Which senator from Tennessee did the ambassador meet?", "evidence": "text that is nowhere"}\n'
    row = Evaluator(seed_assistant).run(parse_text(text, "x.jsonl")).rows[0]
    assert (row["hit@k"], row["mrr@k"], row["recall@k"], row["ndcg@10"]) == (0.0, 0.0, 0.0, 0.0)
    assert row["passed"] is False


def test_all_unanswerable_set(seed_assistant: Assistant) -> None:
    text = '{"id": "u1", "question": "How do I bake sourdough bread?", "unanswerable": true}\n'
    summary = Evaluator(seed_assistant).run(parse_text(text, "u.jsonl")).summary
    assert summary["answerable"] == 0 and summary["hit@k"] is None and summary["f1"] is None
    assert (summary["abstention_precision"], summary["abstention_recall"]) == (1.0, 1.0)


def test_compare_lists_metric_changes_and_questions() -> None:
    old = {"summary": {"hit@k": 0.5, "f1": 0.2, "questions": 2},
           "questions": [{"id": "a", "passed": False}, {"id": "b", "passed": True}]}  # fmt: skip
    new = {"summary": {"hit@k": 0.75, "f1": 0.1, "questions": 2},
           "questions": [{"id": "a", "passed": True}, {"id": "b", "passed": False}]}  # fmt: skip
    assert compare(new, old) == {
        "metrics": {"hit@k": {"old": 0.5, "new": 0.75, "delta": 0.25}, "f1": {"old": 0.2, "new": 0.1, "delta": -0.1},
                    "questions": {"old": 2, "new": 2, "delta": 0}},
        "better": ["a"], "worse": ["b"],
    }  # fmt: skip


def test_evidence_given_in_bold_is_found_as_it_reads() -> None:
    # Markdown's bold markers are markup: the passage indexed reads without them.
    question = Question(id="b", question="number?", evidence=["**Access coordinator: Tom Ashworth, 01632 960 427**"])
    assert expected_items_in("Contacts\n\nAccess coordinator: Tom Ashworth, 01632 960 427\n", "a.md", question) == {0}
    assert expected_items_in("Access coordinator: Tom Ashworth, 01632 960 428", "a.md", question) == set()
    label = Question(id="l", question="when?", evidence=["**Zone B:** Monday to Friday"])
    assert expected_items_in("Zone B: Monday to Friday, 8am to 6pm", "a.md", label) == {0}


def test_a_list_item_given_as_evidence_is_found_as_it_reads() -> None:
    # A Markdown item's marker is markup: a contact list is indexed without it.
    question = Question(id="p", question="number?", evidence=["- Phone: 0161 496 0732 (staffed Tuesday to Saturday)"])
    assert expected_items_in(
        "Email: a@b.org\nPhone: 0161 496 0732 (staffed Tuesday to Saturday)\n", "a.md", question
    ) == {0}
    assert expected_items_in("- Phone: 0161 496 0732 (staffed Tuesday to Saturday)", "a.md", question) == {0}
    assert expected_items_in("Phone: 0161 496 0733 (staffed Tuesday to Saturday)", "a.md", question) == set()
    numbered = Question(id="n", question="first?", evidence=["1. Weigh your work"])
    assert expected_items_in("Weigh your work on the scale.", "a.md", numbered) == {0}
    # A hyphen inside a line is a character of it: "10:00 - 16:00" is no item.
    dash = Question(id="d", question="when?", evidence=["open 10:00 - 16:00"])
    assert expected_items_in("open 10:00 16:00", "a.md", dash) == set()


def test_a_table_row_given_as_evidence_is_found_in_the_row_as_indexed() -> None:
    # A Markdown row's pipes are markup: indexed, its cells are parted by tabs.
    question = Question(id="t", question="fine?", evidence=["| DVDs and Blu-ray discs | 1 week | 50p |"])
    assert expected_items_in("Item\tLoan period\nDVDs and Blu-ray discs\t1 week\t50p\n", "a.md", question) == {0}
    assert expected_items_in("DVDs and Blu-ray discs\t2 weeks\t50p", "a.md", question) == set()
    # A pipe inside a command stays a character of it.
    command = Question(id="c", question="which?", evidence=['"systemctl status $unit|$PID|$device"'])
    assert expected_items_in('Run "systemctl status $unit|$PID|$device".', "r.html", command) == {0}
