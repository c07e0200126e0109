"""kb's search index, built in a process of its own while MkDocs renders the pages, or here at
the end (mkdocs_kb.parallel decides which); `NoSearch` for a site without kb's search."""

from __future__ import annotations

import functools
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

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

    def __init__(self, languages: tuple[str, ...], clock: StageClock, *, fork: bool) -> None:
        self.languages, self.clock = languages, clock
        #: Pages were held back after the index was started: it is built here, at the end.
        self.stale = False
        self.background = Background(functools.partial(_search_steps, languages=languages, parent=os.getpid()),
                                     fork=fork, inbox=True)

    def pages_parsed(self, pages: Iterable[KbPage]) -> None:
        self.background.send(page_texts(pages, self.languages))

    def analysed(self, found: SearchInput) -> None:
        self.background.send(found)

    def pages_held_back(self) -> None:
        self.stale = True

    def files(self, build_here: Callable[[], dict[str, bytes]]) -> dict[str, bytes]:
        """The search files, by site path; built by `build_here` if the process failed."""
        waited = time.perf_counter()
        try:
            if self.stale:
                raise BackgroundError("pages were held back after the index was started")
            search_files, seconds = self.background.next()
        except BackgroundError as error:
            log.debug(f"kb: the search index process failed, building it here: {error}")
            started = time.perf_counter()
            search_files, seconds = build_here(), time.perf_counter() - started
        self.background.close()
        self.clock.add("search", seconds)
        self.clock.add("search wait", time.perf_counter() - waited)
        log.info(self.clock.summary("search") + f" ({self.clock.seconds['search wait']:.2f} s waited)")
        return search_files

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

    def files(self, build_here: Callable[[], dict[str, bytes]]) -> dict[str, bytes]:
        return {}

    def close(self) -> None:
        pass


def _search_steps(receive: Callable[[], Any], *, languages: tuple[str, ...], parent: int) -> Iterator[Any]:
    """In the search process: the pages' terms, then the index once the rest arrives."""
    started = time.perf_counter()
    if os.getpid() != parent:
        # Rendering pages is what the build waits for; the index is needed only at the end.
        os.nice(5)
        collect_never()
    texts = receive()
    waited = time.perf_counter() - started
    terms = page_terms(texts)
    before = time.perf_counter()
    found = receive()
    waited += time.perf_counter() - before
    yield emit_index(found, terms, languages), time.perf_counter() - started - waited
