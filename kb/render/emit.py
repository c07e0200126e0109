"""Stage 7, emit: the data files kb adds to the site, as bytes by site path.

Everything is written with sorted keys and sorted lists, so two builds of one commit write the
same bytes.
"""

from __future__ import annotations

import json
from typing import Any

from kb.analyse.knowledge import KnowledgeBase
from kb.outputs import DIRECTORY_PATH, PREVIEWS_DIR
from kb.urls import page_url
from kb.views.insights import insights_data
from kb.views.records import Preview, Views

#: A preview shard holds about this many pages: a hover fetches a few KB, whatever the wiki's size.
PAGES_PER_SHARD = 64
MAX_SHARDS = 4096


def to_json(data: Any) -> bytes:
    return (json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def preview_shard_count(pages: int) -> int:
    """A power of two, so the browser can pick a shard with a mask."""
    count = 1
    while count * PAGES_PER_SHARD < pages and count < MAX_SHARDS:
        count *= 2
    return count


def fnv1a(text: str) -> int:
    """32-bit FNV-1a of the UTF-8 bytes; previews.js computes the same."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def preview_shard_path(url: str, count: int) -> str:
    return f"{PREVIEWS_DIR}/{fnv1a(url) & (count - 1):03x}.json"


def emit_previews(previews: dict[str, Preview]) -> dict[str, bytes]:
    """Link preview cards, split into shards by a hash of the page URL."""
    count = preview_shard_count(len(previews))
    shards: dict[str, dict[str, Any]] = {}
    for url, preview in previews.items():
        shards.setdefault(preview_shard_path(url, count), {})[url] = vars(preview)
    return {path: to_json(cards) for path, cards in sorted(shards.items())}


def emit_directory(views: Views) -> dict[str, bytes]:
    """Everyone in a people directory too long for its page, for the filter that people.js
    runs over it: topics by their place in one sorted list of names, so each name is written
    once. Nothing when the page shows everyone."""
    if views.directory is None:
        return {}
    people, unclaimed = views.directory
    names = sorted({name for person in (*people, *unclaimed) for name in person.topic_names})
    number = {name: index for index, name in enumerate(names)}

    def chips(person: Any) -> list[list[str]]:
        return [[topic.title, topic.url] for topic in person.topics]

    return {DIRECTORY_PATH: to_json({
        "topics": names,
        "people": [{"name": p.name, "url": p.url, "role": p.role, "team": p.team, "location": p.location,
                    "chips": chips(p), "knows": [number[name] for name in p.topic_names]} for p in people],
        "unclaimed": [{"name": p.name, "anchor": p.anchor, "changes": p.changes, "claim": p.claim,
                       "chips": chips(p), "knows": [number[name] for name in p.topic_names]} for p in unclaimed],
    })}


def emit_graph(kb: KnowledgeBase, directory_urls: bool = True) -> bytes:
    """The link graph: every published page, every link between pages, and wanted pages."""
    nodes = []
    for path in sorted(kb.published_paths):
        page = kb.page(path)
        if page is None:
            continue
        status = getattr(page, "status", None)
        nodes.append({
            "id": path,
            "kind": page.kind.value,
            "status": status.value if status else None,
            "title": page.title,
            "url": page_url(path, directory_urls),
        })
    for slug, topic in kb.topics.items():
        if topic.description is None:
            path = kb.topic_path(slug)
            url = page_url(path, directory_urls)
            nodes.append({"id": path, "kind": "topic", "status": None, "title": topic.name, "url": url})
    nodes.sort(key=lambda node: node["id"])
    edges = sorted({(e.source, e.target) for edges in kb.links.outgoing.values() for e in edges})
    wanted = [
        {"name": name, "count": len(edges), "linked_from": sorted({e.source for e in edges})}
        for name, edges in kb.links.wanted.items()
    ]
    return to_json({
        "edges": [{"source": s, "target": t} for s, t in edges],
        "nodes": nodes,
        "orphans": list(kb.links.orphans),
        "wanted": sorted(wanted, key=lambda w: (-w["count"], w["name"])),
    })


def emit_insights(kb: KnowledgeBase, directory_urls: bool = True) -> bytes:
    """The insights page's data, for dashboards and scripts: paths, URLs and counts."""
    return to_json(insights_data(kb, directory_urls))
