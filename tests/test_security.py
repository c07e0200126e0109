"""A contributor's file cannot run script, leak a secret or track readers: a hostile wiki, built
for real and loaded in chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kb.urls import page_url, site_path, unsafe_name

from conftest import Built, commit_files, kb_cli, mkdocs_build

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
}


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "wiki"
    root.mkdir()
    commit_files(root, dict(HOSTILE), "Hostile content", ("Ann Lee", "ann@example.com"), "2026-06-01T12:00:00Z")
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
