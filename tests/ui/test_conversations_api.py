"""Saved conversations and feedback through the served app (uvicorn on 127.0.0.1, real
Chroma, the real model), with three keys: two that write `default` and one that reads
only `hr`. A key never reads, lists, renames, deletes, continues or rates another key's
conversation: it is the same 404 as one that does not exist."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from assistant.settings import Settings

from ..conftest import CORPUS
from .conftest import Served, serve

ALICE, BOB, HR = "alice-key-1", "bob-key-2", "hr-reader-3"
AMBASSADOR = "Who is India's ambassador to the U.S.?"
FOLLOW_UP = "Which senator from Tennessee did he meet?"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("conversations-api")
    keys = folder / "keys.json"
    keys.write_text(json.dumps({ALICE: {"write": ["default"]}, BOB: {"write": ["default"]}, HR: {"read": ["hr"]}}))
    settings = Settings(data_dir=folder / "data", corpus_dir=CORPUS, api_keys_file=keys)
    for served in serve(settings, embedder, ingest=True):
        served.services.collections.create("hr")
        yield served


def call(app: Served, key: str, method: str, path: str, **options) -> httpx.Response:
    return httpx.request(method, f"{app.url}{path}", headers={"Authorization": f"Bearer {key}"}, timeout=60,
                         **options)  # fmt: skip


def ask(app: Served, key: str, question: str, **fields) -> httpx.Response:
    return call(app, key, "POST", "/v1/ask", json={"question": question, **fields})


def error(message: str, code: str, param: str | None = None) -> dict:
    return {"error": {"message": message, "type": "invalid_request_error", "code": code, "param": param}}


def no_conversation(conversation: str) -> dict:
    return error(f"No conversation has the id {conversation!r}; GET /v1/conversations lists yours.",
                 "conversation_not_found")  # fmt: skip


def without_saving(answer: dict) -> dict:
    return {k: v for k, v in answer.items() if k not in ("conversation_id", "turn", "timings_ms")}


@pytest.fixture(scope="module")
def alices(app: Served) -> dict:
    """Alice's conversation: a question, then a follow-up that needs it."""
    first = ask(app, ALICE, AMBASSADOR, conversation_id="new")
    assert first.status_code == 200, first.text
    second = ask(app, ALICE, FOLLOW_UP, conversation_id=first.json()["conversation_id"])
    assert second.status_code == 200, second.text
    return {"id": first.json()["conversation_id"], "answers": [first.json(), second.json()]}


def test_a_saved_conversation_answers_as_if_its_turns_were_sent_as_history(app: Served, alices: dict) -> None:
    first, second = alices["answers"]
    assert (first["conversation_id"], first["turn"], second["conversation_id"], second["turn"]) == (
        alices["id"], 0, alices["id"], 1)  # fmt: skip
    history = [{"role": "user", "content": AMBASSADOR}, {"role": "assistant", "content": first["answer"]}]
    unsaved = ask(app, ALICE, FOLLOW_UP, history=history).json()
    assert "conversation_id" not in unsaved and "turn" not in unsaved
    assert without_saving(second) == without_saving(unsaved)
    assert "Hagerty" in second["answer"] and second["query"] != FOLLOW_UP


def test_the_conversation_holds_every_turn_with_its_answer_and_citations(app: Served, alices: dict) -> None:
    got = call(app, ALICE, "GET", f"/v1/conversations/{alices['id']}")
    assert got.status_code == 200
    body = got.json()
    assert (body["id"], body["object"], body["collection"], body["title"]) == (
        alices["id"], "conversation", "default", AMBASSADOR)  # fmt: skip
    assert [(t["turn"], t["question"], t["feedback"]) for t in body["turns"]] == [
        (0, AMBASSADOR, None), (1, FOLLOW_UP, None)]  # fmt: skip
    for turn, answered in zip(body["turns"], alices["answers"], strict=True):
        assert turn["answer"] == {k: v for k, v in answered.items() if k not in ("conversation_id", "turn")}
        assert turn["answer"]["citations"] and turn["answer"]["citations"][0]["text"]


