"""Hypothesis strategies for YAML front matter, written as text.

`yaml.dump` only writes what a careful program would; authors write by hand. So values are
drawn as YAML source: every scalar type in its odd spellings (YAML 1.1 booleans, sexagesimal and
huge integers, .nan, impossible dates, explicit tags such as !!binary or !!python/object),
quoting that is needed or broken, block scalars, deep flow and block collections, anchors and
aliases, and the Unicode that trips up text handling (bidi controls, zero-width and line
separator characters, decomposed accents, emoji).

Nothing here ever writes a draft convention (`draft`, `publish`, `published` or `status: draft`):
fuzz_content adds those deliberately, so that it knows which pages are drafts without asking kb.

Strategy builders are cached: Hypothesis validates every new strategy object, and building them
again for every page would take longer than running kb on it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from hypothesis import strategies as st

#: Characters that break naive text handling: bidi override, zero-width space and joiner, BOM,
#: YAML line breaks other than \n (NEL, line and paragraph separators), a combining accent, emoji.
ODD_CHARACTERS = ("\u202e", "\u202d", "\u200b", "\u200d", "\ufeff", "\u0085", "\u2028", "\u2029", "\u0301", "\t",
                  "🚀", "👩‍💻", "日本", "עברית", "é", "<", ">", "&", '"', "'", "\\", "#", ":", "-", "[", "]", "{", "}")

#: Keys that say whether a page is published, in any case: never drawn at random.
DRAFT_KEYS = frozenset({"draft", "publish", "published", "status"})


@dataclass(frozen=True)
class Node:
    """A YAML value as it will be written. `text` is a scalar's source (or an alias's anchor);
    `closed` is False when that source leaves a quote or bracket open, so that it could swallow
    the lines after it."""

    kind: str = "scalar"  # scalar | block | seq | map | alias | raw (text written as it is)
    text: str = ""
    items: tuple[Node, ...] = ()
    pairs: tuple[tuple[str, Node], ...] = ()
    flow: bool = False
    anchor: str | None = None
    closed: bool = True
    #: A plain scalar that may stand inside [ ] or { } as it is.
    flow_safe: bool = True


def scalar(text: str, *, closed: bool = True, flow_safe: bool = True) -> Node:
    return Node(text=text, closed=closed, flow_safe=flow_safe)


def render_value(node: Node, indent: int = 0) -> str:
    """The text after `key:` for `node`, nested blocks indented below a key at `indent`."""
    anchor = f" &{node.anchor}" if node.anchor else ""
    pad = " " * (indent + 2)
    if node.kind == "alias":
        return f" *{node.text}"
    if node.kind == "raw":
        return node.text
    if node.kind == "scalar":
        return f"{anchor} {node.text}" if node.text else anchor
    if node.kind == "block":
        head, _, body = node.text.partition("\n")
        return f"{anchor} {head}" + "".join(f"\n{pad}{line}" if line else "\n" for line in body.split("\n"))
    if node.flow or not (node.items or node.pairs):
        return f"{anchor} {render_flow(node)}"
    if node.kind == "seq":
        return anchor + "".join(f"\n{pad}-{render_value(item, indent + 2)}" for item in node.items)
    return anchor + "".join(f"\n{pad}{key}:{render_value(value, indent + 2)}" for key, value in node.pairs)


def render_flow(node: Node) -> str:
    anchor = f"&{node.anchor} " if node.anchor else ""
    if node.kind == "alias":
        return f"*{node.text}"
    if node.kind == "raw":
        return '"deep"'  # only ever the whole value of an entry
    if node.kind == "block":
        return anchor + json.dumps(node.text.partition("\n")[2])
    if node.kind == "scalar":
        # A scalar that cannot stand in a flow collection as written is quoted, so that a broken
        # value stays inside its own brackets.
        text = node.text if node.flow_safe and node.closed else json.dumps(node.text)
        return anchor + (text or '""')
    if node.kind == "seq":
        return anchor + "[" + ", ".join(render_flow(item) for item in node.items) + "]"
    return anchor + "{" + ", ".join(f"{key}: {render_flow(value)}" for key, value in node.pairs) + "}"


def is_closed(node: Node) -> bool:
    return node.closed and all(is_closed(item) for item in node.items) and all(is_closed(v) for _, v in node.pairs)


@cache
def words(min_size: int = 1, max_size: int = 10) -> st.SearchStrategy[str]:
    """Plain ASCII words, never a draft convention or a YAML keyword."""
    keywords = {"draft", "yes", "no", "on", "off", "true", "false", "null", "y", "n"}
    return st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=min_size, max_size=max_size).filter(
        lambda word: word.lower() not in keywords and not word.isdigit())


@cache
def odd_text(max_size: int = 12) -> st.SearchStrategy[str]:
    """Short text with the characters that trip text handling up; no surrogates (files are UTF-8)."""
    # No NUL: a file with one is not text, and kb rightly holds it back (the hostile corpus has that case).
    pieces = st.one_of(st.sampled_from(ODD_CHARACTERS), st.characters(exclude_categories=("Cs",), exclude_characters="\0"))
    return st.lists(pieces, min_size=1, max_size=max_size).map("".join).filter(lambda text: text.strip().casefold() != "draft")


@cache
def huge(word: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Over 10,000 characters, made by repetition: cheap to draw and to shrink."""
    return st.builds(lambda piece, times: (piece * times)[: 10_000 + times], word, st.integers(10_000, 12_000))


