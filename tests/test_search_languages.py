"""kb's search reads each language the same way when the index is built (kb.search.analysis) and
when the browser reads a query (theme/assets/kb/search-lang.js), and as lunr.js with
lunr-languages 1.22.0 (from npm) reads it: the same tables, stems and tokens, and the same top
ten results with the same scores.

    python tests/test_search_languages.py --update    rewrites kb/search/lunr-languages.json
                                                      from the vendored scripts

Set KB_SNOWBALL_DATA to a checkout of github.com/snowballstem/snowball-data to compare the stems
of Snowball's own test vocabularies (587,302 words in the fourteen languages) besides the words
made up here.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from kb.analyse.knowledge import build_knowledge_base
from kb.config import KbConfig
from kb.languages import LANGUAGES, SNOWBALL
from kb.search.analysis import ELISIONS, TABLES, index_terms, normal, stemmer
from kb.search.lunrindex import Field, build_index
from kb.search.shards import SearchDoc, emit_search

from conftest import REPOSITORY, SITES

ASSETS = REPOSITORY / "theme" / "assets" / "kb"
VENDOR = ASSETS / "vendor" / "lunr-languages-1.22.0"
TABLES_FILE = REPOSITORY / "kb" / "search" / "lunr-languages.json"
MULTILINGUAL = SITES / "multilingual"
QUERIES = yaml.safe_load((MULTILINGUAL / "queries.yml").read_text(encoding="utf-8"))
FIELDS = [Field("title", 10), Field("body", 1)]


def install(folder: Path) -> Path:
    """lunr@2.3.9 and lunr-languages@1.22.0 from npm in `folder`; its node_modules."""
    subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(folder), "lunr@2.3.9",
                    "lunr-languages@1.22.0"], check=True, capture_output=True, timeout=300)
    return folder / "node_modules"


@pytest.fixture(scope="module")
def npm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not shutil.which("node") or not shutil.which("npm"):
        if os.environ.get("CI"):
            pytest.fail("node and npm are needed for the lunr-languages parity tests")
        pytest.skip("node and npm are not installed")
    return install(tmp_path_factory.mktemp("lunr-languages"))


def node(script: str, data: object, folder: Path) -> Any:
    (folder / "input.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(["node", "-e", script], cwd=folder, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# --- the tables Python reads from lunr-languages ------------------------------------------------

_TABLES_JS = """
const path = require('path');
const {lunr: lunrPath, vendor, codes} = require('./input.json');
const lunr = require(lunrPath);
require(path.join(vendor, 'lunr.stemmer.support.min.js'))(lunr);
const generate = lunr.generateStopWordFilter, out = {};
for (const code of codes) {
  let stop = null;
  lunr.generateStopWordFilter = words => { stop = words; return generate(words); };
  require(path.join(vendor, `lunr.${code}.min.js`))(lunr);
  lunr.generateStopWordFilter = generate;
  const builder = {pipeline: new lunr.Pipeline(), searchPipeline: new lunr.Pipeline()};
  lunr[code].call(builder);
  out[code] = {pipeline: builder.pipeline.toJSON(), stop_words: [...new Set(stop)].sort(),
               word_characters: lunr[code].wordCharacters};
}
console.log(JSON.stringify(out));
"""


def read_tables(modules: Path, folder: Path) -> str:
    """kb/search/lunr-languages.json as the vendored scripts define it: each language's index
    pipeline (by label), its trimmer's word characters and its stop words."""
    tables = node(_TABLES_JS, {"lunr": str(modules / "lunr"), "vendor": str(VENDOR), "codes": sorted(SNOWBALL)}, folder)
    lines = ",\n".join(f"  {json.dumps(code)}: {json.dumps(table, ensure_ascii=False, sort_keys=True)}"
                       for code, table in sorted(tables.items()))
    source = ("lunr-languages 1.22.0 (MPL 1.1: theme/assets/kb/vendor/lunr-languages-1.22.0/LICENSE.txt), read from its "
              "scripts by tests/test_search_languages.py")
    return f"{{\n \"source\": \"{source}\",\n \"languages\": {{\n{lines}\n }}\n}}\n"


