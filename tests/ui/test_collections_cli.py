"""Collections through the installed `assistant` command (a real process each time):
ingest into one, ask one, list them, delete one, and the errors a user can fix."""

from __future__ import annotations

import json
import shutil
import signal
from pathlib import Path

import pytest

from ..conftest import SEED_DOC
from ..helpers import free_port, run_cli, start_serve

ROCKET = "# Rocket notes\n\nThe zorblax7731 thruster burns kerosene and liquid oxygen for 90 seconds.\n"
QUESTION = "How long does the zorblax7731 thruster burn?"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed document in `default`, the rocket notes in `rockets`, ingested by the CLI."""
    folder = tmp_path_factory.mktemp("collections-cli")
    (folder / "corpus").mkdir()
    shutil.copy(SEED_DOC, folder / "corpus")
    (folder / "rockets").mkdir()
    (folder / "rockets" / "rocket.md").write_text(ROCKET, encoding="utf-8")
    assert cli(folder, "ingest").returncode == 0
    made = cli(folder, "ingest", "rockets", "--collection", "rockets", "--json")
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout) == {"added": ["rockets/rocket.md"], "updated": [], "unchanged": [], "removed": [],
                                       "failed": [], "chunks": 1}  # fmt: skip
    assert made.stderr == "Created the collection 'rockets'.\n"
    return folder


def cli(folder: Path, *args: str):
    return run_cli(*args, data_dir=folder / "data", cwd=folder)


def test_collections_are_listed_with_their_counts(workdir: Path) -> None:
    listed = cli(workdir, "collections")
    assert (listed.returncode, listed.stdout) == (
        0,
        "default  1 document, 21 passages\nrockets  1 document, 1 passage\n",
    )
    as_json = cli(workdir, "collections", "--json")
    assert json.loads(as_json.stdout) == [{"name": "default", "documents": 1, "chunks": 21},
                                          {"name": "rockets", "documents": 1, "chunks": 1}]  # fmt: skip


def test_ask_answers_from_the_collection_named_and_only_from_it(workdir: Path) -> None:
    inside = cli(workdir, "ask", "--json", QUESTION, "--collection", "rockets")
    answer = json.loads(inside.stdout)
    assert answer["abstained"] is False and "90 seconds" in answer["answer"]
    assert [c["source"] for c in answer["citations"]] == ["rockets/rocket.md"]
    outside = json.loads(cli(workdir, "ask", "--json", QUESTION).stdout)
    assert (outside["abstained"], outside["citations"]) == (True, [])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ask", QUESTION, "--collection", "missiles"],
         "Error: No collection is named 'missiles'; `assistant collections` (or GET /v1/collections) lists them.\n"),
        (["ingest", "rockets", "--collection", "Big_Rockets"],
         "Error: 'Big_Rockets' cannot name a collection: use 1-32 lowercase letters, digits and hyphens, starting "
         "and ending with a letter or digit (e.g. hr-handbook).\n"),
        (["collections", "delete", "default"],
         "Error: The default collection cannot be deleted: it is where documents go when no collection is named. "
         "Delete its documents one by one instead (DELETE /v1/documents/{id}).\n"),
    ],
    ids=["unknown", "bad-name", "delete-default"],
)  # fmt: skip
def test_what_cannot_be_done_is_one_line_and_exit_1(workdir: Path, args: list[str], message: str) -> None:
    result = cli(workdir, *args)
    assert (result.returncode, result.stdout, result.stderr) == (1, "", message)


def test_delete_removes_the_collection_and_its_documents(tmp_path: Path) -> None:
    (tmp_path / "rockets").mkdir()
    (tmp_path / "rockets" / "rocket.md").write_text(ROCKET, encoding="utf-8")
    created = cli(tmp_path, "collections", "create", "rockets")
    assert (created.returncode, created.stdout) == (0, "Created the collection 'rockets'.\n")
    assert cli(tmp_path, "ingest", "rockets", "-c", "rockets").returncode == 0
    deleted = cli(tmp_path, "collections", "delete", "rockets")
    assert (deleted.returncode, deleted.stdout) == (0, "Deleted the collection 'rockets' (1 document, 1 passage).\n")
    assert json.loads(cli(tmp_path, "collections", "--json").stdout) == [{"name": "default", "documents": 0,
                                                                          "chunks": 0}]  # fmt: skip
    assert not (tmp_path / "data" / "collections" / "rockets").exists()


def test_beside_a_running_server_collections_go_through_its_api(workdir: Path) -> None:
    port = free_port()
    server = start_serve(workdir, port)
    try:
        line = (f"Asking the running server at http://127.0.0.1:{port} (pid {server.pid}), which holds the index; "
                "--direct opens the index here instead.\n")  # fmt: skip
        (workdir / "tides").mkdir()
        (workdir / "tides" / "tide.md").write_text("# Tides\n\nThe Kelvarra bay tide turns at 04:10.\n", "utf-8")
        made = cli(workdir, "ingest", "tides", "--collection", "tides", "--json")
        assert (made.returncode, made.stderr, json.loads(made.stdout)["added"]) == (0, line, ["tides/tide.md"])
        answer = json.loads(cli(workdir, "ask", "--json", QUESTION, "-c", "rockets").stdout)
        assert "90 seconds" in answer["answer"] and answer["citations"][0]["source"] == "rockets/rocket.md"
        listed = cli(workdir, "collections", "--json")
        assert (listed.stderr, json.loads(listed.stdout)) == (line, [
            {"name": "default", "documents": 1, "chunks": 21}, {"name": "rockets", "documents": 1, "chunks": 1},
            {"name": "tides", "documents": 1, "chunks": 1}])  # fmt: skip
        refused = cli(workdir, "collections", "delete", "default")
        assert (refused.returncode, refused.stderr) == (1, line + (
            f"Error: The server at http://127.0.0.1:{port} said: The default collection cannot be deleted: it is "
            "where documents go when no collection is named. Delete its documents one by one instead (DELETE "
            "/v1/documents/{id}).\n"))  # fmt: skip
        deleted = cli(workdir, "collections", "delete", "tides")
        assert deleted.stdout == "Deleted the collection 'tides' (1 document, 1 passage).\n"
    finally:
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=30)
