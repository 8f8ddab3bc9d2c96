"""A real headless Chromium, driven by Playwright, against `communique serve`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="module")
def page() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        page = browser.new_page()
        yield page
        browser.close()


def test_home_page_query_box_runs_a_query_and_shows_a_table(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(live_server + "/")
    assert page.locator("#count-articles").inner_text() == "2"
    page.fill(
        "textarea[name=query]",
        "SELECT ?article ?headline WHERE { ?article a dip:Article ; "
        "schema:headline ?headline } ORDER BY ?headline",
    )
    page.click("button[type=submit]")
    page.wait_for_selector("#results")
    page.screenshot(path=str(ARTIFACTS / "query-results.png"), full_page=True)
    cells = page.locator("#results td").all_inner_texts()
    assert "Gilad flies to Russia for Iran talks" in cells
    assert page.locator("#results tr").count() == 3  # header and two articles
    link = page.locator("#results td a").first
    assert link.get_attribute("href").startswith("http://localhost:8000/id/article/")
