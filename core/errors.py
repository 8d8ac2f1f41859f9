"""The project's exception tree.

Every error the core raises on purpose is an ``AssistantError``; the edges (CLI, API,
web UI) catch that one base class and turn it into a message once. Messages say what
to do next, because they are shown to users as they are::

    AssistantError
    ├── StoreError
    │   ├── StoreLockedError      another process owns the embedded index
    │   ├── IngestInProgressError another upload, delete or ingest is writing (retry shortly)
    │   └── StoreUnavailableError the Chroma server cannot be reached
    ├── EmptyIndexError           nothing has been ingested yet
    │   └── NoMatchingDocumentsError  no document matches a question's filter
    ├── UnknownDocumentError      no indexed document has that id
    ├── CollectionError           a collection cannot be used as asked
    │   ├── UnknownCollectionError    no collection has that name
    │   ├── CollectionNameError       a name collections may not have
    │   ├── CollectionExistsError     creating a collection that exists
    │   └── DefaultCollectionError    deleting the default collection
    ├── ConversationError         a saved conversation cannot be used as asked
    │   ├── UnknownConversationError  no conversation of the caller's has that id
    │   └── UnknownTurnError          the conversation has no turn of that number
    ├── LLMUnavailableError       the language model server failed (the caller falls back)
    ├── DocumentError             one file cannot be read (corrupt, empty, bad encoding)
    │   ├── UnsupportedFileError  a type no loader handles
    │   ├── InvalidUploadError    an upload that cannot be stored as sent
    │   │   └── TooManyFilesError more files in one upload than allowed
    │   └── UploadTooLargeError   more bytes in one upload than allowed
    └── InvalidQuestionError      an empty or over-long question
        └── InvalidFilterError    a source glob or file type that cannot filter

The tree lives here, at the bottom of the import graph, so that ``ingest`` and
``assistant`` can both raise from it without importing each other.
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base class of every error meant to be shown to a user."""


class SettingsError(AssistantError):
    """An ``ASSISTANT_*`` variable (or ``.env`` entry) holds a value that cannot work."""


class StoreError(AssistantError):
    """The vector store cannot be used."""


class StoreLockedError(StoreError):
    """Another process holds the embedded index."""


class IngestInProgressError(StoreError):
    """Another upload, delete or ingest holds the write lock past the wait allowed."""

    retry_after_s = 5  # most uploads of the allowed size finish within a few seconds


class StoreUnavailableError(StoreError):
    """The configured Chroma server does not answer."""


class EmptyIndexError(AssistantError):
    """A question was asked before anything was ingested."""


class NoMatchingDocumentsError(EmptyIndexError):
    """A question's filter (source globs, file types) leaves no document to answer from."""


class UnknownDocumentError(AssistantError):
    """A document id that the index does not hold."""


class CollectionError(AssistantError):
    """A collection (a named document set) cannot be used as asked."""


class UnknownCollectionError(CollectionError):
    """No collection has that name."""


class CollectionNameError(CollectionError):
    """A name that a collection may not have."""


class CollectionExistsError(CollectionError):
    """A collection of that name exists already."""


class DefaultCollectionError(CollectionError):
    """The default collection cannot be deleted."""


class ConversationError(AssistantError):
    """A saved conversation cannot be used as asked."""


class UnknownConversationError(ConversationError):
    """No conversation of the caller's has that id (another key's is the same: unknown)."""


class UnknownTurnError(ConversationError):
    """The conversation has no turn of that number."""


class LLMUnavailableError(AssistantError):
    """The configured language model did not answer usably."""


class DocumentError(AssistantError):
    """A source document cannot be turned into text."""


class UnsupportedFileError(DocumentError):
    """No loader handles this file type."""


class InvalidUploadError(DocumentError):
    """An upload that cannot be stored as sent: a name twice, a file with no text."""


class TooManyFilesError(InvalidUploadError):
    """More files in one upload than ``max_upload_files`` allows."""


class UploadTooLargeError(DocumentError):
    """More bytes of files in one upload than ``max_upload_mb`` allows."""


class InvalidQuestionError(AssistantError):
    """The question is empty or too long."""


class InvalidFilterError(InvalidQuestionError):
    """A source glob or file type that cannot filter a question."""
