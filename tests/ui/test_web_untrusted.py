"""Text that documents control (file names, passages) stays text in the chat page, in
headless Chromium: no link, no image the browser fetches, no math typesetting."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from assistant.settings import Settings

from ..conftest import CORPUS
from .conftest import Served, serve
from .test_web import chromium

LINK_NAME = "[Session expired - sign in](https:evil.example).txt"
IMAGE_NAME = "![p](https:evil.example).txt"
DOCUMENTS = {
    LINK_NAME: "The Zephyr reactor in Oslo is powered by thorium pellets delivered every spring.",
    IMAGE_NAME: "The Quillon bridge over the Tagus carries four lanes of traffic and two rail tracks.",
    "formula.txt": "The Marrow turbine output follows the rule $$x^2$$ for every doubling of wind speed.",
}
QUESTIONS = ["What powers the Zephyr reactor?", "What does the Quillon bridge carry?",
             "What rule does the Marrow turbine output follow?"]  # fmt: skip


@pytest.fixture(scope="module")
def uploaded(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[Served]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("untrusted"), corpus_dir=CORPUS)
    for served in serve(settings, embedder, ingest=False):
        files = [("files", (name, text.encode(), "text/plain")) for name, text in DOCUMENTS.items()]
        response = httpx.post(f"{served.url}/v1/documents?wait=true", files=files, timeout=60)
        assert response.status_code == 200 and len(response.json()["added"]) == 3
        yield served


def test_document_names_and_passages_never_become_live_markup(uploaded: Served, tmp_path: Path) -> None:
    driver = chromium(tmp_path / "profile")
    wait = WebDriverWait(driver, 60)
    try:
        driver.get(f"{uploaded.url}/")
        # The page is the user's once its session has loaded (the index status is filled
        # then); a question typed earlier can reach the server empty.
        wait.until(ec.text_to_be_present_in_element((By.ID, "index-status"), "Answering from"))
        for question, marker in zip(QUESTIONS, ["Session expired", "![p]", "formula.txt"], strict=True):
            box = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "#question textarea")))
            box.send_keys(question)
            wait.until(ec.text_to_be_present_in_element_value((By.CSS_SELECTOR, "#question textarea"), question))
            driver.find_element(By.ID, "ask").click()
            wait.until(ec.text_to_be_present_in_element((By.ID, "sources"), marker))
            # Open the citation, so its passage is rendered too.
            title = wait.until(ec.element_to_be_clickable(
                (By.XPATH, "(//*[@id='chat']//*[starts-with(normalize-space(text()), '[1]')])[last()]")))  # fmt: skip
            title.click()
        chat = driver.find_element(By.ID, "chat")
        assert chat.find_elements(By.CSS_SELECTOR, "a") == []
        assert chat.find_elements(By.CSS_SELECTOR, "img[src*='evil']") == []
        assert chat.find_elements(By.CSS_SELECTOR, ".katex, math") == []
        text = chat.text
        assert LINK_NAME in text and IMAGE_NAME in text and "$$x^2$$" in text
        fetched = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        assert not [url for url in fetched if "evil" in url]
    finally:
        driver.quit()
