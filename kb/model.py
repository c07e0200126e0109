"""The content model: what an article, a person and a topic description are once parsed.

Records are frozen: every later stage derives new facts from them instead of changing them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    VERIFIED = "verified"
    BEST_PRACTICE = "best-practice"

    @property
    def label(self) -> str:
        return {"best-practice": "Best practice"}.get(self.value, self.value.capitalize())

    @property
    def is_vetted(self) -> bool:
        return self in (Status.VERIFIED, Status.BEST_PRACTICE)

    @property
    def rank(self) -> int:
        """Sort order in listings: best practice first, then verified, then the rest."""
        return {Status.BEST_PRACTICE: 0, Status.VERIFIED: 1}.get(self, 2)


class PageType(StrEnum):
    ARTICLE = "article"
    HOW_TO = "how-to"
    QUESTION = "question"
    COMMUNITY = "community"

    @property
    def label(self) -> str:
        return {"how-to": "How-to"}.get(self.value, self.value.capitalize())


class Kind(StrEnum):
    """What a Markdown file in the content directory is, by where it lives."""

    ARTICLE = "article"
    PERSON = "person"
    TOPIC = "topic"


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    line: int


class LinkKind(StrEnum):
    MARKDOWN = "markdown"  # [text](path.md#anchor)
    IMAGE = "image"  # ![alt](path.png)
    WIKI = "wiki"  # [[Target#Heading|label]]
    EMBED = "embed"  # ![[file.png]]


@dataclass(frozen=True)
class LinkRef:
    """A link written in a page body, where it was written (the file's line and column).

    `target` is a path for Markdown links and a page name for wikilinks, without the anchor;
    `context` is the sentence that holds the link, as plain text."""

    target: str
    line: int
    col: int
    kind: LinkKind = LinkKind.MARKDOWN
    anchor: str = ""
    label: str = ""
    context: str = ""


@dataclass(frozen=True)
class Page:
    """What every parsed Markdown file has: where it is, its header and its body."""

    path: str
    display: str
    kind: Kind
    title: str
    #: The front matter as written (kb keys and the site engine's own), for the renderer.
    meta: dict[str, Any]
    #: The file line each front matter key is on, for diagnostics about its value.
    key_lines: dict[str, int]
    body: str
    body_line: int
    headings: tuple[Heading, ...]
    links: tuple[LinkRef, ...]
    #: Not published anywhere: `status: draft`, or a header that could not be read.
    draft: bool
    #: The page's own dates from its front matter (`date`, and `lastmod` or else `date`), for
    #: a page git has no history of; git's dates come first.
    created_on: dt.date | None = None
    updated_on: dt.date | None = None

    def meta_line(self, key: str) -> int:
        return self.key_lines.get(key, 1)


@dataclass(frozen=True)
class Article(Page):
    summary: str = ""
    tags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    status: Status = Status.PUBLISHED
    reviewed_by: str | None = None
    reviewed_on: dt.date | None = None
    review_every_days: int | None = None
    type: PageType = PageType.ARTICLE
    answered: bool | None = None
    #: Who gave the accepted answer to a question.
    answered_by: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    #: What the header shows of the keys the schema gives a header label (kb.read.schema.Field.header):
    #: (label, text) in the schema's order.
    details: tuple[tuple[str, str], ...] = ()
    #: The language the page is written in (kb.languages): its own `lang`, else that of the
    #: index page of its folder or of the nearest folder above (kb.analyse.knowledge); None when none says.
    lang: str | None = None


@dataclass(frozen=True)
class Person(Page):
    id: str = ""
    name: str = ""
    role: str = ""
    team: str = ""
    location: str = ""
    timezone: str = ""
    #: Public ways to reach the person, as (channel, value) pairs, in the order written.
    contact: tuple[tuple[str, str], ...] = ()
    #: Private: used only to recognise the person in git history, never shown.
    emails: tuple[str, ...] = ()
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class TopicDescription(Page):
    slug: str = ""
    #: The first paragraph of the description, for the topic index.
    summary: str = ""
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    moderators: tuple[str, ...] = ()


@dataclass(frozen=True)
class Topic:
    """A topic as readers see it: registered with a description page, or only used as a tag."""

    slug: str
    name: str
    description: TopicDescription | None = None
    parent: str | None = None
    articles: tuple[str, ...] = field(default=())
