"""The parallel build, behind one facade: `Forked` where the build may use other cores, and
`Serial`, whose every hook does nothing, for `parallel: false` or one core. The plugin's events
call the facade the same way in both, and never ask which it is.

With C cores (mkdocs_kb.process.cores: what the scheduler allows, never a fixed number), C
forked processes (mkdocs_kb.process) share the work with this one. One builds the search index
(mkdocs_kb.search_index): it gets the pages' texts as soon as they are parsed, and topics, people
and dates once the analysis is done. The other C-1 are page workers. Converting Markdown and
rendering templates are most of a build, and MkDocs does them one page at a time. When MkDocs
has its navigation, kb forks the workers: the parent keeps the head of the build order, and each
worker takes a contiguous slice of its tail (`worker_shares`), worker 1 the slice the parent
reaches first. A worker converts its pages, running the same plugin events MkDocs would, and
sends back what `Page.render` sets. Where the site's plugins keep no state across pages, it then
renders those pages' templates and writes their HTML itself, and MkDocs renders them with an
empty template and writes nothing. One core: Serial; two: one worker; four: three; and no
more than the memory left can hold, each reckoned at the parent's size (`workers_memory_allows`).

What the parent takes is checked, for each worker. A converted page is taken only if the
Markdown the worker converted is exactly the Markdown MkDocs has for it now; otherwise it is
converted again here. A written page stands only if its worker saw the same navigation (titles
and URLs) as the parent; otherwise it is rendered and written again here, after that worker has
finished. The log records a worker wrote are replayed when MkDocs reaches the page, so warnings
show in order and `--strict` counts them; a worker that fails costs its own pages, rendered
here, and no other worker's. The site is byte-identical to a build without workers
(`parallel: false`).

How the pages are shared (PAGE_COST, PARENT_WEIGHT): a page costs its Markdown bytes plus
PAGE_COST. Measured in a worker (CPU time, `make_corpus.py 1000`): converting costs 1.7 µs a
byte, rendering an article's template 7.4 ms (4,250 bytes' worth) and a generated page's
(topics, people, listings: all at the end of the build order, so in the last worker's slice)
6 ms with nearly nothing to convert; PAGE_COST is 4,000 between the two. The parent does more
than its slice: for every worker's page it reads the source, runs kb's hooks, unpickles the
conversion and renders the empty template. But each worker reads every other page's source too
(`prepare`: 2 s of CPU at 10,000 pages), and the search process, at a lower priority, slows
every process alike; what the parent does after the last page (the search files, the sitemap)
waits for every worker anyway, so taking less would not start it sooner. Measured: with the
parent's share equal to a worker's (PARENT_WEIGHT 1), at 1,000 pages on 2 CPUs, the parent used
8.1 s of CPU after the fork and its worker 8.2 s. (Before, the worker listed the site's pages
for every page it rendered, which made its templates 23 ms a page at 10,000 pages; the parent
then waited 220 s for it, load 7 to 9.)

Wall time (`python bench/cores.py CORPUS`, bench/results.md, "Cores"): on a machine of 2 cores
that other builds kept at a load of 7 to 16, `make_corpus.py 1000`, best of 2: 48.5 s on one
CPU, 62.7 s on two (1.29); 23.9 s and 27.0 s of CPU. At that load the wall times say more about
the other work than about kb, and the target (two CPUs in at most 0.6 of one's time) is
unmeasured: measure again on an idle machine.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import write_file

from kb.timing import StageClock
from mkdocs_kb.barrier import FAILURE
from mkdocs_kb.engine import (
    ELSEWHERE_TEMPLATE,
    HideSkipped,
    Render,
    page_context,
    rendered_state,
    set_rendered_state,
    wrap_render,
)
from mkdocs_kb.process import Background, BackgroundError, can_fork, cores, memory_available, resident
from mkdocs_kb.search_index import NoSearch, SearchIndex

log = logging.getLogger("mkdocs.plugins.kb")

#: A page's cost, for sharing the pages out: converting its Markdown (measured in bytes) and
#: rendering its template (PAGE_COST bytes' worth a page, as measured at 10,000 pages).
PAGE_COST = 4_000
#: The parent's share of the pages against one worker's: the same, as measured (see the module docstring).
PARENT_WEIGHT = 1.0
#: Plugins known to keep no state across pages, so the child may render templates for them.
#: Any other plugin may gather something from every page (tags, blog, RSS): the child only converts.
STATELESS_PLUGINS = frozenset({"kb"})


@dataclass
class Rendered:
    """What `Page.render` sets on a page, as the child found it."""

    digest: bytes
    content: str
    toc: Any
    title: str | None
    present_anchor_ids: set[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None
    records: list[logging.LogRecord]
    #: The child ran `on_page_content` too: the content is final (only when it renders the page).
    final: bool = False
    #: The diagnostic of a conversion that failed behind the fault barrier (mkdocs_kb.barrier).
    failure: Any = None


def digest(markdown: str) -> bytes:
    return hashlib.blake2b(markdown.encode("utf-8"), digest_size=16).digest()


@dataclass
class Written:
    """The pages the child rendered and wrote, the navigation it rendered them with, and what
    each page's rendering logged."""

    navigation: str
    pages: dict[str, list[logging.LogRecord]] = field(default_factory=dict)
    #: When the worker had written them (time.perf_counter: the system's monotonic clock, the
    #: same in every process), and the CPU time it had used by then.
    finished: float = 0.0
    cpu: float = 0.0


