"""How text is cut into tokens before each becomes a term (kb.search.analysis.tokenize)."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.languages import LANGUAGES
from kb.search.analysis import _SEPARATOR, index_terms, tokenize
from kb.search.lunrindex import Vocabulary
from kb.search.site import _MARKUP


@pytest.mark.parametrize("text", [
    "deploy -- safely\t\n\v\f\r  roll-back -", " - leading and trailing - ", "", "-", "a\x1cb\x1dc d\x1fe",
    "tab\x0bvertical\x0cfeed", "plain ascii words", "mixed é-words\u00a0here", "東京-駅 x",
])
def test_ascii_text_is_split_as_the_separator_splits_it(text: str) -> None:
    """The quick split of ASCII text gives the separator's tokens, but for the empty strings,
    which become no term."""
    assert [token for token in tokenize(text) if token] == [token for token in _SEPARATOR.split(text) if token]


#: Words of several scripts, stop words, CJK and punctuation, so that pages share words and the
#: same word recurs in another language.
_WORDS = st.sampled_from(["Deploy", "deploying", "the", "l'équipe", "les", "clés", "東京駅", "東京", "Kubernetes", "Москва",
                          "-", "—", "…", "", "keys", "İzmir", "der", "Schlüssel", "x_y", "１２３"])
_PAGES = st.lists(st.tuples(st.lists(_WORDS | st.text(max_size=8), max_size=15).map(" ".join),
                            st.sampled_from(sorted(LANGUAGES))), max_size=12)


@settings(max_examples=200, deadline=None)
@given(pages=_PAGES)
def test_a_text_counted_word_by_word_is_its_terms_counted(pages: list[tuple[str, str]]) -> None:
    """The search process counts a page's words straight to numbers (Vocabulary.count_text),
    keeping each word's number from one page to the next: the counts are those of the page's
    terms (index_terms), in the same order, whatever pages came before."""
    vocabulary = Vocabulary()
    for text, language in pages:
        counted = vocabulary.count_text(text, language)
        terms = Counter(index_terms(text, language))
        assert counted.length == sum(terms.values())
        assert vocabulary.counts_of(counted) == list(terms.items())


#: The markup a page's body loses before its words are counted, as it reads: kb.search.site's
#: pattern is written differently, to be quick, and must take out exactly this.
_MARKUP_AS_READ = re.compile(r"\]\([^)]*\)|<[^>]*>|[\[\]()*_`#>|~=]+")


@settings(max_examples=3000, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("[]()<>*_`#|~=!-x é\n"), max_size=40) | st.text(max_size=40))
def test_the_quick_markup_pattern_takes_out_what_the_plain_one_does(text: str) -> None:
    assert _MARKUP.sub(" ", text) == _MARKUP_AS_READ.sub(" ", text)


@pytest.mark.parametrize("text", ["a](b) c", "**](x)", "<span>x</span>", "< no end", "x]y(z)", "[[a|b]]", "](", "<](x)>"])
def test_the_quick_markup_pattern_on_its_edge_cases(text: str) -> None:
    assert _MARKUP.sub(" ", text) == _MARKUP_AS_READ.sub(" ", text)
