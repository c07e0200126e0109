"""The `kb` plugin's options as mkdocs.yml spells them, with their defaults: the one declaration.

`kb check` reads them from mkdocs.yml (kb.config.KbConfig.from_options), and the MkDocs adapter
declares them to MkDocs from this table (mkdocs_kb.options), so a default is written once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from kb.audience import AUDIENCES
from kb.read.history import DEFAULT_BOTS
from kb.read.limits import Limits

VALIDATION_LEVELS = ("error", "warning", "info", "ignore")
#: What becomes of an image from another host (kb.render.sanitize): kept (`allow`), shown as a
#: link to it (`link`: the reader decides to load it), or removed (`refuse`).
ExternalImages = Literal["allow", "link", "refuse"]
EXTERNAL_IMAGES: tuple[ExternalImages, ...] = ("link", "refuse", "allow")


@dataclass(frozen=True)
class Option:
    default: Any
    #: The YAML types it may be written as (for a list, the type of its items).
    types: tuple[type, ...]
    doc: str
    #: The values it may take, where they are a fixed few (for a mapping, the values of its items).
    choices: tuple[str, ...] = ()
    #: A list of `types`.
    listed: bool = False
    #: A group of options of its own (`limits`), by name.
    group: Mapping[str, Option] = field(default_factory=dict)


_LIMITS = Limits()

#: `limits:` a page's size, line length, nesting depth and time budget (kb.read.limits).
LIMIT_OPTIONS: dict[str, Option] = {
    "page_warn_kb": Option(_LIMITS.page_warn_bytes // 1024, (int,), "A page this large (KB) is a warning."),
    "page_max_kb": Option(_LIMITS.page_max_bytes // 1024, (int,), "A page larger than this (KB) is held back."),
    "line_max_chars": Option(_LIMITS.line_max_chars, (int,), "A longer line is cut short."),
    "nesting_max": Option(_LIMITS.nesting_max, (int,), "Deeper nesting of lists and quotes is flattened."),
    "page_seconds": Option(_LIMITS.page_seconds, (int, float), "The time one page may take, in seconds."),
}

OPTIONS: dict[str, Option] = {
    "people_dir": Option("people", (str,), "Folder of person profiles, `<id>.md` each."),
    "topics_dir": Option("topics", (str,), "Folder of topic descriptions, `<slug>.md` each."),
    "review_every": Option("1 year", (str, int),
                           "How long a review holds when a page does not say: \"6 months\", \"1 year\", or days."),
    "expertise_half_life": Option("1 year", (str, int),
                                  "An edit counts half as much expertise after this long: \"1 year\", days."),
    "closed_vocabulary": Option(False, (bool,), "Only tags with a page in the topics folder are allowed."),
    "bots": Option(DEFAULT_BOTS, (str,), "Git authors whose commits never count: patterns on name or email, "
                   "`*` for anything.", listed=True),
    "extra_keys": Option((), (str,), "Front matter keys of other plugins to accept without a warning.", listed=True),
    "status_map": Option({}, (dict,), "Other tools' `status` values and the kb state each stands for: "
                         "`{Completed: published}`."),
    "navigation": Option(True, (bool,), "Set the navigation to kb's index pages when mkdocs.yml has no `nav`."),
    "search": Option(True, (bool, dict), "kb's search: `true`, `false`, or the languages it reads, "
                     "`{lang: [en, de, ja]}` (by default the theme's `language`)."),
    "parallel": Option(True, (bool,), "Use the other cores, where the machine has them: forked processes build "
                       "the search index and render pages. The site is the same either way."),
    "new_page_url": Option(None, (str,), "Where \"start this page\" links go, with {path} and {content}; by default "
                           "from repo_url and edit_uri for GitHub and GitLab."),
    "limits": Option({}, (dict,), "Page size, line length, nesting and time limits.", group=LIMIT_OPTIONS),
    "secrets_allow": Option((), (str,), "Fingerprints of strings that look like secrets but are not.", listed=True),
    "attachments": Option((), (str,), "Suffixes of attachments to publish besides kb's own list.", listed=True),
    "validation": Option({}, (dict,), "Severity by diagnostic code or family: `link.wanted: info`.",
                         choices=VALIDATION_LEVELS),
    "external_images": Option("link", (str,), "Images from other hosts: `link`, `refuse` or `allow`.",
                              choices=EXTERNAL_IMAGES),
    "content_security_policy": Option(True, (bool, dict), "The Content Security Policy on every page: `true`, "
                                      "`false`, or sources to add by directive (kb.render.csp)."),
    "audience": Option("internal", (str,), "Who may read the site (kb.audience).", choices=AUDIENCES),
    "folder_topics": Option("auto", (bool, str), "Topics from the folders: `auto`, `true` or `false`."),
}


def option(options: Mapping[str, Any], name: str, table: Mapping[str, Option] = OPTIONS) -> Any:
    """The value of an option as written, or its default."""
    value = options.get(name)
    return table[name].default if value is None else value


#: How a message names the YAML types options take.
_KINDS = {bool: "true or false", int: "a whole number", float: "a number", str: "text", dict: "'name: value' lines"}


def check_options(options: Any, table: Mapping[str, Option] = OPTIONS, within: str = "") -> None:
    """Raises ValueError for a key the table has not, or a value of a type it does not take, as
    MkDocs does for the plugin (mkdocs_kb.options): `kb check` reads mkdocs.yml itself, and must
    not accept what the build refuses."""
    if not isinstance(options, Mapping):
        raise ValueError(f"{within or 'the kb plugin'}: expected 'name: value' lines, got {options!r}")
    for name, value in options.items():
        where = f"{within}{name}"
        if name not in table:
            raise ValueError(f"{where}: no such option (kb has {', '.join(sorted(table))})")
        declared = table[name]
        if value is None:
            continue
        for item in (value if declared.listed and isinstance(value, list) else [value]):
            # YAML's true is an int to Python: a limit of `true` is no number.
            if not isinstance(item, declared.types) or (isinstance(item, bool) and bool not in declared.types):
                kinds = " or ".join(_KINDS.get(kind, kind.__name__) for kind in declared.types)
                raise ValueError(f"{where}: expected {'a list of ' if declared.listed else ''}{kinds}, got {item!r}")
        if declared.group:
            check_options(value, declared.group, f"{name}: ")
