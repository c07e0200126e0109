"""Hypothesis strategies for small wikis, with an oracle for what must stay unpublished.

A wiki is a few articles, sometimes person profiles (`people/<id>.md`), topic descriptions
(`topics/<slug>.md`) and attachments, and an mkdocs.yml. Each page gets a role by construction:

- draft: its header says so in one of the conventions kb must honour (kb's `status: draft`,
  `draft:` with anything but a clear false, `publish: false`, `published: false`), in YAML at the
  top, in a misplaced or foreign header (after a blank line or an HTML comment, TOML `+++`, JSON,
  MultiMarkdown), or its header cannot be read, or it holds a credential, or it is not UTF-8.
  Its marker (SECRETDRAFT<n>Z) is in its body, title and tags and must appear in no output.
- clean: a header of valid values only, at the top. Its marker must appear in the site.
- published: valid and exotic values mixed. Its marker must appear unless kb says it held it back.
- ambiguous: a value no tool agrees on. Nothing is asserted.

Markers end in a letter after digits, so no marker is a prefix of another and no search stemmer
changes them; published pages never mention another page's marker.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from fuzz_frontmatter import (
    AMBIGUOUS,
    DRAFT,
    DRAFT_JSON,
    DRAFT_MULTIMARKDOWN,
    DRAFT_TOML,
    NOT_DRAFT,
    PUBLISHED_STATUS,
    UNREADABLE,
    Entry,
    anchored,
    entry,
    exotic_entries,
    tag_names,
    valid_fields,
)
from fuzz_markdown import Targets, bodies
from fuzz_yaml import Node, odd_text, quoted, scalar, words
from hypothesis import strategies as st

ROLES = ("published", "clean", "draft", "ambiguous")
#: Where a page's marker goes: pages are drawn with this and get their marker when the wiki is
#: put together, so that the strategy for a page can be built once and reused for every page.
MARK = "@@MARKER@@"
SECRETS = ("Use key AKIAIOSFODNN7EXAMPLE to log in.", "-----BEGIN RSA PRIVATE KEY-----")
#: A tiny valid PNG, for attachments and embeds.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@dataclass(frozen=True)
class Page:
    """One file of a wiki, as the oracle sees it."""

    path: str
    role: str
    marker: str = ""
    #: How the page came to have its role: the convention, header placement or form.
    how: str = ""


@dataclass(frozen=True)
class Wiki:
    files: dict[str, bytes]
    pages: tuple[Page, ...] = field(default_factory=tuple)

    def with_role(self, role: str) -> list[Page]:
        return [page for page in self.pages if page.role == role]

    def __repr__(self) -> str:
        # Hypothesis prints the failing wiki: the start of each file says more than 200 kB of bytes.
        files = "".join(f"\n  {path} ({len(data)} bytes): {data[:200].decode('utf-8', 'replace')!r}"
                        for path, data in self.files.items())
        return f"Wiki({files}\n  pages={list(self.pages)!r})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))  # Hypothesis prints dataclasses field by field otherwise


def config_text(parallel: bool) -> str:
    return ("site_name: Fuzzed wiki\nsite_url: https://wiki.example.com/\ndocs_dir: docs\ntheme: material\n"
            f"plugins:\n  - kb:\n      parallel: {'true' if parallel else 'false'}\n")


@dataclass(frozen=True)
class Context:
    """What every page of one wiki may refer to."""

    kind: str = "article"
    people: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    targets: Targets = Targets()


def unique_entries(candidates: list[Entry]) -> list[Entry]:
    """At most one entry per key, so that a clean header has no duplicate key."""
    seen: set[str] = set()
    kept = []
    for candidate in candidates:
        key = candidate.text.split(":", 1)[0]
        if key not in seen:
            seen.add(key)
            kept.append(candidate)
    return kept


@cache
@st.composite
def valid_header(draw: st.DrawFn, context: Context) -> list[Entry]:
    fields = valid_fields(context.kind, context.people, context.topics)
    chosen = draw(st.lists(st.sampled_from(sorted(fields)), max_size=6, unique=True))
    entries = [entry(key, draw(fields[key])) for key in chosen if key not in ("title", "name", "tags")]
    own = {"article": "title", "topic": "title", "person": "name"}[context.kind]
    # The title carries the marker, and sometimes the characters feeds and search must escape.
    entries.insert(0, entry(own, scalar(quoted(f"{MARK} {draw(st.one_of(words(), odd_text()))}"))))
    if context.kind == "article":
        tags = draw(st.lists(tag_names(), max_size=3))
        entries.insert(1, entry("tags", Node(kind="seq", items=tuple(scalar(quoted(t)) for t in [MARK, *tags]), flow=True)))
    if draw(st.booleans()):
        status = draw(st.sampled_from(PUBLISHED_STATUS if context.kind == "article" else ["published", "new"]))
        entries.append(Entry(f"status: {status}\n"))
    return unique_entries(entries)


@cache
@st.composite
def mixed_header(draw: st.DrawFn, context: Context) -> list[Entry]:
    """Valid entries with exotic ones after them, in any order that keeps an open quote or
    bracket from swallowing the lines kb must see."""
    entries = draw(valid_header(context))
    for _ in range(draw(st.integers(1, 4))):
        # Rare choices are on the high values throughout: Hypothesis shrinks towards 0, and a
        # minimal example should keep only what its failure needs.
        if draw(st.integers(0, 4)) == 4:
            entries.extend(draw(anchored(context.kind, context.people, context.topics)))
        else:
            entries.append(draw(exotic_entries(context.kind, context.people, context.topics)))
    closed = [e for e in entries if e.closed]
    return closed + [e for e in entries if not e.closed]


def insert_before_open(draw: st.DrawFn, entries: list[Entry], line: str) -> list[Entry]:
    """`line` among the entries, but before any that leaves a quote or bracket open."""
    first_open = next((i for i, e in enumerate(entries) if not e.closed), len(entries))
    at = draw(st.integers(0, first_open))
    return entries[:at] + [Entry(line + "\n")] + entries[at:]


def yaml_text(entries: list[Entry]) -> str:
    return "".join(e.text for e in entries)


@cache
@st.composite
def draft_page_text(draw: st.DrawFn, context: Context) -> tuple[str, str]:
    """(text, how) of a page that is a draft by construction."""
    form = draw(st.sampled_from(("yaml", "misplaced", "toml", "json", "multimarkdown", "unreadable", "not-a-mapping",
                                 "secret")))
    own = "name" if context.kind == "person" else "title"
    marker, body = MARK, draw(page_body(context))
    if form in ("toml", "json", "multimarkdown"):
        line = draw(st.sampled_from({"toml": DRAFT_TOML, "json": DRAFT_JSON, "multimarkdown": DRAFT_MULTIMARKDOWN}[form]))
        if form == "toml":
            return f'+++\n{own} = "{marker}"\n{line}\ntags = ["{marker}"]\n+++\n{body}', f"toml {line}"
        if form == "json":
            return f'{{\n  "{own}": "{marker}",\n  {line},\n  "tags": ["{marker}"]\n}}\n{body}', f"json {line}"
        return f"{own.capitalize()}: {marker}\n{line}\nTags: {marker}\n\n{body}", f"multimarkdown {line}"
    if form == "not-a-mapping":
        header = draw(st.sampled_from((f"- {marker}\n- draft\n", f"{marker} draft\n", f"[{marker}]\n")))
        return f"---\n{header}---\n{body}", "header is not a mapping"
    entries = draw(mixed_header(context))
    if form == "secret":
        return f"---\n{yaml_text(entries)}---\n{draw(st.sampled_from(SECRETS))}\n\n{body}", "a credential in the page"
    if form == "unreadable":
        line = draw(st.sampled_from((*UNREADABLE, "duplicate key", "unclosed")))
        if line == "unclosed":
            return f"---\n{yaml_text(entries)}{body}", "unclosed header"
        if line == "duplicate key":
            return f"---\n{yaml_text(entries + [entries[0]])}---\n{body}", "duplicate key"
        if line == "...":
            # `...` closes a header: with nothing after it, the header above is whole and readable
            # (MkDocs reads it so too), and the `---` below is the body's rule. Keys must follow it.
            entries = entries or [Entry(f"{own}: {marker}\n")]
            at = draw(st.integers(0, len(entries) - 1))
            return (f"---\n{yaml_text(entries[:at])}...\n{yaml_text(entries[at:])}---\n{body}",
                    f"unreadable: {line}")
        return f"---\n{yaml_text(insert_before_open(draw, entries, line))}---\n{body}", f"unreadable: {line}"
    line = draw(st.sampled_from(DRAFT))
    header = yaml_text(insert_before_open(draw, entries, line))
    if form == "yaml":
        return f"---\n{header}---\n{body}", line
    place = draw(st.sampled_from(("blank line", "html comment", "'...' closes it")))
    text = {"blank line": f"\n---\n{header}---\n{body}", "html comment": f"<!-- notes -->\n---\n{header}---\n{body}",
            "'...' closes it": f"---\n{header}...\n{body}"}[place]
    return text, f"{line} ({place})"


@cache
def page_body(context: Context) -> st.SearchStrategy[str]:
    """The marker in a paragraph of its own first, where nothing before it can swallow it."""
    return bodies(context.targets).map(lambda body: f"{MARK}\n\n{body}")


@cache
@st.composite
def page(draw: st.DrawFn, context: Context) -> tuple[str, str, bytes]:
    """(role, how, file content) of one page, with MARK where its marker goes."""
    role = draw(st.sampled_from(ROLES))
    how = ""
    if role == "draft":
        text, how = draw(draft_page_text(context))
    elif role == "clean":
        text = f"---\n{yaml_text(draw(valid_header(context)))}---\n{draw(page_body(context))}"
    elif role == "ambiguous":
        how = draw(st.sampled_from((*AMBIGUOUS, "second header block", "blank line before the header")))
        entries, body = draw(valid_header(context)), draw(page_body(context))
        text = {"second header block": f"---\ntitle: x\n---\n---\n{yaml_text(entries)}---\n{body}",
                "blank line before the header": f"\n---\n{yaml_text(entries)}---\n{body}"}.get(
            how, f"---\n{yaml_text(insert_before_open(draw, entries, how))}---\n{body}")
    else:
        entries = draw(mixed_header(context))
        if draw(st.booleans()):
            entries = insert_before_open(draw, entries, draw(st.sampled_from(NOT_DRAFT)))
        text = f"---\n{yaml_text(entries)}---\n{draw(page_body(context))}"
    text = text.replace("\n", draw(st.sampled_from(("\n", "\r\n", "\n", "\r"))))
    data = text.encode("utf-8")
    if draw(st.integers(0, 5)) == 5:
        data = b"\xef\xbb\xbf" + data
    if role == "draft" and draw(st.integers(0, 9)) == 9:
        # Not UTF-8: a page saved in Latin-1 is unreadable, and so a draft, whatever it says.
        data, how = ("caf\u00e9 " + text).encode("latin-1", errors="replace"), "not UTF-8"
    return role, how, data


STEMS = ("p{n}", "Page {n}", "ünïcødé-{n}", "UPPER{n}", "dots.{n}.v2", "{n}", "x" * 120 + "{n}")
FOLDERS = ("", "", "a/", "a/b/", "Ω/", "deep/" * 8)


@cache
@st.composite
def wikis(draw: st.DrawFn, max_pages: int = 4, parallel: bool | None = False) -> Wiki:
    """A wiki of up to `max_pages` articles plus profiles, topics and attachments. `parallel`
    None draws kb's `parallel` option; the fast tests keep it off."""
    count = draw(st.integers(0, max_pages))
    paths = [f"docs/{draw(st.sampled_from(FOLDERS))}{draw(st.sampled_from(STEMS)).format(n=n)}"
             f"{draw(st.sampled_from(('.md', '.md', '.markdown', '.MD')))}" for n in range(count)]
    if count and draw(st.integers(0, 4)) == 4:
        paths[0] = "docs/index.md"
    # Ids unique in any case: `ann.md` and `Ann.md` collide, and one is withheld by design
    # (tests/test_collect.py covers collisions).
    people = tuple(draw(st.lists(st.sampled_from(("ann", "bob", "c-3po", "zoë", "x.y", "Ann")), max_size=2,
                                 unique_by=str.casefold)))
    topics = tuple(draw(st.lists(st.sampled_from(("ops", "kubernetes", "café", "c-plus-plus")), max_size=2, unique=True)))
    attachments = draw(st.lists(st.sampled_from(("docs/files/pic.png", "docs/files/notes.txt", "docs/files/settings.env")),
                                max_size=2, unique=True))
    stems = tuple(posixpath.splitext(posixpath.basename(path))[0] for path in paths)
    names = stems + people + topics + ("Nowhere", "files/pic.png", "Topics", "People")
    files: dict[str, bytes] = {}
    pages: list[Page] = []
    for index, path in enumerate(paths + [f"docs/people/{p}.md" for p in people] + [f"docs/topics/{t}.md" for t in topics]):
        kind = "person" if "/people/" in path else "topic" if "/topics/" in path else "article"
        here = posixpath.dirname(path)
        targets = Targets(tuple(posixpath.relpath(other, here) for other in paths),
                          names, tuple(posixpath.relpath(a, here) for a in attachments) + ("pic.png", "files/pic.png"))
        role, how, data = draw(page(Context(kind, people, topics, targets)))
        if path in files:
            continue
        marker = f"SECRETDRAFT{index}Z" if role == "draft" else f"PUBLISHED{index}Z"
        files[path] = data.replace(MARK.encode(), marker.encode())
        pages.append(Page(path, role, marker, how))
    for number, path in enumerate(attachments, start=90):
        if path.endswith(".png"):
            files[path] = PNG
        elif path.endswith(".env"):
            marker = f"SECRETDRAFT{number}Z"
            files[path] = f"DB_PASSWORD=Xk9#mP2qL8vR4wZt\n# {marker}\n".encode()
            pages.append(Page(path, "draft", marker, "a credential in an attachment"))
        else:
            files[path] = b"Plain notes.\n"
    if parallel is None:
        # A quarter of the builds use kb's second process: it doubles the time of a small build.
        parallel = draw(st.integers(0, 3)) == 3
    files["mkdocs.yml"] = config_text(parallel).encode()
    return Wiki(files, tuple(pages))
