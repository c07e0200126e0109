"""Views of trust and activity: each article's review state, and recent changes."""

from __future__ import annotations

from itertools import groupby

from kb.analyse.identities import shown_text
from kb.analyse.review import Review, ReviewState
from kb.model import Article
from kb.read.history import recent_entries
from kb.views.context import ViewContext
from kb.views.records import ChangeDay, ChangeItem, ReviewNote

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
