"""A wiki full of broken pages: every problem is reported once, with its place, and nothing that
is withheld leaks into any output file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import Built, commit_all, copy_site, kb_cli, mkdocs_build

EXPECTED = (Path(__file__).parent / "sites" / "bad" / "expected.txt").read_text(encoding="utf-8")
WITHHELD = ["drafts/plan", "broken-yaml", "list-header", "duplicate-keys", "unclosed", "bad-status", "legacy", "outside-link"]


@pytest.fixture(scope="module")
def bad_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_site("bad", tmp_path_factory.mktemp("bad"))
    # Made here rather than stored: an editor or a checkout could "fix" them.
    (root / "docs" / "legacy.md").write_bytes(b"---\ntitle: LEAK-LATIN-TITLE\n---\ncaf\xe9 LEAK-LATIN-BODY\n")
    (root / "outside.md").write_text("LEAK-SYMLINK-BODY\n", encoding="utf-8")
    os.symlink(root / "outside.md", root / "docs" / "outside-link.md")
    commit_all(root)
    return root


@pytest.fixture(scope="module")
def bad_site(bad_root: Path) -> Built:
    built = mkdocs_build(bad_root, strict=False)
    assert built.returncode == 0, built.log
    return built


def test_kb_check_reports_exactly_the_expected_problems(bad_root: Path) -> None:
    done = kb_cli(bad_root, "check")
    assert done.stdout == EXPECTED
    assert done.returncode == 1
    assert "errors" in done.stderr


def test_the_build_logs_the_same_problems(bad_site: Built) -> None:
    for line in EXPECTED.splitlines():
        severity = "ERROR" if ": error: " in line else "WARNING"
        assert f"{severity}   -  {line}" in bad_site.log or f"{severity} -  {line}" in bad_site.log, line


def test_strict_build_fails(bad_root: Path, tmp_path: Path) -> None:
    built = mkdocs_build(bad_root, strict=True)
    assert built.returncode != 0
    assert "strict mode" in built.log


def test_nothing_withheld_leaks_into_any_output(bad_site: Built) -> None:
    texts = bad_site.all_text()
    assert "search/search_index.json" in texts and "sitemap.xml" in texts
    for path, text in texts.items():
        assert "LEAK-" not in text, path
        assert "leak-draft-topic" not in text, path
    for page in WITHHELD:
        assert not (bad_site.site / page).exists(), page


def test_published_pages_with_bad_values_still_build(bad_site: Built) -> None:
    assert "This page is published, with its bad values left out." in bad_site.html("types/")
    assert "Nobody vetted this." in bad_site.html("unreviewed/")


def test_each_broken_link_is_reported_once_with_its_place(bad_site: Built) -> None:
    assert "docs/links.md:4:41: warning: link 'missing.md' points to nothing" in bad_site.log
    warnings = [line for line in bad_site.log.splitlines() if line.startswith("WARNING")]
    assert not [line for line in warnings if "contains a link 'missing.md'" in line]
