"""Text that only held-back pages have: how kb tells that a plugin after it put a withheld page
into a published one.

kb's own links and embeds of a held-back page are refused where they are written (link.withheld).
Another MkDocs plugin may bring files in too: a macro's `include` copies a file's text into the
page it converts, drafts and pages kb could not read among them. kb never sees that directive; it
sees the Markdown it made. Lines of it that a held-back page has, and no published page has, came
from the held-back page. It is a check against mistakes, not a barrier: an author who means to
publish a draft's text can always copy it by hand, or through a filter that changes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

#: Shorter lines say too little about where they came from (`## Steps`, a table's rule, `---`).
LINE_MIN = 12
#: Lines of one held-back page that must all be found, fewer when it has fewer: a line of
#: boilerplate that a draft shares with text from outside the wiki (a snippet, a macro's
#: variable) is not taken for an include of the draft.
LINES_FOUND = 2


class WithheldText:
    """Each line of a held-back page that no published page has, with the held-back page's path."""

    def __init__(self, published: Iterable[str], withheld: Mapping[str, str]) -> None:
        """`published` are the published pages' texts and `withheld` maps each held-back page's
        path to its text, both as written, front matter and all: an include copies that too."""
        self._lines: dict[str, str] = {}
        for path in sorted(withheld):
            for line in withheld[path].split("\n"):
                line = line.strip()
                if len(line) >= LINE_MIN:
                    self._lines.setdefault(line, path)
        # Only the held-back pages' lines are kept: at 10,000 pages the published pages' lines
        # would be half a million strings, in every process that converts pages.
        if self._lines:
            for text in published:
                for line in text.split("\n"):
                    self._lines.pop(line.strip(), None)
        #: How many lines each held-back page has left.
        self._counts: dict[str, int] = {}
        for path in self._lines.values():
            self._counts[path] = self._counts.get(path, 0) + 1

    def first_in(self, markdown: str) -> tuple[list[int], str] | None:
        """The numbers of the lines of `markdown` that make it hold a held-back page's text
        (LINES_FOUND of that page's lines), and that page's path."""
        if not self._lines:
            return None
        found: dict[str, dict[str, int]] = {}
        for number, line in enumerate(markdown.split("\n"), 1):
            line = line.strip()
            path = self._lines.get(line)
            if path is None:
                continue
            lines = found.setdefault(path, {})
            lines.setdefault(line, number)
            if len(lines) >= min(LINES_FOUND, self._counts[path]):
                return sorted(lines.values()), path
        return None
