"""The fault barrier: whatever one page does, the build goes on.

An exception while kb reads, parses, analyses or renders one page is a bug — in kb or in a
library — that this page's content set off. It must not stop a whole wiki: the page becomes an
`internal.error` diagnostic at its file (an error, so `--strict` fails), it is held back like a
draft, and every other page is built. The traceback is kept with the diagnostic for `--verbose`,
never printed by default.

A page may also be slow instead of wrong: a time budget per page (`limits: {page_seconds: …}`)
interrupts it, and it is reported as `page.slow` and held back instead of waited for. The budget
needs POSIX interval timers and the main thread; elsewhere pages are not interrupted.
"""

from __future__ import annotations

import signal
import threading
import traceback
import types
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kb.diagnostics import Diagnostic, Severity
from kb.model import Page

INTERNAL = "internal.error"
SLOW = "page.slow"


class PageTimeout(Exception):
    """Raised inside a page's work when its time budget runs out."""


class InternalError(RuntimeError):
    """A failure kb cannot pin on one page. `detail` holds the traceback."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


def page_failure(display: str, error: BaseException, doing: str, budget: float = 0) -> Diagnostic:
    """The diagnostic for a page whose `doing` ("parsing", "rendering"…) raised `error`."""
    if isinstance(error, PageTimeout):
        return Diagnostic(display, 1, 1, Severity.ERROR, SLOW,
                          f"{doing} this page took more than {budget:g} s, the limit for one page; it is held back. "
                          "Split it into smaller pages, or raise limits.page_seconds")
    return Diagnostic(
        display, 1, 1, Severity.ERROR, INTERNAL,
        f"kb failed while {doing} this page ({type(error).__name__}: {_short(error)}); the page is held back. "
        "This is a bug in kb: please report it with this page (kb check --verbose shows the details)",
        detail="".join(traceback.format_exception(error)))


class Budget:
    """A time limit for each page of a stage: `with budget.page(): …` raises PageTimeout in the
    page's work once `seconds` have passed. Installed once per stage, armed once per page."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.active = (seconds > 0 and hasattr(signal, "setitimer")
                       and threading.current_thread() is threading.main_thread())
        self._previous: Any = None

    def __enter__(self) -> Budget:
        if self.active:
            self._previous = signal.signal(signal.SIGALRM, _timeout)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)

    @contextmanager
    def page(self) -> Iterator[None]:
        if not self.active:
            yield
            return
        signal.setitimer(signal.ITIMER_REAL, self.seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)


def _timeout(signum: int, frame: types.FrameType | None) -> None:
    raise PageTimeout()


def page_in_traceback(error: BaseException) -> Page | None:
    """The page being worked on when `error` was raised: the innermost frame of its traceback
    that holds a page in a local variable. The analysis loops over pages in many places; this
    finds the culprit without each loop having to say which page it is on."""
    frames = [frame for frame, _ in traceback.walk_tb(error.__traceback__)]
    for frame in reversed(frames):
        for value in frame.f_locals.values():
            if isinstance(value, Page):
                return value
    return None


def _short(error: BaseException, limit: int = 160) -> str:
    text = " ".join(str(error).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
