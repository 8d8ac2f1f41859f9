"""The chat page's collection picker through real clients (gradio_client, plain HTTP as
a hand-made client would send it, headless Chromium) against the served app: questions,
uploads and evaluations go to the chosen collection, the header says which documents
answer, and a key never reaches another collection through the page's routes or the
URLs of uploaded files, also by a passage only keyword search (BM25) finds."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from assistant.settings import Settings

from ..conftest import CORPUS
from ..helpers import write_corpus
from .conftest import Served, serve
from .test_web import chromium

ADMIN, ROCKETS, READER, VIEWER = "admin-key-1", "rockets-key-2", "default-reader-3", "rockets-viewer-4"
VALVE = b"# Spares\n\nOrder the spare valve for the pump under the code zq7731 from the depot in Pune.\n"
# Only keyword search (BM25) finds the valve passage for this one (see test_collections_api.py).
KEYWORD_ONLY = "Who should order zq7731 for the officials delegation?"
VALVE_CODE = "Under which code should the spare valve for the pump be ordered?"
HAGERTY = "Which senator from Tennessee did the ambassador meet?"
ABSTAINED = "I could not find the answer to that in the indexed documents."


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[Served]:
    """`default` holds the bundled corpus, `rockets` 40 reports and valve.md. ADMIN reaches
    everything, ROCKETS writes `rockets`, READER reads `default`, VIEWER reads `rockets`."""
    folder = tmp_path_factory.mktemp("web-collections")
    keys = folder / "keys.json"
    keys.write_text(json.dumps({ROCKETS: {"write": ["rockets"]}, READER: {"read": ["default"]},
                                VIEWER: {"read": ["rockets"]}}), encoding="utf-8")  # fmt: skip
    write_corpus(folder / "reports", 40)
    (folder / "reports" / "valve.md").write_bytes(VALVE)
    settings = Settings(data_dir=folder / "data", corpus_dir=CORPUS, api_keys=[ADMIN], api_keys_file=keys)
    for served in serve(settings, embedder, ingest=True):
        assert served.services.collections.create("rockets").documents.ingest([folder / "reports"]).chunks == 41
        yield served


def page(served: Served, key: str, user: str | None = None) -> Client:
    return Client(f"{served.url}/", verbose=False, auth=(user or key, key))


def bubble(chat: list[dict]) -> str:
    return chat[1]["content"][0]["text"]


def refused(client: Client, *args: object, api_name: str = "/ask") -> str:
    with pytest.raises(AppError) as error:
        client.predict(*args, api_name=api_name)
    return error.value.message


def test_questions_go_to_the_chosen_collection(app: Served) -> None:
    rockets = page(app, ROCKETS)
    chat, sources, _ = rockets.predict(VALVE_CODE, [], "rockets", api_name="/ask")
    assert "zq7731" in bubble(chat) and "valve.md" in sources
    # Left out, the collection is the session's first (`rockets`: this key reads no other).
    chat, _, _ = rockets.predict(VALVE_CODE, [], api_name="/ask")
    assert "zq7731" in bubble(chat)
    admin = page(app, ADMIN)
    chat, sources, _ = admin.predict(HAGERTY, [], "default", api_name="/ask")
    assert "Bill Hagerty" in bubble(chat) and "india-us-cooperation" in sources
    chat, _, _ = admin.predict(VALVE_CODE, [], "default", api_name="/ask")
    assert bubble(chat) == ABSTAINED.replace(".", "\\.")


@pytest.mark.parametrize(
    ("key", "collection"),
    [(READER, "rockets"), (ROCKETS, "default"), (VIEWER, "default"), (ADMIN, "missiles")],
    ids=["reader-asks-rockets", "rockets-asks-default", "viewer-asks-default", "unknown"],
)
def test_a_collection_the_key_may_not_read_is_no_collection_on_the_page(app: Served, key: str,
                                                                         collection: str) -> None:  # fmt: skip
    client = page(app, key)
    message = f"No collection is named {collection!r}; choose one from the Collection list."
    assert refused(client, KEYWORD_ONLY, [], collection) == message
    question_set = Path(f"set-{key}.jsonl")
    question_set.write_text(json.dumps({"id": "a", "question": KEYWORD_ONLY, "answer": "zq7731"}) + "\n")
    assert refused(client, handle_file(str(question_set)), collection, api_name="/evaluate") == message
    note = Path(f"note-{key}.md")
    note.write_text("# Note\n\nA note for the collection.\n")
    assert refused(client, [handle_file(str(note))], collection, api_name="/add_documents") == message


@pytest.mark.parametrize("question", [KEYWORD_ONLY, VALVE_CODE], ids=["keyword-only", "dense"])
def test_the_reader_never_sees_a_passage_of_another_collection(app: Served, question: str) -> None:
    chat, sources, _ = page(app, READER).predict(question, [], api_name="/ask")
    answered = json.dumps(chat[1:])  # the question itself names the code
    assert (bubble(chat), "zq7731" in answered, "zq7731" in sources) == (ABSTAINED.replace(".", "\\."), False,
                                                                          False)  # fmt: skip


def test_uploads_go_to_the_chosen_collection_when_the_key_may_write_it(app: Served, tmp_path: Path) -> None:
    note = tmp_path / "pump-notes.md"
    note.write_text("# Pump notes\n\nThe qx4410 pump is primed with 2 litres of water before its first start.\n")
    viewer = refused(page(app, VIEWER), [handle_file(str(note))], "rockets", api_name="/add_documents")
    assert viewer == ("This key may read the collection 'rockets' but not add documents to it; sign in with a key "
                      "that may write to it.")  # fmt: skip
    outcome, status, files = page(app, ROCKETS).predict([handle_file(str(note))], "rockets",
                                                        api_name="/add_documents")  # fmt: skip
    held = len(app.services.collection("rockets").documents.indexed())  # one passage each
    assert (outcome, status, files) == (
        "Added 1, updated 0, unchanged 0 (1 passages).",
        f"Answering from **{held} documents** of the collection **rockets** ({held} passages). Every sentence "
        "cites its passage.",
        None,
    )
    assert [r.source for r in app.services.collection("rockets").documents.indexed() if "pump-notes" in r.source]
    assert not [r for r in app.services.collection("default").documents.indexed() if "pump-notes" in r.source]


def login(served: Served, key: str, user: str | None = None) -> httpx.Client:
    browser = httpx.Client(base_url=served.url, timeout=60)
    assert browser.post("/login", data={"username": user or key, "password": key}).status_code == 200
    return browser


def test_an_uploaded_file_url_serves_nothing_once_the_upload_is_read(app: Served) -> None:
    rockets = login(app, ROCKETS, "rockets-uploader")
    secret = b"# Launch codes\n\nThe launch window code for the vx9 rocket is 4471-alpha.\n"
    [path] = rockets.post("/gradio_api/upload", files=[("files", ("launch.md", secret, "text/markdown"))]).json()
    url = f"/gradio_api/file={path}"
    reader = login(app, READER, "default-reader")
    assert reader.get(url).content == secret  # until the upload is read, its URL serves it to any signed-in user
    # The page's own call, as its script sends it: queue the event, then read its stream to the end.
    payload = {"data": [[{"path": path, "meta": {"_type": "gradio.FileData"}, "orig_name": "launch.md"}],
                        "rockets"]}  # fmt: skip
    event = rockets.post("/gradio_api/call/add_documents", json=payload).json()["event_id"]
    stream = rockets.get(f"/gradio_api/call/add_documents/{event}").text
    assert "event: complete" in stream and "Added 1" in stream
    assert (rockets.get(url).status_code, reader.get(url).status_code) == (403, 403)
    assert not Path(path).exists() and not Path(path).parent.exists()


def test_the_page_config_names_no_collection_and_counts_nothing(app: Served) -> None:
    for key, user in ((READER, "reader"), (VIEWER, "viewer")):
        config = login(app, key, user).get("/config").text
        for leaked in ("rockets", "zq7731", "Answering from", "india-us-cooperation", "passages)"):
            assert leaked not in config


def test_a_user_name_stays_with_the_key_that_first_signed_in_with_it(app: Served) -> None:
    page(app, ADMIN, "shared-name")
    browser = httpx.Client(base_url=app.url, timeout=60)
    taken = browser.post("/login", data={"username": "shared-name", "password": READER})
    assert taken.status_code == 400
    assert browser.post("/login", data={"username": "shared-name", "password": ADMIN}).status_code == 200


def test_browser_picks_a_collection_and_the_header_says_which_documents_answer(app: Served, tmp_path: Path) -> None:
    driver = chromium(tmp_path / "profile")
    wait = WebDriverWait(driver, 60)
    try:
        driver.get(f"{app.url}/")
        wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "input[type=password]")))
        driver.find_element(By.CSS_SELECTOR, "input[type=text]").send_keys("browser-user")
        driver.find_element(By.CSS_SELECTOR, "input[type=password]").send_keys(ADMIN + Keys.ENTER)
        status = (By.ID, "index-status")
        wait.until(ec.text_to_be_present_in_element(status, "Answering from 1 document (21 passages)"))
        picker = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "#collection input")))
        assert picker.get_attribute("value") == "default"
        picker.click()
        wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "[role=option][aria-label=rockets]"))).click()
        held = len(app.services.collection("rockets").documents.indexed())  # one passage each
        wait.until(ec.text_to_be_present_in_element(status, "of the collection rockets"))
        assert driver.find_element(*status).text == (f"Answering from {held} documents of the collection rockets "
                                                     f"({held} passages). Every sentence cites its passage.")  # fmt: skip
        box = driver.find_element(By.CSS_SELECTOR, "#question textarea")
        box.send_keys(VALVE_CODE)
        driver.find_element(By.ID, "ask").click()
        wait.until(ec.text_to_be_present_in_element((By.ID, "sources"), "valve.md"))
        assert "zq7731" in driver.find_element(By.ID, "chat").text
    finally:
        driver.quit()
