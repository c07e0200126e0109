"""What kb reads from a page body before it is rendered: headings, the first paragraph and the
links it writes, each with its line and column in the file.

This is a line scanner, not a Markdown renderer: it only needs to know which lines are fenced
code (never scanned) and where inline code spans are (their brackets are not links).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from kb.model import Heading, LinkKind, LinkRef

#: A fence: at the start of a line, or indented or quoted (`>`) inside a container; see prose_lines.
_FENCE = re.compile(r"^((?:[ \t]*>)*)([ \t]*)(`{3,}|~{3,})")
#: A line that opens a script or style element or an HTML comment, which Python-Markdown leaves raw up to its end.
_RAW_ELEMENT = re.compile(r" {0,3}<(?:(script|style)(?=[\s>/]|$)|(!--))", re.IGNORECASE)
#: A line that opens a block whose indented lines belong to it: an admonition or collapsible
#: block, a content tab, a list item. A fence indented under one is a fence (SuperFences).
_CONTAINER = re.compile(r"^[ \t]*(?:!!!|\?\?\?\+?|===|[-*+][ \t]|\d+[.)][ \t])")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_BACKTICKS = re.compile(r"`+")
# One level of nested brackets in the text, written so that no input makes the scan quadratic.
_INLINE_LINK = re.compile(r"!?\[[^\[\]]*(?:\[[^\[\]]*\][^\[\]]*)*\]\(\s*(<[^>\n]*>|[^()\s]+)(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
#: What separates a wikilink's label: `|`, or `\|` as Obsidian writes it in a table cell so that
#: the cell does not end there. An inline processor sees `\|` as Python-Markdown's escape left it
#: (STX, the character's code, ETX) when the tables extension is on.
_LABEL_PIPE = r"(?:\\?\||\x02124\x03)"
#: A character of a name or heading: anything but brackets, a new line and the pipes above.
_NAME_CHAR = r"(?:[^\[\]|#\n\\\x02]|\\(?!\|)|\x02(?!124\x03))"
#: `[[Target#Heading|label]]` and `![[embed]]`: groups are the "!", name, heading and label.
WIKILINK_PATTERN = rf"(!?)\[\[({_NAME_CHAR}*)(?:#((?:{_NAME_CHAR}|#)*))?(?:{_LABEL_PIPE}([^\[\]\n]*))?\]\]"
_WIKILINK = re.compile(WIKILINK_PATTERN)
_LINE_MARKER = re.compile(r"^(?:[-*+]\s+|\d+[.)]\s+|>\s*|#{1,6}\s+|\|\s*)+")
# `[^1]: text` is a footnote, not a link definition.
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:\s*<?([^\s>]+)>?")
#: Obsidian's block id, at the end of a block's last line or on a line of its own after the block:
#: `A paragraph. ^step-1`. `[[page#^step-1]]` links to that block.
BLOCK_ID = re.compile(r"(?:^|\s)\^([A-Za-z0-9-]+)[ \t]*$")
_BLOCK_IDS = re.compile(BLOCK_ID.pattern, re.MULTILINE)
#: A list item's own line (Python-Markdown has no `1)` items), and a line that ends the
#: paragraph above it: a heading, a quote, a rule, the end tag of a block marked `markdown`.
_LIST_ITEM_LINE = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}\.)[ \t]")
_BLOCK_AFTER = re.compile(r" {0,3}(?:#|>|</|(?:\*[ \t]*){3,}$|(?:_[ \t]*){3,}$)")
#: A footnote's first line, whose paragraph ends in the footnotes' link back, not in an id.
_FOOTNOTE = re.compile(r" {0,3}\[\^[^\]]+\]:")
#: The quote marks a line starts with.
_QUOTED = re.compile(r"(?:[ ]{0,3}>[ ]?)+")
_NOT_PARAGRAPH = re.compile(r"^ {0,3}(?:[-*+] |\d+[.)] |>|\||<|!!!|\?\?\?|:::|\[[^\]]+\]:|\{)")
_BLOCK_STARTS = frozenset("-*+0123456789>|<!?:[{")
#: (pattern, replacement, what every match of the pattern holds: a pattern is tried only when the text has one).
_INLINE_MARKUP: list[tuple[re.Pattern[str], Any, tuple[str, ...]]] = [
    (re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)"), r"\1", ("](",)),
    (re.compile(r"!?\[([^\[\]]*)\]\[[^\[\]]*\]"), r"\1", ("][",)),
    (_WIKILINK, lambda m: wikilink_text(m.group(2), m.group(3) or "", m.group(4) or ""), ("[[",)),
    (re.compile(r"`+([^`]*)`+"), r"\1", ("`",)),
    (re.compile(r"(\*\*|__|\*|_|~~)(\S(?:.*?\S)?)\1"), r"\2", ("*", "_", "~~")),
    (re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL), "", ("<",)),
    (re.compile(r"<[^>]+>"), "", ("<",)),
]
SUMMARY_LIMIT = 300
_MARKUP_CHARACTER = re.compile(r"[\[`*_~<]")
#: Text kb shows in one line (a summary, a heading) never needs more than this much source.
_INLINE_SOURCE_LIMIT = 2000


def prose_lines(body: str, first_line: int) -> Iterator[tuple[int, str]]:
    """Yield (file line number, text) for every body line outside fenced code blocks and outside
    script and style elements and HTML comments (from the line that opens one to the line that
    closes it, or to the end: Python-Markdown passes them on as they are, and their text is never
    read; a line that closes one it opened and goes on is prose). A fence
    that is never closed is no code block to Python-Markdown: its lines are prose after all.

    A fence opens at the start of a line, after `>` (a quote or an Obsidian callout), or
    indented under a container (an admonition, a content tab, a list item: the nearest line
    above that is less indented opens one), as SuperFences reads them. An indented fence
    anywhere else is text to Python-Markdown, and so are the links under it."""
    lines = body.split("\n")
    if "```" not in body and "~~~" not in body and not _may_open_raw(body):
        # No line can open a fence, a script or a comment (most pages): every line is prose.
        yield from enumerate(lines, first_line)
        return
    for number, line, kind in _classified(lines, first_line):
        if kind is _PROSE:
            yield number, line


def without_raw_elements(body: str) -> str:
    """The body with the lines of its script and style elements and HTML comments left empty,
    as prose_lines finds them, and every other line as it is."""
    if not _may_open_raw(body):
        return body
    return "\n".join("" if kind is _RAW else line for _, line, kind in _classified(body.split("\n"), 1))


def _may_open_raw(body: str) -> bool:
    return "<s" in body or "<S" in body or "<!--" in body


_PROSE, _CODE, _RAW = "prose", "code", "raw"


def _classified(lines: list[str], first_line: int) -> Iterator[tuple[int, str, str]]:
    """(file line number, text, kind) of every line, in order: _PROSE, _CODE (a fenced block
    with its fences) or _RAW (a script or style element, an HTML comment); see prose_lines."""
    fence: str | None = None
    #: What ends the raw element open at the line: its end tag, or `-->` for a comment.
    raw: str | None = None
    fenced: list[tuple[int, str]] = []
    # (indent, opens a container) of the lines above, each less indented than the one after it.
    outline: list[tuple[int, bool]] = []
    for number, line in enumerate(lines, first_line):
        if raw is not None:
            if raw in line.lower():
                raw = None
            yield number, line, _RAW
            continue
        if fence is None:
            if not line.strip():
                # A blank line neither opens a fence nor closes a container.
                yield number, line, _PROSE
                continue
            if "<" in line and (element := _RAW_ELEMENT.match(line)):
                name = (element.group(1) or element.group(2)).lower()
                closing = "-->" if name == "!--" else f"</{name}"
                rest = line[element.end():].lower()
                ends = rest.find(closing)
                if ends < 0:
                    raw = closing
                    yield number, line, _RAW
                    continue
                if not rest[rest.find(">", ends) + 1:].strip():
                    # Closed on its line, with nothing after it: the line is the element's.
                    yield number, line, _RAW
                    continue
                # Text after it on the line is a paragraph, as the renderer reads it.
            indent = indent_width(line)
            while outline and outline[-1][0] >= indent:
                outline.pop()
            match = _FENCE.match(line) if "```" in line or "~~~" in line else None
            if match and (not match.group(2) or match.group(1) or (outline and outline[-1][1])):
                fence = match.group(3)
                fenced = [(number, line)]
                continue
            outline.append((indent, _CONTAINER.match(line) is not None))
            yield number, line, _PROSE
        elif (match := _FENCE.match(line)) and match.group(3)[0] == fence[0] and len(match.group(3)) >= len(fence) \
                and not line[match.end():].strip():
            # A closing fence is the fence alone: `~~~yaml` opens another block, it does not close one.
            fence = None
            yield from ((fenced_number, fenced_line, _CODE) for fenced_number, fenced_line in fenced)
            yield number, line, _CODE
        else:
            fenced.append((number, line))
    if fence is not None:
        # Never closed: no code block to Python-Markdown, and its lines are prose after all.
        yield from ((fenced_number, fenced_line, _PROSE) for fenced_number, fenced_line in fenced)


def indent_width(line: str) -> int:
    """The columns of space a line starts with, a tab to the next multiple of four."""
    lead = len(line) - len(line.lstrip(" \t"))
    return len(line[:lead].expandtabs(4)) if "\t" in line[:lead] else lead


def scan_body(body: str, first_line: int) -> tuple[tuple[Heading, ...], tuple[LinkRef, ...]]:
    """Headings and links in one pass over the body's prose lines."""
    headings: list[Heading] = []
    #: The blocks with a "[" in them: only they can hold a link.
    blocks: list[list[tuple[int, str]]] = []
    block: list[tuple[int, str]] = []
    block_has_bracket = False
    has_bracket = "[" in body
    previous: tuple[int, str] | None = None
    for number, line in prose_lines(body, first_line):
        stripped = line.strip()
        atx = _ATX.match(line) if stripped.startswith("#") else None
        if atx:
            headings.append(Heading(len(atx.group(1)), clean_inline(atx.group(2) or ""), number))
            previous = None
        elif previous and previous[0] == number - 1 and (setext := _SETEXT.match(line)):
            if not _NOT_PARAGRAPH.match(previous[1]):
                headings.append(Heading(1 if setext.group(1)[0] == "=" else 2, clean_inline(previous[1]), previous[0]))
            previous = None
        else:
            previous = (number, line) if stripped else None
        if not has_bracket:
            continue
        # Blocks: paragraphs, and each heading, list item, quote or table line on its own.
        # (_NOT_PARAGRAPH can only match a line whose first character past its spaces is one of
        # _BLOCK_STARTS or, for `\d`, a digit past ASCII: most lines are not tried.)
        first = stripped[:1]
        if not stripped or atx or ((first in _BLOCK_STARTS or not first.isascii()) and _NOT_PARAGRAPH.match(line)):
            if block_has_bracket:
                blocks.append(block)
            block, block_has_bracket = [], False
            if not stripped:
                continue
        block.append((number, line))
        block_has_bracket = block_has_bracket or "[" in line
    if block_has_bracket:
        blocks.append(block)
    links = [ref for lines in blocks for ref in _block_links(lines)]
    return tuple(headings), tuple(links)


