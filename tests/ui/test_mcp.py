"""The MCP server through the `mcp` package's own client: over stdio (the client starts
`assistant mcp`) and over streamable HTTP at /mcp of a real `assistant serve`, where
keys scoped to collections never reach another collection's documents, passages or
counts, also by a passage only keyword search (BM25) finds."""

from __future__ import annotations

import asyncio
import json
import shutil
import signal
import subprocess
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
import httpx2
import pytest
from mcp import Client, MCPError, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from assistant.app import build_application
from assistant.settings import Settings

from ..conftest import SEED_DOC
from ..helpers import ASSISTANT, free_port, run_cli, start_serve, write_corpus

ADMIN, ROCKETS, READER = "admin-key-1", "rockets-key-2", "default-reader-3"
VALVE = "# Spares\n\nOrder the spare valve for the pump under the code zq7731 from the depot in Pune.\n"
# Dense search ranks the valve passage below the 20 it takes; only BM25 finds it.
KEYWORD_ONLY = "Who should order zq7731 for the officials delegation?"
HAGERTY = "Which senator from Tennessee did the ambassador meet?"
ABSTAINED = "I could not find the answer to that in the indexed documents."
BOTH = [{"name": "default", "documents": 1, "chunks": 21}, {"name": "rockets", "documents": 41, "chunks": 41}]

T = TypeVar("T")


def make_folder(folder: Path, embedder) -> Path:
    """`default` holds the seed document, `rockets` 40 reports and valve.md."""
    (folder / "corpus").mkdir(parents=True)
    shutil.copy(SEED_DOC, folder / "corpus")
    write_corpus(folder / "rockets", 40)
    (folder / "rockets" / "valve.md").write_text(VALVE, encoding="utf-8")
    app = build_application(Settings(data_dir=folder / "data"), embedder=embedder)
    try:
        assert app.documents.ingest([folder / "corpus"]).chunks == 21
        assert app.collections is not None
        assert app.collections.create("rockets").documents.ingest([folder / "rockets"]).chunks == 41
    finally:
        app.close()
    return folder


def session(server: Any, action: Callable[[Client], Awaitable[T]]) -> T:
    """``action`` on a client connected to ``server`` (stdio parameters or an HTTP transport)."""

    async def main() -> T:
        async with Client(server, read_timeout_seconds=120) as client:
            return await action(client)

    return asyncio.run(main())


def text_of(result: Any) -> str:
    return "".join(part.text for part in result.content)


# --- over stdio -----------------------------------------------------------------


@pytest.fixture(scope="module")
def stdio(tmp_path_factory: pytest.TempPathFactory, embedder) -> StdioServerParameters:
    folder = make_folder(tmp_path_factory.mktemp("mcp-stdio"), embedder)
    return StdioServerParameters(command=str(ASSISTANT), args=["mcp"], cwd=str(folder),
                                 env={"ASSISTANT_DATA_DIR": str(folder / "data")})  # fmt: skip


def test_stdio_lists_the_tools_and_answers_with_the_answer_object(stdio: StdioServerParameters) -> None:
    async def action(client: Client) -> tuple[Any, ...]:
        tools = await client.list_tools()
        answer = await client.call_tool("ask", {"question": HAGERTY})
        listed = await client.call_tool("collections", {})
        missing = await client.call_tool("ask", {"question": HAGERTY, "collection": "missiles"})
        bad = await client.call_tool("search", {"query": HAGERTY, "types": ["xls"]})
        return tools, answer, listed, missing, bad

    tools, answer, listed, missing, bad = session(stdio, action)
    assert sorted(tool.name for tool in tools.tools) == ["ask", "collections", "search"]
    ask_schema = next(tool for tool in tools.tools if tool.name == "ask").input_schema
    assert (ask_schema["required"], sorted(ask_schema["properties"])) == (
        ["question"], ["collection", "question", "sources", "top_k", "types"])  # fmt: skip
    body = answer.structured_content
    assert (answer.is_error, body["abstained"], body["mode"]) == (False, False, "extractive")
    assert "Bill Hagerty" in body["answer"] and Path(body["citations"][0]["source"]).name == SEED_DOC.name
    assert json.loads(text_of(answer)) == body
    assert listed.structured_content == {"collections": BOTH}
    assert (missing.is_error, text_of(missing)) == (True, "Error executing tool ask: No collection is named "
                                                    "'missiles'; the collections tool lists those you may use.")  # fmt: skip
    assert (bad.is_error, text_of(bad)) == (True, "Error executing tool search: 'xls' is not a file type documents "
                                            "are read from: use txt, md, html, pdf, docx.")  # fmt: skip


