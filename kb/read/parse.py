"""Stage 2, parse: one source file → one Article, Person or TopicDescription, plus diagnostics.

Parsing looks at one file at a time; facts that need other files (does this owner exist, does
this link resolve) are checked when the knowledge base is analysed.
"""

from __future__ import annotations

import posixpath
from typing import Any

from kb.config import KbConfig
from kb.diagnostics import Diagnostic, Severity
from kb.languages import LANGUAGES
from kb.model import Article, Kind, Page, PageType, Person, Status, TopicDescription
from kb.read.body import first_paragraph, scan_body
from kb.read.cascade import INDEX_NAMES, read_cascade
from kb.read.collect import Source
from kb.read.comments import hide_comments
from kb.read.limits import tame_markdown
from kb.read.metadata import FrontMatterError, multimarkdown_header, read_front_matter
from kb.read.publication import Hold, draft_holds, in_draft_folder, key_name, text_says_draft
from kb.read.schema import INVISIBLE, as_written, header_details, page_updated, validate_front_matter
from kb.read.secrets import find_secrets, secret_message


def kind_of(path: str, config: KbConfig) -> Kind:
    """People and topic descriptions live in their own folders; everything else is an article.
    An `index.md` in those folders is an ordinary article (a hand-written introduction); one in a
    folder of the topics folder (`topics/ops/index.md`) is at the topic's URL, so it describes the topic."""
    folder, name = posixpath.split(path)
    if name in ("index.md", "README.md") and posixpath.dirname(folder) == config.topics_dir and folder:
        return Kind.TOPIC
    if name.lower() in ("index.md", "readme.md"):
        return Kind.ARTICLE
    if folder == config.people_dir:
        return Kind.PERSON
    if folder == config.topics_dir:
        return Kind.TOPIC
    return Kind.ARTICLE


def topic_slug(path: str) -> str:
    """The slug a topic description is for: `topics/ops.md` and `topics/ops/index.md` → `ops`."""
    folder, name = posixpath.split(path)
    return posixpath.basename(folder) if name in ("index.md", "README.md") else posixpath.splitext(name)[0]


