"""Links: what each link in the wiki points to, and the link graph, built once per build.

A wikilink names a page; the name is matched, case-insensitively and after Unicode NFC, against
every published page's path, file name, title and aliases, then against topic names. When one
name fits several pages the link is ambiguous: it is reported with its candidates and goes to
the nearest page by folder — the candidate sharing the longest folder prefix with the linking
page, then the shallowest, then the first by path. A Markdown link is a path relative to its
page. Both kinds join one graph; backlinks are its inverse, built here and nowhere else. A link
to a file that exists but is not published (kb.read.collect refused it) says so, and why.

kb also reads the links that notes written for other tools already hold: a path on the site's
host (`/kb/ops/deploy/`, as Material and Hugo sites write them), resolved under the path of
`site_url`; a Markdown link or image to a file that is not where the link says, which goes, as
in Obsidian, to the one file in the wiki whose path ends so (`shot.png`, `img/shot.png`); and a
link to one of Obsidian's blocks (`#^id`), which goes to the page.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections import defaultdict
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote

from markdown.extensions.toc import slugify as toc_slugify

from kb.diagnostics import Diagnostic, Severity
from kb.model import Article, Heading, LinkKind, LinkRef, Page
from kb.read.body import block_ids
from kb.read.publication import draft_holds, in_draft_folder
from kb.urls import resolve_relative, site_candidates

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp", ".ico")
_CUSTOM_ID = re.compile(r"\s*\{[^}]*#([\w-]+)[^}]*\}\s*$")


def normalize_name(name: str) -> str:
    """The key two spellings of one page name share: `Deploy to staging`, `deploy-to-staging`
    and `DEPLOY_TO_STAGING.md` agree."""
    text = unicodedata.normalize("NFC", name).strip()
    if text.lower().endswith(".md"):
        text = text[:-3]
    text = text.casefold().replace("-", " ").replace("_", " ")
    return " ".join(text.split())


def heading_anchor(text: str) -> str:
    """The id Python-Markdown's toc extension gives a heading (or its `{#custom}` id)."""
    custom = _CUSTOM_ID.search(text)
    return custom.group(1) if custom else toc_slugify(text, "-")


@dataclass(frozen=True)
class Resolution:
    """Where a link goes. `status` is "found", "ambiguous" (found, nearest of `candidates`),
    "by-name" (found elsewhere than the link says, as the one file of its name), "draft",
    "withheld" (a file that is not published: the first candidate, for the reason `why`),
    "missing" (with `candidates` when several files have the name written), "outside" (out of
    the content directory) or "off-site" (a path on the site's host outside the site)."""

    path: str | None
    status: str
    candidates: tuple[str, ...] = ()
    why: str = ""

    @property
    def found(self) -> bool:
        return self.path is not None


