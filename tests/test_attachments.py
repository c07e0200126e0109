"""Which attachments kb publishes: its own list, what a site adds, and what it may never add."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.config import KbConfig
from kb.read.attachments import ACTIVE_SUFFIXES, PUBLISHED_SUFFIXES, attachment_suffixes, refusal

from conftest import commit_all, kb_cli, mkdocs_build


def test_nothing_on_the_list_is_active_or_without_a_type_every_server_knows() -> None:
    assert not PUBLISHED_SUFFIXES & ACTIVE_SUFFIXES
    assert all(refusal(f"x{suffix}", PUBLISHED_SUFFIXES) is None for suffix in PUBLISHED_SUFFIXES)


def test_a_site_adds_suffixes_in_any_spelling() -> None:
    assert attachment_suffixes([".drawio", "STEP", " .Tar.Gz "]) == PUBLISHED_SUFFIXES | {".drawio", ".step", ".tar.gz"}
    assert attachment_suffixes([]) == attachment_suffixes(None) == PUBLISHED_SUFFIXES
    assert attachment_suffixes([".png"]) == PUBLISHED_SUFFIXES


@pytest.mark.parametrize("suffix", [".html", ".HTM", "xht", ".xhtml", ".shtml", ".js", ".mjs", ".xml", ".xsl", ".xslt",
                                    ".svgz", ".swf", ".php", ".xml.gz", ".html.txt", ".mht", ".rdf"])
def test_a_site_cannot_add_a_type_a_browser_runs(suffix: str) -> None:
    with pytest.raises(ValueError, match="kb never publishes them"):
        attachment_suffixes([suffix])


@pytest.mark.parametrize("suffix", ["", ".", "a/b", ".a b", "..", "*.png"])
def test_a_suffix_must_be_one(suffix: str) -> None:
    with pytest.raises(ValueError, match="is not a file suffix"):
        attachment_suffixes([suffix])


def test_the_option_is_a_list() -> None:
    with pytest.raises(ValueError, match="attachments: expected a list of suffixes"):
        KbConfig.from_options({"attachments": ".drawio"})
    assert ".drawio" in KbConfig.from_options({"attachments": [".drawio"]}).attachments


SITE = "site_name: X\ndocs_dir: docs\ntheme: material\nplugins:\n  - kb:\n      attachments: {value}\n"


def _wiki(root: Path, value: str) -> Path:
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(SITE.format(value=value), encoding="utf-8")
    (root / "docs" / "index.md").write_text("See [the flow](flow.drawio) and [the tool](setup.exe).\n", encoding="utf-8")
    (root / "docs" / "flow.drawio").write_text("<mxfile/>\n", encoding="utf-8")
    (root / "docs" / "setup.exe").write_bytes(b"MZ")
    commit_all(root)
    return root


def test_kb_check_and_the_build_refuse_an_active_suffix_alike(tmp_path: Path) -> None:
    root = _wiki(tmp_path, '[".drawio", ".xht"]')
    message = ("attachments: '.xht': a browser can run .xht files as a page of the wiki, with its readers' cookies, so kb "
               "never publishes them; link to such a file where it is kept instead")
    checked = kb_cli(root, "check")
    assert checked.returncode != 0 and f"plugin 'kb': {message}" in checked.stderr
    built = mkdocs_build(root)
    assert built.returncode != 0 and f"kb: {message}" in built.log


def test_kb_check_and_the_build_publish_an_added_suffix_alike(tmp_path: Path) -> None:
    root = _wiki(tmp_path, '[".drawio"]')
    checked = kb_cli(root, "check")
    expected = [
        "docs/index.md:1:33: warning: link 'setup.exe' points to setup.exe, which is not published: .exe files are not "
        "on the list of attachments kb publishes (pictures, PDF and office documents, text and data, audio and video) "
        "[link.withheld]",
        "docs/setup.exe:1:1: error: .exe files are not on the list of attachments kb publishes (pictures, PDF and office "
        "documents, text and data, audio and video), so this file is not published; if browsers only show or download "
        "such files, a site can add the suffix to the kb plugin's `attachments` option in mkdocs.yml [file.type]",
    ]
    assert checked.stdout.splitlines() == expected
    built = mkdocs_build(root, strict=False)
    assert built.returncode == 0, built.log
    assert all(line in built.log for line in expected)
    assert (built.site / "flow.drawio").is_file() and not (built.site / "setup.exe").exists()
