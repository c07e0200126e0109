"""`[[wikilinks]]` for Python-Markdown, handed back as ordinary links.

An inline processor, so code spans and fenced code never see it (their text is stashed before
inline processors run) and `\\[[escaped]]` stays text. A resolved link becomes
`<a href="../ops/deploy.md#rollback">`, which the site engine rewrites to the page's URL and whose
anchor it validates; an image embed becomes `<img>` (`![[diagram.svg|200]]` or `|200x100` sets its
size, as in Obsidian); a link to nothing becomes a visibly "wanted" span instead of a broken anchor.

Markdown links and images that only kb resolves (a path on the site's host, a file by its name:
see kb.analyse.links) are handed back the same way, as the relative path of the file they go to,
by a tree processor that runs before the site engine's own. The extension also brings Obsidian's
callouts (kb.render.callouts) and block ids (kb.render.blocks).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify as toc_slugify
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, INLINE_PLACEHOLDER_PREFIX, INLINE_PLACEHOLDER_RE, STX, AtomicString

from kb.analyse.links import LinkResolver, is_block_reference, is_image, is_local, relative_href
from kb.read.body import WIKILINK_PATTERN, wikilink_text
from kb.render.blocks import BlockIdProcessor
from kb.render.callouts import CalloutProcessor, QuoteAfterCallout
from kb.render.markers import MarkerScan


@dataclass(frozen=True)
class WikiTarget:
    """Where a wikilink goes, as the renderer needs it: a path relative to the linking page
    (None when the page is wanted), and whether that is the linking page itself."""

    href: str | None
    same_page: bool = False
    why: str = ""
    #: For a wanted page: where to start writing it, when the site knows its repository.
    create: str | None = None


#: (name, embed?) → WikiTarget, for the page being rendered.
Resolve = Callable[[str, bool], WikiTarget]
#: The URL of a Markdown link or image → what to write instead, or None to keep it.
Rewrite = Callable[[str], str | None]
#: Obsidian's size of an embedded picture: `|200` (width) or `|200x100` (width and height).
_SIZE = re.compile(r"(\d{1,5})(?:x(\d{1,5}))?")
_WIKILINK = re.compile(WIKILINK_PATTERN)
#: What Python-Markdown's escape processor makes of `\|` (STX, the code of `|`, ETX), and stashes.
_ESCAPED_PIPE = f"{STX}{ord('|')}{ETX}"


class WikiLinkProcessor(InlineProcessor):
    def __init__(self, pattern: str, md: Markdown, extension: WikiLinkExtension) -> None:
        super().__init__(pattern, md)
        self.extension = extension

    def handleMatch(self, m, data):  # type: ignore[no-untyped-def, override]  # noqa: N802
        parts = self._with_pipes(m)
        embed, name = parts.group(1), parts.group(2).strip()
        anchor, label = (parts.group(3) or "").strip(), (parts.group(4) or "").strip()
        target = self.extension.resolve(name, bool(embed))
        text = wikilink_text(name, anchor, label)
        if target.href is None:
            why = target.why or f"No page called '{name}' yet"
            if target.create:
                element = etree.Element("a", {"class": "kb-wanted", "href": target.create, "title": f"{why}: start it"})
            else:
                element = etree.Element("span", {"class": "kb-wanted", "title": why})
            element.text = AtomicString(text)
            return element, m.start(0), m.end(0)
        if embed and is_image(target.href):
            return _image(target.href, name, label), m.start(0), m.end(0)
        href = "" if target.same_page else target.href
        if anchor:  # a block's id is written as it is named (kb.render.blocks), a heading's as the toc made it
            href += "#" + (anchor if is_block_reference(anchor) else self._slugify(anchor))
        element = etree.Element("a", {"href": href or "#", "class": "kb-wikilink"})
        element.text = AtomicString(text)
        return element, m.start(0), m.end(0)

    def _with_pipes(self, m: re.Match[str]) -> re.Match[str]:
        """The match again with each `\\|` the escape processor stashed put back in its place, so
        that `[[Page\\|alias]]` in a table cell has a label (the stash hides it from the pattern)."""
        if INLINE_PLACEHOLDER_PREFIX not in m.group(0) or "inline" not in self.md.treeprocessors:
            return m
        stash = getattr(self.md.treeprocessors["inline"], "stashed_nodes", {})
        text = INLINE_PLACEHOLDER_RE.sub(lambda p: _ESCAPED_PIPE if stash.get(p.group(1)) == _ESCAPED_PIPE else p.group(0),
                                         m.group(0))
        return _WIKILINK.fullmatch(text) or m

    def _slugify(self, text: str) -> str:
        """The same id the toc extension gave the heading, with the site's own slugify."""
        toc = self.md.treeprocessors["toc"] if "toc" in self.md.treeprocessors else None
        if toc is not None and hasattr(toc, "slugify"):
            return str(toc.slugify(text, toc.sep))
        return toc_slugify(text, "-")


