"""What trainers and moderators need to see: what to vet, what is missing, what rests on one
person, and how the wiki is growing. Every list is derived from the KnowledgeBase once.

"Now" is the date of the newest commit, never the wall clock.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kb.identities import shown_name
from kb.model import PageType
from kb.review import Review, ReviewState, today

if TYPE_CHECKING:  # the knowledge base builds its insights; this module only reads it
    from kb.knowledge import KnowledgeBase

#: How many contributors "top contributors this quarter" lists.
TOP_CONTRIBUTORS = 10
QUARTER_DAYS = 91


@dataclass(frozen=True)
class MonthActivity:
    month: str  # YYYY-MM
    created: int
    edits: int


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


def build_insights(kb: KnowledgeBase) -> Insights:
    now = today(kb)
    reviews = kb.reviews

    def first_commit(path: str) -> tuple[int, str]:
        changes = kb.changes(path)
        return (changes[-1].timestamp if changes else 2**63, path)

    overdue_order = {ReviewState.CHANGED: 0, ReviewState.OVERDUE: 1}
    due = {p: r for p, r in reviews.items() if r.state in overdue_order}
    never = sorted((p for p, r in reviews.items() if r.state is ReviewState.UNREVIEWED), key=first_commit)
    questions = sorted(
        (p for p, a in kb.articles.items() if a.type is PageType.QUESTION and not a.answered), key=first_commit)
    return Insights(
        today=now,
        reviews_due=dict(sorted(due.items(), key=lambda item: (item[1].expires_on or dt.date.min, item[0]))),
        reviews_due_soon={p: r for p, r in sorted(reviews.items()) if r.state is ReviewState.DUE_SOON},
        never_reviewed=tuple(never),
        orphans=kb.links.orphans,
        wanted=tuple(sorted(((name, len(edges)) for name, edges in kb.links.wanted.items()), key=lambda w: (-w[1], w[0]))),
        unvetted_topics=tuple(
            slug for slug, topic in kb.topics.items()
            if topic.articles and not any(kb.articles[p].status.is_vetted for p in topic.articles)
        ),
        single_expert_topics=tuple(
            (slug, experts[0][0]) for slug in kb.topics if len(experts := kb.expertise.experts(slug)) == 1
        ),
        open_questions=tuple(questions),
        activity=_activity(kb),
        top_contributors=_top_contributors(kb, now),
    )


def _activity(kb: KnowledgeBase) -> tuple[MonthActivity, ...]:
    """Pages created and edits made in each month, from the first month with a change to the last."""
    created: Counter[str] = Counter()
    edits: Counter[str] = Counter()
    for path in kb.articles:
        changes = kb.changes(path)
        if changes:
            created[changes[-1].date.strftime("%Y-%m")] += 1
        for change in changes:
            edits[change.date.strftime("%Y-%m")] += 1
    if not edits:
        return ()
    months = []
    year, month = map(int, min(edits).split("-"))
    last = max(edits)
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        months.append(MonthActivity(key, created[key], edits[key]))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(months)


def _top_contributors(kb: KnowledgeBase, now: dt.date | None) -> tuple[tuple[str, int], ...]:
    if now is None:
        return ()
    since = now - dt.timedelta(days=QUARTER_DAYS)
    counts: Counter[str] = Counter()
    for path in kb.articles:
        for change in kb.changes(path):
            if change.date <= since:
                break
            counts[kb.identities.author_of(change.author, change.email) or shown_name(change.author)] += 1
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TOP_CONTRIBUTORS])
