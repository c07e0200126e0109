"""What the theme shows, as plain values: text and site-relative URLs, nothing to compute.

The theme's templates loop over these and escape them; kb.views builds them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class More:
    """What a page says after the top of a long listing: how many entries in all, and the URL
    of the first page that lists them all (kb.views.listings)."""

    total: int
    url: str


@dataclass(frozen=True)
class ListingPage:
    """One page of a listing too long to show whole."""

    title: str
    #: What the entries are, for the template: "article", "review", "topic", "person", …
    kind: str
    #: The page this listing continues.
    back: Link
    items: tuple[Any, ...]
    number: int
    count: int
    total: int
    #: The position of the first entry, from 1.
    first: int
    #: URLs of the first, previous, next and last pages; None on the page itself or past an end.
    first_url: str | None = None
    previous: str | None = None
    next: str | None = None
    last_url: str | None = None


@dataclass(frozen=True)
class ArticleItem:
    """One article in a listing."""

    title: str
    url: str
    summary: str
    status: str
    status_label: str
    type: str
    type_label: str
    #: The date of the last change (YYYY-MM-DD), or "" when history does not say.
    updated_on: str = ""


@dataclass(frozen=True)
class Expert:
    """Someone to ask, and why: "owns 3 pages, reviewed 2, 14 edits this year"."""

    person: Link
    evidence: str
    #: Someone without a profile yet (their link goes to their row in the directory).
    unclaimed: bool = False
    #: Where they start their profile ("this is me"), when the site can tell.
    claim: str | None = None


@dataclass(frozen=True)
class TopicEvidence:
    topic: Link
    evidence: str


@dataclass(frozen=True)
class Member:
    """A member of a community, with what they know."""

    person: Link
    role: str
    topics: tuple[Link, ...]


@dataclass(frozen=True)
class Authored:
    """When, and by whom: a person with a profile is a link, anyone else a name (url "")."""

    date: str
    who: Link


@dataclass(frozen=True)
class RecentChange:
    date: str
    title: str
    url: str
    who: Link
    subject: str


@dataclass(frozen=True)
class Detail:
    label: str
    text: str


@dataclass(frozen=True)
class ArticleHeader:
    status: str
    status_label: str
    type: str
    type_label: str
    topics: tuple[Link, ...]
    owners: tuple[Link, ...]
    reviewed_by: Link | None
    reviewed_on: str | None
    answered: bool | None
    members: tuple[Link, ...]
    created: Authored | None = None
    updated: Authored | None = None
    contributors: tuple[Link, ...] = ()
    #: Why there is no date: "not committed yet", or "unknown" when git history is missing.
    history_note: str = ""
    #: For a page git has no history of, the date its front matter gives (`lastmod`, `date`).
    written_updated: str = ""
    #: Who to ask: the owners, then the strongest experts of the page's topics.
    ask: tuple[Expert, ...] = ()
    review: ReviewNote | None = None
    #: For communities: members with their topics, and what members changed lately.
    community: tuple[Member, ...] = ()
    community_recent: tuple[RecentChange, ...] = ()
    #: The front matter the schema labels for the header (kb.read.schema.Field.header), in its order.
    details: tuple[Detail, ...] = ()
    #: The language of the page's text (its own `lang`, or its folder's), "" when not named: the
    #: theme marks the title and the text with it, for screen readers and hyphenation.
    lang: str = ""


@dataclass(frozen=True)
class PersonProfile:
    name: str
    role: str
    team: str
    location: str
    timezone: str
    contact: tuple[tuple[str, str, str | None], ...]
    topics: tuple[TopicEvidence, ...]
    owned: tuple[ArticleItem, ...]
    reviewed: tuple[ArticleItem, ...]
    recent: tuple[RecentChange, ...] = ()
    #: Pages they own whose review has run out, lapsed, or never happened.
    needs_review: tuple[ArticleItem, ...] = ()
    more_owned: More | None = None
    more_reviewed: More | None = None
    more_needs_review: More | None = None


@dataclass(frozen=True)
class PersonItem:
    name: str
    url: str
    role: str
    team: str
    location: str
    topics: tuple[Link, ...]
    #: Every topic the person has evidence in, by name, for the directory's topic filter.
    topic_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnclaimedItem:
    """A git author without a profile, in the directory: a name, never an address."""

    name: str
    #: The id of their row, which expert lists elsewhere link to.
    anchor: str
    changes: int
    topics: tuple[Link, ...]
    topic_names: tuple[str, ...]
    #: Where they start their profile ("this is me"), when the site can tell.
    claim: str | None = None


@dataclass(frozen=True)
class TopicPage:
    name: str
    breadcrumbs: tuple[Link, ...]
    subtopics: tuple[Link, ...]
    articles: tuple[ArticleItem, ...]
    open_questions: tuple[ArticleItem, ...]
    experts: tuple[Expert, ...]
    related: tuple[Link, ...] = ()
    recent: tuple[RecentChange, ...] = ()
    #: On a topic with more pages than it shows: `articles` are its vetted ones, these the most
    #: recently updated of the rest, and `more_articles` leads to them all.
    recently_updated: tuple[ArticleItem, ...] = ()
    more_articles: More | None = None
    more_questions: More | None = None


@dataclass(frozen=True)
class TopicItem:
    name: str
    url: str
    count: int
    depth: int
    summary: str


@dataclass(frozen=True)
class Backlink:
    """A page that links here, with the sentences that hold its links."""

    title: str
    url: str
    contexts: tuple[str, ...]


@dataclass(frozen=True)
class Backlinks:
    """"Linked from" on a page: the first of the pages that link to it, and where they all are."""

    shown: tuple[Backlink, ...] = ()
    more: More | None = None

    def __iter__(self) -> Iterator[Backlink]:
        return iter(self.shown)

    def __len__(self) -> int:
        return len(self.shown)


@dataclass(frozen=True)
class Preview:
    """What a link preview card shows about a page."""

    title: str
    status: str
    status_label: str
    type_label: str
    summary: str
    topics: tuple[str, ...]


@dataclass(frozen=True)
class Views:
    """Everything the theme needs, by the content path of the page that shows it."""

    articles: Mapping[str, ArticleHeader] = field(default_factory=dict)
    people: Mapping[str, PersonProfile] = field(default_factory=dict)
    topics: Mapping[str, TopicPage] = field(default_factory=dict)
    topic_index: tuple[TopicItem, ...] = ()
    people_index: tuple[PersonItem, ...] = ()
    #: Git authors without a profile, most active first.
    unclaimed_people: tuple[UnclaimedItem, ...] = ()
    open_questions: tuple[ArticleItem, ...] = ()
    vetted: tuple[ArticleItem, ...] = ()
    #: "Linked from", by the content path of the page linked to.
    backlinks: Mapping[str, Backlinks] = field(default_factory=dict)
    #: Link preview cards, by site path as the browser decodes it from a link (see previews.js).
    previews: dict[str, Preview] = field(default_factory=dict)
    changes: tuple[ChangeDay, ...] = ()
    insights: InsightsPage | None = None
    #: Where the listings of the home page and the indexes continue: "vetted", "questions",
    #: "topics", "people", "unclaimed" (kb.views.listings).
    more: Mapping[str, More] = field(default_factory=dict)
    #: The further pages of long listings, by content path.
    listings: Mapping[str, ListingPage] = field(default_factory=dict)
    #: Everyone in a directory too long to show whole, for its filter (kb.render.emit.emit_directory).
    directory: tuple[tuple[PersonItem, ...], tuple[UnclaimedItem, ...]] | None = None


@dataclass(frozen=True)
class SiteView:
    """What every page's template reads about the whole site (`kb_site`)."""

    #: How many shards the link previews are in (kb.render.emit.preview_shard_count).
    preview_shards: int
    history_known: bool
    search: bool
    #: The scripts of the search's languages (kb.languages.language_scripts).
    search_scripts: tuple[str, ...]


