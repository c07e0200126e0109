"""Who a git author is: the people registry claims git emails and names (`emails`, `names` in a
profile) and `.mailmap` has already merged an author's spellings, so one lookup answers.

An author whom no profile claims is an *unclaimed* person: one per name (case and spacing
aside), with an id that no profile can have, so that their work counts as evidence like
anyone's and the site can list them until they write their profile. Two names are never
merged here, however alike: `kb adopt` suggests it (kb.analyse.likeness), a profile's `names` does it.

Emails are only ever used to match; the site shows a person's name and links to their profile.
A git name that is itself an email address is shown as its local part (shown_name).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from kb.analyse.topics import slugify
from kb.model import Person

#: The start of an unclaimed person's id. A profile's id is its file name, which never holds
#: a "/", so the two can never be confused.
UNCLAIMED_PREFIX = "git/"

#: An address, with or without a dot in its domain (`jdoe@corp` is one on an intranet), with a
#: quoted local part (`"john q"@corp`), an address literal (`jane@[10.0.0.1]`) or a full-width `＠`.
_EMAIL = re.compile(r"(\"[^\"\n]*\"|[\w.!#$%&'*+/=?^`{|}~-]+)[@\uff20\ufe6b](?:\[[^\]\n]*\]|[\w-]+(?:\.[\w-]+)*)")


def name_key(name: str) -> str:
    """What two spellings of one name share: NFC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def local_part(email: str) -> str:
    """The part of an address before the "@", without a "+tag"; GitHub's private addresses
    (`12345+login@users.noreply.github.com`) give the login."""
    local = re.split("[@\uff20\ufe6b]", email)[0].strip('"')
    numbered = re.fullmatch(r"\d+\+(.+)", local)
    return numbered.group(1) if numbered else local.split("+", 1)[0]


def shown_text(text: str) -> str:
    """A commit's subject as the site may show it: each email address in it becomes its local part."""
    return _EMAIL.sub(lambda found: local_part(found.group()), text)


def shown_name(name: str) -> str:
    """A git author's name as the site may show it: an email address in it (some set their
    name to one) becomes its local part, so that no address reaches the site."""
    shown = _EMAIL.sub(lambda found: local_part(found.group()), name).strip()
    return shown or "unknown author"


def looks_like_email(text: str) -> bool:
    return _EMAIL.search(text) is not None


@dataclass(frozen=True)
class Unclaimed:
    """A git author whom no profile claims, as the site shows them: a name and nothing private."""

    id: str
    #: The spelling of their name they used most.
    name: str
    #: Every spelling of the name they committed with that is not an email address, for the
    #: `names` of the profile that claims them.
    names: tuple[str, ...]
    #: Their changes to published pages.
    changes: int


class Identities:
    def __init__(self, people: Iterable[Person], authors: Iterable[tuple[str, str]] = ()) -> None:
        """`authors` holds the (name, email) of every change to a published page; those that no
        profile claims become unclaimed people."""
        self.by_email: dict[str, str] = {}
        self.by_name: dict[str, str] = {}
        for person in sorted(people, key=lambda p: p.id):
            for email in person.emails:
                self.by_email.setdefault(email.strip().casefold(), person.id)
            for name in (person.name, *person.names):
                self.by_name.setdefault(name_key(name), person.id)
        spellings: dict[str, Counter[str]] = defaultdict(Counter)
        for name, email in authors:
            if self.person_of(name, email) is None:
                spellings[name_key(name)][name] += 1
        self.unclaimed, self._unclaimed_ids = _unclaimed(spellings)

    def person_of(self, name: str, email: str) -> str | None:
        """The person id of a git author, by email first, then by name."""
        return self.by_email.get(email.strip().casefold()) or self.by_name.get(name_key(name))

    def author_of(self, name: str, email: str) -> str | None:
        """The person id of a git author, or the id of the unclaimed person they are; None for
        an author of no published page."""
        return self.person_of(name, email) or self._unclaimed_ids.get(name_key(name))


def is_unclaimed(person_id: str) -> bool:
    return person_id.startswith(UNCLAIMED_PREFIX)


def _unclaimed(spellings: dict[str, Counter[str]]) -> tuple[dict[str, Unclaimed], dict[str, str]]:
    """One unclaimed person per name key, and the id of each key. Ids are handed out in the
    order of the keys, so that a new author never renames an existing one."""
    found: dict[str, Unclaimed] = {}
    ids: dict[str, str] = {}
    used: set[str] = set()
    for key in sorted(spellings):
        counts = spellings[key]
        name = min(counts, key=lambda spelled: (-counts[spelled], spelled))
        slug = slugify(shown_name(name))
        if slug in used:
            slug = f"{slug}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:6]}"
        used.add(slug)
        ids[key] = person_id = UNCLAIMED_PREFIX + slug
        names = tuple(sorted(spelled for spelled in counts if not looks_like_email(spelled)))
        found[person_id] = Unclaimed(person_id, shown_name(name), names, sum(counts.values()))
    return found, ids
