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
from pathlib import Path
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


#: A limit at least this large is none: cgroup v1 says "no limit" with the largest page-aligned
#: int64 (9223372036854771712), and no machine has 4 EiB.
_NO_LIMIT = 2**62


def memory_available(proc: Path = Path("/proc"), cgroups: Path = Path("/sys/fs/cgroup")) -> int | None:
    """Bytes this process's tree may still take before it is refused memory or killed: the
    least of what the kernel reckons is available (MemAvailable) and, for its memory cgroup
    and each one above it (a CI job's container, `systemd-run -p MemoryMax=`), the limit less
    what the cgroup holds. A cgroup's file cache counts as held but is given back before the
    kernel refuses memory, so it counts as free here, but for what is not yet written back.
    None where the kernel does not say (not Linux)."""
    found: list[int] = []
    meminfo = _read(proc / "meminfo")
    if meminfo is not None:
        for line in meminfo.splitlines():
            name, _, value = line.partition(":")
            if name == "MemAvailable" and value.split() and value.split()[0].isdigit():
                found.append(int(value.split()[0]) * 1024)
    for level in memory_cgroups(proc, cgroups):
        limit = _read(level / "memory.max") or _read(level / "memory.limit_in_bytes")
        held = _read(level / "memory.current") or _read(level / "memory.usage_in_bytes")
        if limit is None or held is None or not limit.strip().isdigit() or not held.strip().isdigit():
            continue  # "max" (v2), or a file this kernel does not have
        if int(limit) >= _NO_LIMIT:
            continue
        stat = dict(line.split(" ", 1) for line in (_read(level / "memory.stat") or "").splitlines() if " " in line)
        # The file cache on either list: the kernel reclaims active pages too before it refuses
        # memory or kills, and without pressure a file read twice stays active (a cgroup of 1 GiB
        # full of cache read twice: 800 MB active, 40 KB inactive, and 850 MB were still given).
        # Pages not yet written back to disk are the exception: they are held until they are.
        cache = sum(_stat(stat, name) for name in ("inactive_file", "active_file"))
        unwritten = sum(_stat(stat, name) for name in ("dirty", "writeback", "file_dirty", "file_writeback"))
        found.append(int(limit) - int(held) + max(0, cache - unwritten))
    return max(0, min(found)) if found else None


def memory_cgroups(proc: Path = Path("/proc"), cgroups: Path = Path("/sys/fs/cgroup")) -> list[Path]:
    """This process's memory cgroup and those above it, as directories under `cgroups`: v2's
    unified tree (`0::/path`), or v1's memory controller (`N:memory:/path`)."""
    listing = _read(proc / "self" / "cgroup")
    if listing is None:
        return []
    entries = [(line.split(":", 2) + ["", ""])[:3] for line in listing.splitlines()]
    # A v1 memory controller, where there is one, holds the limits; else the unified tree does.
    paths = [(cgroups / "memory", path) for _, controllers, path in entries if "memory" in controllers.split(",")]
    paths += [(cgroups, path) for number, controllers, path in entries if number == "0" and controllers == ""]
    if not paths:
        return []
    root, path = paths[0]
    # Inside a container the path may name the host's tree while only its own is mounted:
    # the levels that are not there are skipped, and the mount's root is read.
    parts = [part for part in path.split("/") if part]
    levels = [root.joinpath(*parts[:depth]) for depth in range(len(parts), -1, -1)]
    return [level for level in levels if _is_dir(level)]


def _is_dir(path: Path) -> bool:
    # Path.is_dir raises where the path may not be searched (EACCES: a confined sandbox).
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def _stat(stat: dict[str, str], name: str) -> int:
    """A count of memory.stat, in bytes: v1's for the whole subtree (`total_`), or v2's."""
    text = stat.get(f"total_{name}", stat.get(name, "0")).strip()
    return int(text) if text.isdigit() else 0


def resident() -> int | None:
    """Bytes of this process in memory now (resident set), None where the kernel does not say."""
    statm = _read(Path("/proc/self/statm"))
    if statm is None or len(statm.split()) < 2:
        return None
    return int(statm.split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="ascii", errors="replace")
    except OSError:
        return None


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

    def ready(self) -> bool:
        """Whether the child has begun to send a result, or ended: next() then returns (or
        raises) once the rest of the message is read, which the child is sending. Never
        without a child, whose steps run only when next() asks."""
        if self._connection is None:
            return False
        try:
            return self._connection.poll()
        except OSError:
            return True  # next() reports it

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
