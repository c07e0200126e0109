"""Stage 5, generate: the pages and data files kb adds to the site, decided from the KnowledgeBase.

A page the wiki writes itself always wins: `index.md`, `topics/index.md`, `people/index.md` or
`topics/<slug>.md` in the content directory is used as the page, and kb adds its computed
sections to it. kb generates only what is missing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

from kb.analyse.knowledge import KnowledgeBase
from kb.languages import language_scripts
from kb.outputs import GRAPH_PATH, INSIGHTS_PATH
from kb.render.emit import emit_directory, emit_graph, emit_insights, emit_previews, preview_shard_count
from kb.render.feeds import emit_feeds, topic_feed_links
from kb.urls import site_path
from kb.views import build_views
from kb.views.listings import Listing, plan_listings
from kb.views.records import PageView, SiteView, Views


@dataclass(frozen=True)
class GeneratedPage:
    path: str
    title: str
    #: What the page shows: the kind of an index page (kb.outputs.INDEX_PAGES), "topic", or
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
    #: The long listings (kb.views.listings.plan_listings), worked out once for the plan and the
    #: views. Their entry counts are not the plan: `pages` says how many pages each has.
    listings: dict[str, Listing] = field(default_factory=dict, compare=False)


def plan_site(kb: KnowledgeBase, site_name: str, existing: frozenset[str]) -> SitePlan:
    """`existing` holds the content paths the wiki already publishes."""
    pages: list[GeneratedPage] = []
    special: dict[str, str] = {}
    # The wiki's own page at that URL may be spelt otherwise: README.md, changes/index.md.
    by_url = {site_path(path): path for path in sorted(existing, reverse=True)}
    for path, index in kb.index_paths.items():
        written = path if path in existing else by_url.get(site_path(path))
        if written is None:
            pages.append(GeneratedPage(path, index.title or site_name, index.kind))
        special[written or path] = index.kind
    topic_paths: dict[str, str] = {}
    for slug, topic in kb.topics.items():
        path = topic_paths[slug] = kb.topic_path(slug)
        special[path] = "topic"
        if path not in existing:
            pages.append(GeneratedPage(path, topic.name, "topic"))
    listings = plan_listings(kb, topic_paths)
    for listing in listings.values():
        for number, path in enumerate(listing.paths(), start=1):
            special[path] = "listing"
            if path not in existing:
                title = listing.title if listing.count == 1 else f"{listing.title}, page {number} of {listing.count}"
                pages.append(GeneratedPage(path, title, "listing"))
    return SitePlan(tuple(sorted(pages, key=lambda p: p.path)), topic_paths, special, listings)


@dataclass(frozen=True)
class Site:
    """What kb adds to a site: the pages it generates, the views every page shows, and the data
    files (link previews, graph, insights, feeds) as bytes by site path."""

    plan: SitePlan
    views: Views
    #: The data files, by site path (empty in a Site of generate_pages alone).
    files: dict[str, bytes]
    #: Each topic page's feed (its title and site path), by the page's content path.
    topic_feeds: dict[str, dict[str, str]]
    site_view: SiteView

    def page_view(self, path: str) -> PageView | None:
        """What the page at this content path shows of kb's, if anything."""
        kind = self.plan.special.get(path)
        views = self.views
        backlinks = views.backlinks.get(path, ())
        if kind == "topic":
            return PageView(kind, topic=views.topics[path], backlinks=backlinks, feed=self.topic_feeds.get(path))
        if kind:
            return PageView(kind, views=views)
        if path in views.articles:
            return PageView("article", article=views.articles[path], backlinks=backlinks)
        if path in views.people:
            return PageView("person", person=views.people[path], backlinks=backlinks)
        return None


def generate_site(
    kb: KnowledgeBase, site_name: str, existing: frozenset[str], site_url: str = "", directory_urls: bool = True,
    start_page: Callable[[str], str | None] | None = None,
    start_profile: Callable[[str, tuple[str, ...]], str | None] | None = None, keep_views: bool = True,
) -> Site:
    """Everything kb adds to a site whose own pages are `existing` (content paths). Without
    `keep_views`, each page's views are made when asked for and not kept (kb.views.PerPage)."""
    site = generate_pages(kb, site_name, existing, directory_urls, start_page, start_profile, keep_views)
    return dataclasses.replace(site, files=emit_site_files(kb, site, site_name, site_url, directory_urls))


def generate_pages(
    kb: KnowledgeBase, site_name: str, existing: frozenset[str], directory_urls: bool = True,
    start_page: Callable[[str], str | None] | None = None,
    start_profile: Callable[[str, tuple[str, ...]], str | None] | None = None, keep_views: bool = True,
) -> Site:
    """The pages kb adds and the views of every page, without the data files (`files` is empty):
    what a preview needs to write the pages a save changed before it writes the rest."""
    plan = plan_site(kb, site_name, existing)
    views = build_views(kb, plan.topic_paths, directory_urls, start_page, start_profile, plan.listings, keep_views)
    search = kb.config.search
    site_view = SiteView(preview_shard_count(len(views.previews)), kb.history.known, search,
                         tuple(language_scripts(kb.config.search_languages)) if search else ())
    return Site(plan, views, {}, topic_feed_links(kb), site_view)


def emit_site_files(kb: KnowledgeBase, site: Site, site_name: str, site_url: str = "",
                    directory_urls: bool = True) -> dict[str, bytes]:
    """The data files of a site that generate_pages made: link previews, the people directory,
    the graph, insights and feeds, by site path."""
    files = emit_previews(site.views.previews) | emit_directory(site.views)
    files[GRAPH_PATH] = emit_graph(kb, directory_urls)
    files[INSIGHTS_PATH] = emit_insights(kb, directory_urls)
    files.update(emit_feeds(kb, site_name, site_url, directory_urls))
    return files
