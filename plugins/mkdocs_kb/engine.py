"""Every use of MkDocs beyond its documented plugin API, in one module.

kb writes against MkDocs 1.6's public plugin API; the few things below are not part of it. Each
says why kb needs it, and tests/test_engine.py fails with the name of the one that changed if a
MkDocs release moves it. A later move to another site engine starts here.

What the page-rendering process earns (mkdocs_kb.parallel), against the internals it needs
(`get_context`, `_title_from_render`, `present_anchor_ids`, `links_to_anchors`, the empty
template and the "Page skipped" note), on a 1,000-page corpus (`make_corpus.py 1000`, `plugins:
[kb]`; `python bench/parallel_gain.py CORPUS`, the search process forked either way): on a
machine of 2 cores that other builds kept busy (load 5 to 7), best of three builds each, 8.9 s
with it and 9.4 s without (5 % less); best of five, 14.4 s and 13.1 s. With no core to spare it
earns nothing measurable; measure again on an idle machine before relying on it, and drop it
(and most of this module) if it still earns under a tenth of the build.

The preview of `kb serve` (mkdocs_kb.preview) needs more: which files a dirty build writes
(`rebuild_only`), writing a page after the build (`build_page_again`), asking the development
server for a build and for a reload (`request_rebuild`, `reload_browsers`), writing a save in
place of its build (`build_first_with`), and watching the files without polling them
(`watch_natively`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from typing import Any

import jinja2
import watchdog.events
import watchdog.observers
from mkdocs.commands.build import _build_page, _populate_page, get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

#: The template a page gets when its HTML comes from elsewhere (theme/kb-elsewhere.html): it
#: renders nothing, and MkDocs writes nothing for a page whose output is empty (`_build_page`).
ELSEWHERE_TEMPLATE = "kb-elsewhere.html"
#: MkDocs' note (at INFO) for each page whose output was empty; the logger that writes it.
SKIPPED_NOTE = "Page skipped: '"
BUILD_LOGGER = "mkdocs.commands.build"


def page_context(nav: Navigation, config: MkDocsConfig, page: Page, pages: Sequence[File]) -> dict[str, Any]:
    """The template context MkDocs gives a page. The page-rendering process renders pages
    itself and needs exactly MkDocs' context; `get_context` is what `_build_page` calls, with
    `pages` the site's documentation pages (`Files.documentation_pages()`, which goes through
    every file: listed once for all pages, as MkDocs does)."""
    return get_context(nav, pages, config, page)


Render = Callable[[MkDocsConfig, Files], None]


def wrap_render(page: Page, make: Callable[[Render], Render]) -> None:
    """Replace `page.render` for the one call MkDocs makes next (`_populate_page` calls
    `page.render(config, files)` on the instance): the fault barrier guards the conversion of
    Markdown this way, and the page-rendering process hands over its conversion. `make` gets
    the render method as it is now and returns what runs instead; after that one call the
    page's own method is back."""
    inner = page.render

    def render(config: MkDocsConfig, files: Files) -> None:
        try:
            make(inner)(config, files)
        finally:
            if page.__dict__.get("render") is render:
                del page.__dict__["render"]

    page.__dict__["render"] = render


def rendered_state(page: Page) -> tuple[str | None, set[str] | None, dict[File, dict[str, str]] | None]:
    """What `Page.render` sets besides the content and table of contents: the title from the
    page's first heading (`_title_from_render`, which `page.title` reads), and the anchors the
    page has and links to (MkDocs checks them when the build ends)."""
    return page._title_from_render, page.present_anchor_ids, page.links_to_anchors


def set_rendered_state(page: Page, title: str | None, anchors: set[str] | None,
                       links: dict[File, dict[str, str]] | None) -> None:
    """The reverse of rendered_state, for a conversion made in another process."""
    page._title_from_render = title
    page.present_anchor_ids = anchors
    page.links_to_anchors = links


def empty_render(page: Page) -> None:
    """What `Page.render` leaves on a page with no content, so that MkDocs can go on with a
    page whose conversion failed."""
    page.content = ""
    page.toc = get_toc([])
    set_rendered_state(page, None, set(), {})


