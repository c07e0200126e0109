"""The search benchmark: how much a query fetches and how soon its first results show, in
Debian's chromium, on sites that bench/run.py (or make bench) built.

    python bench/search.py SITE_DIR [SITE_DIR ...] [--material SITE_DIR ...] [--pagefind] [--out bench/search.md]
                           [--cards-only SITE_DIR ...]

For each site it serves the files on loopback, types each query of a fixed set into the search
box of a freshly loaded page, and records the time from the first keystroke to the first result
on screen and the bytes the search fetched, gzip-compressed as a web server would send them.

Both times are taken in the page, on its own clock: the first keydown event, and the next frame
after the first result (or the empty state) enters the document, which is when the browser
paints it. (Asking from outside through Playwright would add the round trips of its polling,
which wait whenever the page is busy.)

Then, on each site, it types the name of every topic (a hundred, spread evenly, on a large
site) and records whether the topic's card comes first with a vetted page and a person to ask,
how soon it shows and what it fetched. `--cards-only` sites (such as the example wiki's)
get only that.

Beside kb's search, on the same pages: `--material` takes sites built by plain Material with its
search plugin (bench/run.py's material-prune) and times its first queries the same way, and
`--pagefind` indexes each kb site with Pagefind (`pip install 'pagefind[extended]'`, the
`bench` extra) and times its JavaScript API on the same queries.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import json
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

QUERIES = [
    "deploy", "access token", "incident review", "rollback plan", "cache", "dashboard alert", "backup restore",
    "onboarding", "migration schema", "release", "pipeline", "kubernetes cluster", "metric", "latency",
    "title:guide", "body:retry", "feature flag", "runb", "conf", "audit compliance", "on-call escalation",
]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def serve(site: Path) -> ThreadingHTTPServer:
    handler = functools.partial(_Quiet, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _record(fetched: list[str], markers: tuple[str, ...], request: object) -> None:
    url = getattr(request, "url", "")
    if any(marker in url for marker in markers):
        fetched.append(urlsplit(url).path.lstrip("/"))


def _gzip_size(site: Path, paths: list[str]) -> int:
    """What the files fetched would weigh as a web server sends them, gzip-compressed."""
    return sum(len(gzip.compress((site / path).read_bytes())) for path in set(paths))


@contextlib.contextmanager
def _browser(site: Path) -> Iterator[Callable[[tuple[str, ...]], tuple[Any, list[str]]]]:
    """Serves `site` on loopback and yields `visit(markers)`: a fresh page on the site's home
    page, and the list of the site paths it fetches whose URL contains one of `markers`."""
    from playwright.sync_api import sync_playwright

    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)

            def visit(markers: tuple[str, ...]) -> tuple[Any, list[str]]:
                page = browser.new_page()
                fetched: list[str] = []
                page.on("request", functools.partial(_record, fetched, markers))
                page.goto(base)
                return page, fetched

            yield visit
            browser.close()
    finally:
        server.shutdown()


_WATCH = """(selector) => {
  window.kbBenchKey = null;
  window.kbBenchShown = null;
  const typed = () => { if (window.kbBenchKey === null) window.kbBenchKey = performance.now(); };
  document.addEventListener("keydown", typed, true);
  // A character no key on the keyboard types (日本語) comes as text input, without a keydown.
  document.addEventListener("beforeinput", typed, true);
  const watcher = new MutationObserver(() => {
    if (document.querySelector(selector)) {
      watcher.disconnect();
      requestAnimationFrame(() => { window.kbBenchShown = performance.now(); });
    }
  });
  watcher.observe(document.body, { childList: true, subtree: true });
}"""


def _type_and_time(page: Any, text: str, shown: str) -> float:
    """Types `text` into the search box of a fresh page: the ms from the first keystroke until
    an element matching `shown` is on screen. Then waits a little for the rest to arrive, so that
    what the search fetched is counted whole."""
    page.wait_for_selector(".kb-search__input")
    page.focus(".kb-search__input")
    page.evaluate(_WATCH, shown)
    page.keyboard.type(text, delay=0)
    # A function, not an expression: Playwright evaluates an expression with eval, which the
    # page's Content Security Policy refuses.
    page.wait_for_function("() => window.kbBenchShown !== null", timeout=30_000)
    elapsed = page.evaluate("window.kbBenchShown - window.kbBenchKey")
    page.wait_for_timeout(300)
    return elapsed


def measure(site: Path, queries: list[str]) -> list[tuple[str, float, int, int]]:
    """(query, milliseconds to first result, gzip bytes fetched, results shown) for each query."""
    rows = []
    with _browser(site) as visit:
        for query in queries:
            page, fetched = visit(("/search/",))
            elapsed = _type_and_time(page, query, ".kb-search__result, .kb-search__empty")
            rows.append((query, elapsed, _gzip_size(site, fetched), page.locator(".kb-search__result").count()))
            page.close()
    return rows


#: At most this many topics are typed on one site, spread evenly over its topics in name order.
CARD_SAMPLE = 100

_CARD = """() => {
  const card = document.querySelector('.kb-search__card--topic');
  if (!card) return null;
  return {
    title: card.querySelector('.kb-search__card-link').textContent,
    pages: card.querySelectorAll('.kb-search__card-pages li').length,
    people: card.querySelectorAll('.kb-search__card-people a').length,
  };
}"""


def topic_names(site: Path, sample: int = CARD_SAMPLE) -> list[str]:
    """The topics whose names are typed: every one, or `sample` of them spread over the list."""
    names = sorted({card["n"] for shard in (site / "search" / "c").glob("*.json")
                    for card in json.loads(shard.read_text(encoding="utf-8"))["topics"]})
    if len(names) <= sample:
        return names
    return [names[round(i * (len(names) - 1) / (sample - 1))] for i in range(sample)]


def measure_cards(site: Path, names: list[str]) -> list[tuple[str, bool, int, int, float, int]]:
    """For each topic's name typed on the home page: (name, its card came first, vetted pages on
    the card, people on the card, ms from the first keystroke to the card on screen, gzip bytes
    the search fetched)."""
    rows = []
    with _browser(site) as visit:
        for name in names:
            page, fetched = visit(("/search/",))
            elapsed = _type_and_time(page, name, ".kb-search__card--topic, .kb-search__empty")
            card = page.evaluate(_CARD)
            first = bool(card) and card["title"] == name and page.locator(".kb-search__option").first.evaluate(
                "(row) => row.classList.contains('kb-search__card--topic')")
            rows.append((name, first, card["pages"] if card else 0, card["people"] if card else 0, elapsed,
                         _gzip_size(site, fetched)))
            page.close()
    return rows


def cards_section(site: Path) -> list[str]:
    rows = measure_cards(site, topic_names(site))
    found = [row for row in rows if row[1]]
    whole = [row for row in found if row[2] and row[3]]
    times, sizes = [row[4] for row in rows], [row[5] for row in rows]
    lines = [f"### Topic cards: {site.name}", "",
             f"Typed the name of {len(rows)} topics on the home page. The topic's card came first for "
             f"{len(found)} of {len(rows)}; with at least one vetted page and one person to ask for {len(whole)}. "
             f"Card on screen: median {statistics.median(times):.0f} ms, slowest {max(times):.0f} ms. Fetched "
             f"(gzip): median {statistics.median(sizes) / 1024:.0f} KB, largest {max(sizes) / 1024:.0f} KB.", "",
             "| topic | card first | vetted pages | people | ms | KB fetched (gzip) |", "|---|---|---:|---:|---:|---:|"]
    lines += [f"| {name} | {'yes' if first else 'no'} | {pages} | {people} | {ms:.0f} | {size / 1024:.0f} |"
              for name, first, pages, people, ms, size in rows]
    return [*lines, ""]


def measure_material(site: Path, queries: list[str], timeout_s: float = 120) -> list[tuple[str, float | None, int, int]]:
    """Material's own search on a page loaded fresh: its worker fetches the whole index and
    builds it in the browser. A query that shows nothing within `timeout_s` gets None, and the
    rest are not tried."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    rows: list[tuple[str, float | None, int, int]] = []
    with _browser(site) as visit:
        for query in queries:
            page, fetched = visit(("/search/", "/workers/search"))
            page.focus(".md-search__input")
            page.evaluate(_WATCH, ".md-search-result__item")
            page.keyboard.type(query, delay=0)
            try:
                page.wait_for_function("() => window.kbBenchShown !== null", timeout=timeout_s * 1000)
            except PlaywrightTimeout:
                rows.append((query, None, _gzip_size(site, fetched), 0))
                page.close()
                break
            elapsed = page.evaluate("window.kbBenchShown - window.kbBenchKey")
            rows.append((query, elapsed, _gzip_size(site, fetched), page.locator(".md-search-result__item").count()))
            page.close()
    return rows