def test_python_reads_the_tables_of_the_vendored_scripts(npm: Path, tmp_path: Path) -> None:
    expected = read_tables(npm, tmp_path)
    assert TABLES_FILE.read_text(encoding="utf-8") == expected, "python tests/test_search_languages.py --update"
    # Every step of every pipeline is one kb.search.analysis knows how to take.
    assert {re.sub(r"-\w\w$", "", label) for table in TABLES.values() for label in table["pipeline"]} == {
        "trimmer", "stopWordFilter", "accentFold", "stemmer"}


# --- stems ------------------------------------------------------------------------------------

#: Snowball's name for each language's test vocabulary (snowball-data/<name>/voc.txt).
SNOWBALL_DATA = os.environ.get("KB_SNOWBALL_DATA")


def wiki_words(code: str) -> list[str]:
    words: set[str] = set()
    for path in MULTILINGUAL.joinpath("docs").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        if f"lang: {code}" in text or path.parent.name == code:
            words.update(word.lower() for word in re.findall(r"[^\W\d_]+", text))
    return sorted(words)


def vocabulary(code: str, count: int = 4000) -> list[str]:
    """Words of the language made up from its letters and endings: stems of two to four syllables
    and one or two of the endings its stop words and the test wiki's words have (which are the
    suffixes stemmers take off), with accents where the language writes them. Deterministic."""
    seeds = sorted(set(TABLES[code]["stop_words"]) | set(wiki_words(code)))
    seeds = [word for word in seeds if word]
    letters = sorted({letter for word in seeds for letter in word if letter.isalpha()})
    vowels = [letter for letter in letters if letter in "aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿœıаеёиоуыэюя"] or ["a"]
    consonants = [letter for letter in letters if letter not in vowels] or ["t"]
    endings = sorted({word[-size:] for word in seeds for size in (1, 2, 3, 4) if len(word) > size})
    rng = random.Random(f"kb-vocabulary-{code}")
    words = set(seeds)
    while len(words) < count + len(seeds):
        stem = "".join(rng.choice(consonants) * rng.choice((0, 1, 1, 1, 2)) + rng.choice(vowels) * rng.choice((1, 1, 1, 2))
                       for _ in range(rng.randint(1, 4)))
        words.add(stem + "".join(rng.choice(endings) for _ in range(rng.choice((0, 1, 1, 2)))))
    return sorted(words)


_STEMS_JS = """
const {modules, code, words} = require('./input.json');
const lunr = require(modules + '/lunr');
require(modules + '/lunr-languages/lunr.stemmer.support.js')(lunr);
require(modules + `/lunr-languages/lunr.${code}.js`)(lunr);
console.log(JSON.stringify(words.map(w => lunr[code].stemmer(new lunr.Token(w)).toString())));
"""


