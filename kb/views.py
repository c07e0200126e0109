"""Stage 6, render: what the theme shows on each page, prepared from the KnowledgeBase.

Views are plain values with text and site-relative URLs; the theme's templates only loop over
them and escape them. No view reads a file or looks at another view.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
from collections import Counter
from dataclasses import dataclass, field

from kb.history import Change
from kb.knowledge import KnowledgeBase
from kb.model import Article, PageType, Person, Topic
from kb.urls import page_url


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class ArticleItem:
    """One article in a listing."""

    title: str
    url: str
    summary: str
    status: str
    status_label: str
    type: str
    type_label: str
    #: The date of the last change (YYYY-MM-DD), or "" when history does not say.
    updated_on: str = ""


@dataclass(frozen=True)
class Authored:
    """When, and by whom: a person with a profile is a link, anyone else a name (url "")."""

    date: str
    who: Link


@dataclass(frozen=True)
class RecentChange:
    date: str
    title: str
    url: str
    who: Link
    subject: str


@dataclass(frozen=True)
class ArticleHeader:
    status: str
    status_label: str
    type: str
    type_label: str
    topics: tuple[Link, ...]
    owners: tuple[Link, ...]
    reviewed_by: Link | None
    reviewed_on: str | None
    answered: bool | None
    members: tuple[Link, ...]
    created: Authored | None = None
    updated: Authored | None = None
    contributors: tuple[Link, ...] = ()
    #: Why there is no date: "not committed yet", or "unknown" when git history is missing.
    history_note: str = ""


@dataclass(frozen=True)
class PersonProfile:
    name: str
    role: str
    team: str
    location: str
    timezone: str
    contact: tuple[tuple[str, str, str | None], ...]
    topics: tuple[Link, ...]
    owned: tuple[ArticleItem, ...]
    reviewed: tuple[ArticleItem, ...]


@dataclass(frozen=True)
class PersonItem:
    name: str
    url: str
    role: str
    team: str
    location: str
    topics: tuple[Link, ...]


@dataclass(frozen=True)
class TopicPage:
    name: str
    breadcrumbs: tuple[Link, ...]
    subtopics: tuple[Link, ...]
    articles: tuple[ArticleItem, ...]
    open_questions: tuple[ArticleItem, ...]
    people: tuple[Link, ...]
    related: tuple[Link, ...] = ()
    recent: tuple[RecentChange, ...] = ()


@dataclass(frozen=True)
class TopicItem:
    name: str
    url: str
    count: int
    depth: int
    summary: str


@dataclass(frozen=True)
class Backlink:
    """A page that links here, with the sentences that hold its links."""

    title: str
    url: str
    contexts: tuple[str, ...]


@dataclass(frozen=True)
class Preview:
    """What a link preview card shows about a page."""

    title: str
    status: str
    status_label: str
    type_label: str
    summary: str
    topics: tuple[str, ...]


@dataclass(frozen=True)
class Views:
    """Everything the theme needs, by the content path of the page that shows it."""

    articles: dict[str, ArticleHeader] = field(default_factory=dict)
    people: dict[str, PersonProfile] = field(default_factory=dict)
    topics: dict[str, TopicPage] = field(default_factory=dict)
    topic_index: tuple[TopicItem, ...] = ()
    people_index: tuple[PersonItem, ...] = ()
    open_questions: tuple[ArticleItem, ...] = ()
    vetted: tuple[ArticleItem, ...] = ()
    #: "Linked from", by the content path of the page linked to.
    backlinks: dict[str, tuple[Backlink, ...]] = field(default_factory=dict)
    #: Link preview cards, by site-relative URL.
    previews: dict[str, Preview] = field(default_factory=dict)


class ViewBuilder:
    def __init__(self, kb: KnowledgeBase, topic_paths: dict[str, str], directory_urls: bool = True) -> None:
        self.kb = kb
        self.topic_paths = topic_paths
        self.directory_urls = directory_urls

    @functools.cached_property
    def children(self) -> dict[str | None, list[Topic]]:
        """Subtopics of each topic (None: the top level), by name."""
        children: dict[str | None, list[Topic]] = {}
        for topic in sorted(self.kb.topics.values(), key=lambda t: (t.name.casefold(), t.slug)):
            children.setdefault(topic.parent, []).append(topic)
        return children

    def url(self, path: str) -> str:
        return page_url(path, self.directory_urls)

    def person_link(self, person_id: str) -> Link | None:
        person = self.kb.people.get(person_id)
        return Link(person.name, self.url(person.path)) if person else None

    def person_links(self, person_ids: tuple[str, ...]) -> tuple[Link, ...]:
        return tuple(link for link in map(self.person_link, person_ids) if link)

    def topic_link(self, slug: str) -> Link:
        return Link(self.kb.topics[slug].name, self.url(self.topic_paths[slug]))

    def article_item(self, article: Article) -> ArticleItem:
        changes = self.kb.changes(article.path)
        return ArticleItem(
            article.title, self.url(article.path), article.summary, article.status.value,
            article.status.label, article.type.value, article.type.label,
            changes[0].date.isoformat() if changes else "",
        )

    def author_link(self, change: Change) -> Link:
        person_id = self.kb.identities.person_of(change.author, change.email)
        return (self.person_link(person_id) if person_id else None) or Link(change.author, "")

    def authored(self, change: Change) -> Authored:
        return Authored(change.date.isoformat(), self.author_link(change))

    def history_note(self, path: str) -> str:
        if self.kb.changes(path):
            return ""
        return "not committed yet" if self.kb.history.known else "unknown"

    def sorted_items(self, paths: tuple[str, ...] | list[str]) -> tuple[ArticleItem, ...]:
        articles = sorted((self.kb.articles[p] for p in paths), key=lambda a: (a.status.rank, a.title.casefold(), a.path))
        return tuple(self.article_item(a) for a in articles)

    def article_header(self, article: Article) -> ArticleHeader:
        changes = self.kb.changes(article.path)
        return ArticleHeader(
            status=article.status.value,
            status_label=article.status.label,
            type=article.type.value,
            type_label=article.type.label,
            topics=tuple(self.topic_link(slug) for slug in self.kb.article_topics.get(article.path, ())),
            owners=self.person_links(article.owners),
            reviewed_by=self.person_link(article.reviewed_by) if article.reviewed_by else None,
            reviewed_on=article.reviewed_on.isoformat() if isinstance(article.reviewed_on, dt.date) else None,
            answered=article.answered if article.type is PageType.QUESTION else None,
            members=self.person_links(article.members) if article.type is PageType.COMMUNITY else (),
            created=self.authored(changes[-1]) if changes else None,
            updated=self.authored(changes[0]) if changes else None,
            contributors=self.contributors(changes),
            history_note=self.history_note(article.path),
        )

    def contributors(self, changes: tuple[Change, ...]) -> tuple[Link, ...]:
        """Everyone who changed the page, most changes first."""
        counts: Counter[Link] = Counter(self.author_link(change) for change in changes)
        return tuple(sorted(counts, key=lambda link: (-counts[link], link.title.casefold())))

    def person_topics(self, person_id: str) -> tuple[Link, ...]:
        counts: dict[str, int] = {}
        for path in (*self.kb.owned.get(person_id, ()), *self.kb.reviewed.get(person_id, ())):
            for slug in self.kb.article_topics.get(path, ()):
                counts[slug] = counts.get(slug, 0) + 1
        for topic in self.kb.topics.values():
            if topic.description and person_id in topic.description.moderators:
                counts[topic.slug] = counts.get(topic.slug, 0) + 1
        ranked = sorted(counts, key=lambda slug: (-counts[slug], slug))
        return tuple(self.topic_link(slug) for slug in ranked)

    def person_profile(self, person: Person) -> PersonProfile:
        contact = tuple((channel, value, _contact_href(channel, value)) for channel, value in person.contact)
        return PersonProfile(
            name=person.name, role=person.role, team=person.team, location=person.location,
            timezone=person.timezone, contact=contact, topics=self.person_topics(person.id),
            owned=self.sorted_items(self.kb.owned.get(person.id, ())),
            reviewed=self.sorted_items(self.kb.reviewed.get(person.id, ())),
        )

    def topic_page(self, topic: Topic) -> TopicPage:
        crumbs: list[Link] = []
        seen = {topic.slug}
        parent = topic.parent
        while parent and parent not in seen:
            seen.add(parent)
            crumbs.insert(0, self.topic_link(parent))
            parent = self.kb.topics[parent].parent
        subtopics = tuple(self.topic_link(child.slug) for child in self.children.get(topic.slug, ()))
        questions = [p for p in topic.articles if _is_open_question(self.kb.articles[p])]
        mentions: Counter[str] = Counter()
        for path in topic.articles:
            mentions.update(self.kb.articles[path].owners)
        if topic.description:
            mentions.update(topic.description.moderators)
        ranked = sorted(mentions, key=lambda pid: (-mentions[pid], pid))
        return TopicPage(
            name=topic.name, breadcrumbs=tuple(crumbs), subtopics=subtopics,
            articles=self.sorted_items(topic.articles), open_questions=self.sorted_items(questions),
            people=self.person_links(tuple(ranked)),
            related=tuple(self.topic_link(slug) for slug in self.kb.related_topics.get(topic.slug, ())),
            recent=self.recent_changes(topic.articles),
        )

    def recent_changes(self, paths: tuple[str, ...], limit: int = 10) -> tuple[RecentChange, ...]:
        """The latest changes to any of these pages, newest first."""
        latest = heapq.nlargest(
            limit,
            ((change, path) for path in paths for change in self.kb.changes(path)[:limit]),
            key=lambda item: (item[0].timestamp, item[1]),
        )
        return tuple(
            RecentChange(change.date.isoformat(), self.kb.articles[path].title, self.url(path),
                         self.author_link(change), change.subject)
            for change, path in latest
        )

    def topic_index(self) -> tuple[TopicItem, ...]:
        children = self.children
        items: list[TopicItem] = []

        def walk(parent: str | None, depth: int, seen: frozenset[str]) -> None:
            for topic in children.get(parent, ()):
                if topic.slug in seen:
                    continue
                summary = topic.description.summary if topic.description else ""
                url = self.url(self.topic_paths[topic.slug])
                items.append(TopicItem(topic.name, url, len(topic.articles), depth, summary))
                walk(topic.slug, depth + 1, seen | {topic.slug})

        walk(None, 0, frozenset())
        return tuple(items)

    def people_index(self) -> tuple[PersonItem, ...]:
        people = sorted(self.kb.people.values(), key=lambda p: (p.name.casefold(), p.id))
        return tuple(
            PersonItem(p.name, self.url(p.path), p.role, p.team, p.location, self.person_topics(p.id)[:5])
            for p in people
        )

    def backlinks(self, path: str) -> tuple[Backlink, ...]:
        by_source: dict[str, list[str]] = {}
        for edge in self.kb.links.backlinks.get(path, ()):
            contexts = by_source.setdefault(edge.source, [])
            if edge.context and edge.context not in contexts:
                contexts.append(edge.context)
        pages = [self.kb.page(source) for source in by_source]
        ordered = sorted((p for p in pages if p), key=lambda p: (p.title.casefold(), p.path))
        return tuple(Backlink(p.title, self.url(p.path), tuple(by_source[p.path])) for p in ordered)

    def previews(self) -> dict[str, Preview]:
        cards: dict[str, Preview] = {}
        for article in self.kb.articles.values():
            topics = tuple(self.kb.topics[slug].name for slug in self.kb.article_topics.get(article.path, ()))
            cards[self.url(article.path)] = Preview(
                article.title, article.status.value, article.status.label, article.type.label, article.summary, topics)
        for person in self.kb.people.values():
            about = " · ".join(part for part in (person.role, person.team, person.location) if part)
            cards[self.url(person.path)] = Preview(person.name, "person", "Person", "", about, ())
        for slug, topic in self.kb.topics.items():
            summary = topic.description.summary if topic.description else ""
            count = f"{len(topic.articles)} {'page' if len(topic.articles) == 1 else 'pages'}"
            cards[self.url(self.topic_paths[slug])] = Preview(topic.name, "topic", "Topic", count, summary, ())
        return dict(sorted(cards.items()))

    def build(self) -> Views:
        kb = self.kb
        return Views(
            articles={path: self.article_header(a) for path, a in kb.articles.items()},
            people={p.path: self.person_profile(p) for p in kb.people.values()},
            topics={self.topic_paths[slug]: self.topic_page(t) for slug, t in kb.topics.items()},
            topic_index=self.topic_index(),
            people_index=self.people_index(),
            open_questions=self.sorted_items([p for p, a in kb.articles.items() if _is_open_question(a)]),
            vetted=self.sorted_items([p for p, a in kb.articles.items() if a.status.is_vetted]),
            backlinks={path: self.backlinks(path) for path in kb.links.backlinks},
            previews=self.previews(),
        )


def _is_open_question(article: Article) -> bool:
    return article.type is PageType.QUESTION and not article.answered


def _contact_href(channel: str, value: str) -> str | None:
    if channel.lower() == "email" and "@" in value and " " not in value:
        return f"mailto:{value}"
    if value.startswith(("https://", "http://")):
        return value
    return None


__all__ = ["ViewBuilder", "Views"]
