"""The HTTP API through real clients (the `openai` package, httpx) against uvicorn."""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from openai import OpenAI

from .conftest import KEYS, Served

SEED = "data/corpus/india-us-cooperation-trade-energy-defence.txt"
HAGERTY = re.compile(
    r"\[Ambassador Kwatra\] also engaged with Senator Bill Hagerty from Tennessee on continuing ongoing talks for a "
    r"trade pact \[(\d+)\]\."
)


def cites_hagerty(text: str, citations: list[dict]) -> bool:
    """The Hagerty sentence is quoted, and its marker points to the passage holding it."""
    match = HAGERTY.search(text)
    return bool(match) and any(c["id"] == int(match.group(1)) and c["start"] == 3095 for c in citations)


def sources(citations: list[dict]) -> str:
    return "\n\nSources:\n" + "\n".join(f"[{c['id']}] {c['source']} (chars {c['start']}-{c['end']})" for c in citations)


def error(response: httpx.Response) -> tuple[int, str, str]:
    body = response.json()["error"]
    return response.status_code, body["code"], body["message"]


def test_openai_client_completion_keeps_markers_sources_and_citations(served: Served) -> None:
    client = OpenAI(base_url=f"{served.url}/v1", api_key="unused")
    reply = client.chat.completions.create(
        model="grounded-assistant",
        messages=[{"role": "user", "content": "Which senator from Tennessee did the ambassador meet?"}],
    )
    content = reply.choices[0].message.content
    citations = reply.model_extra["citations"]
    assert cites_hagerty(content, citations)
    assert content.endswith(sources(citations)) and sources(citations).startswith(f"\n\nSources:\n[1] {SEED} (chars ")
    assert [c["id"] for c in citations] == list(range(1, len(citations) + 1))
    assert {f"[{c['id']}]" for c in citations} <= set(re.findall(r"\[\d+\]", content))
    assert reply.choices[0].finish_reason == "stop" and reply.object == "chat.completion"


def test_openai_client_streaming_ends_with_citations(served: Served) -> None:
    client = OpenAI(base_url=f"{served.url}/v1", api_key="unused")
    stream = client.chat.completions.create(
        model="grounded-assistant",
        messages=[{"role": "user", "content": "Which senator from Tennessee did the ambassador meet?"}],
        stream=True,
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    pieces = [c.choices[0].delta.content for c in chunks[1:-2]]
    assert len(pieces) >= 1 and all(re.search(r"\[\d+\]\.\s*$", p) for p in pieces)  # a sentence per event
    citations = chunks[-1].model_extra["citations"]
    assert cites_hagerty(text, citations) and text.endswith(sources(citations))
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert all(c["source"] == SEED for c in citations)
    assert all("citations" not in (c.model_extra or {}) for c in chunks[:-1])
    assert chunks[-1].model_extra["query"] == "Which senator from Tennessee did the ambassador meet?"


def test_two_turn_conversation_through_the_openai_client(served: Served) -> None:
    client = OpenAI(base_url=f"{served.url}/v1", api_key="unused")
    first = "What tariff rate did the U.S. impose on Indian exports?"
    reply1 = client.chat.completions.create(model="grounded-assistant", messages=[{"role": "user", "content": first}])
    reply2 = client.chat.completions.create(
        model="grounded-assistant",
        messages=[
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": first},
            {"role": "assistant", "content": reply1.choices[0].message.content},
            {"role": "user", "content": "How did India describe them?"},
        ],
    )
    assert "(50 per cent)" in reply1.choices[0].message.content
    assert "labelled unfair by India" in reply2.choices[0].message.content
    # What was searched comes back beside the text, as the chat page shows it: the question
    # alone first, then the follow-up with the earlier turn's subject carried in.
    assert reply1.model_extra["query"] == first
    assert reply2.model_extra["query"] == "How did India describe the tariffs?"


def test_api_and_core_answer_identically(served: Served) -> None:
    question = "How many rounds of trade negotiations have been completed?"
    body = httpx.post(f"{served.url}/v1/ask", json={"question": question, "top_k": 4}).json()
    direct = served.services.assistant.ask(question, top_k=4).model_dump(exclude={"timings_ms"})
    assert {k: v for k, v in body.items() if k != "timings_ms"} == direct
    assert set(body["timings_ms"]) == {"retrieve", "generate", "total"}


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"question": "  "}, (422, "invalid_question", "The question is empty: ask something about your documents.")),
        (
            {"question": "x" * 2001},
            (
                422,
                "invalid_question",
                "The question is 2001 characters long; the limit is "
                "2000. Shorten it, or raise ASSISTANT_MAX_QUESTION_CHARS.",
            ),
        ),
        (
            {"question": "Hi", "top_k": 0},
            (422, "invalid_request", "Invalid request: top_k: Input should be greater than or equal to 1"),
        ),
        ({}, (422, "invalid_request", "Invalid request: question: Field required")),
    ],
    ids=["empty", "too-long", "bad-top-k", "missing"],
)
def test_ask_errors(served: Served, payload: dict, expected: tuple[int, str, str]) -> None:
    assert error(httpx.post(f"{served.url}/v1/ask", json=payload)) == expected


