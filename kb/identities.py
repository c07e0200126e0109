"""Who a git author is: the people registry claims git emails and names (`emails`, `names` in a
profile) and `.mailmap` has already merged an author's spellings, so one lookup answers.

Emails are only ever used to match; the site shows a person's name and links to their profile.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from kb.model import Person


def _name_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


class Identities:
    def __init__(self, people: Iterable[Person]) -> None:
        self.by_email: dict[str, str] = {}
        self.by_name: dict[str, str] = {}
        for person in sorted(people, key=lambda p: p.id):
            for email in person.emails:
                self.by_email.setdefault(email.strip().casefold(), person.id)
            for name in (person.name, *person.names):
                self.by_name.setdefault(_name_key(name), person.id)

    def person_of(self, name: str, email: str) -> str | None:
        """The person id of a git author, by email first, then by name."""
        return self.by_email.get(email.strip().casefold()) or self.by_name.get(_name_key(name))