def parse_source(source: Source, config: KbConfig) -> tuple[Page, list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []

    def report(line: int, col: int, severity: Severity, code: str, message: str) -> None:
        diagnostics.append(Diagnostic(source.display, line, col, severity, code, message))

    kind = kind_of(source.path, config)
    header = read_front_matter(source.text)
    if header.error is None and not header.data:
        header.error = _multimarkdown_draft(source.text)
    if header.error:
        error = header.error
        message = error.message
        if error.code == "frontmatter.yaml":
            message = f"the front matter cannot be read: {message}; the page is held back as a draft until it is fixed"
        report(error.line, error.col, Severity.ERROR, error.code, message)
    data = as_written(header.data, header.words)
    validated = validate_front_matter(data, kind, config.vocabulary)
    values = validated.values
    status_invalid = False
    for violation in validated.violations:
        severity = Severity.WARNING if violation.code in _WARNINGS else Severity.ERROR
        code, message = violation.code, violation.message
        if violation.key == "status":
            # A status kb cannot read might have been meant as "draft": fail closed.
            code, message = "status.invalid", f"{message}; the page is held back as a draft until it is fixed"
            status_invalid = True
        report(header.line_of(violation.key), 1, severity, code, message)
    holds = draft_holds(data)
    for hold in holds:
        if hold.problem:
            report(header.line_of(hold.key), 1, Severity.ERROR, "frontmatter.draft", hold.problem)
    holds += _cascade_holds(source.path, data, header.line_of, report)

    secrets = find_secrets(source.text, config.secrets_allow)
    for secret in secrets:
        report(secret.line, secret.col, Severity.ERROR, "secret.found", secret_message(secret))
    draft = (header.error is not None or bool(secrets) or status_invalid or bool(holds)
             or values.get("status") is Status.DRAFT or in_draft_folder(source.path))

    body, hidden = hide_comments(header.body, header.body_line)
    body, tamed = tame_markdown(body, header.body_line, config.limits)
    for problem in (*hidden, *tamed):
        report(problem.line, problem.col, Severity.WARNING, problem.code, problem.message)
    headings, links = scan_body(body, header.body_line)
    common: dict[str, Any] = dict(
        path=source.path,
        display=source.display,
        kind=kind,
        meta={key: value for key, value in data.items() if key not in validated.dropped},
        key_lines=header.key_lines,
        body=body,
        body_line=header.body_line,
        headings=headings,
        links=links,
        draft=draft,
        created_on=values.get("date"),
        updated_on=values.get("lastmod") or ("date" in values and page_updated(data)) or values.get("date"),
    )
    first_h1 = next((h for h in headings if h.level == 1 and h.text), None)
    if first_h1 is not None and INVISIBLE.search(first_h1.text):
        report(first_h1.line, 1, Severity.WARNING, "text.invisible", "the heading holds invisible characters (bidi "
               "controls or zero-width spaces) that change how it reads; they are removed from the page's title")
    first_h1 = INVISIBLE.sub("", first_h1.text).strip() or None if first_h1 is not None else None
    fallback_title = values.get("title") or first_h1 or title_from_path(source.path)

    if kind is Kind.PERSON:
        person_id = posixpath.splitext(posixpath.basename(source.path))[0]
        name = values.get("name") or first_h1 or person_id
        page: Page = Person(
            title=name, id=person_id, name=name,
            **_pick(values, "role", "team", "location", "timezone", "contact", "emails", "names"),
            **common,
        )
    elif kind is Kind.TOPIC:
        slug = topic_slug(source.path)
        page = TopicDescription(
            title=values.get("title") or first_h1 or slug, slug=slug, summary=first_paragraph(body),
            **_pick(values, "aliases", "parent", "moderators"), **common,
        )
    else:
        page = _article(values, common, fallback_title, header.line_of, report, config)
    return page, diagnostics


def _article(values: dict[str, Any], common: dict[str, Any], title: str, line_of: Any, report: Any,
             config: KbConfig) -> Article:
    status = values.get("status", Status.PUBLISHED)
    page_type = values.get("type", PageType.ARTICLE)
    if status.is_vetted:
        for key in ("reviewed_by", "reviewed_on"):
            if key not in values:
                report(line_of("status"), 1, Severity.ERROR, "review.missing",
                       f"a {status.value} page needs '{key}': who vetted it and when")
    for key in ("answered", "answered_by"):
        if key in values and page_type is not PageType.QUESTION:
            report(line_of(key), 1, Severity.WARNING, "frontmatter.unused",
                   f"'{key}' only applies to pages with 'type: question'")
    if "members" in values and page_type is not PageType.COMMUNITY:
        report(line_of("members"), 1, Severity.WARNING, "frontmatter.unused",
               "'members' only applies to pages with 'type: community'")
    lang = values.get("lang")
    if lang is not None and config.search and lang not in config.search_languages:
        default = config.search_languages[0]
        report(line_of("lang"), 1, Severity.WARNING, "search.lang",
               f"'lang: {lang}': the site's search does not read {LANGUAGES[lang]}, so it reads this page as "
               f"{LANGUAGES[default]}; add {lang} to the kb plugin's 'search: {{lang: [...]}}' in mkdocs.yml")
    summary = values.get("summary") or first_paragraph(common["body"])
    return Article(
        title=title, summary=summary, status=status, type=page_type,
        review_every_days=values.get("review_every"),
        answered=values.get("answered", bool(values.get("answered_by")) if page_type is PageType.QUESTION else None),
        tags=_tags(values),
        details=header_details(values),
        **_pick(values, "aliases", "owners", "reviewed_by", "reviewed_on", "members", "answered_by", "lang"),
        **common,
    )


def _cascade_holds(path: str, data: dict[str, Any], line_of: Any, report: Any) -> list[Hold]:
    """Hugo's `cascade` passes its draft keys from a folder's index page down to the pages below
    it (kb.read.pages holds them back). The index itself is held back when the cascade reaches it
    too, unless it sets every key the cascade passes down itself (Hugo merges a cascade only into
    keys a page lacks: `build: {render: always}` beside `cascade: {build: {render: never}}`
    publishes the index and none of the pages below), and is told so. Anywhere else it holds
    back nothing, and the author is told so."""
    cascade = read_cascade(data)
    if cascade is None:
        return []
    line = line_of(cascade.key)
    if posixpath.basename(path).lower() not in INDEX_NAMES:
        report(line, 1, Severity.WARNING, "frontmatter.unused",
               f"'{cascade.key}' only applies on a folder's index page (index.md, _index.md or README.md), to the "
               "pages below it; here it holds back nothing, not even this page")
        return []
    for problem in cascade.problems:
        report(line, 1, Severity.ERROR, "frontmatter.draft", problem)
    for note in cascade.notes:
        report(line, 1, Severity.WARNING, "frontmatter.unused", note)
    if cascade.problems:
        return [Hold(cascade.key)]
    if not cascade.reaches(path) or cascade.keys <= {key_name(key) for key in data}:
        return []
    report(line, 1, Severity.INFO, "page.cascade",
           f"not published: its own '{cascade.key}' reaches this page too, as it does in Hugo; to publish this page "
           f"and not the pages below, give it the key it passes down with the value for this page "
           f"({', '.join(sorted(cascade.keys))})")
    return [Hold(cascade.key)]


def _tags(values: dict[str, Any]) -> tuple[str, ...]:
    """The page's tags, then its categories (Hugo, Jekyll, Material's blog): both are topics."""
    written = (*values.get("tags", ()), *values.get("categories", ()), *values.get("category", ()))
    return tuple(dict.fromkeys(written))


#: Violations that are warnings: the rest are errors.
_WARNINGS = ("frontmatter.unknown-key", "text.invisible", "frontmatter.date")


def _multimarkdown_draft(text: str) -> FrontMatterError | None:
    """MkDocs reads `Key: value` lines at the top of a page as its metadata; kb reads them as
    text. Where they would make the page a draft, the page must not be published as text."""
    for key, value, line in multimarkdown_header(text):
        if text_says_draft(key, value):
            return FrontMatterError(line, 1, f"'{key}: {value[:40]}' at the top of the page is metadata to MkDocs but "
                                    "text to kb; put the page's metadata between '---' lines — the page is held back "
                                    "until then", "frontmatter.placement")
    return None


def title_from_path(path: str) -> str:
    """`ops/deploy-to-staging.md` → "Deploy to staging"; an index takes its folder's name."""
    folder, name = posixpath.split(path)
    stem = posixpath.splitext(name)[0]
    if stem.lower() in ("index", "readme"):
        stem = posixpath.basename(folder) or "Home"
    words = stem.replace("-", " ").replace("_", " ").strip() or stem
    return words[:1].upper() + words[1:]


def _pick(values: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: values[key] for key in keys if key in values}
