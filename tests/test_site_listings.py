"""Listings that stay light: a wiki with more of everything than a page shows, built for real.

Each long listing shows its top and leads on with "All N" to pages of a fixed size, linked from
first to last: every entry is reachable by plain links, drafts appear nowhere, and no page
grows with the wiki.
"""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from kb.views.listings import BACKLINKS_SHOWN, PAGE_SIZE, PEOPLE_SHOWN, SHOWN, TOPIC_PAGES_SHOWN, TOPICS_SHOWN

from conftest import Built, commit_files, mkdocs_build

PEOPLE = PEOPLE_SHOWN + 2
ARTICLES = PAGE_SIZE + 30  # all in one topic: two further pages
VETTED = SHOWN + 5
QUESTIONS = SHOWN + 3
LINKING = BACKLINKS_SHOWN + 4
TOPICS = TOPICS_SHOWN + 5
WANTED = SHOWN + 2
UNCLAIMED = SHOWN + 3

CONFIG = """site_name: Big wiki
docs_dir: docs
repo_url: https://git.example.com/team/wiki
edit_uri: edit/main/docs/
theme:
  name: material
  # The example wiki's colours, whose links stand apart from the text around them (WCAG 1.4.1).
  palette: {primary: deep purple, accent: deep purple}
plugins:
  - kb:
      validation:
        link.wanted: info
"""


def article(number: int) -> str:
    tags = ["big", f"t{number % TOPICS:03d}"]
    front = [f"title: Page {number:03d} <b>bold</b>", f"tags: [{', '.join(tags)}]", "owners: [p000]"]
    if number < VETTED:
        front += ["status: verified", "reviewed_by: p001", "reviewed_on: 2026-05-01"]
    elif number < VETTED + QUESTIONS:
        front += ["type: question", "answered: false"]
    body = f"About page {number}.\n"
    if number < LINKING:
        body += f"See [[Target page]] for {number}, and the topic [[big]].\n"
    if number < WANTED:
        body += f"We need [[Wanted {number:02d}]].\n"
    return "---\n" + "\n".join(front) + "\n---\n" + body


@pytest.fixture(scope="session")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_big(tmp_path_factory, CONFIG)


def build_big(tmp_path_factory: pytest.TempPathFactory, config: str) -> Built:
    root = tmp_path_factory.mktemp("big") / "big"
    root.mkdir()
    files = {"mkdocs.yml": config, "docs/target-page.md": "---\ntitle: Target page\ntags: [big]\n---\nThe target.\n",
             "docs/secret.md": "---\ntitle: Secret draft\ntags: [big]\nstatus: draft\nowners: [p000]\n---\n"
                               "[[Target page]] and [[Wanted 00]].\n",
             # A page where the home page's vetted answers would lead on: the listing steps aside.
             "docs/vetted.md": "---\ntitle: Vetted, a page\nstatus: verified\nreviewed_by: p001\n"
                               "reviewed_on: 2026-05-01\n---\nA page of the wiki's own.\n"}
    for number in range(PEOPLE):
        files[f"docs/people/p{number:03d}.md"] = (
            f"---\nname: Person {number:03d}\nteam: Team {number % 3}\nlocation: City {number % 4}\n---\nHello.\n")
    for number in range(ARTICLES):
        files[f"docs/pages/page-{number:03d}.md"] = article(number)
    commit_files(root, files, "Start the wiki", ("Founder", "founder@example.com"), "2026-06-01T12:00:00Z")
    for number in range(UNCLAIMED):
        path = f"docs/pages/page-{number:03d}.md"
        text = (root / path).read_text(encoding="utf-8") + f"\nEdit {number}.\n"
        commit_files(root, {path: text}, f"Edit {number}", (f"Writer {number:02d}", f"w{number}@example.com"),
                     f"2026-06-{2 + number:02d}T12:00:00Z")
    built = mkdocs_build(root)
    assert built.returncode == 0, built.log
    return built


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements = 0
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements += 1
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.links.append(found["href"] or "")
        if found.get("id"):
            self.ids.add(found["id"] or "")


