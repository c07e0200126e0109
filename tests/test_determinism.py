"""Two builds of one commit are byte-identical."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from conftest import commit_all, copy_site, mkdocs_build


def digest_tree(site: Path) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize("name", ["basic", "bad"])
def test_two_builds_are_identical(name: str, tmp_path: Path) -> None:
    first = copy_site(name, tmp_path / "one")
    second = copy_site(name, tmp_path / "two")
    for root in (first, second):
        commit_all(root)
        assert mkdocs_build(root, strict=False).returncode == 0
    one, two = digest_tree(first / "site"), digest_tree(second / "site")
    assert len(one) > 10
    assert one == two


@pytest.mark.parametrize("name", ["basic", "bad"])
def test_the_second_process_changes_nothing(name: str, tmp_path: Path) -> None:
    """Pages converted and written by the forked process are the bytes MkDocs would write."""
    forked = copy_site(name, tmp_path / "forked")
    alone = copy_site(name, tmp_path / "alone")
    for root in (forked, alone):
        commit_all(root)
    # The setting changes after the commit, so that both sites have the same history.
    settings = alone / "mkdocs.yml"
    text, found = re.subn(r"^  - kb:?\n", "  - kb:\n      parallel: false\n", settings.read_text(encoding="utf-8"),
                          count=1, flags=re.M)
    assert found == 1
    settings.write_text(text, encoding="utf-8")
    for root in (forked, alone):
        assert mkdocs_build(root, strict=False).returncode == 0
    one, two = digest_tree(forked / "site"), digest_tree(alone / "site")
    assert len(one) > 10
    assert one == two
