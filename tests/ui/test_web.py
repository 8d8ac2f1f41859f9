"""The chat page through real clients: gradio_client, and headless Chromium (Debian's)."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest
from gradio_client import Client
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from assistant.answer import Answer, Citation
from ui.web import escape_markdown, highlighted, source_label, sources_html

from .conftest import KEYS, Served

QUESTION = "Which senator from Tennessee did the ambassador meet?"


def test_gradio_client_gets_the_same_answer_as_the_api(served: Served) -> None:
    client = Client(f"{served.url}/", verbose=False)
    chat, sources, box = client.predict(QUESTION, [], api_name="/ask")
    expected = served.services.assistant.ask(QUESTION)
    assert box == ""
    assert [m["role"] for m in chat] == ["user", "assistant"] + ["assistant"] * len(expected.citations)
    answer_text = chat[1]["content"][0]["text"]
    # The bubble is the answer, escaped for markdown, with bold markers.
    assert answer_text == re.sub(r"\\\[(\d+)\\\]", r"**[\1]**", escape_markdown(expected.answer))
    # The passage's "He" is shown as whom it means; the highlight still covers the sentence.
    assert "\\[Ambassador Kwatra\\] also engaged with Senator Bill Hagerty from Tennessee" in answer_text
    # A source is named by its file, not the folder it was ingested from (the post's title
    # is only its file's name in words).
    titles = [m["metadata"]["title"] for m in chat[2:]]
    assert titles == [f"[{c.id}] india\\-us\\-cooperation\\-trade\\-energy\\-defence\\.txt" for c in expected.citations]
    assert "<mark>He also engaged with Senator Bill Hagerty from Tennessee" in sources


def test_gradio_client_follow_up_uses_the_conversation(served: Served) -> None:
    client = Client(f"{served.url}/", verbose=False)
    chat, _, _ = client.predict("What tariff rate did the U.S. impose on Indian exports?", [], api_name="/ask")
    chat, _, _ = client.predict("How did India describe them?", chat, api_name="/ask")
    last_question = max(i for i, m in enumerate(chat) if m["role"] == "user")
    assert chat[last_question]["content"][0]["text"] == "How did India describe them?"
    bubble = chat[last_question + 1]["content"][0]["text"]
    assert "labelled unfair by India" in bubble
    # The follow-up was searched as a question of its own, and the page says how.
    searched = "How did India describe the tariffs?"
    assert bubble.endswith(f"*Searched as: “{escape_markdown(searched)}”*")


def test_ui_requires_an_api_key_when_keys_are_set(locked: Served) -> None:
    with pytest.raises(Exception):  # noqa: B017 - gradio_client raises its own error types for a refused login
        Client(f"{locked.url}/", verbose=False, auth=("anyone", "wrong-key"))
    client = Client(f"{locked.url}/", verbose=False, auth=("anyone", KEYS[0]))
    with pytest.raises(Exception, match="The index is empty"):
        client.predict("Anything?", [], api_name="/ask")


def chromium(profile: Path) -> webdriver.Chrome:
    if not (Path("/usr/bin/chromium").exists() and Path("/usr/bin/chromedriver").exists()):
        pytest.skip("Debian's Chromium is not installed: `make browser` installs it with apt (as root or with sudo)")
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1440,1000", f"--user-data-dir={profile}"):  # fmt: skip
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def test_browser_asks_sees_a_cited_answer_and_opens_the_citation(served: Served, tmp_path: Path) -> None:
    driver = chromium(tmp_path / "profile")
    wait = WebDriverWait(driver, 60)
    try:
        driver.get(f"{served.url}/")
        box = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "#question textarea")))
        assert "Answering from 1 document (21 passages)" in driver.find_element(By.ID, "index-status").text
        box.send_keys(QUESTION)
        driver.find_element(By.ID, "ask").click()
        wait.until(ec.text_to_be_present_in_element((By.ID, "sources"), "[1]"))
        chat = driver.find_element(By.ID, "chat")
        assert "[Ambassador Kwatra] also engaged with Senator Bill Hagerty from Tennessee" in chat.text
        assert "[1]" in chat.text
        citation = wait.until(ec.element_to_be_clickable(
            (By.XPATH, "//*[@id='chat']//*[contains(text(), '[1] india-us-cooperation')]")))  # fmt: skip
        citation.click()
        mark = wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, "#chat mark")))
        # The highlight covers the passage's "He" that the answer shows as [Ambassador Kwatra].
        assert mark.text.startswith("He also engaged with Senator Bill Hagerty from Tennessee")
        assert driver.find_elements(By.CSS_SELECTOR, "#sources mark")
        # `make screenshots` writes the README's picture; a test run writes only under tmp_path.
        folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
        folder.mkdir(exist_ok=True)
        driver.save_screenshot(str(folder / "ui-chat.png"))
    finally:
        driver.quit()


def test_eval_report_opens_in_the_browser_with_its_charts(served: Served, tmp_path: Path) -> None:
    from assistant.evaluation import Evaluator, parse_text
    from ui.report import render

    questions = parse_text(
        '{"id": "ok", "question": "Which senator from Tennessee did the ambassador meet?", "answer": "Bill Hagerty"}\n'
        '{"id": "bad", "question": "Which senator from Tennessee did the ambassador meet?", "answer": "Marco Rubio"}\n',
        "set.jsonl",
    )
    report = tmp_path / "report.html"
    report.write_text(render(Evaluator(served.services.assistant).run(questions).to_json(), "Tiny set"))
    driver = chromium(tmp_path / "profile")
    try:
        driver.get(report.as_uri())
        chart = driver.find_element(By.ID, "metrics-chart")
        assert chart.is_displayed() and chart.size["width"] > 300
        assert len(chart.find_elements(By.TAG_NAME, "rect")) >= 10
        assert driver.find_element(By.ID, "latency-chart").is_displayed()
        rows = driver.find_elements(By.CSS_SELECTOR, "#questions tr.failed, #questions tr.passed")
        assert [r.get_attribute("class") for r in rows] == ["failed", "passed"]  # failures first
        assert "Marco Rubio" in rows[0].text
    finally:
        driver.quit()


def test_evaluate_tab_runs_an_uploaded_set(served: Served, tmp_path: Path) -> None:
    from gradio_client import handle_file

    questions = tmp_path / "set.jsonl"
    questions.write_text('{"id": "a", "question": "Which senator from Tennessee did the ambassador meet?", '
                         '"answer": "Bill Hagerty", "evidence": "Senator Bill Hagerty"}\n')  # fmt: skip
    summary, frame, files = Client(f"{served.url}/", verbose=False).predict(
        handle_file(str(questions)), api_name="/evaluate"
    )
    assert summary == "**1 of 1 passed** · hit@5 1.000 · answer contains reference 1.000 · abstention recall –"
    assert frame.startswith('<iframe title="Evaluation report" srcdoc="&lt;!doctype html&gt;')
    assert sorted(Path(f).name for f in files) == ["report.html", "results.json"]


def test_a_name_completed_in_brackets_highlights_the_sentence_and_no_word_before_it() -> None:
    text = "Trade talks\nIndia's envoy, Ambassador Kwatra, met senators. Vinay Mohan Kwatra leads the mission."
    citation = Citation(
        id=1, source="post.txt", title="Post", chunk_id="c", text=text, start=0, end=len(text), score=0.7
    )
    quoted = ["India's envoy, Ambassador [Vinay Mohan] Kwatra, met senators"]
    assert highlighted(citation, quoted, html.escape) == (
        "Trade talks\n<mark>India&#x27;s envoy, Ambassador Kwatra, met senators</mark>. "
        "Vinay Mohan Kwatra leads the mission."
    )


def test_a_table_cell_quoted_with_its_rows_key_highlights_both_and_nothing_before() -> None:
    text = "Table 9.2. Key bindings\n\nkey binding\tmeaning\n^A c\tcreate a new window\n^A n\tgo to next window"
    citation = Citation(id=1, source="m.txt", title="M", chunk_id="c", text=text, start=0, end=len(text), score=0.7)
    assert highlighted(citation, ["[^A c] create a new window"], html.escape) == (
        "Table 9.2. Key bindings\n\nkey binding\tmeaning\n<mark>^A c\tcreate a new window</mark>\n^A n\tgo to next window"
    )


def test_a_figure_standing_in_several_rows_is_highlighted_in_its_keys_row() -> None:
    text = "Club\tDay\tTime\nFootball\tMonday\t3:15pm–4:15pm\nCoding Club\tWednesday\t3:15pm–4:15pm"
    citation = Citation(id=1, source="h.md", title="H", chunk_id="c", text=text, start=0, end=len(text), score=0.7)
    assert highlighted(citation, ["[Coding Club] 3:15pm–4:15pm"], html.escape) == (
        "Club\tDay\tTime\nFootball\tMonday\t3:15pm–4:15pm\n<mark>Coding Club\tWednesday\t3:15pm–4:15pm</mark>"
    )


def test_a_sentence_quoted_with_the_command_under_it_highlights_both() -> None:
    text = (
        "Keep backups small.\nYou can split it into 2000MiB chunks by the following.\n\n$ split -b 2000m big.img\nDone."
    )
    citation = Citation(id=1, source="m.txt", title="M", chunk_id="c", text=text, start=0, end=len(text), score=0.7)
    quoted = ["You can split it into 2000MiB chunks by the following. $ split -b 2000m big.img"]
    assert highlighted(citation, quoted, html.escape) == (
        "Keep backups small.\n<mark>You can split it into 2000MiB chunks by the following.</mark>\n\n"
        "<mark>$ split -b 2000m big.img</mark>\nDone."
    )


MODULES = "Modules load at boot. However, editing this file is rarely needed. In addition, a share offer raised money."


@pytest.mark.parametrize(
    ("quoted", "marked"),
    [
        pytest.param("[E]diting this file is rarely needed", "editing this file is rarely needed", id="in-a-word"),
        pytest.param("[A] share offer raised money", "a share offer raised money", id="a-word"),
    ],
)
def test_a_capital_marked_as_an_edit_highlights_the_letter_it_stands_for(quoted: str, marked: str) -> None:
    citation = Citation(
        id=1, source="m.txt", title="M", chunk_id="c", text=MODULES, start=0, end=len(MODULES), score=0.7
    )
    start = MODULES.index(marked)
    assert highlighted(citation, [quoted], html.escape) == (
        f"{MODULES[:start]}<mark>{marked}</mark>{MODULES[start + len(marked) :]}"
    )


def test_the_sources_panel_sets_a_table_rows_cells_apart() -> None:
    # The row quoted is marked whole, its cells set apart rather than run together.
    text = "Role\tName\tHow to reach\nRace director\tGareth Lowther\t10k@example.org"
    citation = Citation(id=1, source="r.md", title="R", chunk_id="c", text=text, start=0, end=len(text), score=0.7)
    answer = Answer(answer="[Race director] Gareth Lowther [1].", citations=[citation], abstained=False)
    gap = '<span class="cell-gap"> │ </span>'
    assert (
        f'<div class="src-text">Role{gap}Name{gap}How to reach\n'
        f"<mark>Race director{gap}Gareth Lowther</mark>{gap}10k@example.org</div>"
    ) in sources_html(answer)


@pytest.mark.parametrize(
    ("source", "title", "label"),
    [
        # A titled document by its title and its file's name, without the folder.
        (
            "eval/out/j-corpus/wrenfield-house.md",
            "Wrenfield House: Guest Information",
            "Wrenfield House: Guest Information · wrenfield-house.md",
        ),
        # One whose title was made from its name, by the name alone.
        ("data/corpus/india-us-cooperation.txt", "India us cooperation", "india-us-cooperation.txt"),
        ("notes.md", "", "notes.md"),
    ],
)
def test_a_source_is_named_by_its_title_and_its_files_name(source: str, title: str, label: str) -> None:
    citation = Citation(id=1, source=source, title=title, chunk_id="c", text="x", start=0, end=1, score=0.7)
    assert source_label(citation) == label
    # The sources panel names its path, and its place in it.
    answer = Answer(answer="x [1].", citations=[citation], abstained=False)
    head = label.replace(Path(source).name, source).replace("&", "&amp;")
    assert f'<div class="src-head"><b>[1]</b> {head} · chars 0–1 · score 0.70</div>' in sources_html(answer)