def read(built: Built, url: str) -> _Page:
    parser = _Page()
    parser.feed(built.html(url))
    return parser


def reachable(built: Built, start: str, section: str | None = None) -> tuple[set[str], list[str]]:
    """The site URLs that the listing from `start` reaches: its "All N" link (in `section`, the
    id of a heading, if the page has several), then its further pages through their Next links;
    and the further pages visited."""
    html = built.html(start)
    if section is not None:
        html = html[html.index(f'id="{section}"'):]
    more = re.search(r'<p class="kb-more"><a href="([^"]+)"', html)
    assert more, f"no 'All N' link on {start} ({section})"
    url = resolve(start, more.group(1))
    found: set[str] = set()
    visited = []
    while url:
        visited.append(url)
        page = built.html(url)
        assert "kb-listing-range" in page
        found |= {resolve(url, href) for href in re.findall(r'href="([^"]+)"', page)}
        following = re.search(r'<a href="([^"]+)" rel="next">', page)
        url = resolve(url, following.group(1)) if following else ""
    return found, visited


def resolve(page: str, href: str) -> str:
    """A site URL ("pages/page-001/"), from an href on the page at site URL `page`."""
    return unquote(urlsplit(urljoin("http://site/" + page, href)).path).lstrip("/")


def test_every_page_stays_small(big_site: Built) -> None:
    for path in big_site.site.rglob("*.html"):
        page = _Page()
        page.feed(path.read_text(encoding="utf-8"))
        assert path.stat().st_size <= 250 * 1024, path
        assert page.elements <= 3000, path


def test_hub_pages_show_the_top_of_each_listing(big_site: Built) -> None:
    topic = big_site.html("topics/big/")
    items = topic[topic.index('id="kb-articles"'):topic.index('id="kb-ask"') if 'id="kb-ask"' in topic else None]
    assert items.count('class="kb-item"') <= TOPIC_PAGES_SHOWN
    assert f"All {ARTICLES + 1} pages on big" in topic
    assert 'id="kb-recently-updated"' in topic
    home = big_site.html("")
    assert f"All {VETTED + 1} vetted answers" in home and f"All {QUESTIONS} open questions" in home
    assert f"All {TOPICS + 1} topics" in home
    insights = big_site.html("insights/")
    assert f"Never reviewed, oldest first ({ARTICLES + 1 - VETTED})" in insights
    assert insights.count('class="kb-item"') <= 8 * SHOWN
    person = big_site.html("people/p000/")
    assert f"All {ARTICLES} pages Person 000 owns" in person
    target = big_site.html("target-page/")
    assert target.count('class="kb-context"') == BACKLINKS_SHOWN
    assert f"All {LINKING} pages that link here" in target


def test_every_entry_is_reachable_by_plain_links(big_site: Built) -> None:
    pages = {f"pages/page-{number:03d}/" for number in range(ARTICLES)}
    found, visited = reachable(big_site, "topics/big/", "kb-articles")
    assert pages | {"target-page/"} <= found
    assert len(visited) == 2 and visited[0] == "topics/big/all/" and visited[1] == "topics/big/all/2/"
    found, _ = reachable(big_site, "", "kb-vetted")
    assert {f"pages/page-{number:03d}/" for number in range(VETTED)} <= found
    found, _ = reachable(big_site, "", "kb-open-questions")
    assert {f"pages/page-{number:03d}/" for number in range(VETTED, VETTED + QUESTIONS)} <= found
    found, _ = reachable(big_site, "topics/")
    assert {f"topics/t{number:03d}/" for number in range(TOPICS)} <= found
    found, _ = reachable(big_site, "people/", None)
    assert {f"people/p{number:03d}/" for number in range(PEOPLE)} <= found
    found, _ = reachable(big_site, "people/p000/", "kb-owns")
    assert pages <= found
    found, _ = reachable(big_site, "target-page/", "kb-linked-from")
    assert {f"pages/page-{number:03d}/" for number in range(LINKING)} <= found
    # A page kb generates, the topic's, leads on from what links to it as the wiki's own do.
    found, _ = reachable(big_site, "topics/big/", "kb-linked-from")
    assert {f"pages/page-{number:03d}/" for number in range(LINKING)} <= found
    found, _ = reachable(big_site, "insights/", "kb-never-reviewed")
    assert {f"pages/page-{number:03d}/" for number in range(VETTED, ARTICLES)} <= found


