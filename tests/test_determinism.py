"""Two builds of one commit are byte-identical."""

from __future__ import annotations

import hashlib
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
