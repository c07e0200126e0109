#!/usr/bin/env python3
"""Give the example wiki a history: eighteen months of commits by the Larkspur people, written
into a git repository of its own (build/demo.git), whose last commit holds content/ and
mkdocs.yml exactly as they are on disk.

kb's main idea is that a wiki's git history says who knows what: dates, authors, experts,
reviews and their lapse. This repository's own history says none of that about the example, so
`make site` builds the example against this generated one instead:

    python demo/make_history.py                     # writes build/demo.git
    GIT_DIR=build/demo.git GIT_WORK_TREE=. mkdocs build

With GIT_DIR and GIT_WORK_TREE, git (and so kb) reads the history from the generated repository
and the pages from content/ on disk: `mkdocs serve` shows every edit, and a new page is one git
does not track yet.

The history is made backwards from the pages as they are: each event knows how to undo itself (a
section added, a typo fixed, a review recorded, a page taken over or renamed, whitespace
stripped), so the last commit is content/ by construction. Every choice comes from the story
(demo/story.py) or from a hash of the page's path, never from a random generator or the clock:
the same content gives the same commits, byte for byte. Only Python and git are needed; git
writes the whole history in one `git fast-import`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import story
from edits import UNDO, as_list, fraction, growth_steps, pick, prose_lines, read_meta, retitle, split_front, stripped, title_of

ROOT = Path(__file__).resolve().parent.parent
#: What the generated repository's description says: only a folder that says it is replaced.
DESCRIPTION = "The example wiki's generated history (demo/make_history.py)\n"
#: The example's folders of profiles and topics (the kb plugin's defaults, which mkdocs.yml keeps).
PEOPLE, TOPICS = "content/people/", "content/topics/"


@dataclass(frozen=True)
class Author:
    name: str
    email: str


@dataclass
class Change:
    """One file in one commit: `kind` names the edit, whose undo gives the file before it."""

    kind: str
    path: str
    #: A rename's path before it, and its title then.
    old_path: str = ""
    old_title: str = ""


@dataclass
class Commit:
    when: int
    author: Author
    #: The subject, with `{detail}` filled in by the undo (the heading of the section added).
    subject: str
    changes: list[Change]
    #: The bot's runs choose their pages while the history is made: those that exist then.
    tidy: int = 0
    writes: dict[str, bytes] = field(default_factory=dict)
    deletes: list[str] = field(default_factory=list)


def day_between(start: dt.date, end: dt.date, *parts: str) -> dt.date:
    return start + dt.timedelta(days=int(fraction(*parts) * max((end - start).days, 0)))


def timestamp(day: dt.date, *parts: str) -> int:
    """A moment in working hours (UTC) of `day`, drawn from `parts`."""
    seconds = 8 * 3600 + int(fraction("time", *parts) * 8 * 3600)
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()) + seconds


# The plan: who did what to each page, when.

class Cast:
    """The people (from their profiles), the git names and addresses they commit with, and the
    days they joined."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.people: dict[str, tuple[Author, Author]] = {}
        self.joined: dict[str, dt.date] = {}
        for path, data in sorted(files.items()):
            if not (path.startswith(PEOPLE) and path.endswith(".md")) or path.count("/") != 2:
                continue
            person = path[len(PEOPLE): -len(".md")]
            meta = read_meta(data.decode("utf-8", "replace"))
            name = str(meta.get("name") or person)
            emails, names = as_list(meta.get("emails")), as_list(meta.get("names"))
            email = emails[0] if emails else f"{person}@users.noreply.example"
            # Their second address and git name, as a commit from another machine would carry.
            other = Author(names[-1] if names else name, emails[1] if len(emails) > 1 else email)
            self.people[person] = (Author(name, email), other)
            self.joined[person] = story.JOINED.get(person) or day_between(story.START, story.END, person, "joined")

    def author(self, person: str, *parts: str) -> Author:
        """A person's usual identity, and now and then their other one."""
        if person not in self.people:
            return Author(person, f"{person}@users.noreply.example")
        usual, other = self.people[person]
        return other if pick(6, person, *parts) == 0 else usual

    def active(self, day: dt.date) -> list[str]:
        return sorted(person for person, joined in self.joined.items() if joined <= day)


