"""The work tree: which files under the content directory git ignores, and which it does not track.

A file git ignores is someone's local file (notes, an export, a credential) that the repository
never holds, so kb never publishes it; a file git does not track yet is a page being written,
which a local preview shows but a build of the repository (CI) will not have. One
`git status` answers both for the whole content directory: asking per file would cost a git
process per page.
"""

from __future__ import annotations

import os
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import git
import pathspec

#: Untracked files one by one (`all`); ignored ones as git's rules name them (`matching`), so an
#: ignored folder comes back as `folder/` without git walking into it. `-z` prints every path
#: verbatim, whatever `core.quotepath` says. `--no-optional-locks` keeps git from rewriting the
#: index, which would make a git command the writer runs at the same moment fail on index.lock.
STATUS_ARGS = ("--porcelain=v1", "-z", "--ignored=matching", "--untracked-files=all", "--ignore-submodules=all",
               "--", ".")


@dataclass(frozen=True)
class WorkTree:
    """Files and folders inside the content directory (POSIX paths, NFC, folders without their
    trailing slash) that git ignores or does not track; a folder stands for everything in it."""

    ignored: frozenset[str] = frozenset()
    untracked: frozenset[str] = frozenset()
    #: Git ignores the content directory itself: the repository does not hold the wiki, and git
    #: says nothing of the files in it (kb publishes them, and says so: kb.read.collect).
    content_ignored: bool = False
    #: When git could not answer: what it said, and the repository's ignore files read directly.
    problem: str = ""
    ignores: Callable[[str], bool] | None = None

    def is_ignored(self, path: str) -> bool:
        """The file or folder at `path`, or a folder it is in, is ignored."""
        if self.ignores is not None:
            return self.ignores(_key(path))
        return _within(_key(path), self.ignored)

    def is_untracked(self, path: str) -> bool:
        return _within(_key(path), self.untracked)


def read_worktree(content_dir: Path) -> WorkTree | None:
    """What git says of the files under `content_dir`, from one `git status`. None when there
    is nothing to say: no repository. When the content is in a repository that git
    cannot read (not installed, "dubious ownership", a broken index), kb fails closed: the
    ignore files are read directly, and `problem` says what git said. Never raises."""
    try:
        # The top of the work tree, found without a git process: status names paths from there.
        with git.Repo(content_dir, search_parent_directories=True) as repo:
            top = repo.working_tree_dir
            git_dir = repo.git_dir
        prefix = _prefix(content_dir, top) if top is not None else None
    except (git.GitError, OSError, ValueError):
        return None
    if prefix is None or top is None:  # a bare repository, or one that does not hold the content
        return None
    try:
        command = git.Git(str(content_dir))
        command.set_persistent_git_options(no_optional_locks=True)
        output = command.status(*STATUS_ARGS, stdout_as_string=False, strip_newline_in_stdout=False)
    except (git.GitError, OSError, ValueError) as error:
        return WorkTree(problem=git_problem(error), ignores=ignore_files(Path(top), Path(git_dir), prefix))
    return parse_status(output, prefix) if isinstance(output, bytes) else None


class PendingWorkTree:
    """read_worktree in a thread, started ahead of the walk that needs it: git walks the files
    on another core while the caller works (a preview server starts it as a save is built)."""

    def __init__(self, content_dir: Path) -> None:
        self._found: WorkTree | None = None
        self._thread = threading.Thread(target=self._read, args=(content_dir,), name="kb-worktree", daemon=True)
        self._thread.start()

    def _read(self, content_dir: Path) -> None:
        self._found = read_worktree(content_dir)  # never raises

    def result(self) -> WorkTree | None:
        self._thread.join()
        return self._found


def git_problem(error: BaseException) -> str:
    """What went wrong with git, in one line: its own message where it gave one."""
    if isinstance(error, git.GitCommandNotFound):
        return "git is not installed"
    # GitPython quotes what git wrote: "stderr: 'fatal: ...'".
    stderr = str(getattr(error, "stderr", "") or "").strip().removeprefix("stderr:").strip()
    if stderr.startswith("'") and stderr.endswith("'"):
        stderr = stderr[1:-1]
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return lines[0] if lines else str(error).splitlines()[0]


def ignore_files(top: Path, git_dir: Path, prefix: str) -> Callable[[str], bool]:
    """Whether a content path is ignored by the repository's `.gitignore` files and
    `info/exclude`, read without git. Every rule that matches ignores (a later `!` rule in
    another file does not bring a file back): when git cannot be asked, err on the side of
    publishing less."""
    specs: list[tuple[str, pathspec.GitIgnoreSpec]] = []
    exclude = git_dir / "info" / "exclude"
    sources = [(exclude, "")] if exclude.is_file() else []
    for folder, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(name for name in dirnames if name != ".git")
        if ".gitignore" in filenames:
            relative = os.path.relpath(folder, top).replace(os.sep, "/")
            sources.append((Path(folder, ".gitignore"), "" if relative == "." else relative + "/"))
    for path, base in sources:
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        specs.append((_key(base), pathspec.GitIgnoreSpec.from_lines(lines)))

    def ignores(path: str) -> bool:
        full = prefix + path
        parts = full.split("/")
        for depth in range(1, len(parts) + 1):
            candidate = "/".join(parts[:depth])
            for base, spec in specs:
                if candidate.startswith(base) and (spec.match_file(candidate[len(base):])
                                                   or spec.match_file(candidate[len(base):] + "/")):
                    return True
        return False

    return ignores


def parse_status(output: bytes, prefix: str) -> WorkTree:
    """Read `git status --porcelain=v1 -z` output (see STATUS_ARGS). Its paths start at the top
    of the work tree; `prefix` (empty, or ending in `/`) is the content directory's place there,
    and is removed."""
    found: dict[str, set[str]] = {"!!": set(), "??": set()}
    entries = iter(output.split(b"\x00"))
    for entry in entries:
        if len(entry) < 4:
            continue
        status, path = entry[:2].decode("ascii", "replace"), _key(os.fsdecode(entry[3:]))
        if "R" in status or "C" in status:
            next(entries, None)  # a rename or copy in the index: the old path follows
        if status in found and path.startswith(prefix):
            found[status].add(path[len(prefix):])
    ignored, untracked = (frozenset(path.removesuffix("/") for path in found[status]) for status in ("!!", "??"))
    if "" in ignored:
        return WorkTree(content_ignored=True)  # git does not hold the wiki, and names nothing inside it
    return WorkTree(ignored, untracked)


def _prefix(content_dir: Path, top: str) -> str | None:
    """The content directory's path inside the work tree: `` or `docs/`; None when outside it."""
    relative = os.path.relpath(os.path.realpath(content_dir), os.path.realpath(top))
    if relative == os.curdir:
        return ""
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return None
    return _key(relative.replace(os.sep, "/")) + "/"


def _key(path: str) -> str:
    # git on macOS writes names in NFC while the disk may hand them back in NFD.
    return unicodedata.normalize("NFC", path)


def _within(path: str, paths: frozenset[str]) -> bool:
    """`path` or one of the folders it is in is in `paths`."""
    if not paths:
        return False
    parts = path.split("/")
    return any("/".join(parts[:depth]) in paths for depth in range(1, len(parts) + 1))


__all__ = ["WorkTree", "parse_status", "read_worktree"]