class LinkResolver:
    """Answers "where does this link go?" for the analysis and for the renderer alike."""

    def __init__(
        self,
        pages: Iterable[Page],
        drafts: Iterable[Page],
        assets: Iterable[str],
        site_pages: dict[str, tuple[str, ...]],
        refused: Mapping[str, str] | None = None,
        site_path: str = "/",
    ) -> None:
        """`site_pages` maps the pages every kb site has (topic pages, the indexes), written or
        generated, to the names a wikilink may use for them. `refused` maps the files and
        folders that exist and are not published to why, in a few words (kb.read.collect).
        `site_path` is the path the site is served under (kb.urls.site_url_path)."""
        self.pages: dict[str, Page] = {page.path: page for page in pages}
        self.paths = frozenset(self.pages) | frozenset(site_pages)
        self.assets = frozenset(assets)
        self.drafts: dict[str, Page] = {page.path: page for page in drafts}
        self.draft_paths = frozenset(self.drafts)
        self.names = _name_index((page.path, _page_names(page)) for page in self.pages.values())
        self.site_names = _name_index(site_pages.items())
        self.draft_names = _name_index((page.path, _page_names(page)) for page in drafts)
        self.asset_names = _name_index((path, (posixpath.basename(path),)) for path in self.assets)
        self.refused = _Refused(refused or {})
        self.site_path = site_path
        # Files by their name, for Markdown links that give only the name (or the end of the path).
        self.files = _file_index([*self.pages, *self.assets])
        self.draft_files = _file_index(self.draft_paths)
        self._memo: dict[tuple[str, str, bool], Resolution] = {}
        self._folded: dict[str, tuple[str, ...]] | None = None
        #: Every answer of resolve, by page, kind and target: see keep_answers.
        self._answers: dict[tuple[str, LinkKind, str], Resolution] = {}
        #: Whether it answers as the earlier resolver did (keep_answers).
        self.answers_kept = False

    def keep_answers(self, earlier: LinkResolver | None) -> None:
        """Take over the answers of a resolver made earlier from the same names and files (a
        preview server derives the wiki again after each save, and most saves change none of
        them): each answer depends on nothing else."""
        if earlier is not None and earlier._inputs() == self._inputs():
            self._answers, self._memo = earlier._answers, earlier._memo
            self.answers_kept = True

    def _inputs(self) -> tuple[object, ...]:
        return (self.paths, self.assets, self.draft_paths, self.names, self.site_names, self.draft_names,
                self.asset_names, self.refused.reasons, self.site_path, self.files, self.draft_files)

    def resolve(self, from_path: str, ref: LinkRef) -> Resolution:
        key = (from_path, ref.kind, ref.target)
        found = self._answers.get(key)
        if found is None:
            found = self._answers[key] = self._resolve(from_path, ref)
        return found

    def _resolve(self, from_path: str, ref: LinkRef) -> Resolution:
        if ref.kind in (LinkKind.MARKDOWN, LinkKind.IMAGE):
            if ref.target.startswith("/"):
                return self.resolve_site_url(ref.target)
            return self.resolve_path(from_path, ref.target)
        if ref.kind is LinkKind.EMBED:
            return self.resolve_embed(from_path, ref.target)
        return self.resolve_name(from_path, ref.target)

    def resolve_path(self, from_path: str, target: str) -> Resolution:
        """A Markdown link's path, relative to its page and percent-decoded as MkDocs reads it;
        else the one file in the wiki whose path ends so."""
        target = unquote(target)
        path = resolve_relative(from_path, target)
        if path is None:
            return Resolution(None, "outside")
        found = self._first((path, f"{path.rstrip('/')}/index.md", f"{path.rstrip('/')}/README.md"))
        return (self._by_file_name(target) or found) if found.status == "missing" else found

    def resolve_site_url(self, url_path: str) -> Resolution:
        """A path on the site's host, `/kb/ops/deploy/`: a page or file of this site when it is
        under the site's path."""
        candidates = site_candidates(self.site_path, url_path)
        if candidates is None:
            return Resolution(None, "off-site")
        found = self._first(candidates)
        if found.status != "missing":
            return found
        # Hugo lowercases every URL it makes (`/functions/lang/formatnumber/` for FormatNumber.md),
        # so its sites link in lower case: the one file whose path folds the same is the page.
        for candidate in candidates:
            matches = self._folded_paths().get(candidate.casefold(), ())
            if len(matches) == 1:
                return self._first(matches)
        return found

    def _folded_paths(self) -> dict[str, tuple[str, ...]]:
        if self._folded is None:
            folded: dict[str, list[str]] = {}
            for path in sorted(self.paths | self.assets | self.draft_paths):
                folded.setdefault(path.casefold(), []).append(path)
            self._folded = {key: tuple(paths) for key, paths in folded.items()}
        return self._folded

    def _first(self, candidates: Iterable[str]) -> Resolution:
        candidates = tuple(candidates)
        for candidate in candidates:
            if candidate in self.paths or candidate in self.assets:
                return Resolution(candidate, "found")
            if candidate in self.draft_paths:
                return Resolution(None, "draft", (candidate,))
        return next((self.refused.resolution(c) for c in candidates if c in self.refused), Resolution(None, "missing"))

    def _by_file_name(self, target: str) -> Resolution | None:
        """Obsidian finds a linked file wherever it is: `shot.png` or `img/shot.png` is the one
        file whose path ends so. Several such files are as good as none; a path that climbs
        (`../`) or names no file (no suffix) is taken as written."""
        parts = [part for part in target.split("/") if part not in ("", ".")]
        if not parts or ".." in parts or "." not in parts[-1]:
            return None
        written = "/".join(parts)
        published = _ending(self.files, written)
        if len(published) == 1:
            return Resolution(published[0], "by-name")
        if published:
            return Resolution(None, "missing", tuple(published))
        drafts = _ending(self.draft_files, written)
        if drafts:
            return Resolution(None, "draft", tuple(drafts))
        refused = _ending(self.refused.files, written)
        return self.refused.resolution(refused[0]) if refused else None

    def resolve_name(self, from_path: str, name: str) -> Resolution:
        # The analysis resolves every wikilink first; rendering the page asks again.
        memo_key = (from_path, name, False)
        if memo_key not in self._memo:
            self._memo[memo_key] = self._resolve_name(from_path, name)
        return self._memo[memo_key]

    def _resolve_name(self, from_path: str, name: str) -> Resolution:
        if not name.strip():
            return Resolution(from_path, "found")  # [[#Heading]] on the same page
        by_path = self._by_path(from_path, name, self.paths)
        if by_path:
            return Resolution(by_path, "found")
        key = normalize_name(name)
        for index in (self.names, self.site_names):
            candidates = index.get(key)
            if candidates:
                return _choose(from_path, candidates)
        ending = _path_ending(self.names, name)
        if ending:
            return _choose(from_path, ending)
        drafts = self.draft_names.get(key) or ([p] if (p := self._by_path(from_path, name, self.draft_paths)) else None)
        if drafts:
            return Resolution(None, "draft", tuple(drafts))
        return self._resolve_refused(from_path, name, key)

    def _resolve_refused(self, from_path: str, name: str, key: str) -> Resolution:
        """A name that only a file kb does not publish has."""
        refused = self._by_path(from_path, name, self.refused) or next(iter(self.refused.names.get(key, ())), None)
        return self.refused.resolution(refused) if refused else Resolution(None, "missing")

    def resolve_embed(self, from_path: str, name: str) -> Resolution:
        by_path = self._by_path(from_path, name, self.assets)
        if by_path:
            return Resolution(by_path, "found")
        candidates = _path_ending(self.asset_names, name)
        if candidates:
            return _choose(from_path, candidates)
        found = self.resolve_name(from_path, name)
        if found.status == "missing":
            return self._resolve_refused(from_path, name, normalize_name(posixpath.basename(name)))
        return found

    def _by_path(self, from_path: str, name: str, known: Container[str]) -> str | None:
        """`[[ops/deploy]]`, `[[../ops/deploy.md]]`: relative to the page, then to the root."""
        if "/" not in name and not name.lower().endswith(".md") and "." not in name:
            return None
        cleaned = unicodedata.normalize("NFC", name.strip())
        for base in (from_path, "index.md"):
            path = resolve_relative(base, cleaned)
            if path is None:
                continue
            for candidate in (path, f"{path}.md"):
                if candidate in known:
                    return candidate
        return None


