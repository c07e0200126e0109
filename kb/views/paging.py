"""The further pages of long listings: each listing's entries, and one page of them."""

from __future__ import annotations

from typing import Any

from kb.views.articles import backlinks
from kb.views.context import ViewContext, is_open_question
from kb.views.insights import insights_section
from kb.views.listings import PAGE_SIZE, Listing
from kb.views.people import people_index, person_listing, unclaimed_index
from kb.views.records import ArticleItem, Link, ListingPage
from kb.views.topics import topic_index, topic_questions


def listing_entries(view: ViewContext, listing: Listing) -> tuple[Any, ...]:
    """Every entry of a listing, in the order the page it continues shows its top."""
    kb = view.kb
    kind, _, subject = listing.key.partition(":")
    if kind == "vetted":
        return vetted_items(view)
    if kind == "questions":
        return open_question_items(view)
    if kind == "topics":
        return topic_index(view)
    if kind == "people":
        return people_index(view)
    if kind == "unclaimed":
        return unclaimed_index(view)
    if kind == "topic":
        return view.sorted_items(kb.topics[subject].articles)
    if kind == "topic-questions":
        return topic_questions(view, subject)
    if kind in ("owned", "reviewed", "needs-review"):
        return person_listing(view, subject, kind)
    if kind == "insights":
        return insights_section(view, kb.insights, subject)
    if kind == "linked-from":
        return backlinks(view, subject)
    raise KeyError(listing.key)


def vetted_items(view: ViewContext) -> tuple[ArticleItem, ...]:
    """Every vetted page, best practice first: the home page's "Vetted answers"."""
    return view.sorted_items([path for path, article in view.kb.articles.items() if article.status.is_vetted])


def open_question_items(view: ViewContext) -> tuple[ArticleItem, ...]:
    return view.sorted_items([path for path, article in view.kb.articles.items() if is_open_question(article)])


def listing_page(view: ViewContext, listing: Listing, number: int) -> ListingPage:
    entries = view.listings.entries(listing)
    first = (number - 1) * PAGE_SIZE

    def url(at: int) -> str | None:
        return view.url(listing.path(at)) if at != number and 1 <= at <= listing.count else None

    return ListingPage(
        title=listing.title, kind=listing.kind, back=Link(listing.back_title, view.url(listing.back)),
        items=entries[first:first + PAGE_SIZE], number=number, count=listing.count, total=len(entries),
        first=first + 1, first_url=url(1), previous=url(number - 1), next=url(number + 1), last_url=url(listing.count),
    )
