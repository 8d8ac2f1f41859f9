"""The CLI beside a running `assistant serve`: questions go through that server's API.

An embedded index has one owner. While `assistant serve` owns it, `assistant ask`,
`chat`, `eval` and `ingest` find the server from a note it leaves beside the index lock
(``server.json``: its URL, pid and a token) and go through its API, so the README's
commands work with `make run` up. Ingesting paths on the server's disk needs the token:
only a process that can read the data folder has it. The note is removed when the server stops; one left by a killed
server is ignored, since its pid is gone or its URL does not answer.

    >>> server = RunningServer.find(settings)
    >>> server.ask("Which senator from Tennessee did the ambassador meet?").answer
    '[Ambassador Kwatra] also engaged with Senator Bill Hagerty ... [1].'
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import httpx

from assistant.answer import Answer
from assistant.conversation import Turn
from assistant.evaluation import Question
from assistant.settings import Settings
from core.errors import AssistantError
from ingest.pipeline import IngestReport

NOTE = "server.json"
LOCAL_HEADER = "X-Assistant-Local"
# The API's own limit on one evaluation request.
MAX_EVAL_QUESTIONS = 500


def _note(settings: Settings) -> Path:
    return settings.index_dir / NOTE


def announce(settings: Settings, host: str, port: int, token: str) -> None:
    """Leave the note for CLI commands started while this process serves the index;
    ``token`` lets them have it ingest paths on this machine's disk."""
    local = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    shown = f"[{local}]" if ":" in local else local
    note = {"url": f"http://{shown}:{port}", "pid": os.getpid(), "token": token}
    path = _note(settings)
    path.touch(mode=0o600)
    path.write_text(json.dumps(note), encoding="utf-8")


def withdraw(settings: Settings) -> None:
    _note(settings).unlink(missing_ok=True)


@dataclass
class RunningServer:
    url: str
    pid: int
    api_key: str | None = None
    token: str = ""
    collection: str = "default"

    @classmethod
    def find(cls, settings: Settings) -> RunningServer | None:
        """The server that holds the index, if the note names one that is alive and answers."""
        try:
            note = json.loads(_note(settings).read_text(encoding="utf-8"))
            url, pid, token = str(note["url"]), int(note["pid"]), str(note.get("token", ""))
            os.kill(pid, 0)  # raises when no such process is left
            alive = httpx.get(f"{url}/healthz", timeout=2.0).status_code == 200
        except (OSError, ValueError, KeyError, TypeError, httpx.HTTPError):
            return None
        key = settings.api_keys[0] if settings.api_keys else None
        return cls(url, pid, key, token) if alive else None

    @property
    def assistant(self) -> RunningServer:
        """The server answers as the local assistant would (``ask`` has the same shape)."""
        return self

    def close(self) -> None:
        """Nothing is held here: the server keeps the index."""

    def in_collection(self, name: str) -> RunningServer:
        """The same server, asked about collection ``name``."""
        return replace(self, collection=name)

    def ask(self, question: str, history: Sequence[Turn] = (), top_k: int | None = None) -> Answer:
        body = {"question": question, "history": [t.model_dump() for t in history], "top_k": top_k,
                "collection": self.collection}  # fmt: skip
        return Answer.model_validate(self._post("/v1/ask", body))

    def ingest(self, paths: list[Path]) -> IngestReport:
        """The server ingests ``paths`` (made absolute here) from this machine's disk into
        the collection, which it creates when missing."""
        body = {"paths": [str(p.resolve()) for p in paths], "collection": self.collection}
        summary = self._post("/v1/ingest", body, timeout=None, headers={LOCAL_HEADER: self.token})
        return IngestReport(**summary)

    def collections(self) -> list[dict[str, Any]]:
        """Every collection the server has (that this key may read), with its counts."""
        listed = self._request("GET", "/v1/collections")["data"]
        return [{"name": c["name"], "documents": c["documents"], "chunks": c["chunks"]} for c in listed]

    def create_collection(self, name: str) -> None:
        self._post("/v1/collections", {"name": name})

    def delete_collection(self, name: str) -> dict[str, Any]:
        deleted = self._request("DELETE", f"/v1/collections/{name}")
        return {"name": deleted["name"], "documents": deleted["documents"], "chunks": deleted["chunks"]}

    def evaluate(self, questions: list[Question], top_k: int | None) -> dict[str, Any]:
        """The server's ``POST /v1/eval`` on ``questions``: results.json's content."""
        if len(questions) > MAX_EVAL_QUESTIONS:
            raise AssistantError(
                f"The set has {len(questions)} questions; the running server scores at most {MAX_EVAL_QUESTIONS} "
                "at a time. Stop the server and run `assistant eval` again to score it here."
            )
        items = [{**asdict(q), "history": [t.model_dump() for t in q.history]} for q in questions]
        body = {"questions": items, "top_k": top_k, "collection": self.collection}
        result: dict[str, Any] = self._post("/v1/eval", body, timeout=None)
        return result

    def _post(
        self, path: str, body: dict[str, Any], timeout: float | None = 120.0, headers: dict[str, str] | None = None
    ) -> Any:
        return self._request("POST", path, body, timeout, headers)

    def _request(self, method: str, path: str, body: dict[str, Any] | None = None, timeout: float | None = 120.0,
                 headers: dict[str, str] | None = None) -> Any:  # fmt: skip
        headers = {**(headers or {}), **({"Authorization": f"Bearer {self.api_key}"} if self.api_key else {})}
        try:
            response = httpx.request(method, f"{self.url}{path}", json=body, headers=headers, timeout=timeout)
        except httpx.HTTPError as err:
            raise AssistantError(f"The server at {self.url} did not answer ({type(err).__name__}).") from None
        if response.status_code not in (200, 201):
            try:
                message = response.json()["error"]["message"]
            except (ValueError, KeyError, TypeError):
                message = f"HTTP {response.status_code}"
            raise AssistantError(f"The server at {self.url} said: {message}")
        return response.json()
