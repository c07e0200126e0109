"""Views of trust and activity: each article's review state, recent changes, and insights."""

from __future__ import annotations

from itertools import groupby

from kb.analyse.identities import shown_text
from kb.analyse.insights import Insights
from kb.analyse.review import Review, ReviewState
from kb.model import Article
from kb.read.history import recent_entries
from kb.views.chart import activity_chart
from kb.views.context import ViewContext
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
    kb = view.kb

    def review_item(path: str) -> ReviewItem:
        article = kb.articles[path]
        return ReviewItem(view.article_item(article), review_note(view, article, kb.reviews[path]))

    def aged(paths: tuple[str, ...]) -> tuple[ArticleItem, ...]:
        return tuple(view.article_item(kb.articles[path]) for path in paths)

    def contributor(key: str) -> Link:
        return view.expert_link(key) or Link(key, "")

    return InsightsPage(
        today=insights.today.isoformat() if insights.today else "",
        reviews_due=tuple(review_item(path) for path in insights.reviews_due),
        reviews_due_soon=tuple(review_item(path) for path in insights.reviews_due_soon),
        never_reviewed=aged(insights.never_reviewed),
        orphans=aged(insights.orphans),
        wanted=tuple(
            WantedItem(name, count, tuple(
                Link(page.title, view.url(page.path))
                for page in map(kb.page, sorted({edge.source for edge in kb.links.wanted[name]})) if page
            ), view.start_page(name))
            for name, count in insights.wanted
        ),
        unvetted_topics=tuple((view.topic_link(slug), len(kb.topics[slug].articles)) for slug in insights.unvetted_topics),
        single_expert_topics=tuple(
            (view.topic_link(slug), contributor(person)) for slug, person in insights.single_expert_topics
        ),
        open_questions=aged(insights.open_questions),
        chart=activity_chart(insights.activity),
        top_contributors=tuple((contributor(key), count) for key, count in insights.top_contributors),
    )
