"""A lunr 2.3.9 index built fast, weight for weight what lunr.js would build from the same
documents.

lunr.py builds the same index but takes seven seconds per thousand pages; this builder counts
each page's terms as numbers into one vocabulary, then computes lunr's BM25 field vectors itself,
over every posting at once (kb.search.postings, with numpy). A document's fields come as their
terms, read in the page's language (kb.search.analysis), or as English text. Tests compare the
index with lunr.js's own.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from struct import Struct
from typing import TYPE_CHECKING

from kb.search.analysis import CJK_TERM, analyser, index_terms, normal, tokenize

if TYPE_CHECKING:
    from kb.search.postings import Postings


@dataclass(frozen=True)
class Field:
    name: str
    boost: float = 1.0


@dataclass(frozen=True, slots=True)
class Counted:
    """A field's terms as the index needs them: how many there are, and where its Vocabulary
    holds each distinct term's number and how often it occurs (`start:stop` of its counted
    arrays), in the order each first occurs (as `Counter(terms)` keeps them). Every field's
    counts are numbers in two arrays, as the index needs every page's at once: as a dictionary
    of strings per field, the search process held 920 MB once it had counted 50,000 pages, and
    an array per field left as much again allocated after they were let go."""

    length: int
    start: int
    stop: int


class Vocabulary:
    """Every term once, numbered in the order it was first counted, and every counted field's
    terms as these numbers. (lunr.js numbers terms in the order its index first meets them,
    which build_index works out from these.)"""

    def __init__(self) -> None:
        self.terms: list[str] = []
        self._numbers: dict[str, int] = {}
        #: By language, each word (token) read: its term's number, or -1 for a stop word.
        self._words: dict[str, dict[str, int]] = {}
        #: Each counted field's distinct terms (their numbers) and how often each occurs, one
        #: field after another (Counted.start:stop); None once an index has taken them.
        self._counted: tuple[array[int], array[int]] | None = (array("i"), array("i"))

    def count(self, terms: Iterable[str]) -> Counted:
        """`terms` counted: each distinct term's number and how often it occurs."""
        counts = Counter(terms)
        # A wiki repeats its words: only a page's new terms are numbered one by one (sorted, so
        # that the numbers do not depend on the order of a set). set.difference with a dict
        # looks up this page's terms; `keys() - keys()` would walk the whole vocabulary.
        for term in sorted(set(counts).difference(self._numbers)):
            self._number(term)
        return self._held(sum(counts.values()), map(self._numbers.__getitem__, counts), counts.values())

    def counts_of(self, counted: Counted) -> list[tuple[str, int]]:
        """A counted field's terms, each with how often it occurs, in order."""
        numbers, counts = self._held_counts()
        return [(self.terms[number], count) for number, count in
                zip(numbers[counted.start : counted.stop], counts[counted.start : counted.stop], strict=True)]

    def take_counted(self) -> tuple[array[int], array[int]]:
        """Every counted field's numbers and counts (Counted.start:stop), for the index, which
        lets them go as it reads them: the vocabulary counts nothing after."""
        held = self._held_counts()
        self._counted = None
        return held

    def _held_counts(self) -> tuple[array[int], array[int]]:
        if self._counted is None:
            raise ValueError("kb.search.lunrindex: this vocabulary's counts went into an index; count into a new one")
        return self._counted

    def _held(self, length: int, numbers: Iterable[int], counts: Collection[int]) -> Counted:
        held_numbers, held_counts = self._held_counts()
        start = len(held_numbers)
        # Packed as C ints in one call each: array.extend converts item by item, three times
        # slower (0.45 s of the search process at 10,000 pages).
        packed = Struct(f"{len(counts)}i")
        held_numbers.frombytes(packed.pack(*numbers))
        held_counts.frombytes(packed.pack(*counts))
        return Counted(length, start, len(held_numbers))

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
        return self._held(sum(counts.values()), counts, counts.values())

    def _number(self, term: str) -> int:
        number = self._numbers.get(term)
        if number is None:
            number = self._numbers[term] = len(self.terms)
            self.terms.append(term)
        return number


def _no_postings() -> Postings:
    from kb.search.postings import no_postings

    return no_postings()


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
    in `vocabulary`}), in the order lunr.js would add them. The vocabulary's counts are let go
    once read: it counts nothing more."""
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
    # numpy is imported where an index is built (in the search process), not by every process
    # that imports kb.search: it adds some 20 MB to the build's main process, whose size decides
    # how many page workers fit (mkdocs_kb.parallel).
    from kb.search.postings import weigh

    return LunrIndex(tuple(fields), tuple(refs), weigh(fields, refs, pairs, vocabulary))


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
