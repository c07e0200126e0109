"""Search in the wiki's languages, on a wiki in five of them built for real: the option, each page
read in its own language (or its folder's), the scripts each language needs on every page, and
the committed query set (tests/sites/multilingual/queries.yml) answered by kb's own search code
in node, from the files the build wrote."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from kb.config import KbConfig
from kb.languages import search_languages
from kb.read.collect import Source
from kb.read.parse import parse_source
from kb.search.shards import file_name

from conftest import SITES, Built, commit_all, copy_site, mkdocs_build

QUERIES = yaml.safe_load((SITES / "multilingual" / "queries.yml").read_text(encoding="utf-8"))


# --- the option and a page's language ------------------------------------------------------------

@pytest.mark.parametrize(("option", "theme", "expected"), [
    (True, None, (True, ("en",))),
    (True, "de", (True, ("de",))),
    (True, "pt-BR", (True, ("pt",))),
    (True, "nb", (True, ("no",))),
    (True, "pl", (True, ("en",))),  # no stemmer for Polish: English, as before
    (False, "de", (False, ("de",))),
    ({}, "fr", (True, ("fr",))),
    ({"lang": "ja"}, "de", (True, ("ja",))),
    ({"lang": ["en", "de", "ja", "DE", "zh-Hant"]}, None, (True, ("en", "de", "ja", "zh"))),
])
def test_the_search_option_names_the_languages(option: Any, theme: Any, expected: tuple[bool, tuple[str, ...]]) -> None:
    assert search_languages(option, theme) == expected


@pytest.mark.parametrize(("option", "message"), [
    ({"lang": ["en", "xx"]}, "search: lang: 'xx' is not a language kb's search reads; it reads da (Danish), de (German)"),
    ({"lang": [False]}, 'search: lang: YAML reads a bare no as false: write "no" in quotes'),
    ({"lang": []}, "search: lang: name at least one language"),
    ({"langs": ["de"]}, "search: unknown option 'langs' (kb's search has one: lang)"),
    ("de", "search: expected true, false or 'lang: [en, de]'"),
])
def test_a_wrong_search_option_says_what_to_write(option: Any, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        KbConfig.from_options({"search": option})
    assert str(raised.value).startswith(message)


def parse(text: str, languages: tuple[str, ...] = ("en", "de")) -> tuple[Any, list[str]]:
    page, diagnostics = parse_source(Source("guides/page.md", "docs/guides/page.md", text), KbConfig(search_languages=languages))
    return page, [f"{d.line}: {d.severity.value}: {d.message} [{d.code}]" for d in diagnostics]


def test_a_page_names_its_language_in_its_front_matter() -> None:
    assert parse("---\nlang: de-AT\n---\nText.\n")[0].lang == "de"
    page, problems = parse("---\nlang: fr\n---\nTexte.\n")
    assert page.lang == "fr" and problems == [
        "2: warning: 'lang: fr': the site's search does not read French, so it reads this page as English; add fr to the "
        "kb plugin's 'search: {lang: [...]}' in mkdocs.yml [search.lang]"]
    page, problems = parse("---\nlang: klingon\n---\nText.\n")
    assert page.lang is None and problems[0].startswith(
        "2: error: 'lang': 'klingon' is not a language kb's search reads; it reads da (Danish)")
    # YAML 1.1 reads a bare no as false; where a key takes text, kb reads the word, as YAML 1.2 does.
    page, problems = parse("---\nlang: no\n---\nTekst.\n", ("en", "no"))
    assert page.lang == "no" and problems == []
    assert parse("---\nlang: false\n---\nText.\n")[1] == ["2: error: 'lang': expected text [frontmatter.value]"]


# --- the built wiki -------------------------------------------------------------------------

def postings(site: Path) -> dict[str, set[str]]:
    """Each index term and the URLs of the pages that have it."""
    urls = {ref: doc["u"] for shard in (site / "search" / "d").glob("*.json")
            for ref, doc in json.loads(shard.read_text(encoding="utf-8")).items()}
    found: dict[str, set[str]] = {}
    for shard in (site / "search" / "t").glob("*.json"):
        for term, (_, by_field) in json.loads(shard.read_text(encoding="utf-8")).items():
            found[term] = {urls[ref] for refs in by_field.values() for ref in refs}
    return found


def test_each_page_is_read_in_its_language(multilingual_site: Built) -> None:
    site = multilingual_site.site
    manifest = json.loads((site / "search" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["lang"] == ["en", "de", "fr", "ja", "zh"]
    terms = postings(site)
    # German pages, by their folder's index page: Snowball's German stems, no umlauts, no stop words.
    assert "de/haus/" in terms["haus"] and "de/haus/" in terms["gebaud"] and "häuser" not in terms
    assert "de/dienstreise/" in terms["dienstreis"] and "de/dienstreise/" not in terms.get("die", ())
    # A German page among the English guides, by its own front matter.
    assert terms["kostenstell"] == {"guides/glossar/"}
    # French: accents folded, elided articles off their words.
    assert "fr/notes-de-frais/" in terms["rembours"] and "fr/formation/" in terms["inscript"]
    assert not any(term.startswith("l'") for term in terms)
    # English pages with lunr's Porter stemmer, as before.
    assert "guides/travel/" in terms["receipt"]
    # Japanese and Chinese as pairs of characters; Latin words in them as English words.
    assert "ja/tokyo-office/" in terms["新宿"] and "ja/tokyo-office/" in terms["事務"] and "ja/tokyo-office/" in terms["務所"]
    assert "zh/reimbursement/" in terms["报销"] and {"ja/kubernetes/", "zh/deploy/"} <= terms["kubernet"]
    # CJK terms are sharded by their first character.
    assert (site / "search" / "t" / f"{file_name('新')}.json").is_file()


def test_a_page_in_another_language_marks_its_title_and_text_with_it(multilingual_site: Built) -> None:
    """For screen readers and hyphenation; the header's labels stay in the site's language."""
    german = multilingual_site.html("de/haus/")
    assert re.search(r'<h1 lang="de">Unser Haus in Berlin</h1>', german)
    assert re.search(r'<div class="kb-text" lang="de">\s*<p>', german)
    assert '<html lang="en"' in german
    assert multilingual_site.html("ja/tax/").count('lang="ja"') == 2
    english = multilingual_site.html("guides/travel/")
    assert "<h1>Business travel</h1>" in english and 'class="kb-text"' not in english


def test_every_page_loads_the_scripts_of_the_site_s_languages(multilingual_site: Built) -> None:
    html = multilingual_site.html("de/haus/")
    scripts = re.findall(r'<script src="([^"]+)"', html)
    search = [src.split("assets/kb/", 1)[1] for src in scripts if "assets/kb/" in src and "previews" not in src]
    assert search == ["vendor/lunr-2.3.9.min.js", "vendor/lunr-languages-1.22.0/lunr.stemmer.support.min.js",
                      "vendor/lunr-languages-1.22.0/lunr.de.min.js", "vendor/lunr-languages-1.22.0/lunr.fr.min.js",
                      "search-lang.js", "search-core.js", "search.js"]
    for src in search:
        assert (multilingual_site.site / "assets" / "kb" / src).is_file()


_QUERY_SET_JS = """
const fs = require('fs'), path = require('path');
const {site, queries} = require('./input.json');
const asset = p => path.join(site, 'assets', 'kb', p);
const read = p => JSON.parse(fs.readFileSync(path.join(site, p), 'utf8'));
const lunr = require(asset('vendor/lunr-2.3.9.min.js'));
const manifest = read('search/manifest.json');
// The scripts a page of the site loads, in its order.
const html = fs.readFileSync(path.join(site, 'index.html'), 'utf8');
for (const [, src] of html.matchAll(/<script src="([^"]*assets\\/kb\\/vendor\\/lunr-languages[^"]+)"/g)) {
  require(path.join(site, src))(lunr);
}
const core = require(asset('search-core.js'))(lunr, read);
(async () => {
  const out = {};
  for (const [lang, list] of Object.entries(queries)) {
    out[lang] = [];
    for (const [query, expected] of list) {
      const results = (await core.search(query)).slice(0, 5);
      out[lang].push([query, expected, results.map(r => read(`search/d/${Math.floor(+r.ref / manifest.docs_per_shard)}.json`)[r.ref].u)]);
    }
  }
  console.log(JSON.stringify(out));
})();
"""


def test_the_query_set_finds_each_answer_in_the_first_five_results(multilingual_site: Built, tmp_path: Path) -> None:
    """At least 20 queries per language, with inflected forms and CJK substrings; the answer is among
    the first five for at least 95% of each language's."""
    if not shutil.which("node"):
        if os.environ.get("CI"):
            pytest.fail("node is needed to run kb's search code")
        pytest.skip("node is not installed")
    (tmp_path / "input.json").write_text(json.dumps({"site": str(multilingual_site.site), "queries": QUERIES},
                                                    ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(["node", "-e", _QUERY_SET_JS], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    answers = json.loads(done.stdout)
    assert set(answers) == {"de", "fr", "ja", "zh"}
    for lang, rows in answers.items():
        missed = [(query, expected, shown) for query, expected, shown in rows if expected not in shown]
        print(f"{lang}: {len(rows) - len(missed)} of {len(rows)} in the first five")
        assert len(rows) >= 20 and len(missed) <= 0.05 * len(rows), missed


@pytest.mark.parametrize(("settings", "expected"), [
    ("theme:\n  name: material\n  language: de\nplugins: [kb]\n", ["de"]),
    ("theme: material\nplugins:\n  - kb:\n      search: true\n", ["en"]),
])
def test_without_the_option_the_search_reads_the_theme_s_language(settings: str, expected: list[str], tmp_path: Path) -> None:
    root = copy_site("multilingual", tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(re.sub(r"^theme: material\nplugins:\n.*", settings, config.read_text(encoding="utf-8"), flags=re.S | re.M),
                      encoding="utf-8")
    commit_all(root)
    built = mkdocs_build(root, strict=False)
    assert built.returncode == 0, built.log
    assert json.loads((built.site / "search" / "manifest.json").read_text(encoding="utf-8"))["lang"] == expected
    # The pages in other languages are read in the site's language, and each says how to change that.
    assert "[search.lang]" in built.log and "add ja to the kb plugin's 'search: {lang: [...]}'" in built.log


def test_a_language_kb_cannot_read_stops_the_build(tmp_path: Path) -> None:
    root = copy_site("multilingual", tmp_path)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("[en, de, fr, ja, zh]", "[en, pl]"), encoding="utf-8")
    built = mkdocs_build(root)
    assert built.returncode != 0
    assert "kb: search: lang: 'pl' is not a language kb's search reads" in built.log
