"""Obsidian's comments, `%%text%%` within a line or `%%` lines around a block: Obsidian shows
them while the note is edited, and never when it is read or published. kb hides them the same
way wherever a page's text goes (the page, its summary, headings and links, search, previews);
`kb check` still reads the whole file, so a credential in a comment holds the page back.

In code (fenced blocks and code spans) `%%` is text. A comment that is never closed hides the
rest of the page, as in Obsidian, and is reported where it opens.

A comment becomes spaces, so that every line and column kb reports after it is where the author
wrote it. The spaces it leaves at the end of a line are dropped (two would end the line with a
break), and so are those before text that the comment started the line with (they would indent
that text into a code block): there, the rest of the line moves left.
"""

from __future__ import annotations

from kb.read.body import mask_code_spans, prose_lines
from kb.read.limits import Tamed

DELIMITER = "%%"


def hide_comments(body: str, first_line: int) -> tuple[str, list[Tamed]]:
    """`body` without its comments, and a warning for one that is never closed."""
    if DELIMITER not in body:
        return body, []
    lines = body.split("\n")
    # Which lines are code depends on the comments: a fence or a script inside one is hidden
    # with it. So the prose is read again from the text the comments were hidden from, until it
    # settles (at once, but for a comment that holds a fence or a script).
    prose = _prose(body, first_line)
    for _ in range(_PASSES):
        hidden, opened = _hidden(lines, prose)
        settled = _prose("\n".join(hidden), first_line)
        if settled == prose:
            break
        prose = settled
    problems = []
    if opened is not None:
        index, column = opened
        problems.append(Tamed(first_line + index, "comment.unclosed",
                              "a comment opens here with '%%' and is never closed, so the rest of the page is hidden, "
                              "as Obsidian hides it; close it with another '%%'", column + 1))
    return "\n".join(hidden), problems


#: How often the prose is read again at most (see hide_comments); past that, the last reading stands.
_PASSES = 4


def _prose(body: str, first_line: int) -> frozenset[int]:
    return frozenset(number - first_line for number, _ in prose_lines(body, first_line))


def _hidden(lines: list[str], prose: frozenset[int]) -> tuple[list[str], tuple[int, int] | None]:
    """The lines with their comments blanked, reading `%%` on the prose lines only (and on any
    line inside a comment), and (line index, column) of the comment left open at the end."""
    hidden = list(lines)
    #: (line index, column) where the comment that is open began.
    opened: tuple[int, int] | None = None
    for index, line in enumerate(lines):
        if opened is None and (index not in prose or DELIMITER not in line):
            continue
        spans, last_opening = _comment_spans(line, opened is not None)
        if spans and spans[-1][1] is None:
            if last_opening is not None:
                opened = (index, last_opening)
        elif spans:
            opened = None
        hidden[index] = _blanked(line, [(start, len(line) if end is None else end) for start, end in spans])
    return hidden, opened


def _comment_spans(line: str, inside: bool) -> tuple[list[tuple[int, int | None]], int | None]:
    """(start, end) of each comment on the line, end None for one still open at its end, and
    where the last comment opened on this line began (None if none did); `inside` when the
    line begins in a comment opened above. Outside a comment, `%%` in a code span is text."""
    masked = mask_code_spans(line)
    spans: list[tuple[int, int | None]] = []
    start, position, opening = (0, 0, None) if inside else (None, 0, None)
    while True:
        if start is None:
            start = masked.find(DELIMITER, position)
            if start < 0:
                return spans, opening
            opening = start
            position = start + len(DELIMITER)
        else:
            end = line.find(DELIMITER, position)
            if end < 0:
                spans.append((start, None))
                return spans, opening
            position = end + len(DELIMITER)
            spans.append((start, position))
            start = None


def _blanked(line: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return line
    chars = list(line)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    blanked = "".join(chars)
    if not blanked.strip():
        return ""
    indent = len(line) - len(line.lstrip(" \t"))
    if spans[0][0] <= indent:
        blanked = line[:indent] + blanked.lstrip(" \t")
    if spans[-1][1] >= len(line.rstrip(" \t")):
        blanked = blanked.rstrip(" \t")
    return blanked
