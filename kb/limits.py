"""Limits that keep one bad page from stalling or crashing a build.

The Markdown renderer recurses once per level of nesting (it crashes near 300 nested list
levels) and scans brackets quadratically (a 16 KB line of `[[x|` takes it 13 s). kb renders what
it parsed, so it tames such pages before they reach the renderer: nesting deeper than the limit
is flattened and brackets on an over-long line are escaped, each with a warning at its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb.body import prose_lines

#: Defaults; a site changes them through the `limits` plugin option.
PAGE_WARN_BYTES = 1 << 20
PAGE_MAX_BYTES = 4 << 20
LINE_MAX_CHARS = 5000
NESTING_MAX = 32
#: Seconds one page may take in one stage (reading, rendering) before it is held back.
PAGE_SECONDS = 10.0

_QUOTES = re.compile(r"^((?:[ \t]*>)+)")


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


def tame_markdown(body: str, first_line: int, limits: Limits) -> tuple[str, list[Tamed]]:
    """`body` with over-deep nesting flattened and over-long lines' brackets escaped."""
    if len(body) < limits.line_max_chars and body.count(">") < limits.nesting_max and "    " * limits.nesting_max not in body:
        return body, []
    found: list[Tamed] = []
    lines = body.split("\n")
    max_indent = 4 * limits.nesting_max
    prose = {number - first_line for number, _ in prose_lines(body, first_line)}
    for index, line in enumerate(lines):
        if index not in prose:
            continue  # fenced code is shown as it is, and costs the renderer nothing
        number = first_line + index
        quotes = _QUOTES.match(line)
        if quotes and quotes.group(1).count(">") > limits.nesting_max:
            line = "> " * limits.nesting_max + line[quotes.end():].lstrip()
            found.append(Tamed(number, "page.deep-nesting",
                               f"quotes nested deeper than {limits.nesting_max} levels are shown at that depth"))
        indent = len(line) - len(line.lstrip(" \t"))
        if indent > max_indent:
            line = " " * max_indent + line.lstrip(" \t")
            found.append(Tamed(number, "page.deep-nesting",
                               f"indentation deeper than {limits.nesting_max} levels is shown at that depth"))
        if len(line) > limits.line_max_chars:
            found.append(Tamed(number, "page.long-line",
                               f"the line is {len(line)} characters long (limit {limits.line_max_chars}); "
                               "its brackets are shown as text"))
            line = line.replace("[", "\\[").replace("]", "\\]")
        lines[index] = line
    return "\n".join(lines), _first_of_each(found)


def _first_of_each(found: list[Tamed]) -> list[Tamed]:
    """One warning per kind of problem and page, at its first line, saying how many lines have it."""
    first: dict[str, Tamed] = {}
    counts: dict[str, int] = {}
    for problem in found:
        first.setdefault(problem.code, problem)
        counts[problem.code] = counts.get(problem.code, 0) + 1
    return [
        Tamed(p.line, p.code, p.message + (f" ({counts[p.code]} lines like this)" if counts[p.code] > 1 else ""))
        for p in first.values()
    ]
