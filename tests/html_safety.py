"""What must never reach an article's HTML: elements and attributes that run script or send
the reader elsewhere. Shared by the hostile corpus and the fuzzer."""

from __future__ import annotations

import re
from html.parser import HTMLParser

ARTICLE = '<article class="md-content__inner md-typeset">'


class Unsafe(HTMLParser):
    """Every element and attribute of article bodies that could run or redirect."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "form" and ("data-kb-filter", "people") in attrs:
            return  # the directory's own filter form, from kb's template
        if tag in {"script", "iframe", "object", "embed", "form", "base", "meta", "style", "svg", "math", "link"}:
            self.found.append(tag)
        for name, value in attrs:
            value = (value or "").strip().lower().replace("\t", "").replace("\n", "")
            if name.startswith("on") or value.startswith(("javascript:", "vbscript:", "data:text")):
                self.found.append(f"{tag} {name}={value}")
            if name == "id" and value == "__config":
                self.found.append("id=__config")


def unsafe_in_article(html: str) -> list[str]:
    """What is unsafe in the page's article, if it has one: kb's own chart aside."""
    if ARTICLE not in html:
        return []
    body = html.split(ARTICLE, 1)[1].split("</article>", 1)[0]
    # The insights chart is SVG kb draws itself from numbers; nothing from content is in it.
    body = re.sub(r'<figure class="kb-chart-figure"[^>]*>.*?</figure>', "", body, flags=re.DOTALL)
    parser = Unsafe()
    parser.feed(body)
    return parser.found
