"""Files git ignores are never published; files it does not track are, with a note. On real git
repositories in temporary directories, the content directory a subfolder of each."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import git as gitpython
import pytest

from kb.analyse.knowledge import build_knowledge_base
from kb.read.collect import collect_sources
from kb.read.worktree import PendingWorkTree, WorkTree, parse_status, read_worktree

from conftest import commit_files, git, kb_cli, mkdocs_build

ANN = ("Ann Lee", "ann@corp.example")
NFD_CAFE = "cafe\u0301"


def write(root: Path, files: dict[str, str]) -> None:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose wiki is in `my wiki/` (a subfolder with a space), with ignore rules
    at the top and in the content, a committed page, and files git ignores or does not track."""
    root = tmp_path / "repo"
    root.mkdir()
    commit_files(root, {
        ".gitignore": "*.local.md\n",
        "README.md": "outside the content\n",
        "my wiki/.gitignore": "private/\nexport.csv\nnotes ü.md\n",
        "my wiki/page.md": "# Page\n\nSee [[notes ü]] and [[plan]] and [[mine.local]].\n",
        "my wiki/img/chart.png": "png",
    }, "Start the wiki", ANN, "2026-01-10T09:00:00Z")
    write(root / "my wiki", {
        # Ignored, and each would be reported if kb read it: broken YAML, a credential, a bad link.
        "notes ü.md": "---\ntitle: [unclosed\n---\nNOTES-TEXT\n",
        "export.csv": "name,key\nci,AKIAIOSFODNN7EXAMPLE\n",
        "private/plan.md": "# Plan\n\nPLAN-TEXT [[Nowhere]]\n",
        "private/deep/er.png": "png",
        "mine.local.md": "# Mine\n\nMINE-TEXT\n",
        # Not ignored, not committed: pages being written.
        f"{NFD_CAFE} plan.md": "# Café plan\n\nUNTRACKED-TEXT\n",
        "new folder/draft one.md": "# Draft one\n",
    })
    return root


def test_git_reports_ignored_files_and_folders_and_untracked_files(repo: Path) -> None:
    worktree = read_worktree(repo / "my wiki")
    assert worktree == WorkTree(
        ignored=frozenset({"notes ü.md", "export.csv", "private", "mine.local.md"}),
        untracked=frozenset({"café plan.md", "new folder/draft one.md"}),
    )
    assert worktree.is_ignored("private/deep/er.png") and not worktree.is_ignored("page.md")
    assert worktree.is_untracked(f"{NFD_CAFE} plan.md")  # the name as the disk gives it back
    assert PendingWorkTree(repo / "my wiki").result() == worktree
    assert PendingWorkTree(repo.parent).result() is None  # no repository


