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


@pytest.mark.parametrize("second_alone", [False, True], ids=["as-is", "parallel-false"])
@pytest.mark.parametrize("name", ["basic", "bad", "multilingual"])
def test_two_builds_are_identical(name: str, second_alone: bool, tmp_path: Path) -> None:
    """Also when the second build has no forked processes (`parallel: false`): the pages they
    convert and write are the bytes MkDocs would write."""
    first = copy_site(name, tmp_path / "one")
    second = copy_site(name, tmp_path / "two")
    for root in (first, second):
        commit_all(root)
    if second_alone:
        # The setting changes after the commit, so that both sites have the same history.
        settings = second / "mkdocs.yml"
        text, found = re.subn(r"^  - kb:?\n", "  - kb:\n      parallel: false\n", settings.read_text(encoding="utf-8"),
                              count=1, flags=re.M)
        assert found == 1
        settings.write_text(text, encoding="utf-8")
    for root in (first, second):
        assert mkdocs_build(root, strict=False).returncode == 0
    one, two = digest_tree(first / "site"), digest_tree(second / "site")
    assert len(one) > 10
    assert one == two
