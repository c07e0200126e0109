"""Obsidian's callouts and GitHub's alerts become Material's admonitions; other quotes stay quotes."""

from __future__ import annotations

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.render import callouts
from kb.render.wikilinks import WikiLinkExtension


def render(text: str) -> str:
    return markdown.Markdown(extensions=["tables", WikiLinkExtension()]).convert(text)


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("> [!tip] Use **this**\n> Body\n>\n> More",
         '<div class="admonition tip">\n<p class="admonition-title">Use <strong>this</strong></p>\n<p>Body</p>\n'
         "<p>More</p>\n</div>"),
        ("> [!IMPORTANT]\n> Read it.", '<div class="admonition important">\n<p class="admonition-title">Important</p>\n'
         "<p>Read it.</p>\n</div>"),
        ("> [!bug]", '<div class="admonition bug">\n<p class="admonition-title">Bug</p>\n</div>'),
        ("> [!faq]- Closed\n> x", '<details class="faq">\n<summary>Closed</summary>\n<p>x</p>\n</details>'),
        ("> [!example]+ Open\n> x", '<details class="example" open="open">\n<summary>Open</summary>\n<p>x</p>\n</details>'),
        # A kind of the vault's own is shown as a note, under its name.
        ("> [!recipe] Soup\n> x", '<div class="admonition note">\n<p class="admonition-title">Soup</p>\n<p>x</p>\n</div>'),
        ("> [!my-kind]\n> x", '<div class="admonition note">\n<p class="admonition-title">My-kind</p>\n<p>x</p>\n</div>'),
        ("> [!note] Outer\n> > [!danger] Inner\n> > deep",
         '<div class="admonition note">\n<p class="admonition-title">Outer</p>\n<div class="admonition danger">\n'
         '<p class="admonition-title">Inner</p>\n<p>deep</p>\n</div>\n</div>'),
        ("- item\n\n    > [!info] In a list\n    > x",
         '<ul>\n<li>\n<p>item</p>\n<div class="admonition info">\n<p class="admonition-title">In a list</p>\n'
         "<p>x</p>\n</div>\n</li>\n</ul>"),
    ],
)
def test_a_quote_that_names_its_kind_is_a_box(text: str, html: str) -> None:
    assert render(text) == html


@pytest.mark.parametrize(
    "text",
    ["> A quote [!note]", "> Said: [!note] x", "> [!] empty", "> [ !note] spaced", "> `[!note]` code", "Text [!note]"],
)
def test_other_quotes_stay_as_written(text: str) -> None:
    assert "admonition" not in render(text) and "<details" not in render(text)



def test_callouts_a_blank_line_apart_are_boxes_apart() -> None:
    """Python-Markdown joins quotes a blank line apart; Obsidian and GitHub end a callout there."""
    assert render("> Said before.\n\n> [!note] One\n> a\n\n> [!tip] Two\n> b\n>\n> b2\n\n> c") == (
        "<blockquote>\n<p>Said before.</p>\n</blockquote>\n"
        '<div class="admonition note">\n<p class="admonition-title">One</p>\n<p>a</p>\n</div>\n'
        '<div class="admonition tip">\n<p class="admonition-title">Two</p>\n<p>b</p>\n<p>b2</p>\n</div>\n'
        "<blockquote>\n<p>c</p>\n</blockquote>")
    # Plain quotes are joined as before.
    assert render("> a\n\n> b") == "<blockquote>\n<p>a</p>\n<p>b</p>\n</blockquote>"


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("> [!tip] Before\n> - ask\n> - check", '<p class="admonition-title">Before</p>\n<ul>\n<li>ask</li>\n'
                                                "<li>check</li>\n</ul>\n</div>"),
        ("> [!NOTE]\n> 1. one\n> 2. two", '<p class="admonition-title">Note</p>\n<ol>\n<li>one</li>\n<li>two</li>'),
        ("> [!note] T\n> | a |\n> |---|\n> | 1 |", '<p class="admonition-title">T</p>\n<table>\n<thead>'),
    ],
)
def test_a_list_or_a_table_may_follow_the_marker_line(text: str, html: str) -> None:
    assert html in render(text)


def test_a_task_list_or_code_under_the_marker_line_is_read_as_everywhere() -> None:
    html = markdown.Markdown(extensions=["pymdownx.tasklist", "pymdownx.highlight", "pymdownx.superfences",
                                         WikiLinkExtension()]).convert("> [!todo] T\n> - [ ] task\n\n> [!note] C\n>     code")
    assert '<input type="checkbox" disabled/> task' in html and '<div class="highlight">' in html


def test_a_page_of_quotes_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Python-Markdown grows one quote from quotes a blank line apart: each of its paragraphs is
    looked at for a callout once, not once for every quote after it."""
    calls = []
    real = callouts._marker
    monkeypatch.setattr(callouts, "_marker", lambda paragraph: calls.append(1) or real(paragraph))
    html = render("".join(f"> quote {i}\n\n" for i in range(500)))
    assert html.count("<p>quote") == 500 and html.count("<blockquote>") == 1
    assert len(calls) <= 2 * 500


def test_a_callout_inside_an_html_block_marked_markdown_is_one_too() -> None:
    html = markdown.Markdown(extensions=["md_in_html", WikiLinkExtension()]).convert(
        "<div markdown>\n> [!warning] inside\n> x\n\npara ^md\n</div>")
    assert '<div class="admonition warning">' in html and '<p id="^md">para</p>' in html


PIECES = ["> ", ">", "[!note]", "[!faq]-", "[!tip]+", "[!x]", " Title", "\n", "\n\n", "- ", "1. ", "    ", "\t", "^id",
          " ^b-2", "text", "**", "`", "```\n", "<div>", "</div>", "|a|\n|-|\n", "[[page#^id]]", "!!! note\n", "<!-- ", " -->"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_callouts_and_block_ids_render_whatever_surrounds_them(parts: list[str]) -> None:
    """With the extensions a Material wiki uses beside them, too."""
    text = "".join(parts)
    for extensions in (["tables"], ["tables", "admonition", "pymdownx.details", "pymdownx.superfences", "md_in_html",
                                    "footnotes", "def_list"]):
        html = markdown.Markdown(extensions=[*extensions, WikiLinkExtension()]).convert(text)
        assert "[!note]" not in html.split("<blockquote>\n<p>", 1)[-1][:7]
