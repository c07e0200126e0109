"""kb's search index agrees with lunr.js 2.3.9 (from npm) word for word and weight for weight:
a word indexed at build time must be found by the same word typed in the browser."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.analyse.knowledge import build_knowledge_base
from kb.search import postings
from kb.search.analysis import CJK_LETTERS, CJK_PUNCTUATION, index_terms, normal, stem
from kb.search.lunrindex import Field, Vocabulary, build_index, serialize

from conftest import REPOSITORY

FIELDS = [Field("title", 10), Field("tags", 5), Field("body", 1)]
#: Words where lunr.py's Porter stemmer and lunr.js's used to disagree, and their neighbours.
TRICKY = ["key", "keys", "deploy", "deployed", "array", "arrays", "display", "today", "day", "say", "cry", "by", "jpy",
          "fly", "happy", "monday", "survey", "agreed", "feed", "generalization", "oscillators", "running", "é"]


@pytest.fixture(scope="module")
def lunr_js(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with lunr@2.3.9 installed from npm, for node to require."""
    if not shutil.which("node") or not shutil.which("npm"):
        if os.environ.get("CI"):
            pytest.fail("node and npm are needed for the lunr.js parity tests")
        pytest.skip("node and npm are not installed")
    folder = tmp_path_factory.mktemp("lunrjs")
    subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(folder), "lunr@2.3.9"],
                   check=True, capture_output=True, timeout=300)
    return folder


def node(folder: Path, script: str, data: object) -> object:
    (folder / "input.json").write_text(json.dumps(data), encoding="utf-8")
    done = subprocess.run(["node", "-e", script], cwd=folder, capture_output=True, text=True, check=True, timeout=120)
    return json.loads(done.stdout)


#: CJK text, which kb reads as pairs of characters where plain lunr.js reads a run as one word
#: (tests/test_search_languages.py compares that reading with lunr.js's).
_CJK = re.compile(f"[{CJK_LETTERS}{CJK_PUNCTUATION}]+")


def wiki_documents() -> list[tuple[str, dict[str, str]]]:
    """The example wiki's articles, their text in the one form kb reads (normal): lunr.js is
    given what kb's own tokenizer sees."""
    kb = build_knowledge_base(REPOSITORY / "content")
    return [(a.path, {"title": normal(a.title), "tags": normal(" ".join(a.tags)), "body": normal(_CJK.sub(" ", a.body))})
            for a in kb.articles.values()]


#: A lunr.js builder set up as kb reads text, with the one step kb does differently on purpose: a
#: trimmer that keeps the letters of every script (kb.search.analysis.trim). For `lunr(function
#: () { AS_KB_READS; ... })`, with `lunr` loaded.
AS_KB_READS = ("const trim = t => t.update(s => s.replace(/^[^\\p{L}\\p{N}_]+|[^\\p{L}\\p{M}\\p{N}_]+$/gu, ''));"
               "if (!lunr.Pipeline.registeredFunctions['unicode-trimmer']) lunr.Pipeline.registerFunction(trim, 'unicode-trimmer');"
               "this.pipeline.reset(); this.pipeline.add(trim, lunr.stopWordFilter, lunr.stemmer);")


def test_stems_agree_on_a_large_vocabulary(lunr_js: Path) -> None:
    words = sorted({w.lower() for _, texts in wiki_documents() for text in texts.values()
                    for w in re.findall(r"[A-Za-z]+", text)} | set(TRICKY))
    assert len(words) > 2000
    script = ("const lunr = require('lunr'); const words = require('./input.json');"
              "console.log(JSON.stringify(words.map(w => lunr.stemmer(new lunr.Token(w)).toString())));")
    assert dict(zip(words, node(lunr_js, script, words), strict=True)) == {word: stem(word) for word in words}


def test_index_is_the_index_lunr_js_builds(lunr_js: Path) -> None:
    documents = wiki_documents()
    script = ("const lunr = require('lunr'); const docs = require('./input.json');"
              "const idx = lunr(function () {" + AS_KB_READS + "this.ref('ref'); this.field('title', {boost: 10});"
              "this.field('tags', {boost: 5}); this.field('body'); docs.forEach(d => this.add(d)); });"
              "console.log(JSON.stringify(idx.toJSON()));")
    expected = node(lunr_js, script, [{"ref": ref, **texts} for ref, texts in documents])
    ours = serialize(build_index(FIELDS, documents))
    assert dict(ours["invertedIndex"]).keys() == dict(expected["invertedIndex"]).keys()
    assert dict(ours["invertedIndex"]) == dict(expected["invertedIndex"])
    assert dict(ours["fieldVectors"]) == dict(expected["fieldVectors"])