@pytest.mark.parametrize("code", sorted(SNOWBALL))
def test_stems_agree_with_lunr_languages(npm: Path, tmp_path: Path, code: str) -> None:
    words = vocabulary(code)
    if SNOWBALL_DATA:
        voc = Path(SNOWBALL_DATA) / SNOWBALL[code].lower() / "voc.txt"
        words += voc.read_text(encoding="utf-8").split()
    # Words with a character beyond U+FFFF, which JavaScript counts as two.
    words += [word[:2] + "😀" + word[2:] for word in words[:: max(1, len(words) // 200)]]
    expected = node(_STEMS_JS, {"modules": str(npm), "code": code, "words": words}, tmp_path)
    stem = stemmer(code)
    assert [(word, js, stem(word)) for word, js in zip(words, expected, strict=True) if stem(word) != js] == []


# --- tokens -----------------------------------------------------------------------------------

#: Characters of every kind a wiki's text has: letters with and without accents, Cyrillic, CJK
#: (Han, kana, Hangul, halfwidth, beyond U+FFFF), digits, punctuation of both kinds, and the
#: spaces and controls on which Python's \\s and JavaScript's disagree.
CHARACTERS = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" "äöüßÄÖÜẞéèêëàâîïôûùçœæÿñáíóúõãåøšžčłńőűığşİı"
              "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЁЖ" "東京事務所新宿駅経費領収書北京办公室会议室" "ひらがなカタカナーヶ々〆ゝ"
              "한국어서울에서ᄀ" "ｶﾀｶﾅﾞ" "ＡＢＣｄｅｆ１２３" "0123456789_" "'’\"-—–…·・、。「」（）！？，．：；［］｛｝｡､"
              "!?.,;:()[]{}<>/\\|@#$%^&*+=~`" "\u00a0\u2009\u3000\t\n\x1c\x85\ufeff\u200b" "😀𠀋𩸽" "\u0301\u200d"
              "αβγδΑΒΓΣσς" "القاهرة" "ירושלים" "हिंदी" "ﬁ①²™Å" "e\u0301İıŉ")


def random_texts(code: str, count: int = 400) -> list[str]:
    """Texts of made-up words and of any characters at all, mixed. Deterministic."""
    rng = random.Random(f"kb-texts-{code}")
    words = vocabulary(code, 500) if code in SNOWBALL else vocabulary("de", 300) + vocabulary("fr", 300)
    texts = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 8)):
            kind = rng.random()
            if kind < 0.5:
                word = rng.choice(words)
                parts.append(word.capitalize() if rng.random() < 0.3 else word)
            else:
                parts.append("".join(rng.choice(CHARACTERS) for _ in range(rng.randint(1, 6))))
            parts.append(rng.choice([" ", " ", "", "-", "\u3000", "、", "\n"]))
        texts.append("".join(parts))
    return texts


def wiki_texts() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(MULTILINGUAL.joinpath("docs").rglob("*.md"))]


_TOKENS_JS = """
const {modules, vendor, assets, code, texts} = require('./input.json');
const lunr = require(modules + '/lunr');
require(vendor + '/lunr.stemmer.support.min.js')(lunr);
const fs = require('fs');
if (fs.existsSync(vendor + `/lunr.${code}.min.js`)) require(vendor + `/lunr.${code}.min.js`)(lunr);
const kb = require(assets + '/search-lang.js')(lunr);
console.log(JSON.stringify(texts.map(t => kb.indexTerms(t, code))));
"""


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_tokens_agree_with_the_browser(npm: Path, tmp_path: Path, code: str) -> None:
    """The terms of the same text from Python and from search-lang.js (with the vendored scripts)."""
    texts = wiki_texts() + random_texts(code) + [
        "東京の事務所は新宿駅から徒歩五分", "Kubernetesのデプロイ手順 (東京)", "l'inscription d’hameçonnage", "dell'anno",
        "Häuser, Gebäude; Dienstreisen!", "—", "…", "", "a😀en", "𠀋𠀋 𩸽", "서울에서", "ｶﾀｶﾅ"]
    expected = node(_TOKENS_JS, {"modules": str(npm), "vendor": str(VENDOR), "assets": str(ASSETS), "code": code,
                                 "texts": texts}, tmp_path)
    assert [(text, js, index_terms(text, code)) for text, js in zip(texts, expected, strict=True)
            if index_terms(text, code) != js] == []


def test_cjk_text_is_read_as_characters_and_pairs_in_every_language() -> None:
    for code in ("en", "de", "ja", "zh", "ko"):
        assert index_terms("東京の事務所", code) == ["東", "東京", "京", "京の", "の", "の事", "事", "事務", "務", "務所", "所"]
    assert index_terms("Kubernetesのデプロイ", "ja") == ["kubernet", "の", "のデ", "デ", "デプ", "プ", "プロ", "ロ", "ロイ", "イ"]
    assert index_terms("서울 회의", "ko") == ["서", "서울", "울", "회", "회의", "의"]
    # CJK punctuation separates, full-width or not, and is no term.
    assert index_terms("経費、駅。", "ja") == ["経", "経費", "費", "駅"]
    assert index_terms("我们使用Docker，Kubernetes和Helm。配置：Terraform（IaC）", "zh") == [
        "我", "我们", "们", "们使", "使", "使用", "用", "docker", "kubernet", "和", "helm", "配", "配置", "置",
        "terraform", "iac"]


