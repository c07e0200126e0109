"""Views of trust and activity: each article's review state, recent changes, and insights."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from kb.analyse.identities import shown_text
from kb.analyse.insights import Insights
from kb.analyse.review import Review, ReviewState
from kb.model import Article
from kb.read.history import recent_entries
from kb.views.chart import activity_chart
from kb.views.context import ViewContext
from kb.views.listings import INSIGHTS_SECTIONS, SHOWN, insights_totals
from kb.views.records import (
    ArticleItem,
    ChangeDay,
    ChangeItem,
    InsightsPage,
    Link,
    ReviewItem,
    ReviewNote,
    WantedItem,
)

#: How many changes /changes/ lists.
CHANGES_SHOWN = 200
#: Pages a wanted page's entry names among those that link to it.
WANTED_LINKS_SHOWN = 10


def review_note(view: ViewContext, article: Article, review: Review) -> ReviewNote:
    """The review state in one line, with who to ask."""
    reviewer = view.person_link(article.reviewed_by)
    owners = view.person_links(article.owners)
    expires = review.expires_on.isoformat() if review.expires_on else ""
    state = review.state
    if state is ReviewState.UNREVIEWED:
        text = "Not reviewed yet: nobody has vetted this page."
        ask = owners
    elif state is ReviewState.FRESH:
        text = f"Review holds until {expires}." if expires else "Reviewed."
        ask = (reviewer,) if reviewer else ()
    elif state is ReviewState.DUE_SOON:
        text = f"Review due by {expires}: ask the reviewer to look again."
        ask = (reviewer,) if reviewer else owners
    elif state is ReviewState.OVERDUE:
        text = f"Review overdue since {expires}: the page may be out of date."
        ask = tuple(dict.fromkeys((*owners, *((reviewer,) if reviewer else ()))))
    else:
        text = (f"Changed since its review ({review.changed_by}, {review.changed_on.isoformat() if review.changed_on else ''}): "
                "the verification has lapsed until someone reviews it again.")
        ask = tuple(dict.fromkeys((*((reviewer,) if reviewer else ()), *owners)))
    return ReviewNote(state.value, _STATE_LABELS[state], text, ask)


_STATE_LABELS = {
    ReviewState.UNREVIEWED: "Not reviewed",
    ReviewState.FRESH: "Review current",
    ReviewState.DUE_SOON: "Review due soon",
    ReviewState.OVERDUE: "Review overdue",
    ReviewState.CHANGED: "Changed since review",
}


def changes_days(view: ViewContext) -> tuple[ChangeDay, ...]:
    """The latest changes to published pages, grouped by day, newest first."""
    entries = recent_entries(view.kb.history, list(view.kb.articles), CHANGES_SHOWN)
    days = []
    for date, group in groupby(entries, key=lambda entry: entry.change.date):
        items = tuple(
            ChangeItem(view.kb.articles[e.path].title, view.url(e.path), view.author_link(e.change),
                       shown_text(e.change.subject), e.created)
            for e in group
        )
        days.append(ChangeDay(date.isoformat(), items))
    return tuple(days)


def insights_page(view: ViewContext, insights: Insights) -> InsightsPage:
    """The top of each section; the rest are on the further pages of its listing."""
    listings = view.listings
    sections = {name: insights_section(view, insights, name, SHOWN) for name in INSIGHTS_SECTIONS}
    totals = insights_totals(insights)
    more = {name: found for name in INSIGHTS_SECTIONS if (found := listings.more(f"insights:{name}")) is not None}
    return InsightsPage(
        today=insights.today.isoformat() if insights.today else "",
        reviews_due=sections["reviews-due"],
        reviews_due_soon=sections["reviews-soon"],
        never_reviewed=sections["never-reviewed"],
        orphans=sections["orphans"],
        wanted=sections["wanted"],
        unvetted_topics=sections["unvetted-topics"],
        single_expert_topics=sections["single-expert"],
        open_questions=sections["open-questions"],
        chart=activity_chart(insights.activity),
        top_contributors=tuple((_contributor(view, key), count) for key, count in insights.top_contributors),
        totals=totals,
        more=more,
    )


def insights_section(view: ViewContext, insights: Insights, name: str, limit: int | None = None) -> tuple[Any, ...]:
    """The entries of one section of the insights page (its first `limit`), as the theme shows them."""
    kb = view.kb

    def review_item(path: str) -> ReviewItem:
        article = kb.articles[path]
        return ReviewItem(view.article_item(article), review_note(view, article, kb.reviews[path]))

    def aged(paths: tuple[str, ...]) -> tuple[ArticleItem, ...]:
        return tuple(view.article_item(kb.articles[path]) for path in paths[:limit])

    def wanted(name: str, count: int) -> WantedItem:
        sources = sorted({edge.source for edge in kb.links.wanted[name]})
        pages = [page for page in map(kb.page, sources) if page]
        links = tuple(Link(page.title, view.url(page.path)) for page in pages[:WANTED_LINKS_SHOWN])
        return WantedItem(name, count, links, view.start_page(name), len(pages) - len(links))

    if name == "reviews-due":
        return tuple(review_item(path) for path in list(insights.reviews_due)[:limit])
    if name == "reviews-soon":
        return tuple(review_item(path) for path in list(insights.reviews_due_soon)[:limit])
    if name == "never-reviewed":
        return aged(insights.never_reviewed)
    if name == "orphans":
        return aged(insights.orphans)
    if name == "open-questions":
        return aged(insights.open_questions)
    if name == "wanted":
        return tuple(wanted(name, count) for name, count in insights.wanted[:limit])
    if name == "unvetted-topics":
        return tuple((view.topic_link(slug), len(kb.topics[slug].articles)) for slug in insights.unvetted_topics[:limit])
    if name == "single-expert":
        return tuple((view.topic_link(slug), _contributor(view, person))
                     for slug, person in insights.single_expert_topics[:limit])
    raise KeyError(name)


def _contributor(view: ViewContext, key: str) -> Link:
    return view.expert_link(key) or Link(key, "")