class HideSkipped(logging.Filter):
    """MkDocs notes each page it did not write; the page-rendering process wrote these, so the
    note would be wrong. It is only text: this filter reads it."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.startswith(SKIPPED_NOTE):
            return message[len(SKIPPED_NOTE):].split("'", 1)[0] not in self.paths
        return True

    def install(self) -> None:
        logging.getLogger(BUILD_LOGGER).addFilter(self)

    def remove(self) -> None:
        logging.getLogger(BUILD_LOGGER).removeFilter(self)


def absolute_links_option(config: MkDocsConfig) -> str | None:
    """MkDocs' `validation.links.absolute_links`, spelt as in mkdocs.yml when it is
    `relative_to_docs`: MkDocs holds that as a member of a private enumeration (the other
    values are log levels), and kb reads such links as MkDocs does (kb.siteconfig.links_root)."""
    value = config.validation.links.absolute_links
    return "relative_to_docs" if getattr(value, "name", None) == "RELATIVE_TO_DOCS" else None


def rebuild_only(files: Files, wanted: set[str] | None) -> None:
    """Under `mkdocs serve --dirty`, MkDocs converts and writes a page, and copies a file, only
    when `File.is_modified()` says so (`_populate_page`, `_build_page`, `File.copy_file`); for
    a file a plugin generates it always says yes, and for the others it compares modification
    times, which know nothing of the backlinks or listings a saved page changed elsewhere. The
    preview decides instead: these content paths are rebuilt, and nothing else (None: all).
    The method is replaced on each instance, which lives for one build."""
    for file in files:
        file.__dict__["is_modified"] = (lambda: True) if wanted is None else (
            lambda uri=file.src_uri: uri in wanted)


def build_page_again(page: Page, config: MkDocsConfig, files: Files, nav: Navigation, env: jinja2.Environment,
                     pages: Sequence[File]) -> None:
    """Convert and write one page as MkDocs' build does (`_populate_page`, then `_build_page`,
    with every plugin event), outside MkDocs' build loop: the preview writes a saved page this
    way, and then the pages the save changed elsewhere. `pages` is `files.documentation_pages()`,
    which goes through every file: listed once for all the pages written together."""
    _populate_page(page, config, files)
    _build_page(page, config, pages, nav, env)


def request_rebuild(server: Any) -> None:
    """Have `mkdocs serve` build the site again, as when a watched file changes
    (`LiveReloadServer._want_rebuild` under `_rebuild_cond`, which its watcher sets): the
    preview asks for a whole build when a save changed more than it can follow."""
    with server._rebuild_cond:
        server._want_rebuild = True
        server._rebuild_cond.notify_all()


def build_first_with(server: Any, quick: Callable[[], bool]) -> None:
    """Have `mkdocs serve` call `quick` when files changed, and build only when it returns False:
    its build loop calls `LiveReloadServer.builder` once the changes settle, then reloads the
    browsers. A build reads the configuration again and lists, stats and makes a page of every
    file (3 s at 10,000 pages) before it writes the one saved page; the preview writes a save it
    can follow with the last build's objects instead."""
    whole = server.builder

    def builder() -> None:
        if not quick():
            whole()

    server.builder = builder


#: What tells that a file changed. A file opened or read is not a change: the preview reads
#: every page after each save, and must not be told of its own reads.
CHANGES: list[type[watchdog.events.FileSystemEvent]] = [
    watchdog.events.FileCreatedEvent, watchdog.events.FileDeletedEvent, watchdog.events.FileModifiedEvent,
    watchdog.events.FileMovedEvent, watchdog.events.FileClosedEvent,
    watchdog.events.DirMovedEvent, watchdog.events.DirDeletedEvent,
]


class _Changes(watchdog.events.FileSystemEventHandler):
    """Tells `noticed` of each path changed, and asks the server for a build as MkDocs' watcher
    does. (Of a folder's own events, only its removal and renaming come: CHANGES.)"""

    def __init__(self, server: Any, noticed: Callable[[str], None]) -> None:
        self.server, self.noticed = server, noticed

    def on_any_event(self, event: watchdog.events.FileSystemEvent) -> None:
        for path in (event.src_path, event.dest_path):
            if path:
                self.noticed(os.fsdecode(path))
        request_rebuild(self.server)


def watch_natively(server: Any, noticed: Callable[[str], None]) -> BaseObserver | None:
    """Watch what `mkdocs serve` watches with the system's notifications of changes (inotify,
    FSEvents, ReadDirectoryChangesW), telling `noticed` of each changed path.

    MkDocs' server polls (`LiveReloadServer.observer` is watchdog's PollingObserver, which works
    on the folders Docker and network drives mount, where notifications never arrive): every
    half second it walks every watched folder and stats every file. At 10,000 pages that is a
    quarter of a core, holding the lock the build's threads share, and a save is noticed up to
    half a second late. The paths MkDocs watches (`_watched_paths`, before on_serve's plugins add
    theirs) move to an observer of this system's kind; None, and MkDocs polls as before, when
    this system has none or refuses (too many folders for inotify's limit, say)."""
    native = watchdog.observers.Observer
    if isinstance(native, type) and issubclass(native, PollingObserver):
        return None
    paths = dict(server._watched_paths)
    if not paths:
        return None
    observer = native()
    handler = _Changes(server, noticed)
    try:
        for path in paths:
            observer.schedule(handler, path, recursive=os.path.isdir(path), event_filter=CHANGES)
        observer.start()
    except OSError:
        observer.unschedule_all()
        return None
    for path, count in paths.items():
        for _ in range(count):
            server.unwatch(path)
    return observer


def reload_browsers(server: Any) -> None:
    """Have every open page of `mkdocs serve` reload, as after a build: it waits on
    `_visible_epoch` under `_epoch_cond`. The preview writes the pages a save changed elsewhere
    after MkDocs' build ended, and the pages open on them must show it."""
    with server._epoch_cond:
        server._visible_epoch = server._wanted_epoch = max(server._visible_epoch + 1, server._wanted_epoch)
        server._epoch_cond.notify_all()


__all__ = ["build_first_with", "build_page_again", "rebuild_only", "reload_browsers", "request_rebuild",
           "watch_natively",
           "ELSEWHERE_TEMPLATE", "HideSkipped", "absolute_links_option", "empty_render", "page_context",
           "rendered_state", "set_rendered_state", "wrap_render"]
