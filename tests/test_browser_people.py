"""The expert directory's filters in a real browser."""

from __future__ import annotations

from pathlib import Path

from test_site_adopt import vault_site  # noqa: F401 (a fixture)

from conftest import Built, serving


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


def test_the_filters_narrow_people_without_a_profile_too(browser, vault_site: Built, tmp_path: Path) -> None:  # noqa: F811
    with serving(vault_site.site, tmp_path) as url:
        page = browser.new_page()
        page.goto(url + "people/")
        page.locator('form[data-kb-filter="people"]').wait_for(state="visible")
        rows = page.locator(".kb-unclaimed-index tbody tr:visible")
        assert rows.count() == 5
        assert page.locator('output[name="shown"]').text_content() == "5 people"
        page.select_option('select[name="topic"]', "Core plugins")
        assert [row.split()[0] for row in rows.all_text_contents()] == ["Steph", "lee", "Stephan"]
        assert page.locator('output[name="shown"]').text_content() == "3 people"
        # Unclaimed people have no team: a team narrows them all away.
        page.select_option('select[name="topic"]', "")
        assert page.locator('select[name="team"] option').count() == 1
        page.close()
