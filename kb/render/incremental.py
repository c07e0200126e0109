"""Which pages a save changed: for a preview that writes again only the pages whose views differ.

A preview server keeps the site it built. When pages are saved it derives the knowledge base and
the site again (from cached parses and history, so that is quick) and asks `pages_to_render`
which pages now show something else: the saved pages, what they link to and what links to them,
their topics, owners and reviewers, the listings they are in, and the index pages. A change that
reaches further than this follows (a page added, removed, held back or renamed; a title, a
person or a topic description changed; a commit made; a page planned or dropped) answers None:
then the whole site is built again. A plain build never asks.
"""

from __future__ import annotations

from collections.abc import Iterable

from kb.analyse.knowledge import KnowledgeBase
from kb.model import Article, Kind
from kb.render.generate import Site
from kb.views.listings import plan_listings

#: Listings every save may change: they are of the whole wiki (kb.views.paging.listing_entries).
_SITE_WIDE = frozenset({"vetted", "questions", "topics", "people", "unclaimed", "insights"})


def pages_to_render(before: KnowledgeBase, site_before: Site, after: KnowledgeBase, site_after: Site,
                    changed: Iterable[str]) -> tuple[set[str], set[str]] | None:
    """The content paths of the pages (written or generated) that show something else in
    `after` than in `before`, when the pages at `changed` were edited, in two groups: the pages
    next to them (what they link to and what links to them, their topics, owners and reviewers,
    the index pages), which a writer looks at next, and the rest (the pages of topics whose
    experts changed, further pages of listings); of each, only those whose Markdown converts
    otherwise or whose views differ. None when every page must be built again."""
    changed = set(changed)
    if _reaches_further(before, site_before, after, site_after, changed):
        return None
    near = set(changed)
    # The home page, the indexes, changes and insights list pages from all over the wiki.
    near |= {path for path, kind in site_after.plan.special.items() if kind not in ("topic", "listing")}
    linked: set[str] = set()
    for path in changed:
        for kb in (before, after):
            linked |= {edge.target for edge in kb.links.outgoing.get(path, ())}
            near |= {edge.source for edge in kb.links.backlinks.get(path, ())}
    near |= linked
    topics, people = _subjects(before, after, changed)
    near |= {site_after.plan.topic_paths[slug] for slug in topics}
    near |= {person.path for person_id in people if (person := after.people.get(person_id)) is not None}
    # A link elsewhere that now finds another page (or none) is converted again.
    resolutions = before.links.resolutions, after.links.resolutions
    converted_again = {key[0] for key in resolutions[0].keys() | resolutions[1].keys()
                       if resolutions[0].get(key) != resolutions[1].get(key)}
    rest = set(converted_again)
    for slug in _expertise_changed(before, after):
        # Every page of the topic names its strongest experts ("ask").
        rest |= set(after.topics[slug].articles) | set(before.topics[slug].articles)
    for key, listing in plan_listings(after, site_after.plan.topic_paths).items():
        kind, _, subject = key.partition(":")
        if (kind in _SITE_WIDE or (kind in ("topic", "topic-questions") and subject in topics)
                or (kind in ("owned", "reviewed", "needs-review") and subject in people)
                or (kind == "linked-from" and subject in linked)):
            rest |= set(listing.paths())
    shown = after.published_paths | {page.path for page in site_after.plan.pages} | set(site_after.plan.special)
    # Pages whose Markdown converts otherwise are written again whatever their views; the
    # others only when what they show of kb's differs.
    converted = changed | converted_again
    index = {path for path, kind in site_after.plan.special.items() if kind not in ("topic", "listing")}

    def differ(paths: set[str]) -> set[str]:
        return {path for path in paths & shown
                if path in converted or path in index or _view(site_before, path) != _view(site_after, path)}

    return differ(near), differ(rest - near)


def _view(site: Site, path: str) -> object:
    """What a page shows of kb's: its page view, or for a further page of a listing, that page.
    (The index pages show the whole site's views, and are always written again.)"""
    if site.plan.special.get(path) == "listing":
        return site.views.listings.get(path)
    return site.page_view(path)


def _reaches_further(before: KnowledgeBase, site_before: Site, after: KnowledgeBase, site_after: Site,
                     changed: set[str]) -> bool:
    if (before.published_paths != after.published_paths or before.withheld != after.withheld
            or before.assets != after.assets or before.history.head != after.history.head
            or before.history.state != after.history.state
            or site_before.plan != site_after.plan or site_before.site_view != site_after.site_view
            or before.config != after.config or before.folder_topics != after.folder_topics):
        return True
    if {slug: topic.name for slug, topic in before.topics.items()} != {
            slug: topic.name for slug, topic in after.topics.items()}:
        return True
    for path in changed:
        old, new = before.page(path), after.page(path)
        # A page's title and aliases are what other pages' links show and find it by.
        if (not isinstance(old, Article) or not isinstance(new, Article) or new.kind is not Kind.ARTICLE
                or old.title != new.title or old.aliases != new.aliases):
            return True
    return False


def _subjects(before: KnowledgeBase, after: KnowledgeBase, changed: set[str]) -> tuple[set[str], set[str]]:
    """The topics and the people whose pages list a changed page, before or after the change."""
    topics: set[str] = set()
    people: set[str] = set()
    for kb in (before, after):
        for path in changed:
            topics |= set(kb.article_topics.get(path, ()))
            article = kb.articles.get(path)
            if article is not None:
                people |= set(article.owners) | set(article.members)
                if article.reviewed_by:
                    people.add(article.reviewed_by)
    for slug in set(before.related_topics) | set(after.related_topics):
        if before.related_topics.get(slug) != after.related_topics.get(slug):
            topics.add(slug)
    for slug in _expertise_changed(before, after):
        topics.add(slug)
        old, new = before.expertise.by_topic.get(slug, {}), after.expertise.by_topic.get(slug, {})
        people |= {person for person in old.keys() | new.keys() if old.get(person) != new.get(person)}
    return topics & set(after.topics), people


def _expertise_changed(before: KnowledgeBase, after: KnowledgeBase) -> set[str]:
    old, new = before.expertise.by_topic, after.expertise.by_topic
    return {slug for slug in old.keys() | new.keys() if old.get(slug) != new.get(slug)} & set(after.topics)


__all__ = ["pages_to_render"]
