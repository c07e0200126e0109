"""kb's search index, built in a process of its own while MkDocs renders the pages, or here at
the end (mkdocs_kb.parallel decides which); `NoSearch` for a site without kb's search."""

from __future__ import annotations

import functools
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from mkdocs.utils import write_file

from kb.memory import collect_never
from kb.model import Page as KbPage
from kb.search.site import SearchInput, emit_index, page_terms, page_texts
from kb.timing import StageClock
from mkdocs_kb.process import Background, BackgroundError

log = logging.getLogger("mkdocs.plugins.kb")


class SearchIndex:
    """kb's search index, built in a process of its own where the build forks (else here, when
    the build ends). Most of the index is the pages' own words: it starts on them as soon as
    the pages are parsed, while this process analyses them, generates the pages and MkDocs
    renders them, and gets the rest (topics, people, dates) when the analysis is done. It is
    forked while this process is small: it shares almost nothing with it, so neither copies
    memory the other writes to."""

    def __init__(self, languages: tuple[str, ...], clock: StageClock, site_dir: str, *, fork: bool) -> None:
        self.languages, self.clock, self.site_dir = languages, clock, site_dir
        #: Pages were held back after the index was started: it is built here, at the end.
        self.stale = False
        self.background = Background(functools.partial(_search_steps, languages=languages, parent=os.getpid(),
                                                       site_dir=site_dir),
                                     fork=fork, inbox=True)
        #: What the search process sent at its end, or how it failed, once taken (take_if_sent).
        self._sent: tuple[list[str], float] | BackgroundError | None = None

    def pages_parsed(self, pages: Iterable[KbPage]) -> None:
        self.background.send(page_texts(pages, self.languages))

    def analysed(self, found: SearchInput) -> None:
        self.background.send(found)

    def pages_held_back(self) -> None:
        self.stale = True

    def take_if_sent(self) -> None:
        """Called for every page MkDocs converts and writes. The search process ends only once
        its last message is read (the list of files it wrote: more than a pipe holds at 50,000
        pages), and until then it keeps its memory, a gigabyte at that size. Taken as soon as
        it is there, it ends while the pages are still being rendered, not at the build's end."""
        if self._sent is None and self.background.ready():
            try:
                self._sent = self.background.next()
            except BackgroundError as error:
                self._sent = error

    def write(self, build_here: Callable[[], dict[str, bytes]]) -> None:
        """Waits for the search files, which the search process writes into the site; if it
        failed, or pages were held back after it started, `build_here` builds them and they
        are written here, and any file the process wrote that this index has not is removed."""
        waited = time.perf_counter()
        written: list[str] = []
        try:
            sent = self._sent if self._sent is not None else self.background.next()
            if isinstance(sent, BackgroundError):
                raise sent
            written, seconds = sent
            if self.stale:
                raise BackgroundError("pages were held back after the index was started")
        except BackgroundError as error:
            log.debug(f"kb: the search index process failed, building it here: {error}")
            started = time.perf_counter()
            search_files = build_here()
            write_files(search_files, self.site_dir)
            for path in sorted(set(written) - set(search_files)):
                Path(self.site_dir, path).unlink(missing_ok=True)
            seconds = time.perf_counter() - started
        self.background.close()
        self.clock.add("search", seconds)
        self.clock.add("search wait", time.perf_counter() - waited)
        log.info(self.clock.summary("search") + f" ({self.clock.seconds['search wait']:.2f} s waited)")

    def close(self) -> None:
        self.background.close()


class NoSearch:
    """A site without kb's search (`search: false`)."""

    def pages_parsed(self, pages: Iterable[KbPage]) -> None:
        pass

    def analysed(self, found: SearchInput) -> None:
        pass

    def pages_held_back(self) -> None:
        pass

    def take_if_sent(self) -> None:
        pass

    def write(self, build_here: Callable[[], dict[str, bytes]]) -> None:
        pass

    def close(self) -> None:
        pass


def _search_steps(receive: Callable[[], Any], *, languages: tuple[str, ...], parent: int,
                  site_dir: str) -> Iterator[Any]:
    """In the search process: the pages' terms, then the index once the rest arrives, written
    into the site. The process then ends with its memory given back, long before the build's
    last pages, when the others are largest; the build only waits for the list of files."""
    started = time.perf_counter()
    if os.getpid() != parent:
        # Rendering pages is what the build waits for; the index is needed only at the end.
        os.nice(5)
        collect_never()
    terms = page_terms(receive())
    waited = time.perf_counter() - started
    before = time.perf_counter()
    found = receive()
    waited += time.perf_counter() - before
    search_files = emit_index(found, terms, languages)
    del terms, found
    write_files(search_files, site_dir)
    yield sorted(search_files), time.perf_counter() - started - waited


def write_files(files: dict[str, bytes], site_dir: str) -> None:
    """The search files into the site, in order of their paths."""
    for path, data in sorted(files.items()):
        write_file(data, str(Path(site_dir, path)))
