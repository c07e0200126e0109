"""What trainers and moderators need to see: what to vet, what is missing, what rests on one
person, and how the wiki is growing. Every list is derived from the KnowledgeBase once.

Each list is declared once, in INSIGHTS_LISTS: the insights page shows its top under its title,
its further pages (insights/<name>/) the rest, insights.json holds it whole, and `kb report`
prints it as a table, all by following the declaration. How each kind of entry is shown is
kb.views.insights' ENTRY_KINDS, and the theme's `entry` macro.

"Now" is the date of the newest commit, never the wall clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from kb.analyse.contributions import Contributions, MonthActivity
from kb.analyse.expertise import Expertise
from kb.analyse.facts import Facts
from kb.analyse.review import Review, ReviewState
from kb.model import PageType


@dataclass
class Insights:
    today: dt.date | None = None
    #: Vetted pages whose review ran out or lapsed with a later edit, by path.
    reviews_due: dict[str, Review] = field(default_factory=dict)
    #: Vetted pages whose review runs out within a month.
    reviews_due_soon: dict[str, Review] = field(default_factory=dict)
    #: Published pages nobody has vetted, oldest first (by their first commit).
    never_reviewed: tuple[str, ...] = ()
    orphans: tuple[str, ...] = ()
    #: Wanted page names with how many pages want them, most wanted first.
    wanted: tuple[tuple[str, int], ...] = ()
    #: Topics with pages but no verified or best-practice page.
    unvetted_topics: tuple[str, ...] = ()
    #: Topics whose expertise rests on one person: (topic, person id).
    single_expert_topics: tuple[tuple[str, str], ...] = ()
    #: Open questions, oldest first.
    open_questions: tuple[str, ...] = ()
    activity: tuple[MonthActivity, ...] = ()
    #: People (a profile's or an unclaimed person's id) by changes in the last quarter.
    top_contributors: tuple[tuple[str, int], ...] = ()


#: What an entry of a list is, and so how every output shows it: "article", a page's path;
#: "review", a vetted page's path, shown with its review; "topic-count", a topic's slug, shown
#: with how many pages it has; "single-expert", (topic slug, person id); "wanted", (name, links).
EntryKind = Literal["article", "review", "topic-count", "single-expert", "wanted"]


@dataclass(frozen=True)
class InsightsList:
    """One list of the insights page."""

    #: The folder of its further pages, and its heading's anchor (`kb-<name>`).
    name: str
    #: The attribute of Insights that holds it, and its key in insights.json.
    attribute: str
    title: str
    kind: EntryKind
    #: What the page says while the list is empty; "" leaves the list out until it has entries.
    empty: str

    def entries(self, insights: Insights) -> tuple[Any, ...]:
        """Its entries, in order (a list held by path, such as reviews, gives its paths)."""
        return tuple(getattr(insights, self.attribute))


#: The lists, in the order the page and `kb report` show them.
INSIGHTS_LISTS: tuple[InsightsList, ...] = (
    InsightsList("reviews-due", "reviews_due", "Reviews overdue or lapsed", "review",
                 "Every verified page's review holds."),
    InsightsList("reviews-soon", "reviews_due_soon", "Reviews due within a month", "review", ""),
    InsightsList("never-reviewed", "never_reviewed", "Never reviewed, oldest first", "article",
                 "Every page has been reviewed."),
    InsightsList("unvetted-topics", "unvetted_topics", "Topics without a vetted page", "topic-count",
                 "Every topic has a verified or best-practice page."),
    InsightsList("single-expert", "single_expert_topics", "Topics that rest on one person", "single-expert",
                 "Every topic has more than one person who knows it."),
    InsightsList("open-questions", "open_questions", "Open questions, oldest first", "article", "No open questions."),
    InsightsList("wanted", "wanted", "Wanted pages", "wanted", "No page is wanted."),
    InsightsList("orphans", "orphans", "Orphans: pages nothing links to", "article", "Every page is linked from another."),
)


def build_insights(facts: Facts, reviews: Mapping[str, Review], expertise: Expertise,
                   contributions: Contributions) -> Insights:
    now = facts.today

    def first_commit(path: str) -> tuple[int, str]:
        changes = facts.changes(path)
        return (changes[-1].timestamp if changes else 2**63, path)

    overdue_order = {ReviewState.CHANGED: 0, ReviewState.OVERDUE: 1}
    due = {p: r for p, r in reviews.items() if r.state in overdue_order}
    never = sorted((p for p, r in reviews.items() if r.state is ReviewState.UNREVIEWED), key=first_commit)
    questions = sorted(
        (p for p, a in facts.articles.items() if a.type is PageType.QUESTION and not a.answered), key=first_commit)
    return Insights(
        today=now,
        reviews_due=dict(sorted(due.items(), key=lambda item: (item[1].expires_on or dt.date.min, item[0]))),
        reviews_due_soon={p: r for p, r in sorted(reviews.items()) if r.state is ReviewState.DUE_SOON},
        never_reviewed=tuple(never),
        orphans=facts.links.orphans,
        wanted=tuple(sorted(((name, len(edges)) for name, edges in facts.links.wanted.items()), key=lambda w: (-w[1], w[0]))),
        unvetted_topics=tuple(
            slug for slug, topic in facts.topics.items()
            if topic.articles and not any(facts.articles[p].status.is_vetted for p in topic.articles)
        ),
        single_expert_topics=tuple(
            (slug, experts[0][0]) for slug in facts.topics if len(experts := expertise.experts(slug)) == 1
        ),
        open_questions=tuple(questions),
        activity=contributions.activity,
        top_contributors=contributions.top_contributors,
    )
