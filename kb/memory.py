"""How kb tunes Python's garbage collector: the one module that does.

Building a knowledge base allocates millions of long-lived objects and almost no garbage, and
Python's collector would rescan them all again and again (a sixth of the time at 10,000 pages).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No collection while a stage builds what lives until the build ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def keep_built() -> None:
    """What is built so far lives until the build ends: keep the collector from rescanning it
    while the site engine renders every page."""
    gc.freeze()


def release_built() -> None:
    """The build is over (or failed): what keep_built kept may be collected again."""
    gc.unfreeze()


def collect_never() -> None:
    """In a process that lives only to build one thing: nothing it makes is garbage before it ends."""
    gc.disable()


def settle() -> None:
    """A process that keeps what it built for the next build (a preview server): collect what
    is garbage now, and keep the collector from rescanning what lives on. Without this every
    full collection of the next build walks the whole knowledge base again, which costs seconds
    at 10,000 pages; objects that die later are still freed when nothing refers to them."""
    gc.collect()
    gc.freeze()