def test_text_is_read_in_one_unicode_form() -> None:
    """What looks the same is the same term: full-width and half-width forms, an accent typed as
    a separate mark, İ, whose lower case would keep a dot above the i, and letters that readers
    type either way."""
    assert index_terms("ＡＰＩ ｗｉｋｉ", "en") == index_terms("API wiki", "en") == ["api", "wiki"]
    assert index_terms("ｶﾀｶﾅ", "ja") == index_terms("カタカナ", "ja")
    assert index_terms("Cafe\u0301", "fr") == index_terms("Café", "fr")
    assert index_terms("İzmir", "tr") == index_terms("izmir", "tr") == index_terms("İZMİR", "en") == ["izmir"]
    assert index_terms("ёлки отчёт Пётр", "ru") == index_terms("елки отчет Петр", "ru")
    assert index_terms("\u0219terge \u0163ar\u0103", "ro") == index_terms("\u015fterge \u021bar\u0103", "ro")
    assert index_terms("ΕΛΛΑΔΑ", "en") == index_terms("Ελλάδα", "en") == ["ελλαδα"]


def test_dashes_and_marks_that_nfkc_spells_in_letters_separate_words() -> None:
    assert index_terms("deploy—and roll back–forth E\u2011Mail", "en") == ["deploy", "roll", "back", "forth", "e", "mail"]
    assert index_terms("Kubernetes™ Office℠", "en") == ["kubernet", "offic"]


def test_letters_of_every_script_are_kept_at_the_ends_of_words() -> None:
    """lunr's trimmer knows only ASCII; kb's keeps every letter and digit, and a word's final marks."""
    assert index_terms("Ünicode Ōsaka façade", "en") == ["ünicod", "ōsaka", "façad"]
    assert index_terms("«Ünicode» — naïve", "ja") == ["ünicod", "naïv"]
    for code in ("en", "de", "fr", "ja"):
        # Cyrillic, Greek, Arabic, Hebrew and Devanagari (ending in a vowel sign, a mark) on a
        # page in another language are read as English words, not dropped.
        assert index_terms("Москва Αθήνα القاهرة ירושלים हिंदी", code) == ["москва", "αθηνα", "القاهرة", "ירושלים", "हिंदी"]
    # A German word that ends in a letter German does not have is not cut short.
    assert index_terms("Ōsaka", "de") == ["ōsaka"]
    # A mark does not start a word: l´équipe (an acute accent for the apostrophe) is l, équipe.
    assert index_terms("l´équipe", "fr") == index_terms("l équipe", "fr")


def test_words_in_latin_letters_on_a_russian_page_are_read_as_english() -> None:
    """lunr-languages' Russian trimmer keeps Cyrillic letters only, and would leave these out."""
    assert index_terms("Развёртывание в Kubernetes через API", "ru") == ["развертыван", "kubernet", "api"]


# --- the same results as lunr.js ----------------------------------------------------------------

