"""Front matter for the fuzzed wikis: entries that kb, the site engine and other tools read, the
draft conventions of every dialect, and the ways a header ends up unreadable or misplaced.

Every header is drawn as a list of entries (whole YAML lines). What a page's header says about
publishing is decided here, by construction, and never by asking kb: see fuzz_content.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from fuzz_yaml import Node, billion_laughs, deep_value, is_closed, keys, odd_text, quoted, render_value, scalar, values, words
from hypothesis import strategies as st


@dataclass(frozen=True)
class Entry:
    """Whole lines of YAML. `closed` is False when they leave a quote or bracket open."""

    text: str
    closed: bool = True


def entry(key: str, node: Node) -> Entry:
    return Entry(f"{key}:{render_value(node)}\n", is_closed(node))


@cache
def text_value() -> st.SearchStrategy[Node]:
    return st.one_of(words().map(scalar), st.lists(words(), min_size=1, max_size=4).map(lambda w: scalar(" ".join(w))),
                     odd_text(30).map(lambda text: scalar(quoted(text))))


def listing(items: st.SearchStrategy[Node], min_size: int = 0) -> st.SearchStrategy[Node]:
    return st.builds(lambda found, flow: Node(kind="seq", items=tuple(found), flow=flow),
                     st.lists(items, min_size=min_size, max_size=4), st.booleans())


@cache
def tag_names() -> st.SearchStrategy[str]:
    """Tags an author might write, including ones a file system or a URL cannot take as they are."""
    return st.one_of(
        words(),
        odd_text(12),
        st.sampled_from(("...", "!!!", "/", ".", "..", "#", "-", "_", "?", "%2F", "&amp;", "C++", "c#", "  Ops  ", "OPS",
                         "ops", "../../etc/passwd", "<b>x</b>", "café", "cafe\u0301", "🚀", "\u202eops", "a\u200bb", "a/b", "42")),
        st.builds(lambda piece, times: piece * times, st.sampled_from(("a", "é", "🚀", "ab-", "日")), st.integers(86, 400)),
    )


@cache
def valid_fields(kind: str, people: tuple[str, ...], topics: tuple[str, ...]) -> dict[str, st.SearchStrategy[Node]]:
    """Values that fit kb's schema (or the engine's) for each key of this kind of page."""
    person = st.sampled_from(people or ("nobody",)).map(lambda pid: scalar(quoted(pid)))
    dates = st.dates().map(lambda day: scalar(day.isoformat()))
    common = {
        "template": st.just(scalar("main.html")),
        "hide": listing(st.sampled_from(("navigation", "toc", "footer", "path", "tags", "feedback")).map(scalar), 1),
        "icon": st.sampled_from(("material/book-open", "fontawesome/solid/user", "octicons/alert-24")).map(scalar),
        "subtitle": text_value(),
        "description": text_value(),
        "search": st.sampled_from(("{boost: 2}", "{exclude: false}")).map(scalar),
        "comments": st.sampled_from(("true", "false")).map(scalar),
    }
    if kind == "person":
        return common | {
            "name": text_value(), "role": text_value(), "team": text_value(), "location": text_value(),
            "timezone": st.sampled_from(("Europe/Berlin", "UTC", "Asia/Kolkata")).map(scalar),
            "emails": listing(words().map(lambda w: scalar(f"{w}@example.com"))),
            "names": listing(text_value()),
            "contact": st.sampled_from(("{slack: '@ann'}", "'#help'", "{email: ann@example.com, phone: '+1 555'}")).map(scalar),
        }
    if kind == "topic":
        return common | {
            "title": text_value(), "aliases": listing(text_value()),
            "parent": st.sampled_from(topics or ("ops",)).map(scalar), "moderators": listing(person),
        }
    return common | {
        "title": text_value(), "summary": text_value(), "tags": listing(tag_names().map(lambda t: scalar(quoted(t)))),
        "aliases": listing(text_value()), "owners": listing(person), "reviewed_by": person, "reviewed_on": dates,
        "review_every": st.sampled_from(("90 days", "6 months", "1 year", "12 weeks", "30")).map(scalar),
        "type": st.sampled_from(("article", "how-to", "question", "community")).map(scalar),
        "answered": st.sampled_from(("true", "false")).map(scalar), "answered_by": listing(person), "members": listing(person),
        # Other tools' keys, with the values those tools expect.
        "date": dates, "lastmod": dates, "weight": st.integers(-5, 50).map(lambda n: scalar(str(n))),
        "slug": words().map(scalar), "permalink": words().map(lambda w: scalar(f"/{w}/")),
        "cssclasses": listing(words().map(scalar)), "categories": listing(words().map(scalar)),
    }


#: A page's own status when it is published: kb's, and Material's (which kb must leave alone).
PUBLISHED_STATUS = ("published", "verified", "best-practice", "Published", "new", "deprecated")
#: Conventions that keep a page published: a clear false, or a clear true for "publish".
NOT_DRAFT = ("draft: false", "draft: no", "draft: off", "draft: False", "publish: true", "publish: yes", "published: true")
#: Conventions that say "draft" in the dialects kb must honour (any case of the key, any spelling
#: of true, any draft value that is not a clear false).
DRAFT = (
    "status: draft", "status: DRAFT", "status: ' Draft '", 'status: "draft"', "status: !!str draft", "status: draft # wip",
    "status: >-\n  draft", '"status": draft', "? status\n: draft", "status: [draft]",
    "draft: true", "draft: yes", "draft: on", "draft: True", "draft: YES", "draft: 1", 'draft: "true"', "draft: wip",
    "draft: [x]", "Draft: true", "DRAFT: yes",
    "publish: false", "publish: no", "publish: off", "Publish: false",
    "published: false", "published: no", "published: OFF", "Published: false",
)
#: Values no tool agrees on: the fuzzer asserts nothing about these pages.
AMBIGUOUS = ("draft: null", "draft:", "draft: 0", 'draft: ""', 'draft: "false"', 'publish: "false"', "published: 0",
             "permalink: false", "status: drafts", "status: \"draft\u200b\"")
#: The same conventions in TOML (Hugo), JSON (Hugo) and MultiMarkdown (MkDocs' own meta) headers.
DRAFT_TOML = ("draft = true", 'status = "draft"', "publish = false", "published = false")
DRAFT_JSON = ('"draft": true', '"status": "draft"', '"publish": false', '"published": false')
DRAFT_MULTIMARKDOWN = ("Draft: true", "Status: draft", "Publish: false", "Published: false")
#: Lines that make a header unreadable to a safe YAML loader.
UNREADABLE = ("title: [unclosed", 'summary: "unterminated', "\tkey: x", "a: b: c", "x: *undefined",
              "x: !!python/object/apply:os.system ['id']", "x: !!python/name:os.system", "%YAML 1.1", "...", "x: !custom y")


@cache
def exotic_entries(kind: str, people: tuple[str, ...], topics: tuple[str, ...]) -> st.SearchStrategy[Entry]:
    """Any key with any value, and the constructions that stress a loader."""
    known = sorted(valid_fields(kind, people, topics))
    any_value = st.builds(entry, st.one_of(st.sampled_from(known), keys()), values())
    laughs = st.builds(lambda levels, width, key: Entry(billion_laughs(levels, width) + (f"{key}: *lol{levels - 1}\n" if key else "")),
                       st.integers(2, 9), st.integers(2, 9), st.one_of(st.just(""), st.sampled_from(known)))
    return st.one_of(
        # Plain keys and values most of the time, first and last (where Hypothesis picks most
        # often): each of the others is one construction.
        any_value, any_value, any_value,
        st.builds(entry, st.sampled_from(known), deep_value()),
        laughs,
        st.sampled_from(("# a comment\n", "\n", "? [a, b]\n: complex key\n", "<<: {merged: 1}\n", "!!str key: v\n",
                         "'': empty key\n", "key with trailing space : v\n")).map(Entry),
        any_value, any_value, any_value,
    )


@cache
def anchored(kind: str, people: tuple[str, ...], topics: tuple[str, ...]) -> st.SearchStrategy[list[Entry]]:
    """A value defined once with an anchor and used again through an alias."""
    known = sorted(valid_fields(kind, people, topics))

    def build(first: str, second: str, node: Node) -> list[Entry]:
        named = Node(kind=node.kind, text=node.text, items=node.items, pairs=node.pairs, flow=node.flow, anchor="shared",
                     closed=node.closed, flow_safe=node.flow_safe)
        return [entry(first, named), Entry(f"{second}: *shared\n")]

    # Two different keys: the same key twice is a different failure (a duplicate key).
    return st.builds(build, st.sampled_from(known), st.sampled_from(known), values()).filter(
        lambda pair: pair[0].text.split(":")[0] != pair[1].text.split(":")[0])
