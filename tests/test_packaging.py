"""kb serves any repository of Markdown: the installed package carries its theme, and a minimal
mkdocs.yml builds a complete site."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import REPOSITORY, commit_all, mkdocs_build

MINIMAL = "site_name: Any wiki\ndocs_dir: notes\ntheme: material\nplugins: [kb]\n"


def test_wheel_ships_the_theme_and_registers_the_plugin(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(tmp_path), str(REPOSITORY)],
        check=True, capture_output=True,
    )
    [wheel] = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(archive.read(n).decode() for n in names if n.endswith("entry_points.txt"))
    theme = {p.relative_to(REPOSITORY / "theme").as_posix() for p in (REPOSITORY / "theme").rglob("*") if p.is_file()}
    assert theme and {f"mkdocs_kb/theme/{name}" for name in theme} <= names
    assert {"kb/analyse/knowledge.py", "mkdocs_kb/plugin.py", "mkdocs_kb/theme_dir.py"} <= names
    assert "kb = mkdocs_kb.plugin:KbPlugin" in entry_points
    assert "kb = kb.commands.cli:main" in entry_points


def test_a_minimal_config_builds_a_complete_site(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(MINIMAL, encoding="utf-8")
    notes = tmp_path / "notes"
    (notes / "team").mkdir(parents=True)
    (notes / "team" / "standup.md").write_text("# Stand-up\n\nWe meet at ten.\n", encoding="utf-8")
    (notes / "retro.md").write_text("---\ntags: [rituals]\n---\n# Retros\n\nEvery other Friday.\n", encoding="utf-8")
    commit_all(tmp_path)
    built = mkdocs_build(tmp_path)
    assert built.returncode == 0, built.log
    for url in ("", "topics/", "people/", "topics/rituals/", "team/standup/", "retro/"):
        assert (built.site / url / "index.html").is_file(), url
    assert "kb-header" in built.html("retro/")
    assert (built.site / "assets" / "kb" / "kb.css").is_file()
