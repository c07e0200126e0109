"""The expert directory's filters in a real browser."""

from __future__ import annotations


def test_filters_narrow_the_directory(browser, served_basic) -> None:
    page = browser.new_page()
    page.goto(served_basic + "people/")
    rows = page.locator(".kb-people-index tbody tr")
    assert rows.count() == 2
    form = page.locator('form[data-kb-filter="people"]')
    form.wait_for(state="visible")  # shown only when the script runs
    page.select_option('select[name="team"]', "Platform")
    assert page.locator(".kb-people-index tbody tr:visible").all_text_contents()[0].split()[:2] == ["Ann", "Lee"]
    assert page.locator(".kb-people-index tbody tr:visible").count() == 1
    assert page.locator('output[name="shown"]').text_content() == "1 person"
    page.select_option('select[name="team"]', "")
    page.select_option('select[name="topic"]', "Kubernetes")
    assert page.locator(".kb-people-index tbody tr:visible").count() == 2  # both have evidence there
    page.select_option('select[name="location"]', "Lisbon")
    assert page.locator(".kb-people-index tbody tr:visible").count() == 1
    page.select_option('select[name="location"]', "")
    page.select_option('select[name="topic"]', "")
    assert page.locator(".kb-people-index tbody tr:visible").count() == 2
    page.close()
