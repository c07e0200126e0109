"""A contributor's file cannot run script, leak a secret or track readers: a hostile wiki, built
for real and loaded in chromium."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from kb.render.csp import inline_script_hashes
from kb.urls import page_url, site_path, unsafe_name

from conftest import Built, commit_files, kb_cli, mkdocs_build, serving

SCRIPT_FOLDER = "javascript:window.__x=1;"

HOSTILE = {
    "mkdocs.yml": (
        "site_name: Hostile wiki\nsite_url: https://wiki.example.com/\ndocs_dir: docs\ntheme: material\n"
        "plugins:\n  - kb\n"
    ),
    "docs/people/ann.md": "---\nname: Ann Lee\nrole: Engineer\n---\nAnn knows ops.\n",
    "docs/topics/ops.md": "---\ntitle: Ops\n---\nRunning things.\n",
    f"docs/{SCRIPT_FOLDER}/x.md": "---\ntitle: Click me\ntags: [ops]\nowners: [ann]\n---\nSCRIPT-FOLDER-BODY\n",
    "docs/guides/Mon guide café.md": "---\ntitle: Café guide\ntags: [ops]\nowners: [ann]\n---\nAn ordinary name.\n",
    "docs/index.md": "# Home\n\nSee the [guide](guides/Mon guide café.md).\n",
    "docs/guides/spoof.md": (
        "---\ntitle: \"Invoice \u202egpj.exe\"\ntags: [\"o\u200bps\"]\nowners: [ann]\n---\n"
        '<div class="md-dialog md-dialog--active" id="kb-search-panel">Your session expired: log in again</div>\n\n'
        "![tracking pixel](https://tracker.example/pixel.gif?reader=1)\n\n"
        "## kb-search\n\nA heading whose id would be kb's own.\n"
    ),
    "docs/guides/links.md": (
        "---\ntitle: \"Links \\x01 and \\x1b escapes\"\ntags: [ops]\n---\n"
        "[one](javascript:window.__x=1) [two](data:text/html,<script>parent.__x=1</script>) "
        '<a href="&#106;avascript:window.__x=1">three</a> <a href="jAvAsCrIpT&colon;window.__x=1">four</a>\n\n'
        '<img src="x" onerror="window.__x=1"> <svg onload="window.__x=1"></svg> <iframe src="https://evil.example"></iframe>\n\n'
        "See [the spoof](spoof.md) and [[Click me]].\n"
    ),
}


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "wiki"
    root.mkdir()
    commit_files(root, dict(HOSTILE), "Hostile content", ("Ann Lee", "ann@example.com"), "2026-06-01T12:00:00Z")
    commit_files(root, {"docs/guides/links.md": HOSTILE["docs/guides/links.md"] + "More.\n"},
                 "Subject with \x01 a control character", ("Ann Lee", "ann@example.com"), "2026-06-02T12:00:00Z")
    return root


@pytest.fixture(scope="module")
def hostile_site(hostile_root: Path) -> Built:
    built = mkdocs_build(hostile_root, strict=False)
    assert built.returncode == 0, built.log
    return built


def outputs(built: Built) -> dict[str, str]:
    """What kb and the theme write for pages: HTML, JSON and XML (not the theme's own scripts)."""
    return {path: text for path, text in built.all_text().items() if path.endswith((".html", ".json", ".xml"))}


def test_page_urls_are_percent_encoded_as_mkdocs_encodes_them() -> None:
    assert page_url("guides/Mon guide café.md") == "guides/Mon%20guide%20caf%C3%A9/"
    assert page_url(f"{SCRIPT_FOLDER}/x.md") == "javascript%3Awindow.__x%3D1%3B/x/"
    assert page_url("a/b.md", directory_urls=False) == "a/b.html"
    assert page_url("index.md") == "" and page_url("ops/README.md") == "ops/"
    assert site_path("guides/Mon guide café.md") == "guides/Mon guide café/"


@pytest.mark.parametrize(
    ("name", "why"),
    [("javascript:x", "':'"), ("a?b", "'?'"), ("a#b", "'#'"), ("back\\slash", "'\\'"),
     ("Invoice \u202egpj.exe", "U+202E"), ("zero\u200bwidth", "U+200B"), ("tab\tname", "U+0009")],
)
def test_names_unsafe_in_a_url_are_named(name: str, why: str) -> None:
    found = unsafe_name(name)
    assert found is not None and why in found


@pytest.mark.parametrize("name", ["Mon guide café.md", "100%.md", "a+b (draft).md", "日本語.md", "x_y-z.md"])
def test_ordinary_names_are_safe(name: str) -> None:
    assert unsafe_name(name) is None


def test_a_folder_named_like_a_scheme_is_an_error_at_the_folder(hostile_root: Path) -> None:
    done = kb_cli(hostile_root, "check")
    assert f"docs/{SCRIPT_FOLDER}:1:1: error: this folder's name holds ':'" in done.stdout, done.stdout
    assert "[file.name]" in done.stdout
    assert done.returncode == 1


def test_the_strict_build_fails_on_it(hostile_root: Path) -> None:
    built = mkdocs_build(hostile_root, strict=True)
    assert built.returncode != 0
    assert f"docs/{SCRIPT_FOLDER}:1:1: error:" in built.log


def test_no_output_carries_a_script_url_or_the_held_back_page(hostile_site: Built) -> None:
    texts = outputs(hostile_site)
    assert "feed.xml" in texts and "search/manifest.json" in texts and "sitemap.xml" in texts
    for path, text in texts.items():
        assert "SCRIPT-FOLDER-BODY" not in text, path
        assert not re.search(r"(?i)(href|src|url)[\"']?\s*[=:]\s*[\"']?\s*javascript:", text), path
    assert not (hostile_site.site / SCRIPT_FOLDER).exists()


def test_an_unusual_but_safe_name_is_linked_encoded_and_published(hostile_site: Built) -> None:
    assert (hostile_site.site / "guides" / "Mon guide café" / "index.html").exists()
    topic = hostile_site.html("topics/ops")
    assert 'href="../../guides/Mon%20guide%20caf%C3%A9/"' in topic
    assert "https://wiki.example.com/guides/Mon%20guide%20caf%C3%A9/" in (hostile_site.site / "feed.xml").read_text()


def test_content_cannot_pass_for_the_interface(hostile_site: Built) -> None:
    page = hostile_site.html("guides/spoof")
    body = page.split('<article', 1)[1].split("</article>", 1)[0]
    assert "md-dialog" not in body and "Your session expired" in body
    assert page.count('id="kb-search-panel"') == 0 and 'id="user-content-kb-search-panel"' in page
    # The heading's id took the prefix; the table of contents follows it.
    assert 'id="user-content-kb-search"' in page and 'href="#user-content-kb-search"' in page


def test_invisible_characters_are_removed_from_titles_and_tags_with_a_warning(hostile_root: Path,
                                                                             hostile_site: Built) -> None:
    done = kb_cli(hostile_root, "check")
    assert "docs/guides/spoof.md:2:1: warning: 'title' holds invisible characters" in done.stdout
    assert "docs/guides/spoof.md:3:1: warning: 'tags' holds invisible characters" in done.stdout
    for path, text in outputs(hostile_site).items():
        assert "\u202e" not in text and "\u200b" not in text, path
    assert "<title>Invoice gpj.exe - Hostile wiki</title>" in hostile_site.html("guides/spoof")
    assert not (hostile_site.site / "topics" / "o\u200bps").exists()


def test_no_page_loads_an_image_or_a_font_from_another_host(hostile_site: Built) -> None:
    for path, text in outputs(hostile_site).items():
        if path.endswith(".html"):
            assert "fonts.googleapis.com" not in text and "fonts.gstatic.com" not in text, path
            assert not re.search(r"<img[^>]+src=\"(https?:)?//", text), path
    page = hostile_site.html("guides/spoof")
    assert 'href="https://tracker.example/pixel.gif?reader=1"' in page and "tracking pixel" in page


def test_every_feed_is_well_formed_xml(hostile_site: Built) -> None:
    feeds = sorted(hostile_site.site.rglob("*.xml"))
    assert len(feeds) >= 3  # the site's feed, a topic's feed, the sitemap
    for feed in feeds:
        ElementTree.parse(feed)
    assert "Subject with" in (hostile_site.site / "feed.xml").read_text(encoding="utf-8")


def test_every_page_carries_a_policy_that_allows_only_the_themes_own_scripts(hostile_site: Built) -> None:
    pages = sorted(hostile_site.site.rglob("*.html"))
    assert len(pages) >= 10
    for page in pages:
        html = page.read_text(encoding="utf-8")
        found = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
        assert len(found) == 1, page
        directives = dict(part.split(" ", 1) for part in found[0].split("; "))
        assert directives["object-src"] == "'none'" and directives["base-uri"] == "'self'"
        assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
        assert html.index("Content-Security-Policy") < html.index("<script")
        assert sorted(re.findall(r"'sha256-[^']+'", directives["script-src"])) == inline_script_hashes(html), page


ORIGIN_PAGES = ["", "guides/spoof/", "guides/links/", "guides/Mon%20guide%20caf%C3%A9/", "topics/", "topics/ops/",
                "people/", "people/ann/", "changes/", "insights/", "404.html"]
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", e => window.__violations.push(e.violatedDirective + " " + e.blockedURI));
"""


@pytest.fixture(scope="module")
def served_hostile(hostile_site: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(hostile_site.site, tmp_path_factory.mktemp("served-hostile")) as url:
        yield url


@pytest.fixture
def tab(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    opened = context.new_page()
    opened.add_init_script(WATCH)
    opened.requests = []
    opened.dialogs = []
    opened.on("request", lambda request: opened.requests.append(request.url))
    opened.on("dialog", lambda dialog: (opened.dialogs.append(dialog.message), dialog.dismiss()))
    yield opened
    context.close()


@pytest.mark.parametrize("path", ORIGIN_PAGES)
def test_in_chromium_no_page_runs_content_script_or_calls_another_host(tab: Any, served_hostile: str, path: str) -> None:
    origin = served_hostile.split("/wiki/", 1)[0]
    tab.goto(served_hostile + path, wait_until="networkidle")
    assert tab.evaluate("typeof __md_get") == "function"  # the theme's inline scripts ran, by their hashes
    links = tab.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.protocol)")
    assert links and not {"javascript:", "data:", "vbscript:"} & set(links)
    for link in tab.locator("article a[href]").all()[:8]:  # hover: link previews load their cards
        link.hover()
    tab.wait_for_load_state("networkidle")
    assert tab.evaluate("window.__x") is None and tab.dialogs == []
    assert tab.evaluate("window.__violations") == []
    assert [url for url in tab.requests if not url.startswith(origin + "/")] == []


def test_in_chromium_search_stays_on_the_site(tab: Any, served_hostile: str) -> None:
    origin = served_hostile.split("/wiki/", 1)[0]
    tab.goto(served_hostile, wait_until="networkidle")
    tab.keyboard.press("/")
    tab.keyboard.type("click")
    tab.locator(".kb-search__result").first.wait_for(state="visible", timeout=10000)
    hrefs = tab.locator(".kb-search__link").evaluate_all("links => links.map(a => a.href)")
    assert hrefs and all(href.startswith(served_hostile) for href in hrefs)
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    tab.wait_for_load_state("networkidle")
    assert tab.url.startswith(served_hostile) and tab.evaluate("window.__x") is None
    assert [url for url in tab.requests if not url.startswith(origin + "/")] == []


def test_in_chromium_the_policy_stops_script_that_got_past_the_sanitiser(
        tab: Any, hostile_site: Built, tmp_path: Path) -> None:
    """As if the sanitiser were bypassed: script written into a built page's body never runs."""
    site = tmp_path / "site"
    shutil.copytree(hostile_site.site, site)
    page = site / "guides" / "spoof" / "index.html"
    html = page.read_text(encoding="utf-8")
    injected = ('<script>window.__pwned = 1</script><img src="x" onerror="window.__pwned = 2">'
                '<a id="injected" href="javascript:window.__pwned = 3">go</a>')
    page.write_text(html.replace("Your session expired", injected + "Your session expired", 1), encoding="utf-8")
    (tmp_path / "served").mkdir()
    with serving(site, tmp_path / "served") as url:
        tab.goto(url + "guides/spoof/", wait_until="networkidle")
        tab.click("#injected")
        tab.wait_for_timeout(200)
        assert tab.evaluate("window.__pwned") is None
        assert tab.evaluate("typeof __md_get") == "function"
        violations = tab.evaluate("window.__violations")
        assert len([v for v in violations if v.startswith("script-src")]) >= 3, violations


def test_hosts_the_configuration_names_are_allowed(tmp_path: Path) -> None:
    root = tmp_path / "wiki"
    root.mkdir()
    commit_files(root, {
        "mkdocs.yml": ("site_name: Open\nsite_url: https://wiki.example.com/\ndocs_dir: docs\n"
                       "theme:\n  name: material\n  font: {text: Inter}\nextra_javascript: ['https://cdn.example.com/x.js']\n"
                       "extra:\n  analytics: {provider: google, property: G-XXXXXXXXXX}\n"
                       "plugins:\n  - kb:\n      external_images: allow\n"
                       "      content_security_policy: {media-src: ['https://video.corp.example']}\n"),
        "docs/index.md": "# Home\n\n![chart](https://images.example.com/chart.png)\n",
    }, "Content", ("Ann Lee", "ann@example.com"), "2026-06-01T12:00:00Z")
    built = mkdocs_build(root)
    assert built.returncode == 0, built.log
    home = built.html("")
    directives = dict(part.split(" ", 1) for part in re.findall(
        r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', home)[0].split("; "))
    assert "https://cdn.example.com" in directives["script-src"]
    # Material's Google Analytics, which the site asks for: its script and where it reports.
    assert "https://www.googletagmanager.com" in directives["script-src"]
    assert "https://*.google-analytics.com" in directives["connect-src"]
    assert "https://fonts.googleapis.com" in directives["style-src"] and "https://fonts.gstatic.com" in directives["font-src"]
    assert "https:" in directives["img-src"].split() and "https://video.corp.example" in directives["media-src"]
    assert "fonts.googleapis.com/css?family=Inter" in home
    assert '<img alt="chart" src="https://images.example.com/chart.png">' in home


def test_a_link_to_the_repository_asks_no_host_for_its_stars(tmp_path: Path) -> None:
    """Material fetches a GitHub or GitLab repository's stars and forks from the host's API when
    its link carries data-md-component="source"; kb's link is the same without it."""
    root = tmp_path / "wiki"
    root.mkdir()
    commit_files(root, {
        "mkdocs.yml": ("site_name: Repo\ndocs_dir: docs\nrepo_url: https://github.com/corp/wiki\nedit_uri: edit/main/docs/\n"
                       "theme: material\nplugins: [kb]\n"),
        "docs/index.md": "# Home\n",
    }, "Content", ("Ann Lee", "ann@example.com"), "2026-06-01T12:00:00Z")
    built = mkdocs_build(root)
    assert built.returncode == 0, built.log
    home = built.html("")
    assert '<a href="https://github.com/corp/wiki" title="Go to repository" class="md-source">' in home
    assert 'data-md-component="source"' not in home
    policy_text = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', home)[0]
    assert "connect-src 'self';" in policy_text and "api.github.com" not in policy_text


def test_the_policy_can_be_turned_off(tmp_path: Path) -> None:
    root = tmp_path / "wiki"
    root.mkdir()
    commit_files(root, {
        "mkdocs.yml": ("site_name: Without a policy\nsite_url: https://wiki.example.com/\ndocs_dir: docs\ntheme: material\n"
                       "plugins:\n  - kb:\n      content_security_policy: false\n"),
        "docs/index.md": "# Home\n",
    }, "Content", ("Ann Lee", "ann@example.com"), "2026-06-01T12:00:00Z")
    built = mkdocs_build(root)
    assert built.returncode == 0, built.log
    assert "Content-Security-Policy" not in built.html("")


@pytest.mark.parametrize("text", ["Key: AKIAZ7Q3XK2M<!-- -->4N8P5R6T", "Key: AKIAZ7Q3XK2M<span></span>4N8P5R6T",
                                  "Key: AKIAZ7Q3XK2M<wbr>4N8P5R6T", "x\n`ghp_A1b2C3d4E5A1b2C3d4**E5A1b2C3d4**E5A1b2C3d4E5`"])
def test_a_credential_split_by_markup_is_found_as_a_reader_sees_it(text: str) -> None:
    from kb.read.secrets import find_secrets

    found = find_secrets(text)
    assert len(found) == 1 and found[0].line == text.count("\n") + 1


def test_a_credential_in_a_file_name_keeps_the_file_off_the_site(tmp_path: Path) -> None:
    from kb.read.collect import collect_sources

    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "key-AKIAZ7Q3XK2M4N8P5R7N.txt").write_text("x\n", encoding="utf-8")
    collection = collect_sources(tmp_path, "docs")
    assert collection.assets == [] and collection.refused == {"files/key-AKIAZ7Q3XK2M4N8P5R7N.txt"}
    assert [(d.code, d.line) for d in collection.diagnostics] == [("secret.found", 1)]
    assert "AKIAZ7Q3XK2M4N8P5R7N" not in collection.diagnostics[0].message


@pytest.mark.parametrize(("key", "value"), [("summary", "Sum\u202emary"), ("name", "Ann\u3164Lee"), ("title", "Ti\u034ftle"),
                                            ("title", "Ti\x1b[31mtle"), ("summary", "Sum\x07mary")])
def test_invisible_characters_are_removed_from_every_shown_field(key: str, value: str) -> None:
    from kb.model import Kind
    from kb.read.schema import Vocabulary, validate_front_matter

    kind = Kind.PERSON if key == "name" else Kind.ARTICLE
    validated = validate_front_matter({key: value}, kind, Vocabulary())
    assert [v.code for v in validated.violations] == ["text.invisible"]
    assert validated.values[key] in ("Summary", "AnnLee", "Title", "Ti[31mtle")


def test_a_field_the_article_header_shows_loses_invisible_characters_too(monkeypatch: pytest.MonkeyPatch) -> None:
    from kb.model import Kind
    from kb.read import schema

    monkeypatch.setitem(schema.FIELDS, "audience", schema.Field(schema.text_list, frozenset({Kind.ARTICLE}), header="Audience"))
    validated = schema.validate_front_matter({"audience": ["\u202eevil", "ops"]}, Kind.ARTICLE, schema.Vocabulary())
    assert [v.code for v in validated.violations] == ["text.invisible"]
    assert validated.values["audience"] == ("evil", "ops")
