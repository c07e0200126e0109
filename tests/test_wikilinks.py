"""The wikilink extension, HTML in and HTML out, with the resolver of a small wiki."""

from __future__ import annotations

import markdown
import pytest

from kb.analyse.links import LinkResolver
from kb.config import KbConfig
from kb.read.collect import Source
from kb.read.parse import parse_source
from kb.render.wikilinks import WikiLinkExtension, link_url, wiki_target

PAGES = {
    "ops/deploy.md": "---\ntitle: Deploying safely\naliases: [Shipping]\n---\n## Roll back\n",
    "ops/runbook.md": "# Runbook\n",
    "team/runbook.md": "# Team runbook\n",
    "index.md": "# Home\n",
    "caf\u00e9.md": "---\ntitle: Caf\u00e9 culture\n---\n",
    "Deploy to Staging.md": "# Staging\n",
}


@pytest.fixture(scope="module")
def resolver() -> LinkResolver:
    pages = [parse_source(Source(path, path, text), KbConfig())[0] for path, text in PAGES.items()]
    draft = parse_source(Source("ops/secret.md", "ops/secret.md", "---\nstatus: draft\n---\n"), KbConfig())[0]
    return LinkResolver(pages, [draft], ["ops/img/chart.png", "files/guide.pdf"], {"topics/ops.md": ("ops", "Operations")})


def render(resolver: LinkResolver, text: str, from_path: str = "ops/deploy.md") -> str:
    extension = WikiLinkExtension(lambda name, embed: wiki_target(resolver, from_path, name, embed))
    return markdown.markdown(text, extensions=[extension, "toc"])


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("[[runbook]]", '<p><a class="kb-wikilink" href="runbook.md">runbook</a></p>'),
        ("[[Runbook|the runbook]]", '<p><a class="kb-wikilink" href="runbook.md">the runbook</a></p>'),
        ("[[Shipping#Roll back]]", '<p><a class="kb-wikilink" href="#roll-back">Shipping › Roll back</a></p>'),  # itself, by alias
        ("[[#Roll back|up]]", '<p><a class="kb-wikilink" href="#roll-back">up</a></p>'),
        ("[[team/runbook]]", '<p><a class="kb-wikilink" href="../team/runbook.md">team/runbook</a></p>'),
        ("[[CAF\u00c9 CULTURE]]", '<p><a class="kb-wikilink" href="../caf\u00e9.md">CAF\u00c9 CULTURE</a></p>'),
        ("[[deploy to staging]]", '<p><a class="kb-wikilink" href="../Deploy to Staging.md">deploy to staging</a></p>'),
        ("[[Operations]]", '<p><a class="kb-wikilink" href="../topics/ops.md">Operations</a></p>'),
        ("![[chart.png]]", '<p><img alt="chart.png" src="img/chart.png" /></p>'),
        ("![[guide.pdf|the guide]]", '<p><a class="kb-wikilink" href="../files/guide.pdf">the guide</a></p>'),
        ("[[Nowhere]]", '<p><span class="kb-wanted" title="No page called \'Nowhere\' yet">Nowhere</span></p>'),
        ("[[secret]]", '<p><span class="kb-wanted" title="\'secret\' is a draft, not published yet">secret</span></p>'),
        ("`[[code]]`", "<p><code>[[code]]</code></p>"),
        ("\\[[escaped]]", "<p>[[escaped]]</p>"),
        ("```\n[[fenced]]\n```", "<p><code>[[fenced]]</code></p>"),
        ("[[<b>x</b>]]", '<p><span class="kb-wanted" title="No page called \'&lt;b&gt;x&lt;/b&gt;\' yet">&lt;b&gt;x&lt;/b&gt;</span></p>'),
    ],
)
def test_render(resolver: LinkResolver, text: str, html: str) -> None:
    assert render(resolver, text) == html


def test_ambiguous_names_go_to_the_nearest_folder(resolver: LinkResolver) -> None:
    assert render(resolver, "[[runbook]]", "team/x.md") == '<p><a class="kb-wikilink" href="runbook.md">runbook</a></p>'
    assert render(resolver, "[[runbook]]", "other/x.md") == '<p><a class="kb-wikilink" href="../ops/runbook.md">runbook</a></p>'
    resolution = resolver.resolve_name("other/x.md", "runbook")
    assert (resolution.status, resolution.candidates) == ("ambiguous", ("ops/runbook.md", "team/runbook.md"))


def test_link_to_another_page_with_a_heading(resolver: LinkResolver) -> None:
    assert render(resolver, "[[Deploying safely#Roll back]]", "ops/runbook.md") == (
        '<p><a class="kb-wikilink" href="deploy.md#roll-back">Deploying safely › Roll back</a></p>')


@pytest.fixture(scope="module")
def with_pictures() -> LinkResolver:
    page = parse_source(Source("ops/deploy.md", "ops/deploy.md", "# Deploy\n"), KbConfig())[0]
    return LinkResolver([page], [], ["ops/icon.svg", "folder/diagram.svg", "ops/shot.png"], {},
                        {"tools/setup.exe": ".exe files are not on the list", "private": "git ignores the folder private/"})


