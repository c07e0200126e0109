"""A lunr 2.3.9 index built fast, weight for weight what lunr.js would build from the same
documents.

lunr.py builds the same index but takes seven seconds per thousand pages; this builder counts
terms in one pass and computes lunr's BM25 field vectors itself. A document's fields come as their
terms, read in the page's language (kb.search.analysis), or as English text. Tests compare the
index with lunr.js's own.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from kb.search.analysis import index_terms

K1, B = 1.2, 0.75
K1_PLUS_1 = K1 + 1


@dataclass(frozen=True)
class Field:
    name: str
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Counted:
    """A field's terms as the index needs them: how many there are, and how often each occurs,
    in the order each first occurs (as `Counter(terms)` keeps them). Counted as each page is
    read, every page's list of terms and its counts are never held at once while the index is
    built (at 2,000 pages the lists alone took 11 MB, the counts 21 MB)."""

    length: int
    counts: dict[str, int]


def counted(terms: list[str], canonical: dict[str, str] | None = None) -> Counted:
    """`terms` counted; with `canonical`, every term is the one string kept for it across
    pages, so that a word a thousand pages use is held once."""
    # Counted in C, each distinct term then made canonical: a page's field repeats its words.
    counts: dict[str, int] = Counter(terms)
    if canonical is None:
        counts = dict(counts)
    else:
        counts = {canonical.setdefault(term, term): count for term, count in counts.items()}
    return Counted(len(terms), counts)


#: A term's entry: (term index, {field: {doc ref: weight}}).
TermEntry = tuple[int, dict[str, dict[str, int]]]


class Postings(Mapping[str, TermEntry]):
    """The inverted index, term → TermEntry in the order lunr.js numbers the terms, held compact:
    one array of (field, document, weight) numbers a term, and each entry made as it is read.
    As dictionaries of dictionaries the postings were most of the search process's memory
    (four million at 10,000 pages, some hundred bytes each); as arrays they are twelve bytes."""

    def __init__(self, names: Sequence[str], refs: Sequence[str], numbers: dict[str, int],
                 postings: dict[str, array[int]]) -> None:
        self._names, self._refs, self._numbers, self._postings = names, refs, numbers, postings
        self._ref_lengths = [len(ref) for ref in refs]

    def __getitem__(self, term: str) -> TermEntry:
        number = self._numbers[term]
        by_field: dict[str, dict[str, int]] = {name: {} for name in self._names}
        found = self._postings.get(term)
        if found is not None:
            names, refs = self._names, self._refs
            for at in range(0, len(found), 3):
                by_field[names[found[at]]][refs[found[at + 1]]] = found[at + 2]
        return number, by_field

    def __iter__(self) -> Iterator[str]:
        return iter(self._numbers)

    def posting_refs(self, term: str) -> tuple[int, int]:
        """How many (field, document) pairs have `term`, and the length of their refs together,
        read from its array without making its entry (kb.search.shards sizes every entry before
        it writes any)."""
        found = self._postings.get(term)
        if found is None:
            return 0, 0
        refs = found[1::3]
        return len(refs), sum(map(self._ref_lengths.__getitem__, refs))

    def __len__(self) -> int:
        return len(self._numbers)


@dataclass
class LunrIndex:
    fields: tuple[Field, ...]
    #: Document refs in the order they were added.
    refs: tuple[str, ...] = ()
    #: term → (term index, {field: {doc ref: weight}}): the inverted index with each posting's
    #: field vector weight, which is all a query needs to score a document. Weights are in
    #: thousandths, as integers: lunr.js keeps Math.round(weight * 1000) / 1000, and dividing
    #: the integer by 1000 gives that very number (the browser does it when it loads a shard).
    terms: Postings = field(default_factory=lambda: Postings((), (), {}, {}))


def build_index(fields: Sequence[Field],
                documents: Iterable[tuple[str, Mapping[str, str | list[str] | Counted]]]) -> LunrIndex:
    """`documents` are (ref, {field name: text, or its terms from index_terms, or those counted}),
    in the order lunr.js would add them."""
    names = [f.name for f in fields]
    boosts = {f.name: f.boost for f in fields}
    #: How many (document, field) pairs have each term (lunr's idf counts a page once per field),
    #: in the order lunr.js numbers the terms: first seen first, as a Counter keeps its keys.
    having: Counter[str] = Counter()
    fields_counted: list[tuple[str, str, int, Mapping[str, int]]] = []
    total_length = dict.fromkeys(names, 0)
    refs: list[str] = []
    for ref, texts in documents:
        refs.append(ref)
        for name in names:
            given = texts.get(name) or ""
            if isinstance(given, Counted):
                length, counts = given.length, given.counts
            else:
                terms = given if isinstance(given, list) else index_terms(given)
                length, counts = len(terms), Counter(terms)
            having.update(counts.keys())
            fields_counted.append((ref, name, length, counts))
            total_length[name] += length
    count = len(refs)
    average = {name: total_length[name] / count if count else 0.0 for name in names}
    idf = {term: _idf(documents_with_term, count) for term, documents_with_term in having.items()}
    field_number = {name: number for number, name in enumerate(names)}
    ref_number = {ref: number for number, ref in enumerate(refs)}
    postings: dict[str, array[int]] = {}
    floor, k1_plus_1 = math.floor, K1_PLUS_1
    # Each field's counts are let go once weighed, so that they and the postings made from them
    # are not all held at once (with documents given as a generator, nothing else holds them).
    fields_counted.reverse()
    while fields_counted:
        ref, name, length, counts = fields_counted.pop()
        # The arithmetic is lunr.js's, in its order, so every weight rounds to the same digits.
        norm = K1 * (1 - B + B * (length / average[name] if average[name] else 0.0))
        boost = boosts[name]
        field_at, ref_at = field_number[name], ref_number[ref]
        for term, tf in counts.items():
            weight = floor(idf[term] * (k1_plus_1 * tf) / (norm + tf) * boost * 1000 + 0.5)
            found = postings.get(term)
            if found is None:
                found = postings[term] = array("i")
            found.extend((field_at, ref_at, weight))
    numbers = {term: number for number, term in enumerate(having)}
    return LunrIndex(tuple(fields), tuple(refs), Postings(tuple(names), tuple(refs), numbers, postings))


def _idf(documents_with_term: int, document_count: int) -> float:
    x = (document_count - documents_with_term + 0.5) / (documents_with_term + 0.5)
    return math.log(1 + abs(x))


def serialize(index: LunrIndex) -> dict[str, object]:
    """The index in lunr.js's own serialised form, for lunr.Index.load."""
    vectors: dict[str, list[tuple[int, float]]] = {f"{f.name}/{ref}": [] for ref in index.refs for f in index.fields}
    for number, by_field in index.terms.values():
        for name, weights in by_field.items():
            for ref, weight in weights.items():
                vectors.setdefault(f"{name}/{ref}", []).append((number, weight / 1000))
    return {
        "version": "2.3.9",
        "fields": [f.name for f in index.fields],
        "fieldVectors": [[ref, [x for pair in sorted(pairs) for x in pair]] for ref, pairs in vectors.items()],
        "invertedIndex": [
            [term, {"_index": number, **{name: {ref: {} for ref in refs} for name, refs in by_field.items()}}]
            for term, (number, by_field) in sorted(index.terms.items())
        ],
        "pipeline": ["stemmer"],
    }
