"""Views of topics: each topic's page and the topic index."""

from __future__ import annotations

from kb.model import Topic
from kb.views.context import ViewContext, is_open_question
from kb.views.records import Link, TopicItem, TopicPage

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
    return TopicPage(
        name=topic.name,
        breadcrumbs=tuple(crumbs),
        subtopics=tuple(view.topic_link(child.slug) for child in view.children.get(topic.slug, ())),
        articles=view.sorted_items(topic.articles),
        open_questions=view.sorted_items(questions),
        experts=view.experts(topic.slug, TOPIC_EXPERTS),
        related=tuple(view.topic_link(slug) for slug in kb.related_topics.get(topic.slug, ())),
        recent=view.recent_changes(topic.articles),
    )


def topic_index(view: ViewContext) -> tuple[TopicItem, ...]:
    """Every topic in its place in the hierarchy, by name at each level."""
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
    return tuple(items)
