"""Limits that keep one bad page from stalling or crashing a build.

The Markdown renderer recurses once per level of nesting, and crashes a few hundred levels down:
lists and quotes (`- - - …` on one line, or lines indented ever deeper), admonitions, elements
inside an HTML element marked `markdown`, and emphasis (`**a **b …` over the lines of one
paragraph). It also scans brackets quadratically (a 16 KB line of `[[x|` takes it 13 s). kb renders
what it parsed, so it tames such pages before they reach the renderer, the same for `kb check` and
the build: nesting past the limit is flattened, or shown as text, and brackets on an over-long line
are shown as text, each kind of problem with one warning at its first place.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from kb.read.body import BLOCK_ID, indent_width, mask_code_spans, prose_lines

#: Defaults; a site changes them through the `limits` plugin option.
PAGE_WARN_BYTES = 1 << 20
PAGE_MAX_BYTES = 4 << 20
LINE_MAX_CHARS = 5000
NESTING_MAX = 32
#: Seconds one page may take in one stage (reading, rendering) before it is held back.
PAGE_SECONDS = 10.0
#: Emphasis markers that may be open at one point of a paragraph (see _tame_emphasis). Every level
#: of emphasis takes at least one, and the renderer crashes near 800 levels.
EMPHASIS_MAX = 128


@dataclass(frozen=True)
class Limits:
    page_warn_bytes: int = PAGE_WARN_BYTES
    page_max_bytes: int = PAGE_MAX_BYTES
    line_max_chars: int = LINE_MAX_CHARS
    nesting_max: int = NESTING_MAX
    page_seconds: float = PAGE_SECONDS


@dataclass(frozen=True)
class Tamed:
    line: int
    code: str
    message: str
    col: int = 1


#: What can nest where a line starts: space, quotes and list markers, in a stretch too long to be
#: within the limit (each level takes a character at least): see _flatten.
_STRUCTURE_TOKEN = re.compile(r"[ \t]+|>|[-*+]|\d{1,9}[.)]")
#: Emphasis markers: Python-Markdown's `*` and `_`, pymdownx's `~` (delete, subscript), `==` and `^`.
_EMPHASIS = re.compile(r"\*+|_+|~+|=+|\^+")
_EMPHASIS_ESCAPED = {"*": "\\*", "_": "\\_", "~": "&#126;", "=": "&#61;", "^": "&#94;"}
#: Where markers are not emphasis: link targets, HTML tags and autolinks, bare URLs.
_NOT_TEXT = re.compile(r"\]\([^()\s]*\)?|<[^<>\n]*>|\b[a-z][a-z0-9+.-]*://[^\s<>()\[\]]*", re.IGNORECASE)
#: A list item's first line, as Python-Markdown reads one (`1)` is text to it, so it is not one here).
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}\.)[ \t]")
#: An HTML tag, without reading quoted values (a `>` in one ends it early: it costs no more than a line).
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^<>]*)>")
#: Elements whose start ends an open one of their kind: `<li>a<li>b` are two items, not nested.
_ENDS_ITS_LIKE = frozenset({"p", "li", "dt", "dd", "tr", "td", "th", "option", "rb", "rt", "rp"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"})


def tame_markdown(body: str, first_line: int, limits: Limits) -> tuple[str, list[Tamed]]:
    """`body` with over-deep nesting flattened or shown as text, and over-long lines' brackets escaped."""
    nesting = _may_nest_too_deep(body, limits.nesting_max) and _structure_run(limits.nesting_max).search(body) is not None
    emphasis = sum(body.count(marker) for marker in _EMPHASIS_ESCAPED) > EMPHASIS_MAX
    html = body.count("<") > limits.nesting_max
    long = len(body) > limits.line_max_chars and max(map(len, body.split("\n"))) > limits.line_max_chars
    if not (nesting or emphasis or html or long):
        return body, []
    found: list[tuple[str, Tamed]] = []
    lines = body.split("\n")
    # Fenced code is shown as it is, and costs the renderer nothing.
    prose = [number - first_line for number, _ in prose_lines(body, first_line)]
    for index in prose:
        line, number = lines[index], first_line + index
        if nesting:
            line = _flatten(line, number, limits.nesting_max, found)
        if len(line) > limits.line_max_chars:
            found.append(("long", Tamed(number, "page.long-line",
                                        f"the line is {len(line)} characters long (limit {limits.line_max_chars}); "
                                        "its brackets are shown as text")))
            line = line.replace("[", "\\[").replace("]", "\\]")
        lines[index] = line
    if emphasis:
        for group in _paragraphs(lines, prose):
            _tame_emphasis(lines, group, first_line, found)
    if html:  # after emphasis, which reads a tag as a tag only while it is one
        _tame_html(lines, prose, first_line, limits.nesting_max, found)
    return "\n".join(lines), _first_of_each(found)


