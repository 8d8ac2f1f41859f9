"""axe-core in headless Chromium over the chat page with an answer and an open source."""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from .axe_core import SCRIPT
from .conftest import Served
from .test_web import QUESTION, chromium

RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ["violations"]}).then((result) => done(result.violations.map((v) => ({
  id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ") + " :: " + n.failureSummary),
}))));
"""


@pytest.mark.parametrize("size", [(1440, 900), (1366, 768)], ids=["1440x900", "1366x768"])
def test_no_serious_or_critical_accessibility_violations(served: Served, tmp_path: Path, size: tuple[int, int]) -> None:
    if not SCRIPT.exists():
        pytest.skip("axe-core is not fetched: `make test` (or `.venv/bin/python -m tests.ui.axe_core`) fetches it")
    driver = chromium(tmp_path / "profile")
    driver.set_window_size(*size)
    wait = WebDriverWait(driver, 60)
    try:
        driver.get(f"{served.url}/")
        box = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "#question textarea")))
        box.send_keys(QUESTION)
        driver.find_element(By.ID, "ask").click()
        wait.until(ec.text_to_be_present_in_element((By.ID, "sources"), "[1]"))
        citation = wait.until(ec.element_to_be_clickable(
            (By.XPATH, "//*[@id='chat']//*[contains(text(), '[1] india-us-cooperation')]")))  # fmt: skip
        citation.click()
        wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, "#chat mark")))
        driver.execute_script(SCRIPT.read_text(encoding="utf-8"))
        violations = driver.execute_async_script(RUN_AXE)
    finally:
        driver.quit()
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == []
