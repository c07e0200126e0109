"""Stages 1 and 2, collect and parse: the content directory → every page read, drafts too.

Each page is read behind a fault barrier (kb.barrier), and what one page's conventions decide
for others is applied here: a folder's `cascade` (kb.read.cascade), the language a folder's
index names, and a page that includes a held-back file is held back too.
"""

from __future__ import annotations

import dataclasses
import posixpath
from dataclasses import dataclass
from pathlib import Path

from kb.barrier import Budget, page_failure
from kb.config import KbConfig
from kb.diagnostics import Diagnostic, Severity
from kb.model import Article, Page
from kb.read.cascade import INDEX_NAMES, read_cascade
from kb.read.collect import Collection, Exclusions, PackedSource, Source, collect_sources, collect_sources_again, decode_markdown
from kb.read.parse import parse_source
from kb.read.publication import snippet_includes
from kb.read.worktree import PendingWorkTree, read_worktree
from kb.timing import StageClock


def collect(content_dir: Path, config: KbConfig, display_root: str = "", clock: StageClock | None = None,
            worktree: PendingWorkTree | None = None) -> Collection:
    """Stage 1: the content directory's sources, assets and refusals. `worktree` is what git
    says of them, when it was asked already."""
    with (clock or StageClock()).stage("collect"):
        return collect_sources(content_dir, display_root, config.limits, config.secrets_allow,
                               read_worktree(content_dir) if worktree is None else worktree.result(),
                               exclusions=Exclusions(config.exclude_docs, config.draft_docs),
                               attachments=config.attachments, site_files=config.site_files)


def collect_again(earlier: Collection, changed: set[str], content_dir: Path, config: KbConfig, display_root: str = "",
                  worktree: PendingWorkTree | None = None) -> Collection:
    """Stage 1 for a preview that knows only the pages at `changed` changed since `earlier` was
    collected, with the same configuration: those pages read again (collect_sources_again),
    or everything, where that does not do."""
    tree = read_worktree(content_dir) if worktree is None else worktree.result()
    if earlier.display_root == display_root:
        again = collect_sources_again(earlier, changed, content_dir, config.limits, config.secrets_allow, tree,
                                      config.attachments, config.site_files)
        if again is not None:
            return again
    return collect_sources(content_dir, display_root, config.limits, config.secrets_allow, tree,
                           exclusions=Exclusions(config.exclude_docs, config.draft_docs),
                           attachments=config.attachments, site_files=config.site_files)


class ParseCache:
    """Each page's parse by its path, display path and text (its digest), for a process that
    builds the same wiki again and again (a preview server): a page whose file did not change
    is not read again. Parsing a source is a pure function of it and the configuration, so the
    cache changes nothing in what a build makes; it is emptied when the configuration changes."""

    def __init__(self) -> None:
        self._config: KbConfig | None = None
        self._parses: dict[tuple[str, str, bytes], tuple[Page, tuple[Diagnostic, ...]]] = {}
        self._packed: dict[tuple[str, str, bytes], PackedSource] = {}

    def parse(self, source: Source, config: KbConfig) -> tuple[Page, list[Diagnostic]]:
        if config != self._config:
            self._config = config
            self._parses = {}
        key = (source.path, source.display, source.digest)
        found = self._parses.get(key)
        if found is None:
            page, diagnostics = parse_source(source, config)
            found = self._parses[key] = page, tuple(diagnostics)
        return found[0], list(found[1])

    def packed(self, collection: Collection) -> Collection:
        """The collection with its sources' texts compressed (Collection.packed, which the
        derivation keeps), each compressed once while it does not change."""
        sources: list[Source] = []
        for source in collection.sources:
            if isinstance(source, PackedSource):
                sources.append(source)
                continue
            key = (source.path, source.display, source.digest)
            found = self._packed.get(key)
            if found is None:
                found = self._packed[key] = PackedSource(source)
            sources.append(found)
        return dataclasses.replace(collection, sources=sources)

    def keep_only(self, sources: list[Source]) -> None:
        """Forget the parses of files that are gone or changed: the cache holds one wiki."""
        wanted = {(source.path, source.display, source.digest) for source in sources}
        self._parses = {key: value for key, value in self._parses.items() if key in wanted}
        self._packed = {key: value for key, value in self._packed.items() if key in wanted}


@dataclass(frozen=True)
class Parsed:
    """Stage 2's result: every page read (drafts too), and what reading them found."""

    pages: tuple[Page, ...]
    diagnostics: tuple[Diagnostic, ...]
    #: Pages held back because kb failed on them.
    failed: frozenset[str]


def parse(collection: Collection, config: KbConfig, clock: StageClock | None = None,
          cache: ParseCache | None = None) -> Parsed:
    """Stage 2: every source read. Behind a fault barrier: a page whose parsing raises is
    reported at its file and held back, and the rest goes on. With a cache, a source read before
    is not read again."""
    read = cache.parse if cache is not None else parse_source
    diagnostics = list(collection.diagnostics)
    pages: list[Page] = []
    failed: set[str] = set()
    with (clock or StageClock()).stage("parse", len(collection.sources)), Budget(config.limits.page_seconds) as budget:
        for source in collection.sources:
            try:
                with budget.page():
                    page, found = read(source, config)
            except Exception as error:  # the fault barrier: see kb.barrier
                diagnostics.append(page_failure(source.display, error, "reading", budget.seconds))
                failed.add(source.path)
                continue
            pages.append(page)
            diagnostics.extend(found)
    if cache is not None:
        cache.keep_only(collection.sources)
    pages = _cascade_drafts(pages, diagnostics)
    pages = _hold_back_includers(pages, collection, failed, diagnostics)
    pages = _folder_languages(pages)
    return Parsed(tuple(pages), tuple(diagnostics), frozenset(failed))


