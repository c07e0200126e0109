"""The wikilink extension, HTML in and HTML out, with the resolver of a small wiki."""

from __future__ import annotations

import markdown
import pytest

from kb.collect import Source
from kb.config import KbConfig
from kb.links import LinkResolver
from kb.parse import parse_source
from kb.wikilinks import WikiLinkExtension, wiki_target

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
