"""The front matter schema, declared once: which keys each kind of page takes and what their
values must look like. `validate_front_matter` turns raw YAML values into typed ones and
reports every violation at the line of its key.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kb.model import Kind, PageType, Status

Converter = Callable[[Any], Any]


class Invalid(ValueError):
    """A value that does not fit its key; the message says what was expected."""


def text(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        raise Invalid("expected text")
    if isinstance(value, (str, int, float, dt.date)):
        return str(value).strip()
    raise Invalid(f"expected text, got {_kind_of(value)}")


def text_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value.strip(),) if value.strip() else ()
    if not isinstance(value, list):
        raise Invalid(f"expected a list of text, got {_kind_of(value)}")
    items = []
    for item in value:
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
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise Invalid("expected a date written as YYYY-MM-DD")


_DURATION = re.compile(r"^\s*(\d+)\s*(d|days?|w|weeks?|m|months?|y|years?)\s*$", re.IGNORECASE)
_DAYS_PER_UNIT = {"d": 1, "w": 7, "m": 30, "y": 365}


def duration_days(value: Any) -> int:
    """`90` (days), `90 days`, `12 weeks`, `6 months`, `1 year` → a number of days."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if isinstance(value, str):
        match = _DURATION.match(value)
        if match and int(match.group(1)) > 0:
            return int(match.group(1)) * _DAYS_PER_UNIT[match.group(2)[0].lower()]
    raise Invalid("expected a duration such as '90 days', '6 months' or '1 year'")


def choice(enum: type[Status] | type[PageType]) -> Converter:
    options = ", ".join(member.value for member in enum)

    def convert(value: Any) -> Any:
        if not isinstance(value, str):
            raise Invalid(f"expected one of: {options}; got {_kind_of(value)}")
        try:
            return enum(value.strip().lower())
        except ValueError:
            raise Invalid(f"{value!r} is not one of: {options}") from None

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


_ARTICLE = frozenset({Kind.ARTICLE})
_PERSON = frozenset({Kind.PERSON})
_TOPIC = frozenset({Kind.TOPIC})
_ALL = frozenset(Kind)

FIELDS: dict[str, Field] = {
    "title": Field(text, _ARTICLE | _TOPIC),
    "summary": Field(text, _ARTICLE),
    "tags": Field(text_list, _ARTICLE),
    "aliases": Field(text_list, _ARTICLE | _TOPIC),
    "owners": Field(text_list, _ARTICLE),
    "status": Field(choice(Status), _ALL),
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
}


@dataclass(frozen=True)
class Violation:
    key: str
    code: str
    message: str


def validate_front_matter(
    data: dict[str, Any], kind: Kind, engine_keys: frozenset[str]
) -> tuple[dict[str, Any], list[Violation]]:
    """Convert every known key for this kind of page. Returns the typed values (keys with bad
    values are left out) and the violations, in the order the keys were written."""
    values: dict[str, Any] = {}
    violations: list[Violation] = []
    for key, raw in data.items():
        field = FIELDS.get(key)
        if field is None or kind not in field.kinds:
            if key not in engine_keys:
                hint = _closest_key(key, kind)
                where = f"a {kind.value} page" if field else "kb"
                message = f"unknown front matter key '{key}' for {where}" + (f"; did you mean '{hint}'?" if hint else "")
                violations.append(Violation(key, "frontmatter.unknown-key", message))
            continue
        try:
            values[key] = field.convert(raw)
        except Invalid as error:
            code = "frontmatter.value" if key in {"status", "type", "reviewed_on", "review_every"} else "frontmatter.type"
            violations.append(Violation(key, code, f"'{key}': {error}"))
    return values, violations


def _closest_key(key: str, kind: Kind) -> str | None:
    candidates = [name for name, field in FIELDS.items() if kind in field.kinds]
    matches = difflib.get_close_matches(key.lower().replace("-", "_"), candidates, n=1, cutoff=0.75)
    return matches[0] if matches else None


def _kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"
