"""How long each stage of a build takes: summaries for the log, figures for the benchmarks."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager


class StageClock:
    """Accumulates wall time per stage, in the order stages first ran."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.counts: dict[str, int] = {}

    @contextmanager
    def stage(self, name: str, count: int = 0) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - start, count)

    def add(self, name: str, seconds: float, count: int = 0) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds
        self.counts[name] = self.counts.get(name, 0) + count

    def summary(self, name: str) -> str:
        count = self.counts.get(name, 0)
        items = f" {count} pages" if count else ""
        return f"kb: {name}{items} in {self.seconds.get(name, 0.0):.2f} s"


class Progress:
    """Pages rendered of the total, on a terminal only: CI logs get one summary line per stage."""

    def __init__(self, total: int) -> None:
        self.total, self.done = total, 0
        self.started = time.perf_counter()
        self.live = sys.stderr.isatty() and total >= 500

    def advance(self) -> None:
        self.done += 1
        if self.live and (self.done % 100 == 0 or self.done == self.total):
            sys.stderr.write(f"\rkb: render {self.done}/{self.total} pages")
            sys.stderr.flush()

    def finish(self) -> float:
        if self.live:
            sys.stderr.write("\n")
        return time.perf_counter() - self.started