def test_ignored_files_are_refused_unread_and_untracked_ones_noted(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    kb = build_knowledge_base(repo / "my wiki", display_root="my wiki")
    assert sorted(kb.articles) == [f"{NFD_CAFE} plan.md", "new folder/draft one.md", "page.md"]
    assert kb.assets == {"img/chart.png"}
    assert {"notes ü.md", "export.csv", "private", "mine.local.md"} <= kb.withheld
    outside = [d.format() for d in kb.diagnostics if not d.path.startswith("my wiki/page.md")]
    assert outside == [
        f"my wiki/{NFD_CAFE} plan.md:1:1: info: git does not track this file: this build publishes it, but a build of "
        "the repository (CI) will not have it until it is committed (git add); list it in .gitignore if it is yours "
        "alone [file.untracked]",
        "my wiki/export.csv:1:1: warning: git ignores this file, so it is not published; to publish it, remove it "
        "from .gitignore and commit it [file.ignored]",
        "my wiki/mine.local.md:1:1: warning: git ignores this file, so it is not published; to publish it, remove it "
        "from .gitignore and commit it [file.ignored]",
        "my wiki/new folder/draft one.md:1:1: info: git does not track this file: this build publishes it, but a "
        "build of the repository (CI) will not have it until it is committed (git add); list it in .gitignore if it "
        "is yours alone [file.untracked]",
        "my wiki/notes ü.md:1:1: warning: git ignores this file, so it is not published; to publish it, remove it "
        "from .gitignore and commit it [file.ignored]",
        "my wiki/private:1:1: warning: git ignores this folder, so nothing in it is published; to publish it, remove "
        "it from .gitignore and commit it [file.ignored]",
    ]
    # An ignored page is no link target: the links to it are wanted pages.
    assert sorted(kb.links.wanted) == ["mine.local", "notes ü", "plan"]


@pytest.mark.parametrize(("ci", "severity"), [(None, "info"), ("", "info"), ("1", "warning"), ("true", "warning")])
def test_an_untracked_file_is_a_warning_in_ci(repo: Path, monkeypatch: pytest.MonkeyPatch, ci: str | None,
                                              severity: str) -> None:
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    collection = collect_sources(repo / "my wiki", "", worktree=read_worktree(repo / "my wiki"))
    assert sorted((d.path, d.severity.value) for d in collection.diagnostics if d.code == "file.untracked") == [
        (f"{NFD_CAFE} plan.md", severity), ("new folder/draft one.md", severity)]


def test_committing_a_page_ends_the_note(repo: Path) -> None:
    git(repo, "add", "my wiki")
    git(repo, "commit", "-q", "-m", "Publish the drafts")
    collection = collect_sources(repo / "my wiki", "", worktree=read_worktree(repo / "my wiki"), in_ci=True)
    assert [d.code for d in collection.diagnostics] == ["file.ignored"] * 4


def test_a_committed_file_in_an_ignored_folder_is_published(tmp_path: Path) -> None:
    """Committed in spite of the rule (git add -f): the repository holds it, so CI builds it."""
    commit_files(tmp_path, {".gitignore": "private/\n"}, "Start", ANN, "2026-01-10T09:00:00Z")
    write(tmp_path, {"private/kept.md": "# Kept\n", "private/mine.md": "# Mine\n"})
    git(tmp_path, "add", "-f", "private/kept.md")
    git(tmp_path, "commit", "-q", "-m", "Keep one")
    collection = collect_sources(tmp_path, "", worktree=read_worktree(tmp_path))
    assert [source.path for source in collection.sources] == ["private/kept.md"]
    assert collection.refused == {"private/mine.md"}


def test_the_content_directory_at_the_top_of_the_repository(tmp_path: Path) -> None:
    commit_files(tmp_path, {".gitignore": "secret.md\n", "a.md": "# A\n"}, "Start", ANN, "2026-01-10T09:00:00Z")
    write(tmp_path, {"secret.md": "# Secret\n", "b.md": "# B\n"})
    assert read_worktree(tmp_path) == WorkTree(ignored=frozenset({"secret.md"}), untracked=frozenset({"b.md"}))


def test_a_content_directory_git_ignores_as_a_whole_is_published_with_a_warning(tmp_path: Path) -> None:
    """The repository does not hold the wiki (a mistaken rule, or a build step that makes it):
    git names nothing inside, so kb publishes what is there, and says why a build of the
    repository would not."""
    commit_files(tmp_path, {".gitignore": "generated/\n", "README.md": "x\n"}, "Start", ANN, "2026-01-10T09:00:00Z")
    write(tmp_path / "generated", {"a.md": "# A\n"})
    assert read_worktree(tmp_path / "generated") == WorkTree(content_ignored=True)
    kb = build_knowledge_base(tmp_path / "generated", display_root="generated")
    assert list(kb.articles) == ["a.md"]
    assert [d.format() for d in kb.diagnostics] == [
        "generated:1:1: warning: git ignores the content directory itself, so the repository does not hold the wiki "
        "and a build of it (CI) publishes none of these files; kb publishes them here, reading no ignore rule inside "
        "it. Remove the rule from .gitignore and commit the pages [file.content-ignored]"]


def test_kb_check_and_the_build_both_say_git_ignores_the_content_directory(tmp_path: Path) -> None:
    write(tmp_path, {"mkdocs.yml": "site_name: T\nsite_url: https://w.example.com/\ndocs_dir: docs\ntheme: material\n"
                                   "plugins: [kb]\n", ".gitignore": "docs/\n", "docs/index.md": "# Home\n",
                     "docs/page.md": "# Page\n\nLocal text.\n"})
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "Start")
    warning = "docs:1:1: warning: git ignores the content directory itself"
    checked = kb_cli(tmp_path, "check")
    assert checked.returncode == 0 and checked.stdout.startswith(warning)
    built = mkdocs_build(tmp_path, strict=False)
    assert built.returncode == 0 and f"WARNING -  {warning}" in built.log
    assert "Local text." in built.html("page/")


