"""Stage 3, history: who changed which page when, from one `git log` pass.

Per-file git calls cost 130 ms (`git log -1`) to 540 ms (`git blame`) a file on a large
repository, which is why the usual MkDocs git plugins are slow; kb asks git once for the whole
history of the content directory, with line counts and renames, and follows each page back
through its renames itself. The result is kept for the life of the process while HEAD and the
identity rules are unchanged, so `mkdocs serve` rebuilds do not read it again.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import heapq
import os
import re
import threading
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import git

from kb.diagnostics import Diagnostic, Severity
from kb.read.secrets import WITHHELD_MESSAGE, WITHHELD_NAME, Secret, find_secrets
from kb.read.worktree import git_problem

#: Authors whose commits never count: automation, by name or email. `*` matches anything;
#: every other character, brackets included, stands for itself.
DEFAULT_BOTS = ("*[bot]", "*[bot]@*", "*-bot", "*-bot@*", "* bot", "*_bot", "dependabot*", "renovate*", "github-actions*",
                "imgbot*", "weblate*", "pre-commit-ci*", "allcontributors*", "snyk-bot*", "greenkeeper*", "semantic-release*")
_FORMAT = "%x1e%H%x1f%aN%x1f%aE%x1f%at%x1f%s"


@dataclass(frozen=True)
class Change:
    """One commit's change to one page."""

    commit: str
    author: str
    email: str
    timestamp: int
    subject: str
    added: int
    deleted: int

    @property
    def date(self) -> dt.date:
        return dt.datetime.fromtimestamp(self.timestamp, dt.UTC).date()


@dataclass(frozen=True)
class Commit:
    commit: str
    author: str
    email: str
    timestamp: int
    subject: str
    #: Content paths the commit changed, as they are called now (renames followed).
    paths: tuple[str, ...]


@dataclass
class History:
    """`state` is "ok"; "shallow" (a shallow clone: dates would be wrong, so none are given);
    "unavailable" (not a git repository); or "empty" (a repository with no commit yet)."""

    state: str = "unavailable"
    #: Every change to each content path, newest first, renames followed.
    files: dict[str, tuple[Change, ...]] = field(default_factory=dict)
    #: Every commit that touched the content, newest first.
    commits: tuple[Commit, ...] = ()
    head: str | None = None
    head_time: int | None = None

    @property
    def known(self) -> bool:
        return self.state == "ok"

    def changes(self, path: str) -> tuple[Change, ...]:
        """Every change to a page, newest first; empty when history is unknown or uncommitted."""
        return self.files.get(path, ()) if self.known else ()

    @property
    def head_date(self) -> dt.date | None:
        """The day of the last commit: the build's date wherever one is shown or judged by (the
        sitemap, reviews due, Hugo's publishDate), so that two builds of one commit agree."""
        return None if self.head_time is None else dt.datetime.fromtimestamp(self.head_time, dt.UTC).date()


@dataclass(frozen=True)
class ChangeEntry:
    """One change to one published page."""

    change: Change
    path: str
    created: bool  # the page's first commit


def recent_entries(history: History, paths: list[str] | tuple[str, ...], limit: int) -> list[ChangeEntry]:
    """The latest changes to these published pages, newest first (ties by page path)."""
    if not history.known:
        return []
    # Only the newest `limit` become entries: the site's feed weighs every page's changes.
    newest = heapq.nsmallest(limit, (
        (-change.timestamp, path, change.commit, index == len(changes) - 1, change)
        for path in paths for changes in (history.files.get(path, ()),)
        for index, change in enumerate(changes[:limit])), key=lambda found: found[:3])
    return [ChangeEntry(change, path, created) for _, path, _, created, change in newest]


_cache: dict[tuple[str, ...], History] = {}


