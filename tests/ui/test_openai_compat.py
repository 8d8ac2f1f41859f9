"""What strict OpenAI clients rely on, through the real `openai` package against the
served app: model lookup, usage in streams, `max_tokens` and `stop` honoured, and a
clear 400 naming each parameter that cannot be honoured."""

from __future__ import annotations

import re

import httpx
import openai
import pytest
from openai import OpenAI

from .conftest import Served

MODEL = "grounded-assistant"
SEVERAL = "What are the benefits for the U.S.?"  # answered in several sentences
HAGERTY = "Which senator from Tennessee did the ambassador meet?"


def client(served: Served) -> OpenAI:
    return OpenAI(base_url=f"{served.url}/v1", api_key="unused", max_retries=0)


def ask(served: Served, question: str = SEVERAL, **options):
    return client(served).chat.completions.create(model=MODEL, messages=[{"role": "user", "content": question}],
                                                  **options)  # fmt: skip


def source_lines(citations: list[dict], ids: set[int]) -> str:
    lines = [f"[{c['id']}] {c['source']} (chars {c['start']}-{c['end']})" for c in citations if c["id"] in ids]
    return "\n\nSources:\n" + "\n".join(lines)


def test_models_retrieve_the_listed_model_and_404_for_others(served: Served) -> None:
    listed = [m.id for m in client(served).models.list()]
    assert listed == [MODEL]
    model = client(served).models.retrieve(MODEL)
    assert (model.id, model.object, model.owned_by) == (MODEL, "model", "local")
    with pytest.raises(openai.NotFoundError) as missing:
        client(served).models.retrieve("gpt-4o")
    assert missing.value.body == {"message": "The model 'gpt-4o' does not exist; GET /v1/models lists the models "
                                  "this server offers.", "type": "invalid_request_error", "code": "model_not_found",
                                  "param": "model"}  # fmt: skip


@pytest.mark.parametrize("stream", [False, True], ids=["complete", "stream"])
def test_an_unknown_model_name_is_404(served: Served, stream: bool) -> None:
    with pytest.raises(openai.NotFoundError) as missing:
        client(served).chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": HAGERTY}],
                                               stream=stream)  # fmt: skip
    assert (missing.value.status_code, missing.value.code, missing.value.param) == (404, "model_not_found", "model")


def test_stream_options_include_usage_sends_a_usage_chunk(served: Served) -> None:
    chunks = list(ask(served, HAGERTY, stream=True, stream_options={"include_usage": True}))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    *answer_chunks, last = chunks
    assert last.choices == [] and all(c.usage is None for c in answer_chunks)
    words = len(HAGERTY.split())
    assert (last.usage.prompt_tokens, last.usage.completion_tokens) == (words, len(text.split()))
    assert last.usage.total_tokens == words + len(text.split())
    assert answer_chunks[-1].choices[0].finish_reason == "stop"
    plain = list(ask(served, HAGERTY, stream=True))
    assert all(c.usage is None and c.choices for c in plain)


def test_stream_null_is_a_plain_completion(served: Served) -> None:
    body = {"model": MODEL, "stream": None, "messages": [{"role": "user", "content": HAGERTY}]}
    response = httpx.post(f"{served.url}/v1/chat/completions", json=body, timeout=60)
    assert response.status_code == 200 and response.json()["object"] == "chat.completion"


@pytest.mark.parametrize("stream", [False, True], ids=["complete", "stream"])
def test_max_tokens_cuts_at_a_sentence_boundary(served: Served, stream: bool) -> None:
    full = ask(served)
    content, citations = full.choices[0].message.content, full.model_extra["citations"]
    first = re.match(r".+?\[(\d+)\]\.", content)
    assert first and len(re.findall(r"\[\d+\]\.", content.split("\n\nSources:")[0])) >= 2  # two sentences or more
    expected = first.group(0) + source_lines(citations, {int(first.group(1))})
    limit = len(expected.split()) + 2  # room for the first sentence, not the second
    if stream:
        chunks = list(ask(served, max_tokens=limit, stream=True))
        text = "".join(c.choices[0].delta.content or "" for c in chunks)
        finish, extra = chunks[-1].choices[0].finish_reason, chunks[-1].model_extra
    else:
        reply = ask(served, max_tokens=limit)
        text, finish, extra = reply.choices[0].message.content, reply.choices[0].finish_reason, reply.model_extra
        assert reply.usage.completion_tokens == len(expected.split()) <= limit
    assert (text, finish) == (expected, "length")
    assert [c["id"] for c in extra["citations"]] == [int(first.group(1))]
    nothing = ask(served, max_tokens=1)
    assert (nothing.choices[0].message.content, nothing.choices[0].finish_reason) == ("", "length")
    roomy = ask(served, max_tokens=4096)
    assert (roomy.choices[0].message.content, roomy.choices[0].finish_reason) == (content, "stop")


