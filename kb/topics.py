"""Topics: tags normalised to one canonical topic each, through the registry of topic pages.

A tag is matched, after Unicode NFC, case folding and whitespace collapsing, against every
registered topic's slug, title and aliases; a tag that matches nothing is a topic of its own.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from kb.diagnostics import Diagnostic, Severity
from kb.model import Article, Topic, TopicDescription

_SYMBOL_WORDS = {"+": "plus", "#": "sharp", "&": "and", "@": "at"}
_NOT_SLUG = re.compile(r"[^\w]+", re.UNICODE)


def normalize_tag(tag: str) -> str:
    """The key two spellings of one tag share: NFC, case-folded, single spaces, and hyphens and
    underscores read as spaces (`Remote_Work`, `remote-work` and ` remote  work` agree)."""
    text = unicodedata.normalize("NFC", tag).casefold().replace("-", " ").replace("_", " ")
    return " ".join(text.split())


def slugify(name: str) -> str:
    """A URL-safe, non-empty slug that keeps letters of every script.

    Symbols that tell topics apart are spelled out (`c++` → `c-plus-plus`, `c#` → `c-sharp`),
    anything else that is not a letter or digit becomes a hyphen, and a name with nothing left
    (only emoji or punctuation) gets a stable slug from its hash."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = "".join(f" {_SYMBOL_WORDS[ch]} " if ch in _SYMBOL_WORDS else ch for ch in text)
    slug = _NOT_SLUG.sub("-", text).replace("_", "-").strip("-")
    slug = re.sub(r"-{2,}", "-", slug)
    if not slug:
        slug = "topic-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    return slug


def build_topics(
    articles: Iterable[Article], descriptions: Iterable[TopicDescription]
) -> tuple[dict[str, Topic], dict[str, tuple[str, ...]], list[Diagnostic]]:
    """Returns the topics by slug, the canonical topic slugs of each article (by path), and
    problems with the registry (unknown parents, aliases claimed twice)."""
    diagnostics: list[Diagnostic] = []
    registry: dict[str, TopicDescription] = {}
    lookup: dict[str, str] = {}
    for description in sorted(descriptions, key=lambda d: d.path):
        registry[description.slug] = description
        for name in (description.slug, description.title, *description.aliases):
            key = normalize_tag(name)
            owner = lookup.setdefault(key, description.slug)
            if owner != description.slug:
                diagnostics.append(
                    Diagnostic(description.display, 1, 1, Severity.WARNING, "topic.alias-conflict",
                               f"'{name}' already names the topic '{owner}'; it keeps that meaning")
                )
    parents: dict[str, str] = {}
    for slug, description in registry.items():
        if not description.parent:
            continue
        parent = lookup.get(normalize_tag(description.parent))
        if parent is None or parent == slug:
            diagnostics.append(
                Diagnostic(description.display, description.meta_line("parent"), 1, Severity.WARNING,
                           "topic.unknown-parent",
                           f"parent topic '{description.parent}' has no page in the topics folder")
            )
        else:
            parents[slug] = parent

    names: dict[str, str] = {slug: d.title for slug, d in registry.items()}
    members: dict[str, set[str]] = defaultdict(set)
    article_topics: dict[str, tuple[str, ...]] = {}
    for article in articles:
        slugs: list[str] = []
        for tag in article.tags:
            key = normalize_tag(tag)
            if not key:
                continue
            slug = lookup.get(key)
            if slug is None:
                slug = _free_slug(slugify(tag), key, names)
                lookup[key] = slug
                names.setdefault(slug, " ".join(tag.split()))
            if slug not in slugs:
                slugs.append(slug)
                members[slug].add(article.path)
        article_topics[article.path] = tuple(slugs)

    topics = {
        slug: Topic(slug=slug, name=names[slug], description=registry.get(slug), parent=parents.get(slug),
                    articles=tuple(sorted(members.get(slug, ()))))
        for slug in sorted(names)
    }
    return topics, article_topics, diagnostics


def _free_slug(slug: str, key: str, names: dict[str, str]) -> str:
    """Two different tags that slugify alike must not share a page: the later one gets a
    suffix from its normalised name, so the choice is stable across builds. `index` is the
    topic index's own page."""
    if slug not in names and slug != "index":
        return slug
    return f"{slug}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:6]}"
