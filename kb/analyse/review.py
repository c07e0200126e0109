"""Whether a page's review still holds.

A verified or best-practice page was vetted by `reviewed_by` on `reviewed_on`; the review holds
for `review_every` (or the site's default). "Today" is the date of the newest commit, not the
wall clock, so two builds of one commit agree and a page does not expire between them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from kb.analyse.facts import Facts
from kb.analyse.identities import shown_name
from kb.diagnostics import Diagnostic, Severity
from kb.model import Article

DUE_SOON_DAYS = 30


class ReviewState(StrEnum):
    UNREVIEWED = "unreviewed"  # published, never vetted
    FRESH = "fresh"
    DUE_SOON = "due-soon"
    OVERDUE = "overdue"
    CHANGED = "changed"  # edited since the review by someone other than the reviewer

    @property
    def needs_review(self) -> bool:
        return self in (ReviewState.UNREVIEWED, ReviewState.OVERDUE, ReviewState.CHANGED)


@dataclass(frozen=True)
class Review:
    state: ReviewState
    #: The day the review stops holding, for vetted pages.
    expires_on: dt.date | None = None
    #: For CHANGED: who changed the page after its review, and when.
    changed_by: str | None = None
    changed_on: dt.date | None = None


def review_of(article: Article, facts: Facts) -> Review:
    if not article.status.is_vetted or not article.reviewed_on:
        return Review(ReviewState.UNREVIEWED)
    now = facts.today
    if now is not None and article.reviewed_on > now:
        # A review after the newest commit has not happened yet: it vouches for nothing, and it
        # would hide every later edit from the check below (kb.analyse.knowledge reports it).
        return Review(ReviewState.UNREVIEWED)
    expires = article.reviewed_on + dt.timedelta(days=article.review_every_days or facts.review_every_days)
    reviewer = article.reviewed_by
    # Newest first; the commit that added the page never lapses its review: a page reviewed
    # before it came into this repository arrives with its review.
    for change in facts.changes(article.path)[:-1]:
        if change.date <= article.reviewed_on:
            break
        if facts.identities.person_of(change.author, change.email) != reviewer:
            return Review(ReviewState.CHANGED, expires, shown_name(change.author), change.date)
    if now is None:
        return Review(ReviewState.FRESH, expires)
    if now >= expires:
        return Review(ReviewState.OVERDUE, expires)
    if (expires - now).days <= DUE_SOON_DAYS:
        return Review(ReviewState.DUE_SOON, expires)
    return Review(ReviewState.FRESH, expires)


def future_reviews(facts: Facts) -> list[Diagnostic]:
    """Vetted pages whose `reviewed_on` is after the newest commit: a date typed wrong, or one
    written to keep a page's review from ever lapsing."""
    now = facts.today
    if now is None:
        return []
    return [Diagnostic(article.display, article.meta_line("reviewed_on"), 1, Severity.ERROR, "review.future",
                       f"'reviewed_on' is {article.reviewed_on.isoformat()}, after the newest commit "
                       f"({now.isoformat()}): a review cannot come later than the page's last change; the page "
                       "counts as not reviewed until the date is right")
            for article in facts.articles.values()
            if article.status.is_vetted and article.reviewed_on and article.reviewed_on > now]
