"""What every view needs: URLs of pages, links to people and topics, listings of articles and of
changes, all from the KnowledgeBase."""

from __future__ import annotations

import functools
import heapq
from collections.abc import Callable

from kb.analyse.identities import is_unclaimed, shown_name, shown_text
from kb.analyse.knowledge import KnowledgeBase
from kb.model import Article, PageType, Topic
from kb.read.history import Change
from kb.urls import page_url
from kb.views.listings import SHOWN, Listings
from kb.views.records import ArticleItem, Authored, Expert, Link, RecentChange


class ViewContext:
    def __init__(
        self, kb: KnowledgeBase, topic_paths: dict[str, str], directory_urls: bool = True,
        start_page: Callable[[str], str | None] | None = None,
        start_profile: Callable[[str, tuple[str, ...]], str | None] | None = None,
    ) -> None:
        self.kb = kb
        #: The address that starts writing a wanted page, by name (None: the site cannot tell).
        self.start_page = start_page or (lambda name: None)
        #: The address that starts a person's profile, by name and git names (None: as above).
        self.start_profile = start_profile or (lambda name, names: None)
        self.topic_paths = topic_paths
        self.directory_urls = directory_urls
        self._urls: dict[str, str] = {}
        self._items: dict[str, ArticleItem] = {}
        self._authors: dict[tuple[str, str], Link] = {}
        self._known_for: dict[tuple[str, str], str] = {}
        #: Long listings and their further pages (kb.views.listings); none until build_views plans them.
        self.listings = Listings({}, directory_urls, lambda plan: ())

    # Listings repeat the same pages and people thousands of times: each is worked out once.
    def url(self, path: str) -> str:
        if path not in self._urls:
            self._urls[path] = page_url(path, self.directory_urls)
        return self._urls[path]

    def person_link(self, person_id: str | None) -> Link | None:
        person = self.kb.people.get(person_id or "")
        return Link(person.name, self.url(person.path)) if person else None

    def person_links(self, person_ids: tuple[str, ...]) -> tuple[Link, ...]:
        return tuple(link for link in map(self.person_link, person_ids) if link)

    def expert_link(self, person_id: str | None) -> Link | None:
        """A person with a profile, or an unclaimed one: their row in the people directory."""
        found = self.person_link(person_id)
        unclaimed = self.kb.identities.unclaimed.get(person_id or "")
        if found is None and unclaimed is not None:
            # The directory's URL whatever file the wiki wrote it as (people/README.md, say), or
            # the further page of its listing that has their row.
            position = self.unclaimed_order[unclaimed.id]
            directory = self.url(f"{self.kb.config.people_dir}/index.md")
            if position >= SHOWN:
                directory = self.listings.page_of("unclaimed", position) or directory
            found = Link(unclaimed.name, f"{directory}#{unclaimed_anchor(unclaimed.id)}")
        return found

    def claim_url(self, person_id: str) -> str | None:
        """Where an unclaimed person starts their profile."""
        unclaimed = self.kb.identities.unclaimed.get(person_id)
        return self.start_profile(unclaimed.name, unclaimed.names) if unclaimed else None

    def expert(self, person_id: str, evidence: str) -> Expert | None:
        link = self.expert_link(person_id)
        if link is None:
            return None
        if is_unclaimed(person_id):
            return Expert(link, evidence, True, self.claim_url(person_id))
        return Expert(link, evidence)

    def topic_link(self, slug: str) -> Link:
        return Link(self.kb.topics[slug].name, self.url(self.topic_paths[slug]))

    def known_for(self, topic: str, person: str) -> str:
        """What a person's evidence in a topic says, with the topic's name: every page of the
        topic offers its strongest experts."""
        key = (topic, person)
        if key not in self._known_for:
            self._known_for[key] = f"{self.kb.topics[topic].name}: {self.kb.expertise.by_topic[topic][person].describe()}"
        return self._known_for[key]

    def author_link(self, change: Change) -> Link:
        """A git author: their profile when they have one, else their name (url "")."""
        key = (change.author, change.email)
        if key not in self._authors:
            self._authors[key] = self.expert_link(self.kb.identities.author_of(*key)) or Link(shown_name(change.author), "")
        return self._authors[key]

    def authored(self, change: Change) -> Authored:
        return Authored(change.date.isoformat(), self.author_link(change))

    def experts(self, topic: str, limit: int, skip: frozenset[str] = frozenset()) -> tuple[Expert, ...]:
        found = []
        for person, evidence in self.kb.expertise.experts(topic):
            expert = self.expert(person, evidence.describe()) if person not in skip else None
            if expert is not None:
                found.append(expert)
            if len(found) == limit:
                break
        return tuple(found)

    def article_item(self, article: Article) -> ArticleItem:
        if article.path not in self._items:
            changes = self.kb.changes(article.path)
            self._items[article.path] = ArticleItem(
                article.title, self.url(article.path), article.summary, article.status.value,
                article.status.label, article.type.value, article.type.label,
                changes[0].date.isoformat() if changes else "",
            )
        return self._items[article.path]

    def sorted_items(self, paths: tuple[str, ...] | list[str]) -> tuple[ArticleItem, ...]:
        """Best practice first, then verified, then the rest; by title within each."""
        articles = sorted((self.kb.articles[p] for p in paths), key=lambda a: (a.status.rank, a.title.casefold(), a.path))
        return tuple(self.article_item(a) for a in articles)

    def recently_updated(self, paths: list[str], limit: int) -> tuple[ArticleItem, ...]:
        """The `limit` pages changed last, newest first (then by path, for pages of one date)."""
        def last_change(path: str) -> tuple[int, str]:
            changes = self.kb.changes(path)
            return (changes[0].timestamp if changes else -1, path)

        latest = heapq.nlargest(limit, paths, key=last_change)
        return tuple(self.article_item(self.kb.articles[path]) for path in latest)

    def recent_changes(self, paths: tuple[str, ...] | list[str], limit: int = 10) -> tuple[RecentChange, ...]:
        """The latest changes to any of these pages, newest first."""
        latest = heapq.nlargest(
            limit, ((change, path) for path in paths for change in self.kb.changes(path)[:limit]),
            key=lambda item: (item[0].timestamp, item[1]),
        )
        return tuple(self.recent_change(change, path) for change, path in latest)

    def recent_change(self, change: Change, path: str) -> RecentChange:
        return RecentChange(change.date.isoformat(), self.kb.articles[path].title, self.url(path),
                            self.author_link(change), shown_text(change.subject))

    def changes_by(self, person_ids: tuple[str, ...], limit: int = 10) -> tuple[RecentChange, ...]:
        """The latest changes these people made anywhere in the wiki, newest first."""
        latest = heapq.nlargest(
            limit, (item for person in person_ids for item in self.kb.contributions.by_person.get(person, ())[:limit]),
            key=lambda item: (item[0].timestamp, item[1]),
        )
        return tuple(self.recent_change(change, path) for change, path in latest)

    @functools.cached_property
    def unclaimed_order(self) -> dict[str, int]:
        """Git authors without a profile by their place in the directory: most changes first."""
        people = sorted(self.kb.identities.unclaimed.values(), key=lambda p: (-p.changes, p.name.casefold(), p.id))
        return {person.id: position for position, person in enumerate(people)}

    @functools.cached_property
    def children(self) -> dict[str | None, list[Topic]]:
        """Subtopics of each topic (None: the top level), by name."""
        children: dict[str | None, list[Topic]] = {}
        for topic in sorted(self.kb.topics.values(), key=lambda t: (t.name.casefold(), t.slug)):
            children.setdefault(topic.parent, []).append(topic)
        return children


def unclaimed_anchor(person_id: str) -> str:
    """The id of an unclaimed person's row in the people directory."""
    return "kb-" + person_id.replace("/", "-")


def is_open_question(article: Article) -> bool:
    return article.type is PageType.QUESTION and not article.answered
