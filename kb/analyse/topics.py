"""Topics: tags normalised to one canonical topic each, through the registry of topic pages.

A tag is matched, after Unicode NFC, case folding and whitespace collapsing, against every
registered topic's slug, title and aliases; a tag that matches nothing is a topic of its own.

A wiki with few tags (an Obsidian vault, a docs tree) gets topics from its folders instead
(`folder_topics`): a page's first two folders are read as tags it did not write, titled as
MkDocs titles a folder in the navigation, and a second-level folder is a subtopic of the first.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kb.diagnostics import Diagnostic, Severity
from kb.model import Article, Topic, TopicDescription

_SYMBOL_WORDS = {"+": "plus", "#": "sharp", "&": "and", "@": "at"}
_NOT_SLUG = re.compile(r"[^\w]+", re.UNICODE)
#: The longest slug, in UTF-8 bytes: far below any file system's or URL's limit.
SLUG_MAX_BYTES = 96


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
    elif len(slug.encode("utf-8")) > SLUG_MAX_BYTES:
        # A slug becomes a folder and file names (`topics/<slug>/`, `feeds/<slug>.xml`): file
        # systems refuse names over 255 bytes. The hash keeps two long names apart.
        cut = slug.encode("utf-8")[: SLUG_MAX_BYTES - 9].decode("utf-8", "ignore").rstrip("-")
        slug = f"{cut}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:8]}"
    return slug


#: How many folders down a page's folders become its topics: `guides/ops/deploy.md` is on
#: "Guides" and "Ops". Deeper folders are too narrow to be topics of their own.
FOLDER_DEPTH = 2
#: With `folder_topics: auto`, folders become topics when fewer than this share of the pages have tags.
FOLDER_TOPICS_BELOW = 0.1


def folder_title(folder: str) -> str:
    """A folder's name as MkDocs titles it in the navigation: `getting-started` → "Getting started"."""
    title = folder.replace("-", " ").replace("_", " ").strip()
    return title.capitalize() if title.lower() == title else title


def uses_folder_topics(setting: bool | None, articles: Iterable[Article]) -> bool:
    """Whether folders become topics: as the wiki says (`true`, `false`), or, for `auto` (None),
    when fewer than a tenth of its pages have tags."""
    if setting is not None:
        return setting
    articles = list(articles)
    tagged = sum(1 for article in articles if article.tags)
    return bool(articles) and tagged < FOLDER_TOPICS_BELOW * len(articles)


