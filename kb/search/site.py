"""The wiki's search index: which pages, which fields, what a result shows."""

from __future__ import annotations

import re

from kb.knowledge import KnowledgeBase
from kb.links import heading_anchor
from kb.model import Article
from kb.search.lunrindex import Field, build_index
from kb.search.shards import SearchDoc, emit_search
from kb.urls import page_url

#: Fields and boosts: a word in the title says most about a page, one in the body least.
FIELDS = (Field("title", 10), Field("aliases", 8), Field("topics", 5), Field("headings", 4), Field("people", 3),
          Field("body", 1))
#: Markdown that is not words: link targets, HTML tags, emphasis and table marks.
_MARKUP = re.compile(r"\]\([^)]*\)|<[^>]*>|[\[\]()*_`#>|~=]+")


def searchable(article: Article) -> bool:
    setting = article.meta.get("search")
    return not (isinstance(setting, dict) and setting.get("exclude"))


def emit_site_search(
    kb: KnowledgeBase, topic_paths: dict[str, str], directory_urls: bool = True, new_page: str | None = None,
    new_page_template: str = "", experts_per_topic: int = 3,
) -> dict[str, bytes]:
    """Every published article that does not ask to be left out (`search: {exclude: true}`).
    `new_page` (with {path} and {content}) lets an empty search offer to start the page."""
    articles = [kb.articles[path] for path in sorted(kb.articles) if searchable(kb.articles[path])]
    documents, docs = [], []
    for number, article in enumerate(articles):
        topics = kb.article_topics.get(article.path, ())
        owners = [kb.people[p].name for p in article.owners if p in kb.people]
        people = list(owners)
        for topic in topics:
            people.extend(kb.people[p].name for p, _ in kb.expertise.experts(topic, experts_per_topic) if p in kb.people)
        people = list(dict.fromkeys(people))
        topic_names = [kb.topics[slug].name for slug in topics]
        sections = [(heading_anchor(h.text), h.text) for h in article.headings if h.level in (2, 3)]
        documents.append((str(number), {
            "title": article.title,
            "aliases": " ".join(article.aliases),
            "topics": " ".join(topic_names),
            "headings": " ".join(text for _, text in sections),
            "people": " ".join(people),
            "body": _MARKUP.sub(" ", article.body),
        }))
        changes = kb.changes(article.path)
        docs.append(SearchDoc(
            article.title, page_url(article.path, directory_urls), article.summary, article.status.value,
            article.type.value, tuple(topic_names), tuple(owners), changes[0].date.isoformat() if changes else "",
            tuple(sections),
        ))
    extra: dict[str, object] = {
        "topic_urls": {kb.topics[slug].name: page_url(path, directory_urls) for slug, path in sorted(topic_paths.items())},
        "people_url": page_url(f"{kb.config.people_dir}/index.md", directory_urls),
    }
    if new_page:
        extra |= {"new_page": new_page, "new_page_template": new_page_template}
    return emit_search(build_index(FIELDS, documents), docs, extra)