def _cascade_drafts(pages: list[Page], diagnostics: list[Diagnostic]) -> list[Page]:
    """Hugo's `cascade: {draft: true}` on a folder's index page holds back the pages below it
    that it reaches (kb.read.publication.read_cascade), each with a note saying which index did."""
    cascades = sorted(
        ((posixpath.dirname(page.path), page, cascade) for page in pages
         if posixpath.basename(page.path).lower() in INDEX_NAMES and (cascade := read_cascade(page.meta)) is not None),
        key=lambda found: (-found[0].count("/") - bool(found[0]), found[0]))  # the nearest index first
    if not cascades:
        return pages
    held: list[Page] = []
    for page in pages:
        reached = None if page.draft else next(
            ((index, cascade) for folder, index, cascade in cascades
             if page is not index and page.path.startswith(f"{folder}/" if folder else "") and cascade.reaches(page.path)),
            None)
        if reached is None:
            held.append(page)
            continue
        index, cascade = reached
        diagnostics.append(Diagnostic(
            page.display, 1, 1, Severity.INFO, "page.cascade",
            f"not published: the '{cascade.key}' on line {index.meta_line(cascade.key)} of {index.display} holds it "
            "back"))
        held.append(dataclasses.replace(page, draft=True))
    return held


def _folder_languages(pages: list[Page]) -> list[Page]:
    """A page that does not name its language is in the one the index page of its folder names,
    or the index page of the nearest folder above: a wiki keeps its German pages under `de/`."""
    named: dict[str, str] = {}
    for page in sorted(pages, key=lambda page: page.path):
        if isinstance(page, Article) and page.lang and posixpath.basename(page.path).lower() in INDEX_NAMES:
            named.setdefault(posixpath.dirname(page.path), page.lang)
    if not named:
        return pages

    def inherited(path: str) -> str | None:
        folder = posixpath.dirname(path)
        while folder not in named and folder:
            folder = posixpath.dirname(folder)
        return named.get(folder)

    return [dataclasses.replace(page, lang=lang) if isinstance(page, Article) and page.lang is None
            and (lang := inherited(page.path)) else page for page in pages]


def _hold_back_includers(pages: list[Page], collection: Collection, failed: set[str],
                         diagnostics: list[Diagnostic]) -> list[Page]:
    """A page that pulls a held-back file into itself (pymdownx.snippets) is held back too,
    and so on, until no page does."""
    includes = {page.path: snippet_includes(page.body, page.body_line) for page in pages if "8<-" in page.body}
    if not includes:
        return pages
    root = collection.display_root.rstrip("/") + "/" if collection.display_root else ""
    held = {page.path for page in pages if page.draft} | collection.refused | failed
    changed = True
    while changed:
        changed = False
        for page in pages:
            if page.path in held or not includes.get(page.path):
                continue
            for target, line in includes[page.path]:
                path = target[len(root):] if root and target.startswith(root) else target
                parts = posixpath.normpath(path).split("/")
                if any("/".join(parts[:depth]) in held for depth in range(1, len(parts) + 1)):
                    diagnostics.append(Diagnostic(
                        page.display, line, 1, Severity.ERROR, "snippet.withheld",
                        f"this page includes {target}, which is not published; it is held back too, so that the "
                        "included text stays off the site"))
                    held.add(page.path)
                    changed = True
                    break
    return [dataclasses.replace(page, draft=True) if page.path in held and not page.draft else page for page in pages]


def read_alone(content_dir: Path, path: str, display: str, config: KbConfig,
               cache: ParseCache | None = None) -> Page | None:
    """One page read and parsed by itself, for a preview that shows a saved page before the
    whole wiki is read again; None unless reading it alone surely publishes it as the whole
    build would: it decodes, is within the size limit, parses without an error and is no draft,
    and nothing another file says can hold it back or change it (a folder's cascade or language,
    an included file). The whole build that follows decides for good."""
    if posixpath.basename(path).lower() in INDEX_NAMES:
        return None
    # A link may lead out of the content folder; the whole build refuses it (file.symlink).
    target = content_dir / path
    parts = path.split("/")
    folders = [content_dir.joinpath(*parts[:depth]) for depth in range(1, len(parts))]
    if target.is_symlink() or any(folder.is_symlink() for folder in folders):
        return None
    try:
        data = target.read_bytes()
        text = decode_markdown(data)
    except (OSError, UnicodeDecodeError):
        return None
    if len(data) > config.limits.page_max_bytes or "\x00" in text or "8<-" in text:
        return None
    try:
        page, diagnostics = (cache.parse if cache is not None else parse_source)(Source(path, display, text), config)
    except Exception:  # the whole build reports it, behind its fault barrier
        return None
    if page.draft or any(diagnostic.severity is Severity.ERROR for diagnostic in diagnostics):
        return None
    return page
