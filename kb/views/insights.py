"""The insights, as the page, insights.json and `kb report` show them, all from the one
declaration of its lists (kb.analyse.insights.INSIGHTS_LISTS).

A list is shown by the kind of its entries: ENTRY_KINDS says, for each kind, the record the
theme's `entry` macro shows (theme/partials/kb/macros.html), the data insights.json holds and the
row `kb report` prints. A new list of a known kind needs nothing here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kb.analyse.insights import INSIGHTS_LISTS, EntryKind, Insights, InsightsList
from kb.analyse.knowledge import KnowledgeBase
from kb.urls import page_url
from kb.views.chart import activity_chart
from kb.views.context import ViewContext
from kb.views.listings import SHOWN
from kb.views.records import ArticleItem, InsightsPage, InsightsSection, Link, ReviewItem, WantedItem
from kb.views.trust import review_note

#: Pages a wanted page's entry names among those that link to it.
WANTED_LINKS_SHOWN = 10

#: A page's URL on the site, by its content path.
Url = Callable[[str], str]
#: A table of `kb report`: its title, its columns, its rows.
Table = tuple[str, tuple[str, ...], list[tuple[object, ...]]]


@dataclass(frozen=True)
class KindViews:
    """How one kind of entry is shown on the page, in insights.json and in `kb report`."""

    #: The record the theme's `entry` macro shows for this kind.
    item: Callable[[ViewContext, Any], Any]
    #: The entry in insights.json: paths, URLs and counts, for dashboards and scripts.
    data: Callable[[KnowledgeBase, Url, Any], dict[str, Any]]
    #: The columns of its table in `kb report`, and an entry's row.
    columns: tuple[str, ...]
    row: Callable[[KnowledgeBase, Any], tuple[object, ...]]


def _article_item(view: ViewContext, path: str) -> ArticleItem:
    return view.article_item(view.kb.articles[path])


def _review_item(view: ViewContext, path: str) -> ReviewItem:
    article = view.kb.articles[path]
    return ReviewItem(view.article_item(article), review_note(view, article, view.kb.reviews[path]))


def _wanted_item(view: ViewContext, entry: tuple[str, int]) -> WantedItem:
    name, count = entry
    kb = view.kb
    sources = sorted({edge.source for edge in kb.links.wanted[name]})
    pages = [page for page in map(kb.page, sources) if page]
    links = tuple(Link(page.title, view.url(page.path)) for page in pages[:WANTED_LINKS_SHOWN])
    return WantedItem(name, count, links, view.start_page(name), len(pages) - len(links))


def _page_data(kb: KnowledgeBase, url: Url, path: str) -> dict[str, Any]:
    found = kb.page(path)
    return {"path": path, "title": found.title if found else path, "url": url(path)}


def _review_data(kb: KnowledgeBase, url: Url, path: str) -> dict[str, Any]:
    review = kb.reviews[path]
    return _page_data(kb, url, path) | {
        "state": review.state.value,
        "expires_on": review.expires_on.isoformat() if review.expires_on else None,
        "changed_by": review.changed_by,
        "changed_on": review.changed_on.isoformat() if review.changed_on else None,
    }


def _who(kb: KnowledgeBase, person_id: str) -> str:
    """A profile by its id; an unclaimed person by name, as their id is only the site's."""
    return person_id if person_id in kb.people else kb.person_name(person_id) or person_id


def _name(kb: KnowledgeBase, person_id: str) -> str:
    return kb.person_name(person_id) or person_id


def _shown(kb: KnowledgeBase, path: str) -> str:
    page = kb.page(path)
    return page.display if page else path


def _first_commit(kb: KnowledgeBase, path: str) -> str:
    changes = kb.changes(path)
    return changes[-1].date.isoformat() if changes else "not committed"


def _review_row(kb: KnowledgeBase, path: str) -> tuple[object, ...]:
    review = kb.reviews[path]
    when = review.changed_on or review.expires_on
    return (_shown(kb, path), review.state.value, when.isoformat() if when else "")