_PAGEFIND = """async (query) => {
  const pagefind = await import("./_pagefind/pagefind.js");
  await pagefind.init();
  const started = performance.now();
  const search = await pagefind.search(query);
  const shown = await Promise.all(search.results.slice(0, 10).map((result) => result.data()));
  return [performance.now() - started, shown.length];
}"""


def measure_pagefind(site: Path, queries: list[str]) -> tuple[float, int, int, list[tuple[str, float, int, int]]]:
    """Pagefind over the same pages (the article of each, as Pagefind's docs advise): the
    seconds its indexer took, its files and their gzip size, and per query the time from
    `search()` to the data of the first ten results (after `init()`, as kb's manifest is loaded
    when the box takes focus), the gzip bytes fetched in all, and the results."""
    bundle = site / "_pagefind"
    shutil.rmtree(bundle, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", "_pagefind",
                    "--root-selector", "article", "--silent"], check=True)
    seconds = time.perf_counter() - started
    files = [path for path in bundle.rglob("*") if path.is_file()]
    total = sum(len(gzip.compress(path.read_bytes())) for path in files)
    rows = []
    try:
        with _browser(site) as visit:
            for query in queries:
                page, fetched = visit(("/_pagefind/",))
                elapsed, shown = page.evaluate(_PAGEFIND, query)
                rows.append((query, elapsed, _gzip_size(site, fetched), shown))
                page.close()
    finally:
        shutil.rmtree(bundle, ignore_errors=True)
    return seconds, len(files), total, rows


