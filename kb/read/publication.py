"""Whether a page may be published: every draft convention its author may have used, fail closed.

Teams bring pages from other tools, and each tool has its own way to say "not yet": `draft: true`
(Material's blog, Hugo, Jekyll, Quartz, Docusaurus, Astro, Zola), `publish: false` (Obsidian
Publish), `published: false` (Jekyll), `headless: true` and `build: {render: never}` (Hugo), and
kb's own `status: draft`. A page is held back if any of them says so. A value kb cannot read as
a clear yes or no is an error, and the page is held back too: a typo must never publish a draft.
Keys are matched without regard to case, as Hugo does.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

#: Key (lower case) → what it means: "draft" (true holds back), "publish" (false holds back).
CONVENTIONS: dict[str, str] = {"draft": "draft", "headless": "draft", "publish": "publish", "published": "publish"}
#: Hugo's build options: a page whose `render` is one of these is never written.
_HUGO_BUILD_KEYS = ("build", "_build")
_NOT_RENDERED = frozenset({"never", "link", "false"})
#: The values each build option may take (true and false too), as Hugo reads them, and as kb names them.
_BUILD_OPTIONS: dict[str, frozenset[str]] = {"render": _NOT_RENDERED | {"always", "true"},
                                             "list": frozenset({"never", "always", "local", "true", "false"})}
_BUILD_CHOICES = {"render": "always, never or link", "list": "always, never or local"}
#: Every key, in lower case, that can hold a page back, other than kb's `status`.
DRAFT_KEYS = frozenset(CONVENTIONS) | frozenset(_HUGO_BUILD_KEYS) | {"cascade", "publishdate", "pubdate", "expirydate",
                                                                     "unpublishdate"}
#: How MultiMarkdown headers (always text) write yes and no.
_TEXT_TRUE = {"true", "yes", "on", "1"}
_TEXT_FALSE = {"false", "no", "off", "0"}


@dataclass(frozen=True)
class Hold:
    """One reason to hold a page back. `problem` is set when the value itself is wrong."""

    key: str
    problem: str | None = None


def draft_holds(data: Mapping[str, Any]) -> list[Hold]:
    """The reasons the front matter `data` gives to hold the page back (kb's `status` aside,
    which the schema reads with the rest of kb's keys; but `Status: draft` in another case is
    a draft too). Hugo's `cascade` is not among them: it holds back other pages (kb.read.cascade)."""
    holds: list[Hold] = []
    for key, value in data.items():
        name = key_name(key)
        meaning = CONVENTIONS.get(name)
        if name == "status" and key != "status":
            if isinstance(value, str) and value.strip().lower() == "draft":
                holds.append(Hold(key))
        elif name == "published" and _is_date_like(value):
            holds.extend(_date_hold(key, value))  # Hugo's `published: 2026-01-31` is a publish date
        elif meaning is not None:
            if not isinstance(value, bool):
                expected = "true or false, or a date such as 2026-01-31" if name == "published" else "true or false"
                holds.append(Hold(key, f"'{key}' must be {expected}, not {shown(value)}; the page is held back "
                                       "as a draft until it is"))
            elif value is (meaning == "draft"):
                holds.append(Hold(key))
        elif name in _HUGO_BUILD_KEYS:
            holds.extend(_build_holds(key, value))
        elif name in _DATE_KEYS:
            holds.extend(_date_hold(key, value))
    return holds


def _build_holds(key: str, value: Any) -> list[Hold]:
    """Hugo's `build: {render: never}`, and kb's shorthand `build: never`. Anything else that
    is not a clear answer holds the page back, with an error."""
    if isinstance(value, Mapping):
        holds: list[Hold] = []
        for option, item in value.items():
            choices = _BUILD_OPTIONS.get(key_name(option))
            if choices is None:
                continue  # publishResources, and options of later Hugo versions: they publish nothing new
            said = _clear(item, choices)
            if said is None:
                holds.append(Hold(key, f"'{key}.{option}' must be {_BUILD_CHOICES[key_name(option)]}, not {shown(item)}; "
                                       "the page is held back until it is"))
            elif said in _NOT_RENDERED and key_name(option) == "render":
                holds.append(Hold(key))
        return holds
    said = _clear(value, _BUILD_OPTIONS["render"])
    if said is None:
        return [Hold(key, f"'{key}' must be options such as 'render: never' on the lines below it (or one of "
                          f"always, never or link), not {shown(value)}; the page is held back until it is")]
    return [Hold(key)] if said in _NOT_RENDERED else []


