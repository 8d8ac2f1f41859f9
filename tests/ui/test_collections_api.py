"""Collections through the served app (uvicorn on 127.0.0.1, real Chroma, the real model):
the native API, the OpenAI-compatible API through the real `openai` client, and keys
scoped to collections that never see another collection's documents, passages, titles
or counts, by dense or by keyword (BM25) search."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest
from openai import OpenAI

from assistant.settings import Settings

from ..conftest import CORPUS
from ..helpers import write_corpus
from .conftest import Served, serve

ADMIN, ROCKETS, READER = "admin-key-1", "rockets-key-2", "default-reader-3"
VALVE = b"# Spares\n\nOrder the spare valve for the pump under the code zq7731 from the depot in Pune.\n"
# Dense search ranks the valve passage below the 20 it takes; only BM25 finds it (checked below).
KEYWORD_ONLY = "Who should order zq7731 for the officials delegation?"
HAGERTY = "Which senator from Tennessee did the ambassador meet?"
ABSTAINED = "I could not find the answer to that in the indexed documents."


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[Served]:
    """`default` holds the bundled corpus; `rockets` 40 reports and, uploaded by its own
    key, valve.md. ADMIN reaches everything, ROCKETS writes `rockets` only, READER reads
    `default` only."""
    folder = tmp_path_factory.mktemp("collections-api")
    keys = folder / "keys.json"
    keys.write_text(json.dumps({ROCKETS: {"write": ["rockets"]}, READER: {"read": ["default"]}}), encoding="utf-8")
    settings = Settings(data_dir=folder / "data", corpus_dir=CORPUS, api_keys=[ADMIN], api_keys_file=keys)
    write_corpus(folder / "reports", 40)
    for served in serve(settings, embedder, ingest=True):
        assert served.services.collections.create("rockets").documents.ingest([folder / "reports"]).chunks == 40
        uploaded = call(served, ROCKETS, "POST", "/v1/documents?collection=rockets&wait=true",
                        files=[("files", ("valve.md", VALVE, "text/markdown"))])  # fmt: skip
        assert (uploaded.status_code, uploaded.json()["chunks"]) == (200, 41)
        yield served


def call(served: Served, key: str, method: str, path: str, **options) -> httpx.Response:
    return httpx.request(method, f"{served.url}{path}", headers={"Authorization": f"Bearer {key}"}, timeout=60,
                         **options)  # fmt: skip


def ask(served: Served, key: str, question: str, collection: str | None = None) -> httpx.Response:
    body = {"question": question} if collection is None else {"question": question, "collection": collection}
    return call(served, key, "POST", "/v1/ask", json=body)


def not_found(name: str, param: str = "collection") -> dict:
    return {"error": {"message": f"No collection is named {name!r}; GET /v1/collections lists those you may use.",
                      "type": "invalid_request_error", "code": "collection_not_found", "param": param}}  # fmt: skip


def client(served: Served, key: str) -> OpenAI:
    return OpenAI(base_url=f"{served.url}/v1", api_key=key, max_retries=0)


def chat(served: Served, key: str, model: str, question: str, **options):
    return client(served, key).chat.completions.create(model=model, messages=[{"role": "user", "content": question}],
                                                       **options)  # fmt: skip


ROCKETS_OUT = {"object": "collection", "name": "rockets", "documents": 41, "chunks": 41,
               "model": "grounded-assistant:rockets"}  # fmt: skip
DEFAULT_OUT = {"object": "collection", "name": "default", "documents": 1, "chunks": 21, "model": "grounded-assistant"}


@pytest.mark.parametrize(
    ("key", "listed"),
    [(ADMIN, [DEFAULT_OUT, ROCKETS_OUT]), (ROCKETS, [ROCKETS_OUT]), (READER, [DEFAULT_OUT])],
    ids=["admin", "rockets-key", "reader-key"],
)
def test_each_key_lists_only_the_collections_it_may_read(app: Served, key: str, listed: list[dict]) -> None:
    response = call(app, key, "GET", "/v1/collections")
    assert (response.status_code, response.json()) == (200, {"object": "list", "data": listed})
    models = [m.id for m in client(app, key).models.list()]
    assert models == [c["model"] for c in listed]


def test_a_collection_is_created_listed_and_deleted(app: Served) -> None:
    made = call(app, ADMIN, "POST", "/v1/collections", json={"name": "notes"})
    assert (made.status_code, made.json()) == (201, {"object": "collection", "name": "notes", "documents": 0,
                                                     "chunks": 0, "model": "grounded-assistant:notes"})  # fmt: skip
    again = call(app, ADMIN, "POST", "/v1/collections", json={"name": "notes"})
    assert (again.status_code, again.json()["error"]["code"], again.json()["error"]["message"]) == (
        409,
        "collection_exists",
        "A collection named 'notes' exists already; ingest into it, or choose another name.",
    )
    empty = ask(app, ADMIN, HAGERTY, "notes")
    assert (empty.status_code, empty.json()["error"]["message"]) == (409, "The collection 'notes' is empty: run "
                                                                     "`assistant ingest PATH --collection notes` or "
                                                                     "upload documents to it first.")  # fmt: skip
    deleted = call(app, ADMIN, "DELETE", "/v1/collections/notes")
    assert (deleted.status_code, deleted.json()["name"], deleted.json()["documents"]) == (200, "notes", 0)
    gone = call(app, ADMIN, "DELETE", "/v1/collections/notes")
    assert (gone.status_code, gone.json()) == (404, not_found("notes", "name"))


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "code", "message"),
    [
        ("POST", "/v1/collections", {"name": "Big_Notes"}, 422, "invalid_collection_name",
         "'Big_Notes' cannot name a collection: use 1-32 lowercase letters, digits and hyphens, starting and ending "
         "with a letter or digit (e.g. hr-handbook)."),
        ("DELETE", "/v1/collections/default", None, 409, "default_collection",
         "The default collection cannot be deleted: it is where documents go when no collection is named. Delete "
         "its documents one by one instead (DELETE /v1/documents/{id})."),
    ],
    ids=["bad-name", "delete-default"],
)  # fmt: skip
def test_what_cannot_be_done_to_collections_says_why(app: Served, method: str, path: str, body: dict | None,
                                                     status: int, code: str, message: str) -> None:  # fmt: skip
    response = call(app, ADMIN, method, path, json=body)
    assert (response.status_code, response.json()["error"]["code"], response.json()["error"]["message"]) == (
        status, code, message)  # fmt: skip


def test_ask_documents_and_eval_take_the_collection(app: Served) -> None:
    inside = ask(app, ADMIN, KEYWORD_ONLY, "rockets").json()
    assert inside["abstained"] is False and "zq7731" in inside["answer"]
    assert inside["citations"][0]["source"].endswith("collections/rockets/uploads/valve.md")
    listed = call(app, ADMIN, "GET", "/v1/documents?collection=rockets").json()
    assert (len(listed["documents"]), listed["chunks"]) == (41, 41)
    assert "Spares" in [d["title"] for d in listed["documents"]]
    assert [d["title"] for d in call(app, ADMIN, "GET", "/v1/documents").json()["documents"]] == [
        "India us cooperation trade energy defence"]  # fmt: skip
    question = {"id": "valve", "question": KEYWORD_ONLY, "answer": "zq7731", "sources": ["valve.md"]}
    scored = call(app, ADMIN, "POST", "/v1/eval", json={"questions": [question], "collection": "rockets"}).json()
    assert scored["summary"]["passed"] == 1
    elsewhere = call(app, ADMIN, "POST", "/v1/eval", json={"questions": [question]}).json()
    assert elsewhere["summary"]["passed"] == 0


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [("POST", "/v1/ask", {"question": HAGERTY, "collection": "missiles"}),
     ("POST", "/v1/eval", {"questions": [{"id": "a", "question": HAGERTY}], "collection": "missiles"}),
     ("GET", "/v1/documents?collection=missiles", None),
     ("GET", "/v1/collections/missiles", None)],
    ids=["ask", "eval", "documents", "collection"],
)  # fmt: skip
def test_an_unknown_collection_is_404_everywhere(app: Served, method: str, path: str, body: dict | None) -> None:
    response = call(app, ADMIN, method, path, json=body)
    param = "name" if path.startswith("/v1/collections/") else "collection"
    assert (response.status_code, response.json()) == (404, not_found("missiles", param))


@pytest.mark.parametrize("stream", [False, True], ids=["complete", "stream"])
def test_the_openai_model_name_chooses_the_collection(app: Served, stream: bool) -> None:
    for model, question, expected, source in [
        ("grounded-assistant:rockets", KEYWORD_ONLY, "zq7731", "valve.md"),
        ("grounded-assistant", HAGERTY, "Bill Hagerty", "india-us-cooperation-trade-energy-defence.txt"),
    ]:
        if stream:
            chunks = list(chat(app, ADMIN, model, question, stream=True))
            text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
            extra, named = chunks[-1].model_extra, {c.model for c in chunks}
        else:
            reply = chat(app, ADMIN, model, question)
            text, extra, named = reply.choices[0].message.content, reply.model_extra, {reply.model}
        assert expected in text and named == {model}
        assert extra["citations"][0]["source"].endswith(source)
    with pytest.raises(openai.NotFoundError) as missing:
        chat(app, ADMIN, "grounded-assistant:missiles", HAGERTY, stream=stream)
    assert missing.value.body == {"message": "The model 'grounded-assistant:missiles' does not exist; GET /v1/models "
                                  "lists the models this server offers.", "type": "invalid_request_error",
                                  "code": "model_not_found", "param": "model"}  # fmt: skip


def test_the_keyword_only_hit_is_found_by_bm25_alone(app: Served) -> None:
    rockets = app.services.collection("rockets").assistant
    vector = rockets.embedder.embed([KEYWORD_ONLY])[0]
    dense = [hit.chunk.source for hit in rockets.store.search(vector, 20)]
    assert not any(source.endswith("valve.md") for source in dense)
    assert rockets.retriever.keywords is not None
    ids = [chunk_id for chunk_id, _ in rockets.retriever.keywords.search(KEYWORD_ONLY, 20)]
    [valve] = [c.id for c, path in rockets.store.all_chunks() if path.endswith("valve.md")]
    assert valve in ids


def test_a_key_never_sees_another_collections_documents(app: Served) -> None:
    # The reader's key, on its own collection: the valve is nowhere, by dense or keyword search.
    outside = ask(app, READER, KEYWORD_ONLY).json()
    assert (outside["answer"], outside["citations"], outside["abstained"]) == (ABSTAINED, [], True)
    assert "zq7731" not in call(app, READER, "GET", "/v1/documents").text
    # Naming a collection the key may not read is the same 404 as naming none.
    for key, name in [(READER, "rockets"), (ROCKETS, "default")]:
        for response in (ask(app, key, HAGERTY, name), call(app, key, "GET", f"/v1/documents?collection={name}"),
                         call(app, key, "GET", f"/v1/collections/{name}"),
                         call(app, key, "POST", "/v1/eval", json={"questions": [{"id": "a", "question": HAGERTY}],
                                                                  "collection": name})):  # fmt: skip
            assert (response.status_code, response.json()) == (404, not_found(name, response.json()["error"]["param"]))
    # The rockets key asks with the default body: `default` is not its collection.
    assert ask(app, ROCKETS, HAGERTY).status_code == 404
    answer = ask(app, ROCKETS, KEYWORD_ONLY, "rockets").json()
    assert answer["citations"][0]["source"].endswith("valve.md")


@pytest.mark.parametrize(("key", "model"), [(READER, "grounded-assistant:rockets"), (ROCKETS, "grounded-assistant")],
                         ids=["reader-asks-rockets", "rockets-asks-default"])  # fmt: skip
def test_a_model_of_another_collection_does_not_exist_for_the_key(app: Served, key: str, model: str) -> None:
    for attempt in (lambda: client(app, key).models.retrieve(model), lambda: chat(app, key, model, KEYWORD_ONLY),
                    lambda: list(chat(app, key, model, KEYWORD_ONLY, stream=True))):  # fmt: skip
        with pytest.raises(openai.NotFoundError) as missing:
            attempt()
        assert (missing.value.code, missing.value.body["message"]) == (
            "model_not_found", f"The model {model!r} does not exist; GET /v1/models lists the models this server "
            "offers.")  # fmt: skip


def test_writes_need_a_key_that_may_write_the_collection(app: Served, tmp_path: Path) -> None:
    upload = {"files": [("files", ("more.md", b"# More\n\nSome more text.", "text/markdown"))]}
    read_only = call(app, READER, "POST", "/v1/documents", **upload)
    assert (read_only.status_code, read_only.json()["error"]) == (403, {
        "message": "This key may read the collection 'default' but not change it; use a key that may write to it.",
        "type": "invalid_request_error", "code": "collection_read_only", "param": "collection"})  # fmt: skip
    assert call(app, READER, "DELETE", "/v1/documents/nope").status_code == 403
    elsewhere = call(app, ROCKETS, "POST", "/v1/documents?collection=default", **upload)
    assert (elsewhere.status_code, elsewhere.json()) == (404, not_found("default"))
    made = call(app, READER, "POST", "/v1/collections", json={"name": "mine"})
    assert (made.status_code, made.json()["error"]["message"]) == (
        403,
        "This key may not create the collection 'mine'; use a key that may write to it.",
    )
    for key in (READER, ROCKETS):
        refused = call(app, key, "DELETE", "/v1/collections/rockets" if key == READER else "/v1/collections/default")
        assert refused.status_code == 404


def test_upload_jobs_are_seen_only_by_keys_that_may_read_their_collection(app: Served) -> None:
    job = call(app, ADMIN, "POST", "/v1/documents", files=[("files", ("tide.md", b"# Tide\n\nTides turn twice a day.",
                                                                      "text/markdown"))]).json()  # fmt: skip
    assert job["collection"] == "default"
    assert call(app, ROCKETS, "GET", f"/v1/jobs/{job['id']}").status_code == 404
    assert call(app, READER, "GET", f"/v1/jobs/{job['id']}").status_code == 200
    rockets_jobs = call(app, ROCKETS, "GET", "/v1/jobs").json()["jobs"]
    assert [j["collection"] for j in rockets_jobs] == ["rockets"]
    assert "tide.md" not in json.dumps(rockets_jobs)
    assert {j["collection"] for j in call(app, ADMIN, "GET", "/v1/jobs").json()["jobs"]} == {"default", "rockets"}


def test_without_a_valid_key_nothing_is_listed(app: Served) -> None:
    for path in ("/v1/collections", "/v1/models"):
        response = httpx.get(f"{app.url}{path}", headers={"Authorization": "Bearer rockets-key-"})
        assert (response.status_code, response.json()["error"]["code"]) == (401, "invalid_api_key")
