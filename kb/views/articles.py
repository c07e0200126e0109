"""Views of articles: the page header, "Linked from", and link preview cards."""

from __future__ import annotations

from collections import Counter

from kb.model import Article, PageType
from kb.read.history import Change
from kb.urls import site_path
from kb.views.context import ViewContext
from kb.views.records import ArticleHeader, Backlink, Detail, Expert, Link, Member, Preview
from kb.views.trust import review_note

#: How many experts of a page's topics "Ask" adds after the page's owners.
ASK_EXPERTS = 3


def article_header(view: ViewContext, article: Article) -> ArticleHeader:
    kb = view.kb
    changes = kb.changes(article.path)
    topics = kb.article_topics.get(article.path, ())
    community = article.type is PageType.COMMUNITY
    return ArticleHeader(
        status=article.status.value,
        status_label=article.status.label,
        type=article.type.value,
        type_label=article.type.label,
        topics=tuple(view.topic_link(slug) for slug in topics),
        owners=view.person_links(article.owners),
        reviewed_by=view.person_link(article.reviewed_by),
        reviewed_on=article.reviewed_on.isoformat() if article.reviewed_on else None,
        answered=article.answered if article.type is PageType.QUESTION else None,
        members=view.person_links(article.members) if community else (),
        created=view.authored(changes[-1]) if changes else None,
        updated=view.authored(changes[0]) if changes else None,
        contributors=contributors(view, changes),
        history_note="" if changes else ("not committed yet" if kb.history.known else "unknown"),
        written_updated=article.updated_on.isoformat() if article.updated_on and not changes else "",
        ask=ask(view, article, topics),
        review=review_note(view, article, kb.reviews[article.path]),
        community=members(view, article.members) if community else (),
        community_recent=view.changes_by(article.members) if community else (),
        details=tuple(Detail(label, text) for label, text in article.details),
        lang=article.lang or "",
    )


def ask(view: ViewContext, article: Article, topics: tuple[str, ...]) -> tuple[Expert, ...]:
    """The page's owners first, then the strongest experts of its topics."""
    people = [Expert(link, "owns this page") for link in view.person_links(article.owners)]
    seen = set(article.owners)
    candidates: list[tuple[float, str, str]] = []
    for topic in topics:
        for person, evidence in view.kb.expertise.experts(topic, limit=ASK_EXPERTS + len(seen)):
            if person not in seen:
                candidates.append((-evidence.score, person, view.known_for(topic, person)))
    for _, person, why in sorted(candidates):
        if person not in seen and len(people) < len(article.owners) + ASK_EXPERTS:
            seen.add(person)
            expert = view.expert(person, why)
            if expert:
                people.append(expert)
    return tuple(people)


def contributors(view: ViewContext, changes: tuple[Change, ...]) -> tuple[Link, ...]:
    """Everyone who changed the page, most changes first."""
    counts: Counter[Link] = Counter(view.author_link(change) for change in changes)
    return tuple(sorted(counts, key=lambda link: (-counts[link], link.title.casefold())))


def members(view: ViewContext, person_ids: tuple[str, ...]) -> tuple[Member, ...]:
    found = []
    for person_id in person_ids:
        person, link = view.kb.people.get(person_id), view.person_link(person_id)
        if person and link:
            topics = tuple(view.topic_link(topic) for topic, _ in view.kb.expertise.topics_of(person_id)[:4])
            found.append(Member(link, " · ".join(p for p in (person.role, person.team) if p), topics))
    return tuple(found)


def backlinks(view: ViewContext, path: str) -> tuple[Backlink, ...]:
    by_source: dict[str, list[str]] = {}
    for edge in view.kb.links.backlinks.get(path, ()):
        contexts = by_source.setdefault(edge.source, [])
        if edge.context and edge.context not in contexts:
            contexts.append(edge.context)
    pages = [view.kb.page(source) for source in by_source]
    ordered = sorted((p for p in pages if p), key=lambda p: (p.title.casefold(), p.path))
    return tuple(Backlink(p.title, view.url(p.path), tuple(by_source[p.path])) for p in ordered)


def previews(view: ViewContext) -> dict[str, Preview]:
    """Cards by the page's site path as the browser decodes it from a link (`café/`, not `caf%C3%A9/`)."""
    kb = view.kb
    cards: dict[str, Preview] = {}

    def key(path: str) -> str:
        return site_path(path, view.directory_urls)

    for article in kb.articles.values():
        topics = tuple(kb.topics[slug].name for slug in kb.article_topics.get(article.path, ()))
        cards[key(article.path)] = Preview(
            article.title, article.status.value, article.status.label, article.type.label, article.summary, topics)
    for person in kb.people.values():
        about = " · ".join(part for part in (person.role, person.team, person.location) if part)
        cards[key(person.path)] = Preview(person.name, "person", "Person", "", about, ())
    for slug, topic in kb.topics.items():
        summary = topic.description.summary if topic.description else ""
        count = f"{len(topic.articles)} {'page' if len(topic.articles) == 1 else 'pages'}"
        cards[key(view.topic_paths[slug])] = Preview(topic.name, "topic", "Topic", count, summary, ())
    return dict(sorted(cards.items()))
