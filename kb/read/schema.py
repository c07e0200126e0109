"""The front matter schema, declared once: which keys each kind of page takes and what their
values must look like. `validate_front_matter` turns raw YAML values into typed ones and
reports every violation at the line of its key.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from kb.languages import known_languages, language_code
from kb.model import Kind, PageType, Status
from kb.read.publication import DRAFT_KEYS

Converter = Callable[[Any], Any]


#: Characters that do not show but change how text reads: a bidi override turns
#: "Invoice \u202egpj.exe" into "Invoice exe.jpg", and a zero-width space makes a second topic that
#: looks like the first. (Zero-width joiners stay: emoji sequences and Indic and Persian text need them.)
#: Control characters too (kept: tab and line breaks): an escape sequence in a title recolours or
#: rewrites the terminal that `kb report` or `kb check` prints it in.
INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\u00ad\u034f\u061c\u115f\u1160\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\u3164\ufeff\uffa0]")
#: Keys whose text becomes a title, a name, a topic or a slug, where such characters are removed
#: (and from every key the article header shows: Field.header).
SHOWN_KEYS = frozenset({"title", "name", "tags", "aliases", "parent", "names", "owners", "reviewed_by", "members",
                        "answered_by", "moderators", "role", "team", "summary", "location", "timezone"})


class Invalid(ValueError):
    """A value that does not fit its key; the message says what was expected."""


def text(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        raise Invalid("expected text")
    if isinstance(value, (str, int, float, dt.date)):
        return str(value).strip()
    raise Invalid(f"expected text, got {_kind_of(value)}")


def language(value: Any) -> str:
    """A language kb's search reads (`de`, `de-AT`, and `no`, which as_written keeps a word), as
    the code it knows it by."""
    code = language_code(text(value))
    if code is None:
        raise Invalid(f"{_shown(value)} is not a language kb's search reads; it reads {known_languages()}")
    return code


def text_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value.strip(),) if value.strip() else ()
    if not isinstance(value, list):
        raise Invalid(f"expected a list of text, got {_kind_of(value)}")
    items = []
    for item in value:
        if item is None:  # `- ` with nothing after it: Obsidian leaves one when a property is emptied
            continue
        try:
            items.append(text(item))
        except Invalid:
            raise Invalid(f"expected a list of text, but one item is {_kind_of(item)}") from None
    return tuple(item for item in items if item)


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise Invalid(f"expected true or false, got {_kind_of(value)}")


def date(value: Any) -> dt.date:
    """A date from front matter, where the loader leaves dates as text (`2026-01-31`, or a
    date and time)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        written = value.strip()
        try:
            value = dt.datetime.fromisoformat(written).date()
        except ValueError:
            if _LOOKS_LIKE_DATE.match(written):
                raise Invalid(f"{written} is not a date that exists; write it as YYYY-MM-DD") from None
    if isinstance(value, dt.date):
        if not 1900 <= value.year <= 2999:
            raise Invalid(f"{value.isoformat()} is too far from today to be the date of a review")
        return value
    raise Invalid("expected a date written as YYYY-MM-DD")


_LOOKS_LIKE_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}\b")


def page_date(value: Any) -> dt.date:
    """A page's own date as other tools write it (Hugo's `date` and `lastmod`, Jekyll's
    `date`): `2026-01-31`, or with a time and a zone in any of their spellings
    (`2026-01-31T09:30:00Z`, `2026-01-31 09:30:00 -0500`), or as Material's blog writes it,
    `{created: 2026-01-31, updated: …}` (page_updated reads the other); the day is what kb keeps."""
    if isinstance(value, Mapping) and "created" in value:
        for part in ("updated", "created"):
            if part in value:
                try:
                    day = _one_date(value[part])
                except Invalid as error:
                    raise Invalid(f"its '{part}': {error}") from None
        return day
    return _one_date(value)


def _one_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        match = _DATE_PREFIX.match(value.strip())
        if match:
            try:
                day = dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                raise Invalid(f"{_shown(value.strip())} is not a date that exists") from None
            if 1900 <= day.year <= 2999:
                return day
    raise Invalid(f"{_shown(value)} is not a date such as 2026-01-31"
                  if isinstance(value, str) else f"expected a date such as 2026-01-31, got {_kind_of(value)}")


def page_updated(data: Mapping[str, Any]) -> dt.date | None:
    """The `updated` of Material's blog date (`date: {created: …, updated: …}`), None when it
    has none; read once page_date has taken the `date`, so it is a date."""
    written = data.get("date")
    return _one_date(written["updated"]) if isinstance(written, Mapping) and "updated" in written else None