def test_stdio_passages_carry_offsets_into_their_document_resource(stdio: StdioServerParameters) -> None:
    async def action(client: Client) -> tuple[Any, ...]:
        found = await client.call_tool("search", {"query": KEYWORD_ONLY, "collection": "rockets", "k": 3})
        filtered = await client.call_tool("search", {"query": KEYWORD_ONLY, "collection": "rockets", "k": 20,
                                                     "types": ["txt"]})  # fmt: skip
        resources = await client.list_resources()
        first = found.structured_content["passages"][0]
        document = await client.read_resource(first["uri"])
        return found, filtered, resources, document

    found, filtered, resources, document = session(stdio, action)
    passages = found.structured_content["passages"]
    assert (found.structured_content["collection"], len(passages)) == ("rockets", 3)
    valve = passages[0]
    assert Path(valve["source"]).name == "valve.md" and "zq7731" in valve["text"]
    [content] = document.contents
    assert (content.mime_type, content.text[valve["start"] : valve["end"]]) == ("text/plain", valve["text"])
    assert [p for p in filtered.structured_content["passages"] if not p["source"].endswith(".txt")] == []
    assert len(filtered.structured_content["passages"]) == 20
    uris = [r.uri for r in resources.resources]
    assert (len(uris), sum(u.startswith("assistant://collections/rockets/documents/") for u in uris)) == (42, 41)
    assert valve["uri"] in uris


# --- over HTTP, with keys -------------------------------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[tuple[Path, str, subprocess.Popen[str]]]:
    folder = make_folder(tmp_path_factory.mktemp("mcp-http"), embedder)
    keys = folder / "keys.json"
    keys.write_text(json.dumps({ROCKETS: {"write": ["rockets"]}, READER: {"read": ["default"]}}), encoding="utf-8")
    port = free_port()
    server = start_serve(folder, port, settings={"ASSISTANT_API_KEYS": ADMIN, "ASSISTANT_API_KEYS_FILE": str(keys)})
    yield folder, f"http://127.0.0.1:{port}", server
    server.send_signal(signal.SIGINT)
    server.communicate(timeout=30)


def over_http(url: str, key: str, action: Callable[[Client], Awaitable[T]], **headers: str) -> T:
    client = httpx2.AsyncClient(headers={"Authorization": f"Bearer {key}", **headers}, timeout=120)
    return session(streamable_http_client(f"{url}/mcp", http_client=client), action)


@pytest.mark.parametrize(
    ("key", "listed"), [(ADMIN, BOTH), (ROCKETS, BOTH[1:]), (READER, BOTH[:1])], ids=["admin", "rockets", "reader"]
)
def test_each_key_sees_only_the_collections_it_may_read(served, key: str, listed: list[dict]) -> None:
    async def action(client: Client) -> tuple[Any, ...]:
        return await client.call_tool("collections", {}), await client.list_resources()

    collections, resources = over_http(served[1], key, action)
    assert collections.structured_content == {"collections": listed}
    named = sorted({r.uri.split("/")[3] for r in resources.resources})
    assert named == [c["name"] for c in listed]
    assert len(resources.resources) == sum(c["documents"] for c in listed)


