"""Pages converted from Markdown in a forked child while MkDocs converts the others.

Converting Markdown is the largest part of a build, and MkDocs does it one page at a time. Before
MkDocs starts, kb forks (kb.background); the child reads and converts the last pages of the build
order, running the same plugin events MkDocs would, and sends back what `Page.render` would have
set. When MkDocs reaches one of those pages, the page's `render` is swapped for one that takes the
child's result, if the Markdown it converted is exactly the Markdown MkDocs has now; otherwise the
page renders as usual. The log records the child's conversion wrote are replayed at that moment,
so warnings show in order and `--strict` counts them.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

#: The child takes this share of the Markdown, by bytes: it starts on it while the parent is
#: still converting the first pages and goes on to the search index afterwards.
CHILD_SHARE = 0.5


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


def digest(markdown: str) -> bytes:
    return hashlib.blake2b(markdown.encode("utf-8"), digest_size=16).digest()


def child_share(pages: Sequence[Page], sizes: dict[str, int], share: float = CHILD_SHARE) -> list[Page]:
    """The last pages of the build order, up to `share` of their Markdown by bytes: the parent
    reaches them last, when the child has had the longest to convert them."""
    total = sum(sizes.get(page.file.src_uri, 0) for page in pages)
    chosen: list[Page] = []
    taken = 0
    for page in reversed(pages):
        size = sizes.get(page.file.src_uri, 0)
        if taken + size > total * share:
            break
        taken += size
        chosen.append(page)
    return chosen[::-1]


def render_pages(pages: Sequence[Page], config: MkDocsConfig, files: Files) -> dict[str, Rendered]:
    """In the child: the events and conversion MkDocs would run for each page, up to `render`."""
    rendered: dict[str, Rendered] = {}
    with _captured_logs() as records:
        for page in pages:
            records.clear()
            page = config.plugins.on_pre_page(page, config=config, files=files)
            page.read_source(config)
            assert page.markdown is not None
            page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
            page.render(config, files)
            assert page.content is not None
            links = page.links_to_anchors
            rendered[page.file.src_uri] = Rendered(
                digest(page.markdown), page.content, page.toc, page._title_from_render, page.present_anchor_ids,
                None if links is None else {file.src_uri: dict(anchors) for file, anchors in links.items()},
                [_portable(record) for record in records],
            )
    return rendered


def take(page: Page, rendered: Rendered, files: Files) -> bool:
    """Set the child's result on `page` if it converted the Markdown the page has now."""
    if page.markdown is None or digest(page.markdown) != rendered.digest:
        return False
    page.content = rendered.content
    page.toc = rendered.toc
    page._title_from_render = rendered.title
    page.present_anchor_ids = rendered.present_anchor_ids
    if rendered.links_to_anchors is not None:
        page.links_to_anchors = {}
        for src_uri, anchors in rendered.links_to_anchors.items():
            target = files.get_file_from_path(src_uri)
            if target is not None:
                page.links_to_anchors[target] = anchors
    for record in rendered.records:
        logging.getLogger(record.name).handle(record)
    return True


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