#: A date, then nothing, or a time after `T` or a space.
_DATE_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:$|[T ]\d)")


_DURATION = re.compile(r"^\s*(\d+)\s*(d|days?|w|weeks?|m|months?|y|years?)\s*$", re.IGNORECASE)
_DAYS_PER_UNIT = {"d": 1, "w": 7, "m": 30, "y": 365}


#: The longest a review may hold: beyond it, dates computed from it leave the calendar.
MAX_DURATION_DAYS = 100 * 365


def duration_days(value: Any) -> int:
    """`90` (days), `90 days`, `12 weeks`, `6 months`, `1 year` → a number of days."""
    days = 0
    if isinstance(value, int) and not isinstance(value, bool):
        days = value
    elif isinstance(value, str):
        match = _DURATION.match(value)
        if match and len(match.group(1)) < 9:
            days = int(match.group(1)) * _DAYS_PER_UNIT[match.group(2)[0].lower()]
    if days > MAX_DURATION_DAYS:
        raise Invalid("a duration of more than 100 years is not a review period")
    if days > 0:
        return days
    raise Invalid("expected a duration such as '90 days', '6 months' or '1 year'")


def choice(enum: type[Status] | type[PageType]) -> Converter:
    options = ", ".join(member.value for member in enum)

    def convert(value: Any) -> Any:
        if not isinstance(value, str):
            raise Invalid(f"expected one of: {options}; got {_kind_of(value)}")
        try:
            return enum(value.strip().lower())
        except ValueError:
            raise Invalid(f"{_shown(value)} is not one of: {options}") from None

    return convert


def contact_list(value: Any) -> tuple[tuple[str, str], ...]:
    if isinstance(value, str):
        return (("contact", value.strip()),)
    if not isinstance(value, dict):
        raise Invalid(f"expected 'channel: value' lines, got {_kind_of(value)}")
    return tuple((str(channel), text(item)) for channel, item in value.items())


@dataclass(frozen=True)
class Field:
    convert: Converter
    kinds: frozenset[Kind]
    #: The label an article's header shows the value under; "" for a key the header does not
    #: show this way. A key with a label needs nothing else to be shown (kb.views.articles).
    header: str = ""


_ARTICLE = frozenset({Kind.ARTICLE})
_PERSON = frozenset({Kind.PERSON})
_TOPIC = frozenset({Kind.TOPIC})
_ALL = frozenset(Kind)