def scan_headings(body: str, first_line: int) -> tuple[Heading, ...]:
    return scan_body(body, first_line)[0]


def scan_links(body: str, first_line: int) -> tuple[LinkRef, ...]:
    """Every link the body writes: `[text](target)`, `![alt](image)`, `[ref]: target`,
    `[[Target#Heading|label]]` and `![[file]]`, each with the sentence around it."""
    return scan_body(body, first_line)[1]


def _block_links(lines: list[tuple[int, str]]) -> list[LinkRef]:
    """The links of one block of lines, each with its sentence from the block's joined text."""
    starts, offset = [], 0
    for _, line in lines:
        starts.append(offset)
        offset += len(line) + 1
    # A block id ending a line is no part of the sentence (kb.render.blocks): blanked, so that
    # every column stays where it was.
    joined = " ".join(_blank_block_id(line) for _, line in lines)
    links: list[LinkRef] = []
    for (number, line), offset in zip(lines, starts, strict=True):
        if "[" not in line:
            continue
        # (start, end, target, kind, anchor, label) of each link on the line.
        found: list[tuple[int, int, str, LinkKind, str, str]] = []
        masked = mask_code_spans(line)
        definition = _REFERENCE_DEFINITION.match(masked)
        if definition:
            target, anchor = _split_anchor(definition.group(1))
            found.append((definition.start(1), definition.end(1), target, LinkKind.MARKDOWN, anchor, ""))
        else:
            for match in _INLINE_LINK.finditer(masked):
                raw, whole = match.group(1), match.group(0)
                target, anchor = _split_anchor(raw[1:-1] if raw.startswith("<") else raw)
                kind = LinkKind.IMAGE if whole.startswith("!") else LinkKind.MARKDOWN
                label = whole[2 if kind is LinkKind.IMAGE else 1 : whole.index("](")]
                found.append((match.start(), match.end(), target, kind, anchor, label))
        if "[[" in masked:
            for match in _WIKILINK.finditer(masked):
                if match.start() > 0 and masked[match.start() - 1] == "\\":
                    continue
                kind = LinkKind.EMBED if match.group(1) else LinkKind.WIKI
                anchor, label = (match.group(3) or "").strip(), (match.group(4) or "").strip()
                found.append((match.start(), match.end(), match.group(2).strip(), kind, anchor, label))
        for start, end, target, kind, anchor, label in sorted(found, key=lambda item: item[0]):
            # A sentence costs its window's worth of work: past a few hundred links in a block
            # (a generated index, an attack), each link is its own context.
            context = (_sentence(joined, offset + start, offset + end) if len(links) < CONTEXTS_PER_BLOCK
                       else clean_inline(line[start:end]))
            links.append(LinkRef(target, number, start + 1, kind, anchor, label, context))
    return links