class Plan:
    def __init__(self, files: dict[str, bytes], end: dt.date) -> None:
        self.files = files
        self.end = end
        self.cast = Cast(files)
        self.commits: list[Commit] = []

    def add(self, day: dt.date, who: Author, subject: str, *changes: Change, salt: str = "") -> None:
        self.commits.append(Commit(timestamp(day, subject, salt, *(c.path for c in changes)), who, subject, list(changes)))

    def helper(self, day: dt.date, *parts: str) -> Author:
        """Someone other than the owners who improved a page: anyone who had joined, and the
        leaver while she was there."""
        people = self.cast.active(day)
        if story.LEAVER_JOINED <= day < story.LEAVER_LEFT and pick(5, "leaver", *parts) == 0:
            return Author(*story.LEAVER)
        person = people[pick(len(people), "helper", *parts)] if people else story.FOUNDER
        return self.cast.author(person, *parts)

    def make(self) -> list[Commit]:
        setup = [path for path in self.files if not self._is_page(path)]
        first = dt.datetime(story.START.year, story.START.month, story.START.day, 7, tzinfo=dt.UTC)
        self.commits.append(Commit(int(first.timestamp()), self.cast.author(story.FOUNDER, "setup"),
                                   "Start the Larkspur Learning Network wiki",
                                   [Change("create", path) for path in sorted(setup)]))
        for path in sorted(self.files):
            if not self._is_page(path):
                continue
            text = self.files[path].decode("utf-8")
            if path.startswith(PEOPLE):
                self._profile(path, text)
            elif path.startswith(TOPICS):
                self._topic(path, text)
            else:
                self._page(path, text)
        for run in story.BOT_RUNS:
            self.commits.append(Commit(timestamp(run, "bot"), Author(*story.BOT), "Strip trailing whitespace", [],
                                       tidy=3 + pick(4, "bot", run.isoformat())))
        # The bot's last run is the newest commit: the day the site is "as of".
        last = dt.datetime(self.end.year, self.end.month, self.end.day, 18, tzinfo=dt.UTC)
        self.commits.append(Commit(int(last.timestamp()), Author(*story.BOT), "Strip trailing whitespace", [], tidy=2))
        return sorted(self.commits, key=lambda c: (c.when, c.subject, [x.path for x in c.changes]))

    def _is_page(self, path: str) -> bool:
        """A Markdown page that grows by edits; anything else (config, templates, pictures) comes
        with the first commit."""
        if not path.startswith("content/") or not path.endswith(".md"):
            return False
        inner = path[len("content/"):]
        try:
            self.files[path].decode("utf-8")
        except UnicodeDecodeError:
            return False
        return inner != "index.md" and not any(part.startswith(".") for part in inner.split("/"))

    def _profile(self, path: str, text: str) -> None:
        person = path[len(PEOPLE): -len(".md")]
        joined = self.cast.joined.get(person, story.START)
        self.add(joined, self.cast.author(person, path, "create"), "Add my profile", Change("create", path))
        if growth_steps(text) >= 1 and pick(2, path, "update"):
            day = day_between(joined + dt.timedelta(days=20), self.end, path, "update")
            self.add(day, self.cast.author(person, path, "update"), "Update my profile", Change("section", path))

    def _topic(self, path: str, text: str) -> None:
        meta = read_meta(text)
        moderators = [m for m in as_list(meta.get("moderators")) if m in self.cast.people] or [story.FOUNDER]
        first = moderators[0]
        start = max(self.cast.joined.get(first, story.START), story.START) + dt.timedelta(days=2)
        created = day_between(start, start + dt.timedelta(days=120), path, "created")
        title = title_of(path, text)
        self.add(created, self.cast.author(first, path), f"Describe the topic {title}", Change("create", path))
        if growth_steps(text) >= 1 and pick(2, path, "edit"):
            day = day_between(created + dt.timedelta(days=30), self.end, path, "edit")
            who = moderators[pick(len(moderators), path, "editor")]
            self.add(day, self.cast.author(who, path, "edit"), f"{title}: {{detail}}", Change("section", path))

    def _page(self, path: str, text: str) -> None:
        inner = path[len("content/"):]
        meta = read_meta(text)
        title = title_of(path, text)
        owners = [o for o in as_list(meta.get("owners")) if o in self.cast.people]
        status = str(meta.get("status") or "")
        reviewer, reviewed_on = str(meta.get("reviewed_by") or ""), _date(meta.get("reviewed_on"))
        vetted = status in ("verified", "best-practice") and reviewed_on is not None
        rename = story.RENAMES.get(inner)
        leaver = inner in story.LEAVER_PAGES
        changed = story.CHANGED_AFTER_REVIEW.get(inner) if vetted else None

        # When it was written, and by whom.
        if status == "draft":
            first, last = story.DRAFTS
        else:
            first, last = story.WAVES.get(inner.split("/")[0], (story.START, self.end - dt.timedelta(days=60)))
        creator = owners[0] if owners else story.FOUNDER
        first = max(first, self.cast.joined.get(creator, story.START) + dt.timedelta(days=1))
        created = day_between(first, max(first, last), path, "created")
        latest = self.end - dt.timedelta(days=1)  # the last day an edit can land
        if vetted:
            assert reviewed_on is not None
            latest = reviewed_on - dt.timedelta(days=1)
            created = min(created, reviewed_on - dt.timedelta(days=28))
        if rename:
            created = min(created, rename[2] - dt.timedelta(days=21))
        if leaver:
            created = min(max(created, story.LEAVER_JOINED), story.LEAVER_LEFT - dt.timedelta(days=45))
        created = max(created, story.START + dt.timedelta(days=1))

        def where(day: dt.date) -> str:
            return "content/" + rename[0] if rename and day < rename[2] else path

        if leaver:
            self.add(created, Author(*story.LEAVER), f"Add {title}", Change("create", where(created)))
        else:
            self.add(created, self.cast.author(creator, path, "create"), f"Add {title}", Change("create", where(created)))

        # How it grew: sections added and typos fixed, by its owners and now and then others.
        steps = growth_steps(text) - (1 if changed else 0)
        kinds = ["section"] * min(max(steps, 0), 1 + pick(3, path, "sections")) + ["typo"] * pick(2, path, "typos")
        handover = day_between(*story.HANDOVER, path, "handover") if leaver else None
        days = sorted(day_between(created + dt.timedelta(days=3), latest, path, "edit", str(n)) for n in range(len(kinds)))
        if rename:  # never on the day of the move, whose moment may come before or after the edit
            days = [day - dt.timedelta(days=1) if day == rename[2] else day for day in days]
        for number, (kind, day) in enumerate(zip(sorted(kinds, key=lambda k: fraction(path, k, "order")), days, strict=True)):
            salt = f"{kind}{number}"
            if leaver and handover and day < handover:
                day = min(day, story.LEAVER_LEFT - dt.timedelta(days=1))
                who = Author(*story.LEAVER) if pick(3, path, salt) else self.helper(day, path, salt)
            elif (active := [o for o in owners if self.cast.joined[o] <= day]) and pick(5, path, salt, "owner") < 3:
                who = self.cast.author(active[pick(len(active), path, salt)], path, salt)
            else:
                who = self.helper(day, path, salt)
            subject = f"Fix a typo in {title}" if kind == "typo" else f"{title}: {{detail}}"
            if rename and day < rename[2]:
                subject = subject.replace(title, rename[1])
            self.add(day, who, subject, Change(kind, where(day)), salt=salt)
        if leaver and handover:
            owner = owners[0] if owners else story.FOUNDER
            self.add(handover, self.cast.author(owner, path, "handover"),
                     f"Take over {title} from Lena, who has left", Change("handover", where(handover)))
        if rename:
            old, old_title, day, who = rename
            self.add(day, self.cast.author(who, path, "rename"), f"Rename {old_title} to {title}",
                     Change("rename", path, "content/" + old, old_title))
        if vetted:
            assert reviewed_on is not None
            label = "best practice" if status == "best-practice" else status
            self.add(reviewed_on, self.cast.author(reviewer, path, "review"), f"Review {title}: {label}",
                     Change("review", path))
        if changed:
            day, who = changed
            self.add(day, self.cast.author(who, path, "changed"), f"{title}: {{detail}}", Change("section", path))