def header_details(values: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """The (label, text) of each checked value whose key the header shows (Field.header), in
    the order of FIELDS."""
    return tuple((field.header, _as_text(values[key])) for key, field in FIELDS.items()
                 if field.header and values.get(key) not in (None, "", ()))


def _as_text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_as_text(item) for item in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


FIELDS: dict[str, Field] = {
    "title": Field(text, _ARTICLE | _TOPIC),
    "summary": Field(text, _ARTICLE),
    "tags": Field(text_list, _ARTICLE),
    # Hugo's, Jekyll's and Material's blog's categories file the page under topics, as tags do.
    "categories": Field(text_list, _ARTICLE),
    "category": Field(text_list, _ARTICLE),
    "aliases": Field(text_list, _ARTICLE | _TOPIC),
    "owners": Field(text_list, _ARTICLE),
    "reviewed_by": Field(text, _ARTICLE),
    "reviewed_on": Field(date, _ARTICLE),
    "review_every": Field(duration_days, _ARTICLE),
    "type": Field(choice(PageType), _ARTICLE),
    "answered": Field(boolean, _ARTICLE),
    "answered_by": Field(text_list, _ARTICLE),
    "members": Field(text_list, _ARTICLE),
    "name": Field(text, _PERSON),
    "role": Field(text, _PERSON),
    "team": Field(text, _PERSON),
    "location": Field(text, _PERSON),
    "timezone": Field(text, _PERSON),
    "contact": Field(contact_list, _PERSON),
    "emails": Field(text_list, _PERSON),
    "names": Field(text_list, _PERSON),
    "parent": Field(text, _TOPIC),
    "moderators": Field(text_list, _TOPIC),
    # The language the page is written in, for search; on a folder's index page, of the pages below.
    "lang": Field(language, _ARTICLE),
    # The page's own dates (Hugo, Jekyll, Docusaurus' blog): used when git has none for it.
    "date": Field(page_date, _ALL),
    "lastmod": Field(page_date, _ALL),
}


@dataclass(frozen=True)
class Vocabulary:
    """What the site adds to the schema: more keys to accept, the theme's own status values,
    and the templates and icons a page may name."""

    #: Keys of other tools to accept without a warning.
    extra_keys: frozenset[str] = frozenset()
    #: `status` values that belong to the theme (Material shows an icon for them): the page is
    #: published, and the value is passed to the theme.
    engine_statuses: frozenset[str] = frozenset({"new", "deprecated"})
    #: Templates a page may choose with `template:`; None when the theme is not known.
    page_templates: frozenset[str] | None = None
    #: Folders holding the theme's icons (`icon: material/rocket` is `<dir>/material/rocket.svg`).
    icon_dirs: tuple[str, ...] = ()
    #: Other tools' `status` values and the kb state each stands for (the `status_map` option),
    #: keyed as `status_key` spells them.
    status_map: tuple[tuple[str, Status], ...] = ()

    def mapped_status(self, value: str) -> Status | None:
        key = status_key(value)
        return next((state for written, state in self.status_map if written == key), None)


def status_key(value: str) -> str:
    """How a `status` value is matched against `status_map`: `In Progress ` is `in progress`."""
    return " ".join(value.split()).casefold()


@dataclass(frozen=True)
class Violation:
    key: str
    code: str
    message: str


@dataclass(frozen=True)
class Validated:
    """Typed values of kb's keys, the violations in the order the keys were written, and the
    engine's keys whose values the theme could not use (left out of what it is given)."""

    values: dict[str, Any]
    violations: list[Violation]
    dropped: frozenset[str]


#: The converters of keys whose value is text: a YAML 1.1 yes or no there is the word written.
_TEXT_CONVERTERS = (text, text_list, language)


def as_written(data: dict[str, Any], words: dict[str, Any]) -> dict[str, Any]:
    """`data` with the yes, no, on and off that YAML 1.1 reads as true and false given back as
    written (kb.read.metadata.written_words) wherever the key's value is text: `aliases: [Yes,
    No]` is two aliases, as Obsidian reads it, and `lang: no` is Norwegian. Keys that take true
    or false (`draft: yes`) keep YAML 1.1's reading, as MkDocs and Material have it."""
    if not words:
        return data
    written = dict(data)
    for key, word in words.items():
        field = FIELDS.get(key)
        if field is None or field.convert not in _TEXT_CONVERTERS:
            continue
        value = data[key]
        if isinstance(word, str):
            written[key] = word
        elif isinstance(value, list) and len(value) == len(word):
            written[key] = [item if spelled is None else spelled for item, spelled in zip(value, word, strict=True)]
    return written


def validate_front_matter(data: dict[str, Any], kind: Kind, vocabulary: Vocabulary) -> Validated:
    """Convert every known key for this kind of page; check the values the theme reads."""
    values: dict[str, Any] = {}
    violations: list[Violation] = []
    dropped: set[str] = set()
    unknown = 0
    for key, raw in data.items():
        field = FIELDS.get(key)
        check = ENGINE_FIELDS.get(key)
        try:
            if key == "status":
                values[key] = status(raw, vocabulary)
            elif check is not None:
                check(raw, vocabulary)
            elif field is not None and kind in field.kinds:
                values[key] = field.convert(raw)
                if (key in SHOWN_KEYS or field.header) and _has_invisible(values[key]):
                    values[key] = _visible(values[key])
                    violations.append(Violation(key, "text.invisible", (
                        f"'{key}' holds invisible characters (bidi controls, zero-width spaces or control "
                        "characters) that change how it reads; they are removed")))
            elif not _accepted(key, vocabulary):
                unknown += 1
                if unknown > MAX_UNKNOWN_KEYS:
                    continue
                hint = _closest_key(key, kind)
                where = f"{'an' if kind.value[0] in 'aeiou' else 'a'} {kind.value} page" if field else "kb"
                message = f"unknown front matter key '{_cut(key)}' for {where}" + (f"; did you mean '{hint}'?" if hint else "")
                violations.append(Violation(key, "frontmatter.unknown-key", message))
        except Invalid as error:
            code = "frontmatter.value" if key in _VALUE_KEYS else "frontmatter.type"
            if key in DATE_KEYS:
                # Another tool's date, which kb only uses when git has none: not worth failing for.
                code, error = "frontmatter.date", Invalid(f"{error}; it is not used as the page's date")
            if check is not None:
                dropped.add(key)
                error = Invalid(f"{error}; the theme is not given it")
            violations.append(Violation(key, code, f"'{key}': {error}"))
    if unknown > MAX_UNKNOWN_KEYS:
        last = next(key for key in reversed(data) if FIELDS.get(key) is None and key not in ENGINE_FIELDS
                    and key != "status" and not _accepted(key, vocabulary))
        violations.append(Violation(last, "frontmatter.unknown-key",
                                    f"{unknown - MAX_UNKNOWN_KEYS} more unknown front matter keys, down to '{_cut(last)}'"))
    return Validated(values, violations, frozenset(dropped))


def _has_invisible(value: str | tuple[str, ...]) -> bool:
    return any(INVISIBLE.search(item) for item in ((value,) if isinstance(value, str) else value))


def _visible(value: str | tuple[str, ...]) -> Any:
    if isinstance(value, str):
        return INVISIBLE.sub("", value).strip()
    return tuple(item for item in (INVISIBLE.sub("", item).strip() for item in value) if item)


#: Unknown keys reported one by one; beyond these, one warning counts the rest.
MAX_UNKNOWN_KEYS = 10


def _cut(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


_VALUE_KEYS = {"status", "type", "reviewed_on", "review_every", "template", "icon", "lang"}
#: The page's own dates, newest first: the last modification, then the creation.
DATE_KEYS = ("lastmod", "date")


def status(value: Any, vocabulary: Vocabulary) -> Status:
    """kb's trust states; the theme's own values (Material's `new`, `deprecated` and those in
    `extra.status`) publish the page as `published` and keep their meaning for the theme."""
    if isinstance(value, str):
        mapped = vocabulary.mapped_status(value)
        if mapped is not None:
            return mapped
        if value.strip() in vocabulary.engine_statuses:
            return Status.PUBLISHED
    theirs = ", ".join(sorted(vocabulary.engine_statuses))
    try:
        return choice(Status)(value)
    except Invalid as error:
        if not isinstance(value, str):
            raise Invalid(f"{error} (or the theme's {theirs})") from None
        meant = misspelt_state(value)
        hint = (f"it looks like a misspelling of '{meant.value}'" if meant else
                f"if another tool wrote it, map it to a kb state with the kb plugin's option `{status_map_line([value])}`")
        raise Invalid(f"{_shown(value)} is not one of: {', '.join(Status)} (or the theme's {theirs}); {hint}") from None


def misspelt_state(value: str) -> Status | None:
    """The kb state a status value is a typo of (`publshed`), rather than another tool's word
    (nor a word built on one, such as `unpublished`)."""
    key = status_key(value)
    matches = difflib.get_close_matches(key, [state for state in Status if abs(len(state) - len(key)) <= 1], n=1,
                                        cutoff=0.8)
    return Status(matches[0]) if matches else None


def status_map_line(values: list[str]) -> str:
    """The `status_map` option that maps these values, to paste into the kb plugin's options:
    what says the page is done to `published`, the rest to `draft` (guess_state)."""
    entries = ", ".join(f"{_flow_key(value)}: {guess_state(value).value}" for value in values)
    return f"status_map: {{{entries}}}"


_UNFINISHED = re.compile(r"draft|progress|wip|todo|to do|pending|planned|idea|stub|incomplete|unfinished|review(?!ed)|"
                         r"outline|started|doing|hold", re.IGNORECASE)


#: Words of other tools' status values that say the page is done.
_FINISHED = re.compile(r"\b(?:active|approved|complete|completed|current|done|evergreen|final|finished|live|"
                       r"published|ready|released|reviewed|stable)\b", re.IGNORECASE)


def guess_state(value: str) -> Status:
    """What another tool's status value most likely means in kb: published when it says the page
    is done (`Completed`, "it's done"), else draft, so that nothing is published that its author
    may not have meant to be."""
    return Status.PUBLISHED if _FINISHED.search(value) and not _UNFINISHED.search(value) else Status.DRAFT


def _flow_key(value: str) -> str:
    """A key as YAML's `{...}` reads it back: plain when it can be, else quoted."""
    written = " ".join(value.split())
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9 _.-]*", written) and written.lower() not in _YAML_WORDS:
        return written
    return json.dumps(written, ensure_ascii=not written.isprintable())


_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}


