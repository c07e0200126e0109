"""Site-wide settings of a knowledge base, independent of the site engine.

The MkDocs adapter fills this from the `kb` plugin options; `kb check` reads the same options
from `mkdocs.yml`, so the checker and the build judge content alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from kb.languages import search_languages
from kb.model import Status
from kb.options import LIMIT_OPTIONS, OPTIONS, VALIDATION_LEVELS, ExternalImages, check_options, option
from kb.read.attachments import PUBLISHED_SUFFIXES, attachment_suffixes
from kb.read.limits import Limits
from kb.read.schema import Invalid, Vocabulary, duration_days, status_key


@dataclass(frozen=True)
class KbConfig:
    # The defaults are the options' own (kb.options), in the units kept here.
    people_dir: str = OPTIONS["people_dir"].default
    topics_dir: str = OPTIONS["topics_dir"].default
    #: How long a review holds when a page does not say (`review_every`), in days.
    review_every_days: int = duration_days(OPTIONS["review_every"].default)
    #: Only tags with a page in the topics folder are allowed; any other tag is an error.
    closed_vocabulary: bool = OPTIONS["closed_vocabulary"].default
    #: How fast old edits stop counting as expertise: an edit counts half after this many days.
    expertise_half_life_days: int = duration_days(OPTIONS["expertise_half_life"].default)
    #: Git authors whose commits never count: patterns on name or email, `*` for anything.
    bots: tuple[str, ...] = OPTIONS["bots"].default
    #: More front matter keys to accept without an "unknown key" warning.
    extra_keys: frozenset[str] = field(default_factory=frozenset)
    #: Other tools' `status` values and the kb state each stands for (`Completed: published`),
    #: keyed in the spelling of kb.read.schema.status_key.
    status_map: dict[str, Status] = field(default_factory=dict)
    #: Page size, line length and nesting limits (see kb.read.limits).
    limits: Limits = field(default_factory=Limits)
    #: Fingerprints of strings that look like credentials but are not (examples in a how-to).
    secrets_allow: frozenset[str] = field(default_factory=frozenset)
    #: Suffixes of the attachments published (kb.read.attachments): kb's own list and the site's
    #: `attachments` option.
    attachments: frozenset[str] = PUBLISHED_SUFFIXES
    #: The severity of each kind of problem, by diagnostic code (`link.wanted`) or family
    #: (`link.*`): "error", "warning", "info" or "ignore". Unlisted codes keep their own.
    validation: dict[str, str] = field(default_factory=dict)
    #: Who may read the site: "internal" (the default), "private-pages" or "public" (see kb.audience).
    audience: str = OPTIONS["audience"].default
    #: What the site's theme reads from pages (its status values, page templates and icons);
    #: filled in from the site's configuration, not from kb's options (see kb.siteconfig).
    theme: Vocabulary = field(default_factory=Vocabulary)
    #: The site engine's own exclusions, as gitignore lines: files it leaves out of the site
    #: (MkDocs' `exclude_docs`, with its defaults) and drafts (MkDocs' `draft_docs`).
    exclude_docs: tuple[str, ...] = ()
    draft_docs: tuple[str, ...] = ()
    #: The site's own scripts and styles in the docs folder, named by mkdocs.yml's `extra_css` and
    #: `extra_javascript` (Material's documented way to add them): published as they are, since
    #: they come from the site's configuration, not from a page. Filled in from the site's configuration.
    site_files: frozenset[str] = frozenset()
    #: Images from other hosts: `link`, `refuse` or `allow` (see kb.render.sanitize).
    external_images: ExternalImages = OPTIONS["external_images"].default
    #: The path the site is served under, from `site_url` (`/kb/` for `https://wiki.example.com/kb/`):
    #: a link to `/kb/ops/deploy/` is a link to a page of this site; `/` when MkDocs reads such
    #: links from the docs folder (kb.siteconfig.links_root). Filled in from the site's configuration.
    site_path: str = "/"
    #: Topics from folders (kb.analyse.topics): True, False, or None for `auto` (when few pages have tags).
    folder_topics: bool | None = None
    #: Whether the site has kb's search (the `search` option).
    search: bool = OPTIONS["search"].default
    #: The languages the search reads (kb.languages); a page whose language is not among
    #: them is read in the first.
    search_languages: tuple[str, ...] = ("en",)

    @property
    def vocabulary(self) -> Vocabulary:
        return replace(self.theme, extra_keys=self.theme.extra_keys | self.extra_keys,
                       status_map=tuple(self.status_map.items()))

    @classmethod
    def from_options(cls, options: Mapping[str, Any], theme_language: Any = None) -> KbConfig:
        """From the `kb` plugin options as written in mkdocs.yml (kb.options declares them and
        their defaults), and the theme's `language` (the search's language unless the options
        name one). Raises ValueError."""
        def given(name: str) -> Any:
            return option(options, name)

        try:
            review_days = duration_days(given("review_every"))
        except Invalid as error:
            raise ValueError(f"review_every: {error}") from None
        try:
            half_life = duration_days(given("expertise_half_life"))
        except Invalid as error:
            raise ValueError(f"expertise_half_life: {error}") from None
        validation = given("validation")
        if not isinstance(validation, Mapping):
            raise ValueError("validation: expected 'code: level' lines")
        for name in ("external_images", "audience"):
            if given(name) not in OPTIONS[name].choices:
                raise ValueError(f"{name}: {given(name)!r} is not one of {', '.join(OPTIONS[name].choices)}")
        for code, level in validation.items():
            if level not in VALIDATION_LEVELS:
                raise ValueError(f"validation: {code}: {level!r} is not one of {', '.join(VALIDATION_LEVELS)}")
        folder_topics = given("folder_topics")
        if folder_topics not in ("auto", True, False):
            raise ValueError(f"folder_topics: {folder_topics!r} is not one of auto, true, false")
        try:
            attachments = attachment_suffixes(given("attachments"))
        except ValueError as error:
            raise ValueError(f"attachments: {error}") from None
        search, languages = search_languages(given("search"), theme_language)
        return cls(
            people_dir=str(given("people_dir")).strip("/"),
            topics_dir=str(given("topics_dir")).strip("/"),
            review_every_days=review_days,
            expertise_half_life_days=half_life,
            closed_vocabulary=bool(given("closed_vocabulary")),
            bots=tuple(str(pattern) for pattern in given("bots") or OPTIONS["bots"].default),
            extra_keys=frozenset(str(key) for key in given("extra_keys")),
            status_map=_status_map(given("status_map")),
            validation={str(code): str(level) for code, level in validation.items()},
            limits=_limits(given("limits")),
            secrets_allow=frozenset(str(f) for f in given("secrets_allow")),
            external_images=given("external_images"),
            audience=given("audience"),
            attachments=attachments,
            folder_topics=None if folder_topics == "auto" else folder_topics,
            search=search,
            search_languages=languages,
        )


def _status_map(options: Any) -> dict[str, Status]:
    """`status_map: {Completed: published, "In progress": draft}`: each value a kb state."""
    states = ", ".join(Status)
    if not isinstance(options, Mapping):
        raise ValueError(f"status_map: expected 'their status: kb state' lines (kb's states: {states})")
    mapped: dict[str, Status] = {}
    for theirs, state in options.items():
        if not isinstance(theirs, str) or not theirs.strip():
            raise ValueError(f"status_map: {theirs!r} is not a status value; write it as text")
        if status_key(theirs) in {status_key(own) for own in Status}:
            # `Draft: published` would publish every page its author marked a draft.
            raise ValueError(f"status_map: {theirs}: is one of kb's own states ({states}), which keep their meaning")
        try:
            mapped[status_key(theirs)] = Status(str(state).strip().lower())
        except ValueError:
            raise ValueError(f"status_map: {theirs}: {state!r} is not a kb state; use one of {states}") from None
    return mapped


def _limits(options: Mapping[str, Any]) -> Limits:
    """`limits: {page_warn_kb: 1024, page_max_kb: 4096, line_max_chars: 5000, nesting_max: 32, page_seconds: 10}`"""
    check_options(options, LIMIT_OPTIONS, "limits: ")
    if any(value is not None and value <= 0 for value in options.values()):
        raise ValueError("limits: every limit is a number above 0")
    try:
        return Limits(
            page_warn_bytes=int(option(options, "page_warn_kb", LIMIT_OPTIONS)) * 1024,
            page_max_bytes=int(option(options, "page_max_kb", LIMIT_OPTIONS)) * 1024,
            line_max_chars=int(option(options, "line_max_chars", LIMIT_OPTIONS)),
            nesting_max=int(option(options, "nesting_max", LIMIT_OPTIONS)),
            page_seconds=float(option(options, "page_seconds", LIMIT_OPTIONS)),
        )
    except (TypeError, ValueError):
        raise ValueError("limits: expected whole numbers for page_warn_kb, page_max_kb, line_max_chars and nesting_max, "
                         "and seconds for page_seconds") from None
