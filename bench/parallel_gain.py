"""What the page-rendering process earns: a corpus built with it, and without it (the search
index still built in its own process), best wall time of a few builds each.

    python $KB_CORPUS_SCRIPT 1000 /tmp/corpus       # the corpus generator bench/run.py uses
    python bench/parallel_gain.py /tmp/corpus [--runs 3]

The figure goes into mkdocs_kb.engine's docstring: it is what the MkDocs internals that
process needs are weighed against.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SETTINGS = "site_name: Bench\ndocs_dir: content\ntheme:\n  name: material\nplugins: [kb]\n"
#: The build without the page-rendering process: the facade's Forked shares no pages out.
WITHOUT = ("import sys, mkdocs_kb.parallel as p; p.Forked.start_pages = p.Serial.start_pages; "
           "from mkdocs.__main__ import cli; sys.exit(cli())")


def build_seconds(corpus: Path, config: Path, site: Path, pages_process: bool) -> float:
    command = [sys.executable, "-m", "mkdocs"] if pages_process else [sys.executable, "-c", WITHOUT]
    env = os.environ | {"NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    subprocess.run([*command, "build", "-q", "-f", str(config), "-d", str(site)], cwd=corpus, env=env, check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        config = Path(scratch) / "mkdocs.yml"
        config.write_text(SETTINGS.replace("docs_dir: content", f"docs_dir: {args.corpus.resolve() / 'content'}"),
                          encoding="utf-8")
        best = {True: float("inf"), False: float("inf")}
        for _ in range(args.runs):
            for pages_process in (True, False):
                seconds = build_seconds(args.corpus, config, Path(scratch) / "site", pages_process)
                best[pages_process] = min(best[pages_process], seconds)
    change = best[True] / best[False] - 1
    print(f"with the page-rendering process: {best[True]:.2f} s; without it: {best[False]:.2f} s "
          f"({abs(change):.0%} {'slower' if change > 0 else 'faster'} with it; best of {args.runs} each)")


if __name__ == "__main__":
    main()
