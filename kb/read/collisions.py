"""Content files that would take each other's place, or the place of a file kb writes itself.

Two files collide when a checkout or the site cannot hold both:

- their names are one name on a disk that ignores case (macOS, Windows: `Guide.md` and
  `guide.md`) or Unicode normalisation (macOS: `café.md` with its accent precomposed (NFC) and
  decomposed (NFD));
- they are pages with one URL (`topic.md`, `topic/index.md` and `topic/README.md` are all
  `topic/`; `a.md` and `a.markdown` are both `a/`);
- one is a file where the site needs a folder for the other (an attachment `guide` beside a
  page `guide.md`, whose URL is the folder `guide/`).

Names are compared after NFC and case folding, and pages by the folder form of their URL, so
that a site served from a case-insensitive disk, or switched to directory URLs, cannot meet a
collision this check let through.

**The winner** is the page MkDocs takes for its folder's index, `index.*` before `README.*`
(spelt exactly so: MkDocs makes `readme.md` a page of its own), and otherwise the path last in
code-point order (Python's string order, the same on every machine). That is MkDocs' own rule
for two files of one folder that it would write to one place (`index.md` over `README.md`,
`a.md` over `a.markdown`), and kb must agree with it: MkDocs drops its loser before kb sees the
files, so a different choice would publish neither. Elsewhere it gives the folder's index over
a page beside the folder (`topic/index.md` over `topic.md`), lower case over upper case and a
precomposed accent over a decomposed one. A file that takes the name of a folder the site needs
loses to the folder, which may hold many pages.

A content file at a place kb or MkDocs writes (kb.outputs) is refused whatever its name.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from kb.outputs import RESERVED_DIRS, RESERVED_FILES
from kb.urls import site_path


@dataclass(frozen=True, order=True)
class Collision:
    """`path` is not published because of `other`: a content file that is published, or, for
    kind "reserved", the place in the site that kb or MkDocs writes."""

    path: str
    other: str
    #: "name" (one name on macOS and Windows), "url" (pages with one URL), "folder" (a file
    #: where the site needs a folder for `other`) or "reserved".
    kind: str


def find_collisions(pages: Iterable[str], attachments: Iterable[str]) -> list[Collision]:
    """Every file to withhold, and why; paths are POSIX paths inside the content directory.
    Of each group of colliding files, exactly one is left out of the result: the winner."""
    page_paths = frozenset(pages)
    # What each file becomes in the site, NFC and case-folded: a page's `index.html`, or the
    # attachment itself.
    sites = {path: _fold(site_path(path)) + "index.html" for path in page_paths}
    sites.update((path, _fold(path)) for path in attachments)
    found: list[Collision] = []
    for find in (_reserved, _same_place, _file_in_folders_place):
        lost = find(sites, page_paths)
        for collision in lost:
            del sites[collision.path]
        found += lost
    return sorted(found)


def reserved_place(site: str, page: bool) -> str | None:
    """The place kb or MkDocs writes that a file at `site` (NFC and case-folded) would take:
    one of its files, one of its folders (ending in `/`), or a file in such a folder. A page in
    one of kb's folders is safe when no part of its URL there has a dot: every file kb writes
    in them has a suffix, and none is a page."""
    if site.partition("/")[0] not in _RESERVED_TOPS:
        return None  # most files: checked by their first folder alone
    for name in _RESERVED_FILES:
        if site == name or site.startswith(name + "/"):
            return name
    for folder in _RESERVED_DIRS:
        if site == folder or folder.startswith(site + "/"):
            return folder + "/"
        if site.startswith(folder + "/"):
            below = site[len(folder) + 1 :].split("/")
            if not page or any("." in part for part in below[:-1]):
                return folder + "/"
    return None


def _reserved(sites: dict[str, str], pages: frozenset[str]) -> list[Collision]:
    return [Collision(path, place, "reserved") for path, site in sites.items()
            if (place := reserved_place(site, path in pages)) is not None]


def _same_place(sites: dict[str, str], pages: frozenset[str]) -> list[Collision]:
    """Files the site would write to one place: all but the winner."""
    by_site: dict[str, list[str]] = defaultdict(list)
    for path, site in sites.items():
        by_site[site].append(path)
    found = []
    for paths in by_site.values():
        winner = max(paths, key=lambda path: (path in pages and _index_rank(path), path))
        for path in paths:
            if path != winner:
                found.append(Collision(path, winner, "name" if _fold(path) == _fold(winner) else "url"))
    return found


def _index_rank(page: str) -> int:
    """2 for a page MkDocs makes its folder's index, 1 for a README it makes so when there is no
    index, 0 for any other; MkDocs compares the names exactly."""
    stem = page.rpartition("/")[2].rpartition(".")[0]
    return {"index": 2, "README": 1}.get(stem, 0)


def _file_in_folders_place(sites: dict[str, str], pages: frozenset[str]) -> list[Collision]:
    """Files whose name is that of a folder the site needs for other files: the file loses."""
    folders: set[str] = set()
    for site in sites.values():
        folder = site.rpartition("/")[0]
        while folder and folder not in folders:  # once a folder is known, so are the ones it is in
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    return [Collision(path, _first_inside(sites, site), "folder") for path, site in sites.items() if site in folders]


def _first_inside(sites: dict[str, str], folder: str) -> str:
    """The first path in code-point order that the site puts in `folder`, to name in a message."""
    return min(path for path, site in sites.items() if site.startswith(folder + "/"))


def _fold(path: str) -> str:
    """One key for the names a case-insensitive disk or URL takes as one."""
    if path.isascii():
        return path.lower()
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", path).casefold())


_RESERVED_FILES = tuple(_fold(name) for name in RESERVED_FILES)
_RESERVED_DIRS = tuple(_fold(name) for name in RESERVED_DIRS)
#: The first folder (or name) of every reserved place.
_RESERVED_TOPS = frozenset(name.partition("/")[0] for name in _RESERVED_FILES + _RESERVED_DIRS)


__all__ = ["Collision", "find_collisions", "reserved_place"]