def _clear(value: Any, choices: frozenset[str]) -> str | None:
    """`value` as one of `choices` (true and false as text), or None when it is not one."""
    if isinstance(value, bool):
        value = str(value).lower()
    if isinstance(value, str) and value.strip().lower() in choices:
        return value.strip().lower()
    return None


def _date_hold(key: str, value: Any) -> list[Hold]:
    """A Hugo date kb cannot read might be one that keeps the page off the site: fail closed."""
    if value is None or value == "" or _as_date(value) is not None:
        return []
    return [Hold(key, f"'{key}' must be a date such as 2026-01-31 or 2026-01-31T09:00:00+01:00, not {shown(value)}; "
                      "the page is held back until it is")]


def _is_date_like(value: Any) -> bool:
    """`published: 2026-01-31` is Hugo's publish date, where Jekyll's `published` is true or false."""
    return isinstance(value, dt.date) or (isinstance(value, str) and bool(re.match(r"\s*\d{4}-", value)))


#: Hugo's dates (keys in lower case): a page is published from the first and until the second.
_PUBLISH_DATES = ("publishdate", "pubdate", "published")
_EXPIRY_DATES = ("expirydate", "unpublishdate")
_DATE_KEYS = frozenset(_PUBLISH_DATES + _EXPIRY_DATES) - {"published"}


def date_holds(data: Mapping[str, Any], today: dt.date) -> list[tuple[str, str]]:
    """(key, why) for each of Hugo's dates that keeps the page off the site on `today` (the
    day of the last commit, so that a build of one commit is the same on any day). A date kb
    cannot read is an error when the page is parsed (draft_holds)."""
    holds: list[tuple[str, str]] = []
    for key, value in data.items():
        name, when = key_name(key), _as_date(value)
        if when is None:
            continue
        if name in _PUBLISH_DATES and when > today:
            holds.append((key, f"'{key}' is {when.isoformat()}, after the last commit ({today.isoformat()}): "
                               "the page is not published until then"))
        elif name in _EXPIRY_DATES and when <= today:
            holds.append((key, f"'{key}' is {when.isoformat()}, on or before the last commit ({today.isoformat()}): "
                               "the page is no longer published"))
    return holds


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip()).date()
        except ValueError:
            return None
    return None


def key_name(key: Any) -> str:
    """How a key is compared: `Draft`, `DRAFT` and `draft ` are `draft`."""
    return str(key).strip().lower()


def in_draft_folder(path: str) -> bool:
    """Jekyll keeps drafts in `_drafts/`: whatever is in such a folder is a draft."""
    return "_drafts" in path.split("/")[:-1]


def text_says_draft(key: str, value: str) -> bool:
    """Whether a `key: value` written as plain text (MkDocs' MultiMarkdown header) would make
    a page a draft in any convention: anything but a clear "no" to a draft key, a clear
    "no" to a publish key, or `status: draft`."""
    value = value.strip().lower()
    meaning = CONVENTIONS.get(key)
    if meaning == "draft":
        return value not in _TEXT_FALSE
    if meaning == "publish":
        return value not in _TEXT_TRUE
    return key == "status" and value == "draft"


