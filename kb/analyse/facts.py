"""What the derived stages (review, expertise, insights) read: the published pages and what the
analysis found about them, and nothing derived from those.

The knowledge base hands each derived stage this narrow, frozen value instead of itself, so the
stages depend on facts that are complete before they run, and never on the order in which the
knowledge base is put together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from kb.analyse.identities import Identities
from kb.analyse.links import LinkGraph
from kb.model import Article, Topic
from kb.read.history import Change, History


@dataclass(frozen=True)
class Facts:
    #: Published articles by content path.
    articles: Mapping[str, Article]
    #: Ids of the people with a published profile.
    people: frozenset[str]
    topics: Mapping[str, Topic]
    #: Canonical topic slugs of each published article.
    article_topics: Mapping[str, tuple[str, ...]]
    links: LinkGraph
    history: History
    identities: Identities
    #: How long a review holds when a page does not say, in days (the site's `review_every`).
    review_every_days: int

    @property
    def today(self) -> dt.date | None:
        """The day of the newest commit, never the wall clock: two builds of one commit agree."""
        return self.history.head_date

    def changes(self, path: str) -> tuple[Change, ...]:
        """Every change to a page, newest first; empty when history is unknown or uncommitted."""
        return self.history.changes(path)