#: Few words, so that documents share terms, repeat them and leave fields empty; "the" is a stop
#: word, and "deploy", "deployed" and "deploying" one term.
_WORDS = st.sampled_from(["deploy", "deployed", "deploying", "cache", "the", "key", "keys", "rollback", "é", "x"])
_TEXT = st.lists(_WORDS, max_size=12).map(" ".join)
_DOCUMENTS = st.lists(st.fixed_dictionaries({"title": _TEXT, "tags": _TEXT, "body": _TEXT}), min_size=1, max_size=8)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents=_DOCUMENTS, counted_first=st.booleans(), pairs_at_a_time=st.sampled_from([1, 2, 5, 8192]))
def test_index_of_any_documents_is_lunr_js_index(lunr_js: Path, documents: list[dict[str, str]],
                                                 counted_first: bool, pairs_at_a_time: int) -> None:
    """Every weight and every term's number, however terms repeat across documents and fields:
    the index weighs all postings at once and numbers the terms as lunr.js meets them, reading
    so many (document, field) pairs at a time. Counted beforehand in another order (as the
    search process counts pages' own fields), the numbers of the vocabulary differ and the
    index may not."""
    script = ("const lunr = require('lunr'); const docs = require('./input.json');"
              "const idx = lunr(function () {" + AS_KB_READS + "this.ref('ref'); this.field('title', {boost: 10});"
              "this.field('tags', {boost: 5}); this.field('body'); docs.forEach(d => this.add(d)); });"
              "console.log(JSON.stringify(idx.toJSON()));")
    refs = [{"ref": str(number), **texts} for number, texts in enumerate(documents)]
    expected = node(lunr_js, script, refs)
    vocabulary = Vocabulary()
    given_documents: list[tuple[str, dict[str, object]]] = [(doc["ref"], dict(doc)) for doc in refs]
    if counted_first:
        for _, texts in reversed(given_documents):
            texts["body"] = vocabulary.count(index_terms(str(texts["body"])))
    default, postings._PAIRS = postings._PAIRS, pairs_at_a_time
    try:
        ours = serialize(build_index(FIELDS, given_documents, vocabulary))  # type: ignore[arg-type]
    finally:
        postings._PAIRS = default
    assert ours["invertedIndex"] == expected["invertedIndex"]
    assert dict(ours["fieldVectors"]) == dict(expected["fieldVectors"])


def test_an_index_of_no_documents_is_empty() -> None:
    index = build_index(FIELDS, [])
    assert (index.refs, len(index.terms), list(index.terms)) == ((), 0, [])
    assert serialize(index)["invertedIndex"] == []


def test_a_terms_postings_are_in_document_order() -> None:
    """The shards list each term's documents in the order they were added: the same bytes every
    build, whichever way the postings were sorted by term."""
    documents = [(str(n), {"title": f"deploy cache {n}", "tags": "deploy", "body": "cache deploy " * (n % 3 + 1)})
                 for n in range(300)]
    number, by_field = build_index(FIELDS, documents).terms["deploy"]
    assert number == 0
    assert {name: list(weights) for name, weights in by_field.items()} == {name: [str(n) for n in range(300)]
                                                                           for name in ("title", "tags", "body")}


def test_a_vocabulary_whose_counts_went_into_an_index_counts_nothing_more() -> None:
    """The index takes the vocabulary's counts and lets them go as it reads them: the pages'
    Counted spans point at nothing after, so using them again is an error, not another index."""
    vocabulary = Vocabulary()
    documents = [("0", {"title": vocabulary.count(index_terms("alpha")), "body": vocabulary.count_text("beta gamma")})]
    build_index(FIELDS, documents, vocabulary)
    with pytest.raises(ValueError, match="went into an index"):
        vocabulary.count(["zebra"])
    with pytest.raises(ValueError, match="went into an index"):
        build_index(FIELDS, documents, vocabulary)
    with pytest.raises(ValueError, match="counted in another vocabulary"):
        build_index(FIELDS, documents)