def test_chat_completion_errors_use_openai_shape(served: Served) -> None:
    response = httpx.post(f"{served.url}/v1/chat/completions",
                          json={"messages": [{"role": "assistant", "content": "hello"}]})  # fmt: skip
    assert response.json() == {"error": {
        "message": "The last message must come from the user: it is the question to answer.",
        "type": "invalid_request_error", "code": "invalid_question", "param": None}}  # fmt: skip
    assert response.status_code == 422
    streaming = httpx.post(f"{served.url}/v1/chat/completions",
                           json={"stream": True, "messages": [{"role": "user", "content": ""}]})  # fmt: skip
    assert error(streaming)[:2] == (422, "invalid_question")
    # A question sent only as an image is no empty question: the server reads text alone.
    image = {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}
    pictured = httpx.post(
        f"{served.url}/v1/chat/completions", json={"messages": [{"role": "user", "content": [image]}]}
    )
    assert error(pictured) == (422, "invalid_question", "The last user message holds no text, only image_url parts; "
                               "this server reads text: ask the question in words.")  # fmt: skip


def test_a_long_id_is_not_echoed_whole(served: Served) -> None:
    # What the client sent is quoted back shortened: a 5 kB id costs no 5 kB reply.
    missing = httpx.get(f"{served.url}/v1/jobs/job_{'x' * 5000}")
    assert error(missing)[:2] == (404, "job_not_found")
    assert error(missing)[2].startswith(f"No upload job has the id 'job_{'x' * 56}…'. Jobs are kept in memory")


def test_unknown_route_and_document(served: Served) -> None:
    assert error(httpx.get(f"{served.url}/v1/nope")) == (404, "http_error", "No route /v1/nope; see /docs for the API.")
    assert error(httpx.delete(f"{served.url}/v1/documents/0123")) == (
        404, "unknown_document", "No indexed document has the id '0123'; list them with GET /v1/documents.",
    )  # fmt: skip


def test_upload_answer_delete(served: Served) -> None:
    url = served.url
    note = b"# Solar\n\nThe Khavda solar park in Gujarat will produce 30 GW of power by 2029.\n"
    response = httpx.post(f"{url}/v1/documents?wait=true", files=[("files", ("khavda.md", note, "text/markdown"))])
    assert response.status_code == 200
    summary = response.json()
    assert len(summary["added"]) == 1 and summary["added"][0].endswith("uploads/khavda.md")
    assert summary["chunks"] == 22
    listed = httpx.get(f"{url}/v1/documents").json()
    entry = next(d for d in listed["documents"] if d["source"].endswith("khavda.md"))
    assert (entry["title"], entry["chunks"], listed["chunks"]) == ("Solar", 1, 22)
    answer = httpx.post(f"{url}/v1/ask", json={"question": "How much power will the Khavda park produce?"}).json()
    assert "30 GW" in answer["answer"] and answer["citations"][0]["source"].endswith("uploads/khavda.md")
    deleted = httpx.delete(f"{url}/v1/documents/{entry['id']}")
    assert deleted.status_code == 200 and deleted.json()["source"] == entry["source"]
    after = httpx.post(f"{url}/v1/ask", json={"question": "How much power will the Khavda park produce?"}).json()
    assert after["abstained"] is True
    assert [d["source"] for d in httpx.get(f"{url}/v1/documents").json()["documents"]] == [SEED]
    assert httpx.delete(f"{url}/v1/documents/{entry['id']}").status_code == 404