_SENTENCE_END = re.compile(r"[.!?][\"')\]]*(?=\s|$)")
CONTEXT_LIMIT = 240
CONTEXTS_PER_BLOCK = 200


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence of `text` around the span start:end, as plain text."""
    # A sentence longer than the context shown is cut anyway: look no further than that.
    window_start = max(0, start - CONTEXT_LIMIT)
    ends = list(_SENTENCE_END.finditer(text, window_start, start))
    sentence_start = ends[-1].end() if ends else window_start
    after = _SENTENCE_END.search(text, end, min(len(text), end + CONTEXT_LIMIT))
    sentence_end = after.end() if after else min(len(text), end + CONTEXT_LIMIT)
    source = text[sentence_start:sentence_end].strip()
    source = _LINE_MARKER.sub("", source)
    return shorten(clean_inline(source), CONTEXT_LIMIT)


def _split_anchor(target: str) -> tuple[str, str]:
    path, _, anchor = target.partition("#")
    return path.split("?", 1)[0], anchor


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
        if "^" in stripped:
            stripped = BLOCK_ID.sub("", stripped).strip()
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


@functools.lru_cache(maxsize=1024)
def block_ids(body: str) -> frozenset[str]:
    """The block ids the body gives (BLOCK_ID), without their `^`, where kb.render.blocks takes
    them: at the end of a list item's own line (one that starts a list, or follows an item), and
    at the end of a block's last line (the line after it, at the same depth of quotes, blank, a
    heading, a rule, an end tag, or none); never in a heading or a footnote. Kept for the pages
    last asked about: every block link to a page asks for its ids."""
    if "^" not in body:
        return frozenset()
    lines = [(number, *_unquoted(line)) for number, line in prose_lines(body, 1)]
    found: set[str] = set()
    for index, (number, depth, line) in enumerate(lines):
        if "^" not in line or (block_id := BLOCK_ID.search(line)) is None or _ATX.match(line) or _FOOTNOTE.match(line):
            continue
        before = lines[index - 1] if index else None
        after = lines[index + 1] if index + 1 < len(lines) else None
        starts_item = _LIST_ITEM_LINE.match(line) is not None and (
            before is None or before[0] != number - 1 or before[1] != depth or not before[2].strip()
            or _LIST_ITEM_LINE.match(before[2]) is not None or before[2][:1] in " \t"
            or (depth > 0 and before[2].startswith("[!")))  # a callout's lines are blocks of their own
        ends_block = (after is None or after[0] != number + 1 or after[1] != depth or not after[2].strip()
                      or _BLOCK_AFTER.match(after[2]) is not None)
        if starts_item or ends_block:
            found.add(block_id.group(1))
    return frozenset(found)


def _unquoted(line: str) -> tuple[int, str]:
    """How many quotes deep a line is, and its text inside them."""
    quoted = _QUOTED.match(line) if ">" in line else None
    return (0, line) if quoted is None else (quoted.group().count(">"), line[quoted.end():])


def _blank_block_id(line: str) -> str:
    found = BLOCK_ID.search(line) if "^" in line else None
    return line if found is None else line[: found.start()] + " " * (found.end() - found.start())


def without_block_ids(text: str) -> str:
    """`text` without the block ids that end its lines, which no page shows as text."""
    return _BLOCK_IDS.sub("", text) if "^" in text else text


def wikilink_text(name: str, anchor: str, label: str) -> str:
    """What a wikilink shows: its label, else the name and heading it was written with."""
    name, anchor, label = name.strip(), anchor.strip(), label.strip()
    return label or " › ".join(part for part in (name, anchor) if part)


def clean_inline(text: str) -> str:
    """Plain text of one line of Markdown: links become their text, emphasis and tags go."""
    text = text[:_INLINE_SOURCE_LIMIT]
    if not _MARKUP_CHARACTER.search(text):
        return " ".join(text.split())
    for pattern, replacement, needles in _INLINE_MARKUP:
        if any(needle in text for needle in needles):
            text = pattern.sub(replacement, text)
    return " ".join(text.split())


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"
