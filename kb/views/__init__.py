"""Stage 6, views: what the theme shows on each page, prepared from the KnowledgeBase.

In: a KnowledgeBase and where each topic's page is. Out: Views, frozen records (kb.views.records)
that the theme's templates read as `kb_page` and `kb_site`: plain values with text and
site-relative URLs, which the templates only loop over and escape. A page's own views are worked out when the page
renders, in whichever process renders it (see mkdocs_kb.parallel), and kept only where asked
(a preview, to compare them with the next build's: PerPage).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TypeVar

from kb.analyse.knowledge import KnowledgeBase
from kb.views.articles import article_header, backlinks, previews
from kb.views.context import ViewContext
from kb.views.insights import insights_page
from kb.views.listings import BACKLINKS_SHOWN, PEOPLE_SHOWN, SHOWN, TOPICS_SHOWN, Listing, Listings, plan_listings
from kb.views.paging import listing_entries, listing_page, open_question_items, vetted_items
from kb.views.people import people_index, person_profile, unclaimed_index
from kb.views.records import Backlinks, Views
from kb.views.topics import topic_index, topic_page
from kb.views.trust import changes_days

V = TypeVar("V")


class PerPage(Mapping[str, V]):
    """A view for each of `keys`, made from `make(key)` when it is asked for; with `keep`, made
    once and kept. A preview keeps them, to compare each page's views with the next build's;
    a build renders each page once, and keeping every page's views would hold them all until
    its end (some 4 KB a page: a quarter of a gigabyte at 50,000 pages)."""

    def __init__(self, keys: Iterable[str], make: Callable[[str], V], keep: bool = True) -> None:
        self._keys = dict.fromkeys(keys)
        self._make = make
        self._made: dict[str, V] | None = {} if keep else None

    def __getitem__(self, key: str) -> V:
        made = self._made
        if made is not None and key in made:
            return made[key]
        if key not in self._keys:
            raise KeyError(key)
        view = self._make(key)
        if made is not None:
            made[key] = view
        return view

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._keys


def build_views(
    kb: KnowledgeBase, topic_paths: dict[str, str], directory_urls: bool = True,
    start_page: Callable[[str], str | None] | None = None,
    start_profile: Callable[[str, tuple[str, ...]], str | None] | None = None,
    plans: dict[str, Listing] | None = None, keep_views: bool = True,
) -> Views:
    """Every page's views. `plans` are the long listings, when the site's plan has them; with
    `keep_views`, each page's views are kept once made (PerPage)."""
    view = ViewContext(kb, topic_paths, directory_urls, start_page, start_profile)
    plans = plan_listings(kb, topic_paths) if plans is None else plans
    view.listings = listings = Listings(plans, directory_urls,
                                        lambda listing: listing_entries(view, listing))
    people = {person.path: person for person in kb.people.values()}
    topics = {topic_paths[slug]: topic for slug, topic in kb.topics.items()}
    more = {key: found for key in ("vetted", "questions", "topics", "people", "unclaimed")
            if (found := listings.more(key)) is not None}
    return Views(
        articles=PerPage(kb.articles, lambda path: article_header(view, kb.articles[path]), keep_views),
        people=PerPage(people, lambda path: person_profile(view, people[path]), keep_views),
        topics=PerPage(topics, lambda path: topic_page(view, topics[path]), keep_views),
        topic_index=topic_index(view, TOPICS_SHOWN),
        people_index=people_index(view, PEOPLE_SHOWN),
        unclaimed_people=unclaimed_index(view, SHOWN),
        open_questions=open_question_items(view)[:SHOWN],
        vetted=vetted_items(view)[:SHOWN],
        backlinks=PerPage(kb.links.backlinks, lambda path: Backlinks(
            backlinks(view, path)[:BACKLINKS_SHOWN], listings.more(f"linked-from:{path}")), keep_views),
        previews=previews(view),
        changes=changes_days(view),
        insights=insights_page(view, kb.insights),
        more=more,
        directory=(people_index(view), unclaimed_index(view)) if "people" in more or "unclaimed" in more else None,
        listings=PerPage(listings.pages, lambda path: listing_page(view, *listings.pages[path]), keep_views),
    )


__all__ = ["Views", "build_views"]