def test_the_list_is_the_keys_own_most_recently_used_first(app: Served, alices: dict) -> None:
    later = ask(app, ALICE, "How many rounds of trade negotiations are done?", conversation_id="new").json()
    listed = call(app, ALICE, "GET", "/v1/conversations").json()
    assert listed["object"] == "list"
    ids = [c["id"] for c in listed["data"]]
    assert ids[:2] == [later["conversation_id"], alices["id"]]
    assert {k: v for k, v in listed["data"][1].items() if k not in ("created", "updated")} == {
        "id": alices["id"], "object": "conversation", "collection": "default", "title": AMBASSADOR, "turns": 2}  # fmt: skip
    assert [c["id"] for c in call(app, ALICE, "GET", "/v1/conversations?collection=hr").json()["data"]] == []
    assert alices["id"] not in [c["id"] for c in call(app, BOB, "GET", "/v1/conversations").json()["data"]]
    call(app, ALICE, "DELETE", f"/v1/conversations/{later['conversation_id']}")


def test_an_answer_without_conversation_id_is_not_saved(app: Served) -> None:
    before = call(app, BOB, "GET", "/v1/conversations").json()["data"]
    answer = ask(app, BOB, AMBASSADOR)
    assert answer.status_code == 200 and "conversation_id" not in answer.json() and "turn" not in answer.json()
    assert call(app, BOB, "GET", "/v1/conversations").json()["data"] == before


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/v1/conversations/{id}", None),
        ("PATCH", "/v1/conversations/{id}", {"title": "Mine now"}),
        ("DELETE", "/v1/conversations/{id}", None),
        ("POST", "/v1/feedback", {"conversation_id": "{id}", "turn": 0, "rating": "down"}),
        ("POST", "/v1/ask", {"question": FOLLOW_UP, "conversation_id": "{id}"}),
    ],
    ids=["read", "rename", "delete", "rate", "continue"],
)
@pytest.mark.parametrize("key", [BOB, HR], ids=["other-writer", "other-collection"])
def test_another_key_gets_the_404_of_a_missing_conversation(
    app: Served, alices: dict, key: str, method: str, path: str, body: dict | None
) -> None:
    sent = json.loads(json.dumps(body).replace("{id}", alices["id"])) if body else None
    refused = call(app, key, method, path.replace("{id}", alices["id"]), json=sent)
    assert (refused.status_code, refused.json()) == (404, no_conversation(alices["id"]))
    missing = call(app, ALICE, method, path.replace("{id}", "0123456789abcdef"),
                   json=json.loads(json.dumps(body).replace("{id}", "0123456789abcdef")) if body else None)  # fmt: skip
    assert (missing.status_code, missing.json()) == (404, no_conversation("0123456789abcdef"))
    kept = call(app, ALICE, "GET", f"/v1/conversations/{alices['id']}").json()
    assert (kept["title"], len(kept["turns"]), kept["turns"][0]["feedback"]) == (AMBASSADOR, 2, None)


def test_rename_then_delete(app: Served) -> None:
    started = ask(app, BOB, AMBASSADOR, conversation_id="new").json()["conversation_id"]
    renamed = call(app, BOB, "PATCH", f"/v1/conversations/{started}", json={"title": "  Ambassador  "})
    assert (renamed.status_code, renamed.json()["title"], renamed.json()["turns"]) == (200, "Ambassador", 1)
    blank = call(app, BOB, "PATCH", f"/v1/conversations/{started}", json={"title": "   "})
    assert (blank.status_code, blank.json()["error"]["message"]) == (
        422, "Invalid request: title: String should have at least 1 character")  # fmt: skip
    deleted = call(app, BOB, "DELETE", f"/v1/conversations/{started}")
    assert (deleted.status_code, deleted.json()["id"], deleted.json()["title"]) == (200, started, "Ambassador")
    gone = call(app, BOB, "GET", f"/v1/conversations/{started}")
    assert (gone.status_code, gone.json()) == (404, no_conversation(started))
    again = ask(app, BOB, FOLLOW_UP, conversation_id=started)
    assert (again.status_code, again.json()) == (404, no_conversation(started))


