"""The chat page as a reader meets it, in headless Chromium (Debian's): what the copy
button puts on the clipboard, what screen readers are told, and whether the page fits
a laptop screen with the sources readable."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from .conftest import Served
from .test_web import chromium

# Its answer holds markdown's specials: "India-US", "(BTA)", the marker and the full stop.
QUESTION = "What is the India-US BTA?"
# How the chat names the bundled post: its file, whose name its title was made from.
SEED_NAME = "india-us-cooperation-trade-energy-defence.txt"


def at_size(driver: webdriver.Chrome, width: int, height: int) -> None:
    """The page's viewport is exactly width x height, as on a laptop screen."""
    metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)


def ask(driver: webdriver.Chrome, question: str) -> None:
    wait = WebDriverWait(driver, 60)
    box = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "#question textarea")))
    answers = len(driver.find_elements(By.CSS_SELECTOR, "#chat .bot-row"))
    box.send_keys(question)
    driver.find_element(By.ID, "ask").click()
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#chat .bot-row")) > answers)
    wait.until(lambda d: d.find_element(By.ID, "sources").text.count("[1]") == 1)


@pytest.fixture
def page(served: Served, tmp_path: Path) -> Iterator[webdriver.Chrome]:
    driver = chromium(tmp_path / "profile")
    try:
        at_size(driver, 1440, 900)
        # The real clipboard, read back as the user's paste would.
        driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": served.url,
                               "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})  # fmt: skip
        driver.get(f"{served.url}/")
        yield driver
    finally:
        driver.quit()


def clipboard_after_copying(driver: webdriver.Chrome, row: int) -> str:
    copy = (By.CSS_SELECTOR, "#chat .message-buttons button[aria-label='Copy message']")
    buttons = WebDriverWait(driver, 10).until(lambda d: d.find_elements(*copy)[row:] and d.find_elements(*copy))
    driver.execute_script("arguments[0].click()", buttons[row])
    return str(driver.execute_async_script(
        "const done = arguments[0]; setTimeout(() => navigator.clipboard.readText().then(done, e => done(`${e}`)), 300)"
    ))  # fmt: skip


def test_copy_gives_the_answer_as_read_with_its_markers(page: webdriver.Chrome, served: Served) -> None:
    expected = served.services.assistant.ask(QUESTION)
    assert re.search(r"[-().]", expected.answer) and "[1]" in expected.answer
    ask(page, QUESTION)
    assert clipboard_after_copying(page, 0) == QUESTION
    sources = "\n".join(f"[{c.id}] {SEED_NAME}" for c in expected.citations)
    assert clipboard_after_copying(page, 1) == f"{expected.answer}\n\n{sources}"


def test_screen_readers_are_told_plain_text(page: webdriver.Chrome, served: Served) -> None:
    expected = served.services.assistant.ask(QUESTION)
    ask(page, QUESTION)
    WebDriverWait(page, 10).until(lambda d: "\\" not in (d.execute_script(
        "return [...document.querySelectorAll('#chat [aria-label]')].map(e => e.getAttribute('aria-label')).join()")))  # fmt: skip
    labels = page.execute_script(
        "return [...document.querySelectorAll('#chat [data-testid=user], #chat [data-testid=bot]')]"
        ".map(e => e.getAttribute('aria-label'))"
    )
    assert labels == [f"user's message: {QUESTION}", f"bot's message: {expected.answer}"] + [
        f"bot's message: [{c.id}] {SEED_NAME}" for c in expected.citations
    ]
    # An opened passage is read as its text: "&" stays "&", nothing escaped twice.
    WebDriverWait(page, 10).until(ec.element_to_be_clickable(
        (By.XPATH, "//*[@id='chat']//*[starts-with(normalize-space(text()), '[1] india-us-')]"))).click()  # fmt: skip
    WebDriverWait(page, 10).until(ec.visibility_of_element_located((By.CSS_SELECTOR, "#chat mark")))
    first = expected.citations[0]

    def passage_label(driver: webdriver.Chrome) -> str:
        return str(driver.execute_script(
            "return document.querySelectorAll('#chat [data-testid=bot]')[1].getAttribute('aria-label')"))  # fmt: skip

    wanted = f"bot's message: [1] {SEED_NAME}\n{first.text}"
    WebDriverWait(page, 10).until(lambda d: passage_label(d) != labels[2])
    label = passage_label(page)
    assert "&" in first.text and "&amp;" not in label and "\\" not in label and "<mark>" not in label
    assert " ".join(label.split()) == " ".join(wanted.split())