def quoted(text: str) -> str:
    """A YAML double-quoted scalar for any text: what is not printable is escaped, with \\U and
    eight digits above U+FFFF (\\u and five digits would read as a surrogate and a digit)."""
    def escape(ch: str) -> str:
        if ch.isprintable() or ch in "\u202e\u202d\u200b\u200d":
            return ch
        return f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"
    return '"' + "".join(escape(ch) for ch in text.replace("\\", "\\\\").replace('"', '\\"')) + '"'


#: Scalars in every YAML 1.1 spelling PyYAML resolves, and in the forms that make it raise, by
#: kind. Kept in short lists: Hypothesis draws the first and last items of a list far more often
#: than those in the middle of a long one.
SCALAR_SOURCES = (
    ("123456789012345678901234567890", "0", "-1", "42", "007", "0x1F", "0o17", "0b101", "1_000", "+12", "1:20", "190:20:30"),
    (".nan", ".NaN", ".inf", "-.Inf", "3.14", "1e3", "1.0e+400", "-0.0", "685_230.15", "6.8523015e+5"),
    ("yes", "no", "on", "off", "true", "false", "True", "FALSE", "Yes", "NO", "y", "n", "null", "~", "Null", ""),
    ("2024-02-30", "2024-01-31", "2023-00-10", "2023-02-29", "2024-02-29", "2024-1-5", "9999-12-31", "0000-01-01", "2023-13-01"),
    ("2024-02-30T10:00:00Z", "2024-01-01T10:00:00Z", "2024-01-01 25:61:61", "2001-12-14t21:59:43.10-05:00",
     "2024-01-01T00:00:00.1234567890123Z", "2024-12-31T23:59:60Z", "2024-01-01T00:00:00+99:00"),
    ("!!binary aGVsbG8=", "!!set {a, b}", "!!omap [a: 1, b: 2]", "!!pairs [a: 1, a: 2]", "!!str 123", "!!int '12'",
     "!!float '1.5'", "!!bool yes", "!!null ''", "!!map {}", "!!seq []", "!<tag:yaml.org,2002:str> x", "!!binary '!!!'"),
    ("!!float abc", "!!int x", "!!timestamp yesterday", "!!bool maybe", "!!merge x", "!!value x", "!custom value",
     "!!timestamp 2024-02-30"),
    ("!!python/object/apply:os.system ['id']", "!!python/object:os.system {}", "!!python/name:os.system", "!!python/tuple [1, 2]"),
    ('"\\ud800"', '"\\0"', '"\\x85"', '"\\u202e evil"', '"\\U0001F600"', '"\\q"', "'it''s'", '"a: b # c"', '"\\x0b"'),
    ("../../x.html", "main.html", "/etc/passwd", "partials/x.html", "404.html", "..", "C:\\x.html", "x.html\0", "~/x", "../../../"),
    ("a # comment", "'#hash'", "'@at'", '"`tick`"', '">"', '"- x"', "'? q'", "'!bang'", "'%percent'", "'*star'", "'&amp'"),
)
#: Sources that leave a quote or bracket open, or are not YAML at all.
BROKEN_SOURCES = ('"unterminated', "'unterminated", "[unclosed", "{a: 1", "@reserved", "`tick", "a: b: c", "*undefined",
                  "%percent", "- inline", "? q", "| x", "&anchor", "!", "!!", "[a, [b, [c]]")


