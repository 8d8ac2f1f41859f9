"""The README's examples, run as a reader would run them, against what the README shows.

A fenced block right after ``<!-- example: KIND -->`` is run by the test of that kind:

- ``cli``: a ``console`` block. ``$ .venv/bin/assistant ...`` lines run the installed
  command in a fresh folder holding a copy of ``data/corpus``; ``> text`` lines after a
  ``chat`` command are typed into it; every other line is expected output. A line
  ``...`` stands for any number of lines, and a line ending in ``...`` for any line
  that starts with what comes before it.
- ``answer-json``: the answer object of ``assistant ask --json`` for the question in
  its ``query``; timings and chunk ids may differ, scores by under 0.01, and a
  ``text`` ending in ``...`` is a prefix.
- ``curl`` and ``openai``: a ``bash`` or ``python`` block sent to a served app; an
  ``openai`` block is followed by a ``text`` block with what it prints.
- ``conversations``: a ``bash`` block of curl calls against a served app, then the
  installed command beside it; a ``text`` block follows with what it prints.

When an answer changes on purpose, the failure shows the new output to paste in.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ..conftest import CORPUS
from ..helpers import run_cli
from .conftest import Served

README = Path(__file__).resolve().parents[2] / "README.md"
_BLOCK = re.compile(
    r"<!-- example: (?P<kind>[\w-]+) -->\s*```\w*\n(?P<body>.*?)```(?:\s*```text\n(?P<out>.*?)```)?", re.S
)


def _examples(kind: str) -> list[tuple[str, str]]:
    found = [
        (m["body"], m["out"] or "") for m in _BLOCK.finditer(README.read_text(encoding="utf-8")) if m["kind"] == kind
    ]
    assert found, f"README.md has no <!-- example: {kind} --> block"
    return found


def _matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line; ``...`` matches any run of lines, ``text ...`` any line starting with ``text``."""
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head == "...":
        return any(_matches(rest, actual[i:]) for i in range(len(actual) + 1))
    if not actual:
        return False
    if head.endswith("...") and actual[0].startswith(head[:-3].rstrip()):
        return _matches(rest, actual[1:])
    return _same_line(head, actual[0]) and _matches(rest, actual[1:])


# Similarity scores move by a few hundredths between CPUs: int8 embedding kernels round
# differently with and without AVX-512 VNNI (bench/machine.py names the machine's).
SCORE_TOLERANCE = 0.03
_SCORE = re.compile(r"(?<=score )\d\.\d+")


def _same_line(expected: str, actual: str) -> bool:
    """Equal, a printed score within ``SCORE_TOLERANCE`` of the README's; a table's row
    whatever its padding, which the widest value in a column sets (a latency of 10.36 ms
    on one machine, 7.36 on another)."""
    if "│" in expected:
        expected, actual = " ".join(expected.split()), " ".join(actual.split())
    if _SCORE.sub("S", expected) != _SCORE.sub("S", actual):
        return False
    pairs = zip(_SCORE.findall(expected), _SCORE.findall(actual), strict=True)
    return all(abs(float(e) - float(a)) <= SCORE_TOLERANCE for e, a in pairs)


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines() if line.strip()]


