"""What the server's doors share: the application built by the core
(``assistant.app.build_application``) and the queue of upload jobs that the API and
the chat page both feed.

    >>> services = open_services(Settings())
    >>> services.documents.add_files([("notes.md", b"# Notes\\n\\nSolar parks grow.")]).added
    ['data/uploads/notes.md']
"""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.app import Application, build_application
from assistant.collections import Collections
from assistant.conversation_store import ConversationStore, conversations_path
from assistant.documents import Documents
from assistant.service import Assistant
from assistant.settings import Settings
from vectorstore.embeddings import Embedder

from .keys import KeyRing

if TYPE_CHECKING:
    from .jobs import IngestJobs


@dataclass
class Services:
    app: Application
    _jobs: IngestJobs | None = field(default=None, repr=False)
    # Proves a client can read the data folder (it is in the note beside the index
    # lock): such a client may have the server ingest paths on its own disk.
    local_token: str = field(default_factory=lambda: secrets.token_urlsafe(24), repr=False)

    @property
    def settings(self) -> Settings:
        return self.app.settings

    @property
    def assistant(self) -> Assistant:
        return self.app.assistant

    @property
    def documents(self) -> Documents:
        return self.app.documents

    @property
    def collections(self) -> Collections:
        """Every collection of the data folder or Chroma server (``default`` is ``app``)."""
        assert self.app.collections is not None  # built by build_application
        return self.app.collections

    def collection(self, name: str) -> Application:
        """The application answering from collection ``name`` (``UnknownCollectionError`` if none)."""
        return self.collections.get(name)

    @functools.cached_property
    def keys(self) -> KeyRing:
        """The API keys and what each may reach (``SettingsError`` for a bad keys file)."""
        return KeyRing.from_settings(self.settings)

    @functools.cached_property
    def conversations(self) -> ConversationStore:
        """The saved conversations of the data folder (opened on first use)."""
        return ConversationStore(conversations_path(self.settings))

    @property
    def jobs(self) -> IngestJobs:
        """The upload jobs of the API and the chat page (one queue, one worker)."""
        if self._jobs is None:
            from .jobs import IngestJobs

            self._jobs = IngestJobs(self.documents)
        return self._jobs

    def close_jobs(self) -> None:
        """Stop taking uploads; a job already running finishes first."""
        if self._jobs is not None:
            self._jobs.close()

    def close(self) -> None:
        self.close_jobs()
        if "conversations" in self.__dict__:
            self.conversations.close()
        self.app.close()


def open_services(settings: Settings, embedder: Embedder | None = None) -> Services:
    """Pass ``embedder`` to share an already loaded model (tests, several apps)."""
    return Services(build_application(settings, embedder=embedder))
