"""The cards search shows above its results: a topic with its vetted pages and the people to ask,
and a person with what they know.

A reader who types a topic's name wants the topic, its best pages and someone to ask, not a list
of every page that mentions the word. The cards come in small files, `search/c/<key>.json`, one
for each two first letters of the words of the cards' names and keys: a query fetches the one of
its first word, and the browser matches the query against each card's keys itself
(theme/assets/kb/search.js), so a card costs no page fetch.

What a card says is what the topic and person pages say: the same vetted pages first, the same
experts with the same line of evidence (kb.views.context).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from kb.analyse.identities import is_unclaimed
from kb.analyse.knowledge import KnowledgeBase
from kb.model import Page, Person, Status
from kb.read.body import prose_lines
from kb.read.secrets import WITHHELD_NAME
from kb.views.context import ViewContext

#: Vetted pages and people a topic card lists, and topics a person card lists.
CARD_PAGES, CARD_PEOPLE, CARD_TOPICS = 3, 3, 4
#: The heading of a profile's list of what to ask its person (content/kb/people-and-expertise.md).
_ASK_HEADING = re.compile(r"^#{2,3}\s+ask\s+me\s+about\s*#*\s*$", re.IGNORECASE)
_HEADING = re.compile(r"^#{1,6}\s")
_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)])\s+(.+?)\s*$")
#: What the page does not show: an HTML comment (to the end of the page when it is never closed).
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
#: Inline Markdown that is not words, in an "ask me about" line: the label of a link (whose URL
#: may hold parentheses), of a wikilink, emphasis, code marks and HTML tags.
_MARKUP = re.compile(r"\[\[(?:[^\]|]*\|)?|\]\]|!?\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*\)|<[^>]*>|[*_`]")


def searchable(page: Page) -> bool:
    """Whether a page lets search show it: not when it asks to be left out (`search: {exclude: true}`,
    Material's own key), which keeps it out of results and cards alike."""
    setting = page.meta.get("search")
    return not (isinstance(setting, dict) and setting.get("exclude"))


def ask_me_about(person: Person) -> tuple[str, ...]:
    """The items of the profile's "Ask me about" list, as plain text: what the profile page shows
    (no comment, no code block)."""
    found: list[str] = []
    inside = False
    for _, line in prose_lines(_COMMENT.sub(_blank_lines, person.body), 1):
        if _ASK_HEADING.match(line):
            inside = True
        elif inside and _HEADING.match(line):
            break
        elif inside and (item := _LIST_ITEM.match(line)):
            found.append(" ".join(_MARKUP.sub(lambda m: m.group(1) or "", item.group(1)).split()))
    return tuple(text for text in found if text)


def _blank_lines(comment: re.Match[str]) -> str:
    return "\n" * comment.group().count("\n")


def search_cards(kb: KnowledgeBase, view: ViewContext) -> dict[str, list[dict[str, Any]]]:
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
        if description is not None and not searchable(description):
            continue
        shown = tuple(path for path in topic.articles if searchable(kb.articles[path]))
        vetted = [item for item in view.sorted_items(shown) if item.status in _VETTED][:CARD_PAGES]
        topics.append({
            "n": topic.name,
            "u": view.url(view.topic_paths[slug]),
            "s": description.summary if description else "",
            "k": list(dict.fromkeys(keys)),
            "c": len(shown),
            "p": [[item.title, item.url, item.status] for item in vetted],
            "e": [[expert.person.title, expert.person.url, expert.evidence] for expert in view.experts(slug, CARD_PEOPLE)],
        })
    people = []
    for person in sorted(kb.people.values(), key=lambda p: (p.name.casefold(), p.id)):
        if not searchable(person):
            continue
        people.append(_person(kb, view, person.id, person.name, view.url(person.path),
                              " · ".join(part for part in (person.role, person.team) if part), ask_me_about(person)))
    for unclaimed in sorted(kb.identities.unclaimed.values(), key=lambda p: (p.name.casefold(), p.id)):
        link = view.expert_link(unclaimed.id)
        if link is not None and kb.expertise.topics_of(unclaimed.id) and unclaimed.name != WITHHELD_NAME:
            people.append(_person(kb, view, unclaimed.id, unclaimed.name, link.url, "no profile yet", ()))
    return {"topics": topics, "people": people}


_VETTED = frozenset({Status.BEST_PRACTICE.value, Status.VERIFIED.value})


def _person(kb: KnowledgeBase, view: ViewContext, person_id: str, name: str, url: str, role: str,
            asks: tuple[str, ...]) -> dict[str, Any]:
    known = kb.expertise.topics_of(person_id)
    return {
        "n": name,
        "u": url,
        "r": role,
        # Their name, then what they say to ask them about: a query matching either finds them, and
        # the card shows the items the query matched first.
        "k": [name, *asks],
        "t": [[view.topic_link(topic).title, view.topic_link(topic).url, evidence.describe()]
              for topic, evidence in known[:CARD_TOPICS]],
        **({"x": 1} if is_unclaimed(person_id) else {}),
    }


#: What the browser folds a query and a card's keys to before it compares them (search.js `fold`):
#: lower case, full-width and other compatibility forms as plain letters (ＡＰＩ), accents dropped,
#: anything but letters, marks, digits and `_+#` (C++, C#) a space.
_COMBINING = re.compile("[\u0300-\u036f]")
_KEPT = "_+#"
#: A card shard holds the cards with a key word that starts with these many letters.
CARD_KEY_LETTERS = 2


def fold(text: str) -> str:
    decomposed = _COMBINING.sub("", unicodedata.normalize("NFKD", text.lower()))
    return " ".join("".join(ch if ch in _KEPT or unicodedata.category(ch)[0] in "LMN" else " " for ch in decomposed).split())


def card_shards(cards: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """The cards split by the first letters of their keys' words, so that a query fetches only the
    shard of its first word: every word of a query must start a word of a key the card matches."""
    shards: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for kind in ("topics", "people"):
        for card in cards[kind]:
            keys = {word[:CARD_KEY_LETTERS] for key in card["k"] for word in fold(key).split()
                    if len(word) >= CARD_KEY_LETTERS}
            for key in sorted(keys):
                shards.setdefault(key, {"topics": [], "people": []})[kind].append(card)
    return dict(sorted(shards.items()))
