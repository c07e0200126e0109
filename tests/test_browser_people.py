"""The expert directory's filters in a real browser."""

from __future__ import annotations

from pathlib import Path

from test_site_adopt import vault_site  # noqa: F401 (a fixture)
from test_site_listings import PEOPLE, UNCLAIMED, big_site  # noqa: F401 (a fixture)

from kb.views.listings import PEOPLE_SHOWN, SHOWN

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


def test_a_long_directory_filters_everyone_from_its_json(browser, big_site: Built, tmp_path: Path) -> None:  # noqa: F811
    with serving(big_site.site, tmp_path) as url:
        page = browser.new_page()
        fetched: list[str] = []
        page.on("request", lambda request: fetched.append(request.url))
        page.goto(url + "people/")
        rows = page.locator(".kb-people-index tbody tr:visible")
        assert rows.count() == PEOPLE_SHOWN  # the page's own rows: the first people by name
        page.locator('form[data-kb-filter="people"]').wait_for(state="visible")  # once people.json has come
        assert any(found.endswith("/assets/kb/people.json") for found in fetched)
        assert page.locator('select[name="team"] option').all_text_contents() == ["All", "Team 0", "Team 1", "Team 2"]
        everyone, shown = PEOPLE + UNCLAIMED + 1, PEOPLE_SHOWN + SHOWN  # and the founder, who has no profile
        assert page.locator('output[name="shown"]').text_content() == f"{everyone} people, the first {shown} shown"
        page.select_option('select[name="team"]', "Team 1")
        names = page.locator(".kb-people-index tbody tr:visible td:first-child").all_text_contents()
        assert names == [f"Person {n:03d}" for n in range(1, PEOPLE, 3)]  # from all of them, past the first page
        assert page.locator(".kb-unclaimed-index tbody tr:visible").count() == 0  # nobody without a profile has a team
        assert page.locator('output[name="shown"]').text_content() == f"{len(names)} people"
        # A person's row links to their page; a topic's chip to the topic.
        assert page.locator(".kb-people-index tbody tr a").first.get_attribute("href").endswith("/people/p001/")
        page.select_option('select[name="team"]', "")
        # Topics are typed: any topic whose name holds the text, with a few names suggested.
        page.fill('input[name="topic"]', "T10")
        assert page.locator("#kb-topic-choices option").evaluate_all("found => found.map(o => o.value)") == [
            "t100", "t101", "t102", "t103", "t104"]
        assert page.locator(".kb-unclaimed-index tbody tr:visible td:first-child").all_text_contents() == ["Founder"]
        page.fill('input[name="topic"]', "")
        assert rows.count() == PEOPLE_SHOWN
        assert page.locator("#kb-git-writer-00").count() == 1  # the rows expert lists point to are back
        page.close()


def test_the_long_directory_and_a_further_page_pass_axe(browser, big_site: Built, tmp_path: Path) -> None:  # noqa: F811
    from test_browser_a11y import serious_problems

    with serving(big_site.site, tmp_path) as url:
        page = browser.new_page()
        for path in ("people/", "topics/big/all/2/", "insights/", "topics/big/"):
            page.goto(url + path, wait_until="networkidle")
            assert serious_problems(page) == [], path
        page.close()
