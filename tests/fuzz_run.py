"""Running kb and a real MkDocs build on a fuzzed wiki, each in a forked process (fuzz_fork).

A fork of this process starts with kb, MkDocs and Material already imported, so a build costs a
third of a second instead of the two seconds a new interpreter takes, and still starts from a
clean copy of this process: nothing one build leaves behind reaches the next, and a build that
hangs is killed with the processes it forked.
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import os
import tempfile
import traceback
from pathlib import Path
from typing import Any

from fuzz_content import Wiki
from fuzz_fork import Ran, forked

from conftest import git

#: Generous: a build of a few pages takes well under a second, so only a hang gets near it. Not
#: more: a campaign shrinks a hang by running it again and again until it stops hanging.
TIMEOUT_SECONDS = float(os.environ.get("KB_FUZZ_TIMEOUT", "20"))
#: Separates log records in the build log: a record's message may itself span lines.
RECORD = "\x1e"
#: What every example runs; the site examples run the others too, where the build's time hides them.
KB_CHECKS: dict[str, list[str]] = {
    "kb check --format json": ["check", "--format", "json"],
}
KB_OTHERS: dict[str, list[str]] = {
    "kb check --verbose": ["check", "--verbose"],
    "kb check --format github": ["check", "--format", "github"],
    "kb check --wanted": ["check", "--wanted"],
    "kb report --format json": ["report", "--format", "json"],
}


def write_wiki(wiki: Wiki, root: Path, commit: bool = True) -> None:
    """The wiki's files in `root`, committed to a new git repository (`kb check` alone reads no
    history: the fast examples skip it)."""
    (root / "docs").mkdir(parents=True, exist_ok=True)  # a wiki may have no page at all
    for path, data in wiki.files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    if not commit:
        return
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Fuzzed wiki")


def run_all(root: Path, *, build: bool = True, timeout: float = TIMEOUT_SECONDS) -> list[Ran]:
    """kb check on the wiki at `root`; with `build`, the other kb commands and mkdocs build too."""
    warm_up()
    progress = root / "progress.txt"
    commands = KB_CHECKS | KB_OTHERS if build else KB_CHECKS
    batch = forked("kb", functools.partial(_kb_commands, root, commands, progress), timeout)
    results = [Ran(command, **fields) for command, fields in (batch.value or {}).items()]
    if batch.value is None:
        # The batch died or hung: blame the command it had started last.
        started = progress.read_text(encoding="utf-8").splitlines() if progress.exists() else []
        batch.command = started[-1] if started else "kb"
        results.append(batch)
    if build:
        built = forked("mkdocs build", functools.partial(_mkdocs_build, root), timeout)
        built.records = build_records(root)
        results.append(built)
    return results


def _kb_commands(root: Path, commands: dict[str, list[str]], progress: Path) -> dict[str, dict[str, Any]]:
    """Each kb command in turn, in one process (a process each would double the time of a small
    example), with its own output and its own traceback if it raises."""
    import kb.commands.cli

    # Keep the knowledge base the command built, for the paths it holds back. Only this forked
    # copy of the process sees the change.
    built: list[Any] = []
    build_knowledge_base = kb.commands.cli.build_knowledge_base
    kb.commands.cli.build_knowledge_base = lambda *args, **kwargs: built.append(build_knowledge_base(*args, **kwargs)) or built[-1]
    os.chdir(root)
    results: dict[str, dict[str, Any]] = {}
    for command, argv in commands.items():
        with open(progress, "a", encoding="utf-8") as note:
            note.write(command + "\n")
        out, err = io.StringIO(), io.StringIO()
        fields: dict[str, Any] = {}
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                fields["returncode"] = kb.commands.cli.main(argv)
            except SystemExit as stop:  # argparse, or a message kb gives up with
                fields["returncode"] = stop.code if isinstance(stop.code, int) else 2
            except Exception:  # noqa: BLE001 - whatever escapes is what the fuzzer looks for
                fields["raised"] = traceback.format_exc()
            if argv[:3] == ["check", "--format", "json"] and built:
                fields["withheld"] = sorted(built[-1].withheld)
        results[command] = fields | {"stdout": out.getvalue(), "stderr": err.getvalue()}
    return results


def _mkdocs_build(root: Path) -> dict[str, Any]:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.chdir(root)
    # A file, not memory: the processes kb forks during the build log to it too.
    handler = logging.FileHandler(root / "build.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter(RECORD + "%(levelname)s %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    build(load_config(str(root / "mkdocs.yml")))
    return {}


def build_records(root: Path) -> list[tuple[str, str]]:
    log = root / "build.log"
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    records = []
    for chunk in text.split(RECORD)[1:]:
        level, _, message = chunk.rstrip("\n").partition(" ")
        records.append((level, message))
    return records


_warm = False


def warm_up() -> None:
    """Import everything a build needs before forking, and let every build share compiled
    templates: each build makes a new template environment, and compiling Material's templates
    again is most of a small build's time. The templates and their output are the same."""
    global _warm
    if _warm:
        return
    _warm = True
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    import jinja2
    import mkdocs.commands.build  # noqa: F401
    import mkdocs.theme
    from mkdocs.config import load_config

    import kb.commands.cli  # noqa: F401
    import mkdocs_kb.plugin  # noqa: F401

    cache = jinja2.FileSystemBytecodeCache()
    original = mkdocs.theme.Theme.get_env

    def get_env(theme: mkdocs.theme.Theme) -> jinja2.Environment:
        env = original(theme)
        env.bytecode_cache = cache
        return env

    mkdocs.theme.Theme.get_env = get_env  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "docs").mkdir()
        (Path(folder) / "mkdocs.yml").write_text("site_name: Warm\ntheme: material\nplugins: [kb]\n", encoding="utf-8")
        load_config(str(Path(folder) / "mkdocs.yml")).theme.get_env()


def result_of(results: list[Ran], command: str) -> Ran | None:
    return next((ran for ran in results if ran.command == command), None)
