"""Listings that stay the same size however large the wiki grows.

A page shows the top of each long listing, and "all N" leads on to the whole of it on pages of
PAGE_SIZE entries each, linked first to last: every entry is a plain link away, with or without
JavaScript, and no page kb generates grows with the wiki. A listing short enough to show whole
has no further pages, so a small wiki looks as it always did.

The further pages of a listing live in a folder under the page it continues
(`topics/kubernetes/all/`, `insights/never-reviewed/2/`), unless a page of the wiki is there.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kb.analyse.insights import INSIGHTS_LISTS
from kb.urls import page_url, site_path
from kb.views.records import More

if TYPE_CHECKING:  # the knowledge base is read, never built, here
    from kb.analyse.knowledge import KnowledgeBase

#: Entries a page shows of a listing before "all N" leads on.
SHOWN = 20
#: Entries on each further page of a listing.
PAGE_SIZE = 100
#: Topics the home page and the topic index show; people the directory shows.
TOPICS_SHOWN = PEOPLE_SHOWN = 100
#: A topic page shows its pages whole up to this many; past it, its vetted pages and its most
#: recently updated ones, SHOWN of each.
TOPIC_PAGES_SHOWN = 2 * SHOWN
#: Pages "Linked from" shows on an article.
BACKLINKS_SHOWN = 30

@dataclass(frozen=True)
class Listing:
    """A listing too long to show whole: where its pages are, and how many entries it holds."""

    key: str
    title: str
    #: The content path and the title of the page it continues.
    back: str
    back_title: str
    #: The content folder of its pages, ending in "/".
    folder: str
    #: What its entries are, for the template: "article", "review", "topic", "person", …
    kind: str
    total: int

    @property
    def count(self) -> int:
        return -(-self.total // PAGE_SIZE)

    def path(self, number: int) -> str:
        return f"{self.folder}index.md" if number == 1 else f"{self.folder}{number}.md"

    def paths(self) -> list[str]:
        return [self.path(number) for number in range(1, self.count + 1)]


def plan_listings(kb: KnowledgeBase, topic_paths: dict[str, str]) -> dict[str, Listing]:
    """Every listing too long to show whole, by key; a pure function of the knowledge base, so
    the plan of the site and its views agree on it."""
    # Each index page's path and its label, which a further page's way back names.
    index = {page.kind: (path, page.nav_label) for path, page in kb.index_paths.items()}
    taken = _folders(
        [*kb.articles, *(person.path for person in kb.people.values()), *topic_paths.values(), *kb.index_paths])
    found: dict[str, Listing] = {}

    def add(key: str, title: str, back: tuple[str, str], name: str, kind: str, total: int, shown: int = SHOWN) -> None:
        if total <= shown:
            return
        base = site_path(back[0])
        folder = f"{base}{name}/"
        while folder in taken:  # a page of the wiki is there: the listing steps aside
            folder = f"{folder[:-1]}-list/"
        taken.add(folder)
        found[key] = Listing(key, title, back[0], back[1], folder, kind, total)

    articles = kb.articles
    open_questions = set(kb.insights.open_questions)
    add("vetted", "Vetted answers", index["home"], "vetted", "article",
        sum(1 for article in articles.values() if article.status.is_vetted))
    add("questions", "Open questions", index["home"], "questions", "article", len(kb.insights.open_questions))
    add("topics", "Topics", index["topics"], "all", "topic", len(kb.topics), TOPICS_SHOWN)
    add("people", "People", index["people"], "all", "person", len(kb.people), PEOPLE_SHOWN)
    add("unclaimed", "Without a profile yet", index["people"], "unclaimed", "unclaimed",
        len(kb.identities.unclaimed))
    for slug, topic in kb.topics.items():
        path = (topic_paths[slug], topic.name)
        add(f"topic:{slug}", f"Pages on {topic.name}", path, "all", "article", len(topic.articles), TOPIC_PAGES_SHOWN)
        questions = sum(1 for p in topic.articles if p in open_questions)
        add(f"topic-questions:{slug}", f"Open questions on {topic.name}", path, "questions", "article", questions)
    for person_id, person in kb.people.items():
        owned = kb.owned.get(person_id, ())
        add(f"owned:{person_id}", f"Pages {person.name} owns", (person.path, person.name), "owns", "article", len(owned))
        add(f"reviewed:{person_id}", f"Pages {person.name} reviewed", (person.path, person.name), "reviewed", "article",
            len(kb.reviewed.get(person_id, ())))
        add(f"needs-review:{person_id}", f"Pages of {person.name}'s that need review", (person.path, person.name), "needs-review",
            "article", sum(1 for p in owned if kb.reviews[p].state.needs_review))
    for declared in INSIGHTS_LISTS:
        add(f"insights:{declared.name}", declared.title, index["insights"], declared.name, declared.kind,
            len(declared.entries(kb.insights)))
    # A page kb generates (a topic's, an index) is linked to as well as the wiki's own.
    generated = {path: kb.topics[slug].name for slug, path in topic_paths.items()}
    generated |= {path: title for path, title in index.values()}
    for target, edges in kb.links.backlinks.items():
        page = kb.page(target)
        title = page.title if page is not None else generated.get(target)
        if len(edges) > BACKLINKS_SHOWN and title is not None:
            sources = sum(1 for source in {edge.source for edge in edges} if kb.page(source) is not None)
            add(f"linked-from:{target}", f"Pages that link to {title}", (target, title), "linked-from", "backlink",
                sources, BACKLINKS_SHOWN)
    return found


class Listings:
    """The listings of one site: "all N" links, and each further page's entries, worked out
    once per listing however many of its pages are rendered."""

    def __init__(self, plans: dict[str, Listing], directory_urls: bool,
                 entries: Callable[[Listing], tuple[Any, ...]]) -> None:
        self.plans = plans
        self.directory_urls = directory_urls
        self._entries = functools.cache(entries)
        #: Which listing, and which of its pages, each further page's content path shows.
        self.pages = {path: (plan, number) for plan in plans.values()
                      for number, path in enumerate(plan.paths(), start=1)}

    def more(self, key: str) -> More | None:
        plan = self.plans.get(key)
        return More(plan.total, self.url(plan.path(1))) if plan else None

    def url(self, path: str) -> str:
        return page_url(path, self.directory_urls)

    def entries(self, plan: Listing) -> tuple[Any, ...]:
        return self._entries(plan)

    def page_of(self, key: str, position: int) -> str | None:
        """The URL of the further page that shows the entry at `position` (from 0) of a listing."""
        plan = self.plans.get(key)
        return self.url(plan.path(position // PAGE_SIZE + 1)) if plan else None


def _folders(paths: list[str]) -> set[str]:
    """Every folder of the site that a page's URL is in or is, as `site_path` spells it."""
    folders: set[str] = set()
    for path in paths:
        parts = site_path(path).split("/")[:-1]
        folders.update("/".join(parts[:depth]) + "/" for depth in range(1, len(parts) + 1))
    return folders

