"""kb's search in a real browser, on the basic wiki served from a sub-path."""

from __future__ import annotations

import pytest


@pytest.fixture
def page(browser, served_basic):
    opened = browser.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    opened.goto(served_basic + "guides/why/")
    yield opened
    assert dialogs == []
    opened.close()


def results(page) -> list[str]:
    page.locator(".kb-search__result").first.wait_for(state="visible")
    return page.locator(".kb-search__link").all_text_contents()


def test_type_ahead_shows_safe_marked_results(page) -> None:
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.classList.contains('kb-search__input')")
    page.keyboard.type("deplo")  # a prefix: the last word matches as you type
    assert results(page)[0] == "Deploying <img src=x onerror=alert(1)> safely"
    panel = page.locator(".kb-search__panel")
    assert panel.locator("img").count() == 0
    assert panel.locator(".kb-search__link").first.locator("mark").first.text_content() == "Deploying"


def test_result_links_to_the_best_section(page) -> None:
    page.fill(".kb-search__input", "rollback")
    results(page)
    href = page.locator(".kb-search__link", has_text="Runbook for rollbacks").get_attribute("href")
    assert href.endswith("/wiki/guides/deep/runbook/#rollback")


def test_filters_with_counts(page) -> None:
    page.fill(".kb-search__input", "small")
    assert len(results(page)) >= 2
    verified = page.locator('.kb-search__filter[data-filter="status"][data-value="verified"]')
    assert verified.text_content().startswith("Verified ")
    count = int(verified.text_content().split()[-1])
    verified.click()
    page.wait_for_function("() => document.querySelector('.kb-search__filter[data-value=\"verified\"]').getAttribute('aria-pressed') === 'true'")
    page.wait_for_function(f"() => document.querySelectorAll('.kb-search__result').length === {count}")
    assert all(badge == "Verified" for badge in page.locator(".kb-search__result .kb-badge:not(.kb-badge--lapsed)").all_text_contents())


def test_keyboard_navigation_opens_a_result(page) -> None:
    page.fill(".kb-search__input", "small pull requests")
    titles = results(page)
    page.focus(".kb-search__input")
    page.keyboard.press("ArrowDown")
    assert page.locator('.kb-search__result[aria-selected="true"]').count() == 1
    chosen = page.locator('.kb-search__result[aria-selected="true"] .kb-search__link').text_content()
    assert chosen == titles[1 % len(titles)]
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("h1").first.text_content() == chosen
    page.keyboard.press("Escape")


def test_empty_state_offers_topics_people_and_a_new_page(page) -> None:
    page.fill(".kb-search__input", "opsxyz kubernetesqq")
    empty = page.locator(".kb-search__empty")
    empty.wait_for(state="visible")
    assert "No page matches" in empty.text_content()
    assert page.locator(".kb-search__empty a", has_text="the people directory").get_attribute("href").endswith("/wiki/people/")
    start = page.locator(".kb-search__start").get_attribute("href")
    assert start.startswith("https://git.example.com/team/wiki/new/main/docs?filename=opsxyz-kubernetesqq.md&value=")


def test_a_short_word_being_typed_does_not_flash_no_match(page) -> None:
    page.focus(".kb-search__input")
    page.keyboard.type("dep")  # no page has the word "dep": the reader is not done typing
    page.wait_for_timeout(400)
    assert page.locator(".kb-search__empty").count() == 0
    page.keyboard.type("lo")
    assert results(page)[0] == "Deploying <img src=x onerror=alert(1)> safely"


def test_the_newest_text_wins_over_a_search_still_running(page, browser, served_basic) -> None:
    page.fill(".kb-search__input", "rollback")
    page.fill(".kb-search__input", "small pull requests")
    page.wait_for_function("() => document.querySelector('.kb-search__summary') && "
                           "document.querySelector('.kb-search__input').value === 'small pull requests'")
    page.wait_for_timeout(500)
    shown = results(page)
    fresh = browser.new_page()
    fresh.goto(served_basic + "guides/why/")
    fresh.fill(".kb-search__input", "small pull requests")
    expected = results(fresh)
    fresh.close()
    assert shown == expected and "Runbook for rollbacks" not in shown
