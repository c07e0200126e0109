"""Hugo's `cascade`: the draft conventions a folder's index page passes down to the pages below it.

Hugo reads `cascade` only from a section's index (`_index.md`; for kb also `index.md` and
`README.md`, the names MkDocs gives a folder's page), and restricts it with `_target`. kb reads
its `path` (a glob over the page's path, `/blog/**`) and fails closed on the rest: a condition it
does not read is left out, so the cascade holds back every page its path matches, and a value it
cannot read holds back every page below.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kb.read.publication import draft_holds, key_name, shown

#: The pages whose `cascade` reaches the pages below them: a folder's index, as MkDocs and Hugo name it.
INDEX_NAMES = frozenset({"index.md", "_index.md", "readme.md"})
_TARGET_KEYS = frozenset({"_target", "target"})


@dataclass(frozen=True)
class Cascade:
    """The draft conventions that Hugo's `cascade`, on a folder's index page, passes down to the
    pages below it: to those whose path one of `paths` matches, or to all of them when `paths`
    is None. `problems` are values kb cannot read (errors: they hold back as much as they could
    mean); `notes` are `_target` conditions kb does not read (warnings: it holds back more)."""

    key: str
    paths: tuple[str, ...] | None
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    #: The keys it passes down (`draft`, `build`, …), as key_name reads them: a page that sets
    #: them all itself keeps its own values, as Hugo merges a cascade only into keys a page lacks.
    keys: frozenset[str] = frozenset()

    def reaches(self, path: str) -> bool:
        """Whether the cascade reaches the page at content path `path` (below its folder)."""
        if self.paths is None:
            return True
        # Hugo's paths start with `/`; a pattern written without it is tried both ways (fail closed).
        written = hugo_path(path)
        return any(_glob(pattern).fullmatch(written) or _glob(pattern).fullmatch(written[1:]) for pattern in self.paths)


def read_cascade(data: Mapping[str, Any]) -> Cascade | None:
    """The draft cascade in the front matter `data`: None when there is none, or it holds back nothing."""
    key = next((key for key in data if key_name(key) == "cascade"), None)
    if key is None:
        return None
    value = data[key]
    items = value if isinstance(value, list) else [value]
    paths: list[str] = []
    everywhere = False
    problems: list[str] = []
    notes: list[str] = []
    keys: set[str] = set()
    for item in items:
        if item is None:
            continue
        if not isinstance(item, Mapping):
            problems.append(f"'{key}' must be a mapping of keys (or a list of them), not {shown(item)}; every page "
                            "below is held back until it is")
            everywhere = True
            continue
        target_key = next((option for option in item if key_name(option) in _TARGET_KEYS), None)
        holds = draft_holds({option: item[option] for option in item if option != target_key})
        if not holds:
            continue
        keys.update(key_name(hold.key) for hold in holds)
        problems.extend(f"in '{key}': {hold.problem}" for hold in holds if hold.problem)
        path, problem, unread = _target_path(key, target_key, item.get(target_key) if target_key else None)
        if problem:
            problems.append(problem)
        notes.extend(unread)
        if path is None:
            everywhere = True
        else:
            paths.append(path)
    if not everywhere and not paths:
        return None
    return Cascade(key, None if everywhere else tuple(paths), tuple(problems), tuple(notes), frozenset(keys))


def _target_path(key: str, target_key: str | None, target: Any) -> tuple[str | None, str | None, list[str]]:
    """The glob of a cascade's `_target` (None: every page), a problem with it, and the
    conditions kb does not read. kb fails closed: a condition it cannot read is left out, so
    the cascade holds back every page its path matches."""
    if target_key is None or target is None:
        return None, None, []
    if not isinstance(target, Mapping):
        return None, (f"'{key}.{target_key}' must be a mapping such as 'path: /blog/**', not {shown(target)}; "
                      "the cascade holds back every page below"), []
    path: str | None = None
    problem: str | None = None
    unread: list[str] = []
    for option, value in target.items():
        if key_name(option) != "path":
            unread.append(f"kb does not read '{key}.{target_key}.{option}': the cascade holds back every page below "
                          "that its path matches, whatever this condition says")
        elif isinstance(value, str) and value.strip() and _glob(value) is not _ANYTHING:
            path = value.strip()
        else:
            problem = (f"'{key}.{target_key}.{option}' must be a path pattern such as /blog/**, not {shown(value)}; "
                       "the cascade holds back every page below")
    return path, problem, unread


def hugo_path(path: str) -> str:
    """A content path as Hugo names the page in `_target.path`: `ops/deploy.md` → `/ops/deploy`,
    a folder's index → the folder (`/ops`, or `/` for the top), in lower case."""
    folder, name = posixpath.split(path)
    if name.lower() in INDEX_NAMES:
        return "/" + folder.lower()
    return "/" + posixpath.splitext(path)[0].lower()


#: A glob kb cannot read matches every page: fail closed.
_ANYTHING = re.compile(r".*", re.DOTALL)


@functools.lru_cache(maxsize=256)
def _glob(pattern: str) -> re.Pattern[str]:
    """Hugo's glob (gobwas/glob, in lower case, `/` separating): `*` and `?` within one folder,
    `**` across folders, `[a-z]` and `[!a-z]`, `{a,b}`, and `\\` before a character to take it
    as it is. A pattern it cannot read is `_ANYTHING`."""
    out: list[str] = []
    text = pattern.strip().lower()
    index, braces = 0, 0
    while index < len(text):
        char = text[index]
        if char == "*":
            double = text.startswith("**", index)
            out.append(".*" if double else "[^/]*")
            index += 2 if double else 1
            continue
        if char == "?":
            out.append("[^/]")
        elif char == "[":
            end = text.find("]", index + 2)
            if end < 0:
                return _ANYTHING
            inside = text[index + 1 : end]
            negated = inside.startswith("!")
            body = re.escape(inside[1:] if negated else inside).replace("\\-", "-")
            out.append(f"[{'^' if negated else ''}{body}]")
            index = end
        elif char == "{":
            braces += 1
            out.append("(?:")
        elif char == "}" and braces:
            braces -= 1
            out.append(")")
        elif char == "," and braces:
            out.append("|")
        elif char == "\\" and index + 1 < len(text):
            index += 1
            out.append(re.escape(text[index]))
        else:
            out.append(re.escape(char))
        index += 1
    if braces:
        return _ANYTHING
    try:
        return re.compile("".join(out), re.DOTALL)
    except re.error:
        return _ANYTHING


__all__ = ["INDEX_NAMES", "Cascade", "hugo_path", "read_cascade"]
