"""The wiki's search index: which pages, which fields, what a result shows."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from kb.analyse.knowledge import KnowledgeBase
from kb.analyse.links import heading_anchor
from kb.analyse.review import ReviewState
from kb.model import Article, Page, PageType, Status
from kb.outputs import SEARCH_DIR
from kb.read.body import without_block_ids, without_raw_elements
from kb.search.cards import card_shards, search_cards, searchable
from kb.search.lunrindex import Counted, Field, Vocabulary, build_index
from kb.search.shards import SearchDoc, emit_search, file_name
from kb.urls import page_url
from kb.views.context import ViewContext

#: Fields and boosts: a word in the title says most about a page, one in the body least.
FIELDS = (Field("title", 10), Field("aliases", 8), Field("topics", 5), Field("headings", 4), Field("people", 3),
          Field("body", 1))
#: Markdown that is not words: link targets, HTML tags, emphasis and table marks, which is
#: `\]\([^)]*\)|<[^>]*>|[\[\]()*_`#>|~=]+` (tests compare the two). It is written to start with
#: one character, and each alternative then asks which character that was: a pattern that starts
#: with a character class lets the regular expression engine skip to the next mark, where three
#: alternatives were tried at every character of every page (1.7 s at 10,000 pages, now 0.5 s).
_MARKUP = re.compile(r"[<\[\]()*_`#>|~=](?:(?<=\])\([^)]*\)|(?<=<)[^>]*>|(?<=[\[\]()*_`#>|~=])[\[\]()*_`#>|~=]*)")


#: The fields that come from the page alone, which can be read as soon as it is parsed.
PAGE_FIELDS = ("title", "aliases", "headings", "body")


def _section_headings(article: Article) -> list[str]:
    """The headings a result can link to: the page's sections and subsections."""
    return [h.text for h in article.headings if h.level in (2, 3)]


#: An article's language and the text of its own fields.
PageText = tuple[str, dict[str, str]]


def page_language(page: Article, languages: tuple[str, ...]) -> str:
    """The language a page is read in: its own (or its folder's), if the search reads it, else the site's first."""
    return page.lang if page.lang in languages else languages[0]


def page_texts(pages: Iterable[Page], languages: tuple[str, ...] = ("en",)) -> dict[str, PageText]:
    """The language and the text of each article's own fields, by path: all the index needs from the pages."""
    return {page.path: (page_language(page, languages),
                        {"title": page.title, "aliases": " ".join(page.aliases),
                         "headings": " ".join(_section_headings(page)),
                         "body": without_block_ids(without_raw_elements(page.body))})
            for page in pages if isinstance(page, Article)}


#: An article's language and its own fields' terms, counted.
PageTerms = tuple[str, dict[str, Counted]]


@dataclass
class SearchTerms:
    """Each article's own fields' terms counted (PageTerms by path), and the terms themselves,
    each once."""

    vocabulary: Vocabulary
    pages: dict[str, PageTerms]


def page_terms(texts: dict[str, PageText]) -> SearchTerms:
    """The language and the index terms of each article's own fields (page_texts), by path: the
    larger part of building the index, and it needs nothing but the parsed pages.

    It empties `texts` as it goes, and keeps each field's terms counted as numbers into one
    vocabulary (kb.search.lunrindex.Counted), each term's string once across all pages: the
    index needs only the counts."""
    vocabulary = Vocabulary()
    pages: dict[str, PageTerms] = {}
    for path in list(texts):
        lang, fields = texts.pop(path)
        pages[path] = (lang, {name: vocabulary.count_text(_MARKUP.sub(" ", text) if name == "body" else text, lang)
                              for name, text in fields.items()})
    return SearchTerms(vocabulary, pages)


@dataclass(frozen=True)
class SearchInput:
    """What the index needs beyond the pages' own text, from the whole knowledge base: the
    published, searchable articles in order, each with its topics and people as text and what
    a result shows; and the empty state's links."""

    articles: tuple[tuple[str, str, str, SearchDoc], ...]
    extra: dict[str, object]
    #: The topic and person cards (kb.search.cards).
    cards: dict[str, list[dict[str, Any]]]


