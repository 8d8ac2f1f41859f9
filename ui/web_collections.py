"""The chat page's collection picker: which document set answers, takes uploads and
is evaluated, among those the signed-in key may read.

The page is built once for everyone, so it holds no collection's name or counts: the
picker's choices and the header are filled per session when the page loads. Every
handler checks the key again, because the page's routes can be called without the
page (gradio_client, a hand-made request): a collection the key may not read gets the
same "No collection is named ..." as one that does not exist, and an upload to one it
may only read is refused, saying so.

With keys set, a user signs in with any user name and a key as the password; the name
stays with the first key that signed in with it while the server runs, so another key
cannot take over a session's name (and with it what that key may reach).

    >>> page = PageKeys(services.keys)
    >>> picker = CollectionPicker(services, page)
    >>> picker.readable(None, request).collection
    'default'
"""

from __future__ import annotations

import hashlib
import threading
from typing import Any

import gradio as gr

from assistant.app import Application
from assistant.collections import DEFAULT
from core.errors import UnknownCollectionError

from .keys import ALL, NONE, Access, KeyRing
from .wiring import Services


class PageKeys:
    """Who signed in to the chat page, and what their key may reach."""

    def __init__(self, keys: KeyRing):
        self.keys = keys
        self._users: dict[str, tuple[str, Access]] = {}
        self._lock = threading.Lock()

    def sign_in(self, user: str, password: str) -> bool:
        """Gradio's sign-in check: a valid key, and a user name not taken by another key."""
        access = self.keys.lookup(password)
        if access is None:
            return False
        digest = hashlib.sha256(password.encode()).hexdigest()
        with self._lock:
            taken = self._users.get(user)
            if taken is not None and taken[0] != digest:
                return False
            self._users[user] = (digest, access)
        return True

    def access(self, request: gr.Request | None) -> Access:
        """What the session's key may reach (everything when the server needs no key)."""
        if not self.keys.required:
            return ALL
        user = getattr(request, "username", None)
        with self._lock:
            found = self._users.get(user) if user else None
        return found[1] if found else NONE


def _missing(name: str) -> gr.Error:
    return gr.Error(f"No collection is named {name!r}; choose one from the Collection list.")


class CollectionPicker:
    """The picker, and the collection each of the page's handlers may use."""

    def __init__(self, services: Services, page: PageKeys):
        self.services, self.page = services, page

    def names(self, request: gr.Request | None) -> list[str]:
        """The collections the session may read, ``default`` first."""
        return self.page.access(request).readable(self.services.collections.names())

    def readable(self, name: str | None, request: gr.Request | None) -> Application:
        """Collection ``name`` (none chosen yet: the session's first) when the key may read it."""
        if not name:
            names = self.names(request)
            if not names:
                raise gr.Error("This key may read no collection; sign in with another key.")
            name = names[0]
        if not self.page.access(request).can_read(name):
            raise _missing(name)
        try:
            return self.services.collection(name)
        except UnknownCollectionError:
            raise _missing(name) from None

    def writable(self, name: str | None, request: gr.Request | None) -> Application:
        app = self.readable(name, request)
        if not self.page.access(request).can_write(app.collection):
            raise gr.Error(f"This key may read the collection {app.collection!r} but not add documents to it; sign "
                           "in with a key that may write to it.")  # fmt: skip
        return app

    def status(self, name: str | None, request: gr.Request) -> str:
        """The header: how many documents of which collection answer."""
        try:
            app = self.readable(name, request)
        except gr.Error as err:
            return f"**{err.message}**"
        return index_status(app)

    def loaded(self, request: gr.Request) -> tuple[Any, str]:
        """The session's choices and header, when the page loads."""
        names = self.names(request)
        chosen = names[0] if names else None
        return gr.update(choices=names, value=chosen), self.status(chosen, request)

    def dropdown(self) -> gr.Dropdown:
        # No choices in the page itself (everyone gets it): `loaded` fills them per session.
        # Custom values pass Gradio's own check; `readable` checks every value against the key.
        # One line beside the header (the page fits a laptop screen); the label stays for screen readers.
        return gr.Dropdown(choices=[], value=None, label="Collection", show_label=False, container=False,
                           elem_id="collection", allow_custom_value=True, scale=0, min_width=200)  # fmt: skip


def index_status(app: Application) -> str:
    """The header for a collection: how many documents answer, and from which collection."""
    documents = app.documents.indexed()
    chunks = sum(d.chunks for d in documents)
    where = "" if app.collection == DEFAULT else f" of the collection **{app.collection}**"
    if not documents:
        if app.collection == DEFAULT:
            return "**The index is empty.** Add documents below, or run `assistant ingest PATH`."
        return (f"**The collection {app.collection} is empty.** Add documents below, or run `assistant ingest PATH "
                f"--collection {app.collection}`.")  # fmt: skip
    noun = "document" if len(documents) == 1 else "documents"
    return (f"Answering from **{len(documents)} {noun}**{where} ({chunks} passages). Every sentence cites its "
            "passage.")  # fmt: skip
