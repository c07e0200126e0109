"""Atom feeds of recent changes: one for the site, one per topic.

Entries are changes to published pages, newest first; an entry's id is stable (the commit and
the page), so a feed reader never shows one change twice. Dates come from git. Drafts never
appear: only published articles' histories are read.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urljoin, urlsplit

from kb.analyse.identities import shown_name, shown_text
from kb.analyse.knowledge import KnowledgeBase
from kb.outputs import FEED_PATH, FEEDS_DIR
from kb.read.history import ChangeEntry, recent_entries
from kb.urls import page_url

ATOM = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 50


def feed_path(topic: str | None = None) -> str:
    """Where a feed is in the site: /feed.xml, and /feeds/<topic slug>.xml."""
    return FEED_PATH if topic is None else f"{FEEDS_DIR}/{topic}.xml"


def render_feed(
    kb: KnowledgeBase, title: str, entries: list[ChangeEntry], site_url: str, self_path: str,
    directory_urls: bool = True,
) -> bytes:
    """A valid Atom 1.0 document. Without a site_url, links are relative to the site and ids
    are URNs, which Atom allows; with one, everything is absolute."""
    key = _feed_key(kb, title, entries, site_url, self_path, directory_urls)
    found = _rendered.get(key)
    if found is None:
        if len(_rendered) > _RENDERED_KEPT:
            _rendered.clear()
        found = _rendered[key] = _render_feed(kb, title, entries, site_url, self_path, directory_urls)
    return found


#: Feeds written before, by everything they are made of: a process that builds the wiki again
#: (a preview server) writes a thousand topics' feeds after each save, and few of them change.
_rendered: dict[tuple[object, ...], bytes] = {}
_RENDERED_KEPT = 20_000


def _feed_key(kb: KnowledgeBase, title: str, entries: list[ChangeEntry], site_url: str, self_path: str,
              directory_urls: bool) -> tuple[object, ...]:
    """What _render_feed reads, in full."""
    shown = []
    for entry in entries:
        article = kb.articles[entry.path]
        person = kb.identities.person_of(entry.change.author, entry.change.email)
        shown.append((entry.change, entry.path, entry.created, article.title, article.summary,
                      kb.people[person].name if person else None))
    return (title, site_url, self_path, directory_urls, None if entries else kb.history.head_time, tuple(shown))


def _render_feed(
    kb: KnowledgeBase, title: str, entries: list[ChangeEntry], site_url: str, self_path: str,
    directory_urls: bool = True,
) -> bytes:
    base = site_url.rstrip("/") + "/" if site_url else ""
    host = urlsplit(base).netloc or "kb.invalid"
    updated = entries[0].change.timestamp if entries else (kb.history.head_time or 0)
    changes = page_url("changes.md", directory_urls)
    parts = [f"<?xml version='1.0' encoding='utf-8'?>\n<feed xmlns=\"{ATOM}\">", _element("title", title),
             _element("id", f"tag:{host},2000:{self_path}"), _element("updated", _iso(updated)),
             _link("self", urljoin(base, self_path)), _link("alternate", urljoin(base, changes)),
             _element("generator", "kb")]
    for entry in entries:
        article = kb.articles[entry.path]
        change = entry.change
        verb = "New page" if entry.created else "Changed"
        person = kb.identities.person_of(change.author, change.email)
        parts += ["<entry>", _element("title", f"{verb}: {article.title}"),
                  _element("id", f"tag:{host},2000:{change.commit}/{entry.path}"),
                  _element("updated", _iso(change.timestamp)),
                  _link("alternate", urljoin(base, page_url(entry.path, directory_urls))),
                  "<author>", _element("name", kb.people[person].name if person else shown_name(change.author)),
                  "</author>", _element("summary", shown_text(change.subject) or article.summary), "</entry>"]
    parts.append("</feed>\n")
    # Written as text, in the form ElementTree wrote (with it, the feeds took 1.7 times as long),
    # every text and link through xml_text: nothing UTF-8 cannot hold (a lone surrogate) is left.
    return "".join(parts).encode("utf-8")


def _element(tag: str, text: str) -> str:
    """An element of `text` (an empty one closes itself)."""
    text = xml_text(text)
    if not text:
        return f"<{tag} />"
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        # A parser reads a carriage return written as it is as a line feed.
        text = text.replace("\r", "&#13;")
    return f"<{tag}>{text}</{tag}>"


#: What an attribute's value cannot hold as it is: markup, its quote, and the line breaks and tab
#: a parser would turn into spaces.
_ATTRIBUTE_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;",
                                    "\n": "&#10;", "\t": "&#09;"})


def _link(rel: str, href: str) -> str:
    return f'<link rel="{rel}" href="{xml_text(href).translate(_ATTRIBUTE_ESCAPES)}" />'


#: What XML 1.0 cannot hold at all, escaped or not: most control characters, surrogates, and
#: U+FFFE/U+FFFF. One of them in a title or a commit subject made the whole feed unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """`text` with the characters XML cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def _iso(timestamp: int) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def emit_feeds(kb: KnowledgeBase, site_name: str, site_url: str, directory_urls: bool = True) -> dict[str, bytes]:
    """The site's feed and one per topic with pages, by site path."""
    latest = recent_entries(kb.history, list(kb.articles), FEED_ENTRIES)
    feeds = {feed_path(): render_feed(kb, f"{site_name}: recent changes", latest, site_url, feed_path(), directory_urls)}
    for slug, topic in kb.topics.items():
        if topic.articles:
            entries = recent_entries(kb.history, topic.articles, FEED_ENTRIES)
            feeds[feed_path(slug)] = render_feed(kb, f"{site_name}: {topic.name}", entries, site_url, feed_path(slug),
                                                 directory_urls)
    return feeds


def topic_feed_links(kb: KnowledgeBase) -> dict[str, dict[str, str]]:
    """By each topic page's content path, the title and site path of its feed (for the page's
    head): every topic with pages has one (emit_feeds)."""
    return {kb.topic_path(slug): {"title": f"{topic.name}: recent changes", "url": feed_path(slug)}
            for slug, topic in kb.topics.items() if topic.articles}
