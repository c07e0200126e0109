"""The cards search shows above its results: a topic with its vetted pages and the people to ask,
and a person with what they know.

A reader who types a topic's name wants the topic, its best pages and someone to ask, not a list
of every page that mentions the word. The cards come from one small file, `search/cards.json`,
fetched with the first search: the browser matches the query against each card's keys itself
(theme/assets/kb/search.js), so a card costs no page fetch.

What a card says is what the topic and person pages say: the same vetted pages first, the same
experts with the same line of evidence (kb.views.context).
"""

from __future__ import annotations

import re

from kb.identities import is_unclaimed
from kb.knowledge import KnowledgeBase
from kb.model import Person, Status
from kb.views.context import ViewContext

#: Vetted pages and people a topic card lists, and topics and "ask me about" lines a person card lists.
CARD_PAGES, CARD_PEOPLE, CARD_TOPICS, CARD_ASK = 3, 3, 4, 3
#: The heading of a profile's list of what to ask its person (content/kb/people-and-expertise.md).
_ASK_HEADING = re.compile(r"^#{2,3}\s+ask\s+me\s+about\s*#*\s*$", re.IGNORECASE)
_HEADING = re.compile(r"^#{1,6}\s")
_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)])\s+(.+?)\s*$")
#: Inline Markdown that is not words, in an "ask me about" line.
_MARKUP = re.compile(r"\[\[([^\]|]*\|)?|\]\]|\[([^\]]*)\]\([^)]*\)|[*_`]")


def ask_me_about(person: Person) -> tuple[str, ...]:
    """The items of the profile's "Ask me about" list, as plain text."""
    found: list[str] = []
    inside = False
    for line in person.body.split("\n"):
        if _ASK_HEADING.match(line):
            inside = True
        elif inside and _HEADING.match(line):
            break
        elif inside and (item := _LIST_ITEM.match(line)):
            found.append(_MARKUP.sub(lambda m: m.group(2) or "", item.group(1)).strip())
    return tuple(text for text in found if text)


def search_cards(kb: KnowledgeBase, view: ViewContext) -> dict[str, list[dict[str, object]]]:
    """Every topic and person as a card: `k` are the texts a query is matched against (name first),
    the rest is what the card shows. Sorted, so that the file is the same every build."""
    topics = []
    for slug in sorted(kb.topics):
        topic = kb.topics[slug]
        description = topic.description
        keys = [topic.name, *(description.aliases if description else ()), slug.replace("-", " ")]
        parent = kb.topics.get(topic.parent or "")
        if parent is not None:
            keys.append(parent.name)
        vetted = [item for item in view.sorted_items(topic.articles) if item.status in _VETTED][:CARD_PAGES]
        topics.append({
            "n": topic.name,
            "u": view.url(view.topic_paths[slug]),
            "s": description.summary if description else "",
            "k": list(dict.fromkeys(keys)),
            "c": len(topic.articles),
            "p": [[item.title, item.url, item.status] for item in vetted],
            "e": [[expert.person.title, expert.person.url, expert.evidence] for expert in view.experts(slug, CARD_PEOPLE)],
        })
    people = []
    for person in sorted(kb.people.values(), key=lambda p: (p.name.casefold(), p.id)):
        people.append(_person(kb, view, person.id, person.name, view.url(person.path),
                              " · ".join(part for part in (person.role, person.team) if part), ask_me_about(person)))
    for unclaimed in sorted(kb.identities.unclaimed.values(), key=lambda p: (p.name.casefold(), p.id)):
        link = view.expert_link(unclaimed.id)
        if link is not None and kb.expertise.topics_of(unclaimed.id):
            people.append(_person(kb, view, unclaimed.id, unclaimed.name, link.url, "no profile yet", ()))
    return {"topics": topics, "people": people}


_VETTED = frozenset({Status.BEST_PRACTICE.value, Status.VERIFIED.value})


def _person(kb: KnowledgeBase, view: ViewContext, person_id: str, name: str, url: str, role: str,
            asks: tuple[str, ...]) -> dict[str, object]:
    known = kb.expertise.topics_of(person_id)
    return {
        "n": name,
        "u": url,
        "r": role,
        # Their name, then what they say to ask them about: a query matching either finds them.
        "k": [name, *asks],
        "a": list(asks[:CARD_ASK]),
        "t": [[view.topic_link(topic).title, view.topic_link(topic).url, evidence.describe()]
              for topic, evidence in known[:CARD_TOPICS]],
        **({"x": 1} if is_unclaimed(person_id) else {}),
    }
