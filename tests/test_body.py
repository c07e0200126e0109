from __future__ import annotations

import pytest

from kb.read.body import clean_inline, first_paragraph, mask_code_spans, scan_headings, scan_links, without_raw_elements


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("see [a](b.md) here", [("b.md", 1, 5)]),
        ("[a](b.md#part) and [c](d/e.md \"title\")", [("b.md", 1, 1), ("d/e.md", 1, 20)]),
        ("`[not](a.md)` but [yes](y.md)", [("y.md", 1, 19)]),
        ("``[not](`a.md)`` x", []),
        ("![image](pic.png)", [("pic.png", 1, 1)]),
        ("[spaces](<my page.md>)", [("my page.md", 1, 1)]),
        ("[ref]: ../other.md", [("../other.md", 1, 8)]),
        ("[outer [inner] text](t.md)", [("t.md", 1, 1)]),
        ("```\n[fenced](f.md)\n```\n[after](a.md)", [("a.md", 4, 1)]),
        ("~~~~\n```\n[still fenced](f.md)\n~~~~\n", []),
        # Fences under an admonition, a content tab, a list item and in a callout are fences too.
        ('!!! note\n\n    ```python\n    x = "[not](n.md)"\n    ```\n    [yes](y.md)', [("y.md", 6, 5)]),
        ('=== "Tab"\n\n        ~~~\n        [[not]] [no](n.md)\n        ~~~\n', []),
        ("> [!note]\n> ```\n> [no](n.md)\n> ```\n> [yes](y.md)", [("y.md", 5, 3)]),
        ("1. Step\n\n   ```bash\n   [no](n.md)\n   ```\n   [yes](y.md)", [("y.md", 6, 4)]),
        # Indented with no container above: Python-Markdown renders it as text, links and all.
        ("Intro.\n  ~~~\nA [x](x.md)\n  ~~~\n", [("x.md", 3, 3)]),
        ("\\[escaped] text", []),
        ("[café](caf\u00e9.md)", [("caf\u00e9.md", 1, 1)]),
    ],
)
def test_links_with_their_place(body: str, expected: list[tuple[str, int, int]]) -> None:
    assert [(link.target, link.line, link.col) for link in scan_links(body, 1)] == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("[[Target]]", [("wiki", "Target", "", "")]),
        ("[[Target|the label]]", [("wiki", "Target", "", "the label")]),
        ("[[Target#Some Heading]]", [("wiki", "Target", "Some Heading", "")]),
        ("[[Target#Heading|label]]", [("wiki", "Target", "Heading", "label")]),
        ("[[#Heading]]", [("wiki", "", "Heading", "")]),
        ("![[diagram.png]]", [("embed", "diagram.png", "", "")]),
        ("[[Deploy to staging]] and [[café]]", [("wiki", "Deploy to staging", "", ""), ("wiki", "café", "", "")]),
        ("`[[in code]]` [[out]]", [("wiki", "out", "", "")]),
        ("\\[[escaped]] [[kept]]", [("wiki", "kept", "", "")]),
        ("[[unclosed and [[ok]]", [("wiki", "ok", "", "")]),
        ("[text](a.md#x) ![alt](i.png)", [("markdown", "a.md", "x", "text"), ("image", "i.png", "", "alt")]),
        # Obsidian escapes the pipe in a table cell, so that it does not end the cell.
        ("| ![[Engelbart.jpg\\|100]] | [[Page\\|alias]] |", [("embed", "Engelbart.jpg", "", "100"), ("wiki", "Page", "", "alias")]),
        ("[[Page#Heading\\|alias]] [[back\\slash]]", [("wiki", "Page", "Heading", "alias"), ("wiki", "back\\slash", "", "")]),
        ("[[page#^block-id]]", [("wiki", "page", "^block-id", "")]),
    ],
)
def test_wikilinks_and_kinds(body: str, expected: list[tuple[str, str, str, str]]) -> None:
    assert [(link.kind.value, link.target, link.anchor, link.label) for link in scan_links(body, 1)] == expected


@pytest.mark.parametrize(
    ("body", "context"),
    [
        ("One sentence. Read [[Deploy|the deploy guide]] before Friday! Another one.", "Read the deploy guide before Friday!"),
        ("A paragraph that\nwraps [over](x.md) lines. Next.", "A paragraph that wraps over lines."),
        ("- a list item with [[Link]]\n- another item", "a list item with Link"),
        ("> quoted [[Link]] text", "quoted Link text"),
        ("## Heading with [[Link]]", "Heading with Link"),
        ("No full stop [[Link]]", "No full stop Link"),
        ("Version 1.2 is [[Link]]. Done.", "Version 1.2 is Link."),
        # A list item numbered in other digits (`\d` reads them) starts a block of its own.
        ("See [a](a.md) here\n\u0663. more text", "See a here"),
    ],
)
def test_link_context_is_its_sentence(body: str, context: str) -> None:
    assert scan_links(body, 1)[0].context == context


def test_link_lines_count_from_the_body_start() -> None:
    [link] = scan_links("\n\n  [x](y.md)", 10)
    assert (link.line, link.col) == (12, 3)


