"""What kb reads from a page body before it is rendered: headings, the first paragraph and the
links it writes, each with its line and column in the file.

This is a line scanner, not a Markdown renderer: it only needs to know which lines are fenced
code (never scanned) and where inline code spans are (their brackets are not links).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kb.model import Heading, LinkRef

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_BACKTICKS = re.compile(r"`+")
# One level of nested brackets in the text, written so that no input makes the scan quadratic.
_INLINE_LINK = re.compile(r"!?\[[^\[\]]*(?:\[[^\[\]]*\][^\[\]]*)*\]\(\s*(<[^>\n]*>|[^()\s]+)(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?")
_NOT_PARAGRAPH = re.compile(r"^ {0,3}(?:[-*+] |\d+[.)] |>|\||<|!!!|\?\?\?|:::|\[[^\]]+\]:|\{)")
_INLINE_MARKUP = [
    (re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)"), r"\1"),
    (re.compile(r"!?\[([^\[\]]*)\]\[[^\[\]]*\]"), r"\1"),
    (re.compile(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]"), r"\1"),
    (re.compile(r"`+([^`]*)`+"), r"\1"),
    (re.compile(r"(\*\*|__|\*|_|~~)(\S(?:.*?\S)?)\1"), r"\2"),
    (re.compile(r"<[^>]+>"), ""),
]
SUMMARY_LIMIT = 300
#: Text kb shows in one line (a summary, a heading) never needs more than this much source.
_INLINE_SOURCE_LIMIT = 2000


def prose_lines(body: str, first_line: int) -> Iterator[tuple[int, str]]:
    """Yield (file line number, text) for every body line outside fenced code blocks."""
    fence: str | None = None
    for offset, line in enumerate(body.split("\n")):
        match = _FENCE.match(line)
        if fence is None:
            if match:
                fence = match.group(1)
                continue
            yield first_line + offset, line
        elif match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
            fence = None


def scan_headings(body: str, first_line: int) -> tuple[Heading, ...]:
    headings: list[Heading] = []
    previous: tuple[int, str] | None = None
    for number, line in prose_lines(body, first_line):
        atx = _ATX.match(line)
        if atx:
            headings.append(Heading(len(atx.group(1)), clean_inline(atx.group(2) or ""), number))
            previous = None
            continue
        setext = _SETEXT.match(line)
        if setext and previous and previous[0] == number - 1 and not _NOT_PARAGRAPH.match(previous[1]):
            level = 1 if setext.group(1)[0] == "=" else 2
            headings.append(Heading(level, clean_inline(previous[1]), previous[0]))
            previous = None
            continue
        previous = (number, line) if line.strip() else None
    return tuple(headings)


def scan_links(body: str, first_line: int) -> tuple[LinkRef, ...]:
    """Inline links `[text](target)`, images `![alt](target)` and reference definitions
    `[ref]: target`."""
    links: list[LinkRef] = []
    for number, line in prose_lines(body, first_line):
        if "[" not in line:
            continue
        masked = mask_code_spans(line)
        definition = _REFERENCE_DEFINITION.match(masked)
        if definition:
            links.append(LinkRef(definition.group(1), number, definition.start(1) + 1))
            continue
        for match in _INLINE_LINK.finditer(masked):
            target = match.group(1)
            if target.startswith("<"):
                target = target[1:-1]
            links.append(LinkRef(target, number, match.start() + 1))
    return tuple(links)


def mask_code_spans(line: str) -> str:
    """Replace inline code spans by spaces, keeping every other column where it was.

    A span opens with a run of backticks and closes at the next run of the same length; runs
    are paired in one pass, so a line of thousands of backticks costs no more than its length."""
    if "`" not in line:
        return line
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(line)]
    # For each run, the index of the next run of the same length.
    next_same: dict[int, int] = {}
    last_of_length: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        if length in last_of_length:
            next_same[index] = last_of_length[length]
        last_of_length[length] = index
    chars = list(line)
    index = 0
    while index < len(runs):
        closing = next_same.get(index)
        if closing is None:
            index += 1
            continue
        start, end = runs[index][0], runs[closing][1]
        chars[start:end] = " " * (end - start)
        index = closing + 1
    return "".join(chars)


def first_paragraph(body: str) -> str:
    """The text of the first paragraph of prose, without Markdown markup, shortened."""
    collected: list[str] = []
    for _, line in prose_lines(body, 1):
        stripped = line.strip()
        if not stripped:
            if collected:
                break
            continue
        if _SETEXT.match(line):
            # The lines above were a heading, not a paragraph.
            collected = []
            continue
        if _ATX.match(line) or _NOT_PARAGRAPH.match(line):
            if collected:
                break
            continue
        collected.append(stripped)
        if sum(map(len, collected)) > _INLINE_SOURCE_LIMIT:
            break
    return shorten(clean_inline(" ".join(collected)), SUMMARY_LIMIT)


def clean_inline(text: str) -> str:
    """Plain text of one line of Markdown: links become their text, emphasis and tags go."""
    text = text[:_INLINE_SOURCE_LIMIT]
    for pattern, replacement in _INLINE_MARKUP:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"
