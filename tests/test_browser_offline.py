"""The example wiki in a real browser, served from loopback: no page asks another host for
anything (an intranet wiki must work without the internet, and tell no one who reads what), and
no page asks its own site for a file that is not there."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import DEMO_PAGES, Built, commit_files, mkdocs_build, serving

#: Schemes that never leave the page: inline pictures and the browser's own objects.
LOCAL_SCHEMES = {"data", "blob", "about"}


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.mark.parametrize("template", list(DEMO_PAGES))
def test_no_page_calls_another_host(browser, served_demo: str, template: str) -> None:
    """Each template, loaded and used: search opened and typed in, a link's preview shown."""
    page = browser.new_page()
    requested: list[str] = []
    missing: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    # What the page asks its own site for while in use (search shards, cards, previews) must be there.
    page.on("response", lambda response: missing.append(f"{response.status} {response.url}")
            if response.status >= 400 and origin(response.url) == origin(served_demo) else None)
    page.goto(served_demo + DEMO_PAGES[template], wait_until="networkidle")
    page.keyboard.press("/")
    page.keyboard.type("mentor")
    page.locator(".kb-search__option").first.wait_for()
    page.keyboard.press("Escape")
    # A link to another page of the wiki (not a feed, a file or an address): its preview is fetched.
    links = page.locator(".md-content a[href$='/']:not(.kb-chip):not([href*='://']):not([href^='#'])")
    if links.count():
        links.first.focus()
        page.locator(".kb-preview").wait_for(state="visible")
    page.wait_for_load_state("networkidle")
    elsewhere = [url for url in requested
                 if urlsplit(url).scheme not in LOCAL_SCHEMES and origin(url) != origin(served_demo)]
    assert elsewhere == []
    assert missing == []
    assert any("/search/c/" in url for url in requested) and any("/search/t/" in url for url in requested)
    assert len(requested) > 5  # the page, its styles and scripts, the search index: all were seen
    page.close()


def test_a_default_kb_site_calls_no_other_host(browser, tmp_path: Path) -> None:
    """The smallest mkdocs.yml there is, with a GitHub repository to link to: Material's fonts and
    its fetch of the repository's stars are both off."""
    root = tmp_path / "wiki"
    root.mkdir()
    commit_files(root, {
        "mkdocs.yml": ("site_name: Wiki\ndocs_dir: docs\nrepo_url: https://github.com/corp/wiki\n"
                       "theme: material\nplugins: [kb]\n"),
        "docs/index.md": "# Home\n\nSee [[Deploying]].\n",
        "docs/deploy.md": "---\ntitle: Deploying\ntags: [ops]\n---\nShip it on a Tuesday, and see the [home page](index.md).\n",
    }, "Start the wiki", ("Ann Lee", "ann@example.com"), "2026-06-01T12:00:00Z")
    built = mkdocs_build(root)
    assert built.returncode == 0, built.log
    (tmp_path / "served").mkdir()
    with serving(built.site, tmp_path / "served") as url:
        for path in ("", "deploy/", "topics/ops/"):
            page = browser.new_page()
            requested: list[str] = []
            page.on("request", lambda request, seen=requested: seen.append(request.url))
            page.goto(url + path, wait_until="networkidle")
            page.locator(".md-content a[href]").first.focus()  # a link's preview
            page.wait_for_load_state("networkidle")
            assert [u for u in requested if urlsplit(u).scheme not in LOCAL_SCHEMES and origin(u) != origin(url)] == [], path
            page.close()


def test_every_page_finds_everything_it_asks_its_site_for(browser, demo_site: Built, served_demo: str) -> None:
    """Every page of the site, with whatever its scripts fetch until the network is quiet. A few
    tabs load at once, so that their quiet half-seconds overlap."""
    pages = sorted(path.parent.relative_to(demo_site.site).as_posix()
                   for path in demo_site.site.rglob("index.html"))
    assert len(pages) >= 70
    missing: list[str] = []

    def watch(tab, path: str) -> None:
        tab.on("response", lambda response: missing.append(f"{response.status} {response.url} (on {path})")
               if response.status >= 400 and origin(response.url) == origin(served_demo) else None)
        tab.on("requestfailed", lambda request: missing.append(f"failed {request.url} (on {path})")
               if origin(request.url) == origin(served_demo) else None)

    context = browser.new_context()
    for start in range(0, len(pages), 6):
        tabs = []
        for path in pages[start:start + 6]:
            tab = context.new_page()
            watch(tab, path)
            tab.goto(served_demo + ("" if path == "." else path + "/"), wait_until="commit")
            tabs.append(tab)
        for tab in tabs:
            tab.wait_for_load_state("networkidle")
            tab.close()
    context.close()
    assert missing == []
