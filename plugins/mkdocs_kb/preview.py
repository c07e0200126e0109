"""The preview of `mkdocs serve --dirty` (`kb serve`): a saved page at the speed of typing.

A whole build of a large wiki takes a minute; a save must show in a second or two. The
server's watcher tells the preview which files changed (mkdocs_kb.engine.watch_natively), and a
save of pages it can follow is written without MkDocs' build, which would first read the
configuration again and list, stat and make a page of every file: the saved pages are read
alone (kb.read.pages.read_alone) and written with the last build's views, files, navigation and
templates (`save_quickly`). Where the watcher polls as MkDocs' does (`kb serve --poll`), MkDocs
builds, and the same saves make a quick build (`quick_build`) that writes the saved pages alone.

Then, in this process but after the saved pages are written, the wiki is read again (the
saved pages alone, the others as the last build read them while git says the same of the files
and no editor's backup came or went; each page's parse is cached by its text and the history by
HEAD), the site is derived again (kept where its inputs are the same: each page's links, who
changed what), and the pages whose views the save changed (kb.render.incremental: backlinks,
topics, people, listings, the index pages) are written with their new views, and open
browsers reload: first the saved pages' neighbours, then the data files (previews, graph,
feeds) and the pages further away. What the last derivation worked out and still holds is kept
(each source compressed, each link's target while no page's name changed), and the log says
where the time went. A save that reaches further (a page added,
removed, held back, renamed or retitled, a person or topic changed, a commit, mkdocs.yml) is a
whole build, as `mkdocs serve` makes without kb.

Nothing here runs in `mkdocs build`, and a whole build under `serve` writes what `mkdocs build`
writes: the caches hold only what a build would compute again the same way.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import jinja2.bccache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.utils import write_file

from kb.analyse.knowledge import KnowledgeBase, derive
from kb.memory import collector_paused, settle
from kb.model import Article, Kind
from kb.model import Page as KbPage
from kb.read.attachments import is_editor_file
from kb.read.history import PendingHistory
from kb.read.pages import ParseCache, collect, collect_again, parse, read_alone
from kb.read.publication import date_holds
from kb.read.worktree import PendingWorkTree
from kb.render.generate import Site
from kb.render.incremental import SaveReach
from kb.timing import StageClock
from mkdocs_kb.engine import build_page_again, rebuild_only, reload_browsers, request_rebuild
from mkdocs_kb.pages import display_path, log_diagnostic, withhold_files
from mkdocs_kb.site import display_root

if TYPE_CHECKING:
    from mkdocs_kb.plugin import KbPlugin

log = logging.getLogger("mkdocs.plugins.kb")

#: A file's modification time and size: what tells a saved file from the one built.
Stamp = tuple[int, int]


@dataclass(frozen=True)
class Built:
    """The site as the output directory has it, and the files it was made from."""

    kb: KnowledgeBase
    site: Site
    sources: dict[str, Stamp]
    config_key: str
    #: How many changes of files the preview does not stamp its collection has seen (Preview._unstamped).
    unstamped: int = 0


class Preview:
    def __init__(self, dirty: bool) -> None:
        #: Under `--dirty` MkDocs keeps the output between builds, which the quick builds need;
        #: without it every build is whole (with the caches still).
        self.dirty = dirty
        self.parses = ParseCache()
        #: MkDocs' development server (on_serve), to reload browsers and to ask for a build.
        self.server: Any = None
        #: The last build's files, navigation and templates, which the follow-up renders with.
        self.files = Files([])
        self.nav: Navigation | None = None
        self.env: Any = None
        #: Whether the build under way is a quick one.
        self.quick = False
        self._built: Built | None = None
        self._sources: dict[str, Stamp] = {}
        #: The content path of each file stamped, by where the file is (a plugin may move a file).
        self._origins: dict[str, str] = {}
        #: The last build's configuration, which a save written without MkDocs' build uses.
        self.config: MkDocsConfig | None = None
        #: The files the server's watcher said changed since the last build (`kb serve`).
        self._noticed: set[str] = set()
        self._noticing = threading.Lock()
        self._config_key = ""
        self._changed: set[str] = set()
        #: Changes of files the preview does not stamp and the content's walk reads, counted: an
        #: editor's backup written or removed beside a page (kb notes it, and a link may name it).
        #: A follow-up walks the whole content until the last build has seen them all.
        self._unstamped = 0
        self._walk_from = 0
        #: The editors' files MkDocs listed at its last build, with their stamps (_stamps).
        self._editors: dict[str, Stamp | None] = {}
        self._follow: threading.Thread | None = None
        #: Set when the next save is being built: the follow-up stops at its next step, and
        #: after the page it is writing. Each follow-up has its own.
        self._stop = threading.Event()
        #: Held while a follow-up writes pages with MkDocs' objects and changes what is kept
        #: here: reading the wiki again and deriving it needs no lock, and is left behind.
        self._writing = threading.Lock()
        #: Pages a stopped follow-up did not write, which the next one writes.
        self._pending: set[str] = set()
        #: What git says of the content, asked as the save is written (on another core: the
        #: follow-up's walk of the content needs its answer). It is asked again for every
        #: save: what git ignores follows files nobody watches (the repository's own
        #: .gitignore, its index).
        self._worktree: PendingWorkTree | None = None
        self.templates = CompiledTemplates()

    def wait(self) -> None:
        """Until the pages the last save changed elsewhere are written."""
        if self._follow is not None:
            self._follow.join()
            self._follow = None

    def stop(self) -> None:
        """Another save is being built, which writes what the last one's follow-up did not: that
        stops after the page it is writing, or at its next step if it is still reading the wiki."""
        self._stop.set()
        with self._writing:
            pass

    def forget(self) -> None:
        """The build failed: the next one is whole."""
        self._built = None
        self._pending = set()
        self.quick = False

    def quick_build(self, plugin: KbPlugin, files: Files, config: MkDocsConfig, root: str) -> bool:
        """Prepare a quick build of the saved pages, in on_files; False when it must be whole."""
        self.quick = False
        self._sources, self._origins, editors = _stamps(files, config.docs_dir)
        # Under --poll MkDocs lists editors' files too: one that came or went is in its files,
        # which only a whole build withholds again; one written again is walked by the follow-up.
        came_or_went = editors.keys() != self._editors.keys()
        if editors != self._editors:
            self._unstamped += 1
            self._editors = editors
        self._walk_from = self._unstamped
        self._config_key = _config_key(config)
        built = self._built
        if built is None or built.config_key != self._config_key or built.kb.config != plugin.kb_config \
                or came_or_went:
            return False
        changed = _differing(self._sources, built.sources)
        if not changed:
            # Something MkDocs watches changed that no page is: a .gitignore, which may hold a
            # page back, or the theme. Only a whole build can tell what that does.
            return False
        overlay = self._saved_pages(plugin, built, changed, config.docs_dir, root)
        if overlay is None:
            return False
        plugin.show_saved(built.kb, built.site, overlay, root)
        withhold_files(files, built.kb, config)
        plugin.add_site_files(config, files, built.site)
        plugin.set_navigation(config, files, built.site)
        rebuild_only(files, set(overlay))
        # The sitemap lists every page, and a save changes none of its addresses: it stays the
        # last whole build's (MkDocs renders the theme's static templates on every build).
        config.theme.static_templates.discard("sitemap.xml")
        self.quick, self._changed = True, changed
        # git looks at the files on another core while MkDocs builds the saved pages: the
        # follow-up's walk of the content needs its answer.
        self._worktree = PendingWorkTree(Path(config.docs_dir))
        return True

    def notice(self, path: str) -> None:
        """A file changed (the server's watcher calls this, on its own thread)."""
        with self._noticing:
            self._noticed.add(path)

    def save_quickly(self, plugin: KbPlugin) -> bool:
        """In place of MkDocs' build, under `kb serve`: write the saved pages with the last build's
        files, navigation and templates, then follow up as after a quick build. True when done
        (or when nothing the site shows changed); False when MkDocs must build, which then
        decides as before between a quick build and a whole one."""
        with self._noticing:
            noticed, self._noticed = self._noticed, set()
        built, config, nav, env = self._built, self.config, self.nav, self.env
        if not self.dirty or not noticed or built is None or config is None or nav is None or env is None:
            return False
        try:
            return self._save_quickly(plugin, built, config, nav, env, noticed)
        except Exception:  # MkDocs' build reports the problem where it is
            log.debug("kb: the quick save failed", exc_info=True)
            return False

    def _save_quickly(self, plugin: KbPlugin, built: Built, config: MkDocsConfig, nav: Navigation, env: Any,
                      noticed: set[str]) -> bool:
        if _config_key(config) != built.config_key:
            return False
        sources = dict(self._sources)
        # The system may name a file by its real path, where the content's folder is reached
        # through a link (macOS' FSEvents: /private/var/... for /var/...).
        docs, real = config.docs_dir, os.path.realpath(config.docs_dir)
        came_or_went = False
        for path in sorted(noticed):
            if real != docs and path.startswith(real + os.sep):
                path = docs + path[len(real):]
            uri = self._origins.get(path)
            if uri is None:
                if _editor_file(path) and not any(origin.startswith(path + os.sep) for origin in self._origins):
                    # Nothing of it is published (a folder of pages named so is not one).
                    name = os.path.basename(path)
                    if is_editor_file(name) and not name.startswith("."):
                        # The walk notes it, and searches it for credentials: the next follow-up
                        # walks, and one that came or went starts a follow-up of its own.
                        self._unstamped += 1
                        held = os.path.relpath(path, docs).replace(os.sep, "/") in built.kb.withheld
                        came_or_went = came_or_went or os.path.lexists(path) != held
                        continue
                    if name.startswith(".") or not os.path.lexists(path):
                        continue  # hidden, as the walk leaves it out (Vim's swap files), or gone (Vim's 4913)
                # A new file, a .gitignore, a template, mkdocs.yml, the theme, or a folder moved
                # away (the system names the folder alone): a build reads them.
                return False
            stamp = _stamp(path)
            if stamp is None:
                return False  # a page removed
            sources[uri] = stamp
        # A page put back as it was in the last build (a backup copied with its time) while a
        # follow-up shows its edit is a save too.
        changed = _differing(sources, built.sources) | _differing(sources, self._sources)
        if not changed:
            if came_or_went:
                # Only an editor's file came or went: the follow-up walks the content, and writes
                # what the walk changed (a link to it, the notes).
                self.stop()
                self._sources, self._changed = sources, set()
                self._worktree = PendingWorkTree(Path(config.docs_dir))
                self.follow_up(plugin, config)
            return True
        root = display_root(plugin.docs_dir, config)
        self.stop()
        overlay = self._saved_pages(plugin, built, changed, config.docs_dir, root)
        if overlay is None:
            return False
        plugin.show_saved(built.kb, built.site, overlay, root)
        self._sources, self._changed = sources, changed
        pages = self.files.documentation_pages()
        for path in sorted(overlay):
            file = self.files.get_file_from_path(path)
            if file is None or file.page is None:
                return False
            build_page_again(file.page, config, self.files, nav, env, pages)
        if plugin.barrier.converting:
            return False  # MkDocs' build holds the page back everywhere (it wrote nothing of it)
        # Started last: a whole build forks, which a thread running beside it must not see.
        self._worktree = PendingWorkTree(Path(config.docs_dir))
        self.follow_up(plugin, config)
        return True

    def _saved_pages(self, plugin: KbPlugin, built: Built, changed: set[str], docs_dir: str,
                     root: str) -> dict[str, KbPage] | None:
        """The saved pages, each read alone; None when a save reaches further than its
        neighbours as far as the page alone tells (a page added or removed, held back or
        published, made a profile or a topic's page): a whole build."""
        today = built.kb.insights.today
        overlay: dict[str, KbPage] = {}
        for path in sorted(changed):
            if not path.endswith(".md") or path not in built.sources or path not in self._sources:
                return None
            page = read_alone(Path(docs_dir), path, display_path(root, path), plugin.kb_config, self.parses)
            before = built.kb.page(path)
            if before is None:
                if page is None:
                    continue  # still held back, as far as the page alone says: the follow-up decides
                return None
            if page is None or page.kind is not Kind.ARTICLE or before.kind is not Kind.ARTICLE:
                return None
            if today is not None and date_holds(page.meta, today):
                return None  # Hugo's publishDate or expiryDate holds it back: the whole build says so
            if isinstance(page, Article) and isinstance(before, Article) and page.lang is None:
                page = dataclasses.replace(page, lang=before.lang)  # the folder's, which the page alone cannot know
            overlay[path] = page
        return overlay

    def built(self, plugin: KbPlugin, config: MkDocsConfig) -> None:
        """A whole build ended: the next save is compared with it."""
        assert plugin.kb is not None and plugin.site is not None
        self._built = Built(plugin.kb, plugin.site, self._sources, self._config_key, self._walk_from)
        settle()

    def follow_up(self, plugin: KbPlugin, config: MkDocsConfig) -> None:
        """After a quick build: the rest of what the save changed, while the server serves it."""
        self.quick = False
        if not self._changed and (self._built is None or self._built.unstamped == self._unstamped):
            return  # a file MkDocs watches changed, and none of the content
        self._stop = threading.Event()
        self._follow = threading.Thread(target=self._write_the_rest,
                                        args=(plugin, config, self.files, self._stop, self._sources, self._origins,
                                              self._changed, self._worktree, self._unstamped),
                                        name="kb-preview", daemon=True)
        self._follow.start()

    def _write_the_rest(self, plugin: KbPlugin, config: MkDocsConfig, files: Files, stop: threading.Event,
                        sources: dict[str, Stamp], origins: dict[str, str], changed: set[str],
                        worktree: PendingWorkTree | None, unstamped: int) -> None:
        built = self._built
        if built is None:
            if worktree is not None:
                worktree.result()  # ended before the whole build forks
            return  # a whole build was asked for meanwhile
        # Where the time goes, in the log: the save's neighbours are written after "read",
        # "derive", "views" and "near pages".
        clock = StageClock()
        try:
            root = display_root(plugin.docs_dir, config)
            history = PendingHistory(plugin.docs_dir, plugin.kb_config.bots, display=root)
            # Left behind at any step when the next save is built: that one compares its files
            # with the same last build, so it reads this save too.
            with collector_paused():
                with clock.stage("read"):
                    # The saved pages alone are read again, unless a file the preview does not
                    # stamp changed since the last build's walk.
                    earlier = built.kb.inputs.collection \
                        if built.kb.inputs is not None and built.unstamped == unstamped else None
                    collection = collect(plugin.docs_dir, plugin.kb_config, root, worktree=worktree) if earlier is None \
                        else collect_again(earlier, changed, plugin.docs_dir, plugin.kb_config, root, worktree)
                    if stop.is_set():
                        return
                    differing = _differing_files(sources, origins)
                    if differing:
                        # A file changed after the save was looked at: the wiki just read holds
                        # a save the pages do not show yet. The build of that save compares
                        # with the same last build, so does both; it is asked for here too, as
                        # the system may not tell of the change (a file's time set alone).
                        for path in differing:
                            self.notice(path)
                        with self._writing:
                            if not stop.is_set() and self.server is not None:
                                request_rebuild(self.server)
                        return
                    parsed = parse(collection, plugin.kb_config, cache=self.parses)
                if stop.is_set():
                    return
                with clock.stage("derive"):
                    kb = derive(parsed, self.parses.packed(collection), plugin.kb_config, history, earlier=built.kb)
                if stop.is_set():
                    return
                # The pages first: the data files (previews, graph, insights, feeds) follow them.
                with clock.stage("views"):
                    site = plugin.generate_pages(kb, config, files)
                    if stop.is_set():
                        return
                    reach = SaveReach(built.kb, built.site, kb, site, changed)
            if reach.whole:
                log.info("kb: the save changed more than its pages' neighbours: building the whole site again")
                with self._writing:
                    if not stop.is_set():
                        self._build_whole()
                return
            for diagnostic in sorted(set(kb.diagnostics) - set(built.kb.diagnostics)):
                log_diagnostic(diagnostic)
            near = reach.near | self._pending
            with self._writing, clock.stage("near pages", len(near)):
                if stop.is_set():
                    return
                # Until the data files are written, the last build stays the one the next save
                # is compared with: these pages, written now, are written again by it.
                self._pending = set(near)
                if not self._write(plugin, config, files, stop, kb, site, near):
                    return
            log.info(f"kb: {len(near)} pages next to the save are written ({_stages(clock)})")
            with collector_paused(), clock.stage("data files"):
                site = dataclasses.replace(site, files=plugin.site_files(kb, site, config))
                if stop.is_set():
                    return
                rest = reach.rest() - near
            with self._writing, clock.stage("other pages", len(rest)):
                if stop.is_set():
                    return
                for path, content in site.files.items():
                    if built.site.files.get(path) != content:
                        write_file(content, os.path.join(config.site_dir, path))
                # The output now shows this save but for the pages of `rest`: the next save writes
                # them again if this one is stopped before they are all written.
                self._built = Built(kb, site, sources, built.config_key, unstamped)
                self._pending = set(rest)
                if not self._write(plugin, config, files, stop, kb, site, rest):
                    return
                self._pending = set()
            log.info(f"kb: {len(near | rest)} pages the save changed are written ({_stages(clock)})")
            settle()
        except Exception:  # the server goes on: a whole build reports the problem where it is
            log.debug("kb: the preview's follow-up failed", exc_info=True)
            with self._writing:
                if not stop.is_set():
                    self._build_whole()

    def _write(self, plugin: KbPlugin, config: MkDocsConfig, files: Files, stop: threading.Event,
               kb: KnowledgeBase, site: Site, paths: set[str]) -> bool:
        """Write these pages with MkDocs' objects of the quick build, then reload the browsers open
        on them. False when stopped by the next save, or when a page failed to convert (a whole
        build is asked for)."""
        plugin.kb, plugin.site, plugin.overlay = kb, site, {}
        pages = files.documentation_pages()
        for path in sorted(paths):
            if stop.is_set():
                return False
            file = files.get_file_from_path(path)
            if file is not None and file.page is not None:
                build_page_again(file.page, config, files, self.nav, self.env, pages)
        if plugin.barrier.converting:
            # A page failed to convert: holding it back everywhere is a whole build's work.
            self._build_whole()
            return False
        # The pages open on the saved page's neighbours show them first.
        if self.server is not None and paths:
            reload_browsers(self.server)
        return True

    def _build_whole(self) -> None:
        self._built = None
        self._pending = set()
        if self.server is not None:
            request_rebuild(self.server)


class CompiledTemplates(jinja2.BytecodeCache):
    """The theme's templates compiled, kept in memory from build to build (a template whose
    source changed is compiled again: Jinja checks each against its source)."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


def _stamps(files: Files, docs_dir: str) -> tuple[dict[str, Stamp], dict[str, str], dict[str, Stamp | None]]:
    """Every file of the content that the site may publish, by content path; the content path of
    each, by where the file is; and the editors' files beside them, which are never published."""
    found: dict[str, Stamp] = {}
    origins: dict[str, str] = {}
    editors: dict[str, Stamp | None] = {}
    for file in files:
        if file.generated_by is None and file.abs_src_path and not file.inclusion.is_excluded() \
                and file.src_dir == docs_dir:
            if is_editor_file(os.path.basename(file.abs_src_path)):
                editors[file.src_uri] = _stamp(file.abs_src_path)
                continue
            stamp = _stamp(file.abs_src_path)
            if stamp is not None:
                found[file.src_uri] = stamp
                origins[file.abs_src_path] = file.src_uri
    return found, origins, editors


def _stamp(path: str) -> Stamp | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def _differing(sources: dict[str, Stamp], built: dict[str, Stamp]) -> set[str]:
    return {path for path in sources.keys() | built.keys() if sources.get(path) != built.get(path)}


#: What editors write beside a file they save besides the backups kb leaves out
#: (kb.read.attachments.is_editor_file): Vim's swap files and its test of the folder ("4913"),
#: Emacs' locks, gedit's temporary copies. Hidden, or gone at once: the site shows nothing of
#: them; any other file (a .gitignore, say) may change it.
SCRATCH_FILES = re.compile(r"^\..*\.sw[a-px]$|^4913$|^\.#|^\.goutputstream-")


def _editor_file(path: str) -> bool:
    name = os.path.basename(path)
    return is_editor_file(name) or SCRATCH_FILES.search(name) is not None


def _differing_files(sources: dict[str, Stamp], origins: dict[str, str]) -> list[str]:
    """The files stamped (by _stamps, before kb withheld any) that are no longer as `sources`
    has them: each is stat'ed where _stamps found it, which a plugin may have moved away from
    its path in the content."""
    return [path for path, uri in origins.items() if _stamp(path) != sources.get(uri)]


def _stages(clock: StageClock) -> str:
    return ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in clock.seconds.items())


def _config_key(config: MkDocsConfig) -> str:
    try:
        return hashlib.sha256(Path(config.config_file_path or "").read_bytes()).hexdigest()
    except OSError:
        return ""


__all__ = ["Preview"]
