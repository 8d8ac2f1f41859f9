"""Saved conversations: each turn's question, its answer object with the citations, and
the feedback given on it, per owner (an API key, by its hash) and per collection.

They live in one SQLite file in the data folder (``DATA_DIR/conversations.sqlite3``),
through the standard ``sqlite3`` module: no server, no extra dependency, and in WAL
mode readers (``assistant feedback export`` beside a running server) never wait for a
writer. Each turn is its own transaction, committed once its answer is complete, with
``synchronous=FULL``: a process killed (even ``kill -9``) loses at most the turn it was
answering, and a power cut nothing already answered.

    >>> store = ConversationStore(conversations_path(settings))
    >>> saved = store.add_turn("key:3f2a...", None, "default", "Who is India's ambassador?", answer)
    >>> store.history("key:3f2a...", saved.id)[0].content
    "Who is India's ambassador?"

An owner reads, renames, deletes and rates only its own conversations; any other id is
``UnknownConversationError``, as if it did not exist.
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from core.errors import UnknownConversationError, UnknownTurnError

from .answer import Answer
from .conversation import Turn
from .settings import Settings

CONVERSATIONS_FILE = "conversations.sqlite3"
TITLE_CHARS = 80
Rating = Literal["up", "down"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    collection TEXT NOT NULL,
    title TEXT NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_by_owner ON conversations (owner, updated DESC);
CREATE TABLE IF NOT EXISTS turns (
    conversation TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    created REAL NOT NULL,
    rating TEXT CHECK (rating IN ('up', 'down')),
    comment TEXT,
    rated REAL,
    PRIMARY KEY (conversation, number)
);
CREATE TABLE IF NOT EXISTS sign_ins (
    user TEXT PRIMARY KEY,
    owner TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class Feedback:
    rating: Rating
    comment: str | None
    rated: float

    def to_json(self) -> dict[str, object]:
        return {"rating": self.rating, "comment": self.comment, "rated": self.rated}


@dataclass(frozen=True)
class SavedTurn:
    """One question and the answer it got; ``number`` counts from 0 in its conversation."""

    number: int
    question: str
    answer: Answer
    created: float
    feedback: Feedback | None = None

    def to_json(self) -> dict[str, object]:
        return {"turn": self.number, "question": self.question, "answer": self.answer.model_dump(mode="json"),
                "created": self.created, "feedback": self.feedback.to_json() if self.feedback else None}  # fmt: skip


@dataclass(frozen=True)
class Conversation:
    id: str
    collection: str
    title: str
    created: float
    updated: float
    turn_count: int
    turns: tuple[SavedTurn, ...] = ()

    def summary(self) -> dict[str, object]:
        return {"id": self.id, "object": "conversation", "collection": self.collection, "title": self.title,
                "created": self.created, "updated": self.updated, "turns": self.turn_count}  # fmt: skip

    def to_json(self) -> dict[str, object]:
        return {**self.summary(), "turns": [t.to_json() for t in self.turns]}

    def history(self) -> list[Turn]:
        """The turns as the assistant reads them: each question, then its answer."""
        return [
            turn
            for saved in self.turns
            for turn in (Turn(role="user", content=saved.question), Turn(role="assistant", content=saved.answer.answer))
        ]


@dataclass(frozen=True)
class RatedTurn:
    """A turn with feedback, with what came before it (for ``assistant feedback export``)."""

    conversation: str
    collection: str
    turn: SavedTurn
    earlier: tuple[SavedTurn, ...]


def conversations_path(settings: Settings) -> Path:
    """Where the data folder's conversations are kept."""
    return settings.data_dir / CONVERSATIONS_FILE


def title_of(question: str) -> str:
    """A new conversation's title: its first question, cut at a word near ``TITLE_CHARS``."""
    text = " ".join(question.split())
    if len(text) <= TITLE_CHARS:
        return text
    cut = text[: TITLE_CHARS - 1].rsplit(" ", 1)[0]
    return cut + "…"