def rect(driver: webdriver.Chrome, selector: str) -> dict[str, float]:
    found = driver.execute_script(
        "const e = document.querySelector(arguments[0]); return e && e.getBoundingClientRect().toJSON()", selector
    )
    assert found, f"{selector} is not on the page"
    return dict(found)


def luminance(rgb: tuple[float, ...]) -> float:
    channels = [c / 255 for c in rgb[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((luminance(tuple(map(float, re.findall(r"[\d.]+", c)))) for c in (foreground, background)),
                             reverse=True)  # fmt: skip
    return (lighter + 0.05) / (darker + 0.05)


# The first opaque background behind an element, as the reader sees it.
BACKGROUND = """
let e = document.querySelector(arguments[0]);
for (; e; e = e.parentElement) {
  const c = getComputedStyle(e).backgroundColor;
  if (c && !c.startsWith('rgba(0, 0, 0, 0)') && c !== 'transparent') return c;
}
return 'rgb(255, 255, 255)';
"""


@pytest.mark.parametrize("width, height", [(1440, 900), (1366, 768)], ids=["1440x900", "1366x768"])
def test_page_fits_the_screen_and_sources_read_well(page: webdriver.Chrome, width: int, height: int,
                                                    tmp_path: Path) -> None:  # fmt: skip
    at_size(page, width, height)
    WebDriverWait(page, 60).until(ec.element_to_be_clickable((By.CSS_SELECTOR, "#question textarea")))
    for question in ["Who is India's ambassador to the U.S.?", QUESTION, "What tariff did the U.S. impose on some Indian exports?"]:  # fmt: skip
        ask(page, question)
    # `make screenshots` keeps these for the README; a test run writes only under tmp_path.
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    page.save_screenshot(str(folder / f"ui-chat-{width}x{height}.png"))
    assert page.execute_script("return [innerWidth, innerHeight]") == [width, height]
    page.execute_script("window.scrollTo(0, 0)")  # measured as the page first shows
    # What the reader needs next is on the first screen, not below it.
    for selector in ["#question textarea", "#ask", "#new-chat", "#examples button"]:
        box = rect(page, selector)
        assert box["top"] >= 0 and box["bottom"] <= height, f"{selector} at {box['top']:.0f}-{box['bottom']:.0f}"
    # The "Conversation" label sits above the messages, never over them, scrolled or not.
    label, log = rect(page, "#chat label"), rect(page, "#chat [role=log]")
    assert label["bottom"] <= log["top"]

    # Scrolled to the top once the chat has stopped scrolling itself to the last answer
    # (it may still be doing so just after the answer shows, and on a busy machine again
    # after one read: set and read, the label's place with the row's, until it holds).
    def first_row_below_the_label(driver: webdriver.Chrome) -> bool:
        driver.execute_script("document.querySelector('#chat [role=log]').scrollTop = 0")
        row = rect(driver, "#chat .message-row")
        return row["top"] >= rect(driver, "#chat [role=log]")["top"] - 1 and label["bottom"] <= row["top"]

    WebDriverWait(page, 10, poll_frequency=0.2).until(first_row_below_the_label)
    # Passages and their headers: body-sized text with AA contrast (4.5:1) on their background.
    for selector in ["#sources .src-head", "#sources .src-text"]:
        style = page.execute_script("const s = getComputedStyle(document.querySelector(arguments[0]));"
                                    "return [s.color, parseFloat(s.fontSize)]", selector)  # fmt: skip
        assert style[1] >= 14, f"{selector} is {style[1]}px"
        ratio = contrast(style[0], page.execute_script(BACKGROUND, selector))
        assert ratio >= 4.5, f"{selector} contrast {ratio:.2f}"