def _image(src: str, name: str, label: str) -> etree.Element:
    size = _SIZE.fullmatch(label)
    if size is None:
        return etree.Element("img", {"src": src, "alt": label or name})
    attributes = {"src": src, "alt": name, "width": size.group(1)}
    if size.group(2):
        attributes["height"] = size.group(2)
    return etree.Element("img", attributes)


class LinkRewriter(Treeprocessor):
    """Points each `<a href>` and `<img src>` written in Markdown where kb resolved it."""

    def __init__(self, md: Markdown, extension: WikiLinkExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag not in ("a", "img"):
                continue
            key = "href" if element.tag == "a" else "src"
            url = element.get(key)
            if not url or "kb-wikilink" in element.get("class", "").split():
                continue
            # Python-Markdown unescapes `\_` and the like after this processor (priority 0).
            written = _UNESCAPE.sub(lambda m: chr(int(m.group(1))), url) if STX in url else url
            rewritten = self.extension.rewrite(written)
            if rewritten is not None:
                element.set(key, rewritten)


_UNESCAPE = re.compile(f"{STX}([0-9]+){ETX}")


class WikiLinkExtension(Extension):
    """`resolve` and `rewrite` are set for each page before it is rendered (the site engine
    renders one page at a time with one Markdown instance per page)."""

    def __init__(self, resolve: Resolve | None = None, rewrite: Rewrite | None = None) -> None:
        super().__init__()
        self.resolve: Resolve = resolve or (lambda name, embed: WikiTarget(None))
        self.rewrite: Rewrite = rewrite or (lambda url: None)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802
        # Above links (160) and below escapes (180) and code spans (190).
        md.inlinePatterns.register(WikiLinkProcessor(WIKILINK_PATTERN, md, self), "kb-wikilink", 175)
        # After the inline processor (20) has made the links, before MkDocs' relpath (0) makes
        # URLs of the paths.
        md.treeprocessors.register(LinkRewriter(md, self), "kb-links", 1)
        # Callouts and block ids are found before the inline processor (20) reads a callout's
        # title as Markdown, each only on a page that has what it looks for (most have neither).
        markers = MarkerScan(md)
        # Before md_in_html (20) sets aside the Markdown inside `<div markdown>`.
        md.preprocessors.register(markers, "kb-markers", 35)
        md.parser.blockprocessors.register(QuoteAfterCallout(md.parser), "kb-quote-after-callout", 21)
        # Above the tree processors that read lists and code (pymdownx's tasklist, 25, and
        # highlight, 30), which a callout's lines read again as blocks must reach; below the
        # footnotes' (50), whose text may hold ids.
        md.treeprocessors.register(CalloutProcessor(md, markers), "kb-callouts", 45)
        md.treeprocessors.register(BlockIdProcessor(md, markers), "kb-block-ids", 44)


def wiki_target(
    resolver: LinkResolver, from_path: str, name: str, embed: bool, create: Callable[[str], str | None] | None = None,
) -> WikiTarget:
    """Resolve a wikilink written in `from_path` for rendering, as the analysis resolved it.
    `create` gives the address that starts a wanted page of that name, if the site has one."""
    resolution = resolver.resolve_embed(from_path, name) if embed else resolver.resolve_name(from_path, name)
    if resolution.path is None:
        if resolution.status == "draft":
            return WikiTarget(None, why=f"'{name}' is a draft, not published yet")
        if resolution.status == "withheld":
            return WikiTarget(None, why=f"'{name}' is not published")
        return WikiTarget(None, why=f"No page called '{name}' yet", create=create(name) if create and not embed else None)
    return WikiTarget(relative_href(from_path, resolution.path), same_page=resolution.path == from_path)


def link_url(resolver: LinkResolver, from_path: str, url: str) -> str | None:
    """What a Markdown link or image written in `from_path` must say for the site engine to find
    its target, when only kb knows where it goes: a path on the site's host (`/kb/ops/deploy/`,
    which the site engine would leave as it is, wrong under any other path) or a file found by
    its name, with its anchor (a block's `#^id` too). None keeps the URL as written: the site
    engine resolves ordinary relative paths itself."""
    if not is_local(url):
        return None
    path, _, anchor = url.partition("#")
    path, _, query = path.partition("?")
    if not path:
        return None
    from_root = path.startswith("/")
    resolution = resolver.resolve_site_url(path) if from_root else resolver.resolve_path(from_path, path)
    if resolution.path is None or not (from_root or resolution.status == "by-name"):
        return None
    # Quoted, as the site engine unquotes a path before it looks the file up.
    rewritten = quote(relative_href(from_path, resolution.path))
    return rewritten + (f"?{query}" if query else "") + (f"#{anchor}" if anchor else "")
