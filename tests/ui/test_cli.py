"""The installed `assistant` command, run as a user runs it (a real process each time)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import CORPUS
from ..helpers import run_cli

SEED = "corpus/india-us-cooperation-trade-energy-defence.txt"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the corpus, ingested once through the CLI."""
    folder = tmp_path_factory.mktemp("cli")
    shutil.copytree(CORPUS, folder / "corpus")
    result = run_cli("ingest", "--json", data_dir=folder / "data", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "added": [SEED], "updated": [], "unchanged": [], "removed": [], "failed": [], "chunks": 21,
    }  # fmt: skip
    return folder


def test_ingest_leaves_the_keyword_index_saved_for_the_first_question(tmp_path: Path) -> None:
    shutil.copytree(CORPUS, tmp_path / "corpus")
    result = run_cli("ingest", "--json", data_dir=tmp_path / "data", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    saved = [m.parent.name for m in (tmp_path / "data" / "keywords").glob("*/manifest.json")]
    assert len(saved) == 1


def test_reingest_unchanged_reports_exactly_the_six_keys(workdir: Path) -> None:
    result = run_cli("ingest", "corpus", "--json", data_dir=workdir / "data", cwd=workdir)
    assert result.returncode == 0
    assert json.loads(result.stdout) == {
        "added": [], "updated": [], "unchanged": [SEED], "removed": [], "failed": [], "chunks": 21,
    }  # fmt: skip


def test_ask_json_gives_one_answer_per_line_in_order(workdir: Path) -> None:
    result = run_cli(
        "ask", "--json", "Which senator from Tennessee did the ambassador meet?", "What is a good sourdough recipe?",
        data_dir=workdir / "data", cwd=workdir,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert "Bill Hagerty" in first["answer"] and first["abstained"] is False
    assert first["citations"][0]["id"] == 1 and first["citations"][0]["source"] == SEED
    assert second["abstained"] is True and second["citations"] == []
    assert set(first) == {"answer", "citations", "abstained", "mode", "timings_ms", "query", "unsupported", "warning"}


def test_ask_prints_answer_and_sources(workdir: Path) -> None:
    result = run_cli("ask", "How many rounds of trade negotiations are done?", data_dir=workdir / "data", cwd=workdir)
    assert result.returncode == 0
    assert "Five rounds of negotiations have been completed" in result.stdout
    assert f"[1] {SEED}" in result.stdout


def test_eval_writes_results_and_report_and_gates_ci(workdir: Path) -> None:
    questions = workdir / "set.csv"
    questions.write_text(
        "id,question,answer,evidence,unanswerable\n"
        "a,Which Tennessee senator did Kwatra meet?,Bill Hagerty,Senator Bill Hagerty,\n"
        "u,Best sourdough recipe?,,,true\n"
    )
    passing = run_cli("eval", str(questions), "--out", "run1", "--fail-under", "hit@5=1.0",
                      "--fail-under", "abstention_recall=1.0", data_dir=workdir / "data", cwd=workdir)  # fmt: skip
    assert passing.returncode == 0, passing.stderr
    results = json.loads((workdir / "run1" / "results.json").read_text())
    assert (results["summary"]["hit@k"], results["summary"]["answer_contains"], results["summary"]["passed"]) == (
        1.0, 1.0, 2,
    )  # fmt: skip
    assert (workdir / "run1" / "report.html").read_text().startswith("<!doctype html>")
    failing = run_cli("eval", str(questions), "--out", "run2", "--json", "--fail-under", "answer_contains=1.01",
                      "--compare", "run1/results.json", data_dir=workdir / "data", cwd=workdir)  # fmt: skip
    assert failing.returncode == 1
    assert failing.stderr.endswith("Below the gate: answer_contains 1.0 < 1.01\n")
    assert json.loads(failing.stdout)["comparison"]["worse"] == []
    unknown = run_cli("eval", str(questions), "--fail-under", "accuracy=0.5", data_dir=workdir / "data", cwd=workdir)
    assert unknown.returncode == 2 and "'accuracy' is not a metric" in unknown.stderr


def test_eval_bad_question_file_names_the_line(workdir: Path) -> None:
    bad = workdir / "bad.jsonl"
    bad.write_text('{"id": "1", "question": "fine"}\n{"id": "2"}\n')
    result = run_cli("eval", str(bad), data_dir=workdir / "data", cwd=workdir)
    assert result.returncode == 1
    assert result.stderr == f'Error: {bad}:2: "question" is missing or empty\n'


def test_chat_follows_the_conversation(workdir: Path) -> None:
    turns = "What tariff rate did the U.S. impose on Indian exports?\nHow did India describe them?\n/quit\n"
    result = run_cli("chat", data_dir=workdir / "data", cwd=workdir, stdin=turns)
    assert result.returncode == 0, result.stderr
    assert "(50 per cent)" in result.stdout
    assert result.stdout.count("labelled unfair by India") >= 2


def test_bad_files_fail_with_reasons_and_exit_1(workdir: Path, tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "broken.pdf").write_bytes(b"%PDF-1.4 nonsense")
    (tmp_path / "docs" / "notes.xyz").write_text("x")
    result = run_cli("ingest", "docs", data_dir=tmp_path / "data", cwd=tmp_path)
    assert result.returncode == 1
    assert "0 added, 0 updated, 0 unchanged, 0 removed, 1 failed; 0 chunks in the index" in result.stderr
    assert "skipped (unsupported type): docs/notes.xyz" in result.stderr
    assert "failed: broken.pdf: not a readable PDF" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("Anything?", "Error: The index is empty: run `assistant ingest PATH` to add documents first.\n"),
        ("  ", "Error: The question is empty: ask something about your documents.\n"),
    ],
    ids=["empty-index", "empty-question"],
)
def test_user_errors_are_one_line_and_exit_1(tmp_path: Path, question: str, message: str) -> None:
    result = run_cli("ask", question, data_dir=tmp_path / "data", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == message and result.stdout == ""


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            {"ASSISTANT_CHROMA_URL": "foo"},
            "Error: Bad setting: ASSISTANT_CHROMA_URL: must look like http://host:port, got 'foo'. "
            "Fix it in the environment or in .env.\n",
        ),
        (
            {"ASSISTANT_TOP_K": "0", "ASSISTANT_RETRIEVAL": "bm25"},
            "Error: Bad setting: ASSISTANT_TOP_K: Input should be greater than or equal to 1; "
            "ASSISTANT_RETRIEVAL: Input should be 'dense' or 'hybrid'. Fix it in the environment or in .env.\n",
        ),
    ],
    ids=["chroma-url", "top-k-and-retrieval"],
)
@pytest.mark.parametrize("command", [("ask", "hi"), ("ingest",), ("serve", "--port", "1")])
def test_a_bad_setting_is_one_line_naming_the_variable(
    tmp_path: Path, settings: dict[str, str], message: str, command: tuple[str, ...]
) -> None:
    result = run_cli(*command, data_dir=tmp_path / "data", cwd=tmp_path, settings=settings)
    assert (result.returncode, result.stderr, result.stdout) == (1, message, "")
    assert not (tmp_path / "data").exists()  # nothing was opened or created