def _sessions(block: str) -> list[tuple[list[str], str, list[str]]]:
    """Each ``$`` command of a console block: its arguments, what is typed, what it prints."""
    sessions: list[tuple[list[str], str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            command = shlex.split(line[2:], comments=True)
            assert command[0] == ".venv/bin/assistant", f"README runs {command[0]!r}, not the installed command"
            sessions.append((command[1:], "", []))
        elif line.startswith("> "):
            args, typed, out = sessions[-1]
            sessions[-1] = (args, typed + line[2:] + "\n", out)
        elif line.strip():
            sessions[-1][2].append(line.rstrip())
    return sessions


@pytest.fixture(scope="module")
def reader_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh folder as a reader has it after cloning: the corpus and nothing indexed."""
    folder = tmp_path_factory.mktemp("reader")
    shutil.copytree(CORPUS, folder / "data" / "corpus")
    return folder


def test_the_cli_examples_print_what_the_readme_shows(reader_folder: Path) -> None:
    for block, _ in _examples("cli"):
        for args, typed, expected in _sessions(block):
            result = run_cli(*args, data_dir=reader_folder / "data", cwd=reader_folder, stdin=typed)
            assert result.returncode == 0, result.stderr
            # What a reader's terminal shows: the answer on stdout, ingest's summary on stderr.
            shown = result.stdout + result.stderr
            assert _matches(expected, _lines(shown)), f"`assistant {' '.join(args)}` now prints:\n{shown}"


def _same_answer(expected: Any, actual: Any, key: str = "") -> bool:
    if key == "timings_ms":
        return set(expected) == set(actual)
    if key == "chunk_id":  # it depends on where the index lives
        return bool(re.fullmatch(r"[0-9a-f]{32}", actual))
    if key == "score":
        return abs(expected - actual) <= SCORE_TOLERANCE
    if key == "text" and isinstance(expected, str) and expected.endswith("..."):
        return actual.startswith(expected[:-3].rstrip())
    if isinstance(expected, dict):
        return set(expected) == set(actual) and all(_same_answer(v, actual[k], k) for k, v in expected.items())
    if isinstance(expected, list):
        return len(expected) == len(actual) and all(
            _same_answer(e, a, key) for e, a in zip(expected, actual, strict=True)
        )
    return bool(expected == actual)


def test_the_answer_object_is_what_ask_json_gives(reader_folder: Path) -> None:
    (block, _), *_ = _examples("answer-json")
    expected = json.loads(block)
    assert run_cli("ingest", "data/corpus", data_dir=reader_folder / "data", cwd=reader_folder).returncode == 0
    result = run_cli("ask", "--json", expected["query"], data_dir=reader_folder / "data", cwd=reader_folder)
    actual = json.loads(result.stdout)
    assert _same_answer(expected, actual), f"`assistant ask --json` now gives:\n{json.dumps(actual, indent=2)}"


def test_the_curl_example_answers(served: Served) -> None:
    (block, _), *_ = _examples("curl")
    command = shlex.split(block.replace("\\\n", " ").replace("http://127.0.0.1:8000", served.url))
    assert command[0] == "curl"
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    answer = json.loads(result.stdout)
    assert answer["abstained"] is False and answer["answer"].startswith("[Ambassador Kwatra] also engaged with Senator")


def test_the_openai_example_prints_what_the_readme_shows(served: Served) -> None:
    (block, printed), *_ = _examples("openai")
    script = block.replace("http://127.0.0.1:8000", served.url)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert _matches(_lines(printed), _lines(result.stdout)), f"the OpenAI example now prints:\n{result.stdout}"


def test_the_conversation_example_prints_what_the_readme_shows(served: Served, tmp_path: Path) -> None:
    """The curl calls against the served app, then the CLI beside it (as beside `make run`)."""
    from ui.remote import announce, withdraw

    from ..helpers import ASSISTANT

    (block, printed), *_ = _examples("conversations")
    script = block.replace("http://127.0.0.1:8000", served.url).replace(".venv/bin/assistant", str(ASSISTANT))
    settings = served.services.settings
    announce(settings, "127.0.0.1", int(served.url.rsplit(":", 1)[1]), served.services.local_token)
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
        env["ASSISTANT_DATA_DIR"] = str(settings.data_dir)
        result = subprocess.run(["bash", "-e", "-c", script], capture_output=True, text=True, timeout=300,
                                cwd=tmp_path, env=env)  # fmt: skip
    finally:
        withdraw(settings)
    assert result.returncode == 0, result.stderr
    shown = result.stdout + result.stderr  # the answers on stdout; the CLI's lines on stderr
    assert _matches(_lines(printed), _lines(shown)), f"the conversation example now prints:\n{shown}"
    assert (tmp_path / "eval" / "out" / "liked" / "results.json").exists()
