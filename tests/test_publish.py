"""`kb build` never half-publishes: a failed build leaves the last good site in place."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import SITES, commit_all


def kb_build(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "kb.commands.cli", "build", *args], cwd=root, env=env, capture_output=True, text=True)


def test_failed_build_keeps_the_last_good_site(tmp_path: Path) -> None:
    root = tmp_path / "wiki"
    shutil.copytree(SITES / "basic", root)
    commit_all(root)
    first = kb_build(root)
    assert first.returncode == 0, first.stderr
    good = (root / "site" / "guides" / "deploy" / "index.html").read_text(encoding="utf-8")
    (root / "docs" / "guides" / "deploy.md").write_text("---\ntitle: [broken\n---\nNEW CONTENT\n", encoding="utf-8")
    failed = kb_build(root)
    assert failed.returncode != 0
    assert "is unchanged" in failed.stderr
    assert (root / "site" / "guides" / "deploy" / "index.html").read_text(encoding="utf-8") == good
    assert not [p for p in root.iterdir() if p.name.startswith(".site.")]  # no staging left behind
    (root / "docs" / "guides" / "deploy.md").write_text("---\ntitle: Fixed\ntags: [ops]\n---\nNEW CONTENT\n", encoding="utf-8")
    assert kb_build(root).returncode == 0
    assert "NEW CONTENT" in (root / "site" / "guides" / "deploy" / "index.html").read_text(encoding="utf-8")