def test_bad_uploads_change_nothing(served: Served) -> None:
    url = served.url
    before = httpx.get(f"{url}/v1/documents").json()
    unsupported = httpx.post(f"{url}/v1/documents", files=[("files", ("sheet.xlsx", b"x", "application/octet-stream"))])
    assert error(unsupported)[:2] == (415, "unsupported_file_type")
    assert error(unsupported)[2].startswith("sheet.xlsx: unsupported file type; supported: .docx")
    corrupt = httpx.post(f"{url}/v1/documents?wait=true", files=[("files", ("paper.pdf", b"%PDF-1.4 junk", "application/pdf")),
                                                      ("files", ("ok.md", b"Fine text.", "text/markdown"))])  # fmt: skip
    assert error(corrupt)[:2] == (422, "unreadable_document")
    assert error(corrupt)[2].startswith("paper.pdf: not a readable PDF")
    traversal = httpx.post(f"{url}/v1/documents", files=[("files", ("../../..", b"x", "text/plain"))])
    # The name is what is wrong, not the file's content.
    assert error(traversal) == (422, "invalid_upload",
                                "'../../..' is not a usable file name; rename the file and upload it again.")  # fmt: skip
    assert httpx.get(f"{url}/v1/documents").json() == before


def test_health_and_readiness(served: Served) -> None:
    assert httpx.get(f"{served.url}/healthz").json() == {"status": "ok"}
    ready = httpx.get(f"{served.url}/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready" and ready.json()["checks"]["model_loaded"] is True


def test_twenty_simultaneous_asks_all_succeed(served: Served) -> None:
    def ask(_: int) -> httpx.Response:
        return httpx.post(f"{served.url}/v1/ask", json={"question": "Which senator from Tennessee did "
                                                                     "the ambassador meet?"}, timeout=60)  # fmt: skip

    with ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(pool.map(ask, range(20)))
    assert [r.status_code for r in responses] == [200] * 20
    assert all(cites_hagerty(r.json()["answer"], r.json()["citations"]) for r in responses)


def test_api_keys_guard_every_v1_route_but_not_health(locked: Served) -> None:
    url = locked.url
    for method, path in [("get", "/v1/documents"), ("post", "/v1/ask"), ("post", "/v1/chat/completions"),
                         ("get", "/v1/models"), ("delete", "/v1/documents/x"), ("post", "/v1/documents")]:  # fmt: skip
        response = httpx.request(method, f"{url}{path}")
        assert error(response) == (401, "invalid_api_key",
                                   "A valid API key is required: send `Authorization: Bearer KEY`.")  # fmt: skip
        assert response.headers["www-authenticate"] == "Bearer"
        wrong = httpx.request(method, f"{url}{path}", headers={"Authorization": "Bearer key-three"})
        assert wrong.status_code == 401
    good = {"Authorization": f"Bearer {KEYS[1]}"}
    assert httpx.get(f"{url}/v1/documents", headers=good).json() == {"documents": [], "chunks": 0}
    assert httpx.get(f"{url}/healthz").status_code == 200
    not_ready = httpx.get(f"{url}/readyz")
    assert not_ready.status_code == 503
    assert (
        not_ready.json()["status"] == "not ready: the index is empty; run `assistant ingest PATH` or upload documents"
    )


def test_empty_index_and_body_limit(locked: Served) -> None:
    good = {"Authorization": f"Bearer {KEYS[0]}"}
    empty = httpx.post(f"{locked.url}/v1/ask", json={"question": "Anything?"}, headers=good)
    assert error(empty) == (409, "empty_index",
                            "The index is empty: run `assistant ingest PATH` to add documents first.")  # fmt: skip
    big = httpx.post(f"{locked.url}/v1/documents", headers=good,
                     files=[("files", ("big.txt", b"word " * 5000, "text/plain"))])  # fmt: skip
    assert error(big) == (413, "body_too_large", "The request body is larger than 0.01 MB; send smaller files or "
                          "raise ASSISTANT_MAX_UPLOAD_MB.")  # fmt: skip

    def chunks():
        for _ in range(10):
            yield b"x" * 4096

    streamed = httpx.post(
        f"{locked.url}/v1/ask", content=chunks(), headers={**good, "Content-Type": "application/json"}
    )
    assert error(streamed)[:2] == (413, "body_too_large")


def test_eval_over_the_api(served: Served) -> None:
    body = {"questions": [
        {"id": "a", "question": "Which senator from Tennessee did the ambassador meet?", "answer": "Bill Hagerty"},
        {"id": "u", "question": "How do I bake sourdough bread?", "unanswerable": True},
    ]}  # fmt: skip
    result = httpx.post(f"{served.url}/v1/eval", json=body, timeout=60).json()
    assert [r["id"] for r in result["questions"]] == ["a", "u"]
    assert (result["summary"]["answer_contains"], result["summary"]["abstention_recall"]) == (1.0, 1.0)
    bad = httpx.post(f"{served.url}/v1/eval", json={"questions": [{"id": "x"}]})
    assert error(bad) == (422, "invalid_question_set", 'questions[0]: "question" is missing or empty')
    # Each earlier question of a conversation is answered in turn: a long one is refused
    # before any is asked, and so is a request asking more than a request may.
    started = time.monotonic()
    long = httpx.post(
        f"{served.url}/v1/eval", json={"questions": [{"question": "who?", "conversation": ["Who?"] * 21}]}
    )
    assert error(long) == (422, "invalid_question_set", 'questions[0]: "conversation" lists 21 earlier questions; '
                           "at most 20 are asked (each is answered in turn)")  # fmt: skip
    many = {"questions": [{"question": "who?", "conversation": ["Who?"] * 20}] * 50}
    refused = (422, "invalid_question_set", "The set asks 1050 questions in all, earlier questions of conversations "
               "and parts of questions counted; /v1/eval asks at most 1000 a request: send it in parts, or run "
               "`assistant eval` on the server.")  # fmt: skip
    assert error(httpx.post(f"{served.url}/v1/eval", json=many)) == refused
    # A question asking two things takes two answers.
    both = "when does the shop open and can i pay by card"
    assert (
        error(
            httpx.post(
                f"{served.url}/v1/eval", json={"questions": [{"question": both, "conversation": [both] * 20}] * 25}
            )
        )
        == refused
    )
    assert time.monotonic() - started < 5


def test_cors_only_for_configured_origins(served: Served, locked: Served) -> None:
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"}
    allowed = httpx.options(f"{locked.url}/v1/ask", headers={"Origin": "https://app.example", **preflight})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://app.example"
    other = httpx.options(f"{locked.url}/v1/ask", headers={"Origin": "https://evil.example", **preflight})
    assert other.status_code == 400 and "access-control-allow-origin" not in other.headers
    # Without configured origins there is no CORS at all.
    plain = httpx.get(f"{served.url}/v1/documents", headers={"Origin": "https://app.example"})
    assert "access-control-allow-origin" not in plain.headers


def test_a_long_history_is_trimmed_to_its_recent_turns_at_every_door(served: Served) -> None:
    # One policy, as the core and OpenAI clients (which resend whole conversations) need:
    # the last ASSISTANT_MAX_HISTORY_TURNS turns count, older ones are left out.
    old = [{"role": "user", "content": "What tariff did the U.S. impose on Indian exports?"},
           {"role": "assistant", "content": "Earlier, U.S. imposed steep tariffs (50 per cent) [1]."}]  # fmt: skip
    recent = [{"role": "user", "content": "Who is India's ambassador to the United States?"},
              {"role": "assistant", "content": "Vinay Mohan Kwatra is India's ambassador [1]."}] * 10  # fmt: skip
    question = "Which senator from Tennessee did he meet?"
    whole = httpx.post(f"{served.url}/v1/ask", json={"question": question, "history": old + recent})
    trimmed = httpx.post(f"{served.url}/v1/ask", json={"question": question, "history": recent})
    assert whole.status_code == trimmed.status_code == 200
    assert whole.json()["answer"] == trimmed.json()["answer"]
    assert (
        whole.json()["query"] == trimmed.json()["query"] == "Which senator from Tennessee did Vinay Mohan Kwatra meet?"
    )
    messages = [*old, *recent, {"role": "user", "content": question}]
    chat = httpx.post(f"{served.url}/v1/chat/completions", json={"model": "grounded-assistant", "messages": messages})
    assert chat.status_code == 200
    assert chat.json()["choices"][0]["message"]["content"].startswith(whole.json()["answer"])