def _date(value: str | list[str] | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def end_date(files: dict[str, bytes]) -> dt.date:
    """The day of the newest commit: the story's, or later if a page was reviewed later."""
    reviews = [_date(read_meta(data.decode("utf-8", "replace")).get("reviewed_on")) for data in files.values()]
    return max([story.END] + [day + dt.timedelta(days=3) for day in reviews if day])


# The history, made backwards from the files as they are.

def unwind(commits: list[Commit], files: dict[str, bytes]) -> list[Commit]:
    """Fill in each commit's files: from the newest commit back, each change is undone on the
    text as it stood after it. At the end nothing may be left: every file was created. A run of
    the bot that found nothing to do is no commit."""
    texts = dict(files)
    for commit in reversed(commits):
        if commit.tidy:
            # The bot strips every page: a page with trailing whitespace after its run is one
            # it did not touch then, so only the others can be the ones it changed.
            pages = sorted(path for path in texts if path.endswith(".md") and path.startswith("content/")
                           and "/." not in path and stripped(text := texts[path].decode("utf-8", "replace")) == text
                           and prose_lines(text.split("\n"), len(split_front(text)[0])))
            chosen = sorted({pages[pick(len(pages), "tidy", str(commit.when), str(n))] for n in range(commit.tidy) if pages})
            commit.changes = [Change("tidy", path) for path in chosen]
        details = []
        for change in commit.changes:
            if change.path not in texts:
                # Planned before its page exists: a review dated before the story begins.
                continue
            after = texts[change.path]
            if change.kind not in ("create", "rename", "tidy"):
                try:
                    before, detail = UNDO[change.kind](after.decode("utf-8"), f"{change.path}\x1f{commit.when}")
                except ValueError:
                    continue  # the page is too short for such an edit (a typo needs a long word): there was none
                if stripped(before).encode("utf-8") == after:
                    continue
            commit.writes[change.path] = after
            if change.kind == "create":
                del texts[change.path]
                continue
            if change.kind == "rename":
                del texts[change.path]
                commit.deletes.append(change.old_path)
                texts[change.old_path] = retitle(after.decode("utf-8"), change.old_title).encode("utf-8")
                continue
            if change.kind == "tidy":
                before, detail = UNDO[change.kind](after.decode("utf-8"), f"{change.path}\x1f{commit.when}")
            if change.kind != "tidy":
                # A person's edit is where trailing whitespace comes from: the bot's next run
                # strips it (and a run only takes pages that have none left, see above).
                before = stripped(before)
            if before.encode("utf-8") == after:
                raise ValueError(f"{change.path}: a '{change.kind}' edit that changes nothing")
            texts[change.path] = before.encode("utf-8")
            details.append(detail)
        commit.subject = commit.subject.replace("{detail}", details[0] if details else "")
    if texts:
        raise ValueError(f"files without a commit that creates them: {sorted(texts)}")
    return [commit for commit in commits if commit.writes]


def fast_import_stream(commits: list[Commit]) -> Iterator[bytes]:
    for number, commit in enumerate(commits, start=1):
        person = f"{commit.author.name} <{commit.author.email}> {commit.when} +0000".encode()
        message = (commit.subject + "\n").encode("utf-8")
        yield b"commit refs/heads/main\nmark :%d\n" % number
        yield b"author " + person + b"\ncommitter " + person + b"\n"
        yield b"data %d\n" % len(message) + message
        if number > 1:
            yield b"from :%d\n" % (number - 1)
        for path in commit.deletes:
            yield b"D " + _quoted(path) + b"\n"
        for path, data in commit.writes.items():
            yield b"M 100644 inline " + _quoted(path) + b"\ndata %d\n" % len(data) + data + b"\n"
        yield b"\n"


def _quoted(path: str) -> bytes:
    """A path as fast-import reads it whatever it holds: C-style quoted."""
    escaped = path.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return b'"' + escaped.encode("utf-8") + b'"'


# The files, and git.

def collect(root: Path) -> dict[str, bytes]:
    """content/ and mkdocs.yml as they are on disk: every file git would commit (tracked, or
    new and not ignored), or, outside a git work tree, every file."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--",
                                 "content", "mkdocs.yml"], cwd=root, env=_user_env(), check=True, capture_output=True)
        paths = sorted({p for p in listed.stdout.decode("utf-8").split("\0") if p and (root / p).is_file()})
    except OSError:
        paths = sorted(p.relative_to(root).as_posix() for p in (root / "content").rglob("*") if p.is_file())
        paths += ["mkdocs.yml"] if (root / "mkdocs.yml").is_file() else []
    except subprocess.CalledProcessError as error:
        inside = subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], cwd=root, env=_user_env(),
                                capture_output=True)
        if inside.returncode == 0 or b"dubious ownership" in inside.stderr:
            # Never guess what git would commit: an ignored file would be published.
            problem = error.stderr.decode("utf-8", "replace").strip()
            raise SystemExit(f"demo: git cannot list the files of {root}: {problem}") from None
        paths = sorted(p.relative_to(root).as_posix() for p in (root / "content").rglob("*") if p.is_file())
        paths += ["mkdocs.yml"] if (root / "mkdocs.yml").is_file() else []
    # As committed with LF line ends, whatever core.autocrlf wrote into this checkout.
    return {path: _lf((root / path).read_bytes(), path) for path in paths}


def _lf(data: bytes, path: str) -> bytes:
    return data.replace(b"\r\n", b"\n") if path.endswith((".md", ".yml", ".yaml")) else data


def _user_env() -> dict[str, str]:
    """The environment without the caller's GIT_* (`make serve` sets GIT_DIR for kb), but with
    the user's git configuration: which files git ignores is theirs (core.excludesFile), and so
    is which checkouts it trusts (safe.directory)."""
    return {name: value for name, value in os.environ.items() if not name.startswith("GIT_")} | {"LC_ALL": "C"}


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment with no GIT_* of the caller's (`make serve` sets GIT_DIR for kb) and no
    user or system configuration, so that every machine writes the same commits."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}
    return env | {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C"} | extra


def write_repository(output: Path, commits: list[Commit], root: Path) -> None:
    if output.exists():
        description = output / "description"
        if not (description.is_file() and description.read_text(encoding="utf-8") == DESCRIPTION):
            raise SystemExit(f"{output} exists and is not a history this script made: not replacing it")
        shutil.rmtree(output)
    output.mkdir(parents=True)
    git = _clean_env(GIT_DIR=str(output))
    subprocess.run(["git", "init", "--quiet", "--bare", str(output)], env=_clean_env(), check=True)
    subprocess.run(["git", "symbolic-ref", "HEAD", "refs/heads/main"], env=git, check=True)
    (output / "description").write_text(DESCRIPTION, encoding="utf-8")
    subprocess.run(["git", "fast-import", "--quiet", "--done"], env=git, check=True,
                   input=b"".join(fast_import_stream(commits)) + b"done\n")
    # The index, so that git status (kb reads it) finds content/ tracked, not new.
    subprocess.run(["git", "read-tree", "HEAD"], env=git, check=True)
    subprocess.run(["git", "update-index", "-q", "--refresh"], env=git | {"GIT_WORK_TREE": str(root)}, check=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the repository whose content/ and mkdocs.yml to use")
    parser.add_argument("--output", type=Path, default=ROOT / "build" / "demo.git", help="the git directory to write")
    args = parser.parse_args(argv)
    files = collect(args.root)
    if not any(path.startswith("content/") for path in files):
        raise SystemExit(f"no content/ in {args.root}")
    plan = Plan(files, end_date(files))
    commits = unwind(plan.make(), files)
    write_repository(args.output, commits, args.root)
    authors = {c.author.name for c in commits}
    first, last = (dt.datetime.fromtimestamp(c.when, dt.UTC).date() for c in (commits[0], commits[-1]))
    print(f"{args.output}: {len(commits)} commits by {len(authors)} authors, {first} to {last}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
