"""Text no front door can use gets a 422 naming the field, never a 500: a lone
surrogate (valid JSON, not valid Unicode) anywhere in a body, and an earlier chat
message over the turn limit, even one older than the history window."""

from __future__ import annotations

import json

import httpx
import pytest

from .conftest import Served

SURROGATE = "contains a lone surrogate (\\ud800), which is not valid Unicode text; send UTF-8 text."


def post_raw(url: str, body: str) -> httpx.Response:
    """A JSON body sent as written, so ``\\ud800`` reaches the server as a JSON escape."""
    return httpx.post(url, content=body.encode(), headers={"Content-Type": "application/json"}, timeout=60)


@pytest.mark.parametrize(
    ("path", "body", "where"),
    [
        ("/v1/ask", r'{"question": "Who met \ud800 Hagerty?"}', "question"),
        ("/v1/ask", r'{"question": "Who?", "history": [{"role": "user", "content": "a\ud800"}]}',
         "history.0.content"),
        ("/v1/chat/completions", r'{"messages": [{"role": "user", "content": "Who met \ud800?"}]}',
         "messages.0.content"),
        ("/v1/chat/completions", r'{"stream": true, "messages": [{"role": "user", "content": "Who \ud800?"}]}',
         "messages.0.content"),
        ("/v1/chat/completions",
         r'{"messages": [{"role": "user", "content": [{"type": "text", "text": "Who \ud800?"}]}]}',
         "messages.0.content.0.text"),
        ("/v1/chat/completions", r'{"model": "x\ud800", "messages": [{"role": "user", "content": "Who?"}]}',
         "model"),
        ("/v1/eval", r'{"questions": [{"id": "a", "question": "Who met \ud800?"}]}', "questions.0.question"),
    ],
    ids=["ask", "ask-history", "chat", "chat-stream", "chat-content-part", "chat-model", "eval"],
)  # fmt: skip
def test_a_lone_surrogate_is_a_422_naming_the_field(served: Served, path: str, body: str, where: str) -> None:
    response = post_raw(f"{served.url}{path}", body)
    assert response.status_code == 422
    assert response.json() == {"error": {"message": f"Invalid request: {where}: {SURROGATE}",
                                         "type": "invalid_request_error", "code": "invalid_request", "param": None}}  # fmt: skip


def test_a_surrogate_pair_is_ordinary_text(served: Served) -> None:
    body = r'{"question": "Which senator from Tennessee did the ambassador meet? \ud83d\ude00"}'
    response = post_raw(f"{served.url}/v1/ask", body)
    assert response.status_code == 200 and "Bill Hagerty" in response.json()["answer"]


@pytest.mark.parametrize("stream", [False, True], ids=["complete", "stream"])
def test_an_earlier_chat_message_over_the_limit_is_a_422_at_every_door(served: Served, stream: bool) -> None:
    # The long message is older than the 20 turns kept: it is refused all the same.
    earlier = [{"role": "user", "content": "x" * 20_001}] + [{"role": "user", "content": "Hi"}] * 25
    question = {"role": "user", "content": "Which senator from Tennessee did the ambassador meet?"}
    response = httpx.post(
        f"{served.url}/v1/chat/completions", json={"stream": stream, "messages": [*earlier, question]}
    )
    assert (response.status_code, response.json()["error"]["message"]) == (
        422, "Invalid request: messages.0.content: String should have at most 20000 characters")  # fmt: skip
    ask = httpx.post(f"{served.url}/v1/ask", json={"question": "Who?", "history": earlier[:1]})
    assert (ask.status_code, ask.json()["error"]["message"]) == (
        422, "Invalid request: history.0.content: String should have at most 20000 characters")  # fmt: skip
    # A long system prompt is not a turn of the conversation: it is not limited.
    system = {"role": "system", "content": "Answer from the documents. " * 1000}
    allowed = httpx.post(f"{served.url}/v1/chat/completions", json={"messages": [system, question]}, timeout=60)
    assert allowed.status_code == 200


def test_the_chat_page_refuses_a_lone_surrogate_too(served: Served) -> None:
    # The question, the chat so far, the collection (null: the session's first).
    call = post_raw(f"{served.url}/gradio_api/call/ask", r'{"data": ["Who met \ud800 Hagerty?", [], null]}')
    events = httpx.get(f"{served.url}/gradio_api/call/ask/{call.json()['event_id']}", timeout=60).text
    kind, data = events.strip().split("\n")
    assert kind == "event: error" and json.loads(data.removeprefix("data: "))["error"] == f"The question {SURROGATE}"


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (b'{"question": "\xff\xfe who?"}', {"Content-Type": "application/json"}),
        (b"[" * 100_000, {"Content-Type": "application/json"}),
    ],
    ids=["not-utf-8", "nested-too-deep"],
)
def test_a_body_that_is_no_json_text_is_a_422_saying_so(served: Served, body: bytes, headers: dict) -> None:
    response = httpx.post(f"{served.url}/v1/ask", content=body, headers=headers, timeout=60)
    assert (response.status_code, response.json()["error"]) == (422, {
        "message": "Invalid request: the body is not JSON this server can read; send UTF-8 JSON text, nested at "
        "most a few hundred levels deep.", "type": "invalid_request_error", "code": "invalid_request",
        "param": None})  # fmt: skip


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "text/json", "application/x-ndjson"])
def test_json_sent_without_its_content_type_is_told_to_say_so(served: Served, content_type: str) -> None:
    response = httpx.post(f"{served.url}/v1/ask", content=b'{"question": "Who met James Danly?"}',
                          headers={"Content-Type": content_type}, timeout=60)  # fmt: skip
    assert (response.status_code, response.json()["error"]["message"]) == (
        422, "Invalid request: the body must be a JSON object sent with Content-Type: application/json.")  # fmt: skip
