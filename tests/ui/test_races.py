"""Uploads and deletes while questions are answered, from real concurrent clients on
keep-alive connections to the served app: every question is answered, no request gets
a 500 and no connection drops (issue 11, defect 2); a write may only be told, with a
503 and ``Retry-After``, that the other writer holds the lock. Chunks vanish between a
search and the read of their passages, and the keyword index swaps in updated
snapshots under running searches."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest

from assistant.settings import Settings

from ..conftest import CORPUS
from .conftest import Served, serve

SECONDS = 8
QUESTIONS = [
    "How much power will the Khavda solar park produce?",
    "Which port handles the liquefied gas cargoes?",
    "Which senator from Tennessee did the ambassador meet?",
    "What did the railway report say about freight corridors?",
]


def document(writer: int, round_: int) -> bytes:
    """A file with several passages whose text changes every round, so each upload
    replaces every chunk of the last one (new ids, old ones deleted)."""
    paragraphs = [
        f"The Khavda solar park in Gujarat will produce {30 + round_} GW of power by 2029, report {writer}.",
        f"The port of Kochi handles {round_} liquefied gas cargoes a month for writer {writer}.",
        f"The railway report {round_} says freight corridors cut transit times by {writer + 10} per cent.",
    ]
    body = "\n\n".join(f"## Part {i}\n\n{p} " + " ".join([p] * 6) for i, p in enumerate(paragraphs * 3))
    return f"# Race {writer}\n\n{body}\n".encode()


@pytest.fixture(scope="module")
def busy(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[Served]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("races"), corpus_dir=CORPUS)
    yield from serve(settings, embedder, ingest=True)


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: Counter[tuple[str, int]] = Counter()
        self.problems: list[str] = []

    def record(self, route: str, response: httpx.Response) -> None:
        # The one 5xx allowed: a write refused because the other writer holds the lock.
        busy = (
            route != "ask" and response.status_code == 503 and "retry-after" in response.headers
            and response.json()["error"]["code"] == "ingest_in_progress"
        )  # fmt: skip
        with self.lock:
            self.statuses[(route, response.status_code)] += 1
            if response.status_code >= 500 and not busy:
                self.problems.append(f"{route} {response.status_code}: {response.text[:200]}")

    def dropped(self, route: str, err: Exception) -> None:
        with self.lock:
            self.problems.append(f"{route} dropped: {type(err).__name__}: {err}")


def asker(url: str, deadline: float, tally: Tally, offset: int) -> None:
    with httpx.Client(base_url=url, timeout=60) as client:  # one keep-alive connection per client
        turn = offset
        while time.monotonic() < deadline:
            try:
                response = client.post("/v1/ask", json={"question": QUESTIONS[turn % len(QUESTIONS)]})
                tally.record("ask", response)
            except httpx.TransportError as err:
                tally.dropped("ask", err)
            turn += 1


def writer(url: str, deadline: float, tally: Tally, number: int) -> None:
    with httpx.Client(base_url=url, timeout=60) as client:
        round_ = 0
        while time.monotonic() < deadline:
            round_ += 1
            try:
                name = f"race-{number}.md"
                response = client.post(  # waited for: the job writes while the questions go on
                    "/v1/documents?wait=true", files=[("files", (name, document(number, round_), "text/markdown"))]
                )
                tally.record("upload", response)
                if response.status_code != 200 or round_ % 2:
                    continue  # every other round the next upload replaces this one instead
                listed = client.get("/v1/documents").json()["documents"]
                ids = [d["id"] for d in listed if d["source"].endswith(name)]
                for document_id in ids:
                    tally.record("delete", client.delete(f"/v1/documents/{document_id}"))
            except httpx.TransportError as err:
                tally.dropped("write", err)


def test_writes_during_questions_give_no_500_and_drop_no_connection(busy: Served) -> None:
    tally = Tally()
    deadline = time.monotonic() + SECONDS
    threads = [threading.Thread(target=asker, args=(busy.url, deadline, tally, i)) for i in range(6)]
    threads += [threading.Thread(target=writer, args=(busy.url, deadline, tally, i)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=SECONDS + 120)
    assert tally.problems == []
    assert {status for (route, status) in tally.statuses if route == "ask"} == {200}, tally.statuses
    assert {status for (_, status) in tally.statuses} <= {200, 503}, tally.statuses
    assert tally.statuses[("ask", 200)] > 20 and tally.statuses[("upload", 200)] >= 2
