"""A lunr 2.3.9 index built fast, weight for weight what lunr.js would build from the same
documents.

lunr.py builds the same index but takes seven seconds per thousand pages; this builder counts
terms in one pass and computes lunr's BM25 field vectors itself, over every posting at once with
numpy. A document's fields come as their terms, read in the page's language
(kb.search.analysis), or as English text. Tests compare the index with lunr.js's own.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from kb.search.analysis import CJK_TERM, analyser, index_terms, normal, tokenize

K1, B = 1.2, 0.75
K1_PLUS_1 = K1 + 1
#: (document, field) pairs read at a time: the temporary arrays stay a few megabytes at any size.
_PAIRS = 8192


@dataclass(frozen=True)
class Field:
    name: str
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Counted:
    """A field's terms as the index needs them: how many there are, and each distinct term (by
    its number in a Vocabulary) with how often it occurs, in the order each first occurs (as
    `Counter(terms)` keeps them). Two arrays of numbers, as the index needs every page's at once:
    as a dictionary of strings per field, the search process held 920 MB once it had counted
    50,000 pages, against 605 MB as arrays."""

    length: int
    terms: array[int]
    counts: array[int]


class Vocabulary:
    """Every term once, numbered in the order it was first counted: pages' counted terms refer
    to their terms by these numbers. (lunr.js numbers terms in the order its index first meets
    them, which build_index works out from these.)"""

    def __init__(self) -> None:
        self.terms: list[str] = []
        self._numbers: dict[str, int] = {}
        #: By language, each word (token) read: its term's number, or -1 for a stop word.
        self._words: dict[str, dict[str, int]] = {}

    def count(self, terms: Iterable[str]) -> Counted:
        """`terms` counted: each distinct term's number and how often it occurs."""
        counts = Counter(terms)
        # A wiki repeats its words: only a page's new terms are numbered one by one (sorted, so
        # that the numbers do not depend on the order of a set). set.difference with a dict
        # looks up this page's terms; `keys() - keys()` would walk the whole vocabulary.
        for term in sorted(set(counts).difference(self._numbers)):
            self._number(term)
        return Counted(sum(counts.values()), array("i", map(self._numbers.__getitem__, counts)),
                       array("i", counts.values()))

    def count_text(self, text: str, language: str = "en") -> Counted:
        """`index_terms(text, language)` counted, each distinct word read once to its term's
        number (-1 for a stop word), so that a page's words become numbers without a list of
        its terms in between. A word with CJK text in it is a phrase, read anew each time
        (kb.search.analysis.Analyser): a page with one is counted from its terms."""
        tokens = tokenize(normal(text))
        known = self._words.setdefault(language, {})
        new = set(tokens).difference(known)
        if new:
            read = analyser(language)
            for token in sorted(new):
                if CJK_TERM.search(token):
                    return self.count(read.terms(text))
                term = read.term(token) if token else None
                known[token] = -1 if term is None else self._number(term)
        counts = Counter(map(known.__getitem__, tokens))
        counts.pop(-1, None)
        return Counted(sum(counts.values()), array("i", counts), array("i", counts.values()))

    def _number(self, term: str) -> int:
        number = self._numbers.get(term)
        if number is None:
            number = self._numbers[term] = len(self.terms)
            self.terms.append(term)
        return number


#: A term's entry: (term index, {field: {doc ref: weight}}).
TermEntry = tuple[int, dict[str, dict[str, int]]]


class Postings(Mapping[str, TermEntry]):
    """The inverted index, term → TermEntry in the order lunr.js numbers the terms, held compact:
    two flat arrays of every posting in term order, where each posting is its (document, field)
    pair as one number and its weight, and each entry is made as it is read. As dictionaries
    of dictionaries the postings were most of the search process's memory (four million at
    10,000 pages, some hundred bytes each); as arrays they are eight bytes."""

    def __init__(self, names: Sequence[str], refs: Sequence[str], terms: Sequence[str],
                 starts: npt.NDArray[np.int64], places: npt.NDArray[np.int32], weights: npt.NDArray[np.int32]) -> None:
        #: Term t's postings are places[starts[t]:starts[t + 1]], a place being document × fields + field.
        self._names, self._refs, self._starts, self._places, self._weights = names, refs, starts, places, weights
        self._numbers = {term: number for number, term in enumerate(terms)}
        self._ref_lengths = np.array([len(ref) for ref in refs], dtype=np.int64)

    def _span(self, term: str) -> tuple[int, slice]:
        number = self._numbers[term]
        return number, slice(int(self._starts[number]), int(self._starts[number + 1]))

    def __getitem__(self, term: str) -> TermEntry:
        number, span = self._span(term)
        names, refs = self._names, self._refs
        by_field: dict[str, dict[str, int]] = {name: {} for name in names}
        documents, fields = np.divmod(self._places[span], len(names))
        for document, at, weight in zip(documents.tolist(), fields.tolist(), self._weights[span].tolist(), strict=True):
            by_field[names[at]][refs[document]] = weight
        return number, by_field

    def __iter__(self) -> Iterator[str]:
        return iter(self._numbers)

    def posting_refs(self) -> Iterator[tuple[str, int, int]]:
        """Each term, how many (field, document) pairs have it, and the length of their refs
        together, read from the arrays without making any entry (kb.search.shards sizes every
        entry before it writes any)."""
        if not self._numbers:
            return iter(())
        ref_chars = self._ref_lengths[self._places // len(self._names)]
        counts, chars = np.diff(self._starts).tolist(), np.add.reduceat(ref_chars, self._starts[:-1]).tolist()
        return zip(self._numbers, counts, chars, strict=True)

    def __len__(self) -> int:
        return len(self._numbers)


def _no_postings() -> Postings:
    return Postings((), (), (), np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32))


