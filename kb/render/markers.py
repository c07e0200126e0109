"""What a page holds that kb's own tree processors look for, read once before it is parsed."""

from __future__ import annotations

from markdown.preprocessors import Preprocessor


class MarkerScan(Preprocessor):
    """Whether the page has a callout's `[!` or a block id's `^` anywhere, so that the tree
    processors that look for them (kb.render.callouts, kb.render.blocks) walk the page only when
    it does: the walks cost 0.4 s at 10,000 pages, most of whose pages have neither."""

    callouts = block_ids = False

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        self.callouts, self.block_ids = "[!" in text, "^" in text
        return lines
