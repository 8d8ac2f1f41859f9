"""A language model behind any OpenAI-compatible server (Ollama, vLLM, llama.cpp, OpenAI).

LangChain's ``ChatOpenAI`` does the talking, composed with the prompts in LCEL chains.
Every failure (unreachable, timeout, an error status, a malformed or cut stream)
becomes ``LLMUnavailableError`` with a one-line reason, so the assistant can fall
back to its extractive answer instead of failing the request.

    >>> model = ChatModel("http://localhost:11434/v1", "llama3.2")
    >>> "".join(model.stream_answer("Who met Danly?", [], hits))
    'Ambassador Kwatra met James Danly [1].'
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from functools import cached_property
from typing import Any
from urllib.parse import urlparse

import httpx
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.runnables import Runnable

from core.errors import LLMUnavailableError
from core.records import Hit

from .conversation import Turn
from .prompts import ANSWER_PROMPT, REWRITE_PROMPT, format_passages


def _messages(history: list[Turn]) -> list[BaseMessage]:
    return [HumanMessage(t.content) if t.role == "user" else AIMessage(t.content) for t in history]


def _reason(err: Exception) -> str:
    name = type(err).__name__
    status = getattr(err, "status_code", None)
    if status:
        return f"HTTP {status}"
    if "timeout" in name.lower() or isinstance(err, TimeoutError):
        return "timed out"
    return name


# Set by a door whose client may leave while an answer streams (an event stream): the reply
# is abandoned then, not read to its end while the client is gone.
CLIENT_LEFT: ContextVar[threading.Event | None] = ContextVar("client_left", default=None)
# How often a reply waiting for its next piece looks whether the client left.
_LOOK_S = 0.1


class ClientLeft(BaseException):
    """The client left: whatever was making its answer stops. Not an ``Exception``: nothing
    should recover from it (falling back to another answer nobody reads)."""


def _within(deadline: float, produce: Callable[[], Iterator[str]]) -> Iterator[str]:
    """The pieces of ``produce()``, or ``TimeoutError`` once ``deadline`` passes.

    The HTTP client's timeout bounds each read, not the reply: a server that sends a
    word every few seconds, or holds the request in its queue while it sends keep-alive
    bytes, would keep a question waiting for minutes. The reply is read in a thread and
    abandoned at the deadline; the thread stops at its next piece, closing the stream.
    """
    pieces: queue.Queue[tuple[str, Any]] = queue.Queue()
    abandoned = threading.Event()

    def read() -> None:
        stream = None
        try:
            stream = produce()
            for piece in stream:
                if abandoned.is_set():
                    return
                pieces.put(("piece", piece))
            pieces.put(("end", None))
        except Exception as err:  # handed to the reader below
            pieces.put(("error", err))
        finally:
            # Closed, not only dropped: the HTTP response under it is closed with it, and the
            # server stops writing a reply nobody reads.
            if (close := getattr(stream, "close", None)) is not None:
                close()

    left = CLIENT_LEFT.get()
    threading.Thread(target=read, daemon=True, name="llm-reply").start()
    try:
        while True:
            remaining = max(0.0, deadline - time.monotonic())
            try:
                kind, value = pieces.get(timeout=min(remaining, _LOOK_S) if left is not None else remaining)
            except queue.Empty:
                if left is not None and left.is_set():
                    raise ClientLeft from None
                if time.monotonic() < deadline:
                    continue
                raise TimeoutError("the answer took longer than the timeout") from None
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        abandoned.set()


class ChatModel:
    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None = None,
        timeout_s: float = 30.0,
        temperature: float = 0.1,
        max_tokens: int = 512,
    ):
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"the LLM base URL must start with http:// or https://, got {base_url!r}")
        if timeout_s <= 0:
            raise ValueError("timeout_s must be positive")
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.api_key = api_key
        self.timeout_s = timeout_s
        self.temperature = temperature
        self.max_tokens = max_tokens

    @cached_property
    def _llm(self) -> Any:
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(
            base_url=self.base_url,
            model=self.model,
            # Local servers ignore the key, but the client insists on one.
            api_key=self.api_key or "not-needed",
            timeout=self.timeout_s,
            max_retries=0,  # a retry would double the wait before the fallback
            temperature=self.temperature,
            max_completion_tokens=self.max_tokens,
            # llama.cpp's server and older vLLM read only the older name; OpenAI refuses
            # it for its reasoning models, so it goes to every server but OpenAI's.
            extra_body=None
            if urlparse(self.base_url).hostname == "api.openai.com"
            else {"max_tokens": self.max_tokens},
        )

    def _answer_pieces(self, inputs: dict[str, Any]) -> Iterator[str]:
        """The answer's text as the model streams it. The model's own stream, not the chain's:
        closing a chain's stream reads the reply to its end first, so a reply abandoned (the
        client left, the deadline passed) went on being written and read."""
        stream = self._llm.stream(ANSWER_PROMPT.invoke(inputs))
        try:
            for chunk in stream:
                if text := chunk.text:  # a string, or the text of a list of blocks
                    yield text
        finally:
            stream.close()

    @cached_property
    def _rewrite_chain(self) -> Runnable:
        return REWRITE_PROMPT | self._llm | StrOutputParser()

    def _fail(self, err: Exception) -> LLMUnavailableError:
        return LLMUnavailableError(f"The language model at {self.base_url} did not answer: {_reason(err)}.")

    def rewrite(self, question: str, history: list[Turn]) -> str:
        """The latest question as a standalone search query."""
        inputs = {"question": question, "history": _messages(history)}
        try:
            text = "".join(
                _within(time.monotonic() + self.timeout_s, lambda: iter([self._rewrite_chain.invoke(inputs)]))
            )
        except Exception as err:  # any client, HTTP or parse failure means the same to the caller
            raise self._fail(err) from None
        text = " ".join(str(text).split()).strip().strip('"')
        return text or question

    def stream_answer(self, question: str, history: list[Turn], hits: list[Hit]) -> Iterator[str]:
        """Text pieces of the model's answer as they arrive, within ``timeout_s`` overall."""
        deadline = time.monotonic() + self.timeout_s
        inputs = {"question": question, "history": _messages(history), "passages": format_passages(hits)}
        try:
            yield from _within(deadline, lambda: self._answer_pieces(inputs))
        except LLMUnavailableError:
            raise
        except Exception as err:
            raise self._fail(err) from None

    def ping(self) -> str:
        """ "ok", or why the server does not look usable (for readiness reports)."""
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        try:
            response = httpx.get(f"{self.base_url}/models", headers=headers, timeout=2.0)
        except httpx.HTTPError as err:
            return f"unreachable ({type(err).__name__})"
        return "ok" if response.status_code < 400 else f"HTTP {response.status_code}"
