"""Who knows what, from evidence a reader can check.

For each person and topic kb counts what they did on the topic's pages:

- pages they **own** (3 points each: accountability is the strongest signal),
- pages they **reviewed** (2 points each: vetting takes knowing),
- questions they **answered** (`answered_by`, 2 points each),
- moderating the topic (3 points),
- their **edits** (commits), each worth 1 + log10(1 + lines changed) and halved for every
  half-life of age (one year unless the site says otherwise), so that recent, substantial work
  counts most and a typo fix counts least.

The score only orders people; the site always shows the evidence behind it, in words.
Ages are measured from the date of the newest commit, never from the wall clock, so two
builds of one commit agree.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from dataclasses import dataclass, field

from kb.analyse.facts import Facts
from kb.model import PageType

OWNED, REVIEWED, ANSWERED, MODERATES = 3.0, 2.0, 2.0, 3.0
YEAR = 365 * 24 * 3600


@dataclass
class Evidence:
    owned: int = 0
    reviewed: int = 0
    answered: int = 0
    moderates: bool = False
    #: Commits to the topic's pages in the year before the newest commit.
    edits_this_year: int = 0
    edits: int = 0
    #: The edits' points after decay by age.
    edit_points: float = 0.0

    @property
    def score(self) -> float:
        return (OWNED * self.owned + REVIEWED * self.reviewed + ANSWERED * self.answered
                + MODERATES * self.moderates + self.edit_points)

    def describe(self) -> str:
        """ "owns 3 pages, reviewed 2, 14 edits this year" """
        parts = []
        if self.moderates:
            parts.append("moderates the topic")
        if self.owned:
            parts.append(f"owns {_count(self.owned, 'page')}")
        if self.reviewed:
            parts.append(f"reviewed {self.reviewed}")
        if self.answered:
            parts.append(f"answered {_count(self.answered, 'question')}")
        if self.edits_this_year:
            parts.append(f"{_count(self.edits_this_year, 'edit')} this year")
        elif self.edits:
            parts.append(f"{_count(self.edits, 'earlier edit')}")
        return ", ".join(parts)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


@dataclass
class Expertise:
    #: Evidence by topic slug, then person id (a profile's, or an unclaimed person's: kb.analyse.identities).
    by_topic: dict[str, dict[str, Evidence]] = field(default_factory=dict)
    #: Commits by authors without a profile: name → number of commits, for `kb check --people`.
    unknown_authors: dict[str, int] = field(default_factory=dict)

    def experts(self, topic: str, limit: int | None = None) -> list[tuple[str, Evidence]]:
        """People who know about a topic, best evidence first."""
        ranked = self._ranked_people.get(topic, [])
        return ranked[:limit] if limit else ranked

    def topics_of(self, person: str) -> list[tuple[str, Evidence]]:
        """A person's topics, best evidence first."""
        return self._ranked_topics.get(person, [])

    @functools.cached_property
    def _ranked_people(self) -> dict[str, list[tuple[str, Evidence]]]:
        return {
            topic: sorted(people.items(), key=lambda item: (-item[1].score, item[0]))
            for topic, people in self.by_topic.items()
        }

    @functools.cached_property
    def _ranked_topics(self) -> dict[str, list[tuple[str, Evidence]]]:
        found: dict[str, list[tuple[str, Evidence]]] = defaultdict(list)
        for topic, people in self.by_topic.items():
            for person, evidence in people.items():
                found[person].append((topic, evidence))
        return {person: sorted(topics, key=lambda item: (-item[1].score, item[0])) for person, topics in found.items()}


def build_expertise(facts: Facts, half_life_days: int = 365) -> Expertise:
    evidence: dict[str, dict[str, Evidence]] = defaultdict(lambda: defaultdict(Evidence))
    unknown: dict[str, int] = defaultdict(int)
    now = facts.history.head_time or 0
    half_life = half_life_days * 24 * 3600
    for path, article in facts.articles.items():
        topics = facts.article_topics.get(path, ())
        changes = facts.changes(path)
        for topic in topics:
            for owner in article.owners:
                if owner in facts.people:
                    evidence[topic][owner].owned += 1
            if article.reviewed_by in facts.people:
                evidence[topic][article.reviewed_by].reviewed += 1
            if article.type is PageType.QUESTION:
                for person in article.answered_by:
                    if person in facts.people:
                        evidence[topic][person].answered += 1
        for change in changes:
            if facts.identities.person_of(change.author, change.email) is None:
                unknown[change.author] += 1
            # An author without a profile gathers evidence all the same, as an unclaimed person.
            person = facts.identities.author_of(change.author, change.email)
            if person is None:
                continue
            age = max(0, now - change.timestamp)
            points = (1 + math.log10(1 + change.added + change.deleted)) * 0.5 ** (age / half_life)
            for topic in topics:
                found = evidence[topic][person]
                found.edits += 1
                found.edits_this_year += age <= YEAR
                found.edit_points += points
    for slug, topic in facts.topics.items():
        if topic.description:
            for moderator in topic.description.moderators:
                if moderator in facts.people:
                    evidence[slug][moderator].moderates = True
    return Expertise(
        {topic: dict(sorted(people.items())) for topic, people in sorted(evidence.items())},
        dict(sorted(unknown.items())),
    )
