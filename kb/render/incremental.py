"""Which pages a save changed: for a preview that writes again only the pages whose views differ.

A preview server keeps the site it built. When pages are saved it derives the knowledge base and
the site again (from cached parses and history, so that is quick) and asks SaveReach which
pages now show something else: the saved pages, what they link to and what links to them,
their topics, owners and reviewers, the listings they are in, and the index pages. A change that
reaches further than this follows (a page added, removed, held back or renamed; a title, a
person or a topic description changed; a commit made; a page planned or dropped) is `whole`:
then the whole site is built again. A plain build never asks.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from kb.analyse.knowledge import KnowledgeBase
from kb.model import Article, Kind, PageType
from kb.read.attachments import is_editor_file
from kb.render.generate import Site
from kb.views.articles import ASK_EXPERTS

#: Listings every save may change: they are of the whole wiki (kb.views.paging.listing_entries).
_SITE_WIDE = frozenset({"vetted", "questions", "topics", "people", "unclaimed", "insights"})


class SaveReach:
    """The pages (written or generated, by content path) that show something else in `after`
    than in `before`, when the pages at `changed` were edited. `whole` says the save reaches
    further than its neighbours (every page must be built again); else `near` are the pages next
    to the saved ones (what they link to and what links to them, their topics, owners and
    reviewers, the index pages), which a writer looks at next, and `rest()` the others (the
    pages of topics whose experts changed, the communities of people whose expertise changed,
    further pages of listings), worked out only when asked, so that the near pages are written
    first. Of each, only those whose Markdown converts otherwise or whose views differ."""

    def __init__(self, before: KnowledgeBase, site_before: Site, after: KnowledgeBase, site_after: Site,
                 changed: Iterable[str]) -> None:
        self.before, self.site_before, self.after, self.site_after = before, site_before, after, site_after
        self.changed = set(changed)
        self.whole = _reaches_further(before, site_before, after, site_after, self.changed)
        self.near: set[str] = set()
        if self.whole:
            return
        near = set(self.changed)
        # The home page, the indexes, changes and insights list pages from all over the wiki.
        self._index = {path for path, kind in site_after.plan.special.items() if kind not in ("topic", "listing")}
        near |= self._index
        self._linked: set[str] = set()
        for path in self.changed:
            for kb in (before, after):
                self._linked |= {edge.target for edge in kb.links.outgoing.get(path, ())}
                near |= {edge.source for edge in kb.links.backlinks.get(path, ())}
        near |= self._linked
        self._topics, self._people = _subjects(before, after, self.changed)
        near |= {site_after.plan.topic_paths[slug] for slug in self._topics}
        near |= {person.path for person_id in self._people if (person := after.people.get(person_id)) is not None}
        # A link elsewhere that now finds another page (or none) is converted again.
        resolutions = before.links.resolutions, after.links.resolutions
        self._converted_again = {key[0] for key in resolutions[0].keys() | resolutions[1].keys()
                                 if resolutions[0].get(key) != resolutions[1].get(key)}
        # Pages whose Markdown converts otherwise are written again whatever their views; the
        # others only when what they show of kb's differs.
        self._converted = self.changed | self._converted_again
        self._shown = (after.published_paths | {page.path for page in site_after.plan.pages}
                       | set(site_after.plan.special))
        self.near = self._differ(near)

    def rest(self) -> set[str]:
        """The other pages the save changed (none when `whole`)."""
        if self.whole:
            return set()
        rest = set(self._converted_again)
        for slug in _asked_changed(self.before, self.after):
            # Every page of the topic names its strongest experts ("ask").
            rest |= set(self.after.topics[slug].articles) | set(self.before.topics[slug].articles)
        # A community's page shows each member's strongest topics (kb.views.articles.members).
        rest |= {path for path, article in self.after.articles.items()
                 if article.type is PageType.COMMUNITY and not self._people.isdisjoint(article.members)}
        for key, listing in self.site_after.plan.listings.items():
            kind, _, subject = key.partition(":")
            if (kind in _SITE_WIDE or (kind in ("topic", "topic-questions") and subject in self._topics)
                    or (kind in ("owned", "reviewed", "needs-review") and subject in self._people)
                    or (kind == "linked-from" and subject in self._linked)):
                rest |= set(listing.paths())
        return self._differ(rest) - self.near

    def _differ(self, paths: set[str]) -> set[str]:
        return {path for path in paths & self._shown
                if path in self._converted or path in self._index
                or _view(self.site_before, path) != _view(self.site_after, path)}


def _view(site: Site, path: str) -> object:
    """What a page shows of kb's: its page view, or for a further page of a listing, that page.
    (The index pages show the whole site's views, and are always written again.)"""
    if site.plan.special.get(path) == "listing":
        return site.views.listings.get(path)
    return site.page_view(path)


def _reaches_further(before: KnowledgeBase, site_before: Site, after: KnowledgeBase, site_after: Site,
                     changed: set[str]) -> bool:
    if (before.published_paths != after.published_paths or _withheld_otherwise(before, after)
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


def _withheld_otherwise(before: KnowledgeBase, after: KnowledgeBase) -> bool:
    """Whether other files are held back than before, but for editors' backups (Emacs' page.md~,
    which comes and goes with saves): no page was one, MkDocs never copies them, and a page
    whose link to one now goes elsewhere is converted again."""
    return any(not is_editor_file(posixpath.basename(path)) for path in before.withheld ^ after.withheld)


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


def _asked_changed(before: KnowledgeBase, after: KnowledgeBase) -> set[str]:
    """The topics whose experts as a page's "Ask" names them (kb.views.articles.ask: the
    strongest few after the page's owners) changed, which every page of the topic shows."""
    found: set[str] = set()
    for slug in _expertise_changed(before, after):
        owners = max((len(kb.articles[path].owners) for kb in (before, after)
                      for path in kb.topics[slug].articles if path in kb.articles), default=0)
        limit = ASK_EXPERTS + owners
        if before.expertise.experts(slug, limit) != after.expertise.experts(slug, limit):
            found.add(slug)
    return found


__all__ = ["SaveReach"]
