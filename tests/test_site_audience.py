"""A real strict build of a wiki whose site_url is on public GitHub Pages fails until the wiki
says it is public; `kb build` then leaves the published site as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import commit_all, kb_cli, mkdocs_build

CONFIG = "site_name: Wiki\n# Where the site is published:\nsite_url: {url}\ntheme: material\nplugins:\n  - kb:\n{options}"
WARNING = "mkdocs.yml:3:1: warning: site_url is on GitHub Pages (acme.github.io), "


@pytest.fixture
def wiki(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n\nWhat we know.\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(CONFIG.format(url="https://acme.github.io/wiki/", options="      search: false\n"),
                                         encoding="utf-8")
    commit_all(tmp_path)
    return tmp_path


def test_a_public_site_url_fails_the_strict_build(wiki: Path) -> None:
    done = kb_cli(wiki, "build")
    assert done.returncode != 0 and WARNING in done.stderr
    assert not (wiki / "site").exists()
    built = mkdocs_build(wiki)
    assert built.returncode != 0
    assert "WARNING -  " + WARNING in built.log and "[site.public]" in built.log
    assert "strict mode" in built.log


@pytest.mark.parametrize(("url", "options"), [
    ("https://acme.github.io/wiki/", "      audience: public\n"),
    ("https://wiki.corp.example/", ""),
    ("https://fluffy-eel-5z8qj.pages.github.io/", "      audience: private-pages\n"),
])
def test_no_warning_when_the_wiki_says_it_is_public_or_is_not_on_a_public_host(wiki: Path, url: str, options: str) -> None:
    (wiki / "mkdocs.yml").write_text(CONFIG.format(url=url, options=options + "      search: false\n"), encoding="utf-8")
    done = kb_cli(wiki, "build")
    assert done.returncode == 0, done.stderr
    assert "site.public" not in done.stderr
    assert (wiki / "site" / "index.html").is_file()
