"""kb on real public content: each corpus (a git work tree under $KB_CORPORA, default ../corpora beside
the repository; see bench/corpora.py for what they are and how to get them) is built with kb, and every
page its own tool would publish is published by kb or named by one of kb's diagnostics. A corpus that
is not there is skipped: they are large and not part of the repository."""

from __future__ import annotations

import sys

import pytest

from conftest import REPOSITORY

sys.path.insert(0, str(REPOSITORY / "bench"))
import corpora as bench  # noqa: E402


@pytest.mark.parametrize("corpus", bench.CORPORA, ids=[c.name for c in bench.CORPORA])
def test_corpus_builds_and_accounts_for_every_source_page(corpus: bench.Corpus) -> None:
    tree = bench.DEFAULT_CORPORA / corpus.name
    if not (tree / corpus.content).is_dir():
        pytest.skip(f"no corpus at {tree / corpus.content} (set KB_CORPORA)")
    result = bench.run(corpus, bench.DEFAULT_CORPORA)
    assert "Traceback (most recent call last)" not in result.log, result.log[-4000:]
    assert result.tracebacks == 0, [d for d in result.diagnostics if d["code"] == "internal.error"]
    assert result.build_returncode == 0, result.log[-4000:]
    assert result.source, "the source tool would publish no page: the corpus is not what this test expects"
    named, unnamed = result.missing(tree / corpus.content)
    assert unnamed == [], f"{len(unnamed)} pages the source publishes are neither published by kb nor named: {unnamed[:20]}"
