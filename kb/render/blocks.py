"""Obsidian's block ids: `A paragraph. ^step-1` names the paragraph, and `[[page#^step-1]]` links to it.

Obsidian hides the id and scrolls to its block; kb does the same on the site: the id is taken off
the text and given to the block as its HTML id, `^step-1`, which is what the link's `#^step-1`
names. An id on a line of its own after a table, a quote or a list names that block; after
anything else (a heading, raw HTML, code) it marks its place with an empty element.
kb.analyse.links reports a link to an id that its page does not give (kb.read.body.block_ids).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

from kb.read.body import BLOCK_ID
from kb.render.markers import MarkerScan

#: A paragraph that is only an id: it names the block before it.
_ALONE = re.compile(r"[ \t]*\^([A-Za-z0-9-]+)[ \t]*")
#: The blocks whose own text may end with an id.
_NAMED = frozenset({"p", "li"})
#: The blocks an id on a line of its own after them names (a callout is a `div` or `details` by now).
_NAMED_AFTER = frozenset({"table", "blockquote", "ul", "ol", "dl", "div", "details", "pre"})


class BlockIdProcessor(Treeprocessor):
    """Each block id made the id of its block, before inline Markdown is read (so an id is
    never taken from the text of a code span)."""

    def __init__(self, md: Markdown, markers: MarkerScan) -> None:
        super().__init__(md)
        self.markers = markers

    def run(self, root: etree.Element) -> None:
        if self.markers.block_ids:
            _give_ids(root)


def _give_ids(parent: etree.Element) -> None:
    index = 0
    while index < len(parent):
        child = parent[index]
        alone = _ALONE.fullmatch(child.text) if child.tag == "p" and child.text and not len(child) else None
        if alone is not None:
            block_id = "^" + alone.group(1)
            before = parent[index - 1] if index else None
            if before is not None and before.tag in _NAMED_AFTER and before.get("id") is None:
                before.set("id", block_id)
                del parent[index]
                continue
            # After a heading (whose id is its anchor), raw HTML or code (held as a placeholder
            # until the end), the id marks the place instead.
            child.tag, child.text = "div", None
            child.set("id", block_id)
        elif child.tag in _NAMED and child.text and "^" in child.text and child.get("id") is None:
            # A loose list item's text is in paragraphs: the first holds the item's own line.
            _take_id(parent, index, own_line=child.tag == "li" or (parent.tag == "li" and index == 0))
        _give_ids(child)
        index += 1


def _take_id(parent: etree.Element, index: int, *, own_line: bool) -> None:
    """The id at the end of the block's text, or for a list item, at the end of its own line
    (lines indented under it are its text too). A paragraph that is only code or raw HTML held
    for later (`` ``` `` and the id on the line under it) is replaced whole when it is put back,
    so the id marks the place after it instead."""
    block = parent[index]
    text = block.text or ""
    found = BLOCK_ID.search(text.rstrip("\n"))
    if found is None and own_line and "\n" in text:
        found = BLOCK_ID.search(text, 0, text.index("\n"))
    if found is None:
        return
    block.text = text[: found.start()] + text[found.end():]
    if block.tag == "p" and HTML_PLACEHOLDER_RE.fullmatch(block.text.strip()):
        parent.insert(index + 1, etree.Element("div", {"id": "^" + found.group(1)}))
    else:
        block.set("id", "^" + found.group(1))
