"""Taming pages before they reach the renderer: nesting the renderer would crash on is cut to the
limit, each kind of problem is reported once at its first place, and ordinary Markdown is left
as it is. The renderer is Python-Markdown with the example wiki's extensions and the others a
Material site commonly adds; after taming, no page makes it recurse too deep."""

from __future__ import annotations

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.read.limits import EMPHASIS_MAX, Limits, tame_markdown
from kb.render.wikilinks import WikiLinkExtension

#: MkDocs' own extensions and the example wiki's (mkdocs.yml).
WIKI = ["toc", "tables", "fenced_code", "admonition", "footnotes", "def_list", "pymdownx.details",
        "pymdownx.superfences", "pymdownx.highlight", "pymdownx.tasklist"]
#: With what Material's documentation recommends: md_in_html, pymdownx's emphasis, blocks and tabs.
MATERIAL = [*WIKI, "md_in_html", "attr_list", "abbr", "pymdownx.betterem", "pymdownx.tilde", "pymdownx.caret",
            "pymdownx.mark", "pymdownx.inlinehilite", "pymdownx.tabbed", "pymdownx.blocks.admonition",
            "pymdownx.critic", "pymdownx.keys"]
#: Frames a build spends before the renderer starts (MkDocs, the plugin, the fault barrier), with room to spare.
BUILD_FRAMES = 60


def render(text: str, extensions: list[str]) -> str:
    def nested(frames: int) -> str:
        if frames:
            return nested(frames - 1)
        md = markdown.Markdown(extensions=[*extensions, WikiLinkExtension()],
                               extension_configs={"pymdownx.betterem": {"smart_enable": "all"}})
        return md.convert(text)

    return nested(BUILD_FRAMES)


