"""The insights chart, drawn at build time as SVG, renders in a real browser."""

from __future__ import annotations

import functools
import io
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

from PIL import Image
from test_trust import repo, site  # noqa: F401  (the dated repository and its site)


def test_chart_renders_bars_in_both_colours(browser, site) -> None:  # noqa: F811
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(site.site))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/insights/")
        chart = page.locator("svg.kb-chart")
        box = chart.bounding_box()
        assert box and box["width"] > 300 and box["height"] > 80
        image = Image.open(io.BytesIO(chart.screenshot())).convert("RGB")
        colours = image.getcolors(maxcolors=1 << 20) or []

        def pixels_near(target: tuple[int, int, int]) -> int:
            return sum(count for count, rgb in colours if all(abs(a - b) <= 12 for a, b in zip(rgb, target, strict=True)))

        assert pixels_near((0xB3, 0x9D, 0xDB)) > 500  # edits
        assert pixels_near((0x45, 0x27, 0xA0)) > 200  # pages created
        assert page.locator("svg.kb-chart title").first.text_content() == "Activity per month"
        page.close()
    finally:
        server.shutdown()