def index_size(site: Path) -> tuple[int, int]:
    files = [path for path in (site / "search").rglob("*.json")]
    return len(files), sum(len(gzip.compress(path.read_bytes())) for path in files)


def _median(values: list[float | None]) -> str:
    known = [value for value in values if value is not None]
    return f"{statistics.median(known):.0f}" if known else "–"


#: Sections of the results file that other commands write (bench/languages.py): kept as they are
#: when this one writes the rest.
KEPT_SECTIONS = ("## Search in the wiki's languages",)


def find_section(text: str, heading: str) -> str | None:
    """The section under `heading` in `text`, to the next `## ` heading, or None."""
    found = re.search(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", text, re.S | re.M)
    return found.group(0) if found else None


def replace_section(text: str, heading: str, section: str) -> str:
    """`text` with the section under `heading` replaced by `section`, or `section` added at its end."""
    old = find_section(text, heading)
    if old is not None:
        return text.replace(old, section.rstrip("\n") + "\n\n" if text.index(old) + len(old) < len(text) else section)
    return text.rstrip("\n") + "\n\n" + section if text.strip() else section


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sites", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "search.md")
    parser.add_argument("--material", nargs="*", type=Path, default=[], help="Material sites, in the order of SITE_DIRs")
    parser.add_argument("--pagefind", action="store_true", help="also index each site with Pagefind and time it")
    parser.add_argument("--material-queries", type=int, default=3, help="how many queries to try on Material")
    parser.add_argument("--cards-only", nargs="*", type=Path, default=[],
                        help="sites (such as the example wiki's) where only topic cards are measured")
    args = parser.parse_args(argv)
    lines = ["# Search benchmark", "", "Written by `python bench/search.py`; Debian chromium, files served on loopback.",
             f"Queries ({len(QUERIES)}): " + ", ".join(f"`{q}`" for q in QUERIES) + ".", ""]
    for number, site in enumerate(args.sites):
        rows = measure(site, QUERIES)
        count, total = index_size(site)
        times = [row[1] for row in rows]
        sizes = [row[2] for row in rows]
        lines += [f"## {site.name}", "",
                  f"Index: {count} files, {total / 1024:.0f} KB gzip in all.",
                  f"First results: median {statistics.median(times):.0f} ms, slowest {max(times):.0f} ms. "
                  f"Fetched per query (gzip): median {statistics.median(sizes) / 1024:.0f} KB, "
                  f"largest {max(sizes) / 1024:.0f} KB.",
                  "", "| query | ms to first result | KB fetched (gzip) | results shown |", "|---|---:|---:|---:|"]
        lines += [f"| `{q}` | {ms:.0f} | {size / 1024:.0f} | {shown} |" for q, ms, size, shown in rows]
        lines.append("")
        engines = [("kb", f"{count} files, {total / 1024:.0f} KB", times, sizes, f"{len(rows)} of {len(rows)}")]
        if number < len(args.material):
            material = measure_material(args.material[number], QUERIES[: args.material_queries])
            index = args.material[number] / "search" / "search_index.json"
            answered = sum(row[1] is not None for row in material)
            engines.append(("Material (search plugin)", f"1 file, {len(gzip.compress(index.read_bytes())) / 1024:.0f} KB",
                            [row[1] for row in material], [row[2] for row in material],
                            f"{answered} of {len(material)}" + ("" if answered == len(material) else " (no answer in 120 s)")))
        if args.pagefind:
            seconds, files, pagefind_total, pagefind_rows = measure_pagefind(site, QUERIES)
            engines.append((f"Pagefind (indexed in {seconds:.1f} s)", f"{files} files, {pagefind_total / 1024:.0f} KB",
                            [row[1] for row in pagefind_rows], [row[2] for row in pagefind_rows],
                            f"{len(pagefind_rows)} of {len(pagefind_rows)}"))
        if len(engines) > 1:
            lines += ["Beside the other engines on the same pages (times: kb's and Material's from the first keystroke; "
                      "Pagefind's from `search()` to the first ten results' data):", "",
                      "| engine | index (gzip) | queries answered | median ms | median KB fetched (gzip) |",
                      "|---|---|---|---:|---:|"]
            lines += [f"| {name} | {index} | {answered} | {_median(ms)} | {_median([s / 1024 for s in kb])} |"
                      for name, index, ms, kb, answered in engines]
            lines.append("")
        lines += cards_section(site)
    for site in args.cards_only:
        lines += [f"## {site.name}", "", *cards_section(site)]
    text = "\n".join(lines)
    previous = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    for heading in KEPT_SECTIONS:
        kept = find_section(previous, heading)
        if kept is not None:
            text = replace_section(text, heading, kept)
    args.out.write_text(text, encoding="utf-8")
    print(f"bench: wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