def test_feedback_is_stored_with_the_turn(app: Served) -> None:
    started = ask(app, BOB, AMBASSADOR, conversation_id="new").json()["conversation_id"]
    rated = call(app, BOB, "POST", "/v1/feedback",
                 json={"conversation_id": started, "turn": 0, "rating": "down", "comment": "Too long"})  # fmt: skip
    assert (rated.status_code, rated.json()) == (200, {"object": "feedback", "conversation_id": started, "turn": 0,
                                                       "rating": "down", "comment": "Too long"})  # fmt: skip
    call(app, BOB, "POST", "/v1/feedback", json={"conversation_id": started, "turn": 0, "rating": "up"})
    feedback = call(app, BOB, "GET", f"/v1/conversations/{started}").json()["turns"][0]["feedback"]
    assert (feedback["rating"], feedback["comment"]) == ("up", None)
    past = call(app, BOB, "POST", "/v1/feedback", json={"conversation_id": started, "turn": 1, "rating": "up"})
    assert (past.status_code, past.json()) == (404, error(
        f"The conversation {started!r} has no turn 1; its turns are numbered 0 to 0.", "turn_not_found"))  # fmt: skip
    bad = call(app, BOB, "POST", "/v1/feedback", json={"conversation_id": started, "turn": 0, "rating": "meh"})
    assert (bad.status_code, bad.json()["error"]["message"]) == (
        422, "Invalid request: rating: Input should be 'up' or 'down'")  # fmt: skip
    # A turn past what SQLite's integers hold is refused as any bad number is, not a 500.
    huge = call(app, BOB, "POST", "/v1/feedback", json={"conversation_id": started, "turn": 2**63, "rating": "up"})
    assert (huge.status_code, huge.json()["error"]["message"]) == (
        422, "Invalid request: turn: Input should be less than or equal to 1000000")  # fmt: skip


def test_a_conversation_takes_no_history_and_keeps_its_collection(app: Served, alices: dict) -> None:
    both = ask(app, ALICE, FOLLOW_UP, conversation_id=alices["id"], history=[{"role": "user", "content": "Hi"}])
    assert (both.status_code, both.json()) == (422, error(
        "Send history or conversation_id, not both: a saved conversation's turns are its history.",
        "invalid_request", "history"))  # fmt: skip
    elsewhere = ask(app, ALICE, FOLLOW_UP, conversation_id=alices["id"], collection="hr")
    assert (elsewhere.status_code, elsewhere.json()) == (422, error(
        f"The conversation {alices['id']!r} answers from the collection 'default'; leave collection out, or start "
        "a new conversation.", "invalid_request", "collection"))  # fmt: skip
    not_readable = ask(app, HR, AMBASSADOR, conversation_id="new")
    assert (not_readable.status_code, not_readable.json()["error"]["code"]) == (404, "collection_not_found")
    assert call(app, HR, "GET", "/v1/conversations").json() == {"object": "list", "data": []}


def test_the_store_keeps_a_hash_of_each_key_never_the_key(app: Served, alices: dict) -> None:
    data = app.services.settings.data_dir
    raw = b"".join(p.read_bytes() for p in data.glob("conversations.sqlite3*"))  # the file and its write-ahead log
    assert AMBASSADOR.encode() in raw
    assert ALICE.encode() not in raw and BOB.encode() not in raw
    owners = {row[0] for row in app.services.conversations._db.execute("SELECT owner FROM conversations")}
    assert owners and all(o.startswith("key:") and len(o) == 36 for o in owners)
