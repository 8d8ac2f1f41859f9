"""The chat page's "Add documents" runs an upload job and shows its progress, then its
result, through real clients: headless Chromium (Debian's) and gradio_client."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from gradio_client import Client, handle_file
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from assistant.settings import Settings
from ui.web import escape_markdown

from ..conftest import CORPUS
from .conftest import Served, serve
from .test_web import chromium
from .test_write_limits import note


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[Served]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("web-upload"), corpus_dir=CORPUS)
    yield from serve(settings, embedder, ingest=True)


def written(folder: Path, numbers: range) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in numbers:
        name, content, _ = note(i)
        (folder / name).write_bytes(content)
        paths.append(str(folder / name))
    return paths


def test_browser_upload_shows_progress_then_the_result(page: Served, tmp_path: Path) -> None:
    files = written(tmp_path / "files", range(40))
    driver = chromium(tmp_path / "profile")
    wait = WebDriverWait(driver, 120, poll_frequency=0.05)
    try:
        driver.get(f"{page.url}/")
        wait.until(lambda d: "Answering from 1 document" in d.find_element(By.ID, "index-status").text)
        driver.find_element(By.XPATH, "//button[contains(., 'Add documents')]").click()
        # The accordion renders its file input once opened, a moment after the click.
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "input[type=file]"))[0].send_keys("\n".join(files))
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".file-preview tr, .file-preview-holder tr")) > 0)
        driver.find_element(By.ID, "add-documents").click()
        status = driver.find_element(By.ID, "upload-status")
        seen: list[str] = []

        def ended(_: object) -> bool:
            text = status.text
            if text and (not seen or seen[-1] != text):
                seen.append(text)
            return text.startswith("Added")

        wait.until(ended)
        assert any(t.startswith("⏳ Adding 40 files:") and " of 40 stored (" in t for t in seen), seen
        assert seen[-1].startswith("Added 40, updated 0, unchanged 0 (") and seen[-1].endswith(" passages).")
        wait.until(lambda d: "Answering from 41 documents" in d.find_element(By.ID, "index-status").text)
    finally:
        driver.quit()


def test_gradio_client_sees_progress_then_the_result_or_the_error(page: Served, tmp_path: Path) -> None:
    client = Client(f"{page.url}/", verbose=False)
    job = client.submit(
        [handle_file(p) for p in written(tmp_path / "more", range(100, 125))], api_name="/add_documents"
    )
    job.result(timeout=300)
    lines = [output[0] for output in job.outputs()]
    assert any(line.startswith("⏳ ") for line in lines[:-1]), lines
    assert lines[-1].startswith("Added 25, updated 0, unchanged 0 (")

    empty = tmp_path / "empty.md"
    empty.write_bytes(b"# Only\n\n## Headings\n")
    outcome = client.predict([handle_file(str(empty))], api_name="/add_documents")
    assert outcome[0] == "**Nothing was added:** " + escape_markdown("empty.md: only headings, no text to index")
    with pytest.raises(Exception, match=r"(?i)file type"):
        sheet = tmp_path / "sheet.xlsx"
        sheet.write_bytes(b"x")
        client.predict([handle_file(str(sheet))], api_name="/add_documents")
