"""The MCP server: agents search and ask the collections over the Model Context Protocol.

- ``assistant mcp`` serves it over stdio, for an agent that starts it as a subprocess;
  it opens the index as the CLI does and reaches every collection.
- ``assistant serve`` mounts it at ``/mcp`` (streamable HTTP, one JSON response per
  request, no session to keep). With API keys set a request needs
  ``Authorization: Bearer KEY``, and the key's scope holds: the tools and resources
  reach only the collections it may read, and another collection is the same "no
  collection is named" as one that does not exist.

Tools: ``search`` (passages with their source, offsets and score), ``ask`` (the
answer object of ``/v1/ask``) and ``collections`` (those the caller may read). Each
indexed document is a resource, ``assistant://collections/NAME/documents/ID``, whose
text holds every passage at its offsets.

    >>> server = build_mcp(services.collection, lambda _: ALL, services.collections.names)
    >>> server.run("stdio")
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any
from urllib.parse import urlparse

from fastapi import FastAPI
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError, ToolError
from mcp.server.streamable_http_manager import StreamableHTTPASGIApp
from mcp.server.transport_security import TransportSecuritySettings
from mcp.types import ListResourcesResult, Resource
from pydantic import BaseModel, Field
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.answer import Answer
from assistant.app import Application
from assistant.collections import DEFAULT
from assistant.filters import MAX_GLOBS, SourceFilter
from core.errors import AssistantError, UnknownCollectionError, UnknownDocumentError

from .keys import ALL, Access
from .limits import ACCESS, Refused

PATH = "/mcp"
URI = "assistant://collections/{collection}/documents/{document_id}"
INSTRUCTIONS = (
    "Answers questions from the user's own documents, every sentence cited. `ask` gives a grounded answer with "
    "citations (or says the documents do not hold one); `search` gives the passages themselves, with their source "
    "and character offsets into the document's resource; `collections` lists the document sets you may use."
)


class Passage(BaseModel):
    source: str = Field(description="The document the passage comes from, as cited.")
    title: str
    uri: str | None = Field(description="The document's resource, whose text[start:end] is this passage.")
    chunk_id: str
    text: str
    start: int = Field(description="Character offset of the passage in the document's text.")
    end: int
    score: float = Field(description="Cosine similarity to the query.")


class SearchResult(BaseModel):
    collection: str
    passages: list[Passage]


class CollectionInfo(BaseModel):
    name: str
    documents: int
    chunks: int


class CollectionList(BaseModel):
    collections: list[CollectionInfo]


Lookup = Callable[[str], Application]
Globs = Annotated[list[str] | None, Field(max_length=MAX_GLOBS, description="Only documents whose source matches "
                                          "one of these globs, e.g. handbook/*.md.")]  # fmt: skip
Types = Annotated[list[str] | None, Field(max_length=10, description="Only documents of these file types: txt, md, "
                                          "html, pdf, docx.")]  # fmt: skip
AccessOf = Callable[[Context], Access]


def access_of_request(keys_required: bool) -> AccessOf:
    """What the caller may reach: what ``Admission`` found for the HTTP request's key,
    or everything on stdio (whoever started the process can read the data folder)."""

    def access(ctx: Context) -> Access:
        request = ctx.request_context.request
        if request is None:
            return ALL
        found: Access | None = request.scope.get("state", {}).get(ACCESS)
        if found is None:
            return Access(frozenset(), frozenset()) if keys_required else ALL
        return found

    return access


def _missing(name: str) -> str:
    return f"No collection is named {name!r}; the collections tool lists those you may use."


def build_mcp(lookup: Lookup, access_of: AccessOf, names: Callable[[], list[str]]) -> MCPServer:
    """The MCP server over the collections ``lookup`` opens by name, for callers whose
    access ``access_of`` tells; ``names`` lists every collection."""
    server = _Server("grounded-assistant", instructions=INSTRUCTIONS, log_level="WARNING")
    server.names, server.lookup, server.access_of = names, lookup, access_of

    def _open(ctx: Context, name: str) -> Application:
        if not access_of(ctx).can_read(name):
            raise ToolError(_missing(name))
        try:
            return lookup(name)
        except UnknownCollectionError:
            raise ToolError(_missing(name)) from None

    @server.tool(description="The passages of a collection that best match a query, best first, each with its "
                 "source, its character offsets in the document and its score.")  # fmt: skip
    def search(ctx: Context, query: str, collection: str = DEFAULT, k: Annotated[int, Field(ge=1, le=50)] = 5,
               sources: Globs = None, types: Types = None) -> SearchResult:  # fmt: skip
        app = _open(ctx, collection)
        try:
            hits = app.assistant.passages(query, k, top_k=k, only=SourceFilter.of(sources, types))
            ids = {r.source: r.id for r in app.documents.indexed()}
        except AssistantError as err:
            raise ToolError(str(err)) from None
        passages = [
            Passage(source=h.chunk.source, title=h.chunk.title, chunk_id=h.chunk.id, text=h.chunk.text,
                    start=h.chunk.start, end=h.chunk.end, score=h.score,
                    uri=URI.format(collection=collection, document_id=ids[h.chunk.source])
                    if h.chunk.source in ids else None)
            for h in hits
        ]  # fmt: skip
        return SearchResult(collection=collection, passages=passages)

    @server.tool(description="Answer a question from a collection's documents: every sentence cites a passage "
                 "([n] marks its citation); when the documents do not hold the answer, abstained is true.")  # fmt: skip
    def ask(ctx: Context, question: str, collection: str = DEFAULT,
            top_k: Annotated[int | None, Field(ge=1, le=50)] = None, sources: Globs = None,
            types: Types = None) -> Answer:  # fmt: skip
        app = _open(ctx, collection)
        try:
            return app.assistant.ask(question, top_k=top_k, only=SourceFilter.of(sources, types))
        except AssistantError as err:
            raise ToolError(str(err)) from None

    @server.tool(name="collections", description="The collections (document sets) you may use, with their "
                 "document and passage counts.")  # fmt: skip
    def list_collections(ctx: Context) -> CollectionList:
        access = access_of(ctx)
        listed = []
        for name in access.readable(names()):
            with contextlib.suppress(UnknownCollectionError):  # deleted meanwhile
                app = lookup(name)
                listed.append(CollectionInfo(name=name, documents=len(app.documents.indexed()),
                                             chunks=app.assistant.store.count()))  # fmt: skip
        return CollectionList(collections=listed)

    @server.resource(URI, mime_type="text/plain", description="A document's text as the index holds it.")
    def document(collection: str, document_id: str, ctx: Context) -> str:
        if not access_of(ctx).can_read(collection):
            raise ResourceNotFoundError(_missing(collection))
        try:
            return lookup(collection).documents.text(document_id)[1]
        except UnknownCollectionError:
            raise ResourceNotFoundError(_missing(collection)) from None
        except UnknownDocumentError:
            raise ResourceNotFoundError(f"The collection {collection!r} holds no document {document_id!r}; resources/list "
                                "lists them.") from None  # fmt: skip
        except AssistantError as err:
            raise ResourceError(str(err)) from None

    return server


class _Server(MCPServer):
    """Lists each readable collection's documents as resources, per caller."""

    names: Callable[[], list[str]]
    lookup: Lookup
    access_of: AccessOf

    async def _handle_list_resources(self, ctx: Any, params: Any) -> ListResourcesResult:
        import anyio.to_thread

        access = self.access_of(Context(request_context=ctx, mcp_server=self))
        return ListResourcesResult(resources=await anyio.to_thread.run_sync(self._resources, access))

    def _resources(self, access: Access) -> list[Resource]:
        resources = []
        for name in access.readable(self.names()):
            with contextlib.suppress(UnknownCollectionError):
                for record in self.lookup(name).documents.indexed():
                    resources.append(Resource(uri=URI.format(collection=name, document_id=record.id),
                                              name=record.source, title=record.title or record.source,
                                              description=f"{record.chunks} passages, collection {name}",
                                              mime_type="text/plain"))  # fmt: skip
        return resources