@dataclass
class LunrIndex:
    fields: tuple[Field, ...]
    #: Document refs in the order they were added.
    refs: tuple[str, ...] = ()
    #: term → (term index, {field: {doc ref: weight}}): the inverted index with each posting's
    #: field vector weight, which is all a query needs to score a document. Weights are in
    #: thousandths, as integers: lunr.js keeps Math.round(weight * 1000) / 1000, and dividing
    #: the integer by 1000 gives that very number (the browser does it when it loads a shard).
    terms: Postings = field(default_factory=_no_postings)


def build_index(fields: Sequence[Field],
                documents: Iterable[tuple[str, Mapping[str, str | list[str] | Counted]]],
                vocabulary: Vocabulary | None = None) -> LunrIndex:
    """`documents` are (ref, {field name: text, or its terms from index_terms, or those counted
    in `vocabulary`}), in the order lunr.js would add them."""
    vocabulary = vocabulary if vocabulary is not None else Vocabulary()
    names = [f.name for f in fields]
    refs: list[str] = []
    #: Every (document, field) pair's terms, documents in order and each one's fields in order.
    pairs: list[Counted] = []
    for ref, texts in documents:
        refs.append(ref)
        for name in names:
            given = texts.get(name) or ""
            if not isinstance(given, Counted):
                given = vocabulary.count(given if isinstance(given, list) else index_terms(given))
            pairs.append(given)
    count, width = len(refs), len(names)
    total_length = [sum(pair.length for pair in pairs[at::width]) for at in range(width)]
    average = [total / count if count else 0.0 for total in total_length]
    # The arithmetic is lunr.js's, in its order, so every weight rounds to the same digits.
    norms = np.array([K1 * (1 - B + B * (pair.length / average[at % width] if average[at % width] else 0.0))
                      for at, pair in enumerate(pairs)], dtype=np.float64)
    boosts = np.array([float(f.boost) for f in fields] * count, dtype=np.float64)
    sizes = np.array([len(pair.terms) for pair in pairs], dtype=np.int64)
    pair_starts = np.zeros(len(pairs) + 1, dtype=np.int64)
    np.cumsum(sizes, out=pair_starts[1:])
    # Every posting's term, numbered as lunr.js numbers terms, in the order it first meets them,
    # and its count: read a few thousand pairs at a time, each pair's own arrays let go once
    # read, so that no more than these two arrays of every posting are held.
    numbers = np.empty(pair_starts[-1], dtype=np.int32)
    counts = np.empty(pair_starts[-1], dtype=np.int32)
    numbering = np.full(len(vocabulary.terms), -1, dtype=np.int32)
    met: list[npt.NDArray[np.int32]] = []
    known = 0
    for first_pair in range(0, len(sizes), _PAIRS):
        chunk, last_pair = pairs[:_PAIRS], first_pair + min(_PAIRS, len(pairs))
        del pairs[:_PAIRS]
        span = slice(pair_starts[first_pair], pair_starts[last_pair])
        terms = _joined([pair.terms for pair in chunk])
        counts[span] = _joined([pair.counts for pair in chunk])
        del chunk
        present, first = np.unique(terms, return_index=True)
        new = numbering[present] < 0
        in_order = present[new][np.argsort(first[new])]
        numbering[in_order] = np.arange(known, known + len(in_order), dtype=np.int32)
        known += len(in_order)
        met.append(in_order)
        numbers[span] = numbering[terms]
    del numbering
    # How many (document, field) pairs have each term: lunr's idf counts a page once per field.
    having = np.bincount(numbers, minlength=known)
    idf = np.array([_idf(pairs_with_term, count) for pairs_with_term in having.tolist()], dtype=np.float64)
    weights = np.empty(len(numbers), dtype=np.int32)
    for first_pair in range(0, len(sizes), _PAIRS):
        last_pair = min(first_pair + _PAIRS, len(sizes))
        span = slice(pair_starts[first_pair], pair_starts[last_pair])
        at = np.repeat(np.arange(first_pair, last_pair, dtype=np.int32), sizes[first_pair:last_pair])
        tf = counts[span].astype(np.float64)
        weights[span] = np.floor(idf[numbers[span]] * (K1_PLUS_1 * tf) / (norms[at] + tf) * boosts[at] * 1000 + 0.5)
    del counts
    # Each term's postings together, in the order they were met.
    by_term = np.argsort(numbers, kind="stable")
    del numbers
    starts = np.zeros(known + 1, dtype=np.int64)
    np.cumsum(having, out=starts[1:])
    terms_met = [vocabulary.terms[number] for part in met for number in part.tolist()]
    weights = weights[by_term]
    places = np.repeat(np.arange(len(sizes), dtype=np.int32), sizes)[by_term]
    postings = Postings(tuple(names), tuple(refs), terms_met, starts, places, weights)
    return LunrIndex(tuple(fields), tuple(refs), postings)


def _joined(arrays: list[array[int]]) -> npt.NDArray[np.int32]:
    if not arrays:
        return np.zeros(0, dtype=np.int32)
    return np.concatenate([np.frombuffer(numbers, dtype=np.intc) for numbers in arrays]).astype(np.int32, copy=False)


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
