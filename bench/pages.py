"""How heavy the pages of a built kb site are: the largest page of each kind, its HTML size, its
DOM elements and how long chromium takes to load it from loopback.

    python bench/pages.py SIZE=SITE_DIR... [--out bench/results.md]

Every page's size is read from disk; the largest few of each kind are then loaded in Debian's
chromium, served over loopback HTTP. A page's load time is from the start of navigation to the
end of its load event (the Navigation Timing API), the median of LOADS loads after one load
that puts the site's CSS and scripts in the cache, as for a reader who moves between pages. DOM
elements are counted when the network is idle, with what the page's scripts added.
"""

from __future__ import annotations

import argparse
import re
import statistics
from dataclasses import dataclass
from pathlib import Path

from search import ARGS, find_section, replace_section, serve

#: Targets for every page kb generates, at any size of wiki.
MAX_BYTES, MAX_ELEMENTS, MAX_LOAD_MS = 250 * 1024, 3000, 300
#: Pages loaded of each kind (the largest by bytes), and loads of each page.
CANDIDATES, LOADS = 3, 5
KINDS = ("home", "insights", "people index", "topic index", "topic page", "person page", "changes",
         "further page of a listing", "article")
INDEXES = {"index.html": "home", "insights/index.html": "insights", "people/index.html": "people index",
           "topics/index.html": "topic index", "changes/index.html": "changes"}


@dataclass(frozen=True)
class Measured:
    kind: str
    path: str
    size: int
    elements: int
    load_ms: float
    pages: int

    @property
    def within(self) -> bool:
        return self.size <= MAX_BYTES and self.elements <= MAX_ELEMENTS and self.load_ms < MAX_LOAD_MS


def kind_of(path: str, html: bytes) -> str | None:
    """What a page of the site is, from where it is and what kb put on it."""
    if path in INDEXES:
        return INDEXES[path]
    if b"kb-listing-range" in html:
        return "further page of a listing"
    parts = path.split("/")
    if parts[-1] != "index.html" or path == "404.html" or parts[0] in ("assets", "search"):
        return None
    if len(parts) == 3 and parts[0] == "topics":
        return "topic page"
    if len(parts) == 3 and parts[0] == "people":
        return "person page"
    return "article"


def largest_pages(site: Path) -> dict[str, list[tuple[int, str]]]:
    """The pages of each kind, largest first, as (bytes, site path)."""
    found: dict[str, list[tuple[int, str]]] = {}
    for file in site.rglob("*.html"):
        path = file.relative_to(site).as_posix()
        html = file.read_bytes()
        kind = kind_of(path, html)
        if kind is not None:
            found.setdefault(kind, []).append((len(html), path))
    return {kind: sorted(pages, reverse=True) for kind, pages in found.items()}


def measure(site: Path) -> list[Measured]:
    from playwright.sync_api import sync_playwright

    pages = largest_pages(site)
    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            tab = browser.new_page()
            tab.goto(base)  # the site's CSS and scripts into the cache
            for kind in KINDS:
                if kind not in pages:
                    continue
                heaviest: Measured | None = None
                for size, path in pages[kind][:CANDIDATES]:
                    url = base + path.removesuffix("index.html")
                    times = []
                    for _ in range(LOADS):
                        tab.goto(url, wait_until="load")
                        times.append(tab.evaluate(
                            "() => { const n = performance.getEntriesByType('navigation')[0];"
                            " return n.loadEventEnd - n.startTime; }"))
                    # Counted once the page's scripts have fetched what they fetch after the load.
                    tab.wait_for_load_state("networkidle")
                    elements = tab.evaluate("() => document.getElementsByTagName('*').length")
                    found = Measured(kind, path, size, elements, statistics.median(times), len(pages[kind]))
                    if heaviest is None or (found.size, found.elements) > (heaviest.size, heaviest.elements):
                        heaviest = found
                if heaviest is not None:
                    rows.append(heaviest)
            browser.close()
    finally:
        server.shutdown()
    return rows


HEADING = "## Page weight"


def render(measured: list[tuple[int, list[Measured]]], earlier: list[str] | None = None) -> str:
    """The results file's section on page weight: for each size of wiki, the largest page of each
    kind; then the tables of `earlier` runs, for sizes this one did not measure."""
    lines = [HEADING, "",
             f"Targets for every page, at any size of wiki: at most {MAX_BYTES // 1024} KB of HTML and "
             f"{MAX_ELEMENTS:,} DOM elements, loaded in chromium in under {MAX_LOAD_MS} ms from loopback. "
             "For each kind of page, the largest by bytes (of the largest three, the heaviest in bytes and "
             f"elements), loaded {LOADS} times after one load that caches the site's CSS and scripts: the median "
             "time from navigation to the end of the load event. Written by `bench/run.py`, or alone by "
             "`python bench/pages.py SIZE=SITE_DIR… --out bench/results.md`.", ""]
    for size, rows in measured:
        lines += [f"{size:,} pages:", "",
                  "| kind | pages | largest | KB | DOM elements | load ms | within targets |",
                  "|---|---:|---|---:|---:|---:|---|"]
        lines += [f"| {row.kind} | {row.pages} | `{row.path}` | {row.size / 1024:.0f} | {row.elements:,} "
                  f"| {row.load_ms:.0f} | {'yes' if row.within else 'NO'} |" for row in rows]
        lines.append("")
    lines += earlier or []
    return "\n".join(lines)


#: The line above each size's table.
_SIZE_LINE = re.compile(r"^([\d,]+) pages(?: \(.*\))?:$", re.M)


def earlier_tables(section: str, measured: set[int]) -> list[str]:
    """From the section as an earlier run wrote it, the table of each size not in `measured`,
    marked as earlier: a run at 1,000 and 10,000 pages keeps what was measured at 50,000."""
    found = list(_SIZE_LINE.finditer(section))
    tables = []
    for index, line in enumerate(found):
        size = int(line.group(1).replace(",", ""))
        if size in measured:
            continue
        end = found[index + 1].start() if index + 1 < len(found) else len(section)
        table = section[line.end() : end].strip("\n")
        tables.append(f"{size:,} pages (measured in an earlier run, `python bench/pages.py {size}=SITE`):\n\n{table}\n")
    return tables


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sites", nargs="+", help="SIZE=SITE_DIR: a built kb site and its number of pages")
    parser.add_argument("--out", type=Path, help="the results file whose page weight section to replace")
    args = parser.parse_args(argv)
    measured = []
    for given in args.sites:
        size, _, site = given.partition("=")
        measured.append((int(size), measure(Path(site))))
    old = args.out.read_text(encoding="utf-8") if args.out and args.out.exists() else ""
    section = render(measured, earlier_tables(find_section(old, HEADING) or "", {size for size, _ in measured}))
    if args.out:
        args.out.write_text(replace_section(old, HEADING, section), encoding="utf-8")
    print(section)
    # A page over its targets is a finding, written in the table; not a failure of the benchmark.
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
