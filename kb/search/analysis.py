"""How kb's search reads text: the terms a page's words become in the index, exactly as the browser
reads the same words in a query (theme/assets/kb/search-lang.js; tests compare the two token for
token, and with lunr.js and lunr-languages themselves).

- Text is first put in one form (`normal`): Unicode's compatibility composition (NFKC), so that
  full-width ＡＰＩ is API, half-width ｶﾀｶﾅ is カタカナ and an accent typed as a separate mark is
  the accented letter, then lower case (İzmir's İ without the dot lower case adds), with a few
  letters that readers type either way folded (ё as е). Dashes and full-width punctuation
  separate words (deploy—and, Docker，Kubernetes).
- It is split where lunr splits it (spaces and hyphens), and at the punctuation of Chinese,
  Japanese and Korean text.
- A run of Chinese, Japanese or Korean characters, which puts no spaces between words, becomes
  its characters and its overlapping pairs of characters (東京駅 → 東, 東京, 京, 京駅, 駅): a
  query of two characters or more finds every page that has it by its pairs, one character by
  itself, and there is no dictionary to keep up to date. This holds on every page, whatever its
  language.
- Any other word loses what is not a letter, digit or `_` at its ends (`trim`: lunr's own
  trimmer knows only ASCII, and made Ünicode nicod), then goes through its language's pipeline:
  for English (and the Latin words of ja, ko and zh pages), lunr's stop words and Porter
  stemmer; for the languages of kb.languages.SNOWBALL, lunr-languages' trimmer, stop
  words and Snowball stemmer (French folds accents before it stems), as
  kb/search/lunr-languages.json lists them; in French and Italian, kb also takes an elided
  article off its word (l'équipe → équipe, see ELISIONS). A word that begins or ends with a
  letter its language's trimmer does not know (Kubernetes on a Russian page, Москва or Ōsaka on
  a German one) is read as English, where lunr-languages would cut the letters off or drop it.

The Snowball stemmers are snowballstemmer 1.2.1's, the algorithms lunr-languages' stemmers were
generated from: on Snowball's own test vocabularies (587,302 words in the fourteen languages) the
two give the same stem for every word. Later releases changed French, German, Dutch and others.
The stemmers are imported by class, never through `snowballstemmer.stemmer()`, which hands over
to PyStemmer's newer algorithms whenever that is installed.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

from lunr.stemmer import PorterStemmer
from lunr.stop_word_filter import WORDS as ENGLISH_STOP_WORDS
from snowballstemmer.danish_stemmer import DanishStemmer
from snowballstemmer.dutch_stemmer import DutchStemmer
from snowballstemmer.finnish_stemmer import FinnishStemmer
from snowballstemmer.french_stemmer import FrenchStemmer
from snowballstemmer.german_stemmer import GermanStemmer
from snowballstemmer.hungarian_stemmer import HungarianStemmer
from snowballstemmer.italian_stemmer import ItalianStemmer
from snowballstemmer.norwegian_stemmer import NorwegianStemmer
from snowballstemmer.portuguese_stemmer import PortugueseStemmer
from snowballstemmer.romanian_stemmer import RomanianStemmer
from snowballstemmer.russian_stemmer import RussianStemmer
from snowballstemmer.spanish_stemmer import SpanishStemmer
from snowballstemmer.swedish_stemmer import SwedishStemmer
from snowballstemmer.turkish_stemmer import TurkishStemmer

from kb.languages import LANGUAGES, SNOWBALL

#: The punctuation of CJK text, which separates its words without spaces.
CJK_PUNCTUATION = "\u3001-\u3004\u3008-\u3020\u3030\u303d\u30fb\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
#: lunr.tokenizer.separator, with JavaScript's \s spelled out (Python's \s also has a few control
#: characters, and not U+FEFF), and CJK punctuation.
_SEPARATOR = re.compile(f"[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\\-{CJK_PUNCTUATION}]+")
#: The letters of Chinese, Japanese and Korean: Hangul, kana, bopomofo and the ideographs, with
#: the iteration marks and the prolonged sound mark that are part of their words.
CJK_LETTERS = ("\u1100-\u11ff\u3005-\u3007\u3021-\u3029\u3031-\u3035\u3038-\u303c\u3041-\u3096\u3099-\u309f"
               "\u30a1-\u30fa\u30fc-\u30ff\u3105-\u312f\u3131-\u318e\u31a0-\u31bf\u31f0-\u31ff\u3400-\u4dbf"
               "\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff66-\uff9f\uffa0-\uffdc\U00020000-\U000323af")
_CJK = re.compile(f"[{CJK_LETTERS}]")
#: A term that is (or starts) a run of CJK characters.
CJK_TERM = _CJK
_RUNS = re.compile(f"[{CJK_LETTERS}]+|[^{CJK_LETTERS}]+")
#: Characters that separate words but that NFKC would turn into ASCII punctuation, which does not:
#: the full-width punctuation of CJK text (Docker，Kubernetes), the dashes other than "-"
#: (deploy—and, E‑Mail) and the marks NFKC spells in letters (Kubernetes™ would read kubernetestm).
#: They become spaces before anything else (search-lang.js's BREAKS).
_BREAKS = dict.fromkeys([*range(0xFF01, 0xFF10), *range(0xFF1A, 0xFF21), *range(0xFF3B, 0xFF41), *range(0xFF5B, 0xFF66),
                         *range(0x2010, 0x2016), 0x2E3A, 0x2E3B, 0xFE58, 0xFE63, 0x2120, 0x2121, 0x2122], " ")
#: Letters that readers type either way, read as one (search-lang.js's FOLDS): Russian ё as е
#: (Snowball's Russian stemmer knows only е), Romanian ș and ț with a comma as the cedilla forms
#: Snowball's Romanian stemmer knows, and Greek vowels without the accent that capitals drop.
_FOLDS = str.maketrans({"ё": "е", "ș": "ş", "ț": "ţ", "ά": "α", "έ": "ε", "ή": "η", "ί": "ι", "ό": "ο", "ύ": "υ",
                        "ώ": "ω", "ΐ": "ι", "ΰ": "υ", "ϊ": "ι", "ϋ": "υ"})


def normal(text: str) -> str:
    """Text in the one form the index and a query are read in (search-lang.js's normal): word
    breaks NFKC would hide made spaces (_BREAKS), NFKC, lower case, no dot above an i (which only
    the lower case of İ has), and the letters of _FOLDS folded."""
    if text.isascii():
        return text.lower()
    return (unicodedata.normalize("NFKC", text.translate(_BREAKS)).lower().replace("i\u0307", "i")
            .translate(_FOLDS))


#: The ASCII characters that str.split takes for spaces and lunr does not: the information separators.
_SPLIT_ONLY = re.compile("[\x1c-\x1f]")


def tokenize(text: str) -> list[str]:
    """Text in normal form split where lunr splits it, the empty strings between separators
    perhaps left out (the pipeline makes none of them a term). ASCII text, most of an English
    wiki, is split by str.split, several times faster than _SEPARATOR: the two agree on it but
    for the four characters of _SPLIT_ONLY."""
    if text.isascii() and not _SPLIT_ONLY.search(text):
        return text.replace("-", " ").split()
    return _SEPARATOR.split(text)


def trim(token: str) -> str:
    """A token without what is not a letter, digit or `_` at its start, or not a letter, mark,
    digit or `_` at its end: a word may end in a mark (हिंदी), not start with one (search-lang.js's
    TRIM, /^[^\\p{L}\\p{N}_]+|[^\\p{L}\\p{M}\\p{N}_]+$/u)."""
    start, end = 0, len(token)
    while start < end and not _word_character(token[start], "LN"):
        start += 1
    while end > start and not _word_character(token[end - 1], "LMN"):
        end -= 1
    return token[start:end]


def _word_character(char: str, categories: str) -> bool:
    # unicodedata knows the Unicode of the Python that builds the site (3.11: 14.0); a browser
    # knows a later one, so a letter assigned since is trimmed here and kept there: a word that
    # ends in one is found only by how it starts.
    return char == "_" or unicodedata.category(char)[0] in categories


#: lunr.fr.accentFoldTerm, for the lower-case letters a token has.
_FRENCH_FOLD = str.maketrans({**dict.fromkeys("àáâä", "a"), "ç": "c", **dict.fromkeys("éèêë", "e"),
                              **dict.fromkeys("îï", "i"), **dict.fromkeys("ôö", "o"), **dict.fromkeys("ùûü", "u"),
                              **dict.fromkeys("ÿ\u0178", "y"), "æ": "ae", "œ": "oe",
                              **dict.fromkeys("ÀÁÂÄ", "a"), "Ç": "c", **dict.fromkeys("ÉÈÊË", "e"),
                              **dict.fromkeys("ÎÏ", "i"), **dict.fromkeys("ÔÖ", "o"), **dict.fromkeys("ÙÛÜ", "u"),
                              "Æ": "ae", "Œ": "oe"})
#: Articles and pronouns that French and Italian write elided onto the next word (l'équipe,
#: dell'anno), as Lucene's analysers for those languages list them. lunr-languages keeps them on
#: the word, so that "équipe" would not find "l'équipe"; kb takes them off after the trimmer.
ELISIONS = {
    "fr": ("l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"),
    "it": ("c", "l", "all", "dall", "dell", "nell", "sull", "coll", "pell", "gl", "agl", "dagl", "degl", "negl", "sugl",
           "un", "m", "t", "s", "v", "d"),
}
_SNOWBALL_STEMMERS = {"da": DanishStemmer, "de": GermanStemmer, "es": SpanishStemmer, "fi": FinnishStemmer,
                      "fr": FrenchStemmer, "hu": HungarianStemmer, "it": ItalianStemmer, "nl": DutchStemmer,
                      "no": NorwegianStemmer, "pt": PortugueseStemmer, "ro": RomanianStemmer, "ru": RussianStemmer,
                      "sv": SwedishStemmer, "tr": TurkishStemmer}
#: What lunr-languages gives each language (kb/search/lunr-languages.json, read from the vendored
#: files by tests/test_search_languages.py).
TABLES = json.loads((Path(__file__).with_name("lunr-languages.json")).read_text(encoding="utf-8"))["languages"]


class LunrJsStemmer(PorterStemmer):
    def step1c(self) -> None:
        """lunr.js turns a final y into i only after a consonant that is not the first letter
        (cry → cri, say → say); the original Porter rule, which lunr.py keeps, asks for any
        vowel earlier in the word (say → sai)."""
        if self.ends("y") and self.j >= 1 and self.b[self.j] not in "aeiou":
            self.b = self.b[: self.k] + "i" + self.b[self.k + 1 :]


def _as_javascript(stem: Callable[[str], str]) -> Callable[[str], str]:
    """A stemmer that counts as JavaScript does, in UTF-16 code units: a character beyond U+FFFF
    (an emoji, a rare ideograph) is two of them there, which moves the regions stemmers measure."""

    def stem_units(word: str) -> str:
        if word.isascii() or max(word) <= "\uffff":
            return stem(word)
        raw = word.encode("utf-16-le", "surrogatepass")
        units = "".join(chr(int.from_bytes(raw[i : i + 2], "little")) for i in range(0, len(raw), 2))
        return stem(units).encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")

    return stem_units


def _english_stem() -> Callable[[str], str]:
    stemmer = LunrJsStemmer()
    # lunr.js leaves words of one and two letters as they are.
    return _as_javascript(lambda word: stemmer.stem(word) if len(word) > 2 else word)


def _snowball_stem(code: str) -> Callable[[str], str]:
    stemmer = _SNOWBALL_STEMMERS[code]()
    # kb keeps every word's term itself: the stemmer's own cache would only sort itself to shrink.
    stemmer.maxCacheSize = sys.maxsize
    return _as_javascript(stemmer.stemWord)


def _english_term(stem: Callable[[str], str]) -> Callable[[str], str | None]:
    """lunr's pipeline: trimmer, stop word filter, stemmer (None for a stop word)."""

    def term(token: str) -> str | None:
        trimmed = trim(token)
        return None if trimmed in ENGLISH_STOP_WORDS else stem(trimmed)

    return term


def _snowball_term(code: str) -> Callable[[str], str | None]:
    """The pipeline lunr-languages gives `code`, step by step as its table lists them."""
    table = TABLES[code]
    allowed = table["word_characters"] + "0-9"
    steps: list[Callable[[str], str | None]] = []
    for label in table["pipeline"]:
        kind = label.removesuffix(f"-{code}")
        if kind == "trimmer":
            steps.append(_removing(re.compile(f"^[^{allowed}]+|[^{allowed}]+$")))
            if code in ELISIONS:
                steps.append(_removing(re.compile(f"^(?:{'|'.join(ELISIONS[code])})['\u2019](?=.)")))
        elif kind == "stopWordFilter":
            stop = frozenset(table["stop_words"])
            steps.append(lambda token, stop=stop: None if token in stop else token)
        elif kind == "accentFold":
            steps.append(lambda token: token.translate(_FRENCH_FOLD))
        elif kind == "stemmer":
            steps.append(_snowball_stem(code))
        else:
            raise ValueError(f"kb.search.analysis: no Python step for lunr-languages' {label!r}")

    if not table["pipeline"][0].startswith("trimmer-"):
        raise ValueError(f"kb.search.analysis: lunr-languages' {code} pipeline does not start with its trimmer")
    english = _english_term(_ENGLISH_STEM)

    def term(token: str) -> str | None:
        trimmed = trim(token)
        value: str | None = steps[0](trimmed)
        if value != trimmed:
            # A word whose first or last letter the language's trimmer does not know is read as
            # English: Russian's keeps Cyrillic letters only, and would drop "Kubernetes".
            return english(trimmed)
        for step in steps[1:]:
            value = step(value)
            if value is None:
                return None
        return value

    return term


def _removing(pattern: re.Pattern[str]) -> Callable[[str], str]:
    return lambda token: pattern.sub("", token)


class Analyser:
    """The index terms of one language's text, each distinct word read once: a wiki repeats its
    words endlessly. A token with CJK text in it is read each time instead: it is a whole phrase
    or sentence (no spaces), rarely seen twice, and keeping them all would hold the text twice."""

    def __init__(self, term: Callable[[str], str | None]) -> None:
        self._term = term
        #: Each word's term, None for a stop word.
        self._terms: dict[str, str | None] = {}

    def terms(self, text: str) -> list[str]:
        """As lunr's tokenizer and pipeline make them. As in lunr.js, a word that the trimmer
        empties ("—", "…") stays, as the empty term, unless it is inside CJK text."""
        tokens = tokenize(normal(text))
        known = self._terms
        once: dict[str, tuple[str, ...]] = {}
        for token in set(tokens).difference(known):
            if _CJK.search(token):
                once[token] = self._read_cjk(token)
            else:
                known[token] = self._term(token) if token else None
        if not once:
            return [term for term in map(known.__getitem__, tokens) if term is not None]
        found: list[str] = []
        for token in tokens:
            if token in once:
                found.extend(once[token])
            elif (term := known[token]) is not None:
                found.append(term)
        return found

    def term(self, token: str) -> str | None:
        """The term of one word that has no CJK text in it, None for a stop word."""
        return self._term(token)

    def _read_cjk(self, token: str) -> tuple[str, ...]:
        found: list[str] = []
        for run in _RUNS.findall(token):
            if _CJK.match(run):
                found.extend(cjk_pairs(run))
            elif term := self._term(run):
                found.append(term)
        return tuple(found)


def cjk_pairs(run: str) -> list[str]:
    """Each character and the pair it starts: 東京駅 → 東, 東京, 京, 京駅, 駅. A query of two
    characters or more looks for its pairs; one of a single character (税) for that character,
    which is one term in one shard, where the pairs it starts would be hundreds for の."""
    found: list[str] = []
    for i, char in enumerate(run):
        found.append(char)
        if i + 1 < len(run):
            found.append(run[i : i + 2])
    return found


_ENGLISH_STEM = _english_stem()
_analysers: dict[str, Analyser] = {}


def analyser(language: str = "en") -> Analyser:
    """The analyser of a language of kb.languages.LANGUAGES."""
    if language not in _analysers:
        if language not in LANGUAGES:
            raise ValueError(f"kb.search.analysis: unknown language {language!r}")
        term = _snowball_term(language) if language in SNOWBALL else _english_term(_ENGLISH_STEM)
        _analysers[language] = Analyser(term)
    return _analysers[language]


def index_terms(text: str, language: str = "en") -> list[str]:
    """The index terms of `text`, read in `language`."""
    return analyser(language).terms(text)


def stem(word: str) -> str:
    """lunr.js's English stem of a word."""
    return _ENGLISH_STEM(word)


def stemmer(language: str) -> Callable[[str], str]:
    """The stemmer a language's pipeline ends with: lunr's for English (and CJK pages' other
    words), the Snowball stemmer of the others."""
    return _snowball_stem(language) if language in SNOWBALL else _ENGLISH_STEM
