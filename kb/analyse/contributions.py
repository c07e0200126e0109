"""Who changed the published pages, and when, as the history tells it: the people behind git's
authors (kb.analyse.identities), the pages created and edits made each month, the quarter's top
contributors, and each person's changes newest first.

All of it is a function of the history, the published articles' paths and the people's
profiles, and nothing else of a page: a preview server derives the wiki again after every save
(kb.analyse.knowledge.derive with `earlier`), and while a save commits nothing, adds, removes
or renames no page and changes no profile, it keeps this instead of going over the whole
history again.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kb.analyse.identities import Identities, shown_name
from kb.model import Person
from kb.read.history import Change, History

#: How many contributors "top contributors this quarter" lists.
TOP_CONTRIBUTORS = 10
QUARTER_DAYS = 91


@dataclass(frozen=True)
class MonthActivity:
    month: str  # YYYY-MM
    created: int
    edits: int


class Contributions:
    def __init__(self, history: History, article_paths: Iterable[str], people: Mapping[str, Person]) -> None:
        self.history = history
        self._paths = frozenset(article_paths)
        self._people = dict(people)
        #: Everyone who changed a published page: those without a profile are its unclaimed people.
        self.identities = Identities(self._people.values(), (
            (change.author, change.email) for path in sorted(self._paths) for change in self.changes(path)))

    def holds_for(self, history: History, article_paths: Iterable[str], people: Mapping[str, Person]) -> bool:
        """Whether these are the contributions to a wiki of this history, pages and people too."""
        return history is self.history and people == self._people and self._paths == frozenset(article_paths)

    def changes(self, path: str) -> tuple[Change, ...]:
        return self.history.changes(path)

    @functools.cached_property
    def activity(self) -> tuple[MonthActivity, ...]:
        """Pages created and edits made in each month, from the first month with a change to the last."""
        created: Counter[str] = Counter()
        edits: Counter[str] = Counter()
        for path in self._paths:
            changes = self.changes(path)
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

    @functools.cached_property
    def top_contributors(self) -> tuple[tuple[str, int], ...]:
        """People (a profile's or an unclaimed person's id) by changes in the quarter before the
        last commit, most first."""
        now = self.history.head_date
        if now is None:
            return ()
        since = now - dt.timedelta(days=QUARTER_DAYS)
        counts: Counter[str] = Counter()
        for path in self._paths:
            for change in self.changes(path):
                if change.date <= since:
                    break
                counts[self.identities.author_of(change.author, change.email) or shown_name(change.author)] += 1
        return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TOP_CONTRIBUTORS])

    @functools.cached_property
    def by_person(self) -> dict[str, list[tuple[Change, str]]]:
        """Every article change by each person with a profile, newest first (then by path)."""
        found: dict[str, list[tuple[Change, str]]] = {}
        for path in sorted(self._paths):
            for change in self.changes(path):
                person = self.identities.person_of(change.author, change.email)
                if person:
                    found.setdefault(person, []).append((change, path))
        for changes in found.values():
            changes.sort(key=lambda item: (item[0].timestamp, item[1]), reverse=True)
        return found


__all__ = ["Contributions", "MonthActivity", "QUARTER_DAYS", "TOP_CONTRIBUTORS"]
