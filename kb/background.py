"""Work done in a forked copy of this process while this one goes on.

A build is single-threaded Python: the second core of a CI runner sits idle while MkDocs renders
every page. A forked child starts with everything the parent has built (the knowledge base, the
site's files), so it needs nothing sent to it; it sends back only its results, in order, through
a pipe. Where fork is missing (Windows, macOS' default) or there is one core, the same steps run
in this process when their results are asked for, so the output never depends on which way ran.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any


class BackgroundError(RuntimeError):
    """The background work raised: the message carries its traceback from the child."""


class Background:
    """Runs `steps()` (a generator) in a forked child; `next()` returns what it yields, in order."""

    def __init__(self, steps: Callable[[], Iterator[Any]], *, fork: bool | None = None) -> None:
        self._steps = steps
        self._inline: Iterator[Any] | None = None
        self._connection: Connection | None = None
        self._process: Any = None
        self._closed = False
        if fork is None:
            fork = (os.cpu_count() or 1) > 1
        if fork and self.can_fork():
            context = multiprocessing.get_context("fork")
            receiving, sending = context.Pipe(duplex=False)
            self._process = context.Process(target=_child, args=(steps, sending), daemon=True)
            self._process.start()
            sending.close()
            self._connection = receiving

    @staticmethod
    def can_fork() -> bool:
        return "fork" in multiprocessing.get_all_start_methods()

    def next(self) -> Any:
        """The next result. Raises BackgroundError if the child raised (with its traceback) or
        died without its results (killed, out of memory); the caller may then do the work itself."""
        if self._closed:
            raise BackgroundError("the background work was stopped")
        if self._connection is not None:
            try:
                kind, value = self._connection.recv()
            except (EOFError, OSError):
                self.close()
                raise BackgroundError("the background process ended without its results") from None
            if kind == "error":
                self.close()
                raise BackgroundError(value)
            return value
        if self._inline is None:
            self._inline = self._steps()
        return next(self._inline)

    def close(self) -> None:
        self._closed = True
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._process is not None:
            self._process.join(timeout=5)
            if self._process.is_alive():
                self._process.kill()
                self._process.join()
            self._process = None


def _child(steps: Callable[[], Iterator[Any]], connection: Connection) -> None:
    try:
        for value in steps():
            connection.send(("value", value))
    except BaseException:  # noqa: BLE001 - everything goes back to the parent, which decides
        connection.send(("error", traceback.format_exc()))
    finally:
        connection.close()
