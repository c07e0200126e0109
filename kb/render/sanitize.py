"""Sanitising the HTML of page bodies, on an allowlist close to GitHub's.

Any employee can open a pull request and the site is published to everyone, so a page body may
carry no script, no event handler, no `javascript:` URL in any spelling, no form, frame, `<base>`
or `<meta>`, no image from another host unless the wiki allows it (see `external_images`), and
nothing that passes for the site's own interface: Material's (`md-*`) and kb's (`kb-*`) classes
are dropped, and an id in their namespaces (`md-*`, `kb-*`, `__*`: Material reads its settings
from `#__config` and wires its drawer and search to `__drawer` and `__search`) gets the prefix
`user-content-`, as GitHub prefixes ids, with the links to it. Other ids are kept as written, so
anchors in bookmarks and in links from other pages keep working without script.
"""

from __future__ import annotations

import html as html_lib
import re

import nh3

from kb.options import ExternalImages

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
    # Task lists' checkboxes, and content tabs' radio buttons with their labels (pymdownx.tabbed).
    "input": {"type", "checked", "disabled", "name"},
    "label": {"for"},
    "col": {"span"},
    "colgroup": {"span"},
    "code": set(),
    "blockquote": {"cite"},
    "q": {"cite"},
}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}
#: The namespaces of the interface's own ids and classes.
_INTERFACE_PREFIXES = ("md-", "kb-", "__")
#: Classes that content is meant to carry: Material's buttons (`[Go](x.md){ .md-button }`), kb's wikilinks.
_CONTENT_CLASSES = frozenset({"md-button", "md-button--primary", "kb-wikilink", "kb-wanted"})
ID_PREFIX = "user-content-"

_IMG = re.compile(r"<img\b[^>]*>")
_TEXT_FIELD = re.compile(r'<input\b(?![^>]*\stype="(?:checkbox|radio)")[^>]*>')
_ATTRIBUTE = re.compile(r'\s([a-z]+)="([^"]*)"')


def content_id(value: str) -> str:
    """The id an element of the page body gets: as written, unless it is in the interface's namespace."""
    # Code highlighting's own anchors (`__codelineno-0-1`) take the prefix too, with their links:
    # Material's copy button copies the first element with the id `__code_N`, which a page could
    # otherwise place above the real block, to put another command on a reader's clipboard.
    if value.startswith(_INTERFACE_PREFIXES) and not value.startswith(ID_PREFIX):
        return ID_PREFIX + value
    return value


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute in ("id", "name", "for"):
        return content_id(value)
    if attribute == "class":
        kept = [name for name in value.split() if not name.startswith(_INTERFACE_PREFIXES) or name in _CONTENT_CLASSES]
        return " ".join(kept) or None
    if attribute == "href" and "#" in value and ":" not in value.split("#", 1)[0]:
        # A link within the site: its anchor follows the id it names.
        path, anchor = value.split("#", 1)
        return f"{path}#{content_id(anchor)}"
    if tag == "input" and attribute == "type" and value not in ("checkbox", "radio"):
        return None
    return value


#: Made once: nh3.clean would turn the allowlist into the sanitiser's own form on every page
#: (a third of the time it takes at 10,000 pages).
_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    attributes=_ATTRIBUTES,
    url_schemes=_URL_SCHEMES,
    attribute_filter=_filter_attribute,
    link_rel=None,
    strip_comments=True,
)


def sanitize_html(html: str, external_images: ExternalImages = "link") -> str:
    """Return `html` with everything outside the allowlist removed (script and style elements
    with their content), and images from other hosts dealt with as `external_images` says."""
    clean = _CLEANER.clean(html)
    if "<input" in clean:
        # An input whose type was dropped (password, text) would be a text field asking for something.
        clean = _TEXT_FIELD.sub("", clean)
    if external_images == "allow" or "<img" not in clean:
        return clean
    return _IMG.sub(lambda match: _local_image(match.group(), external_images), clean)


def is_external(url: str) -> bool:
    """Whether a browser would fetch `url` (an attribute's decoded value) from another host:
    it has a scheme, or starts with two slashes, as browsers read it (they drop tabs and
    newlines anywhere in a URL, and read a backslash as a slash)."""
    return bool(re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:|[/\\]{2}", _as_browsers_read(url)))


def _as_browsers_read(url: str) -> str:
    return re.sub(r"[\t\n\r]", "", url).lstrip("".join(map(chr, range(0x21))))


def _local_image(tag: str, external_images: ExternalImages) -> str:
    attributes = {name: html_lib.unescape(value) for name, value in _ATTRIBUTE.findall(tag)}
    src = attributes.get("src", "")
    if not is_external(src):
        return tag
    if external_images == "refuse":
        return ""
    # A link to the image instead: loading the page makes no request elsewhere.
    label = attributes.get("alt", "").strip() or "image"
    host = re.sub(r"^[^/\\]*[/\\]{2}([^/\\?#]*).*$", r"\1", _as_browsers_read(src))
    return (f'<a class="kb-external-image" href="{html_lib.escape(src)}" rel="noopener noreferrer">'
            f"{html_lib.escape(label)} <small>(image on {html_lib.escape(host)})</small></a>")
