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
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


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


def test_query_page_runs_an_example_and_follows_a_link(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(live_server + "/query")
    assert page.locator("#highlight .tok-keyword").count() > 3  # the editor is highlighted
    page.click("#examples a >> text=Who holds which office?")
    page.wait_for_selector("#results")
    page.screenshot(path=str(ARTIFACTS / "query-page.png"), full_page=True)
    cells = page.locator("#results td").all_inner_texts()
    assert "Avigdor Lieberman" in cells and "foreign minister" in cells
    assert "PREFIX dip:" in page.input_value("#editor")


def test_editing_and_running_a_query_then_following_an_iri(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/query")
    page.fill(
        "#editor",
        "SELECT ?article ?headline WHERE { ?article a dip:Article ; "
        "schema:headline ?headline } ORDER BY ?headline",
    )
    page.click("#run")
    page.wait_for_selector("#results")
    assert page.locator("#results tr").count() == 3  # the header and two articles
    cells_before = page.locator("#results td").all_inner_texts()
    page.click("#results a.iri >> nth=0")
    page.wait_for_selector("#title")
    assert page.url.startswith(live_server + "/id/article/")
    assert page.locator("#title").inner_text() in cells_before
    assert "headline" in page.locator("#outgoing th").all_inner_texts()
    page.screenshot(path=str(ARTIFACTS / "article-page.png"), full_page=True)


def test_home_page_shows_the_figures_and_links_to_the_query_page(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/")
    assert page.locator("#count-articles").inner_text() == "2"
    page.click("text=query page")
    page.wait_for_selector("#editor")


def test_walk_from_search_to_a_person_an_event_and_its_article(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/")
    page.fill("#search-box", "Lavrov")
    page.wait_for_selector("#search-suggestions a")
    page.screenshot(path=str(ARTIFACTS / "walk-1-search.png"))
    page.click("#search-suggestions a >> text=Sergey Lavrov")
    page.wait_for_selector("#title")
    assert page.locator("#title").inner_text() == "Sergey Lavrov"
    assert "foreign minister" in page.locator("#offices").inner_text()
    assert page.locator("#timeline tr").count() > 2
    assert page.locator("#neighbourhood").count() == 1
    page.screenshot(path=str(ARTIFACTS / "walk-2-person.png"), full_page=True)
    page.click("#timeline a >> text=meeting with Hamas leader")
    page.wait_for_selector("#evidence")
    assert "Khaled Mashal" in page.locator("#participants").inner_text()
    marked = page.locator("#evidence mark").all_inner_texts()
    assert "Khaled Mashal" in marked
    page.screenshot(path=str(ARTIFACTS / "walk-3-event.png"), full_page=True)
    page.click("#source-article")
    page.wait_for_selector("#article-text")
    assert page.locator("#title").inner_text().startswith("Russia’s arms trade")
    assert page.locator("#article-text a.mention").count() > 20
    assert page.locator("#facts tr").count() > 5
    page.screenshot(path=str(ARTIFACTS / "walk-4-article.png"), full_page=True)


NARROW_PAGES = {  # each page kind a phone shows, by a path of the sample store
    "home": "/",
    "query": "/query",
    "country": "/id/country/RU",
    "person": "/id/person/sergey-lavrov",
    "downloads": "/dumps/",
    "void": "/.well-known/void",
    "error": "/id/country/ZZ",
}


@pytest.mark.parametrize("name", sorted(NARROW_PAGES))
def test_pages_fit_a_400_pixel_screen(page, live_server: str, name: str) -> None:  # type: ignore[no-untyped-def]
    """No page scrolls sideways on a phone, and the query editor keeps most of the
    width."""
    page.set_viewport_size({"width": 400, "height": 800})
    try:
        page.goto(live_server + NARROW_PAGES[name])
        page.screenshot(path=str(ARTIFACTS / f"narrow-{name}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name} is {overflow} px wider than the screen"
        if name == "query":
            width = page.evaluate("document.querySelector('.editor').clientWidth")
            assert width >= 300
    finally:
        page.set_viewport_size({"width": 1280, "height": 800})


def test_a_headline_on_the_home_page_opens_its_article(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/")
    first = page.locator("td.headline a").first
    headline = first.inner_text()
    first.click()
    page.wait_for_selector("#article-text")
    assert page.locator("#title").inner_text() == headline


@pytest.mark.parametrize("name", ["articles", "actors", "events", "statements"])
def test_each_count_on_the_home_page_lists_what_it_counts(
    page, live_server: str, name: str
) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/")
    count = int(page.locator(f"#count-{name}").inner_text())
    page.click(f"#count-{name}")
    page.wait_for_selector("#results")
    rows = page.locator("#results tr:has(td)").count()
    assert rows == count, f"{name}: {rows} rows listed, {count} counted"


TARGET = """() => { const t = document.querySelector(':target');
  return t ? {cls: t.className, text: t.innerText, top: t.getBoundingClientRect().top,
              color: getComputedStyle(t).backgroundColor} : null; }"""


def _highlighted(page) -> dict:  # type: ignore[no-untyped-def, type-arg]
    target = page.evaluate(TARGET)
    assert target is not None and target["cls"] == "sentence", "opened at a sentence"
    assert target["color"] not in ("rgba(0, 0, 0, 0)", "transparent")
    return target


def test_a_quote_opens_its_article_at_its_sentence_highlighted(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/id/person/sergey-lavrov")
    quote = page.locator("#statements li").first
    words = quote.inner_text().split("”", 1)[0].strip("“ ")
    quote.locator("a").click()
    page.wait_for_selector("#article-text")
    target = _highlighted(page)  # the link names a sentence of the article, marked
    assert words[:40] in " ".join(target["text"].split())
    assert 0 <= target["top"] < 800  # scrolled to it
    page.screenshot(path=str(ARTIFACTS / "quote-in-article.png"))


def test_an_event_opens_its_article_at_its_sentence(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/id/person/sergey-lavrov")
    page.click("#timeline a >> nth=0")
    page.wait_for_selector("#evidence")
    page.click("#source-article")
    page.wait_for_selector("#article-text")
    assert page.evaluate("document.querySelector(':target')?.className") == "sentence"


def test_suggestions_say_what_each_is_and_the_keyboard_reaches_them(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/")
    page.fill("#search-box", "Lavrov")
    page.wait_for_selector("#search-suggestions a")
    first = page.locator("#search-suggestions a").first
    assert "person" in first.inner_text() and "mention" in first.inner_text()
    page.press("#search-box", "ArrowDown")
    focused = page.evaluate("document.activeElement.closest('#search-suggestions') !== null")
    assert focused, "ArrowDown moves from the box into the suggestions"
    href = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "search-box"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_selector("#title")
    assert page.url.endswith(href)


def test_words_typed_in_the_box_suggest_articles_and_events_too(page, analyst_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(analyst_server + "/")
    page.fill("#search-box", "strike")
    page.wait_for_selector("#search-suggestions li.said a")
    kinds = page.locator("#search-suggestions li.said small").all_inner_texts()
    assert {kind.strip() for kind in kinds} & {"article", "event", "statement"}
    page.screenshot(path=str(ARTIFACTS / "search-suggestions-words.png"))
    page.goto(analyst_server + "/search?q=strike")
    marked = page.locator("section.text-hits mark").all_inner_texts()
    assert marked and all(word.lower().startswith("strike") for word in marked)
    page.locator("#articles li a").first.click()
    page.wait_for_selector("#title")
    assert "/id/article/" in page.url


# ---------------------------------------------------------------- the analyst's questions
# Answered through pages only, over dated news items written for these tests.


def test_who_did_russia_meet_and_when(page, analyst_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(analyst_server + "/")
    page.click("#relations-matrix th a >> text=Russia")
    page.wait_for_selector("#country-months")
    page.select_option("select[name=type]", "CONSULT")
    page.click(".filters button")
    page.wait_for_selector("#events")
    assert "type=CONSULT" in page.url
    rows = page.locator("#events tr:has(td)")
    assert rows.count() >= 2
    for n in range(rows.count()):
        cells = rows.nth(n).locator("td").all_inner_texts()
        assert cells[2] == "CONSULT" and cells[0].strip(), "each meeting says when"
    assert "Lavrov" in " ".join(page.locator("#events td.quote").all_inner_texts())
    page.screenshot(path=str(ARTIFACTS / "analyst-russia-meetings.png"), full_page=True)


def test_the_events_between_two_countries_over_time_open_their_sentence(
    page, analyst_server: str
) -> None:  # type: ignore[no-untyped-def]
    page.goto(analyst_server + "/country/IL")
    page.click("#counterparts a >> text=Syria")
    page.wait_for_selector("#pair-months")
    assert page.locator("#pair-months g.month").count() >= 3  # a bar a month
    dates = page.locator("#events td.when").all_inner_texts()
    assert dates == sorted(dates, reverse=True), "newest first"
    link = page.locator("#events a.sentence-link").first
    words = link.inner_text()
    link.click()
    page.wait_for_selector("#article-text")
    assert words[:40] in " ".join(_highlighted(page)["text"].split())


def test_who_holds_which_office(page, analyst_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(analyst_server + "/")
    page.fill("#search-box", "Mekdad")
    page.wait_for_selector("#search-suggestions a")
    page.click("#search-suggestions a >> nth=0")
    page.wait_for_selector("#offices")
    office = page.locator("#offices tr:has(td)").first.locator("td").all_inner_texts()
    assert office[0] == "foreign minister" and office[2] == "Syria"
    page.locator("#offices a").first.click()
    page.wait_for_selector("#article-text")
    assert "Mekdad" in _highlighted(page)["text"]


def test_what_a_person_said_opens_at_the_sentence(page, analyst_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(analyst_server + "/id/person/sergey-lavrov")
    said = page.locator("#statements li").first
    words = said.inner_text().split("”", 1)[0].strip("“ ")
    said.locator("a").click()
    page.wait_for_selector("#article-text")
    assert words[:30] in " ".join(_highlighted(page)["text"].split())
    page.screenshot(path=str(ARTIFACTS / "analyst-quote.png"))


def test_the_month_with_the_most_hostile_events_between_two_countries(
    page, analyst_server: str
) -> None:  # type: ignore[no-untyped-def]
    page.goto(analyst_server + "/pair?a=country/IL&b=country/SY")
    month = page.locator("#most-hostile b").inner_text()
    bar = page.locator(f"#pair-months g.highlight[data-month='{month}']")
    assert bar.count() == 1, "the chart marks that month"
    page.click("#most-hostile a")
    page.wait_for_selector("#events")
    shown = page.locator("#events td.when").all_inner_texts()
    assert shown and all(month in text for text in shown)
    page.screenshot(path=str(ARTIFACTS / "analyst-most-hostile-month.png"), full_page=True)


ANALYST_PAGES = {
    "home": "/",
    "country": "/country/IL",
    "pair": "/pair?a=country/IL&b=country/SY",
    "relations": "/relations",
    "actor": "/id/person/sergey-lavrov",
    "country-resource": "/id/country/RU",
    "search": "/search?q=minister",
    "statements": "/statements?speaker=person/sergey-lavrov",
}


@pytest.mark.parametrize("width", [1400, 400])
@pytest.mark.parametrize("name", sorted(ANALYST_PAGES))
def test_the_analyst_pages_at_two_widths(page, analyst_server: str, name: str, width: int) -> None:  # type: ignore[no-untyped-def]
    """Each page kind, wide and narrow: nothing scrolls sideways; a screenshot of
    each goes with the test run (test-artifacts/)."""
    page.set_viewport_size({"width": width, "height": 900})
    try:
        page.goto(analyst_server + ANALYST_PAGES[name])
        page.screenshot(path=str(ARTIFACTS / f"view-{name}-{width}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name} is {overflow} px wider than the screen"
    finally:
        page.set_viewport_size({"width": 1280, "height": 800})
