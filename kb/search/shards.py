"""The search index split so that a query fetches only what it needs.

lunr scores a document as the dot product of the query vector with the document's field vectors,
divided by the query vector's magnitude only. So a query needs, for each of its terms, the term's
number and its weight in each document that has it, and nothing else: the index is cut into
shards by the first letters of its terms, and the browser rebuilds a small lunr index from the
shards a query touches. Its scores are the whole index's, to the last digit.

Written under `search/`: `manifest.json` (fields and shard keys), `t/<key>.json` (terms),
`d/<n>.json` (what a result shows), `facets.json` (what the filters count), and, from
kb.search.cards, `c/<key>.json` (topic and person cards).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from kb.outputs import SEARCH_DIR
from kb.search.analysis import CJK_TERM
from kb.search.lunrindex import LunrIndex

#: A term shard is split by a longer prefix when it grows past this many bytes.
SHARD_BYTES = 48_000
MAX_PREFIX = 4
DOCS_PER_SHARD = 20


@dataclass(frozen=True)
class SearchDoc:
    """What a result shows, and what the filters count."""

    title: str
    url: str
    summary: str
    status: str
    type: str
    topics: tuple[str, ...]
    #: The people the person filter offers for this page: its owners.
    people: tuple[str, ...]
    updated: str
    #: (anchor, heading) of the page's sections, to link a result to the best one.
    sections: tuple[tuple[str, str], ...]
    #: Why a vetted page's vetting does not hold: "overdue" (its review lapsed), "changed" (edited
    #: since) or "unreviewed" (no review that counts); "" when it holds or the page is not vetted.
    review: str = ""


#: The trust re-rank (theme/assets/kb/search.js): a result's order is its lunr score times its
#: class's factor, so that at comparable relevance best practice comes before verified, and
#: verified before the rest; a page a fifth less relevant is not lifted past a better match by
#: more than that. A vetted page whose review does not hold is ranked as published.
TRUST = {"b": 1.2, "v": 1.1, "p": 1.0}


def trust_class(doc: SearchDoc) -> str:
    if doc.review:
        return "p"
    return {"best-practice": "b", "verified": "v"}.get(doc.status, "p")


def _dump(data: object, sort_keys: bool = True) -> bytes:
    return json.dumps(data, sort_keys=sort_keys, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _sizes(index: LunrIndex) -> dict[str, int]:
    """About how many bytes each term's entry takes in its shard, without making the entries:
    each field's name, and each weight's document ref."""
    fixed = 12 + sum(len(f.name) + 4 for f in index.fields)
    return {term: fixed + ref_chars + 9 * count for term, count, ref_chars in index.terms.posting_refs()}


def shard_key(term: str, length: int) -> str:
    return term[:length] if term else ""


def file_name(key: str) -> str:
    """A shard key as a file name: hex of its UTF-8 bytes, "_" for the empty term's shard."""
    return key.encode("utf-8").hex() or "_"


def emit_search(index: LunrIndex, docs: Sequence[SearchDoc], extra: dict[str, object] | None = None,
                labels: dict[str, str] | None = None, card_keys: Sequence[str] = (),
                languages: Sequence[str] = ("en",)) -> dict[str, bytes]:
    """The files of the search index by site path. Document refs in `index` must be the
    positions of `docs` ("0", "1", …). `extra` goes into facets.json, for the empty state;
    `labels` are how results name statuses, types and review states; `card_keys` the keys of the
    card shards (kb.search.cards), written by the caller; `languages` those the browser reads a
    query in (kb.languages)."""
    files: dict[str, bytes] = {}
    sizes = _sizes(index)
    terms = sorted(index.terms)
    # A CJK term is a pair of characters (kb.search.analysis): two letters are the whole term, so
    # those terms are grouped from their first letter, and only a large group by both.
    cjk = [term for term in terms if CJK_TERM.match(term)]
    groups = _group([term for term in terms if not CJK_TERM.match(term)], 2, sizes) | _group(cjk, 1, sizes)
    # Each shard's entries are made from the index as it is written, and let go (kb.search.postings.Postings).
    shards = sorted(groups)
    for key in shards:
        shard = {term: list(index.terms[term]) for term in groups[key]}
        # Terms are in order and postings in document order: the bytes are the same every build.
        files[f"{SEARCH_DIR}/t/{file_name(key)}.json"] = _dump(shard, sort_keys=False)
    files[f"{SEARCH_DIR}/facets.json"] = _dump(_facets(docs) | {"docs_per_shard": DOCS_PER_SHARD} | (extra or {}))
    for start in range(0, len(docs), DOCS_PER_SHARD):
        chunk = {str(start + i): {"t": d.title, "u": d.url, "s": d.summary, "st": d.status,
                                  "h": [list(s) for s in d.sections], **({"r": d.review} if d.review else {})}
                 for i, d in enumerate(docs[start : start + DOCS_PER_SHARD])}
        files[f"{SEARCH_DIR}/d/{start // DOCS_PER_SHARD}.json"] = _dump(chunk)
    files[f"{SEARCH_DIR}/manifest.json"] = _dump({
        "version": 1,
        "fields": [f.name for f in index.fields],
        "shards": shards,
        "docs": len(docs),
        "docs_per_shard": DOCS_PER_SHARD,
        # One letter per document, in ref order: the re-rank needs it before any document arrives.
        "trust": "".join(trust_class(d) for d in docs),
        "boost": TRUST,
        "labels": labels or {},
        "cards": list(card_keys),
        "lang": list(languages),
    })
    return files


def _facets(docs: Sequence[SearchDoc]) -> dict[str, object]:
    """What the filters count, for every document, by column: each value once in a table, and
    each document's values as numbers into it (10,000 pages: about 60 KB gzip)."""
    tables: dict[str, list[str]] = {}
    numbers: dict[str, dict[str, int]] = {}

    def number(kind: str, value: str) -> int:
        found = numbers.setdefault(kind, {})
        if value not in found:
            found[value] = len(found)
            tables.setdefault(kind, []).append(value)
        return found[value]

    columns = {
        "status": [number("status", d.status) for d in docs],
        "type": [number("type", d.type) for d in docs],
        "topic": [[number("topic", t) for t in d.topics] for d in docs],
        "person": [[number("person", p) for p in d.people] for d in docs],
        "updated": [d.updated for d in docs],
    }
    return {"tables": {kind: tables.get(kind, []) for kind in ("status", "type", "topic", "person")}, "columns": columns}


def _group(terms: list[str], length: int, sizes: dict[str, int]) -> dict[str, list[str]]:
    """Terms by their first `length` letters, splitting a group that is too large by one more."""
    groups: dict[str, list[str]] = {}
    for term in terms:
        groups.setdefault(shard_key(term, length), []).append(term)
    result: dict[str, list[str]] = {}
    for key, members in groups.items():
        size = sum(sizes[term] for term in members)
        splittable = length < MAX_PREFIX and any(len(term) > length for term in members)
        if size > SHARD_BYTES and splittable:
            # Terms no longer than the key stay in the key's own shard.
            short = [term for term in members if len(term) <= length]
            if short:
                result[key] = short
            result.update(_group([term for term in members if len(term) > length], length + 1, sizes))
        else:
            result[key] = members
    return result
