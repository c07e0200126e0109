"""Stage 6, render: what the theme shows on each page, prepared once from the KnowledgeBase.

Views are plain values with text and site-relative URLs (kb.views.records); the theme's
templates only loop over them and escape them.
"""

from __future__ import annotations

from collections.abc import Callable

from kb.knowledge import KnowledgeBase
from kb.views.articles import article_header, backlinks, previews
from kb.views.context import ViewContext, is_open_question
from kb.views.people import people_index, person_profile
from kb.views.records import Views
from kb.views.topics import topic_index, topic_page
from kb.views.trust import changes_days, insights_page


def build_views(
    kb: KnowledgeBase, topic_paths: dict[str, str], directory_urls: bool = True,
    start_page: Callable[[str], str | None] | None = None,
) -> Views:
    view = ViewContext(kb, topic_paths, directory_urls, start_page)
    return Views(
        articles={path: article_header(view, article) for path, article in kb.articles.items()},
        people={person.path: person_profile(view, person) for person in kb.people.values()},
        topics={topic_paths[slug]: topic_page(view, topic) for slug, topic in kb.topics.items()},
        topic_index=topic_index(view),
        people_index=people_index(view),
        open_questions=view.sorted_items([p for p, a in kb.articles.items() if is_open_question(a)]),
        vetted=view.sorted_items([p for p, a in kb.articles.items() if a.status.is_vetted]),
        backlinks={path: backlinks(view, path) for path in kb.links.backlinks},
        previews=previews(view),
        changes=changes_days(view),
        insights=insights_page(view, kb.insights),
    )


__all__ = ["Views", "build_views"]
