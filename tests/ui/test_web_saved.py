"""Saved conversations and feedback on the chat page, through headless Chromium (Debian's)
and gradio_client: every turn is saved; a past conversation is listed, reopened with
its citations, renamed and deleted; a thumbs up with a comment is stored with its turn,
and the Evaluate tab runs the liked answers with one click. A signed-in page saves
under the key it signed in with."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from gradio_client import Client
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from assistant.settings import Settings
from ui.keys import OPEN, owner_of

from ..conftest import CORPUS
from .conftest import Served, serve
from .test_web import chromium

QUESTION = "Which senator from Tennessee did the ambassador meet?"
FOLLOW_UP = "What tariff did the U.S. impose on some Indian exports?"


def test_every_turn_on_the_page_is_saved(served: Served) -> None:
    client = Client(f"{served.url}/", verbose=False)
    chat, _, _ = client.predict(QUESTION, [], api_name="/ask")
    client.predict(FOLLOW_UP, chat, api_name="/ask")
    saved = served.services.conversations.owned_by(OPEN)[0]
    assert (saved.title, saved.collection, saved.turn_count) == (QUESTION, "default", 2)
    turns = served.services.conversations.get(OPEN, saved.id).turns
    assert [t.question for t in turns] == [QUESTION, FOLLOW_UP]
    expected = served.services.assistant.ask(QUESTION)
    assert turns[0].answer.model_dump(exclude={"timings_ms"}) == expected.model_dump(exclude={"timings_ms"})
    listed = httpx.get(f"{served.url}/v1/conversations").json()["data"]  # the API shows the page's
    assert listed[0]["id"] == saved.id


def text_of(driver, element_id: str) -> str:
    return str(driver.find_element(By.ID, element_id).text)


def test_browser_rates_reopens_renames_and_deletes_a_conversation(served: Served, tmp_path: Path) -> None:
    store = served.services.conversations
    driver = chromium(tmp_path / "profile")
    wait = WebDriverWait(driver, 60)
    try:
        driver.get(f"{served.url}/")
        box = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "#question textarea")))
        box.send_keys(QUESTION)
        driver.find_element(By.ID, "ask").click()
        wait.until(ec.text_to_be_present_in_element((By.ID, "sources"), "[1]"))
        conversation = store.owned_by(OPEN)[0]
        assert (conversation.title, conversation.turn_count) == (QUESTION, 1)

        like = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "#chat button[aria-label='Like']")))
        like.click()
        wait.until(ec.text_to_be_present_in_element((By.ID, "feedback-status"), "👍 saved for answer 1."))
        driver.find_element(By.CSS_SELECTOR, "#feedback-comment textarea").send_keys("Right senator")
        driver.find_element(By.ID, "feedback-send").click()
        wait.until(
            ec.text_to_be_present_in_element((By.ID, "feedback-status"), "Comment saved with the 👍 on answer 1.")
        )
        feedback = store.get(OPEN, conversation.id).turns[0].feedback
        assert feedback is not None and (feedback.rating, feedback.comment) == ("up", "Right senator")

        # One click runs the liked answers as a question set.
        driver.find_element(By.XPATH, "//button[@role='tab' and contains(., 'Evaluate')]").click()
        wait.until(ec.element_to_be_clickable((By.ID, "run-liked"))).click()
        wait.until(ec.text_to_be_present_in_element((By.ID, "eval-summary"), "1 of 1 passed"))
        driver.find_element(By.XPATH, "//button[@role='tab' and contains(., 'Chat')]").click()

        driver.find_element(By.ID, "new-chat").click()
        wait.until(lambda d: "Tennessee" not in text_of(d, "chat"))
        driver.find_element(By.XPATH, "//*[@id='saved']//button[contains(., 'Saved conversations')]").click()
        picker = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "#saved-list input")))
        picker.click()
        option = wait.until(
            ec.element_to_be_clickable((By.XPATH, f"//li[@role='option' and contains(., {QUESTION!r})]"))
        )
        option.click()
        driver.find_element(By.ID, "saved-open").click()
        wait.until(ec.text_to_be_present_in_element((By.ID, "sources"), "[1]"))
        assert "Senator Bill Hagerty from Tennessee" in text_of(driver, "chat")
        assert driver.find_elements(By.XPATH, "//*[@id='chat']//*[contains(text(), '[1] india-us')]")
        title = driver.find_element(By.CSS_SELECTOR, "#saved-title textarea")
        assert title.get_attribute("value") == QUESTION

        # The reopened conversation goes on: the next turn is its second.
        box.send_keys(FOLLOW_UP)
        driver.find_element(By.ID, "ask").click()
        wait.until(lambda d: store.get(OPEN, conversation.id).turn_count == 2)

        title.send_keys(Keys.CONTROL, "a")
        title.send_keys("Hagerty and tariffs")
        driver.find_element(By.ID, "saved-rename").click()
        wait.until(lambda d: store.get(OPEN, conversation.id).title == "Hagerty and tariffs")

        driver.find_element(By.ID, "saved-delete").click()
        wait.until(lambda d: conversation.id not in [c.id for c in store.owned_by(OPEN)])
        wait.until(lambda d: "Tennessee" not in text_of(d, "chat"))
    finally:
        driver.quit()


KEY_ONE, KEY_TWO = "page-key-one", "page-key-two"


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[Served]:
    data = tmp_path_factory.mktemp("signed")
    yield from serve(Settings(data_dir=data, corpus_dir=CORPUS, api_keys=[KEY_ONE, KEY_TWO]), embedder, ingest=True)


def test_the_signed_in_page_saves_under_its_key_and_a_name_keeps_its_key(signed: Served) -> None:
    client = Client(f"{signed.url}/", verbose=False, auth=("ana", KEY_ONE))
    client.predict(QUESTION, [], api_name="/ask")
    mine = httpx.get(f"{signed.url}/v1/conversations", headers={"Authorization": f"Bearer {KEY_ONE}"}).json()
    theirs = httpx.get(f"{signed.url}/v1/conversations", headers={"Authorization": f"Bearer {KEY_TWO}"}).json()
    assert [c["title"] for c in mine["data"]] == [QUESTION] and theirs["data"] == []
    assert signed.services.conversations.owner_of("ana") == owner_of(KEY_ONE)
    with pytest.raises(Exception):  # noqa: B017 - gradio_client raises its own error types for a refused login
        Client(f"{signed.url}/", verbose=False, auth=("ana", KEY_TWO))
    Client(f"{signed.url}/", verbose=False, auth=("ben", KEY_TWO))