def test_headings() -> None:
    body = "# One\n\ntext\n## Two ##\n```\n# not a heading\n```\nThree\n-----\n#hashtag is not one\n"
    assert [(h.level, h.text, h.line) for h in scan_headings(body, 5)] == [(1, "One", 5), (2, "Two", 8), (2, "Three", 12)]


def test_mask_code_spans_keeps_columns() -> None:
    line = "a `[b](c)` d"
    assert len(mask_code_spans(line)) == len(line)
    assert "[" not in mask_code_spans(line)


@pytest.mark.parametrize(
    ("line", "masked"),
    [("a `b` c", "a     c"), ("``a`b``!", "       !"), ("`open only", "`open only"), ("`a` and ``b`` `c", "    and       `c"),
     ("``x` `y``", "         ")],
)
def test_code_span_pairing(line: str, masked: str) -> None:
    assert mask_code_spans(line) == masked


@pytest.mark.parametrize("line", ["[[x|" * 4000, "[" * 16000, "`" * 16000, "[a](" * 4000, "![" * 8000, "`a" * 8000])
def test_pathological_lines_give_sane_results(line: str) -> None:
    # How fast these scan is measured by the benchmarks, never timed here.
    assert scan_links(line, 1) == ()
    assert len(mask_code_spans(line)) == len(line)
    assert len(first_paragraph(line)) <= 301


def test_clean_inline() -> None:
    assert clean_inline("**Bold** and _it_ and `code` and [link](x) and <b>tag</b>") == "Bold and it and code and link and tag"


def test_a_footnote_is_not_a_link_definition() -> None:
    from kb.read.body import scan_links

    links = scan_links("Text.[^1]\n\n[^1]: See the annual report, and [the plan](plan.md).\n[ref]: other.md\n", 1)
    assert [link.target for link in links] == ["plan.md", "other.md"]


def test_a_fence_that_is_never_closed_is_prose() -> None:
    from kb.read.body import prose_lines

    assert [number for number, _ in prose_lines("a\n```\ncode\n```\nb\n```\nopen\n", 1)] == [1, 5, 6, 7, 8]


def test_a_block_of_thousands_of_links_keeps_every_link_and_costs_little_per_link() -> None:
    from kb.read.body import CONTEXTS_PER_BLOCK, scan_links

    links = scan_links("See [[first]]. " + "[[a]] " * 1000, 1)
    assert len(links) == 1001
    assert links[0].context == "See first."
    assert links[CONTEXTS_PER_BLOCK + 10].context == "a"  # its own text, not a sentence window


def test_a_fence_with_an_info_string_opens_a_block_and_never_closes_one() -> None:
    """`~~~yaml` twice is two openings: the first block is never closed, so all of it is prose
    to Python-Markdown, and its long lines must be tamed like any other."""
    from kb.read.body import prose_lines

    assert [number for number, _ in prose_lines("~~~yaml\ncode\n~~~yaml\n[[[[\n", 1)] == [1, 2, 3, 4, 5]
    assert [number for number, _ in prose_lines("~~~yaml\ncode\n~~~~  \ntext\n", 1)] == [4, 5]


@pytest.mark.parametrize(
    "body",
    [
        "<style>\n.internal-note { color: red }\n</style>\n\nPublic text.\n",
        "<script>\n  window.MathJax = { tex: { inlineMath: [['\\\\(', '\\\\)']] } };\n</script>\nPublic text.\n",
        '  <SCRIPT type="module">\nimport("[[x]]");\n\n[a](b.md)\n</SCRIPT>\n\nPublic text.\n',
        "<script>var links = '[[x]]';</script>\nPublic text.\n",
    ],
)
def test_script_and_style_text_is_no_summary_link_or_heading(body: str) -> None:
    """Python-Markdown passes script and style elements on as they are (and the sanitiser drops
    them): their text is no part of the page a reader sees."""
    assert first_paragraph(body) == "Public text."
    assert scan_links(body, 1) == () and scan_headings(body, 1) == ()


def test_a_script_never_closed_keeps_the_rest_raw_as_the_renderer_does() -> None:
    assert scan_links("[before](a.md)\n\n<script>\nx = 1;\n\n[after](b.md)\n", 1)[0].target == "a.md"
    assert len(scan_links("[before](a.md)\n\n<script>\nx = 1;\n\n[after](b.md)\n", 1)) == 1
    assert clean_inline("Text <script>alert(1)</script> and <b>bold</b>") == "Text and bold"


def test_only_script_and_style_lines_leave_the_text_search_reads() -> None:
    body = "Use `<script` with care.\n\n```html\n<script>shown()</script>\n```\n\n<style>\n.hidden {}\n</style>\nAfter.\n"
    assert without_raw_elements(body) == body.replace("<style>\n.hidden {}\n</style>", "\n\n")


def test_an_html_comment_hides_its_lines_and_a_script_inside_it_opens_nothing() -> None:
    body = "<!--\n<script>\n[hidden](a.md)\n-->\n\nVisible [shown](b.md).\n\n<!-- note --> after [x](c.md)\n"
    assert [link.target for link in scan_links(body, 1)] == ["b.md", "c.md"]
    assert first_paragraph(body) == "Visible shown."