class _LocalOrigins:
    """Refuse a request other than POST (405), and a browser request from an origin not
    allowed (403): a page on another site, even one whose name resolves to this machine,
    cannot call the tools."""

    def __init__(self, app: ASGIApp, origins: list[str]):
        self.app, self.origins = app, set(origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("method") != "POST":
            # Stateless: no event stream for GET, no session for DELETE to end. The SDK
            # would hold a GET open without a word, and its slot with it.
            await Refused(405, "method_not_allowed", f"{PATH} takes POST only: each request gets one JSON "
                          "response, and no stream or session is kept.", [(b"allow", b"POST")]).send(send)  # fmt: skip
            return
        origin = dict(scope.get("headers") or []).get(b"origin", b"").decode("latin-1")
        host = urlparse(origin).hostname if origin else None
        if origin and origin not in self.origins and host not in ("localhost", "127.0.0.1", "::1"):
            await Refused(403, "origin_not_allowed", f"Requests from {origin} may not use {PATH}; add it to "
                          "ASSISTANT_CORS_ORIGINS to allow it.").send(send)  # fmt: skip
            return
        await self.app(scope, receive, send)


def mount_mcp(app: FastAPI, server: MCPServer, origins: list[str]) -> None:
    """Serve ``server`` at ``/mcp`` on ``app`` (before the chat page, which takes every
    other path); its session manager runs for as long as the app does."""
    # No session state (any worker can answer any request); the keys are checked by
    # ``Admission`` and the origin here, so the SDK's own host check stays off.
    server.streamable_http_app(stateless_http=True, json_response=True,
                               transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False))  # fmt: skip
    manager = server.session_manager
    app.router.routes.append(Route(PATH, endpoint=_LocalOrigins(StreamableHTTPASGIApp(manager), origins)))
    previous = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(running: Any) -> AsyncIterator[Any]:
        async with manager.run(), previous(running) as state:
            yield state

    app.router.lifespan_context = lifespan
