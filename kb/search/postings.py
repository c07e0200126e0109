"""The index's postings weighed and held as numpy arrays: every posting of every page at once,
with lunr.js's BM25 arithmetic (kb.search.lunrindex.build_index reads the pages' counted terms
and hands them here).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from kb.search.lunrindex import Counted, Field, Vocabulary

K1, B = 1.2, 0.75
K1_PLUS_1 = K1 + 1
#: (document, field) pairs, or postings, read at a time: the temporary arrays stay a few megabytes
#: at any size.
_PAIRS = 8192
_POSTINGS = 1 << 20


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
        self._ref_lengths = np.array([len(ref) for ref in refs], dtype=np.int32)

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
        # Each posting's ref length, a million at a time: as one expression its temporaries were
        # the search process's largest moment.
        ref_chars = np.empty(len(self._places), dtype=np.int32)
        for start in range(0, len(ref_chars), _POSTINGS):
            ref_chars[start : start + _POSTINGS] = self._ref_lengths[self._places[start : start + _POSTINGS] // len(self._names)]
        counts = np.diff(self._starts).tolist()
        chars = np.add.reduceat(ref_chars, self._starts[:-1], dtype=np.int64).tolist()
        return zip(self._numbers, counts, chars, strict=True)

    def __len__(self) -> int:
        return len(self._numbers)


def no_postings() -> Postings:
    return Postings((), (), (), np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32))


def weigh(fields: Sequence[Field], refs: Sequence[str], pairs: list[Counted], vocabulary: Vocabulary) -> Postings:
    """The postings of every (document, field) pair's counted terms, `pairs` in the order lunr.js
    adds them (documents in order, each one's fields in order), counted in `vocabulary`. It
    takes the vocabulary's counts and empties `pairs`, letting each go once read."""
    names = [f.name for f in fields]
    count, width = len(refs), len(names)
    total_length = [sum(pair.length for pair in pairs[at::width]) for at in range(width)]
    average = [total / count if count else 0.0 for total in total_length]
    # The arithmetic is lunr.js's, in its order, so every weight rounds to the same digits.
    norms = np.array([K1 * (1 - B + B * (pair.length / average[at % width] if average[at % width] else 0.0))
                      for at, pair in enumerate(pairs)], dtype=np.float64)
    boosts = np.array([float(f.boost) for f in fields] * count, dtype=np.float64)
    sizes = np.array([pair.stop - pair.start for pair in pairs], dtype=np.int64)
    pair_starts = np.zeros(len(pairs) + 1, dtype=np.int64)
    np.cumsum(sizes, out=pair_starts[1:])
    # Every posting's term, numbered as lunr.js numbers terms, in the order it first meets them,
    # and its count: read a few thousand pairs at a time, in the order of the documents, not the
    # order they were counted in.
    held_numbers, held_counts = (np.frombuffer(held, dtype=np.intc) for held in vocabulary.take_counted())
    if any(pair.stop > len(held_numbers) for pair in pairs):
        raise ValueError("kb.search.postings: a field's terms were counted in another vocabulary")
    numbers = np.empty(pair_starts[-1], dtype=np.int32)
    counts = np.empty(pair_starts[-1], dtype=np.int32)
    numbering = np.full(len(vocabulary.terms), -1, dtype=np.int32)
    met: list[npt.NDArray[np.int32]] = []
    known = 0
    for first_pair in range(0, len(sizes), _PAIRS):
        chunk, last_pair = pairs[:_PAIRS], first_pair + min(_PAIRS, len(pairs))
        del pairs[:_PAIRS]
        span = slice(pair_starts[first_pair], pair_starts[last_pair])
        terms = _gathered(held_numbers, chunk)
        counts[span] = _gathered(held_counts, chunk)
        del chunk
        present, first = np.unique(terms, return_index=True)
        new = numbering[present] < 0
        in_order = present[new][np.argsort(first[new])]
        numbering[in_order] = np.arange(known, known + len(in_order), dtype=np.int32)
        known += len(in_order)
        met.append(in_order)
        numbers[span] = numbering[terms]
    del numbering, held_numbers, held_counts
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
    weights = weights[by_term]
    places = np.repeat(np.arange(len(sizes), dtype=np.int32), sizes)[by_term]
    del by_term
    starts = np.zeros(known + 1, dtype=np.int64)
    np.cumsum(having, out=starts[1:])
    terms_met = [vocabulary.terms[number] for part in met for number in part.tolist()]
    return Postings(tuple(names), tuple(refs), terms_met, starts, places, weights)


def _gathered(held: npt.NDArray[np.intc], pairs: list[Counted]) -> npt.NDArray[np.int32]:
    """The pairs' spans of `held`, one after another."""
    if not pairs:
        return np.zeros(0, dtype=np.int32)
    return np.concatenate([held[pair.start : pair.stop] for pair in pairs]).astype(np.int32, copy=False)


def _idf(documents_with_term: int, document_count: int) -> float:
    x = (document_count - documents_with_term + 0.5) / (documents_with_term + 0.5)
    return math.log(1 + abs(x))


