"""The LLM path through the served app and the CLI, with the stub as the model server."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from gradio_client import Client
from openai import OpenAI

from ..helpers import run_cli
from ..llm_stub import Reply, StubLLM, passage_with
from .conftest import Served

QUESTION = "Which senator from Tennessee did the ambassador meet?"
SENTENCES = ["Ambassador Kwatra met Senator Bill Hagerty from Tennessee.", "They talked about a trade pact."]


def script_hagerty(stub: StubLLM) -> None:
    def reply(body: dict) -> Reply:
        n = passage_with(body, "Bill Hagerty")
        return Reply(" ".join(f"{s[:-1]} [{n}]." for s in SENTENCES))

    stub.responder = reply


def test_streaming_completion_sends_checked_sentences_then_citations(served_llm: Served, llm_stub: StubLLM) -> None:
    script_hagerty(llm_stub)
    client = OpenAI(base_url=f"{served_llm.url}/v1", api_key="unused")
    chunks = list(client.chat.completions.create(model="grounded-assistant", messages=[{"role": "user", "content": QUESTION}],
                                                 stream=True))  # fmt: skip
    contents = [c.choices[0].delta.content for c in chunks if c.choices[0].delta.content]
    expected = "Ambassador Kwatra met Senator Bill Hagerty from Tennessee [1]. They talked about a trade pact [1]."
    assert contents[:2] == [expected.split(" They")[0], " They talked about a trade pact [1]."]
    final = chunks[-1].model_extra
    assert "".join(contents) == expected + f"\n\nSources:\n[1] {final['citations'][0]['source']} (chars 3095-3748)"
    assert (final["mode"], final["warning"], len(final["citations"])) == ("llm", None, 1)


def test_failing_model_still_answers_with_a_warning(served_llm: Served, llm_stub: StubLLM) -> None:
    llm_stub.responder = lambda body: Reply(status=503)
    body = httpx.post(f"{served_llm.url}/v1/ask", json={"question": QUESTION}).json()
    assert body["mode"] == "extractive-fallback" and "Bill Hagerty" in body["answer"]
    assert body["warning"] == f"The language model at {llm_stub.url} did not answer: HTTP 503. Answered extractively."
    chat, _, _ = Client(f"{served_llm.url}/", verbose=False).predict(QUESTION, [], api_name="/ask")
    assert f"⚠ The language model at {llm_stub.url.replace('.', chr(92) + '.')}" in chat[1]["content"][0]["text"]


def test_readiness_reports_the_llm_without_failing(served_llm: Served) -> None:
    ready = httpx.get(f"{served_llm.url}/readyz").json()
    assert ready["status"] == "ready" and ready["checks"]["llm"] == "ok"


def test_cli_overrides_select_the_llm(llm_stub: StubLLM, tmp_path: Path) -> None:
    script_hagerty(llm_stub)
    data = tmp_path / "data"
    assert run_cli("ingest", str(Path(__file__).resolve().parents[2] / "data" / "corpus"), data_dir=data,
                   cwd=tmp_path).returncode == 0  # fmt: skip
    result = run_cli("ask", "--json", "--llm-base-url", llm_stub.url, "--llm-model", "stub", QUESTION,
                     data_dir=data, cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["mode"] == "llm" and answer["answer"].startswith("Ambassador Kwatra met Senator Bill Hagerty")
    assert llm_stub.requests[-1]["model"] == "stub"


def test_chat_page_marks_unsupported_sentences(served_llm: Served, llm_stub: StubLLM) -> None:
    def reply(body: dict) -> Reply:
        n = passage_with(body, "Bill Hagerty")
        return Reply(f"{SENTENCES[0][:-1]} [{n}]. The treaty was signed in Paris in 2019 by both presidents [{n}].")

    llm_stub.responder = reply
    chat, _, _ = Client(f"{served_llm.url}/", verbose=False).predict(QUESTION, [], api_name="/ask")
    bubble = chat[1]["content"][0]["text"]
    assert (
        "⚠ Not clearly supported by its passage: “The treaty was signed in Paris in 2019 by both presidents" in bubble
    )


def test_chat_page_answers_several_people_at_once(served_llm: Served, llm_stub: StubLLM) -> None:
    # Each reply takes 1.5 s: asked one at a time, the third question would reach the model
    # 3 s after the first; asked at once, all three are with it within a second.
    arrived: list[float] = []

    def reply(body: dict) -> Reply:
        arrived.append(time.monotonic())
        return Reply(f"{SENTENCES[0][:-1]} [{passage_with(body, 'Bill Hagerty')}].", delay_s=1.5)

    llm_stub.responder = reply
    clients = [Client(f"{served_llm.url}/", verbose=False) for _ in range(3)]
    with ThreadPoolExecutor(3) as pool:
        chats = list(pool.map(lambda c: c.predict(QUESTION, [], api_name="/ask")[0], clients))
    assert [
        chat[1]["content"][0]["text"].startswith("Ambassador Kwatra met Senator Bill Hagerty") for chat in chats
    ] == [True] * 3
    assert len(arrived) == 3 and max(arrived) - min(arrived) < 1.0
