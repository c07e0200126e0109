"""The fault barrier while MkDocs renders: a page whose conversion or rendering raises, or takes
longer than its time budget, is reported at its file and not written, and the build goes on.

MkDocs stops the whole build at the first exception in a page (`_populate_page` re-raises).
kb's own events catch what they raise; the conversion of Markdown, which MkDocs calls itself, is
guarded by replacing the page's `render` method for that one call (mkdocs_kb.engine.wrap_render).
A page that fails to convert is known before any template is rendered, so the plugin can derive
the site again without it (see `KbPlugin.on_env`).
"""

from __future__ import annotations

import functools
import logging
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from kb.barrier import Budget, page_failure
from kb.diagnostics import Diagnostic
from mkdocs_kb.engine import Render, empty_render, wrap_render

log = logging.getLogger("mkdocs.plugins.kb")
#: Where a page carries its conversion failure, so that it travels with the page's conversion
#: from the second process (mkdocs_kb.parallel) to this one.
FAILURE = "kb_conversion_failure"


class RenderBarrier:
    """The pages that failed while MkDocs rendered them, with why."""

    def __init__(self, display: Callable[[str], str], page_seconds: float) -> None:
        self.display = display
        self.page_seconds = page_seconds
        #: Failures while converting Markdown (before templates), by content path.
        self.converting: dict[str, Diagnostic] = {}
        #: Failures while rendering the page's template, by content path.
        self.templating: dict[str, Diagnostic] = {}

    def failed(self, page: Page) -> bool:
        return page.file.src_uri in self.converting or page.file.src_uri in self.templating

    def fail(self, page: Page, error: BaseException, doing: str, *, converting: bool) -> None:
        diagnostic = page_failure(self.display(page.file.src_uri), error, doing, self.page_seconds)
        if converting:
            self.converting[page.file.src_uri] = diagnostic
            page.__dict__[FAILURE] = diagnostic
        else:
            self.templating[page.file.src_uri] = diagnostic
        log.error(diagnostic.format())
        log.debug(diagnostic.detail)

    def guard_render(self, page: Page) -> None:
        """Wrap the conversion MkDocs calls next (`page.render`), whatever already wraps it."""

        def guarded(inner: Render) -> Render:
            def render(config: MkDocsConfig, files: Files) -> None:
                try:
                    with Budget(self.page_seconds) as budget, budget.page():
                        inner(config, files)
                    carried = page.__dict__.get(FAILURE)
                    if carried is not None:  # it failed in the page-rendering process, which reported it
                        self.converting[page.file.src_uri] = carried
                except Exception as error:  # the fault barrier: see kb.barrier
                    self.fail(page, error, "converting", converting=True)
                    empty_render(page)

            return render

        wrap_render(page, guarded)


def call_guarded(barrier: RenderBarrier, page: Page, doing: str, converting: bool, work: Callable[[], Any],
                 fallback: Any) -> Any:
    """`work()`, or `fallback` when it raises (reported at the page's file)."""
    try:
        return work()
    except Exception as error:  # the fault barrier: see kb.barrier
        barrier.fail(page, error, doing, converting=converting)
        return fallback


Event = TypeVar("Event", bound=Callable[..., Any])


def internal_errors(event: Event) -> Event:
    """A failure of a whole-site event that no page explains stops the build with one line that
    says it is kb's, instead of a traceback; `mkdocs build --verbose` shows the traceback."""

    @functools.wraps(event)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return event(*args, **kwargs)
        except PluginError:
            raise
        except Exception as error:  # the fault barrier: see kb.barrier
            log.debug("".join(traceback.format_exception(error)))
            raise PluginError(f"kb: internal error in {event.__name__} ({type(error).__name__}: {error}); "
                              "mkdocs build --verbose shows the details: please report them") from error

    return guarded  # type: ignore[return-value]
