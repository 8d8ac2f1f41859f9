"""Kill `assistant serve` with SIGKILL at random moments during uploads, restart it, check it.

Rounds go on until ``--kills`` kills landed while the upload was running. Each round
starts a real `assistant serve` on 127.0.0.1 over an empty data folder,
uploads one small document and waits for its job, then sends one request with many
small files (each states one fact found in no other file) from a real HTTP client,
which polls the upload's job, kills the server at a random moment before that job
ended, starts it again on the same folder and
checks that it converged with no manual step:

- every listed document is answerable: a question about its own fact is answered
  from it, citing it (so its chunks are in the store);
- no file in the uploads folder is unlisted, and no staging leftovers remain;
- no duplicates: each source is listed once, and the store holds exactly the chunks
  the listed documents count.

Prints a JSON summary. Run: `make reliability` (or
`.venv/bin/python reliability/serve_kill_campaign.py --kills 10`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ASSISTANT = Path(sys.executable).parent / "assistant"
# A name's first seven letters (a first and a second syllable) are its own: the
# answerer matches terms on them. 13 x 13 names.
_FIRST = ["kal", "vor", "mib", "tes", "dun", "qua", "rel", "zor", "pim", "lod", "fen", "gra", "hux"]
_SECOND = ["bant", "corv", "dask", "elmo", "firn", "gost", "harp", "istr", "jolk", "mern", "nusk", "opal", "prew"]
_GOODS = ["copper wire", "salt", "rope", "lamp oil", "barley", "tin plates", "wool", "glass"]


@dataclass(frozen=True)
class Fact:
    """One uploaded file and the question only it answers."""

    name: str
    content: bytes
    question: str
    answer: str  # text the answer must contain

    @property
    def source(self) -> str:
        return f"data/uploads/{self.name}"


def facts(count: int, start: int = 0) -> list[Fact]:
    """``count`` small Markdown files, each naming a depot no other file names."""
    out = []
    for n in range(start, start + count):
        word = f"{_FIRST[n % 13]}{_SECOND[n // 13 % 13]}ia".capitalize()
        crates = 1000 + n * 37
        body = f"# {word} depot\n\nThe {word} depot holds {crates} crates of {_GOODS[n % len(_GOODS)]}.\n"
        out.append(Fact(f"depot-{n:04d}.md", body.encode(), f"How many crates does the {word} depot hold?",
                        f"{crates} crates"))  # fmt: skip
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """A real `assistant serve` process over ``root``/data, started and stopped by handle."""

    def __init__(self, root: Path):
        self.root = root
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = root / "serve.log"
        self.process: subprocess.Popen | None = None

    @property
    def uploads(self) -> Path:
        return self.root / "data" / "uploads"

    def start(self, timeout_s: float = 300) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
        env.update(ASSISTANT_DATA_DIR=str(self.root / "data"), ASSISTANT_CORPUS_DIR=str(self.root / "corpus"))
        with self.log.open("a") as sink:
            self.process = subprocess.Popen([str(ASSISTANT), "serve", "--port", str(self.port)], cwd=self.root,
                                            env=env, stdout=sink, stderr=subprocess.STDOUT)  # fmt: skip
        deadline = time.monotonic() + timeout_s
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"serve exited with {self.process.returncode}: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"serve was not up in {timeout_s} s: {self.log.read_text()[-2000:]}")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL, as the kernel's OOM killer or a power cut would end it."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class Upload:
    """One upload sent from a thread, then its job polled until it ends.

    ``status`` is the POST's HTTP status (202 when accepted), ``outcome`` the job's last
    status (``done`` or ``failed``); both stay None when the server died first, and
    ``error`` names the transport error that told the client so.
    """

    url: str
    files: list[Fact]
    status: int | None = None
    outcome: str | None = None
    job: str | None = None
    error: str = ""
    _thread: threading.Thread = field(init=False)

    def __post_init__(self) -> None:
        self._thread = threading.Thread(target=self._send, daemon=True)
        self._thread.start()

    def _send(self) -> None:
        try:
            with httpx.Client(base_url=self.url, timeout=600) as client:
                sent = [("files", (f.name, f.content, "text/markdown")) for f in self.files]
                response = client.post("/v1/documents", files=sent)
                self.status = response.status_code
                if response.status_code != 202:
                    return
                self.job = response.json()["id"]
                while True:
                    state = client.get(f"/v1/jobs/{self.job}").json()["status"]
                    if state in ("done", "failed"):
                        self.outcome = state
                        return
                    time.sleep(0.02)
        except httpx.TransportError as err:
            self.error = type(err).__name__

    @property
    def ended(self) -> bool:
        return self.outcome is not None or bool(self.error)

    def wait(self, timeout_s: float = 600) -> None:
        self._thread.join(timeout_s)


def staging(uploads: Path) -> list[str]:
    return sorted(p.name for p in uploads.glob(".staging-*")) if uploads.exists() else []


def on_disk(uploads: Path) -> list[str]:
    """Uploaded files in the folder (hidden entries are the server's own: lock, staging)."""
    if not uploads.exists():
        return []
    return sorted(p.name for p in uploads.iterdir() if p.is_file() and not p.name.startswith("."))


def wait_until(condition: Callable[[], bool], timeout_s: float = 300, every_s: float = 0.005) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(every_s)
    return True


@dataclass
class State:
    """What a restarted server shows, and what it should."""

    listed: list[str]  # sources, in listing order
    listed_chunks: int  # the sum of the listed documents' chunk counts
    stored_chunks: int  # the store's own count
    unanswerable: list[str]  # listed sources whose question is not answered from them
    unlisted: list[str]  # files in the uploads folder that are not listed
    staging: list[str]  # staging folders left over

    @property
    def duplicates(self) -> int:
        return len(self.listed) - len(set(self.listed))

    @property
    def converged(self) -> bool:
        return (not self.unanswerable and not self.unlisted and not self.staging and not self.duplicates
                and self.listed_chunks == self.stored_chunks)  # fmt: skip


def inspect(server: Server, known: list[Fact]) -> State:
    """Ask the running server about every listed document and compare with the folder."""
    by_source = {f.source: f for f in known}
    with httpx.Client(base_url=server.url, timeout=60) as client:
        listing = client.get("/v1/documents")
        listing.raise_for_status()
        body = listing.json()
        listed = [d["source"] for d in body["documents"]]
        unanswerable = []
        for source in listed:
            fact = by_source.get(source)
            if fact is None:
                unanswerable.append(source)
                continue
            reply = client.post("/v1/ask", json={"question": fact.question})
            answer = reply.json() if reply.status_code == 200 else {}
            cited = [c["source"] for c in answer.get("citations", [])]
            if not (cited and cited[0] == source and fact.answer in answer.get("answer", "")):
                unanswerable.append(source)
    names = set(listed)
    return State(
        listed=listed,
        listed_chunks=sum(d["chunks"] for d in body["documents"]),
        stored_chunks=body["chunks"],
        unanswerable=unanswerable,
        unlisted=[n for n in on_disk(server.uploads) if f"data/uploads/{n}" not in names],
        staging=staging(server.uploads),
    )


def upload_and_wait(server: Server, files: list[Fact]) -> None:
    upload = Upload(server.url, files)
    upload.wait()
    if (upload.status, upload.outcome) != (202, "done"):
        raise RuntimeError(f"upload answered {upload.status}, its job ended {upload.outcome} {upload.error}")


def run_round(root: Path, files: list[Fact], delay_s: float) -> dict:
    """One kill ``delay_s`` after the upload is sent, a restart, and the check."""
    root.mkdir(parents=True, exist_ok=True)
    server = Server(root)
    keep = facts(1, start=len(files))
    try:
        server.start()
        upload_and_wait(server, keep)
        upload = Upload(server.url, files)
        time.sleep(delay_s)
        landed = upload.outcome is None  # accepted or not, its job had not ended
        staged, moved = bool(staging(server.uploads)), len(on_disk(server.uploads)) - 1
        server.kill()
        upload.wait()
        started = time.monotonic()
        server.start()
        restart_s = time.monotonic() - started
        state = inspect(server, [*files, *keep])
    finally:
        server.stop()
    return {"delay_s": round(delay_s, 2), "upload_status": upload.status, "job_outcome": upload.outcome,
            "killed_mid_upload": landed,
            "staging_at_kill": staged,
            "files_moved_at_kill": moved, "restart_s": round(restart_s, 1), "listed": len(state.listed),
            "unanswerable": len(state.unanswerable), "unlisted": len(state.unlisted),
            "staging_left": len(state.staging), "duplicates": state.duplicates,
            "chunks_match": state.listed_chunks == state.stored_chunks,
            # A job that had reported done before the kill lost nothing.
            "done_but_unlisted": sum(f.source not in state.listed for f in files) if upload.outcome == "done" else 0,
            "keep_answerable": keep[0].source in state.listed and keep[0].source not in state.unanswerable,
            "converged": state.converged and keep[0].source in state.listed}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="serve-kill-campaign-"))
    files = facts(args.files)
    # A clean run measures how long the upload takes, so kills land anywhere in it.
    clean = Server(work / "clean")
    clean.root.mkdir()
    try:
        clean.start()
        started = time.monotonic()
        upload_and_wait(clean, files)
        upload_s = time.monotonic() - started
    finally:
        clean.stop()
    shutil.rmtree(clean.root, ignore_errors=True)
    rng = random.Random(args.seed)
    rounds: list[dict] = []
    # A kill that came after the upload had answered is checked too, but does not count
    # towards --kills: rounds go on until that many kills landed during an upload.
    while sum(r["killed_mid_upload"] for r in rounds) < args.kills and len(rounds) < 3 * args.kills:
        n = len(rounds)
        rounds.append(run_round(work / f"round{n}", files, rng.uniform(0.0, upload_s)))
        print(json.dumps({"round": n, **rounds[-1]}), file=sys.stderr, flush=True)
        shutil.rmtree(work / f"round{n}", ignore_errors=True)
    summary = {
        "files": args.files,
        "clean_upload_s": round(upload_s, 1),
        "kills_tried": len(rounds),
        "kills_mid_upload": sum(r["killed_mid_upload"] for r in rounds),
        # An upload answered with an error before the kill tells nothing: the run fails.
        "uploads_refused": sum(r["upload_status"] not in (None, 202) or r["job_outcome"] == "failed" for r in rounds),
        "kills_while_staging": sum(r["staging_at_kill"] for r in rounds),
        "kills_after_files_moved": sum(r["killed_mid_upload"] and r["files_moved_at_kill"] > 0 for r in rounds),
        "converged": sum(r["converged"] for r in rounds),
        "documents_checked": sum(r["listed"] for r in rounds),
        "unanswerable": sum(r["unanswerable"] for r in rounds),
        "unlisted": sum(r["unlisted"] for r in rounds),
        "duplicates": sum(r["duplicates"] for r in rounds),
        "done_but_unlisted": sum(r["done_but_unlisted"] for r in rounds),
        "restart_s_max": max((r["restart_s"] for r in rounds), default=0.0),
    }
    print(json.dumps(summary))
    shutil.rmtree(work, ignore_errors=True)
    ok = summary["converged"] == summary["kills_tried"] and summary["kills_mid_upload"] == args.kills
    return 0 if ok and not summary["uploads_refused"] else 1


if __name__ == "__main__":
    sys.exit(main())