def test_second_process_on_the_same_index_is_refused(workdir: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys,time; from pathlib import Path; from vectorstore.chroma import ChromaStore;"
         "s = ChromaStore.embedded(Path(sys.argv[1])); print('ready', flush=True); time.sleep(60)",
         str(workdir / "data" / "index")],
        stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        result = run_cli("ingest", "--json", data_dir=workdir / "data", cwd=workdir, timeout=30)
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 1
    assert result.stderr.startswith(
        f"Error: The index at {workdir / 'data' / 'index'} is in use by another process (pid {holder.pid}). "
    )
    assert result.stderr.count("\n") == 1


def test_serve_command_answers_over_http_and_stops_cleanly(workdir: Path) -> None:
    import signal

    import httpx

    from ..helpers import free_port, start_serve

    port = free_port()
    server = start_serve(workdir, port)
    try:
        answer = httpx.post(
            f"http://127.0.0.1:{port}/v1/ask", json={"question": "Which Tennessee senator did Kwatra meet?"}
        )
        assert "Bill Hagerty" in answer.json()["answer"]
        assert httpx.get(f"http://127.0.0.1:{port}/").status_code == 200
        assert httpx.get(f"http://127.0.0.1:{port}/docs").status_code == 200
    finally:
        server.send_signal(signal.SIGINT)
        _, stderr = server.communicate(timeout=30)
    assert server.returncode == 0
    assert f"Serving on http://127.0.0.1:{port}" in stderr and "Traceback" not in stderr
    # One line per request, for whoever runs the server.
    assert re.search(r"INFO POST /v1/ask 200 \d+\.\d ms id=[0-9a-f]{16}\n", stderr), stderr
    assert re.search(r"INFO GET /docs 200 \d+\.\d ms id=[0-9a-f]{16}\n", stderr), stderr


def test_serve_logs_json_lines_with_the_request_id(workdir: Path) -> None:
    import signal

    import httpx

    from ..helpers import free_port, start_serve

    port = free_port()
    server = start_serve(workdir, port, "--log-format", "json", "--log-level", "info")
    try:
        reply = httpx.post(f"http://127.0.0.1:{port}/v1/ask", json={"question": "Who met Danly?"},
                           headers={"X-Request-ID": "trace-42", "Authorization": "Bearer secret-key"})  # fmt: skip
        assert reply.headers["x-request-id"] == "trace-42"
    finally:
        server.send_signal(signal.SIGINT)
        _, stderr = server.communicate(timeout=30)
    lines = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    asked = [line for line in lines if line.get("path") == "/v1/ask"]
    assert len(asked) == 1
    assert {k: asked[0][k] for k in ("level", "logger", "method", "status", "request_id")} == {
        "level": "info", "logger": "assistant.access", "method": "POST", "status": 200, "request_id": "trace-42",
    }  # fmt: skip
    assert asked[0]["message"].startswith("POST /v1/ask 200 ") and isinstance(asked[0]["ms"], float)
    assert "secret-key" not in stderr and "Danly" not in stderr  # neither keys nor bodies are logged


def test_a_data_folder_that_cannot_be_made_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    result = run_cli("ask", "hi", data_dir=tmp_path / "afile" / "data", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: Not a directory ({tmp_path / 'afile' / 'data' / 'index'}). Check that ASSISTANT_DATA_DIR and "
        "ASSISTANT_MODEL_CACHE_DIR name folders this user can write.\n"
    )