def tamed(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    body, found = tame_markdown(text, 5, Limits())
    return body, [(problem.line, problem.col, problem.message) for problem in found]


NESTING = "quotes, lists and indentation nested deeper than 32 levels on one line are shown at that depth"
EMPHASIS = f"emphasis markers (* _ ~ = ^) that would nest deeper than {EMPHASIS_MAX} are shown as written"
HTML = "HTML elements nested deeper than 32 levels are shown as text"


def lines(count: int) -> str:
    return f" ({count} lines like this)"


@pytest.mark.parametrize(
    ("text", "line", "col", "message"),
    [
        ("- " * 500 + "x\n", 5, 65, NESTING),
        ("1. " * 600 + "x", 5, 97, NESTING),
        ("".join("    " * i + "- item\n" for i in range(300)), 37, 129, NESTING + lines(268)),
        ("".join("> " + "    " * i + "- item\n" for i in range(300)), 36, 127, NESTING + lines(269)),
        # What follows a block-level tag or a comment is a line of its own to the renderer.
        ("<hr>" + "* " * 1000 + "x\n", 5, 67, NESTING),
        ("<!-- c -->" + "* " * 1000 + "x\n", 5, 73, NESTING),
        ("*" * 2000 + "x" + "*" * 2000, 5, 129, EMPHASIS),
        ("*a\n" * 1500 + "x" + "\na*" * 1500 + "\n", 133, 1, EMPHASIS + lines(1372)),
        ("**a\n" * 1200 + "x" + "\na**" * 1200, 69, 1, EMPHASIS + lines(1136)),
        ("~~a\n" * 1200 + "x" + "\na~~" * 1200, 69, 1, EMPHASIS + lines(1136)),
        ("*a _a\n" * 500 + "x" + "\na_ a*" * 500, 69, 1, EMPHASIS + lines(436)),
        ('<div markdown="1">\n' * 500 + "x\n" + "</div>\n" * 500, 37, 1, HTML + lines(936)),
        ('<div markdown="1">\n' + "<div>\n" * 1200 + "x\n" + "</div>\n" * 1200 + "</div>\n", 37, 1, HTML + lines(2338)),
    ],
)
def test_what_crashes_the_renderer_is_tamed_at_its_first_place(text: str, line: int, col: int, message: str) -> None:
    with pytest.raises(RecursionError):
        render(text, MATERIAL)  # the case is real: untamed, the renderer crashes
    body, found = tamed(text)
    assert found == [(line, col, message)]
    for extensions in (WIKI, MATERIAL):
        render(body, extensions)


@pytest.mark.parametrize(
    ("text", "line", "col", "message"),
    [
        ("> " * 600 + "deep\n\nAfter the quotes.\n", 5, 65, NESTING),
        ("- > " * 300 + "x\n", 5, 65, NESTING),
        ("".join("\t" * i + "!!! note\n" for i in range(300)) + "x\n", 38, 1, NESTING + lines(267)),
        ("".join("<div></div>" + "    " * i + "- item\n" for i in range(300)), 36, 136, NESTING + lines(269)),
        ("==a\n" * 900 + "x" + "\na==" * 900, 69, 1, EMPHASIS + lines(836)),
        ("*[a\n" * 300 + "x" + "\n](y) a*" * 300, 133, 1, EMPHASIS + lines(172)),
        ('<div markdown="1">' * 200 + "x" + "</div>" * 200 + "\n", 5, 577, HTML),
        # After a tag or a label's colon, space is a line's start again.
        ("".join("<div></div>" + "    " * i + "x\n" for i in range(300)), 37, 12, NESTING + lines(268)),
    ],
)
def test_nesting_past_the_limit_is_tamed_whatever_the_renderer_makes_of_it(text: str, line: int, col: int,
                                                                         message: str) -> None:
    """Quotes and tabs cost the renderer less than lists, but a page's limit is one limit."""
    body, found = tamed(text)
    assert found == [(line, col, message)]
    for extensions in (WIKI, MATERIAL):
        render(body, extensions)


@pytest.mark.parametrize(
    "text",
    [
        # Eight columns in, a line that looks like an item is text the renderer joins to the item above.
        "# Deep\n\n- a\n" + "        - **a\n" * 1200 + "x" + "\n        - a**" * 1200 + "\n",
        "- a\n" + "\t\t- **a\n" * 1200 + "x" + "\n\t\t- a**" * 1200 + "\n",
        "1. a\n" + "        2. ~~a\n" * 1200 + "x" + "\n        3. a~~" * 1200 + "\n",
    ],
)
def test_items_the_renderer_joins_are_counted_together(text: str) -> None:
    for extensions in (WIKI, MATERIAL):
        render(tame_markdown(text, 1, Limits())[0], extensions)


@pytest.mark.parametrize(
    "text",
    [
        "".join("    " * i + "- item\n" for i in range(32)),
        "> " * 32 + "x\n",
        "- " * 32 + "x\n",
        "* * * * * * *\n\nA rule.\n",
        "| **a** | __b__ |\n|---|---|\n" + "| **bold** cell | ~~gone~~ and ==marked== |\n" * 50,
        "A paragraph of " + "**bold** and *em* and snake_case_names and a = b and 5 * 3, " * 40 + "ending.\n",
        "See " + "[link_with_underscores](https://example.com/a_b_c) " * 60 + "\n",
        "Code `a*b*c` " * 200 + "\n",
        "<p>one<p>two" * 50 + "\n\n" + "<ul>" + "<li>item" * 100 + "</ul>\n",
        '<div class="grid cards" markdown>\n\n- **A**\n\n    ---\n\n    Text *here*\n\n</div>\n',
        "```\n" + "- " * 500 + "\n" + "*" * 3000 + "\n```\n",
        # A glossary or settings list, right under its heading: each item pairs its own markers.
        "# Settings\n" + "".join(f"- **Setting {i}**: does *a* thing\n" for i in range(100)),
        # Obsidian's block ids are no superscript: an outline of many is no deep emphasis.
        "# Outline\n\n- Tasks\n" + "".join(f"    - task {i} ^t{i}\n" for i in range(200)),
        # A table written by a tool that pads every cell to its column's widest.
        "| name" + " " * 200 + "| value |\n|---|---|\n| a" + " " * 203 + "| b" + "\t" * 40 + "|\n",
        "".join(f"{i}. __Step {i}__: run it\n   then **check**: done\n" for i in range(1, 60)),
    ],
)
def test_ordinary_markdown_is_left_as_it_is(text: str) -> None:
    assert tame_markdown(text, 1, Limits()) == (text, [])


def test_space_after_a_label_s_colon_is_a_line_s_start() -> None:
    """A footnote's or a definition's text after its colon is read as blocks: space there nests."""
    for label in ("[^1]:", ":"):
        body, found = tame_markdown(label + " " * 200 + "x\n", 1, Limits(nesting_max=4))
        assert body == label + " " * 16 + "x\n" and [(p.line, p.col, p.code) for p in found] == [
            (1, len(label) + 1, "page.deep-nesting")]
    assert tame_markdown("a" + " " * 200 + "x\n", 1, Limits(nesting_max=4)) == ("a" + " " * 200 + "x\n", [])


def test_the_limit_is_the_sites() -> None:
    body, found = tame_markdown("- " * 10 + "x\n", 1, Limits(nesting_max=4))
    assert body == "- - - - x\n" and [(p.line, p.col, p.code) for p in found] == [(1, 9, "page.deep-nesting")]


PIECES = ["*", "**", "***", "_", "__", "~", "~~", "==", "^", "^^", "[", "](x)", "![", "`", "<span>", "</span>",
          '<div markdown="1">', "</div>", "<p>", "> ", "- ", "1. ", "* ", "\t", "    ", "!!! note\n", "??? note\n",
          '=== "t"\n', "/// note\n", "[^1]", "\n", "\n\n", " ", "a", "(", ")", ".", "|", "{++", "++}", ":   ", "[[", "]]",
          "\\", "a_b", "(*", "*)", "#", "---", "a\n", "\n    ", "*a ", "a* ", "~~a ", "a~~ ", "==a ", "_a ", "a_ "]


@st.composite
def nestings(draw: st.DrawFn) -> str:
    """A page of a few pieces repeated hundreds of times around some text, and repeated again
    the other way: how the renderer is made to recurse."""
    parts = []
    for _ in range(draw(st.integers(1, 2))):
        opener = "".join(draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=3)))
        closer = "".join(draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=3)))
        times = draw(st.sampled_from([40, 400, 1100]))
        if draw(st.booleans()):
            parts.append("".join(" " * (draw(st.sampled_from([1, 4])) * i) + opener + "\n" for i in range(times // 4)))
        else:
            parts.append(opener * times + "x" + closer * times)
    return "\n".join(parts)


@settings(max_examples=20)
@given(nestings(), st.sampled_from([WIKI, MATERIAL]))
def test_no_tamed_page_makes_the_renderer_recurse_too_deep(text: str, extensions: list[str]) -> None:
    render(tame_markdown(text, 1, Limits())[0], extensions)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=" \t>*+-.)0123456789\u0663\uff11\u00e9\u4e00x\n", max_size=60), st.integers(1, 12))
def test_the_quick_look_at_a_page_s_bytes_misses_no_run_of_structure(text: str, nesting_max: int) -> None:
    """The bytes are read first only to rule a page out: any run the pattern finds (Unicode
    digits too) is found, and a page it finds one in goes on to the pattern."""
    from kb.read.limits import _may_nest_too_deep, _structure_characters

    assert _may_nest_too_deep(text, nesting_max) == (_structure_characters(nesting_max).search(text) is not None)