# The keys Material reads from a page. A value of the wrong shape would crash its templates
# (`"toc" in page.meta.hide` with a number, `include ".icons/" ~ icon` with a missing icon).
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$")


def page_template(value: Any, vocabulary: Vocabulary) -> None:
    name = text(value)
    if not name.endswith(".html") or not _SAFE_NAME.match(name) or ".." in name or name.startswith("partials/"):
        raise Invalid(f"{_shown(name)} is not the name of a page template (such as main.html)")
    if vocabulary.page_templates is not None and name not in vocabulary.page_templates:
        known = ", ".join(sorted(vocabulary.page_templates)) or "none"
        raise Invalid(f"the theme has no page template {_shown(name)} (it has: {known})")


def icon(value: Any, vocabulary: Vocabulary) -> None:
    name = text(value)
    if not _SAFE_NAME.match(name) or ".." in name:
        raise Invalid(f"{_shown(name)} is not an icon name such as material/rocket")
    if vocabulary.icon_dirs and not any(os.path.isfile(os.path.join(folder, f"{name}.svg"))
                                        for folder in vocabulary.icon_dirs):
        raise Invalid(f"the theme has no icon {_shown(name)}")


def search_options(value: Any, vocabulary: Vocabulary) -> None:
    if not isinstance(value, dict):
        raise Invalid(f"expected 'exclude: true' or 'boost: 2', got {_kind_of(value)}")
    if not isinstance(value.get("exclude", False), bool):
        raise Invalid("'exclude' must be true or false")
    boost = value.get("boost", 1)
    if isinstance(boost, bool) or not isinstance(boost, (int, float)):
        raise Invalid("'boost' must be a number")


