"""Where kb's own CPU time goes, stage by stage, in one process: what a build spends beyond
MkDocs converting Markdown and rendering templates.

    python bench/stages.py SIZE=CORPUS... [--runs 2] [--out bench/results.md]

Each CORPUS is a directory made by make_corpus.py (its pages under content/, in git). Each stage
runs as the build runs it, in order, and is timed in CPU seconds of this process (git's own `log`
runs in a process of its own and is not counted); a figure is the least over `--runs` runs, each
in a new process, so that nothing is cached (kb keeps feeds, tag near-matches and each word's
search term for the life of a process). The page views are every page's, as MkDocs asks for
them while it renders; the search stages are those of the search process. What is left out is
MkDocs' own work (Markdown, templates, writing files) and kb's hooks on each rendered page
(sanitising its HTML).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from search import replace_section

from kb.analyse.knowledge import derive
from kb.config import KbConfig
from kb.memory import collector_paused
from kb.read import history
from kb.read.pages import ParseCache, collect, parse
from kb.render.generate import emit_site_files, generate_pages
from kb.search.site import emit_index, page_terms, page_texts, search_input

HEADING = "## kb's CPU by stage"
STAGES = ("history", "collect", "parse", "derive", "generate pages", "data files", "page views", "search terms",
          "search index")


def measure(corpus: Path) -> dict[str, float]:
    """Each stage's CPU seconds, one run from nothing cached."""
    content = corpus / "content"
    config = KbConfig()
    seconds: dict[str, float] = {}

    def stage(name: str, work: Callable[[], Any]) -> Any:
        started = time.process_time()
        result = work()
        seconds[name] = time.process_time() - started
        return result

    history._cache.clear()
    found_history = stage("history", lambda: history.read_history(content, config.bots)[0])
    collection = stage("collect", lambda: collect(content, config, "content"))
    cache = ParseCache()
    parsed = stage("parse", lambda: parse(collection, config, cache=cache))
    kb = stage("derive", lambda: derive(parsed, cache.packed(collection), config, found_history))
    existing = frozenset(page.path for page in parsed.pages)
    site = stage("generate pages", lambda: generate_pages(kb, "Bench", existing, True))
    stage("data files", lambda: emit_site_files(kb, site, "Bench"))
    paths = sorted(set(site.plan.special) | {page.path for page in site.plan.pages} | set(kb.articles))
    stage("page views", lambda: [site.page_view(path) for path in paths])
    languages = kb.config.search_languages
    # The search process collects nothing (kb.memory.collect_never); here, with the whole
    # knowledge base in the heap, each collection would rescan it and count against search.
    with collector_paused():
        terms = stage("search terms", lambda: page_terms(page_texts(kb.articles.values(), languages)))
        stage("search index", lambda: emit_index(search_input(kb, site.plan.topic_paths), terms, languages))
    return seconds


def render(measured: list[tuple[int, dict[str, float]]], runs: int) -> str:
    lines = [HEADING, "",
             "kb's own work in CPU seconds, each stage run as the build runs it, in one process, the least of "
             f"{runs} runs, each in a new process (`python bench/stages.py SIZE=CORPUS… --out bench/results.md`). MkDocs' "
             "Markdown, templates and file writing are not in it, nor kb's sanitising of each rendered page. In a "
             "build, the search stages run in a process of their own, and the page views while MkDocs renders.", "",
             "| pages | " + " | ".join(STAGES) + " | total |", "|---:|" + "---:|" * (len(STAGES) + 1)]
    for size, seconds in measured:
        lines.append(f"| {size} | " + " | ".join(f"{seconds[name]:.2f}" for name in STAGES)
                     + f" | {sum(seconds.values()):.2f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="*", help="SIZE=CORPUS: a corpus from make_corpus.py and its number of pages")
    parser.add_argument("--measure", type=Path, help="run the stages once on this corpus and print their seconds (JSON)")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--out", type=Path, help="the results file whose section on kb's stages to replace")
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return 0
    runs = max(1, args.runs)
    measured = []
    for given in args.corpora:
        size, _, corpus = given.partition("=")
        each = [json.loads(subprocess.run([sys.executable, __file__, "--measure", corpus], check=True,
                                          capture_output=True, text=True).stdout) for _ in range(runs)]
        measured.append((int(size), {name: min(run[name] for run in each) for name in STAGES}))
    section = render(measured, runs)
    if args.out:
        old = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        args.out.write_text(replace_section(old, HEADING, section), encoding="utf-8")
    print(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