def _flatten(line: str, number: int, nesting_max: int, found: list[tuple[str, Tamed]]) -> str:
    """The line with each stretch of what can nest (quotes, list markers, and a level for every
    four columns of space) cut to `nesting_max` levels. Not only at the start of the line: the
    renderer puts what follows a block-level HTML tag on a line of its own."""
    shown: list[str] = []
    done, col = 0, 0
    for run in _structure_run(nesting_max).finditer(line):
        if run.start() and line[run.start() - 1] not in ">:" and not run.group().strip():
            # Space inside a line's text (a table row padded to its column) is text; the renderer
            # reads blocks only at the line's start and after a tag or a label's colon
            # (`<div>`, `[^1]:`, a definition's `:`).
            continue
        tokens = _STRUCTURE_TOKEN.findall(run.group())
        if sum(map(_levels, tokens)) <= nesting_max:
            continue
        budget, position, kept = nesting_max, run.start(), []
        for token in tokens:
            if _levels(token) > budget:
                col = col or position + 1
                if token[0] in " \t" and budget:
                    kept.append(" " * (4 * budget))
                elif kept and kept[-1][0] not in " \t":
                    kept.append(" ")
                break
            kept.append(token)
            budget -= _levels(token)
            position += len(token)
        shown += [line[done : run.start()], *kept]
        done = run.end()
    if not shown:
        return line
    found.append(("nesting", Tamed(number, "page.deep-nesting",
                                   f"quotes, lists and indentation nested deeper than {nesting_max} levels on one line "
                                   "are shown at that depth", col)))
    return "".join(shown) + line[done:]


@functools.cache
def _structure_run(nesting_max: int) -> re.Pattern[str]:
    """A stretch of _STRUCTURE_TOKEN long enough to pass `nesting_max` levels."""
    return re.compile(rf"(?:[ \t]|>|(?:[-*+]|\d{{1,9}}[.)])(?=[ \t])){{{nesting_max + 1},}}")


@functools.cache
def _structure_characters(nesting_max: int) -> re.Pattern[str]:
    """What every _structure_run has: as many characters in a row that can be part of one. A
    third of the cost of looking for the run itself, which tries its alternatives at every space."""
    return re.compile(rf"[ \t>*+\-\d.)]{{{nesting_max + 1}}}")


#: Each byte of a page's UTF-8 as "#" where it may belong to _structure_characters: an ASCII one
#: of them, or any byte of a character past ASCII (which may be a digit to `\d`); else ".".
_MAYBE_STRUCTURE = bytes(ord("#") if byte >= 0x80 or chr(byte) in " \t>*+-0123456789.)" else ord(".") for byte in range(256))


def _may_nest_too_deep(body: str, nesting_max: int) -> bool:
    """Whether `body` has as many characters of _structure_characters in a row as it takes to
    pass `nesting_max` levels. Read as bytes first, which costs a tenth of the pattern: no run of
    "#" that long, no run of such characters, and most pages end there."""
    if b"#" * (nesting_max + 1) not in body.encode("utf-8", "surrogatepass").translate(_MAYBE_STRUCTURE):
        return False
    return _structure_characters(nesting_max).search(body) is not None


def _levels(token: str) -> int:
    """How many levels of nesting a token of _STRUCTURE_TOKEN can make."""
    return _columns(token) // 4 if token[0] in " \t" else 1


def _columns(space: str) -> int:
    """How wide leading space is, with tabs to the next multiple of four, as Python-Markdown reads them."""
    width = 0
    for char in space:
        width = width + 4 - width % 4 if char == "\t" else width + 1
    return width


def _tame_html(lines: list[str], prose: list[int], first_line: int, nesting_max: int,
               found: list[tuple[str, Tamed]]) -> None:
    """Show as text the HTML tags nested deeper than `nesting_max`: inside an element marked
    `markdown` (md_in_html) Python-Markdown recurses once per level, and the sanitiser takes time
    that grows with the square of the depth."""
    stack: list[tuple[str, bool]] = []  # (tag name, shown as text)
    for index in prose:
        line = lines[index]
        if "<" not in line:
            continue
        escaped: list[int] = []
        for tag in _TAG.finditer(mask_code_spans(line)):
            closing, name, attributes = tag.group(1), tag.group(2).lower(), tag.group(3)
            if name in _VOID or attributes.rstrip().endswith("/"):
                continue
            # `</p>`, and a `<p>` or `<li>` that ends the one before it, as browsers read them.
            depth = next((depth for depth in range(len(stack) - 1, -1, -1) if stack[depth][0] == name), None)
            if closing or name in _ENDS_ITS_LIKE:
                if depth is not None:
                    if closing and stack[depth][1]:
                        escaped.append(tag.start())
                    del stack[depth:]
                if closing:
                    continue
            stack.append((name, len(stack) >= nesting_max))
            if stack[-1][1]:
                escaped.append(tag.start())
        if escaped:
            found.append(("html", Tamed(first_line + index, "page.deep-nesting",
                                        f"HTML elements nested deeper than {nesting_max} levels are shown as text",
                                        escaped[0] + 1)))
            for start in reversed(escaped):
                line = line[:start] + "&lt;" + line[start + 1:]
            lines[index] = line


