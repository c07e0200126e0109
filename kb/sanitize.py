"""Sanitising the HTML of page bodies, on an allowlist close to GitHub's.

Any employee can open a pull request and the site is published to everyone, so a page body may
carry no script, no event handler, no `javascript:` URL in any spelling, no form, frame, `<base>`
or `<meta>`, and no id the theme uses for itself (Material reads its settings from `#__config`
and wires its drawer and search to `__drawer`, `__search` and friends).
"""

from __future__ import annotations

import nh3

_TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp", "rt",
    "ruby", "s", "samp", "small", "span", "strike", "strong", "sub", "summary", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul", "var", "wbr", "input", "label",
}
_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir", "align"},
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "time": {"datetime"},
    "details": {"open"},
    "input": {"type", "checked", "disabled"},
    "col": {"span"},
    "colgroup": {"span"},
    "code": set(),
    "blockquote": {"cite"},
    "q": {"cite"},
}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}
#: Anchors that code highlighting writes for line numbers; they start with "__" like the
#: theme's own ids, but never clash with them.
_CODE_ANCHOR_PREFIXES = ("__codelineno-", "__code_")


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute in ("id", "name") and value.startswith("__") and not value.startswith(_CODE_ANCHOR_PREFIXES):
        return None
    if tag == "input" and attribute == "type" and value != "checkbox":
        return None
    return value


def sanitize_html(html: str) -> str:
    """Return `html` with everything outside the allowlist removed (script and style elements
    with their content)."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        attribute_filter=_filter_attribute,
        link_rel=None,
        strip_comments=True,
    )