def worker_shares(pages: Sequence[Page], sizes: dict[str, int], page_cost: int, workers: int,
                  parent_weight: float) -> list[list[Page]]:
    """The pages each worker converts: the tail of the build order cut into `workers` contiguous
    slices, in order, each about the same cost (Markdown bytes, plus `page_cost` a page). The
    parent keeps the head, `parent_weight` times a worker's share: it reaches the workers' pages
    last, when they have had longest for them, and the first worker's first. A page goes where
    the middle of its cost falls, so a slice may be empty on a small site."""
    costs = [sizes.get(page.file.src_uri, 0) + page_cost for page in pages]
    unit = sum(costs) / (parent_weight + workers) if workers > 0 else 0.0
    slices: list[list[Page]] = [[] for _ in range(workers)]
    before = 0
    for page, cost in zip(pages, costs, strict=True):
        middle = before + cost / 2
        before += cost
        if unit > 0 and middle >= parent_weight * unit:
            slices[min(int((middle - parent_weight * unit) / unit), workers - 1)].append(page)
    return slices


def workers_memory_allows(wanted: int, available: int | None, size: int | None) -> int:
    """How many of `wanted` page workers to fork from this process, `size` bytes in memory,
    when `available` bytes are free (mkdocs_kb.process.memory_available; None: unknown).

    A worker starts out sharing all of this process's memory, but Python writes to every object
    it touches (reference counts), so the memory it shares becomes its own, page by page: at
    50,000 pages a worker had copied half of its 2 GB parent by the middle of its share, and was
    still copying. So each worker is reckoned at this process's whole size, and as much again
    is kept free for this process, which holds every converted page's HTML until its template
    is rendered. With too little memory for one, the build renders every page here: slower,
    but it ends, where a worker killed for want of memory would cost its pages here anyway."""
    if available is None or not size:
        return wanted
    return max(0, min(wanted, available // size - 1))


def render_pages(pages: Sequence[Page], config: MkDocsConfig, files: Files, final: set[str]) -> dict[str, Rendered]:
    """In the child: the events and conversion MkDocs would run for each page, up to `render`,
    and `on_page_content` for the pages in `final`."""
    rendered: dict[str, Rendered] = {}
    with _captured_logs() as records:
        for page in pages:
            records.clear()
            page = config.plugins.on_pre_page(page, config=config, files=files)
            page.read_source(config)
            assert page.markdown is not None
            page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
            markdown = digest(page.markdown)
            page.render(config, files)
            is_final = page.file.src_uri in final
            if is_final:
                page.content = config.plugins.on_page_content(page.content, page=page, config=config, files=files)
            assert page.content is not None
            title, anchors, links = rendered_state(page)
            rendered[page.file.src_uri] = Rendered(
                markdown, page.content, page.toc, title, anchors,
                None if links is None else {file.src_uri: dict(anchors) for file, anchors in links.items()},
                [_portable(record) for record in records], is_final, page.__dict__.get(FAILURE),
            )
    return rendered


def take(page: Page, rendered: Rendered, files: Files) -> bool:
    """Set the child's result on `page` if it converted the Markdown the page has now."""
    if page.markdown is None or digest(page.markdown) != rendered.digest:
        return False
    page.content = rendered.content
    page.toc = rendered.toc
    if rendered.failure is not None:
        page.__dict__[FAILURE] = rendered.failure
    links = None
    if rendered.links_to_anchors is not None:
        links = {}
        for src_uri, anchors in rendered.links_to_anchors.items():
            target = files.get_file_from_path(src_uri)
            if target is not None:
                links[target] = anchors
    set_rendered_state(page, rendered.title, rendered.present_anchor_ids, links)
    _replay(rendered.records)
    return True


def navigation_key(nav: Navigation) -> str:
    """What every page's template reads from other pages: the navigation's titles and URLs."""

    def walk(items: Sequence[Any]) -> list[Any]:
        return [("section", item.title, walk(item.children)) if isinstance(item, Section)
                else ("link" if isinstance(item, Link) else "page", item.title, item.url) for item in items]

    return hashlib.blake2b(repr(walk(nav.items)).encode("utf-8"), digest_size=16).hexdigest()


def write_pages(pages: Sequence[Page], config: MkDocsConfig, files: Files, nav: Navigation) -> Written:
    """In the child: what MkDocs' _build_page does for each page, whose content is final."""
    env = config.plugins.on_env(config.theme.get_env(), config=config, files=files)
    written = Written(navigation_key(nav))
    documentation = files.documentation_pages()
    with _captured_logs() as records:
        for page in pages:
            records.clear()
            page.active = True
            try:
                context = page_context(nav, config, page, documentation)
                template = env.get_template(page.meta.get("template", "main.html"))
                context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
                html = config.plugins.on_post_page(template.render(context), page=page, config=config)
            finally:
                page.active = False
            if html.strip():
                write_file(html.encode("utf-8", errors="xmlcharrefreplace"), page.file.abs_dest_path)
                written.pages[page.file.src_uri] = [_portable(record) for record in records]
    return written


class Serial:
    """The build in this one process: `parallel: false`, one core, or no fork on this platform.
    The search index is built here at the end, and every page hook does nothing."""

    #: Processes rendering pages besides this one.
    workers = 0

    def search_index(self, languages: tuple[str, ...] | None, clock: StageClock,
                     site_dir: str) -> SearchIndex | NoSearch:
        """The search index (None: the site has no search), built in its own process if this
        forks, and written into `site_dir`."""
        return NoSearch() if languages is None else SearchIndex(languages, clock, site_dir, fork=self.workers > 0)

    def start_pages(self, config: MkDocsConfig, files: Files, nav: Navigation, sizes: dict[str, int],
                    prepare: Callable[[Page], None], in_child: Callable[[], None], clock: StageClock) -> None:
        """on_nav: nothing the page-rendering process needs changes after this event."""

    def before_render(self, page: Page) -> None:
        """on_page_markdown: MkDocs calls page.render next."""

    def content_is_final(self, page: Page) -> bool:
        """on_page_content: whether it ran already, where the page was rendered."""
        return False

    def context(self, page: Page, context: dict[str, Any],
                complete: Callable[[dict[str, Any]], dict[str, Any]]) -> dict[str, Any]:
        """on_page_context: the page's context, completed here unless the page is rendered elsewhere."""
        return complete(context)

    def on_env(self, env: jinja2.Environment, files: Files) -> None:
        """Every page is converted, no template is rendered yet."""

    def pages_held_back(self) -> None:
        """on_env, when pages were held back after the pages were shared out."""

    def convert_again(self, path: str) -> None:
        """A page is converted again here (it linked to a page held back)."""

    def on_post_page(self, page: Page, output: str) -> str:
        """The page's HTML, from wherever it was rendered ("" where it is written already)."""
        return output

    def finish(self, *, wait: bool) -> None:
        """on_post_build: the page-rendering process is done (with `wait`, once it has written
        every page it writes)."""

    def close(self) -> None:
        """The build ended or failed: no process is left running."""


@dataclass
class Worker:
    """A forked process that converts, and where it can renders and writes, one slice of the pages."""

    #: Its number, from 1, in build order: the parent reaches worker 1's pages first.
    number: int
    #: The pages it converts, and those of them it writes.
    converts: frozenset[str]
    writes: frozenset[str]
    background: Background | None = None
    #: What it sent back, by step (0: conversions, 1: pages written); None where it failed.
    results: list[Any] = field(default_factory=list)


class Forked(Serial):
    """The build on more cores: forked page workers convert, and where they can write, the pages
    at the end of the build order, one contiguous slice each, while this process does the head.

    The workers fork in start_pages, and each one's facade then forgets every worker (`_alone`):
    in a worker the plugin's events run as they would in a build of one process. `workers` is
    what the scheduler allows beside this process (mkdocs_kb.process.cores)."""

    def __init__(self, workers: int) -> None:
        #: The page workers the cores allow; `started` are those forked, which memory may make fewer.
        self.workers = workers
        self.clock = StageClock()
        self.nav: Navigation | None = None
        #: The workers started, in build order, and which converts each page.
        self.started: list[Worker] = []
        self.owner: dict[str, Worker] = {}
        self.env: jinja2.Environment | None = None
        #: Pages a worker renders: their own template, and a function that completes their context.
        self.elsewhere: dict[str, tuple[str, Any, Callable[[Any], Any] | None]] = {}
        self.final: set[str] = set()
        self.navigation = ""
        #: Pages were held back after the workers started: what they wrote was built without knowing.
        self.stale = False
        self.hidden = HideSkipped()
        #: Pages some worker converts.
        self.converted: set[str] = set()
        #: Pages some worker writes: until it has, the parent writes none of them (it may have to
        #: write one again, and must write last).
        self.child_writes: frozenset[str] = frozenset()
        self.written: set[str] = set()
        #: This process's CPU time when the workers started.
        self.cpu_at_start = 0.0
        #: The pages in build order, by content path.
        self.order: list[str] = []

    def start_pages(self, config: MkDocsConfig, files: Files, nav: Navigation, sizes: dict[str, int],
                    prepare: Callable[[Page], None], in_child: Callable[[], None], clock: StageClock) -> None:
        self.clock, self.nav = clock, nav
        self.cpu_at_start = time.process_time()
        pages = [file.page for file in files.documentation_pages() if file.page is not None]
        self.order = [page.file.src_uri for page in pages]
        # A worker that only converts (another plugin may gather state from every page) costs
        # what the Markdown does; one that also renders, a template a page more.
        stateless = set(config.plugins) <= STATELESS_PLUGINS
        free, size = memory_available(), resident()
        workers_allowed = workers_memory_allows(self.workers, free, size)
        if workers_allowed < self.workers:
            log.info(f"kb: {workers_allowed} page worker(s) instead of {self.workers}: {(free or 0) >> 20} MB of "
                     f"memory is free, and a worker may come to need as much as this process ({(size or 0) >> 20} MB), "
                     f"with as much again kept for this process")
        shares = worker_shares(pages, sizes, PAGE_COST if stateless else 0, workers_allowed, PARENT_WEIGHT)
        workers = []
        for number, share in enumerate(shares, 1):
            if not share:
                continue
            converts = frozenset(page.file.src_uri for page in share)
            worker = Worker(number, converts, converts if stateless else frozenset())
            workers.append((worker, share))
            self.started.append(worker)
            self.owner |= dict.fromkeys(converts, worker)
            self.converted |= converts
            self.child_writes |= worker.writes
        self.written = set(self.child_writes)
        for worker, share in workers:
            steps = functools.partial(self._work, worker, share, pages, config, files, nav, prepare, in_child)
            worker.background = Background(steps, fork=True)

    def _work(self, worker: Worker, share: list[Page], pages: list[Page], config: MkDocsConfig, files: Files,
              nav: Navigation, prepare: Callable[[Page], None], in_child: Callable[[], None]) -> Iterator[Any]:
        """In worker `worker`: its pages converted, then written."""
        self._alone()
        in_child()
        started = time.perf_counter()
        yield render_pages(share, config, files, set(worker.writes)), time.perf_counter() - started
        started = time.perf_counter()
        # The templates read every page's title and metadata (the navigation, the previous and next page).
        for page in pages:
            if page.file.src_uri not in worker.converts:
                prepare(page)
        written = write_pages([page for page in share if page.file.src_uri in worker.writes], config, files, nav)
        written.finished, written.cpu = time.perf_counter(), time.process_time()
        yield written, written.finished - started

    def _alone(self) -> None:
        """In a worker: the facade forgets the workers (the parent's), and its hooks do what
        they do in a build of one process."""
        self.started, self.owner, self.converted, self.final = [], {}, set(), set()
        self.child_writes, self.written, self.elsewhere = frozenset(), set(), {}

    def _result(self, worker: Worker, step: int) -> Any:
        """The worker's result of `step` (0: conversions, 1: pages written), or None if it failed."""
        while len(worker.results) <= step:
            value = None
            if worker.background is not None:
                try:
                    value = worker.background.next()
                except BackgroundError as error:
                    log.debug(f"kb: page worker {worker.number} failed, rendering its pages here: {error}")
                    self._stop(worker)
            worker.results.append(value)
        return worker.results[step]

    def before_render(self, page: Page) -> None:
        """For a page a worker converted, page.render takes the worker's work."""
        worker = self.owner.get(page.file.src_uri)
        if worker is not None:
            wrap_render(page, lambda inner: functools.partial(self._render, page, worker, inner))

    def _render(self, page: Page, worker: Worker, inner: Render, config: MkDocsConfig, files: Files) -> None:
        path = page.file.src_uri
        rendered = self._converted(worker).pop(path, None)
        if rendered is not None and take(page, rendered, files):
            if rendered.final:
                self.final.add(path)
        else:
            # The worker converted other Markdown: its page would be wrong, this process renders it.
            self.written.discard(path)
            inner(config, files)

    def _converted(self, worker: Worker) -> dict[str, Rendered]:
        """The worker's conversions not taken yet; the first time, wait for them."""
        if not worker.results:
            waited = time.perf_counter()
            converted, seconds = self._result(worker, 0) or ({}, 0.0)
            self.clock.add("convert in parallel", seconds, len(converted))
            self.clock.add("convert wait", time.perf_counter() - waited)
        return (worker.results[0] or ({}, 0.0))[0]

    def content_is_final(self, page: Page) -> bool:
        return page.file.src_uri in self.final

    def on_env(self, env: jinja2.Environment, files: Files) -> None:
        """MkDocs renders the workers' pages with an empty template."""
        self.env = env
        if self.nav is not None:
            self.navigation = navigation_key(self.nav)
        for path in sorted(self.written):
            file = files.get_file_from_path(path)
            if file is None or file.page is None:  # held back: MkDocs will not build it
                self.written.discard(path)
                continue
            page = file.page
            self.elsewhere[path] = (page.meta.get("template", "main.html"), None, None)
            page.meta["template"] = ELSEWHERE_TEMPLATE
        self.hidden.paths = set(self.written)
        self.hidden.install()

    def context(self, page: Page, context: dict[str, Any],
                complete: Callable[[dict[str, Any]], dict[str, Any]]) -> dict[str, Any]:
        """A page a worker renders keeps its context, in case it has to render here: its
        views are needed only then."""
        path = page.file.src_uri
        if path not in self.elsewhere:
            return complete(context)
        self.elsewhere[path] = (self.elsewhere[path][0], context, complete)
        return context

    def on_post_page(self, page: Page, output: str) -> str:
        """Nothing for a page its worker wrote (MkDocs then writes nothing); else the output."""
        path = page.file.src_uri
        if path not in self.child_writes:
            return output
        worker = self.owner[path]
        if len(worker.results) < 2:
            self._written(worker)
        written = (worker.results[1] or (None, 0.0))[0]
        if path not in self.elsewhere:
            return output
        name, context, complete = self.elsewhere.pop(path)
        if written is not None and not self.stale and written.navigation == self.navigation and path in written.pages:
            _replay(written.pages[path])
            return ""
        self.hidden.paths.discard(path)
        assert self.env is not None and complete is not None
        return self.env.get_template(name).render(complete(context))

    def _written(self, worker: Worker) -> None:
        """Wait for the worker's pages, and note how long this process waited for them, or
        they for it (`pages early`: the worker had nothing left to do)."""
        self._converted(worker)
        waited = time.perf_counter()
        written, seconds = self._result(worker, 1) or (None, 0.0)
        self.clock.add("pages in parallel", seconds, len(written.pages) if written else 0)
        self.clock.add("pages wait", time.perf_counter() - waited)
        if written is not None:
            self.clock.add("pages early", max(0.0, waited - written.finished))
            self.clock.add("worker cpu", written.cpu, 1)

    def pages_held_back(self) -> None:
        """Every page the workers wrote is rendered again here."""
        self.stale = True

    def convert_again(self, path: str) -> None:
        self.final.discard(path)

    def finish(self, *, wait: bool) -> None:
        if self.started:
            self.clock.add("parent cpu", time.process_time() - self.cpu_at_start)
        if wait:
            for worker in self.started:
                if len(worker.results) < 2:
                    self._written(worker)
        self.close()

    def _stop(self, worker: Worker) -> None:
        if worker.background is not None:
            worker.background.close()
            worker.background = None

    def close(self) -> None:
        self.hidden.remove()
        for worker in self.started:
            self._stop(worker)


def parallel_build(enabled: bool) -> Serial:
    """Forked where the option allows it, the scheduler gives this process more than one core,
    and the platform forks safely; else Serial."""
    workers = cores() - 1
    return Forked(workers) if enabled and workers > 0 and can_fork() else Serial()


def _replay(records: list[logging.LogRecord]) -> None:
    for record in records:
        logging.getLogger(record.name).handle(record)


class _Collect(logging.Handler):
    def __init__(self, records: list[logging.LogRecord]) -> None:
        super().__init__()
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        # A record reaches every logger up its hierarchy that had handlers: keep it once.
        if not self.records or self.records[-1] is not record:
            self.records.append(record)


@contextmanager
def _captured_logs() -> Iterator[list[logging.LogRecord]]:
    """Every record the child's loggers would print, kept instead for the parent to replay."""
    records: list[logging.LogRecord] = []
    collect = _Collect(records)
    loggers = [logging.getLogger(), *(item for item in logging.Logger.manager.loggerDict.values()
                                      if isinstance(item, logging.Logger))]
    saved = {logger: logger.handlers for logger in loggers if logger.handlers}
    for logger in saved:
        logger.handlers = [collect]
    try:
        yield records
    finally:
        for logger, handlers in saved.items():
            logger.handlers = handlers


def _portable(record: logging.LogRecord) -> logging.LogRecord:
    """A record that pickles: its message formatted, its exception as text."""
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    record.msg, record.args, record.exc_info = record.getMessage(), None, None
    return record
