"""A small OpenAI-compatible server for tests: real HTTP on 127.0.0.1, scripted replies.

It stands in for Ollama / vLLM / OpenAI (a seam the project does not own). Each test
sets ``stub.responder``, a function from the request body to a ``Reply``; every
request body is kept in ``stub.requests`` for assertions.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse

from .helpers import free_port


@dataclass
class Reply:
    content: str = ""
    status: int = 200
    delay_s: float = 0.0
    cut_after: int | None = None  # streaming: drop the connection after this many chunks
    malformed: bool = False  # streaming: send a chunk that is not JSON
    piece_delay_s: float = 0.0  # streaming: the pause before each word (a slow model)


def is_rewrite(body: dict[str, Any]) -> bool:
    return body["messages"][0]["content"].startswith("Rewrite the user's latest question")


def passages(body: dict[str, Any]) -> dict[int, str]:
    """The numbered passages in an answer request."""
    text = body["messages"][-1]["content"]
    return {int(n): t for n, t in re.findall(r'<passage id="(\d+)"[^>]*>\n(.*?)\n</passage>', text, re.S)}


def passage_with(body: dict[str, Any], needle: str) -> int:
    return next(n for n, t in passages(body).items() if needle in t)


@dataclass
class StubLLM:
    responder: Callable[[dict[str, Any]], Reply] = lambda body: Reply("I could not find the answer.")
    requests: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""
    sent: int = 0  # streamed pieces handed to the server so far: still counting means still read

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/v1/models")
        def models() -> dict[str, Any]:
            return {"object": "list", "data": [{"id": "stub", "object": "model"}]}

        @app.post("/v1/chat/completions")
        async def complete(request: Request) -> Any:
            body = await request.json()
            self.requests.append(body)
            reply = self.responder(body)
            if reply.delay_s:
                await asyncio.sleep(reply.delay_s)
            if reply.status != 200:
                return JSONResponse({"error": {"message": "scripted failure", "type": "server_error"}}, reply.status)
            if body.get("stream"):
                return StreamingResponse(self._events(reply), media_type="text/event-stream")
            return {
                "id": "chatcmpl-stub", "object": "chat.completion", "created": int(time.time()), "model": "stub",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": reply.content},
                             "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            }  # fmt: skip

        return app

    def _events(self, reply: Reply) -> Iterator[str]:
        def chunk(delta: dict[str, Any], finish: str | None = None) -> str:
            body = {"id": "chatcmpl-stub", "object": "chat.completion.chunk", "created": 0, "model": "stub",
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}  # fmt: skip
            return f"data: {json.dumps(body)}\n\n"

        yield chunk({"role": "assistant", "content": ""})
        for n, piece in enumerate(re.findall(r"\S+\s*", reply.content)):
            if reply.cut_after is not None and n >= reply.cut_after:
                raise ConnectionAbortedError("scripted cut")  # uvicorn drops the connection mid-body
            if reply.malformed and n == 2:
                yield "data: {this is not json\n\n"
            time.sleep(reply.piece_delay_s)
            self.sent += 1
            yield chunk({"content": piece})
        yield chunk({}, "stop")
        yield "data: [DONE]\n\n"

    def start(self) -> StubLLM:
        port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(self.app(), host="127.0.0.1", port=port, log_level="critical"))
        threading.Thread(target=self.server.run, daemon=True).start()
        while not self.server.started:
            time.sleep(0.02)
        self.url = f"http://127.0.0.1:{port}/v1"
        return self

    def stop(self) -> None:
        self.server.should_exit = True