def test_people_without_a_profile_are_found_where_expert_lists_point(big_site: Built) -> None:
    directory = read(big_site, "people/")
    _, visited = reachable(big_site, "people/", "kb-unclaimed")
    anchors = directory.ids | {anchor for url in visited for anchor in read(big_site, url).ids}
    assert len([anchor for anchor in anchors if anchor.startswith("kb-git-writer-")]) == UNCLAIMED
    # Every link to an unclaimed person's row, anywhere, lands on a page that has the row.
    for path in big_site.site.rglob("*.html"):
        url = path.relative_to(big_site.site).as_posix().removesuffix("index.html")
        for href in read(big_site, url).links if url.endswith("/") or url == "" else ():
            target = urljoin("http://site/" + url, href)
            fragment = urlsplit(target).fragment
            if fragment.startswith("kb-") and "/people/" in target:
                assert fragment in read(big_site, resolve(url, href)).ids, (url, href)


def test_the_directory_filter_has_everyone_in_its_json(big_site: Built) -> None:
    form = big_site.html("people/")
    assert 'data-kb-source="../assets/kb/people.json"' in form
    assert form.count("<option") == 3  # "All" in each filter: the values come with the data
    data = json.loads((big_site.site / "assets/kb/people.json").read_text(encoding="utf-8"))
    assert len(data["people"]) == PEOPLE and len(data["unclaimed"]) == UNCLAIMED + 1  # and the founder
    assert "big" in data["topics"]
    assert {person["url"] for person in data["people"]} == {f"people/p{n:03d}/" for n in range(PEOPLE)}


def test_drafts_appear_in_no_listing_and_text_stays_escaped(big_site: Built) -> None:
    for path, text in big_site.all_text().items():
        assert "Secret draft" not in text and "secret/" not in text, path
    listing = big_site.html("topics/big/all/")
    assert "Page 000 &lt;b&gt;bold&lt;/b&gt;" in listing
    assert "<b>bold</b>" not in listing


def test_a_small_wiki_has_no_further_pages(basic_site: Built) -> None:
    pages = {path: text for path, text in basic_site.all_text().items() if path.endswith(".html")}
    assert not [path for path, text in pages.items() if "kb-listing-range" in text or 'class="kb-more"' in text]
    assert not (basic_site.site / "assets/kb/people.json").exists()


def test_listing_paths_step_aside_for_the_wikis_own_pages(big_site: Built) -> None:
    assert "A page of the wiki" in big_site.html("vetted/")
    _, visited = reachable(big_site, "", "kb-vetted")
    assert visited == ["vetted-list/"]


def test_two_builds_write_the_same_further_pages(big_site: Built, tmp_path: Path) -> None:
    again = tmp_path / "again"
    shutil.copytree(big_site.root, again, ignore=shutil.ignore_patterns("site"))
    rebuilt = mkdocs_build(again)
    assert rebuilt.returncode == 0, rebuilt.log
    first, second = big_site.all_text(), rebuilt.all_text()
    assert first.keys() == second.keys()
    assert [path for path in first if first[path] != second[path]] == []


def test_further_pages_stay_out_of_mkdocs_own_navigation(tmp_path_factory: pytest.TempPathFactory) -> None:
    """With `navigation: false` MkDocs lists every page in every page's menu: not the further
    pages, which their listings lead to, or a wiki of 10,000 pages would carry 900 in each."""
    built = build_big(tmp_path_factory, CONFIG.replace("      validation:", "      navigation: false\n      validation:"))
    article = built.html("target-page/")
    assert "pages/page-000/" in article  # MkDocs' own menu, with the wiki's pages
    assert "topics/big/all/" not in article and "people/all/" not in article
    assert 'href="all/"' in built.html("topics/big/")
    assert "not included in the" not in built.log