def test_a_repository_without_commits_has_everything_untracked(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    write(tmp_path, {"a.md": "# A\n", ".gitignore": "b.md\n", "b.md": "# B\n"})
    assert read_worktree(tmp_path) == WorkTree(ignored=frozenset({"b.md"}), untracked=frozenset({".gitignore", "a.md"}))


def test_outside_git_nothing_changes(tmp_path: Path) -> None:
    write(tmp_path, {"a.md": "# A\n"})
    assert read_worktree(tmp_path) is None
    assert build_knowledge_base(tmp_path).diagnostics == []


def test_without_git_the_ignore_files_are_read_directly(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gitpython.Git, "GIT_PYTHON_GIT_EXECUTABLE", str(repo / "no-such-git"))
    tree = read_worktree(repo / "my wiki")
    assert tree is not None and tree.problem == "git is not installed"
    assert tree.is_ignored("private/plan.md") and not tree.is_ignored("page.md")


def test_one_git_process_answers_for_the_whole_tree(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[list[str]] = []
    real_popen = subprocess.Popen

    def popen(command: list[str], *args: object, **kwargs: object) -> subprocess.Popen[bytes]:
        started.append(list(command))
        return real_popen(command, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(subprocess, "Popen", popen)
    monkeypatch.setattr("git.cmd.safer_popen", popen)
    assert read_worktree(repo / "my wiki") is not None
    assert [command[1:3] for command in started] == [["--no-optional-locks", "status"]]


@pytest.mark.parametrize(
    ("output", "prefix", "expected"),
    [
        (b"?? docs/a.md\x00!! docs/b.md\x00", "docs/", WorkTree(frozenset({"b.md"}), frozenset({"a.md"}))),
        (b"!! docs/private/\x00?? docs/new/x y.md\x00", "docs/", WorkTree(frozenset({"private"}), frozenset({"new/x y.md"}))),
        # A rename in the index carries the old path after the new one; tracked changes are no concern.
        (b"R  docs/new.md\x00docs/old.md\x00 M docs/c.md\x00?? docs/d.md\x00", "docs/",
         WorkTree(frozenset(), frozenset({"d.md"}))),
        ("?? cafe\u0301.md\x00".encode(), "", WorkTree(frozenset(), frozenset({"café.md"}))),
        (b"?? caf\xe9.md\x00", "", WorkTree(frozenset(), frozenset({"caf\udce9.md"}))),  # not UTF-8: as os.walk names it
        (b"!! docs/\x00", "docs/", WorkTree(content_ignored=True)),
        (b"", "", WorkTree()),
    ],
)
def test_parse_status(output: bytes, prefix: str, expected: WorkTree) -> None:
    assert parse_status(output, prefix) == expected


def test_a_site_publishes_untracked_pages_and_nothing_git_ignores(tmp_path: Path) -> None:
    root = tmp_path / "site"
    root.mkdir()
    commit_files(root, {
        "mkdocs.yml": "site_name: Ignored\ndocs_dir: docs\ntheme: material\nplugins: [kb]\n",
        ".gitignore": "site/\ndocs/private/\ndocs/*.mine.md\n",
        "docs/index.md": "# Home\n\nSee [[journal.mine]].\n",
    }, "Start", ANN, "2026-01-10T09:00:00Z")
    write(root / "docs", {
        "journal.mine.md": "---\ntags: [IGNORED-TOPIC]\n---\n# IGNORED-TITLE\n\nIGNORED-TEXT\n",
        "private/salaries.md": "# Salaries\n\nPRIVATE-TEXT\n",
        "private/chart.png": "PRIVATE-ATTACHMENT",
        "fresh.md": "---\ntags: [ops]\n---\n# Fresh page\n\nJust written.\n",
    })
    built = mkdocs_build(root, strict=False)
    assert built.returncode == 0, built.log
    texts = built.all_text()
    assert [path for path, text in texts.items() if "IGNORED" in text or "PRIVATE" in text] == []
    assert not (built.site / "private").exists() and not (built.site / "journal.mine").exists()
    assert "Just written." in built.html("fresh/")
    assert "docs/fresh.md:1:1: info: git does not track this file" in built.log
    assert "WARNING -  docs/private:1:1: warning: git ignores this folder" in built.log
    strict = mkdocs_build(root, strict=True, CI="1")
    assert strict.returncode != 0 and "docs/fresh.md:1:1: warning: git does not track this file" in strict.log


def test_when_git_cannot_read_the_repository_kb_reads_the_ignore_files_itself(repo: Path) -> None:
    """A broken index here; "dubious ownership" in a CI container, or no git at all, alike:
    kb must not fall back to publishing what git would have ignored."""
    (repo / ".git" / "index").write_bytes(b"garbage")
    tree = read_worktree(repo / "my wiki")
    assert tree is not None and "index file" in tree.problem
    for ignored in ("notes ü.md", "export.csv", "private/plan.md", "private/deep/er.png", "mine.local.md"):
        assert tree.is_ignored(ignored), ignored
    for kept in ("page.md", "img/chart.png", f"{NFD_CAFE} plan.md"):
        assert not tree.is_ignored(kept), kept
    collection = collect_sources(repo / "my wiki", "my wiki", worktree=tree)
    assert sorted(s.path for s in collection.sources) == sorted(["page.md", f"{NFD_CAFE} plan.md", "new folder/draft one.md"])
    [problem] = [d for d in collection.diagnostics if d.code == "file.git-unreadable"]
    assert problem.format().startswith("my wiki:1:1: warning: git cannot read this repository (fatal: ")


def _kb_under_test() -> dict[str, str]:
    """The import path of the kb under test, where the tests run with one."""
    return {"PYTHONPATH": os.environ["PYTHONPATH"]} if os.environ.get("PYTHONPATH") else {}


def test_without_git_installed_nothing_crashes_and_ignored_files_stay_out(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    done = subprocess.run([sys.executable, "-m", "kb.commands.cli", "check", "."], cwd=repo / "my wiki", capture_output=True, text=True,
                          env={"PATH": "/nonexistent", "HOME": str(repo)} | _kb_under_test())
    assert "Traceback" not in done.stderr
    assert ":1:1: warning: git cannot read this repository (git is not installed)" in done.stdout
    assert "git is not installed, so pages show no dates or authors [history.unavailable]" in done.stdout
    assert "NOTES" not in done.stdout and "[frontmatter.yaml]" not in done.stdout
