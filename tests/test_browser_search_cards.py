"""The reader's path in a real browser: a topic's or a person's name answers with a card (the
vetted pages and the people to ask), results are ranked by trust at comparable relevance, a
query that finds nothing offers a way forward, and the box is an ARIA combobox."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Built, commit_files, mkdocs_build, serving


@pytest.fixture
def page(browser, served_basic):
    opened = browser.new_page()
    opened.goto(served_basic + "guides/why/")
    yield opened
    opened.close()


def rows(page) -> list[str]:
    """The kind of each row shown: topic, person or result."""
    page.locator(".kb-search__option").first.wait_for(state="visible")
    return page.evaluate("""() => Array.from(document.querySelectorAll('.kb-search__option')).map(r =>
        r.classList.contains('kb-search__card--topic') ? 'topic' :
        r.classList.contains('kb-search__card--person') ? 'person' : 'result')""")


def test_a_topic_s_name_answers_with_its_card_first(page) -> None:
    page.fill(".kb-search__input", "kubernetes")
    assert rows(page)[0] == "topic"
    card = page.locator(".kb-search__card--topic").first
    title = card.locator(".kb-search__card-link")
    assert title.text_content() == "Kubernetes"
    assert title.get_attribute("href").endswith("/wiki/topics/kubernetes/")
    assert card.locator(".kb-search__snippet").text_content() == "Containers, clusters and how we run them."
    # Its vetted pages, linked, with their status, as text (the title holds markup).
    [vetted] = card.locator(".kb-search__card-pages li").all()
    assert vetted.locator("a").text_content() == "Deploying <img src=x onerror=alert(1)> safely"
    assert vetted.locator("a").get_attribute("href").endswith("/wiki/guides/deploy/")
    assert vetted.locator(".kb-badge").text_content() == "Verified"
    # The people to ask, with the line of evidence the topic page gives.
    people = card.locator(".kb-search__card-people")
    assert people.locator("a").first.text_content() == "Ann Lee"
    assert "owns 1 page" in people.text_content()
    assert page.locator(".kb-search__panel img").count() == 0


@pytest.mark.parametrize("typed", ["k8s", "Operations", "operat", "ops"])
def test_an_alias_a_prefix_or_the_slug_finds_the_topic(page, typed: str) -> None:
    page.fill(".kb-search__input", typed)
    page.locator(".kb-search__card--topic").first.wait_for(state="visible")
    expected = "Kubernetes" if typed == "k8s" else "Operations"
    assert page.locator(".kb-search__card--topic .kb-search__card-link").first.text_content() == expected


def test_a_person_s_name_answers_with_their_card(page) -> None:
    page.fill(".kb-search__input", "Ann Lee")
    assert "person" in rows(page)
    card = page.locator(".kb-search__card--person").first
    assert card.locator(".kb-search__card-link").text_content() == "Ann Lee"
    assert card.locator(".kb-search__card-link").get_attribute("href").endswith("/wiki/people/ann/")
    assert card.locator(".kb-search__card-role").text_content() == "Site reliability engineer · Platform"
    assert "Operations" in card.locator(".kb-search__card-topics").text_content()
    # A name with markup in it is text.
    page.fill(".kb-search__input", "bob builder")
    bob = page.locator(".kb-search__card--person .kb-search__card-link", has_text="Builder")
    bob.wait_for(state="visible")
    assert bob.text_content() == "Bob <b>Builder</b>" and page.locator(".kb-search__panel b").count() == 0


def test_query_syntax_asks_for_pages_not_cards(page) -> None:
    page.fill(".kb-search__input", "title:kubernetes")
    page.wait_for_function("() => document.querySelector('.kb-search__summary').textContent !== ''")
    assert page.locator(".kb-search__card").count() == 0


def test_a_typo_is_retried_one_letter_off_and_said(page) -> None:
    page.fill(".kb-search__input", "rolback")
    notice = page.locator(".kb-search__notice")
    notice.wait_for(state="visible")
    assert notice.text_content() == "No page has \u201crolback\u201d; these are pages with words one letter off."
    assert "Runbook for rollbacks" in page.locator(".kb-search__result .kb-search__link").all_text_contents()


def test_nothing_found_offers_the_closest_topics_their_people_and_a_new_page(page) -> None:
    page.fill(".kb-search__input", "operationz kubernetez")
    empty = page.locator(".kb-search__empty")
    empty.wait_for(state="visible")
    # One edit away from "operations" and "kubernetes" as topics, though no page has either word so.
    closest = page.locator(".kb-search__closest a").all_text_contents()
    assert closest == ["Kubernetes", "Operations"]
    assert page.locator(".kb-search__closest a", has_text="Kubernetes").get_attribute("href").endswith("/wiki/topics/kubernetes/")
    assert "Ann Lee" in page.locator(".kb-search__card-people a").all_text_contents()
    start = page.locator(".kb-search__start").get_attribute("href")
    assert "filename=operationz-kubernetez.md" in start
    assert page.locator(".kb-search__summary").text_content() == "Nothing found"


def test_exclusions_alone_list_every_other_page(page) -> None:
    page.fill(".kb-search__input", "-kubernetes -zzzz")
    page.locator(".kb-search__result").first.wait_for(state="visible")
    assert page.locator(".kb-search__summary").text_content().endswith("pages")


def test_the_box_is_a_combobox_the_keyboard_walks_cards_and_results(page) -> None:
    page.keyboard.press("/")
    search = page.locator(".kb-search__input")
    assert search.get_attribute("role") == "combobox" and search.get_attribute("aria-expanded") == "false"
    page.keyboard.type("kubernetes")
    # Typed a letter at a time, "kub" shows the card alone for a moment: wait for the pages too.
    page.locator(".kb-search__result").first.wait_for(state="visible")
    kinds = rows(page)
    assert kinds[0] == "topic" and "result" in kinds
    assert search.get_attribute("aria-expanded") == "true"
    grid = page.locator("#" + search.get_attribute("aria-controls"))
    assert grid.get_attribute("role") == "grid"
    # The count is announced: the summary is a live status region.
    summary = page.locator(".kb-search__summary")
    assert summary.get_attribute("role") == "status" and summary.text_content().startswith("1 topic, ")
    assert search.get_attribute("aria-activedescendant") == "kb-search-cell-0"
    page.keyboard.press("ArrowDown")
    assert search.get_attribute("aria-activedescendant") == "kb-search-cell-1"
    assert page.locator("#kb-search-option-1").get_attribute("aria-selected") == "true"
    assert page.locator("#kb-search-cell-1").get_attribute("role") == "gridcell"
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")  # the topic card opens its topic page
    page.wait_for_url("**/wiki/topics/kubernetes/")
    page.keyboard.press("/")
    page.keyboard.type("kubernetes")
    rows(page)
    page.keyboard.press("Escape")
    assert page.locator(".kb-search__panel").is_hidden() and search.get_attribute("aria-expanded") == "false"


# --- the trust re-rank, on a wiki made for it ------------------------------------------------

RANKED = {
    "docs/index.md": "# Home\n",
    "docs/people/kim.md": "---\nname: Kim Reviewer\n---\n",
    # The same words; the vetted pages (the lapsed one too) say one word more, which makes them a little less relevant
    # to lunr than the plain page: the trust factor lifts them past it.
    "docs/plain.md": "---\ntitle: Plain notes\n---\nWatering the orchids weekly keeps them alive.\n",
    "docs/verified.md": "---\ntitle: Verified notes\nstatus: verified\nreviewed_by: kim\nreviewed_on: 2026-05-01\n---\n"
                        "Watering the orchids weekly keeps them alive, truly.\n",
    "docs/best.md": "---\ntitle: Best notes\nstatus: best-practice\nreviewed_by: kim\nreviewed_on: 2026-05-01\n---\n"
                    "Watering the orchids weekly keeps them alive, truly.\n",
    "docs/lapsed.md": "---\ntitle: Lapsed notes\nstatus: best-practice\nreviewed_by: kim\nreviewed_on: 2024-01-01\n---\n"
                      "Watering the orchids weekly keeps them alive, truly.\n",
    # Far more relevant, and only published: trust does not lift the others past it.
    "docs/orchids.md": "---\ntitle: Orchids\naliases: [Orchid care]\n---\n## Orchids\n\nOrchids, orchids: watering orchids.\n",
    # Topics whose names are short or not all letters.
    "docs/go.md": "---\ntitle: Go services\ntags: [Go]\nstatus: verified\nreviewed_by: kim\nreviewed_on: 2026-05-01\n---\nGo.\n",
    "docs/cpp.md": "---\ntitle: Modern C++\ntags: [C++]\nstatus: verified\nreviewed_by: kim\nreviewed_on: 2026-05-01\n---\n"
                   "Templates.\n",
    # A review dated after the newest commit vouches for nothing.
    "docs/future.md": "---\ntitle: Future notes\nstatus: best-practice\nreviewed_by: kim\nreviewed_on: 2099-01-01\n---\n"
                      "Watering the orchids weekly keeps them alive, truly.\n",
    "mkdocs.yml": "site_name: Ranked\ntheme: material\nrepo_url: https://git.example.com/team/wiki\n"
                  "edit_uri: edit/main/docs/\nplugins: [kb]\n",
}


@pytest.fixture(scope="module")
def ranked_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("ranked")
    commit_files(root, RANKED, "Pages", ("Kim Reviewer", "kim@example.com"), "2026-06-01T09:00:00Z")
    built = mkdocs_build(root, strict=False)
    assert built.returncode == 0, built.log
    assert "docs/future.md:5:1: error: 'reviewed_on' is 2099-01-01, after the newest commit (2026-06-01)" in built.log
    return built


def test_at_comparable_relevance_vetted_pages_come_first_and_a_lapsed_review_is_marked(
        browser, ranked_site: Built, tmp_path: Path) -> None:
    with serving(ranked_site.site, tmp_path) as url:
        opened = browser.new_page()
        opened.goto(url)
        opened.fill(".kb-search__input", "orchids watering")
        opened.locator(".kb-search__result").nth(4).wait_for(state="visible")
        titles = opened.locator(".kb-search__result .kb-search__link").all_text_contents()
        # lunr's own scores, from a second engine over the same files: the vetted pages score lower.
        scores = opened.evaluate("""async () => {
            const core = window.KbSearchCore(window.lunr, p => fetch(p).then(r => r.json()));
            const titles = {};
            for (const r of await core.search('orchids watering')) {
              const doc = (await (await fetch('search/d/0.json')).json())[r.ref];
              titles[doc.t] = r.score;
            }
            return titles;
        }""")
        assert scores["Best notes"] < scores["Plain notes"] and scores["Verified notes"] < scores["Plain notes"]
        assert scores["Orchids"] > 1.2 * scores["Plain notes"]
        assert titles[:4] == ["Orchids", "Best notes", "Verified notes", "Plain notes"]
        assert set(titles[4:]) == {"Lapsed notes", "Future notes"}
        future = opened.locator(".kb-search__result", has_text="Future notes")
        assert future.locator(".kb-badge--lapsed").text_content() == "Not reviewed"
        lapsed = opened.locator(".kb-search__result", has_text="Lapsed notes")
        assert lapsed.locator(".kb-badge--lapsed").text_content() == "Review overdue"
        assert opened.locator(".kb-search__result", has_text="Best notes").locator(".kb-badge--lapsed").count() == 0
        opened.close()


@pytest.fixture
def ranked(browser, ranked_site: Built, tmp_path: Path):
    with serving(ranked_site.site, tmp_path) as url:
        opened = browser.new_page()
        opened.goto(url)
        yield opened
        opened.close()


@pytest.mark.parametrize(("typed", "name"), [("Go", "Go"), ("go", "Go"), ("C++", "C++"), ("c++", "C++")])
def test_a_short_or_symbolic_name_still_finds_its_topic(ranked, typed: str, name: str) -> None:
    ranked.fill(".kb-search__input", typed)
    link = ranked.locator(".kb-search__card--topic .kb-search__card-link").first
    link.wait_for(state="visible")
    assert link.text_content() == name


def test_a_new_text_starts_at_its_first_row_and_old_rows_never_open(ranked) -> None:
    search = ranked.locator(".kb-search__input")
    search.fill("orchids watering")
    ranked.locator(".kb-search__result").nth(3).wait_for(state="visible")
    ranked.keyboard.press("ArrowDown")
    ranked.keyboard.press("ArrowDown")
    assert search.get_attribute("aria-activedescendant") == "kb-search-cell-2"
    search.fill("orchid care")
    ranked.wait_for_function("() => document.querySelector('.kb-search__input').getAttribute('aria-activedescendant') "
                             "=== 'kb-search-cell-0' && document.querySelector('.kb-search__summary').textContent !== ''")
    # Shortened below a search, then a word nothing starts with: nothing of the old text stays.
    search.fill("or")
    search.press("q")
    ranked.wait_for_timeout(400)
    assert ranked.locator(".kb-search__panel").is_hidden()
    assert search.get_attribute("aria-activedescendant") is None
    search.press("Enter")
    ranked.wait_for_timeout(300)
    assert ranked.url.endswith("/")  # nothing opened


def test_escape_closes_first_and_keeps_the_text_and_enter_then_opens_nothing_hidden(ranked) -> None:
    search = ranked.locator(".kb-search__input")
    search.fill("orchids")
    ranked.locator(".kb-search__result").first.wait_for(state="visible")
    search.press("Escape")
    assert ranked.locator(".kb-search__panel").is_hidden() and search.input_value() == "orchids"
    assert search.get_attribute("aria-activedescendant") is None
    search.press("Enter")  # opens the results again, not a hidden row
    ranked.locator(".kb-search__result").first.wait_for(state="visible")
    assert ranked.url.endswith("/")


def test_with_the_filters_on_and_nothing_left_the_panel_says_so_and_clears_them(ranked) -> None:
    ranked.fill(".kb-search__input", "orchids watering")
    ranked.locator('.kb-search__filter[data-value="best-practice"]').click()
    ranked.wait_for_function("() => document.querySelector('.kb-search__filter[data-value=\"best-practice\"]')"
                             ".getAttribute('aria-pressed') === 'true'")
    ranked.fill(".kb-search__input", "templates")  # only a verified page has it
    empty = ranked.locator(".kb-search__empty")
    empty.wait_for(state="visible")
    assert empty.text_content().startswith("1 page matches, but none with the filters on.")
    assert ranked.locator(".kb-search__start").count() == 0
    ranked.locator(".kb-search__clear").click()
    ranked.locator(".kb-search__result").first.wait_for(state="visible")
    assert ranked.locator(".kb-search__result .kb-search__link").all_text_contents() == ["Modern C++"]


def test_tab_goes_from_the_box_into_the_cards_links(ranked) -> None:
    ranked.fill(".kb-search__input", "orchids")
    ranked.locator(".kb-search__result").first.wait_for(state="visible")
    ranked.focus(".kb-search__input")
    ranked.keyboard.press("Tab")
    assert ranked.evaluate("() => document.activeElement.closest('.kb-search__panel') !== null")
    ranked.keyboard.press("Escape")
    assert ranked.locator(".kb-search__panel").is_hidden()
    assert ranked.evaluate("() => document.activeElement.classList.contains('kb-search__input')")


def test_a_query_with_dollar_signs_starts_a_page_with_that_title(ranked) -> None:
    ranked.fill(".kb-search__input", "qqzzx $& wwyyq $'")
    start = ranked.locator(".kb-search__start")
    start.wait_for(state="visible")
    href = start.get_attribute("href")
    from urllib.parse import parse_qs, urlsplit
    query = parse_qs(urlsplit(href).query)
    assert query["filename"] == ["qqzzx-wwyyq.md"]
    assert 'title: "qqzzx $& wwyyq $\'"' in query["value"][0]


@pytest.mark.parametrize(("typed", "message"), [("*ollback", "A word cannot start with *"),
                                                ("s*x", "Type at least two letters before *"),
                                                # Letters as the index reads them: 𝐬 is s, and é
                                                # typed with a separate accent one letter.
                                                ("\U0001d42c*", "Type at least two letters before *"),
                                                ("e\u0301*", "Type at least two letters before *"),
                                                ("+x~1 rollback", "Type at least two letters before ~")])
def test_wildcards_that_would_fetch_much_of_the_index_are_refused(ranked, typed: str, message: str) -> None:
    ranked.fill(".kb-search__input", typed)
    notice = ranked.locator(".kb-search__notice")
    notice.wait_for(state="visible")
    assert notice.text_content().startswith(message)
