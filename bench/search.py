"""The search benchmark: how much a query fetches and how soon its first results show, in
Debian's chromium, on sites that bench/run.py (or make bench) built.

    python bench/search.py SITE_DIR [SITE_DIR ...] [--out bench/search.md]

For each site it serves the files on loopback, types each query of a fixed set into the search
box of a freshly loaded page, and records the time from the first keystroke to the first result
on screen and the bytes the search fetched, gzip-compressed as a web server would send them.

Both times are taken in the page, on its own clock: the first keydown event, and the next frame
after the first result (or the empty state) enters the document, which is when the browser
paints it. (Asking from outside through Playwright would add the round trips of its polling,
which wait whenever the page is busy.)
"""

from __future__ import annotations

import argparse
import functools
import gzip
import statistics
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

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


def _record(fetched: list[str], request: object) -> None:
    url = getattr(request, "url", "")
    if "/search/" in url:
        fetched.append(url)


_WATCH = """() => {
  window.kbBenchKey = null;
  window.kbBenchShown = null;
  document.addEventListener("keydown", () => { if (window.kbBenchKey === null) window.kbBenchKey = performance.now(); }, true);
  const watcher = new MutationObserver(() => {
    if (document.querySelector(".kb-search__result, .kb-search__empty")) {
      watcher.disconnect();
      requestAnimationFrame(() => { window.kbBenchShown = performance.now(); });
    }
  });
  watcher.observe(document.body, { childList: true, subtree: true });
}"""


def measure(site: Path, queries: list[str]) -> list[tuple[str, float, int, int]]:
    """(query, milliseconds to first result, gzip bytes fetched, results shown) for each query."""
    from playwright.sync_api import sync_playwright

    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for query in queries:
                page = browser.new_page()
                fetched: list[str] = []
                page.on("request", functools.partial(_record, fetched))
                page.goto(base)
                page.wait_for_selector(".kb-search__input")
                page.focus(".kb-search__input")
                page.evaluate(_WATCH)
                page.keyboard.type(query, delay=0)
                page.wait_for_function("window.kbBenchShown !== null", timeout=30_000)
                elapsed = page.evaluate("window.kbBenchShown - window.kbBenchKey")
                page.wait_for_timeout(300)  # let the result documents arrive, and count them too
                size = sum(len(gzip.compress((site / url[len(base):]).read_bytes())) for url in set(fetched))
                rows.append((query, elapsed, size, page.locator(".kb-search__result").count()))
                page.close()
            browser.close()
    finally:
        server.shutdown()
    return rows


def index_size(site: Path) -> tuple[int, int]:
    files = [path for path in (site / "search").rglob("*.json")]
    return len(files), sum(len(gzip.compress(path.read_bytes())) for path in files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sites", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "search.md")
    args = parser.parse_args(argv)
    lines = ["# Search benchmark", "", "Written by `python bench/search.py`; Debian chromium, files served on loopback.",
             f"Queries ({len(QUERIES)}): " + ", ".join(f"`{q}`" for q in QUERIES) + ".", ""]
    for site in args.sites:
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
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(f"bench: wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
