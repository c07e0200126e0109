"""Obsidian's block ids: taken off the text and given to their block, for `[[page#^id]]` to reach."""

from __future__ import annotations

import re

import markdown
import pytest

from kb.read.body import block_ids, first_paragraph, scan_links
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
        ("Check the logs\n^logs", '<p id="^logs">Check the logs</p>'),
        ("1. Stop. ^stop\n    Then wait.\n2. Go.", '<li id="^stop">Stop.\n    Then wait.</li>'),
        ("- a ^x\n    - nested ^y", '<li id="^x">a<ul>\n<li id="^y">nested</li>'),
        # After a heading, raw HTML or code, the id marks the place: the heading keeps its anchor.
        ("# Title\n\n^after", '<h1>Title</h1>\n<div id="^after"></div>'),
        ("<iframe></iframe>\n\n^frame", '<div id="^frame"></div>'),
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


def test_the_ids_kb_check_counts_are_the_ids_the_page_gets() -> None:
    """`kb check` reads ids from the source; each it counts is an id of the rendered page, and
    one the page does not get (in a heading, in the middle of a paragraph) is not counted."""
    body = ("## Rollback ^rollback\n\n1. Stop the service. ^stop\n    Then wait.\n\nCheck the logs\n^logs\n\n"
            "para ^mid\ncontinues\n\n# T\n\n^after\n\nx ^q\n> quote\n\n- a ^i1\n- b ^i2\n\nend ^last")
    rendered = render(body)
    assert block_ids(body) == {"stop", "logs", "after", "q", "i1", "i2", "last"}
    assert {found for found in block_ids(body) if f'id="^{found}"' in rendered} == block_ids(body)
    assert 'id="^rollback"' not in rendered and 'id="^mid"' not in rendered


@pytest.mark.parametrize(
    "body",
    ["> Quote line one ^qa\n> quote line two", "> quoted ^qb\n>\n> more", "- item ^b\n  continues\n\n- other",
     "Para\n- foo ^d\nmore", "Paragraph ^hr\n***", "<details markdown>\nHidden detail ^det\n</details>",
     "```\ncode\n```\n^fence", "> ## Head ^i", "Text[^1].\n\n[^1]: Foot ^fn", "> [!tip] T\n> - a ^t1\n> - b"],
)
def test_check_and_page_agree_on_each_id(body: str) -> None:
    html = markdown.Markdown(extensions=["tables", "fenced_code", "md_in_html", "footnotes", WikiLinkExtension()]).convert(body)
    assert block_ids(body) == set(re.findall(r'id="\^([^"]+)"', html))


def test_ids_are_read_from_prose_only_and_left_out_of_summaries() -> None:
    body = "Start here. ^intro\n\n```\nnot ^this\n```\n\n| a |\n|---|\n\n^t1\n"
    assert block_ids(body) == {"intro", "t1"}
    assert first_paragraph(body) == "Start here."
    assert first_paragraph("^only-an-id\n\nThe text.\n") == "The text."


def test_a_backlink_s_sentence_leaves_the_id_out() -> None:
    [ref] = scan_links("Owner: [[steps]] ^owner\nnext line.\n", 1)
    assert ref.context == "Owner: steps next line."