#: How results name statuses, page types and lapsed reviews: the same words as the pages.
LABELS = {**{status.value: status.label for status in Status}, **{kind.value: kind.label for kind in PageType},
          "overdue": "Review overdue", "changed": "Changed since review", "unreviewed": "Not reviewed"}
#: Why a vetted page's vetting does not hold, as a result says it: its review lapsed, it changed
#: since, or it has no review that counts (none written, or one dated after the newest commit).
_LAPSED = {ReviewState.OVERDUE: "overdue", ReviewState.CHANGED: "changed", ReviewState.UNREVIEWED: "unreviewed"}


def search_input(
    kb: KnowledgeBase, topic_paths: dict[str, str], directory_urls: bool = True, new_page: str | None = None,
    new_page_template: str = "", experts_per_topic: int = 3,
) -> SearchInput:
    """Every published article that does not ask to be left out (`search: {exclude: true}`).
    `new_page` (with {path} and {content}) lets an empty search offer to start the page."""
    articles = []
    for path in sorted(kb.articles):
        article = kb.articles[path]
        if not searchable(article):
            continue
        topics = kb.article_topics.get(path, ())
        owners = [kb.people[p].name for p in article.owners if p in kb.people]
        people = list(owners)
        for topic in topics:
            # Experts without a profile too: searching for someone finds what they know.
            people.extend(name for p, _ in kb.expertise.experts(topic, experts_per_topic) if (name := kb.person_name(p)))
        people = list(dict.fromkeys(people))
        topic_names = [kb.topics[slug].name for slug in topics]
        changes = kb.changes(path)
        sections = tuple((heading_anchor(text), text) for text in _section_headings(article))
        review = kb.reviews.get(path)
        lapsed = _LAPSED.get(review.state, "") if review and article.status.is_vetted else ""
        doc = SearchDoc(article.title, page_url(path, directory_urls), article.summary, article.status.value,
                        article.type.value, tuple(topic_names), tuple(owners),
                        changes[0].date.isoformat() if changes else "", sections, lapsed)
        articles.append((path, " ".join(topic_names), " ".join(people), doc))
    extra: dict[str, object] = {
        "topic_urls": {kb.topics[slug].name: page_url(path, directory_urls) for slug, path in sorted(topic_paths.items())},
        "people_url": page_url(f"{kb.config.people_dir}/index.md", directory_urls),
    }
    if new_page:
        extra |= {"new_page": new_page, "new_page_template": new_page_template}
    cards = search_cards(kb, ViewContext(kb, topic_paths, directory_urls))
    return SearchInput(tuple(articles), extra, cards)


def emit_index(found: SearchInput, terms: SearchTerms,
               languages: tuple[str, ...] = ("en",)) -> dict[str, bytes]:
    """The search files, from the knowledge base's part and the pages' terms (page_terms), for a
    search that reads `languages`. A page's topics and people are read in the page's language.
    It empties `terms`: the index lets each page's terms go once they are weighed."""

    vocabulary = terms.vocabulary

    def documents() -> Iterator[tuple[str, dict[str, Counted]]]:
        for number, (path, topics, people, _) in enumerate(found.articles):
            lang, own = terms.pages.pop(path)
            yield (str(number), {"title": own["title"], "aliases": own["aliases"],
                                 "topics": vocabulary.count_text(topics, lang), "headings": own["headings"],
                                 "people": vocabulary.count_text(people, lang), "body": own["body"]})

    shards = card_shards(found.cards)
    files = emit_search(build_index(FIELDS, documents(), vocabulary), [doc for *_, doc in found.articles],
                        found.extra, LABELS, sorted(shards), languages)
    for key, cards in shards.items():
        files[f"{SEARCH_DIR}/c/{file_name(key)}.json"] = json.dumps(cards, sort_keys=True, ensure_ascii=False,
                                                                   separators=(",", ":")).encode("utf-8")
    return files


def emit_site_search(kb: KnowledgeBase, found: SearchInput) -> dict[str, bytes]:
    """The search files in one process: the pages' terms and the index, one after the other."""
    languages = kb.config.search_languages
    return emit_index(found, page_terms(page_texts((kb.articles[path] for path, *_ in found.articles), languages)),
                      languages)