ENTRY_KINDS: dict[EntryKind, KindViews] = {
    "article": KindViews(
        _article_item, _page_data, ("page", "first commit"), lambda kb, path: (_shown(kb, path), _first_commit(kb, path))),
    "review": KindViews(_review_item, _review_data, ("page", "state", "date"), _review_row),
    "topic-count": KindViews(
        lambda view, slug: (view.topic_link(slug), len(view.kb.topics[slug].articles)),
        lambda kb, url, slug: {"topic": slug, "pages": len(kb.topics[slug].articles)},
        ("topic", "pages"), lambda kb, slug: (kb.topics[slug].name, len(kb.topics[slug].articles))),
    "single-expert": KindViews(
        lambda view, entry: (view.topic_link(entry[0]), _contributor(view, entry[1])),
        lambda kb, url, entry: {"topic": entry[0], "person": _who(kb, entry[1])},
        ("topic", "person"), lambda kb, entry: (kb.topics[entry[0]].name, _name(kb, entry[1]))),
    "wanted": KindViews(
        _wanted_item, lambda kb, url, entry: {"name": entry[0], "links": entry[1]}, ("name", "links"), lambda kb, entry: entry),
}

_LISTS = {declared.name: declared for declared in INSIGHTS_LISTS}


def insights_page(view: ViewContext, insights: Insights) -> InsightsPage:
    """The top of each list; the rest are on the further pages of its listing."""
    sections = tuple(
        InsightsSection(declared.name, declared.title, declared.kind, declared.empty,
                        insights_section(view, insights, declared.name, SHOWN), len(declared.entries(insights)),
                        view.listings.more(f"insights:{declared.name}"))
        for declared in INSIGHTS_LISTS
    )
    return InsightsPage(
        today=insights.today.isoformat() if insights.today else "",
        sections=sections,
        chart=activity_chart(insights.activity),
        top_contributors=tuple((_contributor(view, key), count) for key, count in insights.top_contributors),
    )


def insights_section(view: ViewContext, insights: Insights, name: str, limit: int | None = None) -> tuple[Any, ...]:
    """The entries of one list (its first `limit`), as the theme shows them."""
    declared = _LISTS[name]
    item = ENTRY_KINDS[declared.kind].item
    return tuple(item(view, entry) for entry in declared.entries(insights)[:limit])


def insights_data(kb: KnowledgeBase, directory_urls: bool = True) -> dict[str, Any]:
    """What insights.json holds: every list whole, the activity and the top contributors."""
    insights = kb.insights

    def url(path: str) -> str:
        return page_url(path, directory_urls)

    data: dict[str, Any] = {
        "today": insights.today.isoformat() if insights.today else None,
        "activity": [{"month": m.month, "created": m.created, "edits": m.edits} for m in insights.activity],
        "top_contributors": [{"who": _who(kb, key), "changes": count} for key, count in insights.top_contributors],
    }
    for declared in INSIGHTS_LISTS:
        shown = ENTRY_KINDS[declared.kind].data
        data[declared.attribute] = [shown(kb, url, entry) for entry in declared.entries(insights)]
    return data


def insights_tables(kb: KnowledgeBase) -> list[Table]:
    """`kb report`'s tables: each list whole, then the activity and the top contributors, as
    (title, columns, rows)."""
    insights = kb.insights
    tables = [_table(kb, insights, declared) for declared in INSIGHTS_LISTS]
    tables.append(("Activity per month", ("month", "created", "edits"),
                   [(m.month, m.created, m.edits) for m in insights.activity]))
    tables.append(("Top contributors this quarter", ("who", "changes"),
                   [(_name(kb, key), count) for key, count in insights.top_contributors]))
    return tables


def _table(kb: KnowledgeBase, insights: Insights, declared: InsightsList) -> Table:
    kind = ENTRY_KINDS[declared.kind]
    return declared.title, kind.columns, [kind.row(kb, entry) for entry in declared.entries(insights)]


def _contributor(view: ViewContext, key: str) -> Link:
    return view.expert_link(key) or Link(key, "")
