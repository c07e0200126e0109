"""Where a content path ends up in the site, and the one place kb writes a page's URL.

Every URL kb writes (HTML, JSON, feeds) comes from `page_url`, which percent-encodes each path
segment exactly as MkDocs encodes its own page URLs. A folder named `javascript:x` is refused
when content is collected (see `unsafe_name`); the encoding is the second wall: `javascript%3Ax/`
is a relative path, never a scheme.
"""

from __future__ import annotations

import functools
import posixpath
import re
from urllib.parse import quote, unquote, urlsplit

#: Characters a file or folder name may not hold: they end or change a URL (`:` makes a scheme of
#: the first segment, `?` and `#` end the path), Windows cannot check them out, or they do not show.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f:?#\\<>"|*\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]')


#: How many paths site_path and page_url remember: a site asks for each page's many times
#: (the plan, every listing, previews), and a preview server again after every save.
_REMEMBERED = 1 << 17


@functools.lru_cache(maxsize=_REMEMBERED)
def site_path(path: str, directory_urls: bool = True) -> str:
    """`ops/deploy.md` → `ops/deploy/` (or `ops/deploy.html`); `ops/index.md` → `ops/`, as the
    file system sees it (not encoded). The site root is the empty string."""
    stem, _ = posixpath.splitext(path)
    folder, name = posixpath.split(stem)
    if name in ("index", "README"):  # exactly as MkDocs spells them: `Index.md` is a page of its own
        return f"{folder}/" if folder else ""
    if directory_urls:
        return f"{stem}/"
    return f"{stem}.html"


@functools.lru_cache(maxsize=_REMEMBERED)
def page_url(path: str, directory_urls: bool = True) -> str:
    """The URL of a content path relative to the site root, percent-encoded as MkDocs encodes
    `page.url` (so `café.md` → `caf%C3%A9/`): what MkDocs' `url` filter expects."""
    return quote(site_path(path, directory_urls))


def unsafe_name(name: str) -> str | None:
    """What makes a file or folder name unsafe to publish, or None."""
    found = _UNSAFE.search(name)
    if found is None:
        return None
    char = found.group()
    if char.isprintable():  # control, bidi and zero-width characters are not
        return f"'{char}'"
    return f"the invisible character U+{ord(char):04X}"


def resolve_relative(from_path: str, target: str) -> str | None:
    """Resolve a relative link target written in `from_path` to a content path, or None when it
    climbs out of the content directory. Query and fragment are dropped."""
    target = target.split("#", 1)[0].split("?", 1)[0]
    if not target:
        return from_path
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(from_path), target))
    if joined.startswith("../") or joined == ".." or joined.startswith("/"):
        return None
    return joined


def site_url_path(site_url: str | None) -> str:
    """The path a site is served under, from its `site_url`: `https://wiki.example.com/kb/` →
    `/kb/`; `/` when it has none. Not encoded, as the links it is compared with are read."""
    path = unquote(urlsplit(site_url or "").path).strip("/")
    return f"/{path}/" if path else "/"


def site_candidates(site_path: str, url_path: str) -> tuple[str, ...] | None:
    """The content paths a path on the site's host may be, in the order tried: `/kb/ops/deploy/`
    (a page's URL, with or without directory URLs), `/kb/ops/deploy.md` (its file, as
    Material and Hugo sites write it) or `/kb/img/x.png`, for a site at `/kb/`; a folder's URL is
    its index page, Hugo's `_index.md` last. None when the
    path is not under the site's path: the link leaves the site."""
    trailing = url_path.endswith("/")
    path = posixpath.normpath(unquote(url_path))
    if path != site_path.rstrip("/") and not f"{path}/".startswith(site_path):
        return None
    rest = f"{path}/"[len(site_path):].rstrip("/")
    if not rest:
        return ("index.md", "README.md", "_index.md")
    if trailing:
        return (f"{rest}.md", f"{rest}/index.md", f"{rest}/README.md", f"{rest}/_index.md")
    if rest.endswith(".md"):
        return (rest,)
    if rest.endswith(".html"):
        stem = rest[: -len(".html")]
        if posixpath.basename(stem) == "index":
            folder = posixpath.dirname(stem)
            return (f"{stem}.md", posixpath.join(folder, "README.md"))
        return (f"{stem}.md",)
    return (rest, f"{rest}.md", f"{rest}/index.md", f"{rest}/README.md", f"{rest}/_index.md")