def _paragraphs(lines: list[str], prose: list[int]) -> list[list[int]]:
    """The lines of each stretch of text the renderer reads emphasis within: between blank lines,
    each heading, and in a list, each item no further in than its first (a list of `- **Term**:
    text` lines pairs its markers item by item, and counted as one paragraph it would be tamed
    after thirty items). Taking a stretch for longer than the renderer does only makes kb count
    more markers; a line that only looks like an item, in a paragraph that is not a list, stays
    in its paragraph."""
    groups: list[list[int]] = [[]]
    in_list, list_indent = False, 0
    for index in prose:
        line = lines[index]
        if not line.strip():
            if groups[-1]:
                groups.append([])
            continue
        if line.startswith("#"):
            # A heading is a block of its own wherever it is (Python-Markdown's `#Title` too).
            groups += [[index], []]
            continue
        item = _LIST_ITEM.match(line) is not None
        if not groups[-1]:
            in_list, list_indent = item, indent_width(line)
        elif in_list and item and indent_width(line) <= list_indent + 3:
            # An item of the list, or of a list around it. One indented further may be text the
            # renderer joins to the item above (eight columns in, it is): it stays in its group.
            groups.append([])
        groups[-1].append(index)
    return [group for group in groups if group]


def _tame_emphasis(lines: list[str], group: list[int], first_line: int, found: list[tuple[str, Tamed]]) -> None:
    """Show as written the emphasis markers of a paragraph that could nest deeper than
    EMPHASIS_MAX markers.

    How deep emphasis nests is bounded by the markers still open. kb counts more of them open than
    any of the renderer's modes can (Python-Markdown's own, pymdownx's with or without its
    punctuation and "smart" rules): a run that could open emphasis in any of them counts as open,
    and only a run that can do nothing but close (text before it, a space or the end of the line
    after it) closes what is open, as each of them pairs it (see _close). tests/test_limits.py
    draws nestings to check that no tamed page makes the renderer recurse too deep."""
    if sum(lines[index].count(marker) for index in group for marker in _EMPHASIS_ESCAPED) <= EMPHASIS_MAX:
        return
    open_runs: dict[str, list[int]] = {marker: [] for marker in _EMPHASIS_ESCAPED}
    depth = 0
    for index in group:
        line = lines[index]
        masked = _masked(line)
        cuts: list[tuple[int, int]] = []
        for run in _EMPHASIS.finditer(masked):
            start, end = run.span()
            before = masked[start - 1] if start else " "
            after = masked[end] if end < len(masked) else " "
            if before.isspace() and after.isspace():
                continue  # it can neither open nor close
            marker, runs = masked[start], open_runs[masked[start]]
            if not before.isspace() and after.isspace():
                depth -= _close(runs, end - start, marker)
                continue
            size = min(end - start, EMPHASIS_MAX - depth)
            if size:
                runs.append(size)
                depth += size
            if size < end - start:
                cuts.append((start + size, end))
        if not cuts:
            continue
        found.append(("emphasis", Tamed(first_line + index, "page.deep-nesting",
                                        f"emphasis markers (* _ ~ = ^) that would nest deeper than {EMPHASIS_MAX} are "
                                        "shown as written", cuts[0][0] + 1)))
        for start, end in reversed(cuts):
            line = line[:start] + "".join(_EMPHASIS_ESCAPED[char] for char in line[start:end]) + line[end:]
        lines[index] = line


def _close(runs: list[int], size: int, marker: str) -> int:
    """How many open markers a closing run of `size` closes for certain: Python-Markdown pairs
    `*` and `_` with what is open, a marker at a time; pymdownx pairs `~`, `=` and `^` only with
    an open run of the same length (`~~` with `~~`, `~` with `~`)."""
    if marker in "~=^":
        if runs and runs[-1] == size:
            return runs.pop()
        return 0
    closed = 0
    while size and runs:
        taken = min(size, runs[-1])
        size -= taken
        closed += taken
        runs[-1] -= taken
        if not runs[-1]:
            runs.pop()
    return closed


def _masked(line: str) -> str:
    """The line with code spans, link targets, tags and URLs made letters: no marker there is
    emphasis, and a marker beside them is as if beside text."""
    masked = mask_code_spans(line)
    masked = "".join("x" if new != old else new for new, old in zip(masked, line, strict=True)) if masked != line else line
    if "^" in masked and (block_id := BLOCK_ID.search(masked)) is not None:
        # Obsidian's block id (`… ^step-1`) is no `^` of pymdownx's superscript (kb.render.blocks).
        masked = masked[: block_id.start()] + "x" * (block_id.end() - block_id.start())
    return _NOT_TEXT.sub(lambda match: "x" * len(match.group()), masked)


def _first_of_each(found: list[tuple[str, Tamed]]) -> list[Tamed]:
    """One warning per kind of problem and page, at its first place, saying how many lines have it."""
    first: dict[str, Tamed] = {}
    counts: dict[str, int] = {}
    for kind, problem in found:
        first.setdefault(kind, problem)
        counts[kind] = counts.get(kind, 0) + 1
    return sorted((Tamed(p.line, p.code, p.message + (f" ({counts[kind]} lines like this)" if counts[kind] > 1 else ""),
                         p.col) for kind, p in first.items()), key=lambda p: (p.line, p.col, p.code))
