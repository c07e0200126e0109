"""The core never imports MkDocs: only the adapter in plugins/ may."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).parent.parent / "kb"


def imported_modules(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_core_modules_exist() -> None:
    assert len(list(CORE.glob("*.py"))) >= 10


def test_core_never_imports_mkdocs() -> None:
    offenders = {
        path.name: sorted(m for m in imported_modules(path.read_text(encoding="utf-8")) if m.split(".")[0] in {"mkdocs", "mkdocs_kb", "material"})
        for path in sorted(CORE.rglob("*.py"))
    }
    assert {name: mods for name, mods in offenders.items() if mods} == {}


def test_the_detector_sees_both_import_forms() -> None:
    assert imported_modules("import mkdocs.config\nfrom mkdocs.plugins import BasePlugin\n") == {"mkdocs.config", "mkdocs.plugins"}
