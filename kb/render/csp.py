"""The Content Security Policy every page carries: the browser's own wall behind the sanitiser.

The sanitiser (kb.render.sanitize) keeps script out of page bodies; the policy makes sure that if
anything ever got past it, the browser would still not run it. Script runs only from the site's
own files and from the theme's inline scripts, each allowed by its hash, computed at build time
from the page as written *without its body*: an inline script inside the body is never hashed,
so it never runs. `javascript:` URLs and inline event handlers are inline script too, and are
refused; so are plugins (`object`, `embed`) and a `<base>` that would move every relative URL.

Requests go to the site's own origin only, unless the wiki's configuration names another host
(fonts it chose, scripts and styles it lists by URL, images it allows): see `Sources`.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

_INLINE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
_SOURCE = re.compile(r"\bsrc\s*=", re.IGNORECASE)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
#: Script types a browser runs; others (`application/json`) are data it never executes.
_RUNNABLE_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript"}
_CHARSET = re.compile(r"<meta\s+charset=[^>]*>", re.IGNORECASE)
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)

#: Each directive's sources for a site that calls out to nobody. `style-src` allows inline
#: styles: the theme sets them on elements, and CSS cannot run script.
BASE_POLICY: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'", "'unsafe-inline'"),
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'", "data:"),
    "connect-src": ("'self'",),
    "media-src": ("'self'",),
    "object-src": ("'none'",),
    "frame-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
}


def inline_script_hashes(html: str) -> list[str]:
    """The CSP hash source of every inline script a browser would run, sorted."""
    hashes = set()
    for match in _INLINE_SCRIPT.finditer(html):
        attributes, text = match.groups()
        kind = _TYPE.search(attributes)
        if _SOURCE.search(attributes) or (kind and kind.group(1).lower() not in _RUNNABLE_TYPES):
            continue
        digest = hashlib.sha256(text.encode("utf-8")).digest()
        hashes.add(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    return sorted(hashes)


def policy(sources: Mapping[str, Iterable[str]], script_hashes: Iterable[str] = (), any_inline: bool = False) -> str:
    """The policy text: BASE_POLICY with `sources` added, and inline scripts allowed by hash
    (or all of them, `any_inline`, for a preview server that injects its own)."""
    directives = {name: list(values) for name, values in BASE_POLICY.items()}
    for name, values in sources.items():
        directives.setdefault(name, ["'self'"])
        directives[name] += [value for value in values if value not in directives[name]]
    directives["script-src"] += ["'unsafe-inline'"] if any_inline else list(script_hashes)
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def with_policy(html: str, text: str) -> str:
    """`html` with the policy as the first thing in its head after the character set (a policy
    in a `<meta>` covers only what comes after it)."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{text}">'
    anchor = _CHARSET.search(html) or _HEAD.search(html)
    if anchor is None:
        return html
    return f"{html[:anchor.end()]}\n    {meta}{html[anchor.end():]}"


def origin(url: str) -> str | None:
    """`https://cdn.example.com` of an absolute URL (or a protocol-relative one), else None."""
    parts = urlsplit(url.strip())
    if not parts.netloc:
        return None
    return f"{parts.scheme or 'https'}://{parts.netloc}"
