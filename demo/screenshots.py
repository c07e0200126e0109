#!/usr/bin/env python3
"""The README's pictures of the example wiki: a topic page, a person page and the insights page,
taken in chromium from the built site (`make screenshots` builds it first).

    python demo/screenshots.py site demo/screenshots

The site is served from loopback, each page is shown at 1280 x 800 and saved as a PNG of at most
256 colours, which keeps each picture small enough to commit.
"""

from __future__ import annotations

import argparse
import functools
import io
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

#: Picture name → the page it shows, at the part kb adds to it: a topic's pages, vetted first, and
#: who to ask; what a person knows and the evidence; the activity chart and top contributors.
PAGES = {
    "topic.png": "topics/onboarding/#kb-articles",
    "person.png": "people/hannah-weiss/#kb-knows",
    "insights.png": "insights/",
}
VIEWPORT = {"width": 1280, "height": 800}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def chromium_path() -> str | None:
    """Debian's chromium where it is installed; else Playwright's own browser, if it has one."""
    return shutil.which("chromium") or None


def take(site: Path, output: Path) -> list[Path]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    output.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport=VIEWPORT)
            for name, path in PAGES.items():
                page.goto(base + path, wait_until="networkidle")
                picture = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
                # 256 colours hold the theme's flat colours and text; dithering would only add noise.
                small = picture.quantize(colors=256, dither=Image.Dither.NONE)
                small.save(output / name, optimize=True)
                written.append(output / name)
            browser.close()
    finally:
        server.shutdown()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the built site (site/)")
    parser.add_argument("output", type=Path, help="where to write the pictures (demo/screenshots)")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        raise SystemExit(f"{args.site} holds no built site: run make site first")
    for path in take(args.site, args.output):
        print(f"{path} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