@pytest.mark.parametrize("stream", [False, True], ids=["complete", "stream"])
def test_stop_sequences_end_the_reply_before_them(served: Served, stream: bool) -> None:
    full = ask(served, HAGERTY).choices[0].message.content
    for stop, expected in [
        ("\n\nSources:", full.split("\n\nSources:")[0]),
        (["Hagerty", "zzz"], full.split("Hagerty")[0]),
    ]:
        if stream:
            chunks = list(ask(served, HAGERTY, stop=stop, stream=True))
            text = "".join(c.choices[0].delta.content or "" for c in chunks)
            finish = chunks[-1].choices[0].finish_reason
        else:
            reply = ask(served, HAGERTY, stop=stop)
            text, finish = reply.choices[0].message.content, reply.choices[0].finish_reason
        assert (text, finish) == (expected, "stop")


@pytest.mark.parametrize(
    ("options", "param", "message"),
    [
        ({"n": 2}, "n", "n: only n=1 is supported; this server writes one grounded answer per request."),
        ({"tools": [{"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}]},
         "tools", "tools: tool calls are not supported; this server answers from its documents, with citations."),
        ({"tool_choice": "auto"}, "tool_choice",
         "tool_choice: tool calls are not supported; this server answers from its documents, with citations."),
        ({"response_format": {"type": "json_object"}}, "response_format",
         'response_format: only {"type": "text"} is supported; answers are cited prose, not JSON.'),
        ({"response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object"}}}},
         "response_format", 'response_format: only {"type": "text"} is supported; answers are cited prose, not JSON.'),
    ],
    ids=["n", "tools", "tool-choice", "json-object", "json-schema"],
)  # fmt: skip
def test_what_cannot_be_honoured_is_a_400_naming_the_parameter(served: Served, options: dict, param: str,
                                                               message: str) -> None:  # fmt: skip
    with pytest.raises(openai.BadRequestError) as refused:
        ask(served, HAGERTY, **options)
    assert refused.value.status_code == 400
    assert refused.value.body == {"message": message, "type": "invalid_request_error",
                                  "code": "unsupported_parameter", "param": param}  # fmt: skip


def test_what_changes_nothing_is_accepted(served: Served) -> None:
    reply = ask(served, HAGERTY, n=1, tool_choice="none", response_format={"type": "text"}, temperature=0.2, user="u")
    assert reply.choices[0].finish_reason == "stop" and "Bill Hagerty" in reply.choices[0].message.content
    # An agent framework sends its tools with every request, and "none" says not to call them.
    lookup = {"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}
    reply = ask(served, HAGERTY, tools=[lookup], tool_choice="none")
    assert reply.choices[0].finish_reason == "stop" and "Bill Hagerty" in reply.choices[0].message.content
    assert reply.choices[0].message.tool_calls is None


def test_a_conversation_of_more_messages_than_read_is_refused_before_it_costs_anything(served: Served) -> None:
    # Only the latest turns are read, but every message was parsed first: 400,000 one-word
    # messages cost seconds of CPU.
    messages = [{"role": "user" if n % 2 == 0 else "assistant", "content": "hi"} for n in range(2000)]
    with pytest.raises(openai.UnprocessableEntityError) as refused:
        client(served).chat.completions.create(model=MODEL, messages=[*messages, {"role": "user", "content": HAGERTY}])
    assert refused.value.status_code == 422
    assert refused.value.body == {"message": "Invalid request: messages: List should have at most 2000 items after "
                                  "validation, not 2001", "type": "invalid_request_error", "code": "invalid_request",
                                  "param": None}  # fmt: skip
    kept = client(served).chat.completions.create(model=MODEL, messages=[*messages[1:], {"role": "user",
                                                                                         "content": HAGERTY}])  # fmt: skip
    assert "Bill Hagerty" in (kept.choices[0].message.content or "")
