"""The languages kb's search reads, and how a site and its pages name them.

A site lists its languages in the kb plugin's options (`search: {lang: [en, de, ja]}`); without
that option, the theme's `language` (Material's `theme: {language: de}`) is the site's language.
A page is read in the language its front matter names (`lang: de`), else in the one the index
page of its folder, or of the nearest folder above, names (kb.analyse.knowledge), else in the site's
first. A query is read in every language of the site (theme/assets/kb/search-lang.js).

How each language reads text is in kb.search.analysis.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

#: The languages lunr-languages and the Snowball stemmers both have (kb.search.analysis).
SNOWBALL = {"da": "Danish", "de": "German", "es": "Spanish", "fi": "Finnish", "fr": "French", "hu": "Hungarian",
            "it": "Italian", "nl": "Dutch", "no": "Norwegian", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian",
            "sv": "Swedish", "tr": "Turkish"}
#: Languages written without spaces between words: their text is read as pairs of characters, which
#: every language does (kb.search.analysis), and their words in Latin script as English words.
CJK = {"ja": "Japanese", "ko": "Korean", "zh": "Chinese"}
LANGUAGES = {"en": "English", **SNOWBALL, **CJK}
#: Other codes for the same languages: Norwegian Bokmål and Nynorsk share one stemmer.
_ALIASES = {"nb": "no", "nn": "no", "jp": "ja"}
#: Where the browser's half of each Snowball language is, under the theme's assets.
VENDOR_DIR = "assets/kb/vendor/lunr-languages-1.22.0"


def language_code(value: str) -> str | None:
    """The code kb knows a language by (`de` for `de`, `de-AT` or `DE_de`), or None."""
    primary = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
    primary = _ALIASES.get(primary, primary)
    return primary if primary in LANGUAGES else None


def known_languages() -> str:
    return ", ".join(f"{code} ({name})" for code, name in sorted(LANGUAGES.items()))


def search_languages(option: Any, theme_language: Any = None) -> tuple[bool, tuple[str, ...]]:
    """Whether the site has kb's search, and the languages it reads, from the plugin's `search`
    option: `true`, `false`, or `{lang: [en, de]}` (`lang: de` for one). Without `lang`, the
    theme's language, or English where kb has no stemmer for it. Raises ValueError."""
    if isinstance(option, bool):
        return option, _theme_languages(theme_language)
    if not isinstance(option, dict):
        raise ValueError(f"search: expected true, false or 'lang: [en, de]', got {option!r}")
    unknown = sorted(str(key) for key in option if key != "lang")
    if unknown:
        raise ValueError(f"search: unknown option {unknown[0]!r} (kb's search has one: lang)")
    if option.get("lang") is None:
        return True, _theme_languages(theme_language)
    written = option["lang"]
    items = written if isinstance(written, list) else [written]
    codes: list[str] = []
    for item in items:
        code = language_code(item) if isinstance(item, str) else None
        if item is False:
            raise ValueError("search: lang: YAML reads a bare no as false: write \"no\" in quotes for Norwegian")
        if code is None:
            raise ValueError(f"search: lang: {item!r} is not a language kb's search reads; it reads {known_languages()}")
        if code not in codes:
            codes.append(code)
    if not codes:
        raise ValueError(f"search: lang: name at least one language, such as [en]; kb's search reads {known_languages()}")
    return True, tuple(codes)


def _theme_languages(theme_language: Any) -> tuple[str, ...]:
    code = language_code(theme_language) if isinstance(theme_language, str) else None
    return (code or "en",)


def language_scripts(languages: Iterable[str]) -> list[str]:
    """The theme's scripts that read these languages in the browser, in the order they load
    (before kb's search-lang.js): lunr-languages' support code and one file per language."""
    wanted = sorted(code for code in set(languages) if code in SNOWBALL)
    if not wanted:
        return []
    return [f"{VENDOR_DIR}/lunr.stemmer.support.min.js", *(f"{VENDOR_DIR}/lunr.{code}.min.js" for code in wanted)]