_COMPARE_JS = """
const fs = require('fs');
const {modules, assets, docs, languages, queries, normal, mode, elisions} = require('./input.json');
const lunr = require(modules + '/lunr');
require(modules + '/lunr-languages/lunr.stemmer.support.js')(lunr);
for (const code of languages) {
  if (fs.existsSync(modules + `/lunr-languages/lunr.${code}.js`) && !['ja', 'ko', 'zh'].includes(code)) {
    require(modules + `/lunr-languages/lunr.${code}.js`)(lunr);
  }
}
const kb = require(assets + '/search-lang.js')(lunr);
let search;
if (mode === 'plain') {
  // lunr.js with lunr-languages, as its README sets it up, and the one rule kb adds to French and
  // Italian: an elided article comes off its word after the trimmer.
  const code = languages[0];
  const whole = lunr(function () {
    if (code !== 'en') this.use(lunr[code]);
    if (elisions[code]) {
      const elided = new RegExp("^(?:" + elisions[code].join("|") + ")['\\u2019](?=.)");
      const elide = token => token.update(s => s.replace(elided, ''));
      lunr.Pipeline.registerFunction(elide, 'test-elision-' + code);
      this.pipeline.after(lunr[code].trimmer, elide);
      this.searchPipeline.after(lunr[code].trimmer, elide);
    }
    this.ref('ref'); this.field('title', {boost: 10}); this.field('body');
    docs.forEach(d => this.add(d));
  });
  search = q => whole.search(normal[q]);
} else {
  // kb's tokenizer, each page through its own language's pipeline, a query through all of them.
  const reader = kb.analyser(languages);
  const whole = lunr(function () {
    this.tokenizer = kb.tokenizer;
    this.searchPipeline.reset();
    this.searchPipeline.add(lunr.Pipeline.registeredFunctions[reader.label]);
    this.ref('ref'); this.field('title', {boost: 10}); this.field('body');
    docs.forEach(d => { this.pipeline.reset(); this.pipeline.add(kb.indexFunction(d.lang)); this.add(d); });
  });
  search = q => reader.search(whole, q);
}
const core = require(assets + '/search-core.js')(lunr, path => JSON.parse(fs.readFileSync(path, 'utf8')), kb);
(async () => {
  const out = [];
  for (const q of queries) {
    const all = search(q), mine = await core.search(q);
    out.push({query: q, whole: all.slice(0, 10).map(r => [r.ref, r.score]), sharded: mine.slice(0, 10).map(r => [r.ref, r.score]),
              count: [all.length, mine.length]});
  }
  console.log(JSON.stringify(out));
})();
"""


def compare(npm: Path, folder: Path, docs: list[dict[str, str]], languages: list[str], queries: list[str],
            mode: str) -> list[dict[str, Any]]:
    """Each query's top ten from kb's sharded index (built here, searched by search-core.js) and
    from one whole lunr.js index of the same documents."""
    index = build_index(FIELDS, [(str(number), {name: index_terms(doc[name], doc["lang"]) for name in ("title", "body")})
                                 for number, doc in enumerate(docs)])
    files = emit_search(index, [SearchDoc(doc["title"], f"{number}/", "", "published", "article", (), (), "", ())
                                for number, doc in enumerate(docs)], languages=languages)
    for path, data in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    # Plain lunr.js is given the text and the queries in the one form kb reads them in (normal:
    # NFKC, lower case, ё as е): what is compared is the stemming and the scores.
    numbered = [{"ref": str(number), **doc, **({"title": normal(doc["title"]), "body": normal(doc["body"])} if mode == "plain" else {})}
                for number, doc in enumerate(docs)]
    return node(_COMPARE_JS, {"modules": str(npm), "assets": str(ASSETS), "docs": numbered, "languages": languages,
                              "queries": queries, "normal": {query: normal(query) for query in queries}, "mode": mode,
                              "elisions": {k: list(v) for k, v in ELISIONS.items()}},
                folder)


def assert_same(results: list[dict[str, Any]]) -> None:
    for result in results:
        assert result["sharded"] == result["whole"], result["query"]
        assert result["count"][0] == result["count"][1], result["query"]
    assert sum(1 for result in results if result["whole"]) >= 0.7 * len(results)  # the queries find things


def wiki_documents(languages: tuple[str, ...], only: str | None = None) -> list[dict[str, str]]:
    """The test wiki's articles, each in the language kb reads it in (its own, or its folder's)."""
    kb = build_knowledge_base(MULTILINGUAL / "docs", KbConfig(search_languages=languages))
    articles = [article for _, article in sorted(kb.articles.items()) if only is None or (article.lang or "en") == only]
    return [{"title": article.title, "body": article.body, "lang": article.lang if article.lang in languages else languages[0]}
            for article in articles]