def shown(value: Any) -> str:
    if value is None:
        return "nothing"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def attachments_of_drafts(assets: Iterable[str], drafts: Iterable[tuple[str, str]],
                          published: Iterable[tuple[str, str]]) -> list[str]:
    """The attachments that drafts mention and no published page does: a draft's screenshots
    are as unpublished as the draft. Pages are (path, text). A mention is the attachment's file
    name in the text, however it is linked, with the folders written before it: `img/shot.png`
    is resolved from the page's folder (or, with a leading `/`, from the top), a bare
    `shot.png` may be any attachment of that name (Obsidian finds it anywhere). Names match as
    kb's links find files: in any case, and with spaces, `-`, `_` and `%20` alike
    (`![[layoff-list.png]]` is `Layoff_List.png`). A mention that resolves to no attachment counts
    for every one of that name: from a draft, to hold them back; from a published page, to keep
    them, so that no published page loses an image."""
    by_name: dict[str, list[str]] = {}
    for path in assets:
        by_name.setdefault(_loose(posixpath.basename(path)), []).append(path)
    if not by_name:
        return []
    pattern = _mentions(by_name)
    held = {path for page, text in drafts for path in _mentioned(page, text, pattern, by_name)}
    if not held:
        return []
    names = {_loose(posixpath.basename(path)) for path in held}
    narrower = _mentions(names)
    kept = {path for page, text in published for path in _mentioned(page, text, narrower, by_name)}
    return sorted(held - kept)


def _loose(name: str) -> str:
    """The key two spellings of one file name share, as kb's links compare them."""
    text = _nfc(unquote(name)).casefold().replace("-", " ").replace("_", " ")
    return " ".join(text.split())


def _mentioned(page: str, text: str, pattern: re.Pattern[str], by_name: dict[str, list[str]]) -> set[str]:
    found: set[str] = set()
    folder = posixpath.dirname(page)
    text = _nfc(text)
    for match in pattern.finditer(text):
        name = match.group(1)
        written = _nfc(unquote(_folders_before(text, match.start()) + name))
        candidates = by_name.get(_loose(name), [])
        if "/" in written:
            place = written[1:] if written.startswith("/") else posixpath.join(folder, written)
            resolved = _loose(posixpath.normpath(place))
            exact = [path for path in candidates if _loose(path) == resolved]
            found.update(exact or candidates)
        else:
            found.update(candidates)
    return found


#: Characters of the folders written before a file name, looked back over no further than this.
_PATH_CHAR = re.compile(r"[^\s\"'()<>\[\]|!`*]")
_FOLDERS_MAX = 512


def _folders_before(text: str, end: int) -> str:
    """`img/` in `![](img/shot.png)`: the folders written right before a name ending at `end`."""
    if end == 0 or text[end - 1] != "/":
        return ""
    start = end
    while start > 0 and end - start < _FOLDERS_MAX and _PATH_CHAR.match(text, start - 1):
        start -= 1
    return text[start:end]


def _mentions(names: Iterable[str]) -> re.Pattern[str]:
    """Any of `names` (as _loose gives them) as a whole file name, in any case and with any of
    space, `-`, `_` or `%20` between its words: `shot.png`, not the end of `myshot.png`."""
    alternatives = "|".join(_spelled(name) for name in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w%.-])({alternatives})(?![\w-])", re.IGNORECASE)


def _spelled(name: str) -> str:
    return r"(?:[-_ ]|%20)+".join(re.escape(word) for word in name.split(" "))


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


_SNIPPET_LINE = re.compile(r"^\s*;?-{1,3}8<-{1,3}\s*(?:([\"'])(?P<file>[^\"']+)\1)?\s*$")


def snippet_includes(body: str, first_line: int) -> list[tuple[str, int]]:
    """The files a page pulls in with pymdownx.snippets (`--8<-- "file"`, or a block of file
    names between two `--8<--` lines), as (file, line): a held-back file must not reach the site
    inside another page."""
    if "8<-" not in body:
        return []
    found: list[tuple[str, int]] = []
    in_block = False
    for number, line in enumerate(body.split("\n"), start=first_line):
        match = _SNIPPET_LINE.match(line)
        if match and match.group("file"):
            found.append((match.group("file").split(":", 1)[0].strip(), number))
        elif match:
            in_block = not in_block
        elif in_block and line.strip():
            found.append((line.strip().split(":", 1)[0].strip(), number))
    return [(target, number) for target, number in found if "://" not in target]