@pytest.mark.parametrize(("text", "html"), [
    ("![[icon.svg]]", '<p><img alt="icon.svg" src="icon.svg" /></p>'),
    ("![[folder/diagram.svg|100]]", '<p><img alt="folder/diagram.svg" src="../folder/diagram.svg" width="100" /></p>'),
    ("![[diagram.svg|200x100]]", '<p><img alt="diagram.svg" height="100" src="../folder/diagram.svg" width="200" /></p>'),
    ("![[shot.png|A screenshot]]", '<p><img alt="A screenshot" src="shot.png" /></p>'),
    ("![[setup.exe]]", '<p><span class="kb-wanted" title="\'setup.exe\' is not published">setup.exe</span></p>'),
    ("[[private/plan]]", '<p><span class="kb-wanted" title="\'private/plan\' is not published">private/plan</span></p>'),
])
def test_embeds_of_pictures_and_of_files_kb_does_not_publish(with_pictures: LinkResolver, text: str, html: str) -> None:
    assert render(with_pictures, text) == html


def test_an_escaped_pipe_in_a_table_cell_separates_the_label_and_keeps_the_cell_whole(with_pictures: LinkResolver) -> None:
    extension = WikiLinkExtension(lambda name, embed: wiki_target(with_pictures, "ops/deploy.md", name, embed))
    table = "| picture | page | heading |\n|---|---|---|\n| ![[shot.png\\|100]] | [[deploy\\|the guide]] | [[deploy#Top\\|top]] |\n"
    html = markdown.markdown(table, extensions=[extension, "tables", "toc"])
    cells = html.split("<tbody>", 1)[1]
    assert cells.count("<td>") == 3
    assert '<td><img alt="shot.png" src="shot.png" width="100" /></td>' in cells
    assert '<td><a class="kb-wikilink" href="#">the guide</a></td>' in cells  # the page itself
    assert '<td><a class="kb-wikilink" href="#top">top</a></td>' in cells


@pytest.fixture(scope="module")
def under_kb() -> LinkResolver:
    """The wiki of PAGES, served at https://wiki.example.com/kb/."""
    pages = [parse_source(Source(path, path, text), KbConfig())[0] for path, text in PAGES.items()]
    return LinkResolver(pages, [], ["ops/img/chart.png", "files/guide.pdf", "files/old/guide.pdf"],
                        {"topics/ops.md": ("ops", "Operations")}, site_path="/kb/")


def render_links(resolver: LinkResolver, text: str, from_path: str = "ops/deploy.md") -> str:
    extension = WikiLinkExtension(lambda name, embed: wiki_target(resolver, from_path, name, embed),
                                  lambda url: link_url(resolver, from_path, url))
    return markdown.markdown(text, extensions=[extension, "toc"])


@pytest.mark.parametrize(
    ("text", "html"),
    [
        # Paths on the site's host become paths from the page, which the site engine makes URLs of.
        ("[a](/kb/ops/runbook/)", '<p><a href="runbook.md">a</a></p>'),
        ("[a](/kb/team/runbook.md#top)", '<p><a href="../team/runbook.md#top">a</a></p>'),
        ("[a](/kb/Deploy%20to%20Staging/?v=2#x)", '<p><a href="../Deploy%20to%20Staging.md?v=2#x">a</a></p>'),
        ("[a](/kb/caf%C3%A9/) [t](/kb/topics/ops/)", '<p><a href="../caf%C3%A9.md">a</a> <a href="../topics/ops.md">t</a></p>'),
        ("![c](/kb/ops/img/chart.png)", '<p><img alt="c" src="img/chart.png" /></p>'),
        ("[ref][r]\n\n[r]: /kb/ops/runbook/", '<p><a href="runbook.md">ref</a></p>'),
        # Files by their name; a block reference keeps its block's id (kb.render.blocks).
        ("![c](chart.png#only-dark) [c](img/chart.png)", '<p><img alt="c" src="img/chart.png#only-dark" /> <a href="img/chart.png">c</a></p>'),
        ("[r](../ops/runbook.md#^abc) [s](/kb/ops/runbook/#^abc)",
         '<p><a href="../ops/runbook.md#^abc">r</a> <a href="runbook.md#^abc">s</a></p>'),
        ("[[runbook#^abc]] ![[runbook#^abc|see]]", '<p><a class="kb-wikilink" href="runbook.md#^abc">runbook › ^abc</a> '
                                                   '<a class="kb-wikilink" href="runbook.md#^abc">see</a></p>'),
        # Kept as written: what the site engine resolves itself, what goes nowhere, what is elsewhere.
        ("[a](runbook.md) [b](../team/runbook.md#x) [c](#here)", '<p><a href="runbook.md">a</a> <a href="../team/runbook.md#x">b</a> <a href="#here">c</a></p>'),
        ("[a](/devops/) [b](/kb/nothing/) [c](guide.pdf) [d](nothing.md)",
         '<p><a href="/devops/">a</a> <a href="/kb/nothing/">b</a> <a href="guide.pdf">c</a> <a href="nothing.md">d</a></p>'),
        ("[a](https://x.example/kb/ops/runbook/) [b](//x.example/kb/)", '<p><a href="https://x.example/kb/ops/runbook/">a</a> <a href="//x.example/kb/">b</a></p>'),
        ("`[a](/kb/ops/runbook/)`", "<p><code>[a](/kb/ops/runbook/)</code></p>"),
    ],
)
def test_links_only_kb_resolves_are_handed_back_as_paths(under_kb: LinkResolver, text: str, html: str) -> None:
    assert render_links(under_kb, text) == html


def test_an_escaped_character_in_a_link_is_read_as_written(under_kb: LinkResolver) -> None:
    # Python-Markdown reads `\.` in a URL as `.`, and puts it back after kb has seen the URL.
    assert render_links(under_kb, "[a](/kb/ops/runbook\\.md)") == '<p><a href="runbook.md">a</a></p>'