def folder_tags(paths: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The topics each page gets from its folders, top-level first, by content path."""
    found: dict[str, tuple[str, ...]] = {}
    for path in paths:
        folders = path.split("/")[:-1][:FOLDER_DEPTH]
        titles = tuple(title for title in map(folder_title, folders) if normalize_tag(title))
        if titles:
            found[path] = titles
    return found


@dataclass
class Taxonomy:
    topics: dict[str, Topic] = field(default_factory=dict)
    #: Canonical topic slugs of each published article, in the order its tags were written.
    article_topics: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Related topics by slug: the topics most often on the same pages, most shared first.
    related: dict[str, tuple[str, ...]] = field(default_factory=dict)


def build_topics(
    articles: Iterable[Article],
    descriptions: Iterable[TopicDescription],
    closed: bool = False,
    taken: frozenset[str] = frozenset(),
    topics_dir: str = "topics",
    folders: Mapping[str, tuple[str, ...]] | None = None,
) -> tuple[Taxonomy, list[Diagnostic]]:
    """Normalise every tag to one topic. `closed` makes a tag without a topic page an error;
    `taken` holds slugs a generated topic page must not use (folders of the topics folder);
    `folders` holds the topics pages get from their folders (folder_tags), which are never
    reported as a tag would be."""
    articles = list(articles)
    folders = folders or {}
    diagnostics: list[Diagnostic] = []
    registry, lookup = _registry(descriptions, diagnostics)
    parents = _parents(registry, lookup, diagnostics)
    names: dict[str, str] = {slug: d.title for slug, d in registry.items()}

    # Tags without a topic page become topics of their own. Slugs are handed out in the order
    # of the normalised names, so adding a page elsewhere never renames an existing topic.
    # A folder's title comes first: it names the topic that a tag of the same name joins.
    written: dict[str, str] = {}
    for article in articles:
        for title in folders.get(article.path, ()):
            written.setdefault(normalize_tag(title), title)
    for key in list(written):
        if key in lookup:
            del written[key]
    for article in articles:
        for tag in article.tags:
            key = normalize_tag(tag)
            if key and key not in lookup:
                written.setdefault(key, " ".join(tag.split()))
    used = {slug.casefold() for slug in names} | {slug.casefold() for slug in taken} | {"index"}
    for key in sorted(written):
        slug = slugify(written[key])
        if slug.casefold() in used:
            slug = f"{slug}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:6]}"
        used.add(slug.casefold())
        lookup[key] = slug
        names[slug] = written[key]

    members: dict[str, set[str]] = defaultdict(set)
    article_topics: dict[str, tuple[str, ...]] = {}
    for article in articles:
        slugs: list[str] = []
        for tag in (*article.tags, *folders.get(article.path, ())):
            slug = lookup.get(normalize_tag(tag))
            if slug and slug not in slugs:
                slugs.append(slug)
                members[slug].add(article.path)
        article_topics[article.path] = tuple(slugs)
    subfolders = _folder_parents(folders, lookup, registry)
    parents |= subfolders

    topics = {
        slug: Topic(slug=slug, name=names[slug], description=registry.get(slug), parent=parents.get(slug),
                    articles=tuple(sorted(members.get(slug, ()))))
        for slug in sorted(names)
    }
    diagnostics.extend(_tag_problems(articles, lookup, registry, topics, closed, topics_dir))
    return Taxonomy(topics, article_topics, _related(article_topics, subfolders)), diagnostics


def _folder_parents(folders: Mapping[str, tuple[str, ...]], lookup: dict[str, str],
                    registry: dict[str, TopicDescription]) -> dict[str, str]:
    """A second-level folder's topic is a subtopic of its top-level folder's, unless a topic
    page says otherwise, the topic is a top-level folder's too, or its folders have several
    parents (`guides/setup` and `tools/setup` are one topic, "Setup", under neither)."""
    tops = {lookup[normalize_tag(titles[0])] for titles in folders.values()}
    found: dict[str, set[str]] = defaultdict(set)
    for titles in folders.values():
        if len(titles) > 1:
            found[lookup[normalize_tag(titles[1])]].add(lookup[normalize_tag(titles[0])])
    return {
        child: next(iter(above)) for child, above in sorted(found.items())
        if len(above) == 1 and child not in tops and child not in registry and child not in above
    }


def _registry(
    descriptions: Iterable[TopicDescription], diagnostics: list[Diagnostic]
) -> tuple[dict[str, TopicDescription], dict[str, str]]:
    # Two topic pages whose names differ only in case or Unicode form never both get here:
    # collect publishes one of them (kb.read.collisions).
    registry: dict[str, TopicDescription] = {}
    lookup: dict[str, str] = {}
    for description in sorted(descriptions, key=lambda d: d.path):
        registry[description.slug] = description
        for name in (description.slug, description.title, *description.aliases):
            key = normalize_tag(name)
            owner = lookup.setdefault(key, description.slug)
            if owner != description.slug:
                diagnostics.append(Diagnostic(
                    description.display, description.meta_line("aliases"), 1, Severity.WARNING,
                    "topic.alias-conflict", f"'{name}' already names the topic '{owner}'; it keeps that meaning"))
    return registry, lookup


def _parents(registry: dict[str, TopicDescription], lookup: dict[str, str], diagnostics: list[Diagnostic]) -> dict[str, str]:
    parents: dict[str, str] = {}
    for slug, description in registry.items():
        if not description.parent:
            continue
        parent = lookup.get(normalize_tag(description.parent))
        if parent is None or parent == slug:
            diagnostics.append(Diagnostic(
                description.display, description.meta_line("parent"), 1, Severity.WARNING, "topic.unknown-parent",
                f"parent topic '{description.parent}' has no page in the topics folder"))
        else:
            parents[slug] = parent
    # A cycle (a → b → a) has no top: report it once, on the topic that closes it.
    for slug in sorted(parents):
        seen, current = {slug}, parents.get(slug)
        while current and current not in seen:
            seen.add(current)
            current = parents.get(current)
        if current == slug:
            description = registry[slug]
            diagnostics.append(Diagnostic(
                description.display, description.meta_line("parent"), 1, Severity.WARNING, "topic.parent-cycle",
                f"parent topic '{description.parent}' leads back to '{slug}'; the topics form a loop"))
            del parents[slug]
    return parents


def _tag_problems(
    articles: list[Article], lookup: dict[str, str], registry: dict[str, TopicDescription],
    topics: dict[str, Topic], closed: bool, topics_dir: str,
) -> list[Diagnostic]:
    """Unregistered tags in a closed vocabulary, and tags that look like a misspelt topic."""
    problems: list[Diagnostic] = []
    known = {normalize_tag(name): slug for slug, topic in topics.items() for name in (slug, topic.name)}
    by_initial: dict[str, list[str]] = defaultdict(list)
    for key in known:
        by_initial[key[:1]].append(key)
    suggestions: dict[str, str | None] = {}
    for article in articles:
        for tag in article.tags:
            key = normalize_tag(tag)
            slug = lookup.get(key)
            if not slug or slug in registry:
                continue
            if key not in suggestions:
                suggestions[key] = _lookalike(key, slug, known, by_initial, topics)
            hint = suggestions[key]
            line = _tag_line(article, tag)
            if closed:
                message = f"tag '{tag}' is not a registered topic; add {topics_dir}/{slug}.md or use a registered one"
                if hint:
                    message += f"; did you mean '{hint}'?"
                problems.append(Diagnostic(article.display, line, 1, Severity.ERROR, "topic.unregistered", message))
            elif hint:
                problems.append(Diagnostic(
                    article.display, line, 1, Severity.WARNING, "topic.near-duplicate",
                    f"tag '{tag}' looks like the topic '{hint}'; did you mean '{hint}'?"))
    return problems


def _tag_line(article: Article, tag: str) -> int:
    """The line of the key that gives the tag: `tags`, or the categories that count as tags."""
    for key in ("tags", "categories", "category"):
        value = article.meta.get(key)
        if tag in (value if isinstance(value, list) else [value]):
            return article.meta_line(key)
    return article.meta_line("tags")


def _lookalike(
    key: str, slug: str, known: dict[str, str], by_initial: dict[str, list[str]], topics: dict[str, Topic]
) -> str | None:
    """A registered or more widely used topic whose name is nearly this tag's (a typo, a plural)."""
    candidates = tuple(other for other in by_initial.get(key[:1], ()) if known[other] != slug)
    for match in _close_matches(key, candidates):
        other = topics[known[match]]
        if other.description is not None or len(other.articles) > len(topics[slug].articles):
            return other.name
    return None


@functools.lru_cache(maxsize=8192)
def _close_matches(key: str, candidates: tuple[str, ...]) -> tuple[str, ...]:
    """difflib's near matches, kept: a preview server derives the same tags again on every save."""
    return tuple(difflib.get_close_matches(key, candidates, n=3, cutoff=0.85))


def _related(article_topics: dict[str, tuple[str, ...]], parents: dict[str, str],
             limit: int = 5) -> dict[str, tuple[str, ...]]:
    """The topics most often on the same pages. A folder's topic and its subfolders' share
    their pages by definition (`parents`): the page shows them already, so they are not "related"."""
    shared: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for slugs in article_topics.values():
        for one in slugs:
            for other in slugs:
                if one != other and parents.get(one) != other and parents.get(other) != one:
                    shared[one][other] += 1
    return {
        slug: tuple(sorted(counts, key=lambda other: (-counts[other], other))[:limit])
        for slug, counts in sorted(shared.items())
    }