class PendingHistory:
    """A history being read: git runs in its own process while kb parses the pages, and a
    thread empties its pipe so it never stalls. `result()` waits for it and parses the log."""

    def __init__(self, content_dir: Path, bots: tuple[str, ...] = DEFAULT_BOTS, in_ci: bool | None = None,
                 display: str | None = None) -> None:
        self.bots = bots
        self._done: tuple[History, list[Diagnostic]] | None = None
        self._output = bytearray()
        self._reader: threading.Thread | None = None
        in_ci = bool(os.environ.get("CI")) if in_ci is None else in_ci
        display = display if display is not None else content_dir.as_posix()
        try:
            repo = git.Git(str(content_dir))
            top = repo.rev_parse("--show-toplevel")
            self.prefix = repo.rev_parse("--show-prefix")
        except (git.GitCommandError, git.GitCommandNotFound) as error:
            problem = git_problem(error)
            if "not a git repository" in problem:
                problem = "the content is not in a git repository"
            elif problem != "git is not installed":
                problem = f"git cannot read this repository ({problem})"
            self._done = History("unavailable"), [Diagnostic(
                display, 1, 1, Severity.WARNING, "history.unavailable",
                f"{problem}, so pages show no dates or authors")]
            return
        try:
            self.head = repo.rev_parse("HEAD")
        except git.GitCommandError:
            self._done = History("empty"), []
            return
        if repo.rev_parse("--is-shallow-repository") == "true":
            severity = Severity.ERROR if in_ci else Severity.WARNING
            self._done = History("shallow", head=self.head), [Diagnostic(
                display, 1, 1, severity, "history.shallow",
                "this is a shallow clone, so every page would show the same date and author; fetch the whole "
                "history (git fetch --unshallow, or fetch-depth: 0 in actions/checkout) — dates are shown as unknown")]
            return
        self.key = (top, self.prefix, self.head, _digest(Path(top, ".mailmap")), *bots)
        if self.key in _cache:
            self._done = _cache[self.key], []
            return
        self._process = repo.log(
            "-z", "--no-merges", "--use-mailmap", "--numstat", "-M", f"--format={_FORMAT}", "--", ".", as_process=True,
        )
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        stream = self._process.proc.stdout
        while chunk := stream.read(1 << 16):
            self._output += chunk

    def result(self) -> tuple[History, list[Diagnostic]]:
        if self._done is None:
            assert self._reader is not None
            self._reader.join()
            self._process.wait()
            _cache.clear()
            _cache[self.key] = parse_log(bytes(self._output), self.prefix, self.bots, self.head)
            self._output = bytearray()
            self._done = _cache[self.key], []
        return self._done


def read_history(
    content_dir: Path, bots: tuple[str, ...] = DEFAULT_BOTS, in_ci: bool | None = None,
) -> tuple[History, list[Diagnostic]]:
    """The history of every file under `content_dir`. Never raises: a directory outside git,
    or a shallow clone, comes back with a diagnostic and no dates."""
    return PendingHistory(content_dir, bots, in_ci).result()


def parse_log(output: bytes, prefix: str, bots: tuple[str, ...], head: str | None = None) -> History:
    """Parse `git log -z --numstat -M --format=<_FORMAT>` output, newest commit first.

    `prefix` is the content directory's path inside the repository (with a trailing slash, or
    empty); paths are returned relative to it. A rename moves every older change of the old
    path onto the page's current path."""
    current_name: dict[str, str] = {}  # a path in older commits → what it is called now
    files: dict[str, list[Change]] = {}
    commits: list[Commit] = []
    head_time: int | None = None
    for record in output.split(b"\x1e")[1:]:
        header, _, stats = record.partition(b"\x00")
        sha, name, email, timestamp, subject = header.decode("utf-8", "replace").split("\x1f", 4)
        when = int(timestamp)
        head_time = head_time if head_time is not None else when
        name = unicodedata.normalize("NFC", name.strip())
        email = email.strip().lower()
        is_bot = _is_bot(name, email, bots)
        paths: list[str] = []
        tokens = stats.lstrip(b"\n").split(b"\x00")
        index = 0
        while index < len(tokens):
            token = tokens[index]
            index += 1
            if not token.strip():
                continue
            added, deleted, path_bytes = token.split(b"\t", 2)
            if path_bytes:
                path = _inside(path_bytes, prefix)
                now = current_name.get(path, path) if path else None
            else:  # a rename: the old and new paths follow
                old, new = _inside(tokens[index], prefix), _inside(tokens[index + 1], prefix)
                index += 2
                now = current_name.get(new, new) if new else None
                if old and now:
                    current_name[old] = now
            if not now or is_bot:
                continue
            change = Change(sha, name, email, when, subject.strip(), _count(added), _count(deleted))
            files.setdefault(now, []).append(change)
            paths.append(now)
        if paths:
            commits.append(Commit(sha, name, email, when, subject.strip(), tuple(sorted(set(paths)))))
    return History("ok", {path: tuple(changes) for path, changes in sorted(files.items())}, tuple(commits), head, head_time)


