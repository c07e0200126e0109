"""Obsidian's block ids: taken off the text and given to their block, for `[[page#^id]]` to reach."""

from __future__ import annotations

import markdown
import pytest

from kb.read.body import block_ids, first_paragraph
from kb.render.wikilinks import WikiLinkExtension


def render(text: str) -> str:
    return markdown.Markdown(extensions=["tables", WikiLinkExtension()]).convert(text)


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("First, stop. ^step-1", '<p id="^step-1">First, stop.</p>'),
        ("Two lines\nend here ^b2 ", '<p id="^b2">Two lines\nend here</p>'),
        ("- one ^i1\n- two", '<ul>\n<li id="^i1">one</li>\n<li>two</li>\n</ul>'),
        ("| a |\n|---|\n| b |\n\n^t1", '<table id="^t1">'),
        ("> quoted\n\n^q1", '<blockquote id="^q1">'),
        ("> [!tip] Box\n> text ^c1", '<div class="admonition tip">\n<p class="admonition-title">Box</p>\n'
                                      '<p id="^c1">text</p>\n</div>'),
    ],
)
def test_an_id_names_its_block_and_is_not_shown(text: str, html: str) -> None:
    rendered = render(text)
    assert html in rendered and "^" not in rendered.replace('id="^', "")


@pytest.mark.parametrize(
    "text", ["x^2 is a square", "`code ^c1`", "```\nfenced ^f1\n```", "2 ^ 3 = 8", "a ^b c", "    indented ^code"],
)
def test_a_caret_that_is_no_id_stays(text: str) -> None:
    assert 'id="^' not in render(text) and "^" in render(text)


def test_ids_are_read_from_prose_only_and_left_out_of_summaries() -> None:
    body = "Start here. ^intro\n\n```\nnot ^this\n```\n\n| a |\n|---|\n\n^t1\n"
    assert block_ids(body) == {"intro", "t1"}
    assert first_paragraph(body) == "Start here."
    assert first_paragraph("^only-an-id\n\nThe text.\n") == "The text."
