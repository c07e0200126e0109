"""How a page changed: the front matter keys the story needs, and the undo of each kind of edit.

make_history.py builds the history backwards from the pages as they are, so each kind of edit
is written as its undo: from the text after the edit, the text before it (and a detail for the
commit's subject). Every choice inside a page (which section, which word) comes from a hash.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path


def fraction(*parts: str) -> float:
    """A number in [0, 1) that depends on nothing but `parts`."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return int(digest[:13], 16) / 16**13


def pick(count: int, *parts: str) -> int:
    return int(fraction(*parts) * count)


# Front matter: the few keys the story needs, read without a YAML library (flow lists, block
# lists and plain or quoted scalars, which is how the example writes them).

_KEY = re.compile(r"^([A-Za-z_][\w-]*):\s*(.*?)\s*$")


def split_front(text: str) -> tuple[list[str], list[str]]:
    """The front matter's lines (with both `---`) and the body's lines."""
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() in ("---", "..."):
                return lines[: index + 1], lines[index + 1:]
    return [], lines


def read_meta(text: str) -> dict[str, str | list[str]]:
    front, _ = split_front(text)
    meta: dict[str, str | list[str]] = {}
    key = ""
    for line in front[1:-1]:
        found = _KEY.match(line)
        if found:
            key, value = found.groups()
            if value.startswith("[") and value.endswith("]"):
                meta[key] = [_scalar(item) for item in value[1:-1].split(",") if item.strip()]
            else:
                meta[key] = _scalar(value)
        elif key and line.strip().startswith("- "):
            items = meta.get(key)
            meta[key] = (items if isinstance(items, list) else []) + [_scalar(line.strip()[2:])]
    return meta


def _scalar(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value.split(" #", 1)[0].strip()


def as_list(value: str | list[str] | None) -> list[str]:
    if isinstance(value, list):
        return value
    return [value] if value else []


def title_of(path: str, text: str) -> str:
    title = read_meta(text).get("title")
    if isinstance(title, str) and title:
        return title
    for line in split_front(text)[1]:
        if line.startswith("# "):
            return line[2:].strip()
    return Path(path).stem.replace("-", " ").capitalize()


# The undo of each kind of edit: the text before it, from the text after it, and a detail for
# the commit's subject. Each one changes the text, or the history would hold an empty commit.

def prose_lines(lines: list[str], first: int) -> list[int]:
    """Lines of running text (not code, tables, headings or list markers) from `first` on."""
    found, fenced = [], False
    for index in range(first, len(lines)):
        line = lines[index]
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if not fenced and re.match(r"[A-Za-z]", line):
            found.append(index)
    return found


def _headings(body: list[str]) -> list[int]:
    found, fenced = [], False
    for index, line in enumerate(body):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and line.startswith("## "):
            found.append(index)
    return found


def _blocks(body: list[str]) -> list[tuple[int, int]]:
    """Paragraphs and other blocks, separated by blank lines outside code."""
    found, start, fenced = [], None, False
    for index, line in enumerate(body + [""]):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if line.strip() or fenced:
            start = index if start is None else start
        elif start is not None:
            found.append((start, index))
            start = None
    return found


def growth_steps(text: str) -> int:
    """How many times the page can be made shorter by a section (or, without sections, a block)."""
    _, body = split_front(text)
    headings = _headings(body)
    if headings:
        return len(headings) - (0 if any(line.strip() for line in body[: headings[0]]) else 1)
    return min(len(_blocks(body)) - 1, 2)


def undo_section(text: str, key: str) -> tuple[str, str]:
    """A section was added (any but the first), or on a page without sections, its last block."""
    front, body = split_front(text)
    headings = _headings(body)
    intro = bool(headings) and any(line.strip() for line in body[: headings[0]])
    if headings and len(headings) - (0 if intro else 1) > 0:
        removable = headings if intro else headings[1:]
        start = removable[pick(len(removable), key, "section")]
        heading = body[start][3:].strip()
        later = [index for index in headings if index > start]
        if later:
            end = later[0]
        else:  # the last section goes with the blank lines before it, and the file keeps its last newline
            end = len(body) - 1 if body[-1] == "" else len(body)
            while start > 0 and not body[start - 1].strip():
                start -= 1
        return "\n".join(front + body[:start] + body[end:]), f"add '{heading}'"
    blocks = _blocks(body)
    start, end = blocks[-1]
    while start > 0 and not body[start - 1].strip():
        start -= 1
    return "\n".join(front + body[:start] + body[end:]), "add a paragraph"


def undo_typo(text: str, key: str) -> tuple[str, str]:
    """A typo was fixed: two letters of a long word of running text were the wrong way round."""
    lines = text.split("\n")
    candidates = prose_lines(lines, len(split_front(text)[0]))
    offset = pick(len(candidates), key, "typo") if candidates else 0
    for index in candidates[offset:] + candidates[:offset]:
        words = [m for m in re.finditer(r"\b[a-z]{7,}\b", lines[index]) if m.group()[2] != m.group()[3]]
        if words:
            word = words[pick(len(words), key, "word")].group()
            start = lines[index].index(word)
            lines[index] = lines[index][:start] + word[:2] + word[3] + word[2] + word[4:] + lines[index][start + len(word):]
            return "\n".join(lines), ""
    raise ValueError("no word to misspell")


def undo_review(text: str, key: str) -> tuple[str, str]:
    """The reviewer recorded the review: before it the page had no status and no review."""
    front, body = split_front(text)
    kept = [line for line in front if not re.match(r"(status|reviewed_by|reviewed_on):", line)]
    return "\n".join(kept + body), ""


def undo_handover(text: str, key: str) -> tuple[str, str]:
    """Its owners took the page over: before, it named none (its author has no profile)."""
    front, body = split_front(text)
    kept, skipping = [], False
    for line in front:
        if line.startswith("owners:"):
            skipping = not line[len("owners:"):].strip()  # a block list follows
            continue
        if skipping and line.startswith((" ", "-")):
            continue
        skipping = False
        kept.append(line)
    return "\n".join(kept + body), ""


def undo_tidy(text: str, key: str) -> tuple[str, str]:
    """The bot stripped trailing whitespace: a line or two had some."""
    lines = text.split("\n")
    candidates = [index for index in prose_lines(lines, len(split_front(text)[0])) if lines[index] == lines[index].rstrip()]
    for count in range(1 + pick(2, key, "tidy")):
        index = candidates[pick(len(candidates), key, "tidy", str(count))]
        lines[index] = lines[index].rstrip() + " "
    return "\n".join(lines), ""


def stripped(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.split("\n"))


def retitle(text: str, title: str) -> str:
    return re.sub(r"(?m)^title: .*$", lambda _: f"title: {title}", text, count=1)


UNDO: dict[str, Callable[[str, str], tuple[str, str]]] = {
    "section": undo_section, "typo": undo_typo, "review": undo_review, "handover": undo_handover, "tidy": undo_tidy,
}
