"""Views of topics: each topic's page and the topic index."""

from __future__ import annotations

from kb.model import Topic
from kb.views.context import ViewContext, is_open_question
from kb.views.listings import SHOWN
from kb.views.records import ArticleItem, Link, TopicItem, TopicPage

#: Experts a topic page shows.
TOPIC_EXPERTS = 6


def topic_page(view: ViewContext, topic: Topic) -> TopicPage:
    kb = view.kb
    crumbs: list[Link] = []
    seen = {topic.slug}
    parent = topic.parent
    while parent and parent not in seen:
        seen.add(parent)
        crumbs.insert(0, view.topic_link(parent))
        parent = kb.topics[parent].parent
    questions = [path for path in topic.articles if is_open_question(kb.articles[path])]
    more = view.listings.more(f"topic:{topic.slug}")
    articles, recently_updated = view.sorted_items(topic.articles), ()
    if more is not None:
        # Too many to show whole: the vetted answers first, then what changed last.
        vetted = [path for path in topic.articles if kb.articles[path].status.is_vetted]
        articles = view.sorted_items(vetted)[:SHOWN]
        recently_updated = view.recently_updated([path for path in topic.articles if path not in set(vetted)], SHOWN)
    return TopicPage(
        name=topic.name,
        breadcrumbs=tuple(crumbs),
        subtopics=tuple(view.topic_link(child.slug) for child in view.children.get(topic.slug, ())),
        articles=articles,
        open_questions=view.sorted_items(questions)[:SHOWN],
        experts=view.experts(topic.slug, TOPIC_EXPERTS),
        related=tuple(view.topic_link(slug) for slug in kb.related_topics.get(topic.slug, ())),
        recent=view.recent_changes(topic.articles),
        recently_updated=recently_updated,
        more_articles=more,
        more_questions=view.listings.more(f"topic-questions:{topic.slug}"),
    )


def topic_questions(view: ViewContext, slug: str) -> tuple[ArticleItem, ...]:
    """Every open question on a topic, as its page lists them."""
    kb = view.kb
    return view.sorted_items([path for path in kb.topics[slug].articles if is_open_question(kb.articles[path])])


def topic_index(view: ViewContext, limit: int | None = None) -> tuple[TopicItem, ...]:
    """Every topic (the first `limit`) in its place in the hierarchy, by name at each level."""
    items: list[TopicItem] = []

    def walk(parent: str | None, depth: int, seen: frozenset[str]) -> None:
        for topic in view.children.get(parent, ()):
            if topic.slug in seen:
                continue
            summary = topic.description.summary if topic.description else ""
            url = view.url(view.topic_paths[topic.slug])
            items.append(TopicItem(topic.name, url, len(topic.articles), depth, summary))
            walk(topic.slug, depth + 1, seen | {topic.slug})

    walk(None, 0, frozenset())
    return tuple(items[:limit])
