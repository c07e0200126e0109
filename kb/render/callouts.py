"""Obsidian's callouts and GitHub's alerts, shown as the theme's admonitions.

Both write a box as a quote whose first line names its kind: `> [!warning] Mind the gap` (Obsidian,
with an optional title, and `-` or `+` after the kind for one that folds, closed or open) and
`> [!NOTE]` (GitHub). A vault or a repository brought over keeps them, so kb shows them as the
boxes their authors saw, in Material's admonition markup, rather than as a quote that starts with
`[!warning]`. A quote whose first line is anything else stays a quote.

The lines after the marker are read as Markdown blocks of their own, so a list or a table may
follow it directly, as in Obsidian and GitHub. A blank line ends a callout there: Python-Markdown
would join a quote after the blank line to it, and QuoteAfterCallout keeps it a quote of its own.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.blockparser import BlockParser
from markdown.blockprocessors import BlockProcessor
from markdown.treeprocessors import Treeprocessor

from kb.render.markers import MarkerScan

#: `[!kind]`, a fold mark, and the title, on a quote's first line.
_MARKER = re.compile(r"\[!([A-Za-z][\w-]{0,40})\]([+-]?)[ \t]*(.*)")
#: Obsidian's kinds (and GitHub's five among them) by the name of Material's admonition that
#: looks like each; Material styles every one of these names.
KINDS = frozenset({
    "note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important", "success", "check", "done",
    "question", "help", "faq", "warning", "caution", "attention", "failure", "fail", "missing", "danger", "error",
    "bug", "example", "quote", "cite",
})


class CalloutProcessor(Treeprocessor):
    """Each quote that starts with `[!kind]` made an admonition, before inline Markdown is read
    (so its title may hold emphasis and links, as in Obsidian)."""

    def __init__(self, md: Markdown, markers: MarkerScan) -> None:
        super().__init__(md)
        self.markers = markers

    def run(self, root: etree.Element) -> None:
        if self.markers.callouts:
            _replace_callouts(root, self.md.parser)


class QuoteAfterCallout(BlockProcessor):
    """A quote a blank line after a callout is a quote of its own, as in Obsidian and GitHub:
    the quote processor that runs next would add it to the callout. (A `>` line between them
    keeps them one, as everywhere.)"""

    def __init__(self, parser: BlockParser) -> None:
        super().__init__(parser)
        #: The last quote looked into, how many of its children were, and whether one opens a
        #: callout: Python-Markdown grows one quote from every quote a blank line apart, and
        #: looking at all its children again for each would make a page of quotes quadratic.
        self._seen: tuple[etree.Element | None, int, bool] = (None, 0, False)

    def test(self, parent: etree.Element, block: str) -> bool:
        if not block.lstrip(" ").startswith(">"):
            return False
        sibling = self.lastChild(parent)
        if sibling is None or sibling.tag != "blockquote":
            return False
        seen, looked, opens = self._seen if self._seen[0] is sibling else (sibling, 0, False)
        opens = opens or any(_marker(child) for child in sibling[looked:])
        self._seen = (seen, len(sibling), opens)
        return opens

    def run(self, parent: etree.Element, blocks: list[str]) -> bool:
        etree.SubElement(parent, "blockquote")
        return False  # the quote processor reads the block, into the quote started here


def _replace_callouts(parent: etree.Element, parser: BlockParser) -> None:
    """Depth first, so a callout in a callout is one too. (kb's limits keep nesting shallow.)"""
    index = 0
    while index < len(parent):
        child = parent[index]
        boxes = _callouts(child, parser) if child.tag == "blockquote" else [child]
        parent[index:index + 1] = boxes
        for box in boxes:
            _replace_callouts(box, parser)
        index += len(boxes)


def _callouts(quote: etree.Element, parser: BlockParser) -> list[etree.Element]:
    """The quote as boxes, one from each paragraph that starts with `[!kind]`, and what comes
    before the first as a quote. Python-Markdown reads quotes with blank lines between them as
    one quote; Obsidian and GitHub show each callout on its own."""
    starts = [index for index, child in enumerate(quote) if _marker(child) is not None]
    if not starts:
        return [quote]
    parts: list[etree.Element] = []
    if starts[0] > 0:
        before = etree.Element("blockquote", quote.attrib)
        before.text = quote.text
        before.extend(quote[: starts[0]])
        parts.append(before)
    for start, end in zip(starts, [*starts[1:], len(quote)], strict=True):
        parts.append(_box(quote[start], quote[start + 1 : end], parser))
    parts[-1].tail = quote.tail
    return parts


def _marker(paragraph: etree.Element) -> re.Match[str] | None:
    if paragraph.tag != "p" or not paragraph.text:
        return None
    return _MARKER.fullmatch(paragraph.text.lstrip().partition("\n")[0].rstrip())


def _box(first: etree.Element, rest: list[etree.Element], parser: BlockParser) -> etree.Element:
    """The box a paragraph that starts with `[!kind]` opens, holding the rest of it and `rest`."""
    marker = _marker(first)
    assert marker is not None and first.text is not None
    written, fold, title = marker.group(1), marker.group(2), marker.group(3).strip()
    kind = written.lower()
    style = kind if kind in KINDS else "note"
    title = title or written[:1].upper() + written[1:].lower()
    if fold:
        box = etree.Element("details", {"class": style})
        if fold == "+":
            box.set("open", "open")
        heading = etree.SubElement(box, "summary")
    else:
        box = etree.Element("div", {"class": f"admonition {style}"})
        heading = etree.SubElement(box, "p", {"class": "admonition-title"})
    heading.text = title
    after = first.text.lstrip().partition("\n")[2]
    if len(first):
        # Elements in the paragraph (a tree processor of another extension ran first): it is
        # kept whole, but for its first line.
        first.text = after
        box.append(first)
    elif after.strip():
        # Read as blocks: `- item` or `| a |` right under the marker is a list or a table.
        parser.parseChunk(box, after)
    box.extend(rest)
    return box
