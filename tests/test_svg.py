"""The SVG sanitiser: hostile SVG in, inert SVG out (or refused), and what was left out named."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import pytest

from kb.read.svg import ELEMENTS, SVG_NS, SvgRefused, css_problem, sanitize_svg, svg_diagnostics

HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">'
CLEAN = (HEAD + '<defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs>'
         '<title>An icon</title><g fill="url(#g)" transform="translate(1 2) rotate(45)">'
         '<path d="M0 0L10 10z"/><use xlink:href="#g" x="1"/><text x="1" y="2" style="font-weight:bold">a &amp; b</text>'
         '</g></svg>')
#: What a browser would run or fetch, in any spelling: none of it may survive.
ACTIVE = re.compile(r"<script|<foreignObject|\bon\w+\s*=|javascript:|https?:|@import|<set\b|<animate|<iframe|"
                    r"<html|xml-stylesheet|<!DOCTYPE|<!ENTITY|evil", re.IGNORECASE)

HOSTILE = {
    "script": HEAD + '<script>alert(1)</script><rect width="1" height="1"/></svg>',
    "script-cdata": HEAD + '<script type="text/javascript"><![CDATA[ if (1 < 2) alert("evil") ]]></script></svg>',
    "script-uppercase": HEAD + "<SCRIPT>alert(1)</SCRIPT><Script>alert(2)</Script></svg>",
    "script-prefixed": '<s:svg xmlns:s="http://www.w3.org/2000/svg"><s:script>alert(1)</s:script><s:rect/></s:svg>',
    "script-xhtml": HEAD + '<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script></svg>',
    "onload": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)" ONCLICK="alert(2)"><rect onmouseover="x"/></svg>',
    "handler-namespaced": HEAD + '<rect xmlns:e="urn:evil" e:onload="alert(1)" xlink:onclick="alert(2)"/></svg>',
    "foreign-object": HEAD + '<foreignObject width="9" height="9"><div xmlns="http://www.w3.org/1999/xhtml">'
                             '<img src="x" onerror="alert(1)"/><iframe src="https://evil.example"/></div></foreignObject></svg>',
    "javascript-href": HEAD + '<a xlink:href="javascript:alert(1)"><text>x</text></a>'
                              '<a href=" JaVaScRiPt:alert(2)"><text>y</text></a></svg>',
    "javascript-entity": HEAD + '<a href="&#106;avascript:alert(1)"><text>x</text></a></svg>',
    "external-image": HEAD + '<image href="https://evil.example/track.png" width="5" height="5"/>'
                             '<image xlink:href="//evil.example/x.png"/><image href="data:image/svg+xml;base64,PHN2Zz4="/></svg>',
    "external-use": HEAD + '<use href="https://evil.example/sprite.svg#icon"/><use xlink:href="other.svg#x"/></svg>',
    "fe-image": HEAD + '<filter id="f"><feImage href="https://evil.example/x.png"/></filter></svg>',
    "style-url": HEAD + '<rect style="fill: url(https://evil.example/x)" fill="url( \'http://evil.example/y\')"/>'
                        '<rect filter="url(evil.svg#f)"/></svg>',
    "style-element-import": HEAD + '<style>@import "https://evil.example/x.css"; rect { fill: red }</style></svg>',
    "style-element-url": HEAD + "<style>rect { background: url(https://evil.example/x) }</style></svg>",
    "style-escape": HEAD + "<style>rect { fill: \\75 rl(https://evil.example/x) }</style></svg>",
    "style-split-by-an-element": HEAD + '<style>@im<g>port</g> "https://evil.example/x.css";</style></svg>',
    "style-image-set": HEAD + '<rect style="fill: image-set(\'https://evil.example/x.png\' 1x)"/></svg>',
    "animate-set": HEAD + '<a href="#x"><set attributeName="href" to="javascript:alert(1)"/>'
                          '<animate attributeName="href" values="javascript:alert(2)"/><text>x</text></a></svg>',
    "stylesheet-pi": '<?xml-stylesheet type="text/xsl" href="https://evil.example/x.xsl"?>' + HEAD + "<rect/></svg>",
    "xml-base": HEAD + '<g xml:base="javascript:alert(1)//"><use href="#a"/></g></svg>',
    "iframe-embed": HEAD + '<iframe src="https://evil.example"/><embed src="evil.swf"/><object data="evil"/></svg>',
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_svg_comes_out_inert_and_well_formed(name: str) -> None:
    result = sanitize_svg(HOSTILE[name].encode())
    text = result.data.decode()
    assert ACTIVE.search(re.sub(r' xmlns(:\w+)?="[^"]*"', "", text)) is None, text
    root = etree.fromstring(result.data)  # still a well-formed SVG
    assert root.tag == f"{{{SVG_NS}}}svg"
    assert {element.tag.split("}")[1] for element in root.iter()} <= ELEMENTS
    assert any(removed.active for removed in result.removed), result.removed
    [warning] = [d for d in svg_diagnostics("content/x.svg", result.removed) if d.code == "svg.unsafe"]
    assert warning.severity.value == "warning" and "kb left out what could run script" in warning.message


def test_a_clean_svg_keeps_everything_and_says_nothing() -> None:
    result = sanitize_svg(CLEAN.encode())
    assert result.removed == ()
    assert result.data.decode() == CLEAN + "\n"
    assert svg_diagnostics("x.svg", result.removed) == []


def test_output_is_the_same_bytes_every_time_and_stable_when_sanitised_again() -> None:
    hostile = "".join(HOSTILE.values()).encode()  # not one document: refused, deterministically too
    with pytest.raises(SvgRefused):
        sanitize_svg(hostile)
    for source in (CLEAN, HOSTILE["onload"], HOSTILE["style-url"]):
        first = sanitize_svg(source.encode()).data
        assert sanitize_svg(source.encode()).data == first
        assert sanitize_svg(first).data == first and sanitize_svg(first).removed == ()


def test_what_is_left_out_is_named_with_its_line() -> None:
    source = HEAD + '\n<rect onclick="x"/>\n<script>alert(1)</script>\n<image href="https://evil.example/a.png"/></svg>'
    result = sanitize_svg(source.encode())
    assert [(r.line, r.what) for r in result.removed] == [
        (2, "onclick attribute"), (3, "<script>"), (4, "href='https://evil.example/a.png' on <image>")]
    [warning] = svg_diagnostics("content/icons/a.svg", result.removed)
    assert warning.format() == (
        "content/icons/a.svg:2:1: warning: kb left out what could run script or load from elsewhere: onclick attribute "
        "(line 2), <script> (line 3) and href='https://evil.example/a.png' on <image> (line 4); the rest of the picture "
        "is published [svg.unsafe]")


def test_editor_data_is_left_out_with_a_note() -> None:
    source = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
              'xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" inkscape:version="1.3">\n'
              '<!-- Generator: an editor -->\n<sodipodi:namedview pagecolor="#fff"/>\n'
              '<metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata>\n'
              '<path inkscape:label="x" d="M0 0" data-name="kept" aria-label="kept too"/></svg>')
    result = sanitize_svg(source.encode())
    assert result.data.decode() == ('<svg xmlns="http://www.w3.org/2000/svg">\n\n\n\n'
                                    '<path d="M0 0" data-name="kept" aria-label="kept too"/></svg>\n')
    assert not any(removed.active for removed in result.removed)
    [note] = svg_diagnostics("a.svg", result.removed)
    assert (note.severity.value, note.code, note.line) == ("info", "svg.cleaned", 1)
    assert "inkscape:version attribute (line 1), <sodipodi:namedview> (line 3), <metadata> (line 4)" in note.message


@pytest.mark.parametrize(("source", "line", "col", "words"), [
    # entity expansion: a billion laughs in a few lines
    ('<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY a "lol">\n<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n'
     '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n<svg xmlns="http://www.w3.org/2000/svg"><text>&c;</text></svg>',
     2, 15, "declares a DTD of its own"),
    # an external entity that would read a file of the build machine
    ('<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
     1, 15, "declares a DTD of its own"),
    # a parameter entity fetching a DTD from elsewhere
    ('<!DOCTYPE svg [<!ENTITY % p SYSTEM "https://evil.example/x.dtd"> %p;]><svg/>', 1, 15, "declares a DTD of its own"),
    # an entity nobody defined
    ('<svg xmlns="http://www.w3.org/2000/svg">\n  <text>&nbsp;</text></svg>', 2, 9, "cannot be read as XML"),
    ('<svg xmlns="http://www.w3.org/2000/svg">\n<g>\n</svg>', 3, 3, "cannot be read as XML: mismatched tag"),
    ('<svg a="1" a="2"/>', 1, 12, "duplicate attribute"),
    ("", 1, 1, "cannot be read as XML"),
    ('<html xmlns="http://www.w3.org/1999/xhtml"><body onload="alert(1)"/></html>', 1, 1, "it starts with <html:html>"),
    ("<svg:svg xmlns:svg='urn:not-svg'/>", 1, 1, "not an SVG"),
])
def test_what_cannot_be_read_safely_is_refused_at_its_place(source: str, line: int, col: int, words: str) -> None:
    with pytest.raises(SvgRefused) as refused:
        sanitize_svg(source.encode())
    assert (refused.value.line, refused.value.col) == (line, col)
    assert words in refused.value.message


def test_a_doctype_naming_the_svg_dtd_is_dropped_and_never_fetched() -> None:
    source = ('<?xml version="1.0" encoding="ISO-8859-1" standalone="no"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
              '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg xmlns="http://www.w3.org/2000/svg"><text>caf\xe9'
              "</text></svg>")
    result = sanitize_svg(source.encode("latin-1"))
    assert result.data == '<svg xmlns="http://www.w3.org/2000/svg"><text>café</text></svg>\n'.encode()
    assert result.removed == ()


def test_an_svg_without_its_namespace_gets_it() -> None:
    assert sanitize_svg(b'<svg width="4"><rect/></svg>').data == b'<svg xmlns="http://www.w3.org/2000/svg" width="4"><rect/></svg>\n'


def test_embedded_pictures_and_references_inside_the_file_are_kept() -> None:
    source = (HEAD + '<image href="data:image/png;base64,iVBORw0K\n  GgoAAAANSUhEUg==" width="1" height="1"/>'
              '<use href="#a"/><rect fill="url(#a)" clip-path="url(\'#c\')"/></svg>')
    result = sanitize_svg(source.encode())
    assert result.removed == ()
    assert 'href="data:image/png;base64,iVBORw0K   GgoAAAANSUhEUg=="' in result.data.decode()  # XML made the newline a space


@pytest.mark.parametrize(("css", "problem"), [
    ("fill: red; stroke: rgb(0, 0, 0)", None),
    ("fill: url(#g)", None),
    ("fill: url( '#g' )", None),
    ("@media (max-width: 10px) { rect { fill: hsl(0 0% 0%) } }", None),
    ("rect:not(.a):nth-child(2n) { transform: translate(1px) scale(2) }", None),
    # draw.io writes each colour for both schemes.
    ("fill: light-dark(#ffffff, #121212); stroke: light-dark(rgb(0, 0, 0), rgb(237, 237, 237))", None),
    ("fill: url(x.svg#g)", "url() to another file"),
    ("fill: URL(https://x)", "url() to another file"),
    ("fill: url(/**/https://x)", "url() to another file"),
    ("@import 'x.css'", "@import"),
    ("@font-face { src: local(x) }", "@font-face"),
    ("fill: \\75rl(x)", "a CSS escape"),
    ("fill: image-set('x.png' 1x)", "image-set()"),
    ("width: expression(alert(1))", "expression()"),
])
def test_css_problem(css: str, problem: str | None) -> None:
    assert css_problem(css) == problem
