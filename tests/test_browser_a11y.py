"""Accessibility of every kb page template, in a real browser: axe-core finds no serious or
critical problem against WCAG 2.2 AA, and a keyboard alone can search, open a result and see a
link's preview.

axe-core comes with the axe-playwright-python package (its axe.min.js, injected into the page),
so the test downloads nothing.
"""

from __future__ import annotations

import pytest

from conftest import DEMO_PAGES

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def serious_problems(page) -> list[str]:
    from axe_playwright_python.base import AXE_SCRIPT

    page.evaluate(AXE_SCRIPT)
    results = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA)
    return [f"{violation['id']} ({violation['impact']}): {node['target']} {node['html'][:120]}"
            for violation in results["violations"] if violation["impact"] in ("serious", "critical")
            for node in violation["nodes"]]


def settled(page) -> None:
    """Wait for the query's results with their filters: the panel's last drawing for it (the
    results may show before the filters' data has come, and are drawn again when it has)."""
    page.locator(".kb-search__option").first.wait_for()
    page.locator(".kb-search__filter").first.wait_for()


@pytest.fixture
def open_page(browser, served_demo: str):
    opened = []

    def open_(path: str, **options):
        page = browser.new_page(**options)
        page.goto(served_demo + path, wait_until="networkidle")
        opened.append(page)
        return page

    yield open_
    for page in opened:
        page.close()


@pytest.mark.parametrize("template", list(DEMO_PAGES))
def test_every_template_passes_axe(open_page, template: str) -> None:
    assert serious_problems(open_page(DEMO_PAGES[template])) == []


def test_search_with_results_passes_axe(open_page) -> None:
    page = open_page(DEMO_PAGES["topic"])
    page.fill(".kb-search__input", "mentor")  # one query, so that the panel is drawn for it alone
    settled(page)
    page.keyboard.press("ArrowDown")  # a row highlighted, as a keyboard leaves it
    assert serious_problems(page) == []


def test_a_link_preview_passes_axe(open_page) -> None:
    page = open_page(DEMO_PAGES["topic"])
    page.locator(".md-content a[href$='finding-a-mentor/']").first.focus()
    page.locator(".kb-preview").wait_for(state="visible")
    assert serious_problems(page) == []


def test_a_keyboard_alone_searches_opens_a_result_and_previews_links(open_page, served_demo: str) -> None:
    page = open_page(DEMO_PAGES["home"])
    # Tab reaches the search box from the top of the page.
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('kb-search__input')"):
            break
    else:
        pytest.fail("Tab never reached the search box")
    # "/" from anywhere on a page, then type, arrows and Enter.
    page.goto(served_demo + DEMO_PAGES["home"], wait_until="networkidle")
    page.keyboard.press("/")
    assert page.evaluate("() => document.activeElement.classList.contains('kb-search__input')")
    page.keyboard.type("vpn")  # shorter prefixes search nothing: one query, drawn once it is typed
    settled(page)
    page.keyboard.press("ArrowDown")
    row = page.locator('.kb-search__option[aria-selected="true"]')
    assert row.count() == 1
    target = row.locator(".kb-search__link").first.get_attribute("href")
    assert page.locator(".kb-search__input").get_attribute("aria-activedescendant") == (
        row.locator('[role="gridcell"]').first.get_attribute("id"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == target
    # Tab onto a link to another page of the wiki: its preview opens, and Escape closes it.
    page.goto(served_demo + DEMO_PAGES["topic"], wait_until="networkidle")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('.md-content') && document.activeElement.matches('a[href]')"):
            break
    else:
        pytest.fail("Tab never reached a link in the page")
    card = page.locator(".kb-preview")
    card.wait_for(state="visible")
    assert page.evaluate("() => document.activeElement.getAttribute('aria-describedby')") == "kb-preview"
    assert card.locator(".kb-preview__title").text_content()
    page.keyboard.press("Escape")
    card.wait_for(state="hidden")