def made_up_documents(code: str) -> tuple[list[dict[str, str]], list[str]]:
    """Thirty pages of the language's made-up words, and queries of their words and of others."""
    words = vocabulary(code, 1500)
    rng = random.Random(f"kb-documents-{code}")
    docs = [{"title": " ".join(rng.choices(words, k=3)), "body": " ".join(rng.choices(words, k=rng.randint(20, 80))),
             "lang": code} for _ in range(30)]
    used = sorted({word for doc in docs for word in doc["body"].split()})
    picked = rng.sample(used, 20)
    # Some words of no page too: a stem they share with a page's word finds it.
    queries = [*picked, *rng.sample(words, 5), f"{picked[0]} {picked[1]}", f"+{picked[2]} +{picked[3]}",
               f"{picked[4]} -{picked[5]}", f"title:{docs[0]['title'].split()[0]}", f"{picked[6][:4]}*", f"-{picked[7]}"]
    return docs, queries


@pytest.mark.parametrize("code", sorted(SNOWBALL))
def test_results_agree_with_lunr_js_and_lunr_languages(npm: Path, tmp_path: Path, code: str) -> None:
    if code in ("de", "fr"):
        docs = wiki_documents((code,), only=code)
        queries = [query for query, _ in QUERIES[code]] + {
            "de": ["häus*", "+Häuser", "+Häuser +Gebäude", "title:Dienstreise", "Haus -Etage", "urlaub*", "-Urlaub"],
            "fr": ["sécu*", "+congés", "l'inscription", "déplacement -train", "title:bureaux", "réserv*"]}[code]
    else:
        docs, queries = made_up_documents(code)
    assert_same(compare(npm, tmp_path, docs, [code], queries, "plain"))


@pytest.mark.parametrize("code", ["ja", "zh"])
def test_cjk_results_agree_with_lunr_js_reading_as_kb_does(npm: Path, tmp_path: Path, code: str) -> None:
    docs = wiki_documents((code,), only=code)
    queries = [query for query, _ in QUERIES[code]] + ["+会議室 +予約", "東京*", "title:会議室", "-会議室", "事務所 -新宿"]
    assert_same(compare(npm, tmp_path, docs, [code], queries, "kb"))


def test_a_wiki_in_five_languages_answers_as_one_whole_lunr_js_index(npm: Path, tmp_path: Path) -> None:
    """Every page in its language, every query in all of them, the index in shards: the same top ten."""
    languages = ["en", "de", "fr", "ja", "zh"]
    docs = wiki_documents(tuple(languages))
    assert {doc["lang"] for doc in docs} == set(languages)
    queries = [query for lang in ("de", "fr", "ja", "zh") for query, _ in QUERIES[lang]] + [
        "häus*", "+Häuser", "+Häuser +Gebäude", "houses", "+security +Sicherheit", "password", "title:Dienstreise",
        "Kubernetes", "Kubernetes -デプロイ", "東京 事務所", "l'inscription", "receipts", "-Haus", "securit*"]
    results = compare(npm, tmp_path, docs, languages, queries, "kb")
    assert_same(results)
    found = {result["query"]: result["whole"] for result in results}
    # A German word finds German pages, whose English reading matches nothing, even when required.
    assert found["+Häuser"] and found["+Häuser +Gebäude"]
    # An English word finds both English and German pages with the same stem.
    titles = {str(number): doc["title"] for number, doc in enumerate(docs)}
    assert {titles[ref] for ref, _ in found["Kubernetes"]} >= {"Deploying a service", "Kubernetesへのデプロイ手順", "服务部署"}


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        raise SystemExit(__doc__)
    with tempfile.TemporaryDirectory() as temporary:
        TABLES_FILE.write_text(read_tables(install(Path(temporary)), Path(temporary)), encoding="utf-8")
    print(f"wrote {TABLES_FILE.relative_to(REPOSITORY)}")
