"""Saved conversations in SQLite: turns with their answers, per owner, across reopening
and a kill -9 of the process writing them."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from assistant.answer import Answer, Citation
from assistant.conversation import Turn
from assistant.conversation_store import CONVERSATIONS_FILE, ConversationStore, title_of
from core.errors import UnknownConversationError, UnknownTurnError

ALICE, BOB = "key:alice", "key:bob"
ROOT = Path(__file__).resolve().parents[2]


def answer(text: str, source: str = "data/corpus/a.txt") -> Answer:
    passage = f"Intro. {text.split(' [')[0]}. More."
    citation = Citation(id=1, source=source, title="A", chunk_id="c1", text=passage, start=0, end=len(passage),
                        score=0.5)  # fmt: skip
    return Answer(answer=text, citations=[citation], query=text)


@pytest.fixture
def store(tmp_path: Path) -> ConversationStore:
    return ConversationStore(tmp_path / CONVERSATIONS_FILE)


def test_a_conversation_keeps_its_turns_answers_and_citations_in_order(store: ConversationStore) -> None:
    first = store.add_turn(ALICE, None, "default", "Who is  the ambassador?", answer("Kwatra is [1]."))
    assert (first.title, first.collection, first.turn_count) == ("Who is the ambassador?", "default", 1)
    second = store.add_turn(ALICE, first.id, "default", "Whom did he meet?", answer("He met Danly [1]."))
    assert second.id == first.id and second.turn_count == 2
    assert [(t.number, t.question, t.answer.answer) for t in second.turns] == [
        (0, "Who is  the ambassador?", "Kwatra is [1]."), (1, "Whom did he meet?", "He met Danly [1].")]  # fmt: skip
    assert second.turns[1].answer.citations[0].text == "Intro. He met Danly. More."
    assert second.history() == [
        Turn(role="user", content="Who is  the ambassador?"), Turn(role="assistant", content="Kwatra is [1]."),
        Turn(role="user", content="Whom did he meet?"), Turn(role="assistant", content="He met Danly [1]."),
    ]  # fmt: skip


def test_the_list_is_the_owners_own_most_recently_used_first(store: ConversationStore) -> None:
    older = store.add_turn(ALICE, None, "default", "First?", answer("One [1]."))
    newer = store.add_turn(ALICE, None, "hr", "Second?", answer("Two [1]."))
    store.add_turn(BOB, None, "default", "Bob's?", answer("Three [1]."))
    assert [c.id for c in store.owned_by(ALICE)] == [newer.id, older.id]
    store.add_turn(ALICE, older.id, "default", "Again?", answer("Four [1]."))
    assert [(c.id, c.turn_count) for c in store.owned_by(ALICE)] == [(older.id, 2), (newer.id, 1)]
    assert [c.title for c in store.owned_by(BOB)] == ["Bob's?"]


def test_another_owner_cannot_read_rename_delete_rate_or_continue_it(store: ConversationStore) -> None:
    mine = store.add_turn(ALICE, None, "default", "Mine?", answer("Yes [1]."))
    message = f"No conversation has the id {mine.id!r}; GET /v1/conversations lists yours."
    for attempt in (
        lambda: store.get(BOB, mine.id),
        lambda: store.rename(BOB, mine.id, "stolen"),
        lambda: store.delete(BOB, mine.id),
        lambda: store.rate(BOB, mine.id, 0, "down", None),
        lambda: store.add_turn(BOB, mine.id, "default", "Mine now?", answer("No [1].")),
    ):
        with pytest.raises(UnknownConversationError) as refused:
            attempt()
        assert str(refused.value) == message
    assert store.get(ALICE, mine.id).turn_count == 1 and store.get(ALICE, mine.id).title == "Mine?"


def test_rename_delete_and_feedback(store: ConversationStore) -> None:
    saved = store.add_turn(ALICE, None, "default", "Q?", answer("A [1]."))
    assert store.rename(ALICE, saved.id, "Trade talks").title == "Trade talks"
    rated = store.rate(ALICE, saved.id, 0, "down", "Wrong person")
    assert (rated.feedback.rating, rated.feedback.comment) == ("down", "Wrong person")  # type: ignore[union-attr]
    assert store.rate(ALICE, saved.id, 0, "up", "").feedback.comment is None  # type: ignore[union-attr]
    with pytest.raises(UnknownTurnError) as refused:
        store.rate(ALICE, saved.id, 3, "up", None)
    assert str(refused.value) == f"The conversation {saved.id!r} has no turn 3; its turns are numbered 0 to 0."
    assert store.delete(ALICE, saved.id).title == "Trade talks"
    assert store.owned_by(ALICE) == []
    with pytest.raises(UnknownConversationError):
        store.get(ALICE, saved.id)


def test_rated_turns_come_with_what_was_said_before_them(store: ConversationStore) -> None:
    saved = store.add_turn(ALICE, None, "default", "Q1?", answer("A1 [1]."))
    store.add_turn(ALICE, saved.id, "default", "Q2?", answer("A2 [1]."))
    store.add_turn(BOB, None, "hr", "Q3?", answer("A3 [1]."))
    store.rate(ALICE, saved.id, 1, "up", None)
    store.rate(ALICE, saved.id, 0, "down", "vague")
    rated = store.rated("default")
    assert [(r.turn.number, r.turn.feedback.rating, [e.question for e in r.earlier]) for r in rated] == [  # type: ignore[union-attr]
        (0, "down", []), (1, "up", ["Q1?"])]  # fmt: skip
    assert [r.turn.number for r in store.rated("default", "up")] == [1]
    assert store.rated("hr") == []
    assert [r.turn.number for r in store.rated("default", owner=BOB)] == []
    assert [r.turn.number for r in store.rated("default", owner=ALICE)] == [0, 1]


def test_a_title_is_the_first_question_cut_at_a_word() -> None:
    long = "How many rounds of trade negotiations between India and the United States have been completed so far?"
    assert title_of(long) == "How many rounds of trade negotiations between India and the United States have…"
    assert title_of("  Who\n is he? ") == "Who is he?"


def test_a_sign_in_name_stays_with_the_first_key(store: ConversationStore) -> None:
    assert store.sign_in("ana", ALICE) is True
    assert store.sign_in("ana", ALICE) is True
    assert store.sign_in("ana", BOB) is False
    assert (store.owner_of("ana"), store.owner_of("nobody")) == (ALICE, None)


def test_a_kill_9_loses_nothing_already_saved(tmp_path: Path) -> None:
    """A process saving turns as fast as it can, killed mid-stream: every turn it reported
    saved is there when the file is opened again, and the file is sound."""
    path = tmp_path / CONVERSATIONS_FILE
    writer = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from assistant.answer import Answer
        from assistant.conversation_store import ConversationStore
        store = ConversationStore(Path({str(path)!r}))
        saved = None
        for n in range(100000):
            saved = store.add_turn("key:alice", saved and saved.id, "default", f"Q{{n}}?", Answer(answer=f"A{{n}}"))
            print(saved.id, n, flush=True)
    """)
    process = subprocess.Popen([sys.executable, "-c", writer], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    reported = [process.stdout.readline().split() for _ in range(40)]
    process.send_signal(signal.SIGKILL)
    process.wait()
    conversation, last = reported[-1][0], int(reported[-1][1])
    reopened = ConversationStore(path)
    turns = reopened.get("key:alice", conversation).turns
    assert len(turns) >= last + 1
    assert [t.question for t in turns[: last + 1]] == [f"Q{n}?" for n in range(last + 1)]
    assert reopened._db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_turns_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / CONVERSATIONS_FILE
    first = ConversationStore(path)
    saved = first.add_turn(ALICE, None, "default", "Q?", answer("A [1]."))
    first.close()
    again = ConversationStore(path)
    assert again.get(ALICE, saved.id).turns[0].answer == answer("A [1].")


def test_each_client_continuing_one_conversation_is_told_the_number_of_its_own_turn(tmp_path: Path) -> None:
    # Two stores on one file are two workers; each answer's `turn` is what its feedback names.
    stores = [ConversationStore(tmp_path / CONVERSATIONS_FILE) for _ in range(2)]
    started = stores[0].add_turn(ALICE, None, "default", "Q0?", answer("A0 [1]."))
    barrier = threading.Barrier(8)

    def add(n: int) -> tuple[str, int, str]:
        barrier.wait()
        saved = stores[n % 2].add_turn(ALICE, started.id, "default", f"Q{n}?", answer(f"A{n} [1]."))
        return f"Q{n}?", saved.turn_count, saved.turns[saved.turn_count - 1].question

    wrong = []
    for _ in range(15):
        with ThreadPoolExecutor(8) as pool:
            wrong += [got for got in pool.map(add, range(1, 9)) if got[0] != got[2]]
    assert wrong == []
    assert stores[0].get(ALICE, started.id).turn_count == 1 + 15 * 8