class _Refused:
    """Files and folders that exist and are not published, with why; a folder stands for all
    it holds."""

    def __init__(self, reasons: Mapping[str, str]) -> None:
        self.reasons = dict(reasons)
        self.names = _name_index((path, (posixpath.basename(path),)) for path in sorted(self.reasons))
        self.files = _file_index(self.reasons)

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and self._held(path) is not None

    def _held(self, path: str) -> str | None:
        parts = path.split("/")
        return next((held for depth in range(len(parts), 0, -1) if (held := "/".join(parts[:depth])) in self.reasons),
                    None)

    def resolution(self, path: str) -> Resolution:
        held = self._held(path)
        return Resolution(None, "withheld", (path,), self.reasons[held] if held else "")


def _page_names(page: Page) -> tuple[str, ...]:
    stem = posixpath.splitext(page.path)[0]
    names = [stem, posixpath.basename(stem), page.title, *getattr(page, "aliases", ())]
    if posixpath.basename(stem).lower() in ("index", "readme") and "/" in stem:
        names.append(posixpath.basename(posixpath.dirname(stem)))
    return tuple(names)


def _name_index(entries: Iterable[tuple[str, Iterable[str]]]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = defaultdict(list)
    for path, names in entries:
        for key in {normalize_name(name) for name in names if name}:
            index[key].append(path)
    return {key: sorted(paths) for key, paths in index.items()}


def _path_ending(index: Mapping[str, list[str]], name: str) -> list[str]:
    """The paths in a name index whose last folders and name are the ones written, as Obsidian
    matches `[[img/diagram.png]]` with `assets/img/diagram.png`; each part is compared as a
    page name is (normalize_name)."""
    written = [normalize_name(part) for part in name.strip().split("/") if part.strip() not in ("", ".")]
    if not written or ".." in written:
        return []
    found = []
    for path in index.get(written[-1], ()):
        parts = [normalize_name(part) for part in path.split("/")]
        if parts[-len(written):] == written:
            found.append(path)
    return found


def _fold(path: str) -> str:
    """A path as two spellings of one file name agree on: either Unicode form, either case."""
    return unicodedata.normalize("NFC", path).casefold()


def _file_index(paths: Iterable[str]) -> dict[str, list[str]]:
    """Paths by their file name, folded."""
    index: dict[str, list[str]] = defaultdict(list)
    for path in sorted(paths):
        index[_fold(posixpath.basename(path))].append(path)
    return dict(index)


def _ending(index: Mapping[str, list[str]], written: str) -> list[str]:
    """The paths in a file index that are `written`, or end with `/` and it."""
    folded = _fold(written)
    return [path for path in index.get(folded.rsplit("/", 1)[-1], ())
            if _fold(path) == folded or _fold(path).endswith("/" + folded)]


def _choose(from_path: str, candidates: list[str]) -> Resolution:
    if len(candidates) == 1:
        return Resolution(candidates[0], "found")
    folder = posixpath.dirname(from_path).split("/") if "/" in from_path else []

    def distance(path: str) -> tuple[int, int, str]:
        parts = posixpath.dirname(path).split("/") if "/" in path else []
        shared = 0
        for mine, theirs in zip(folder, parts, strict=False):
            if mine != theirs:
                break
            shared += 1
        return (-shared, len(parts), path)

    ranked = sorted(candidates, key=distance)
    return Resolution(ranked[0], "ambiguous", tuple(ranked))


@dataclass(frozen=True)
class Edge:
    """One link from a published page to another, with the sentence that holds it."""

    source: str
    target: str
    line: int
    col: int
    label: str
    context: str


@dataclass
class LinkGraph:
    #: Page links by source path, in the order written. Self-links and drafts' links excluded.
    outgoing: dict[str, tuple[Edge, ...]] = field(default_factory=dict)
    #: The inverse: links by target path, ordered by source path then place.
    backlinks: dict[str, tuple[Edge, ...]] = field(default_factory=dict)
    #: Names that wikilinks ask for and no page has, with the links that ask.
    wanted: dict[str, tuple[Edge, ...]] = field(default_factory=dict)
    #: Published articles that no other page links to.
    orphans: tuple[str, ...] = ()
    #: Where each link of each published page goes, by (source path, line, col).
    resolutions: dict[tuple[str, int, int], Resolution] = field(default_factory=dict)
    #: What each page's links came to, which a graph built again may keep (build_link_graph).
    pages: dict[str, PageLinks] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class PageLinks:
    """What one page's links came to: where each goes, the problems found, the links to pages
    and the wikilinks to pages nobody wrote (by name key, with the name as written)."""

    page: Page
    resolutions: tuple[tuple[tuple[str, int, int], Resolution], ...]
    problems: tuple[Diagnostic, ...]
    edges: tuple[Edge, ...]
    wanted: tuple[tuple[str, str, Edge], ...]
    #: The published and held-back pages the problems looked at (a heading, a draft's header),
    #: as they were: the answers hold while these pages are the same.
    looked_at: tuple[tuple[str, Page | None, Page | None], ...]

    def holds_for(self, page: Page, resolver: LinkResolver) -> bool:
        return _same(self.page, page) and all(
            _same(resolver.pages.get(path), published) and _same(resolver.drafts.get(path), draft)
            for path, published, draft in self.looked_at)


def _same(one: Page | None, other: Page | None) -> bool:
    return one is other or one == other


def build_link_graph(pages: Iterable[Page], resolver: LinkResolver,
                     earlier: LinkGraph | None = None) -> tuple[LinkGraph, list[Diagnostic]]:
    """Resolve every link of every published page once, report the broken ones, and derive
    backlinks, wanted pages and orphans from the result. `earlier` is a graph built with a
    resolver that kept its answers (LinkResolver.keep_answers): a page that is the same, and
    whose links looked at pages that are the same, keeps what its links came to."""
    graph = LinkGraph()
    diagnostics: list[Diagnostic] = []
    inbound: dict[str, list[Edge]] = defaultdict(list)
    wanted: dict[str, list[Edge]] = defaultdict(list)
    wanted_names: dict[str, str] = {}
    pages = list(pages)
    kept = earlier.pages if earlier is not None else {}
    for page in pages:
        found = kept.get(page.path)
        if found is None or not found.holds_for(page, resolver):
            found = _page_links(page, resolver)
        graph.pages[page.path] = found
        graph.resolutions.update(found.resolutions)
        diagnostics.extend(found.problems)
        for key, name, edge in found.wanted:
            wanted_names.setdefault(key, name)
            wanted[key].append(edge)
        for edge in found.edges:
            inbound[edge.target].append(edge)
        graph.outgoing[page.path] = found.edges
    graph.backlinks = {
        target: tuple(sorted(edges, key=lambda e: (e.source, e.line, e.col))) for target, edges in sorted(inbound.items())
    }
    graph.wanted = {wanted_names[key]: tuple(edges) for key, edges in sorted(wanted.items())}
    graph.orphans = tuple(
        sorted(p.path for p in pages if isinstance(p, Article) and p.path not in inbound and p.path != "index.md")
    )
    return graph, diagnostics


def _page_links(page: Page, resolver: LinkResolver) -> PageLinks:
    resolutions: list[tuple[tuple[str, int, int], Resolution]] = []
    problems: list[Diagnostic] = []
    edges: list[Edge] = []
    wanted: list[tuple[str, str, Edge]] = []
    looked_at: dict[str, tuple[str, Page | None, Page | None]] = {}
    for ref in page.links:
        if ref.kind in (LinkKind.MARKDOWN, LinkKind.IMAGE) and not is_local(ref.target):
            continue
        resolution = resolver.resolve(page.path, ref)
        resolutions.append(((page.path, ref.line, ref.col), resolution))
        # The page a problem may look at: the one found (its headings), else the held-back one.
        seen = resolution.path if resolution.path is not None else next(iter(resolution.candidates), None)
        if seen is not None and seen not in looked_at:
            looked_at[seen] = (seen, resolver.pages.get(seen), resolver.drafts.get(seen))
        problem = _problem(page, ref, resolution, resolver)
        if problem:
            problems.append(problem)
        edge = Edge(page.path, resolution.path or "", ref.line, ref.col, ref.label or ref.target, ref.context)
        if resolution.status == "missing" and ref.kind is LinkKind.WIKI:
            wanted.append((normalize_name(ref.target), ref.target.strip(), edge))
        if resolution.path and resolution.path != page.path and resolution.path in resolver.paths:
            edges.append(edge)
    return PageLinks(page, tuple(resolutions), tuple(problems), tuple(edges), tuple(wanted), tuple(looked_at.values()))


#: How many of the files a name fits a message lists (every folder may have its `index.md`).
_CANDIDATES_SHOWN = 5


def _problem(page: Page, ref: LinkRef, resolution: Resolution, resolver: LinkResolver) -> Diagnostic | None:
    written = _written(ref)
    status = resolution.status
    if status == "missing" and ref.kind is LinkKind.WIKI:
        code, message = "link.wanted", f"no page is called '{ref.target.strip()}' yet; it is listed as a wanted page"
    elif status == "missing" and ref.kind is LinkKind.EMBED:
        code, message = "link.not-found", f"{written} embeds nothing: no file or page has that name"
    elif status == "missing" and resolution.candidates:
        code = "link.not-found"
        shown = ", ".join(resolution.candidates[:_CANDIDATES_SHOWN])
        more = len(resolution.candidates) - _CANDIDATES_SHOWN
        shown += f" and {more} more" if more > 0 else ""
        message = (f"{written} points to nothing: no such file next to the page, and {len(resolution.candidates)} files "
                   f"have that name ({shown}) — write the path to choose")
    elif status == "missing":
        code, message = "link.not-found", f"{written} points to nothing: no such file"
    elif status == "draft":
        target = resolution.candidates[0] if resolution.candidates else ""
        held = resolver.drafts.get(target)
        if held is None or _says_draft(held):
            which = f" ({target})" if ref.kind in (LinkKind.WIKI, LinkKind.EMBED) else ""
            code, message = "link.draft", f"{written} points to a draft{which}, which is not published"
        else:
            code, message = "link.draft", (f"{written} points to {target}, which is held back, not published: kb says "
                                           "why at that page")
    elif status == "withheld":
        why = f": {resolution.why}" if resolution.why else " (kb says why at that file)"
        code, message = "link.withheld", f"{written} points to {resolution.candidates[0]}, which is not published{why}"
    elif status == "outside":
        code, message = "link.outside", f"{written} points outside the content directory"
    elif status == "off-site":
        code = "link.off-site"
        message = (f"{written} leaves the site, which site_url puts at {resolver.site_path}: it stays as written and kb "
                   f"does not check it; write a path under {resolver.site_path} for a page of this wiki")
    elif status == "ambiguous":
        others = ", ".join(resolution.candidates)
        code = "link.ambiguous"
        message = f"{written} could mean {others}; it goes to the nearest, {resolution.path} — write a path to choose"
    elif is_block_reference(ref.anchor) and resolution.path in resolver.pages and (
            ref.anchor[1:] not in block_ids(resolver.pages[resolution.path].body)):
        # Obsidian's `#^id` names a block by an id written after it (kb.render.blocks).
        code, message = "link.anchor", (f"{written}: '{resolution.path}' has no block with the id '{ref.anchor}' (written "
                                        "at the end of the block); the link goes to the top of the page")
    elif (ref.anchor and not is_block_reference(ref.anchor) and resolution.path in resolver.pages
          and not _has_anchor(resolver.pages[resolution.path], ref.anchor)):
        code, message = "link.anchor", f"{written}: '{resolution.path}' has no heading '{ref.anchor}'"
    elif status == "by-name":
        # Obsidian resolves such links silently; a wiki that wants paths can raise the level.
        return Diagnostic(page.display, ref.line, ref.col, Severity.INFO, "link.by-name",
                          f"{written} is not a path from this page; it goes to {resolution.path}, the only file in the "
                          "wiki with that name")
    else:
        return None
    return Diagnostic(page.display, ref.line, ref.col, Severity.WARNING, code, message)


def _says_draft(page: Page) -> bool:
    """Whether the page is held back because its author says it is a draft (its header or its
    folder), rather than for a problem kb found in it."""
    status = page.meta.get("status")
    return (isinstance(status, str) and status.strip().lower() == "draft") or in_draft_folder(page.path) or any(
        hold.problem is None for hold in draft_holds(page.meta))


def is_block_reference(anchor: str) -> bool:
    """`#^id`: Obsidian's link to one block of a page."""
    return anchor.startswith("^")


def _has_anchor(page: Page, anchor: str) -> bool:
    anchors = {heading_anchor(heading.text) for heading in page.headings}
    anchors |= {_unique(heading_anchor(h.text), n) for h, n in _repeats(page.headings)}
    return anchor in anchors or heading_anchor(anchor) in anchors


def _repeats(headings: tuple[Heading, ...]) -> Iterable[tuple[Heading, int]]:
    seen: dict[str, int] = defaultdict(int)
    for heading in headings:
        anchor = heading_anchor(heading.text)
        if seen[anchor]:
            yield heading, seen[anchor]
        seen[anchor] += 1


def _unique(anchor: str, number: int) -> str:
    return f"{anchor}_{number}"


def _written(ref: LinkRef) -> str:
    if ref.kind in (LinkKind.WIKI, LinkKind.EMBED):
        bang = "!" if ref.kind is LinkKind.EMBED else ""
        return f"{bang}[[{ref.target}{'#' + ref.anchor if ref.anchor else ''}]]"
    return f"link '{ref.target}{'#' + ref.anchor if ref.anchor else ''}'"


def is_local(target: str) -> bool:
    """A link into this site: a path relative to the page, or one from the host's root
    (`/ops/deploy/`); not a URL with a scheme, nor one to another host (`//host/x`, and `/\\x`
    or `\\x`, which browsers read as `//`), nor a template another tool fills in before the site
    is built (Hugo's `{{< ref >}}` shortcodes, mkdocs-macros' `{{ var }}`), which kb cannot check."""
    if not target or target.startswith(("//", "/\\", "\\")) or "{{" in target or "{%" in target:
        return False
    return ":" not in target.split("/", 1)[0]


def relative_href(from_path: str, to_path: str) -> str:
    """The path from one content file to another, as a Markdown link would write it.
    (posixpath.relpath asks the operating system for the working directory on every call.)"""
    folder, target = from_path.split("/")[:-1], to_path.split("/")
    shared = 0
    while shared < len(folder) and shared < len(target) - 1 and folder[shared] == target[shared]:
        shared += 1
    return "/".join([".."] * (len(folder) - shared) + target[shared:])


def is_image(path: str) -> bool:
    return path.lower().endswith(IMAGE_SUFFIXES)
