"""The CLI while `assistant serve` holds the index: a real server process, the installed command."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ..conftest import CORPUS
from ..helpers import free_port, run_cli, start_serve

QUESTION = "Which senator from Tennessee did the ambassador meet?"


@pytest.fixture(scope="module")
def serving(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, subprocess.Popen[str], str]]:
    folder = tmp_path_factory.mktemp("beside")
    shutil.copytree(CORPUS, folder / "corpus")
    assert run_cli("ingest", data_dir=folder / "data", cwd=folder).returncode == 0
    port = free_port()
    server = start_serve(folder, port)
    yield folder, server, f"http://127.0.0.1:{port}"
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=30)


def _line(url: str, server: subprocess.Popen[str]) -> str:
    return (
        f"Asking the running server at {url} (pid {server.pid}), which holds the index; "
        "--direct opens the index here instead.\n"
    )


def test_ask_goes_through_the_running_server(serving: tuple[Path, subprocess.Popen[str], str]) -> None:
    folder, server, url = serving
    result = run_cli("ask", "--json", QUESTION, data_dir=folder / "data", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert result.stderr == _line(url, server)
    answer = json.loads(result.stdout)
    assert answer["answer"].startswith("[Ambassador Kwatra] also engaged with Senator Bill Hagerty from Tennessee")
    assert answer["citations"][0]["source"] == "corpus/india-us-cooperation-trade-energy-defence.txt"


def test_chat_follows_up_through_the_running_server(serving: tuple[Path, subprocess.Popen[str], str]) -> None:
    folder, server, url = serving
    typed = "Who is India's ambassador to the United States?\nWhich senator from Tennessee did he meet?\n"
    result = run_cli("chat", data_dir=folder / "data", cwd=folder, stdin=typed)
    assert result.returncode == 0, result.stderr
    assert result.stderr == _line(url, server)
    assert "Vinay Mohan Kwatra" in result.stdout and "Bill Hagerty" in result.stdout


def test_eval_is_scored_by_the_running_server(serving: tuple[Path, subprocess.Popen[str], str], tmp_path: Path) -> None:
    folder, server, url = serving
    questions = tmp_path / "set.jsonl"
    questions.write_text(json.dumps({"id": "a", "question": QUESTION, "answer": "Bill Hagerty"}) + "\n")
    result = run_cli("eval", str(questions), "--out", str(tmp_path / "out"), data_dir=folder / "data", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith(_line(url, server))
    payload = json.loads((tmp_path / "out" / "results.json").read_text())
    assert payload["summary"]["answer_contains"] == 1.0 and payload["questions"][0]["id"] == "a"
    assert (tmp_path / "out" / "report.html").is_file()


def test_direct_still_refuses(serving: tuple[Path, subprocess.Popen[str], str]) -> None:
    folder, _, _ = serving
    direct = run_cli("ask", "--direct", QUESTION, data_dir=folder / "data", cwd=folder)
    assert direct.returncode == 1 and direct.stdout == ""
    assert direct.stderr.startswith(f"Error: The index at {folder / 'data' / 'index'} is in use by another process")


def test_ingest_goes_through_the_running_server(serving: tuple[Path, subprocess.Popen[str], str]) -> None:
    folder, server, url = serving
    unchanged = run_cli("ingest", "--json", data_dir=folder / "data", cwd=folder)
    assert unchanged.returncode == 0, unchanged.stderr
    assert unchanged.stderr == _line(url, server)
    assert json.loads(unchanged.stdout) == {
        "added": [], "updated": [], "unchanged": ["corpus/india-us-cooperation-trade-energy-defence.txt"],
        "removed": [], "failed": [], "chunks": 21,
    }  # fmt: skip
    notes = folder / "more"
    notes.mkdir()
    (notes / "kestrel.md").write_text("# Kestrel\n\nThe Kestrel Lunar Outpost runs a 42 megawatt fission reactor.\n")
    added = run_cli("ingest", "more", data_dir=folder / "data", cwd=folder)
    assert added.returncode == 0, added.stderr
    assert (
        added.stderr
        == _line(url, server) + "1 added, 0 updated, 0 unchanged, 0 removed, 0 failed; 22 chunks in the index\n"
    )
    answer = httpx.post(f"{url}/v1/ask", json={"question": "How much power does the Kestrel reactor produce?"}).json()
    assert "42 megawatt" in answer["answer"] and answer["citations"][0]["source"] == "more/kestrel.md"


def test_paths_on_the_servers_disk_need_the_token_from_the_data_folder(
    serving: tuple[Path, subprocess.Popen[str], str],
) -> None:
    _, _, url = serving
    refused = httpx.post(f"{url}/v1/ingest", json={"paths": ["/etc"]}, headers={"X-Assistant-Local": "guess"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "local_only"


def test_a_note_left_by_a_killed_server_is_ignored(tmp_path: Path) -> None:
    shutil.copytree(CORPUS, tmp_path / "corpus")
    assert run_cli("ingest", data_dir=tmp_path / "data", cwd=tmp_path).returncode == 0
    server = start_serve(tmp_path, free_port())
    note = tmp_path / "data" / "index" / "server.json"
    assert json.loads(note.read_text())["pid"] == server.pid
    server.kill()
    server.communicate(timeout=30)
    assert note.exists()  # a kill leaves it behind
    result = run_cli("ask", QUESTION, data_dir=tmp_path / "data", cwd=tmp_path)
    assert result.returncode == 0 and result.stderr == ""  # the index is opened here, as without a server
    assert "Bill Hagerty" in result.stdout


def test_a_stopped_server_takes_its_note_away(tmp_path: Path) -> None:
    shutil.copytree(CORPUS, tmp_path / "corpus")
    assert run_cli("ingest", data_dir=tmp_path / "data", cwd=tmp_path).returncode == 0
    server = start_serve(tmp_path, free_port())
    note = tmp_path / "data" / "index" / "server.json"
    assert note.exists()
    server.send_signal(signal.SIGINT)
    server.communicate(timeout=30)
    assert server.returncode == 0 and not note.exists()