@cache
def scalars() -> st.SearchStrategy[Node]:
    flow_unsafe = {"a # comment", "1:20", "190:20:30", "2024-01-01 25:61:61"}
    sources = st.one_of(*(st.sampled_from(kind) for kind in SCALAR_SOURCES)).map(
        lambda text: scalar(text, flow_safe=text not in flow_unsafe))
    return st.one_of(
        # Listed several times: the odd spellings are what this strategy is for.
        sources, sources, sources,
        words().map(scalar),
        odd_text().map(lambda text: scalar(quoted(text))),
        odd_text().map(lambda text: scalar(text, closed=False, flow_safe=False)),
        st.sampled_from(BROKEN_SOURCES).map(lambda text: scalar(text, closed=False, flow_safe=False)),
        huge(words(1, 3)).map(scalar),
        huge(odd_text(3)).map(lambda text: scalar(quoted(text))),
        st.builds(lambda head, lines: Node(kind="block", text=head + "\n" + "\n".join(lines)),
                  st.sampled_from(("|", "|-", ">", ">-", "|+")), st.lists(words(0, 8), min_size=1, max_size=4)),
    )


@cache
def keys() -> st.SearchStrategy[str]:
    """Key source text, never one that says whether a page is published."""
    return st.one_of(
        words(),
        st.sampled_from(("1", "true", "null", "~", "'title'", '"a:b"', "my key", "ключ", "🔑", "-x", "x-y", "a.b", "__proto__")),
        odd_text(8).map(quoted),
    ).filter(lambda key: key.strip("'\"").strip().casefold() not in DRAFT_KEYS)


@cache
def values(max_leaves: int = 12) -> st.SearchStrategy[Node]:
    """Any value: scalars, nested flow and block collections, sometimes anchored."""
    return st.recursive(
        scalars(),
        lambda children: st.one_of(
            st.builds(lambda items, flow: Node(kind="seq", items=tuple(items), flow=flow),
                      st.lists(children, max_size=4), st.booleans()),
            st.builds(lambda pairs, flow: Node(kind="map", pairs=tuple(dict(pairs).items()), flow=flow),
                      st.lists(st.tuples(keys(), children), max_size=4), st.booleans()),
        ),
        max_leaves=max_leaves,
    )


@cache
def deep_value() -> st.SearchStrategy[Node]:
    """A list nested deeper than anyone writes by hand, as text: a tree of Nodes this deep would
    take more stack to write out than Python has."""
    def nest(depth: int, flow: bool) -> Node:
        if flow:
            return Node(kind="raw", text=" " + "[" * depth + "x" + "]" * depth)
        return Node(kind="raw", text="".join("\n" + "  " * level + "-" for level in range(1, depth + 1)) + " x")
    return st.builds(nest, st.integers(20, 400), st.booleans())


def billion_laughs(levels: int, width: int, prefix: str = "lol") -> str:
    """Entries whose aliases expand to width**levels strings: a few hundred bytes of YAML."""
    lines = [f"{prefix}0: &{prefix}0 [" + ", ".join(['"lol"'] * width) + "]"]
    for level in range(1, levels):
        lines.append(f"{prefix}{level}: &{prefix}{level} [" + ", ".join([f"*{prefix}{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"
