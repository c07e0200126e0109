"""Stage 5, generate: the pages kb adds to the site, decided from the KnowledgeBase.

A page the wiki writes itself always wins: `index.md`, `topics/index.md`, `people/index.md` or
`topics/<slug>.md` in the content directory is used as the page, and kb adds its computed
sections to it. kb generates only what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.knowledge import KnowledgeBase
from kb.urls import site_path
from kb.views.listings import plan_listings


@dataclass(frozen=True)
class GeneratedPage:
    path: str
    title: str
    #: What the page shows: "home", "topics", "people", "changes", "insights", "topic", or
    #: "listing" (a further page of a long listing, kb.views.listings).
    kind: str


@dataclass(frozen=True)
class SitePlan:
    """Every page kb adds, and the content path of each topic's page."""

    pages: tuple[GeneratedPage, ...]
    topic_paths: dict[str, str]
    #: Content paths of the pages kb fills in: the home, the indexes, every topic page, and the
    #: further pages of long listings.
    special: dict[str, str]


def plan_site(kb: KnowledgeBase, site_name: str, existing: frozenset[str]) -> SitePlan:
    """`existing` holds the content paths the wiki already publishes."""
    pages: list[GeneratedPage] = []
    special: dict[str, str] = {}
    titles = {"home": site_name, "topics": "Topics", "people": "People", "changes": "Recent changes",
              "insights": "Insights"}
    # The wiki's own page at that URL may be spelt otherwise: README.md, changes/index.md.
    by_url = {site_path(path): path for path in sorted(existing, reverse=True)}
    for path, kind in kb.index_paths.items():
        written = path if path in existing else by_url.get(site_path(path))
        if written is None:
            pages.append(GeneratedPage(path, titles[kind], kind))
        special[written or path] = kind
    topic_paths: dict[str, str] = {}
    for slug, topic in kb.topics.items():
        path = topic_paths[slug] = kb.topic_path(slug)
        special[path] = "topic"
        if path not in existing:
            pages.append(GeneratedPage(path, topic.name, "topic"))
    for listing in plan_listings(kb, topic_paths).values():
        for number, path in enumerate(listing.paths(), start=1):
            special[path] = "listing"
            if path not in existing:
                title = listing.title if listing.count == 1 else f"{listing.title}, page {number} of {listing.count}"
                pages.append(GeneratedPage(path, title, "listing"))
    return SitePlan(tuple(sorted(pages, key=lambda p: p.path)), topic_paths, special)