def withhold_credentials(history: History, allowed: frozenset[str]) -> tuple[History, list[tuple[Commit, Secret]]]:
    """The history with the message of every commit that holds a credential replaced by
    WITHHELD_MESSAGE wherever the site shows it, and those commits with what they hold. The
    history read from git is kept as it is (it is cached, and `allowed` may change)."""
    # A preview derives the same history again after every save: the search of every message
    # is made once, and the same History given back keeps what is derived from it
    # (kb.analyse.contributions).
    global _withheld
    if _withheld is not None and _withheld[0] is history and _withheld[1] == allowed:
        return _withheld[2], list(_withheld[3])
    shown, withheld = _withhold_credentials(history, allowed)
    _withheld = history, allowed, shown, tuple(withheld)
    return shown, withheld


#: The last history withhold_credentials was given, `allowed`, and what it gave back.
_withheld: tuple[History, frozenset[str], History, tuple[tuple[Commit, Secret], ...]] | None = None


def _withhold_credentials(history: History, allowed: frozenset[str]) -> tuple[History, list[tuple[Commit, Secret]]]:
    if not history.commits:
        return history, []
    # One search of all the messages: a subject is one line (git joins its lines), so the line
    # a secret is found on is its commit's.
    found = find_secrets("\n".join(commit.subject.replace("\n", " ") for commit in history.commits), allowed)
    # An author's name is shown too (changes, feeds, the directory): one holding a credential is
    # withheld the same way.
    named = find_secrets("\n".join(commit.author.replace("\n", " ") for commit in history.commits), allowed)
    if not found and not named:
        return history, []
    withheld = [(history.commits[secret.line - 1], secret) for secret in found + named]
    shas = {history.commits[secret.line - 1].commit for secret in found}
    authors = {history.commits[secret.line - 1].author for secret in named}

    def shown(change: Any) -> Any:
        if change.commit in shas:
            change = replace(change, subject=WITHHELD_MESSAGE)
        if change.author in authors:
            change = replace(change, author=WITHHELD_NAME)
        return change

    commits = tuple(shown(c) for c in history.commits)
    files = dict(history.files)
    for path in {path for commit, _ in withheld for path in commit.paths} | {
            path for commit in history.commits if commit.author in authors for path in commit.paths}:
        if path in files:
            files[path] = tuple(shown(c) for c in files[path])
    return replace(history, files=files, commits=commits), withheld


def _inside(path: bytes, prefix: str) -> str | None:
    text = unicodedata.normalize("NFC", path.decode("utf-8", "replace"))
    if prefix and not text.startswith(prefix):
        return None
    return text[len(prefix):]


def _count(value: bytes) -> int:
    return int(value) if value.isdigit() else 0  # "-" for binary files


def _is_bot(name: str, email: str, bots: tuple[str, ...]) -> bool:
    return any(pattern.fullmatch(name.lower()) or pattern.fullmatch(email) for pattern in _bot_patterns(bots))


@functools.cache
def _bot_patterns(bots: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(".*".join(map(re.escape, bot.lower().split("*")))) for bot in bots)


def _digest(path: Path) -> str:
    try:
        return hashlib.sha1(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def changed_since(content_dir: Path, revision: str) -> list[str]:
    """Content paths (as they are called now) that differ between the merge base of `revision`
    and HEAD and the working tree: what a pull request from this checkout would change."""
    repo = git.Git(str(content_dir))
    prefix = repo.rev_parse("--show-prefix")
    output = repo.diff("--merge-base", revision, "--name-only", "-z", "-M", "--", ".",
                       stdout_as_string=False, strip_newline_in_stdout=False)
    paths = (_inside(name, prefix) for name in output.split(b"\x00") if name)
    return sorted({path for path in paths if path})
