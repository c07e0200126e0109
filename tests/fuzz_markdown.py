"""Hypothesis strategies for Markdown page bodies.

Bodies link to the other pages of their wiki (relative links, [[wikilinks]] by name, alias,
heading and label, ![[embeds]]) and mix in what makes renderers and link scanners work hard:
deep lists and quotes, code spans and fences that contain link syntax, raw HTML that must not
survive sanitising, unbalanced brackets and lines longer than any limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from fuzz_yaml import huge, odd_text, words
from hypothesis import strategies as st


@dataclass(frozen=True)
class Targets:
    """What a body in this wiki can point at: relative link paths, wikilink names, attachments."""

    paths: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    files: tuple[str, ...] = ()


HOSTILE_HTML = (
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '<iframe src="https://evil.example"></iframe>',
    '<a href="javascript:alert(1)">x</a>', "<svg onload=alert(1)>", '<div id="__config">{}</div>', "<style>*{}</style>",
    '<base href="https://evil.example/">', "<!-- comment -->", "<!-- unclosed comment", "<details><summary>s</summary>",
    '<span onclick="x()">span</span>', "<b>bold", "</div>", "<math><mi>x</mi></math>", "<form><input></form>",
)
URLS = ("https://example.com/x", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "mailto:a@example.com", "#top", "",
        "data:text/html,<script>alert(1)</script>", "//evil.example", "../../../../etc/passwd", "%2e%2e/x.md", "<>")


@cache
def inline(targets: Targets) -> st.SearchStrategy[str]:
    names = st.sampled_from(targets.names or ("Nowhere",))
    paths = st.sampled_from(targets.paths or ("nowhere.md",))
    files = st.sampled_from(targets.files or ("missing.png",))
    anchors = st.one_of(st.just(""), words().map(lambda word: "#" + word), st.sampled_from(("#", "#Heading One", "#^block")))
    return st.one_of(
        words(),
        odd_text(),
        st.builds(lambda label, path, anchor: f"[{label}]({path}{anchor})", words(), paths, anchors),
        st.builds(lambda label, url: f"[{label}]({url})", words(), st.sampled_from(URLS)),
        st.builds(lambda name: f"[[{name}]]", names),
        st.builds(lambda name, anchor, label: f"[[{name}{anchor}|{label}]]", names, anchors, st.one_of(words(), odd_text())),
        st.builds(lambda anchor: f"[[{anchor}]]", anchors),
        st.sampled_from(("[[]]", "[[|]]", "[[a|b|c]]", "[[#]]", "[[ ]]", "[[[x]]]", "[[x]", "[x]]", "[[", "]]", "[", "\\[[x]]")),
        st.builds(lambda name: f"![[{name}]]", st.one_of(files, names)),
        st.builds(lambda name, size: f"![[{name}|{size}]]", files, st.sampled_from(("100", "100x50", "alt text"))),
        st.builds(lambda alt, path: f"![{alt}]({path})", words(), st.one_of(files, st.sampled_from(URLS))),
        st.builds(lambda name: f"`[[{name}]]`", names),
        st.builds(lambda path: f"``[x]({path})``", paths),
        st.builds(lambda word: f"*{word}* **{word}** _{word}_ ~~{word}~~", words()),
        st.sampled_from(HOSTILE_HTML),
        st.sampled_from(("<https://example.com>", "https://example.com/bare", "a@example.com", "&amp; &lt; &#0; &#x110000;")),
        st.builds(lambda word: f"{word}[^1]\n\n[^1]: {word}", words()),
    )


@cache
def line(targets: Targets) -> st.SearchStrategy[str]:
    return st.lists(inline(targets), min_size=1, max_size=6).map(" ".join)


@cache
def blocks(targets: Targets) -> st.SearchStrategy[str]:
    text = line(targets)
    return st.one_of(
        text,
        st.builds(lambda level, heading: "#" * level + " " + heading, st.integers(1, 7), text),
        st.builds(lambda heading, under: f"{heading}\n{under}", text, st.sampled_from(("===", "---"))),
        st.builds(lambda depth, item: "\n".join("    " * i + "- " + item for i in range(depth)), st.integers(1, 40), text),
        st.builds(lambda depth, item: "> " * depth + item, st.integers(1, 40), text),
        st.builds(lambda depth, item: "\n".join("> " * (i + 1) + item for i in range(depth)), st.integers(1, 12), text),
        st.builds(lambda fence, lang, code, close: f"{fence}{lang}\n{code}\n" + (fence if close else ""),
                  st.sampled_from(("```", "~~~", "````")), st.sampled_from(("", "yaml", "md", "html")),
                  st.one_of(text, st.sampled_from(("---\ndraft: false\n---", "[[x]] [y](z.md)", "<script>alert(1)</script>"))),
                  st.booleans()),
        st.builds(lambda code: "    " + code, text),
        st.sampled_from(HOSTILE_HTML),
        st.builds(lambda cell: f"| a | b |\n|---|---|\n| {cell} | [[x]] |", text),
        st.sampled_from(("---", "***", "- - -", "+++", "...", "$$\nx\n$$", "Term\n: definition", "*[HTML]: Hyper Text")),
        st.builds(lambda piece: piece, huge(st.sampled_from(("[[x|", "[", "word ", "]]", "`", "<", "*", "\\")))),
        st.builds(lambda piece, times: piece * times, st.sampled_from(("[[a]]", "[x](y.md)", "![[p.png]]")),
                  st.integers(20, 400)),
    )


@cache
def bodies(targets: Targets) -> st.SearchStrategy[str]:
    return st.lists(blocks(targets), max_size=6).map(lambda parts: "\n\n".join(parts) + "\n")