class ConversationStore:
    """The conversations of one data folder; safe to share between threads, and between
    processes on one machine (SQLite locks the file)."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()  # one connection, one statement at a time
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        with self._transaction() as db:
            for statement in _SCHEMA.split(";"):  # executescript() would commit first
                if statement.strip():
                    db.execute(statement)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _owned(self, db: sqlite3.Connection, owner: str, conversation: str) -> tuple[str, str, str, float, float]:
        row = db.execute(
            "SELECT id, collection, title, created, updated FROM conversations WHERE id = ? AND owner = ?",
            (conversation, owner),
        ).fetchone()
        if row is None:
            raise UnknownConversationError(
                f"No conversation has the id {conversation!r}; GET /v1/conversations lists yours."
            )
        return row[0], row[1], row[2], row[3], row[4]

    def add_turn(
        self, owner: str, conversation: str | None, collection: str, question: str, answer: Answer
    ) -> Conversation:
        """Append a turn to ``conversation`` (``None``: to a new one, titled by the
        question), in one transaction; the conversation as it now is."""
        now = time.time()
        with self._transaction() as db:
            if conversation is None:
                conversation = secrets.token_hex(8)
                db.execute("INSERT INTO conversations VALUES (?, ?, ?, ?, ?, ?)",
                           (conversation, owner, collection, title_of(question), now, now))  # fmt: skip
            else:
                self._owned(db, owner, conversation)
                db.execute("UPDATE conversations SET updated = ? WHERE id = ?", (now, conversation))
            (number,) = db.execute("SELECT COUNT(*) FROM turns WHERE conversation = ?", (conversation,)).fetchone()
            db.execute("INSERT INTO turns (conversation, number, question, answer, created) VALUES (?, ?, ?, ?, ?)",
                       (conversation, number, question, answer.model_dump_json(), now))  # fmt: skip
            # Read before the commit: a client continuing the same conversation at once would
            # otherwise add its turn first, and this one's number would be read as the last.
            return self._read(db, owner, conversation)

    def owned_by(self, owner: str) -> list[Conversation]:
        """The owner's conversations, the most recently used first (without their turns)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT c.id, c.collection, c.title, c.created, c.updated, COUNT(t.number) FROM conversations c "
                "LEFT JOIN turns t ON t.conversation = c.id WHERE c.owner = ? GROUP BY c.id "
                "ORDER BY c.updated DESC, c.rowid DESC",
                (owner,),
            ).fetchall()
        return [Conversation(*row) for row in rows]

    def get(self, owner: str, conversation: str) -> Conversation:
        """One of the owner's conversations with every turn."""
        with self._lock:
            return self._read(self._db, owner, conversation)

    def _read(self, db: sqlite3.Connection, owner: str, conversation: str) -> Conversation:
        head = self._owned(db, owner, conversation)
        rows = db.execute(
            "SELECT number, question, answer, created, rating, comment, rated FROM turns "
            "WHERE conversation = ? ORDER BY number",
            (conversation,),
        ).fetchall()
        turns = tuple(_turn(row) for row in rows)
        id_, collection, title, created, updated = head
        return Conversation(id_, collection, title, created, updated, len(turns), turns)

    def rename(self, owner: str, conversation: str, title: str) -> Conversation:
        with self._transaction() as db:
            self._owned(db, owner, conversation)
            db.execute("UPDATE conversations SET title = ? WHERE id = ?", (title, conversation))
        return self.get(owner, conversation)

    def delete(self, owner: str, conversation: str) -> Conversation:
        """Delete a conversation with its turns and feedback; what it was."""
        held = self.get(owner, conversation)
        with self._transaction() as db:
            self._owned(db, owner, conversation)
            db.execute("DELETE FROM conversations WHERE id = ?", (conversation,))
        return held

    def rate(self, owner: str, conversation: str, number: int, rating: Rating, comment: str | None) -> SavedTurn:
        """Record feedback on a turn (a second rating replaces the first)."""
        with self._transaction() as db:
            self._owned(db, owner, conversation)
            updated = db.execute(
                "UPDATE turns SET rating = ?, comment = ?, rated = ? WHERE conversation = ? AND number = ?",
                (rating, comment or None, time.time(), conversation, number),
            ).rowcount
            if not updated:
                (count,) = db.execute("SELECT COUNT(*) FROM turns WHERE conversation = ?", (conversation,)).fetchone()
                raise UnknownTurnError(
                    f"The conversation {conversation!r} has no turn {number}; its turns are numbered 0 to {count - 1}."
                    if count
                    else f"The conversation {conversation!r} has no turns yet."
                )
        return next(t for t in self.get(owner, conversation).turns if t.number == number)

    def rated(self, collection: str, rating: Rating | None = None, owner: str | None = None) -> list[RatedTurn]:
        """The rated turns in ``collection`` (``rating``: only those; ``owner``: only its
        own, else every owner's), oldest first."""
        with self._lock:
            ids = [row[0] for row in self._db.execute(
                "SELECT DISTINCT c.id FROM conversations c JOIN turns t ON t.conversation = c.id "
                "WHERE c.collection = ? AND t.rating IS NOT NULL AND (? IS NULL OR c.owner = ?) "
                "ORDER BY c.created, c.rowid", (collection, owner, owner))]  # fmt: skip
            found = []
            for conversation in ids:
                rows = self._db.execute(
                    "SELECT number, question, answer, created, rating, comment, rated FROM turns "
                    "WHERE conversation = ? ORDER BY number",
                    (conversation,),
                ).fetchall()
                turns = [_turn(row) for row in rows]
                found += [
                    RatedTurn(conversation, collection, t, tuple(turns[: t.number]))
                    for t in turns
                    if t.feedback and (rating is None or t.feedback.rating == rating)
                ]
        return found

    def sign_in(self, user: str, owner: str) -> bool:
        """Whether ``user`` may sign in to the chat page as ``owner``: a user name stays with
        the key that first signed in with it, so no other key reads its conversations."""
        with self._transaction() as db:
            db.execute("INSERT OR IGNORE INTO sign_ins VALUES (?, ?)", (user, owner))
            (held,) = db.execute("SELECT owner FROM sign_ins WHERE user = ?", (user,)).fetchone()
        return bool(held == owner)

    def owner_of(self, user: str) -> str | None:
        """The owner a chat page user signed in as."""
        with self._lock:
            row = self._db.execute("SELECT owner FROM sign_ins WHERE user = ?", (user,)).fetchone()
        return None if row is None else str(row[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _turn(row: tuple) -> SavedTurn:
    number, question, answer, created, rating, comment, rated = row
    feedback = Feedback(rating, comment, rated) if rating else None
    return SavedTurn(number, question, Answer.model_validate_json(answer), created, feedback)
