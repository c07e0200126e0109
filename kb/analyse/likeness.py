"""Git names that are likely one person: suggestions for a profile's `names`, never a merge.

kb treats each git name as its own person until a profile claims several (kb.analyse.identities). A
person who committed as `kepano`, `Steph Ango` and `Stephan Ango` is three people then; this
module finds such names from what git shows of them:

- **one email address** used by two names;
- a **handle**: a name that is the local part of an address another name used (`kepano` and
  `kepano@…`), punctuation and case aside;
- **similar names**: the same last name and each other word the start of the other's
  (`Steph Ango`, `Stephan Ango`), or names that differ by a letter or two.

The addresses themselves are only compared here, never returned.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from kb.analyse.identities import local_part, looks_like_email, name_key, shown_name
from kb.analyse.topics import slugify
from kb.model import Person

#: Handles and names shorter than this match too much by chance.
MIN_HANDLE = 3
#: How alike two names written without spaces must be (difflib's ratio) when their words are not.
SIMILAR = 0.9


@dataclass(frozen=True)
class Likely:
    """Names that are probably one person, with why, and the profile that should claim them."""

    #: The git names, most changes first, with their changes.
    names: tuple[tuple[str, int], ...]
    #: "kepano and Steph Ango used one email address", one line per link found.
    reasons: tuple[str, ...]
    #: The profile that claims some of them already (its content path), or the one to write.
    profile: str
    #: Whether that profile exists.
    exists: bool


@dataclass
class _Node:
    key: str
    #: Every spelling, with the changes made under it.
    names: Counter[str]
    emails: set[str]
    #: The profile's content path, for a profile.
    profile: str | None = None

    @property
    def label(self) -> str:
        return shown_name(min(self.names, key=lambda n: (-self.names[n], n))) if self.names else self.key


def find_likely(authors: Iterable[tuple[str, str]], people: Iterable[Person], claimed: Iterable[tuple[str, str]] = (),
                people_dir: str = "people") -> tuple[Likely, ...]:
    """Groups of names that are likely one person, most changes first. `authors` holds the
    (name, email) of every change by someone without a profile, `claimed` the (person id, email)
    of every change by someone with one; `people` are the profiles, whose names and emails link
    them to the rest."""
    nodes: dict[str, _Node] = {}
    for name, email in authors:
        node = nodes.setdefault(name_key(name), _Node(name_key(name), Counter(), set()))
        node.names[name] += 1
        node.emails.add(email.strip().casefold())
    profiles = sorted(people, key=lambda p: p.id)
    for person in profiles:
        node = _Node(f"/{person.id}", Counter(), {email.strip().casefold() for email in person.emails}, person.path)
        for name in (person.name, *person.names):
            node.names[name] += 0
        nodes[node.key] = node
    for person_id, email in claimed:
        # A profile's own commits show the addresses it goes by.
        if f"/{person_id}" in nodes:
            nodes[f"/{person_id}"].emails.add(email.strip().casefold())
    links = _links(nodes)
    return _groups(nodes, links, people_dir)


def _links(nodes: dict[str, _Node]) -> dict[tuple[str, str], str]:
    """Why two nodes are alike, in words, for each alike pair (the first reason found)."""
    keys = sorted(nodes)
    found: dict[tuple[str, str], str] = {}
    by_email: dict[str, list[str]] = defaultdict(list)
    by_local: dict[str, set[str]] = defaultdict(set)
    for key in keys:
        for email in sorted(nodes[key].emails):
            if email:
                by_email[email].append(key)
                local = _compact(local_part(email))
                if len(local) >= MIN_HANDLE:
                    by_local[local].add(key)
    for sharing in by_email.values():
        for one in sharing:
            for other in sharing:
                if one < other:
                    found.setdefault((one, other), f"{nodes[one].label} and {nodes[other].label} used one email address")
    spoken = {key: sorted(n for n in nodes[key].names if not looks_like_email(n)) for key in keys}
    compact = {key: {_compact(n) for n in spoken[key]} for key in keys}
    for key in keys:
        for handle in sorted(compact[key]):
            for other in sorted(by_local.get(handle, ())):
                if other != key:
                    pair = (min(key, other), max(key, other))
                    found.setdefault(pair, f"{nodes[key].label} is the name in an email address of {nodes[other].label}")
    for index, one in enumerate(keys):
        for other in keys[index + 1 :]:
            if (one, other) in found or (one.startswith("/") and other.startswith("/")):
                continue
            if any(_similar(a, b) for a in spoken[one] for b in spoken[other]):
                found[(one, other)] = f"{nodes[one].label} and {nodes[other].label} are similar names"
    # Two profiles are two people the wiki already tells apart.
    return {pair: why for pair, why in found.items() if not (pair[0].startswith("/") and pair[1].startswith("/"))}


def _groups(nodes: dict[str, _Node], links: dict[tuple[str, str], str], people_dir: str) -> tuple[Likely, ...]:
    parent = {key: key for key in nodes}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for one, other in sorted(links):
        parent[max(root(one), root(other))] = min(root(one), root(other))
    members: dict[str, list[str]] = defaultdict(list)
    for key in sorted(nodes):
        members[root(key)].append(key)
    groups = []
    for keys in members.values():
        if len(keys) < 2:
            continue
        authors = [nodes[key] for key in keys if not key.startswith("/")]
        claimed = [nodes[key] for key in keys if key.startswith("/")]
        names = tuple(sorted(((node.label, sum(node.names.values())) for node in authors),
                             key=lambda item: (-item[1], item[0].casefold())))
        reasons = tuple(why for (a, b), why in sorted(links.items()) if a in keys and b in keys)
        if claimed:
            profile, exists = claimed[0].profile or "", True
        else:
            # A full name (with a space) names a profile better than a handle does.
            best = min(names, key=lambda item: (" " not in item[0], -item[1], item[0].casefold()))[0]
            profile, exists = f"{people_dir}/{slugify(best)}.md", False
        groups.append(Likely(names, reasons, profile, exists))
    return tuple(sorted(groups, key=lambda g: (-sum(count for _, count in g.names), g.names)))


def _compact(text: str) -> str:
    """Letters and digits only, case-folded: `Steph.Ango`, `steph-ango` and `Steph Ango` agree."""
    return re.sub(r"[\W_]+", "", name_key(text))


def _similar(one: str, other: str) -> bool:
    a, b = _words(one), _words(other)
    if a == b:
        return True
    if len(a) >= 2 and len(a) == len(b) and a[-1] == b[-1]:
        # "Steph Ango" and "Stephan Ango", "J. Roe" and "Jane Roe": a first name cut short.
        if all(x.startswith(y) or y.startswith(x) for x, y in zip(a[:-1], b[:-1], strict=True)):
            return True
    joined_a, joined_b = "".join(a), "".join(b)
    if min(len(joined_a), len(joined_b)) < 6:
        return False
    matcher = difflib.SequenceMatcher(None, joined_a, joined_b)
    # The cheap upper bounds first: most pairs of names are nothing alike.
    return matcher.real_quick_ratio() >= SIMILAR and matcher.quick_ratio() >= SIMILAR and matcher.ratio() >= SIMILAR


def _words(name: str) -> list[str]:
    return [word for word in re.split(r"[\W_]+", name_key(name)) if word]
