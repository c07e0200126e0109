"""Attachments in a real `mkdocs build --strict`: SVG published as kb sanitises it and embedded,
every type kb does not publish absent from site/ and reported at its file, and links to them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kb.read.svg import sanitize_svg

from conftest import Built, commit_all, copy_site, kb_cli, mkdocs_build

#: Added to the clean site by the hostile build; made here so that no editor "fixes" them.
HOSTILE = {
    "hostile.md": b"# Hostile\n\n![[hostile.svg]]\n\nGet [the installer](tools/setup.exe), the [old page](legacy/page.xht) "
                  b"and [the key](id_rsa).\n\n![[broken.svg]] ![[setup.exe]]\n",
    "hostile.svg": b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="alert(1)">\n'
                   b"  <script><![CDATA[alert(document.cookie)]]></script>\n"
                   b'  <foreignObject width="9" height="9"><body xmlns="http://www.w3.org/1999/xhtml">'
                   b'<img src="x" onerror="alert(2)"/></body></foreignObject>\n'
                   b'  <a xlink:href="javascript:alert(3)"><rect width="10" height="10" onclick="alert(4)"/></a>\n'
                   b'  <image href="https://evil.example/track.png" width="1" height="1"/>\n'
                   b'  <circle cx="5" cy="5" r="4" fill="#c62828"/>\n</svg>\n',
    "broken.svg": b'<svg xmlns="http://www.w3.org/2000/svg">\n  <g>\n</svg>\n',
    "tools/setup.exe": b"MZ\x90\x00\x03\x00",
    "legacy/page.xht": b'<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(document.cookie)</script></html>\n',
    "id_rsa": b"not really a key\n",
}
LIST = "pictures, PDF and office documents, text and data, audio and video"
EXPECTED = [
    "docs/broken.svg:3:3: error: the SVG cannot be read as XML: mismatched tag; the file is not published [svg.invalid]",
    "docs/hostile.md:5:5: warning: link 'tools/setup.exe' points to tools/setup.exe, which is not published: .exe files "
    f"are not on the list of attachments kb publishes ({LIST}) [link.withheld]",
    "docs/hostile.md:5:43: warning: link 'legacy/page.xht' points to legacy/page.xht, which is not published: a browser "
    "would run .xht files as a page of the wiki, with its readers' cookies [link.withheld]",
    "docs/hostile.md:5:75: warning: link 'id_rsa' points to id_rsa, which is not published: a file without a suffix "
    "could be anything, and kb publishes only the types it knows [link.withheld]",
    "docs/hostile.md:7:1: warning: ![[broken.svg]] points to broken.svg, which is not published: kb cannot read it as "
    "SVG [link.withheld]",
    "docs/hostile.md:7:17: warning: ![[setup.exe]] points to tools/setup.exe, which is not published: .exe files are "
    f"not on the list of attachments kb publishes ({LIST}) [link.withheld]",
    "docs/hostile.svg:1:1: warning: kb left out what could run script or load from elsewhere: onload attribute (line 1), "
    "<script> (line 2), <foreignObject> (line 3), xlink:href='javascript:alert(3)' on <a> (line 4) and 2 more; the "
    "rest of the picture is published [svg.unsafe]",
    "docs/id_rsa:1:1: error: a file without a suffix could be anything, and kb publishes only the types it knows, so "
    f"this file is not published; give the file the suffix of its type ({LIST}) [file.type]",
    "docs/legacy/page.xht:1:1: error: a browser would run .xht files as a page of the wiki, with its readers' cookies, "
    "so this file is not published; write the page in Markdown, or attach a picture as PNG or SVG [file.active]",
    "docs/tools/setup.exe:1:1: error: .exe files are not on the list of attachments kb publishes "
    f"({LIST}), so this file is not published; if browsers only show or download such files, a site can add the "
    "suffix to the kb plugin's `attachments` option in mkdocs.yml [file.type]",
]
#: What must not be in any SVG kb publishes.
ACTIVE = re.compile(r"<script|<foreignObject|\bon\w+=|javascript:|evil\.example|<!DOCTYPE|inkscape|sodipodi", re.IGNORECASE)


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = copy_site("attachments", tmp_path_factory.mktemp("clean"))
    commit_all(root)
    built = mkdocs_build(root)
    assert built.returncode == 0, built.log
    return built


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_site("attachments", tmp_path_factory.mktemp("hostile"))
    for path, data in HOSTILE.items():
        (root / "docs" / path).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / path).write_bytes(data)
    commit_all(root)
    return root


@pytest.fixture(scope="module")
def hostile(hostile_root: Path) -> Built:
    return mkdocs_build(hostile_root)


def test_a_clean_svg_is_published_as_kb_sanitises_it(clean: Built) -> None:
    docs = clean.root / "docs"
    for path in ("icon.svg", "diagrams/flow.svg", "img/logo.svg"):
        published = (clean.site / path).read_bytes()
        assert published == sanitize_svg((docs / path).read_bytes()).data
        assert ACTIVE.search(published.decode()) is None, path
    flow = (clean.site / "diagrams/flow.svg").read_text(encoding="utf-8")
    assert '<use xlink:href="#build" x="120"/>' in flow and 'marker-end="url(#arrow)"' in flow and "<style>" in flow
    assert (clean.site / "files/figures.csv").read_bytes() == (docs / "files/figures.csv").read_bytes()


def test_editor_data_left_out_is_a_note_that_does_not_fail_a_strict_build(clean: Built) -> None:
    [note] = [line for line in clean.log.splitlines() if "[svg.cleaned]" in line]
    assert "docs/diagrams/flow.svg:4:1: info: kb left out what is not on its list of SVG elements and attributes: " in note


def test_embeds_of_svg_render_as_pictures(clean: Built) -> None:
    html = clean.html("")
    assert '<img alt="icon.svg" src="icon.svg">' in html
    assert '<img alt="diagrams/flow.svg" src="diagrams/flow.svg" width="100">' in html
    assert '<img alt="The team\'s logo" src="img/logo.svg">' in html


def test_a_strict_build_fails_naming_every_file_it_refuses_and_every_link_to_one(hostile: Built) -> None:
    assert hostile.returncode != 0 and "Aborted with" in hostile.log and "Traceback" not in hostile.log
    for line in EXPECTED:
        assert line in hostile.log, line


def test_kb_check_reports_the_same(hostile_root: Path) -> None:
    done = kb_cli(hostile_root, "check")
    assert done.stdout.splitlines() == EXPECTED
    assert done.returncode == 1


def test_refused_files_are_absent_from_the_site(hostile: Built) -> None:
    for path in ("tools/setup.exe", "legacy/page.xht", "id_rsa", "broken.svg"):
        assert not (hostile.site / path).exists(), path
    assert not (hostile.site / "tools").exists() and not (hostile.site / "legacy").exists()
    texts = hostile.all_text()
    assert [path for path, text in texts.items() if "document.cookie" in text or "not really a key" in text] == []


def test_a_hostile_svg_is_published_inert_and_embedded(hostile: Built) -> None:
    published = (hostile.site / "hostile.svg").read_text(encoding="utf-8")
    assert ACTIVE.search(published) is None and "alert" not in published
    assert published == ('<svg xmlns="http://www.w3.org/2000/svg">\n  \n  \n'
                         '  <a><rect width="10" height="10"/></a>\n  \n'
                         '  <circle cx="5" cy="5" r="4" fill="#c62828"/>\n</svg>\n')
    html = hostile.html("hostile/")
    assert '<img alt="hostile.svg" src="../hostile.svg">' in html
    assert '<span class="kb-wanted" title="\'setup.exe\' is not published">setup.exe</span>' in html
