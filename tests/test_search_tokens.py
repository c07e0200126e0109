"""How text is cut into tokens before each becomes a term (kb.search.analysis.tokenize)."""

from __future__ import annotations

import pytest

from kb.search.analysis import _SEPARATOR, tokenize


@pytest.mark.parametrize("text", [
    "deploy -- safely\t\n\v\f\r  roll-back -", " - leading and trailing - ", "", "-", "a\x1cb\x1dc d\x1fe",
    "tab\x0bvertical\x0cfeed", "plain ascii words", "mixed é-words\u00a0here", "東京-駅 x",
])
def test_ascii_text_is_split_as_the_separator_splits_it(text: str) -> None:
    """The quick split of ASCII text gives the separator's tokens, but for the empty strings,
    which become no term."""
    assert [token for token in tokenize(text) if token] == [token for token in _SEPARATOR.split(text) if token]