@dataclass(frozen=True)
class PageView:
    """What one page's template reads (`kb_page`): its kind, and the view of that kind."""

    #: "article", "person", "topic", or the kind of an index page (kb.outputs.INDEX_PAGES).
    kind: str
    article: ArticleHeader | None = None
    person: PersonProfile | None = None
    topic: TopicPage | None = None
    #: The whole site's views, for the index pages.
    views: Views | None = None
    backlinks: tuple[Backlink, ...] = ()
    #: A topic's Atom feed: its title and site path.
    feed: Mapping[str, str] | None = None


@dataclass(frozen=True)
class ReviewNote:
    """A page's review state: a label, one line of explanation, and who to ask."""

    state: str
    label: str
    text: str
    ask: tuple[Link, ...]


@dataclass(frozen=True)
class ReviewItem:
    item: ArticleItem
    note: ReviewNote


@dataclass(frozen=True)
class ChangeItem:
    title: str
    url: str
    who: Link
    subject: str
    new: bool


@dataclass(frozen=True)
class ChangeDay:
    date: str
    changes: tuple[ChangeItem, ...]


@dataclass(frozen=True)
class WantedItem:
    name: str
    count: int
    linked_from: tuple[Link, ...]
    #: Where to start writing it, when the site knows its repository.
    create: str | None = None
    #: How many more pages link to it than `linked_from` names.
    more_links: int = 0


@dataclass(frozen=True)
class InsightsSection:
    """One list of the insights page (kb.analyse.insights.INSIGHTS_LISTS): its top entries, as
    the theme's `entry` macro of its kind shows them."""

    name: str
    title: str
    kind: str
    #: What the page says while it is empty; "" leaves it out.
    empty: str
    items: tuple[Any, ...]
    total: int
    #: Where it continues, when it shows only its top.
    more: More | None


@dataclass(frozen=True)
class InsightsPage:
    today: str
    sections: tuple[InsightsSection, ...]
    #: The activity chart, as SVG kb drew itself.
    chart: str
    top_contributors: tuple[tuple[Link, int], ...]
