"""Work done in a forked copy of this process while this one goes on: the adapter's fork
machinery (the core never forks).

A build is single-threaded Python: the second core of a CI runner sits idle while MkDocs renders
every page. A forked child starts with everything the parent has built (the knowledge base, the
site's files), so it needs nothing sent to it; it sends back only its results, in order, through
a pipe. Where fork is missing or unsafe (Windows, macOS) or there is one core, the same steps run
in this process when their results are asked for, so the output never depends on which way ran.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import sys
import threading
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler
from typing import Any

#: This process's ends of the pipes to its children. A child forked later gets copies of them,
#: and closes them first: a copy of a pipe's end kept open elsewhere would hide its closing
#: from the process at the other end (a child waiting for what this process sends, say).
_PARENTS_ENDS: set[Connection] = set()


def cores() -> int:
    """The cores this process may run on: what its scheduler allows (a CI runner's container,
    `taskset`), not what the machine has."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    # macOS has fork, but its system frameworks may crash in a forked child (Python's own
    # default there is spawn): kb forks only where that is the platform's way.
    return "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin"


class BackgroundError(RuntimeError):
    """The background work raised: the message carries its traceback from the child."""


class Background:
    """Runs `steps()` (a generator) in a forked child; `next()` returns what it yields, in order.

    With `inbox`, the steps are called as `steps(receive)`: `receive()` waits for the next value
    the parent gives `send()`, for work that can start before all it needs is known."""

    def __init__(self, steps: Callable[..., Iterator[Any]], *, fork: bool | None = None, inbox: bool = False) -> None:
        self._steps = steps
        self._inline: Iterator[Any] | None = None
        self._connection: Connection | None = None
        self._outbox: Connection | None = None
        self._sent: deque[Any] = deque()
        self._inbox = inbox
        self._process: Any = None
        self._closed = False
        if fork is None:
            fork = cores() > 1
        if fork and can_fork():
            context = multiprocessing.get_context("fork")
            receiving, sending = context.Pipe(duplex=False)
            child_inbox, self._outbox = context.Pipe(duplex=False) if inbox else (None, None)
            self._process = context.Process(target=_child, args=(steps, sending, child_inbox, self._outbox, receiving),
                                            daemon=True)
            self._process.start()
            sending.close()
            if child_inbox is not None:
                child_inbox.close()
            self._connection = receiving
            _PARENTS_ENDS.update(end for end in (receiving, self._outbox) if end is not None)

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
            self._inline = self._steps(self._sent.popleft) if self._inbox else self._steps()
        return next(self._inline)

    def send(self, value: Any) -> None:
        """Give the child's `receive()` its next value (kept for the steps, without a child)."""
        if self._closed:
            return
        if self._outbox is None:
            self._sent.append(value)
            return
        try:
            self._outbox.send(value)
        except (BrokenPipeError, OSError):
            pass  # the child is gone: next() reports it

    def close(self) -> None:
        self._closed = True
        if self._outbox is not None:
            _PARENTS_ENDS.discard(self._outbox)
            self._outbox.close()
            self._outbox = None
        if self._connection is not None:
            _PARENTS_ENDS.discard(self._connection)
            self._connection.close()
            self._connection = None
        if self._process is not None:
            self._process.join(timeout=5)
            if self._process.is_alive():
                self._process.kill()
                self._process.join()
            self._process = None


def _child(steps: Callable[..., Iterator[Any]], connection: Connection, inbox: Connection | None,
           *parents_ends: Connection | None) -> None:
    # The fork copied the parent's ends of both pipes, and of every other child's: holding them,
    # the child would never see the parent close its end, and would wait for a value that is
    # never coming (or keep another child waiting).
    for end in (*parents_ends, *_PARENTS_ENDS):
        if end is not None:
            end.close()
    _PARENTS_ENDS.clear()
    # Each value is pickled as it is yielded (the steps go on changing what it refers to) and
    # sent from a thread: a pipe holds 64 KB, and the next step need not wait until the parent
    # reads a large value.
    outgoing: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
    sender = threading.Thread(target=_send, args=(connection, outgoing), daemon=True)
    sender.start()
    try:
        for value in (steps(inbox.recv) if inbox is not None else steps()):
            outgoing.put(bytes(ForkingPickler.dumps(("value", value))))
    except BaseException:  # noqa: BLE001 - everything goes back to the parent, which decides
        outgoing.put(bytes(ForkingPickler.dumps(("error", traceback.format_exc()))))
    finally:
        outgoing.put(None)
        sender.join()
        connection.close()


def _send(connection: Connection, outgoing: queue.SimpleQueue[bytes | None]) -> None:
    while (data := outgoing.get()) is not None:
        try:
            connection.send_bytes(data)
        except OSError:
            return  # the parent stopped listening (it held a page back and needs nothing more)
