"""Where a content path ends up in the site, as a URL relative to the site root."""

from __future__ import annotations

import posixpath


def page_url(path: str, directory_urls: bool = True) -> str:
    """`ops/deploy.md` → `ops/deploy/` (or `ops/deploy.html`); `ops/index.md` → `ops/`.
    The site root is the empty string, as MkDocs' `url` filter expects."""
    stem, _ = posixpath.splitext(path)
    folder, name = posixpath.split(stem)
    if name in ("index", "README"):  # exactly as MkDocs spells them: `Index.md` is a page of its own
        return f"{folder}/" if folder else ""
    if directory_urls:
        return f"{stem}/"
    return f"{stem}.html"


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
