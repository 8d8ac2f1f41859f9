"""Saved conversations with a real `assistant serve`: they survive a restart and a
kill -9 (every answered turn is there, and the conversation goes on from it), and the
answers rated up, exported with `assistant feedback export`, pass `assistant eval` as
they are."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from ..conftest import CORPUS
from ..helpers import free_port, run_cli, start_serve

AMBASSADOR = "Who is India's ambassador to the U.S.?"
FOLLOW_UP = "Which senator from Tennessee did he meet?"
UNANSWERABLE = "What is the boiling point of mercury?"
SOURCE = "corpus/india-us-cooperation-trade-energy-defence.txt"


@dataclass
class Server:
    folder: Path
    port: int
    process: subprocess.Popen[str] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = start_serve(self.folder, self.port)

    def stop(self, kill: bool = False) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        self.process.communicate(timeout=60)
        self.process = None

    def ask(self, question: str, conversation: str, history: list | None = None) -> dict:
        body = {"question": question, "conversation_id": conversation} if history is None else \
            {"question": question, "history": history}  # fmt: skip
        reply = httpx.post(f"{self.url}/v1/ask", json=body, timeout=60)
        assert reply.status_code == 200, reply.text
        return reply.json()

    def get(self, path: str) -> httpx.Response:
        return httpx.get(f"{self.url}{path}", timeout=30)

    def rate(self, conversation: str, turn: int, rating: str, comment: str | None = None) -> None:
        body = {"conversation_id": conversation, "turn": turn, "rating": rating, "comment": comment}
        assert httpx.post(f"{self.url}/v1/feedback", json=body, timeout=30).status_code == 200


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("conversations-served")
    shutil.copytree(CORPUS, folder / "corpus")
    assert run_cli("ingest", "corpus", data_dir=folder / "data", cwd=folder).returncode == 0
    started = Server(folder, free_port())
    started.start()
    yield started
    if started.process is not None:
        started.stop()


@pytest.fixture(scope="module")
def talk(server: Server) -> dict:
    """A conversation of two turns, both rated up; another with a declined answer rated
    up and a follow-up rated down with a comment."""
    first = server.ask(AMBASSADOR, "new")
    second = server.ask(FOLLOW_UP, first["conversation_id"])
    server.rate(first["conversation_id"], 0, "up")
    server.rate(first["conversation_id"], 1, "up", "Exactly the senator")
    declined = server.ask(UNANSWERABLE, "new")
    assert declined["abstained"] is True
    wrong = server.ask("And who did he meet about energy?", declined["conversation_id"])
    server.rate(declined["conversation_id"], 0, "up")
    server.rate(declined["conversation_id"], 1, "down", "Should have said it is not in the documents")
    return {"id": first["conversation_id"], "answers": [first, second], "other": declined["conversation_id"],
            "wrong": wrong}  # fmt: skip


def saved(answer: dict) -> dict:
    return {k: v for k, v in answer.items() if k not in ("conversation_id", "turn")}


def test_conversations_survive_a_restart_and_a_kill_9(server: Server, talk: dict) -> None:
    before = server.get(f"/v1/conversations/{talk['id']}").json()
    listed = server.get("/v1/conversations").json()["data"]
    server.stop()
    server.start()
    assert server.get(f"/v1/conversations/{talk['id']}").json() == before
    assert server.get("/v1/conversations").json()["data"] == listed
    assert [saved(a) for a in talk["answers"]] == [t["answer"] for t in before["turns"]]

    # The conversation goes on from its saved turns, as if they had been sent as history.
    third = server.ask("What tariff did the U.S. impose on some Indian exports?", talk["id"])
    assert (third["conversation_id"], third["turn"]) == (talk["id"], 2)
    server.stop(kill=True)  # the moment the answer arrived: it was saved before it was sent
    server.start()
    after = server.get(f"/v1/conversations/{talk['id']}").json()
    assert [t["question"] for t in after["turns"]] == [AMBASSADOR, FOLLOW_UP,
                                                       "What tariff did the U.S. impose on some Indian exports?"]  # fmt: skip
    assert after["turns"][2]["answer"] == saved(third)
    assert [t["feedback"]["rating"] for t in after["turns"][:2]] == ["up", "up"]
    assert server.ask(FOLLOW_UP, talk["id"])["turn"] == 3
    assert (server.folder / "data" / "conversations.sqlite3").exists()


def test_liked_answers_exported_pass_assistant_eval_as_they_are(server: Server, talk: dict) -> None:
    folder = server.folder
    exported = run_cli("feedback", "export", "liked.jsonl", data_dir=folder / "data", cwd=folder)
    assert (exported.returncode, exported.stderr.strip()) == (
        0, "Wrote 3 answers rated up in 'default' to liked.jsonl; run it with `assistant eval liked.jsonl`.")  # fmt: skip
    items = [json.loads(line) for line in (folder / "liked.jsonl").read_text().splitlines()]
    first, second = talk["answers"]
    assert [i["id"] for i in items] == [f"{talk['id']}-0", f"{talk['id']}-1", f"{talk['other']}-0"]
    assert items[0] == {
        "id": f"{talk['id']}-0", "question": AMBASSADOR, "answer": first["answer"].replace(" [1]", ""),
        "evidence": items[0]["evidence"], "sources": [SOURCE], "comment": None, "collection": "default",
        "conversation_id": talk["id"], "turn": 0,
    }  # fmt: skip
    assert items[0]["evidence"] and all(e in first["citations"][0]["text"] for e in items[0]["evidence"])
    assert items[1]["history"] == [{"role": "user", "content": AMBASSADOR},
                                   {"role": "assistant", "content": first["answer"]}]  # fmt: skip
    assert (items[1]["question"], items[1]["comment"], items[1]["sources"]) == (FOLLOW_UP, "Exactly the senator",
                                                                                 [SOURCE])  # fmt: skip
    assert second["answer"].replace(" [1]", "") == items[1]["answer"]
    assert (items[2]["question"], items[2]["unanswerable"], "answer" in items[2]) == (UNANSWERABLE, True, False)

    evaluated = run_cli("eval", "liked.jsonl", "--json", "--out", "out", data_dir=folder / "data", cwd=folder,
                        timeout=300)  # fmt: skip
    assert evaluated.returncode == 0, evaluated.stderr
    summary = json.loads(evaluated.stdout)["summary"]
    assert (summary["questions"], summary["answerable"], summary["unanswerable"], summary["passed"]) == (3, 2, 1, 3)
    assert (summary["hit@k"], summary["evidence_cited"], summary["answer_contains"]) == (1.0, 1.0, 1.0)


def test_disliked_answers_are_exported_for_review_with_their_comments(server: Server, talk: dict) -> None:
    folder = server.folder
    exported = run_cli("feedback", "export", "--rating", "down", "review.jsonl", data_dir=folder / "data", cwd=folder)
    assert exported.returncode == 0, exported.stderr
    (item,) = [json.loads(line) for line in (folder / "review.jsonl").read_text().splitlines()]
    assert {k: v for k, v in item.items() if k != "history"} == {
        "id": f"{talk['other']}-1", "question": "And who did he meet about energy?", "rating": "down",
        "given_answer": talk["wrong"]["answer"], "given_sources": [c["source"] for c in talk["wrong"]["citations"]],
        "comment": "Should have said it is not in the documents", "collection": "default",
        "conversation_id": talk["other"], "turn": 1,
    }  # fmt: skip
    assert item["history"][0] == {"role": "user", "content": UNANSWERABLE}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--collection", "hr", "x.jsonl"], "Error: no answer in the collection 'hr' is rated up yet; rate answers on "
         "the chat page or with POST /v1/feedback first."),
        (["--collection", "HR", "x.jsonl"], "Error: 'HR' cannot name a collection: use 1-32 lowercase letters, "
         "digits and hyphens, starting and ending with a letter or digit (e.g. hr-handbook)."),
        (["--rating", "meh", "x.jsonl"], None),
    ],
    ids=["nothing-rated", "bad-name", "bad-rating"],
)  # fmt: skip
def test_an_export_with_nothing_to_write_says_why(server: Server, talk: dict, args: list[str],
                                                  message: str | None) -> None:  # fmt: skip
    result = run_cli("feedback", "export", *args, data_dir=server.folder / "data", cwd=server.folder)
    assert result.returncode != 0 and not (server.folder / "x.jsonl").exists()
    if message is not None:
        assert (result.returncode, result.stderr.strip()) == (1, message)
    else:
        assert result.returncode == 2 and "'meh' is not one of 'up', 'down'." in result.stderr