def test_a_key_never_reaches_another_collection_through_mcp(served) -> None:
    _, url, _ = served

    async def rockets_uri(client: Client) -> str:
        return (await client.call_tool("search", {"query": KEYWORD_ONLY, "collection": "rockets",
                                                  "k": 1})).structured_content["passages"][0]["uri"]  # fmt: skip

    valve = over_http(url, ROCKETS, rockets_uri)

    async def action(client: Client) -> tuple[Any, ...]:
        tries = [await client.call_tool(tool, {arg: KEYWORD_ONLY, "collection": "rockets"})
                 for tool, arg in (("ask", "question"), ("search", "query"))]  # fmt: skip
        own_search = await client.call_tool("search", {"query": KEYWORD_ONLY, "k": 20})
        own_answer = await client.call_tool("ask", {"question": KEYWORD_ONLY})
        reads = []
        for uri in (valve, valve.replace("/rockets/", "/missiles/")):
            with pytest.raises(MCPError) as refused:
                await client.read_resource(uri)
            reads.append(refused.value.error.message)
        return tries, own_search, own_answer, reads

    tries, own_search, own_answer, reads = over_http(url, READER, action)
    missing = "No collection is named {!r}; the collections tool lists those you may use."
    assert [(t.is_error, text_of(t)) for t in tries] == [
        (True, f"Error executing tool ask: {missing.format('rockets')}"),
        (True, f"Error executing tool search: {missing.format('rockets')}"),
    ]
    assert reads == [missing.format("rockets"), missing.format("missiles")]
    # The valve is a keyword-only hit in `rockets`: the reader's own collection never shows it.
    passages = own_search.structured_content["passages"]
    assert len(passages) == 20 and not [p for p in passages if "zq7731" in p["text"]]
    body = own_answer.structured_content
    assert (body["answer"], body["citations"], body["abstained"]) == (ABSTAINED, [], True)


def test_the_ask_tool_gives_what_v1_ask_gives(served) -> None:
    _, url, _ = served

    async def action(client: Client) -> Any:
        return (await client.call_tool("ask", {"question": KEYWORD_ONLY, "collection": "rockets",
                                               "sources": ["valve.md"]})).structured_content  # fmt: skip

    over_mcp = over_http(url, ROCKETS, action)
    native = httpx.post(f"{url}/v1/ask", json={"question": KEYWORD_ONLY, "collection": "rockets",
                                               "sources": ["valve.md"]},
                        headers={"Authorization": f"Bearer {ROCKETS}"}, timeout=60).json()  # fmt: skip
    assert {**over_mcp, "timings_ms": None} == {**native, "timings_ms": None}
    assert [Path(c["source"]).name for c in over_mcp["citations"]] == ["valve.md"]


def test_mcp_over_http_needs_a_key_and_a_local_origin(served) -> None:
    _, url, _ = served
    hello = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
    for headers, status, code, message in [
        ({}, 401, "invalid_api_key", "A valid API key is required: send `Authorization: Bearer KEY`."),
        ({"Authorization": "Bearer rockets-key-"}, 401, "invalid_api_key",
         "A valid API key is required: send `Authorization: Bearer KEY`."),
        ({"Authorization": f"Bearer {ADMIN}", "Origin": "http://evil.example"}, 403, "origin_not_allowed",
         "Requests from http://evil.example may not use /mcp; add it to ASSISTANT_CORS_ORIGINS to allow it."),
    ]:  # fmt: skip
        response = httpx.post(f"{url}/mcp", json=hello, headers={"Accept": "application/json, text/event-stream",
                                                                 **headers})  # fmt: skip
        assert (response.status_code, response.json()["error"]["code"], response.json()["error"]["message"]) == (
            status, code, message)  # fmt: skip

    async def action(client: Client) -> Any:
        return await client.list_tools()

    with pytest.raises(BaseExceptionGroup) as refused:
        over_http(url, "not-a-key", action)
    assert "Server returned an error response" in repr(refused.value)


def test_assistant_mcp_beside_the_running_server_points_to_its_endpoint(served) -> None:
    folder, url, server = served
    result = run_cli("mcp", data_dir=folder / "data", cwd=folder, timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (
        1, "", f"Error: `assistant serve` (pid {server.pid}) holds the index: connect the agent to its MCP endpoint, "
        f"{url}/mcp, or stop the server first.\n")  # fmt: skip
