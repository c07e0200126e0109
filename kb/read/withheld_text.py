"""Text that only held-back pages have: how kb tells that something other than kb put a withheld
page into a published one.

kb's own links and embeds of a held-back page are refused where they are written (link.withheld).
Another MkDocs plugin may bring files in too: an include plugin, or a macro's `include`, copies a
file's text into the page it converts, drafts and pages kb could not read among them. kb never
sees those directives; it sees the Markdown they made. A line of it that a held-back page has and
no published page has came from the held-back page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kb.read.metadata import read_front_matter

#: Shorter lines say too little about where they came from (`## Steps`, a table's rule, `---`).
LINE_MIN = 12


class WithheldText:
    """Each line of a held-back page that no published page has, with the held-back page's path."""

    def __init__(self, published_bodies: Iterable[str], withheld: Mapping[str, str]) -> None:
        """`published_bodies` are the published pages' bodies; `withheld` maps each held-back
        page's path to its text as written, front matter and all."""
        self._lines: dict[str, str] = {}
        for path in sorted(withheld):
            for line in _body(withheld[path]).split("\n"):
                line = line.strip()
                if len(line) >= LINE_MIN:
                    self._lines.setdefault(line, path)
        # Only the held-back pages' lines are kept: at 10,000 pages the published pages' lines
        # would be half a million strings, in every process that converts pages.
        if self._lines:
            for body in published_bodies:
                for line in body.split("\n"):
                    self._lines.pop(line.strip(), None)

    def first_in(self, markdown: str) -> tuple[int, str] | None:
        """The first line of `markdown` (its number) that only a held-back page has, and that page's path."""
        if not self._lines:
            return None
        for number, line in enumerate(markdown.split("\n"), 1):
            path = self._lines.get(line.strip())
            if path is not None:
                return number, path
        return None


def _body(text: str) -> str:
    """A page's text without its front matter, whose lines (`tags: [first]`) many pages share;
    all of it when kb cannot tell where that ends."""
    header = read_front_matter(text)
    return header.body if header.body or header.error is None else text