ENGINE_FIELDS: dict[str, Callable[[Any, Vocabulary], None]] = {
    "template": page_template,
    "icon": icon,
    "hide": lambda value, _: text_list(value),
    "subtitle": lambda value, _: text(value),
    "description": lambda value, _: text(value),
    "search": search_options,
    "comments": lambda value, _: boolean(value),
}
#: Keys of the theme and its plugins that kb passes on without looking at their values.
ENGINE_KEYS = frozenset({"social", "robots"})

#: The documented front matter keys of the tools teams bring pages from, which kb accepts
#: without a warning and passes on. kb's own keys with the same meaning (`tags`, `aliases`,
#: `summary`, `description`, `date`, `lastmod`, `categories`) and the draft keys of
#: kb.read.publication are in FIELDS, ENGINE_FIELDS and DRAFT_KEYS; `type` is kb's own.
#: Compared in lower case, as Hugo does.
FOREIGN_KEYS: dict[str, frozenset[str]] = {
    # Obsidian's properties, and Obsidian Publish's.
    "Obsidian": frozenset({"cssclasses", "cssclass", "permalink", "image", "cover"}),
    # Hugo's front matter fields, and the ones its themes commonly read.
    "Hugo": frozenset({"weight", "slug", "keywords", "layout", "url", "linktitle", "menu", "menus", "outputs", "params",
                       "resources", "sitemap", "translationkey", "markup", "iscjklanguage", "toc", "author", "authors",
                       "image"}),
    "Jekyll": frozenset({"layout", "permalink", "author"}),
    "Docusaurus": frozenset({"id", "slug", "keywords", "image", "sidebar_position", "sidebar_label",
                             "sidebar_class_name", "sidebar_custom_props", "hide_title", "hide_table_of_contents",
                             "toc_min_heading_level", "toc_max_heading_level", "pagination_label", "pagination_next",
                             "pagination_prev", "custom_edit_url", "last_update", "unlisted", "authors"}),
    # Material's blog posts.
    "Material": frozenset({"authors", "slug", "readtime", "pin", "links"}),
}
_FOREIGN = frozenset().union(*FOREIGN_KEYS.values())


def is_foreign_key(key: str, vocabulary: Vocabulary) -> bool:
    """A key of another tool that kb does not know and the site does not accept (`extra_keys`):
    what `frontmatter.unknown-key` warns about, less kb's own keys written on the wrong kind of page."""
    return key not in FIELDS and key != "status" and key not in ENGINE_FIELDS and not _accepted(key, vocabulary)


def _accepted(key: str, vocabulary: Vocabulary) -> bool:
    name = key.strip().lower()
    return key in ENGINE_KEYS or key in vocabulary.extra_keys or name in DRAFT_KEYS or name in _FOREIGN


def _closest_key(key: str, kind: Kind) -> str | None:
    candidates = ["status", *(name for name, field in FIELDS.items() if kind in field.kinds)]
    matches = difflib.get_close_matches(key.lower().replace("-", "_"), candidates, n=1, cutoff=0.75)
    return matches[0] if matches else None


def _kind_of(value: Any) -> str:
    """A value as an author would call it: `a list`, `the number 7`, not Python's names."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, (set, frozenset)):
        return "a set"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "nothing"
    if isinstance(value, bytes):
        return "binary data"
    if isinstance(value, str):
        return f"the text {_shown(value)}"
    if isinstance(value, (int, float)):
        return f"the number {_shown(value)}"
    return f"the value {_shown(value)}"


def _shown(value: Any, limit: int = 60) -> str:
    """A value as it would be written, cut short: messages quote what the author wrote."""
    written = repr(value)
    return written if len(written) <= limit else written[: limit - 3] + "..."
