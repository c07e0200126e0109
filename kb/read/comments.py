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
    prose = {number - first_line for number, _ in prose_lines(body, first_line)}
    #: (line index, column) where the comment that is open began.
    opened: tuple[int, int] | None = None
    for index, line in enumerate(lines):
        if opened is None and (index not in prose or DELIMITER not in line):
            continue
        spans = _comment_spans(line, opened is not None)
        if spans and spans[-1][1] is None:
            if opened is None:
                opened = (index, spans[-1][0])
        elif spans:
            opened = None
        lines[index] = _blanked(line, [(start, len(line) if end is None else end) for start, end in spans])
    problems = []
    if opened is not None:
        index, column = opened
        problems.append(Tamed(first_line + index, "comment.unclosed",
                              "a comment opens here with '%%' and is never closed, so the rest of the page is hidden, "
                              "as Obsidian hides it; close it with another '%%'", column + 1))
    return "\n".join(lines), problems


def _comment_spans(line: str, inside: bool) -> list[tuple[int, int | None]]:
    """(start, end) of each comment on the line, end None for one still open at its end;
    `inside` when the line begins in a comment opened above."""
    spans: list[tuple[int, int | None]] = []
    start, position = (0, 0) if inside else (None, 0)
    while True:
        if start is None:
            # Outside a comment, `%%` in a code span is text (a span before the comment's end is
            # the comment's, so only the rest of the line is looked at).
            found = mask_code_spans(line[position:]).find(DELIMITER)
            if found < 0:
                return spans
            start = position + found
            position = start + len(DELIMITER)
        else:
            end = line.find(DELIMITER, position)
            if end < 0:
                spans.append((start, None))
                return spans
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
