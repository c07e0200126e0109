"""The example wiki on a phone, 375 px wide, in a real browser: no page scrolls sideways, the
header keeps the site's name, the chart can be read, the people directory is a list of cards,
and search results fit the screen."""

from __future__ import annotations

import pytest

from conftest import DEMO_PAGES

WIDTH = 375


@pytest.fixture
def phone(browser, served_demo: str):
    context = browser.new_context(viewport={"width": WIDTH, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()

    def open_(path: str):
        page.goto(served_demo + path, wait_until="networkidle")
        return page

    yield open_
    context.close()


def scroll_width(page) -> int:
    return page.evaluate("() => document.scrollingElement.scrollWidth")


def box(page, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return found


@pytest.mark.parametrize("template", list(DEMO_PAGES))
def test_no_page_is_wider_than_the_screen(phone, template: str) -> None:
    page = phone(DEMO_PAGES[template])
    assert scroll_width(page) <= WIDTH
    title = box(page, ".md-header__topic")
    assert title["width"] >= 80  # the site's name is more than an ellipsis beside the search box
    search = box(page, ".kb-search__input")
    assert search["x"] + search["width"] <= WIDTH


def test_the_chart_scrolls_within_the_page_at_a_size_that_can_be_read(phone) -> None:
    page = phone(DEMO_PAGES["insights"])
    figure, chart = box(page, ".kb-chart-figure"), box(page, "svg.kb-chart")
    assert figure["x"] >= 0 and figure["x"] + figure["width"] <= WIDTH
    assert chart["width"] >= 600  # its own size: month labels at 10 px, not squeezed to 5
    assert page.evaluate("() => getComputedStyle(document.querySelector('svg.kb-chart text')).fontSize") == "10px"
    assert page.evaluate("() => document.querySelector('.kb-chart-figure').scrollWidth") > figure["width"]
    assert scroll_width(page) <= WIDTH


def test_people_are_cards(phone) -> None:
    page = phone(DEMO_PAGES["people index"])
    first = page.locator(".kb-people-index tbody tr").first
    name, chips = first.locator("td").first, first.locator("td").last
    assert box(page, ".kb-people-index tbody tr")["width"] <= WIDTH
    assert name.bounding_box()["width"] > 200  # the name on a line of its own, not a narrow column
    assert chips.bounding_box()["y"] > name.bounding_box()["y"]
    # The filters still narrow the cards.
    page.select_option('select[name="team"]', "Platform")
    assert page.locator(".kb-people-index tbody tr:visible").count() == 2
    assert scroll_width(page) <= WIDTH


def test_search_results_fit_the_screen(phone) -> None:
    page = phone(DEMO_PAGES["article"])
    page.locator(".kb-search__input").tap()
    page.fill(".kb-search__input", "mentor")
    result = page.locator(".kb-search__option").first
    result.wait_for()
    page.locator(".kb-search__filter").first.wait_for()  # drawn again with its filters: the last drawing
    panel, shown = box(page, ".kb-search__panel"), result.bounding_box()
    assert panel["x"] >= 0 and panel["x"] + panel["width"] <= WIDTH
    assert shown["x"] >= 0 and shown["x"] + shown["width"] <= WIDTH
    search = box(page, ".kb-search__input")
    assert search["x"] >= 0 and search["x"] + search["width"] <= WIDTH
    assert scroll_width(page) <= WIDTH
