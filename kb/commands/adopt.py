"""`kb adopt`: what kb would make of an existing vault or docs tree, before it is added.

A team runs it on a folder of Markdown that has no kb configuration yet. It reads the folder as
the build would and says, in plain text: how many pages would be published and why the rest
are held back, which problems it reports and where most of them are, who git says wrote the
pages and which of their names are likely one person, whether topics would come from the
folders, and the lines of configuration that fit the content as it is.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from kb.analyse.identities import shown_name
from kb.analyse.knowledge import KnowledgeBase, summarize_held_back
from kb.analyse.likeness import Likely, find_likely
from kb.analyse.topics import FOLDER_TOPICS_BELOW, folder_tags, normalize_tag
from kb.diagnostics import Diagnostic, Severity
from kb.model import Kind, Page
from kb.read.schema import Invalid, guess_state, is_foreign_key, status

#: A key of another tool on at least this many pages is worth accepting (`extra_keys`).
OFTEN = 3
#: A quietable code is noisy when it is reported this often, or on a tenth of the pages.
NOISY = 10
#: Codes about a wiki's conventions, not about what readers would get wrong: a wiki brought in
#: from another tool may have them by the hundred, and may turn them into notes.
QUIETABLE = frozenset({"link.wanted", "link.ambiguous", "link.anchor", "person.unknown", "topic.near-duplicate",
                       "frontmatter.unused"})
#: How many authors, codes' files and folder topics the report lists.
TOP_AUTHORS, TOP_FILES, TOP_TOPICS = 15, 3, 12


@dataclass(frozen=True)
class CodeCount:
    code: str
    severity: str
    count: int
    #: The files with most of them, with how many each.
    files: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Adoption:
    """Everything the report says, as values (render_adoption prints them)."""

    content_dir: str
    articles: int
    people: int
    topic_pages: int
    #: Why each file is held back, by its path as diagnostics show it.
    held_back: dict[str, str]
    codes: tuple[CodeCount, ...]
    #: The git history's state (kb.read.history.History.state).
    history: str
    #: Authors of published pages, most changes first: (name, changes, their profile or "").
    authors: tuple[tuple[str, int, str], ...]
    author_count: int
    authors_with_profile: int
    likely: tuple[Likely, ...]
    tagged: int
    #: The `folder_topics` option as written: True, False or None (auto).
    folder_setting: bool | None
    folder_topics: bool
    #: Topics from folders, with their pages, most pages first.
    folder_topic_pages: tuple[tuple[str, int], ...]
    topics: int
    #: Keys of other tools, with the pages they are on.
    extra_keys: tuple[tuple[str, int], ...]
    #: Noisy codes to turn into notes, with their counts.
    noisy: tuple[tuple[str, int], ...]
    #: Status values kb does not know: (value, what it may mean in kb, pages).
    statuses: tuple[tuple[str, str, int], ...]


def build_adoption(kb: KnowledgeBase, content_dir: str, site_diagnostics: tuple[Diagnostic, ...] = ()) -> Adoption:
    diagnostics = [*site_diagnostics, *kb.diagnostics]
    # Every page read, drafts too: their keys and status values are the wiki's conventions.
    pages = kb.inputs.pages if kb.inputs else ()
    authors = _authors(kb)
    return Adoption(
        content_dir=content_dir,
        articles=len(kb.articles),
        people=len(kb.people),
        topic_pages=len(kb.topic_pages),
        held_back={_display(kb, path): reason for path, reason in kb.held_back.items()},
        codes=_codes(diagnostics),
        history=kb.history.state,
        authors=authors[:TOP_AUTHORS],
        author_count=len(authors),
        authors_with_profile=sum(1 for _, _, profile in authors if profile),
        likely=_likely(kb),
        tagged=sum(1 for article in kb.articles.values() if article.tags),
        folder_setting=kb.config.folder_topics,
        folder_topics=kb.folder_topics,
        folder_topic_pages=_folder_topics(kb),
        topics=len(kb.topics),
        extra_keys=_extra_keys(kb, pages),
        noisy=_noisy(diagnostics, len(pages)),
        statuses=_statuses(kb, pages),
    )


def _display(kb: KnowledgeBase, path: str) -> str:
    return kb.inputs.collection.display(path) if kb.inputs else path


def _codes(diagnostics: list[Diagnostic]) -> tuple[CodeCount, ...]:
    by_code: dict[str, list[Diagnostic]] = defaultdict(list)
    for diagnostic in diagnostics:
        by_code[diagnostic.code].append(diagnostic)
    rank = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    found = []
    for code, found_here in by_code.items():
        files = Counter(d.path for d in found_here)
        worst = min((d.severity for d in found_here), key=lambda severity: rank[severity])
        top = tuple(sorted(files.items(), key=lambda item: (-item[1], item[0]))[:TOP_FILES])
        found.append(CodeCount(code, worst.value, len(found_here), top))
    return tuple(sorted(found, key=lambda c: (rank[Severity(c.severity)], -c.count, c.code)))


def _authors(kb: KnowledgeBase) -> tuple[tuple[str, int, str], ...]:
    counts: Counter[str] = Counter()
    for path in kb.articles:
        for change in kb.changes(path):
            counts[kb.identities.author_of(change.author, change.email) or shown_name(change.author)] += 1
    rows = []
    for person_id, count in counts.items():
        profile = kb.people[person_id].display if person_id in kb.people else ""
        rows.append((kb.person_name(person_id) or person_id, count, profile))
    return tuple(sorted(rows, key=lambda row: (-row[1], row[0].casefold(), row[0])))


def _likely(kb: KnowledgeBase) -> tuple[Likely, ...]:
    unclaimed, claimed = [], []
    for path in sorted(kb.articles):
        for change in kb.changes(path):
            person = kb.identities.person_of(change.author, change.email)
            if person is None:
                unclaimed.append((change.author, change.email))
            else:
                claimed.append((person, change.email))
    return find_likely(unclaimed, kb.people.values(), claimed, kb.config.people_dir)


def _folder_topics(kb: KnowledgeBase) -> tuple[tuple[str, int], ...]:
    if not kb.folder_topics:
        return ()
    keys = {normalize_tag(title) for titles in folder_tags(kb.articles).values() for title in titles}
    topics = [topic for topic in kb.topics.values() if normalize_tag(topic.name) in keys]
    return tuple(sorted(((t.name, len(t.articles)) for t in topics), key=lambda item: (-item[1], item[0].casefold())))


def _extra_keys(kb: KnowledgeBase, pages: tuple[Page, ...]) -> tuple[tuple[str, int], ...]:
    counts: Counter[str] = Counter()
    vocabulary = kb.config.vocabulary
    for page in pages:
        counts.update({key for key in page.meta if isinstance(key, str) and is_foreign_key(key, vocabulary)})
    return tuple(sorted(((k, n) for k, n in counts.items() if n >= OFTEN), key=lambda item: (-item[1], item[0])))


def _noisy(diagnostics: list[Diagnostic], page_count: int) -> tuple[tuple[str, int], ...]:
    counts = Counter(d.code for d in diagnostics if d.severity is Severity.WARNING and d.code in QUIETABLE)
    return tuple(sorted(
        ((code, count) for code, count in counts.items() if count >= NOISY or (count >= OFTEN and count * 10 >= page_count)),
        key=lambda item: (-item[1], item[0])))


def _statuses(kb: KnowledgeBase, pages: tuple[Page, ...]) -> tuple[tuple[str, str, int], ...]:
    counts: Counter[str] = Counter()
    for page in pages:
        value = page.meta.get("status")
        if page.kind is not Kind.ARTICLE or not isinstance(value, str) or not value.strip():
            continue
        try:
            status(value, kb.config.vocabulary)
        except Invalid:
            counts[value.strip()] += 1
    return tuple(sorted(
        ((value, guess_state(value).value, count) for value, count in counts.items()),
        key=lambda item: (-item[2], item[0])))


def render_adoption(adoption: Adoption) -> str:
    """The report as plain text, the same for the same commit."""
    parts = (_pages(adoption), _problems(adoption), _people(adoption), _likely_people(adoption), _topics(adoption),
             ["Configuration to add to mkdocs.yml:", *_configuration(adoption)])
    return "\n\n".join("\n".join(part) for part in (["kb adopt " + adoption.content_dir], *parts) if part) + "\n"


def _pages(adoption: Adoption) -> list[str]:
    published = adoption.articles + adoption.people + adoption.topic_pages
    out = [f"Pages: {published} would be published ({_count(adoption.articles, 'article')}, "
           f"{_count(adoption.people, 'person', 'people')}, {_count(adoption.topic_pages, 'topic page')}); "
           f"{summarize_held_back(adoption.held_back)}"]
    reasons: dict[str, list[str]] = defaultdict(list)
    for path, reason in sorted(adoption.held_back.items()):
        reasons[reason].append(path)
    for reason, paths in sorted(reasons.items(), key=lambda item: (-len(item[1]), item[0])):
        out.append(f"  held back as {reason}: {', '.join(paths[:TOP_FILES])}{_more(len(paths), TOP_FILES)}")
    published_by_map = sum(count for _, meaning, count in adoption.statuses if meaning == "published")
    if published_by_map:
        # The rest of the report reads the wiki as it is: those pages' links, authors and topics
        # are not in it yet.
        out.append(f"  with the status_map below, {_count(published_by_map, 'more page')} would be published: run "
                   "kb adopt again once it is in mkdocs.yml to see their problems and people")
    return out


def _problems(adoption: Adoption) -> list[str]:
    out = ["Problems, by code (kb check lists each one):"]
    for code in adoption.codes:
        files = ", ".join(f"{path} ({count})" for path, count in code.files)
        out.append(f"  {code.code}  {code.severity}  {code.count}  most in: {files}")
    return out if adoption.codes else [*out, "  none"]


def _people(adoption: Adoption) -> list[str]:
    if adoption.history != "ok":
        return ["People in git:", f"  no git history ({adoption.history}), so no authors and no expertise from edits"]
    out = ["People in git:", f"  {_count(adoption.author_count, 'author')} of published pages (bots left out), "
                             f"{adoption.authors_with_profile} with a profile; the most active:"]
    for name, count, profile in adoption.authors:
        out.append(f"  {count:6d}  {name}" + (f"  ({profile})" if profile else "  (no profile: shown as unclaimed)"))
    return out


def _likely_people(adoption: Adoption) -> list[str]:
    if not adoption.likely:
        return []
    out = ["Likely one person (kb never merges names by itself; list them in one profile's names):"]
    for group in adoption.likely:
        out.append("  " + ", ".join(f"{name} ({count})" for name, count in group.names))
        out += [f"    {reason}" for reason in group.reasons]
        verb = "add to" if group.exists else "write"
        out.append(f"    {verb} {group.profile}: names: {_flow([name for name, _ in group.names])}")
    return out


def _topics(adoption: Adoption) -> list[str]:
    state = "on" if adoption.folder_topics else "off"
    if adoption.folder_setting is None:
        share = f"{FOLDER_TOPICS_BELOW:.0%} of the articles have tags"
        why = f"folder_topics: auto; {'fewer than' if adoption.folder_topics else 'at least'} {share}"
    else:
        why = f"folder_topics: {'true' if adoption.folder_setting else 'false'}"
    out = ["Topics:",
           f"  {adoption.tagged} of {_count(adoption.articles, 'article')} {'has' if adoption.tagged == 1 else 'have'} "
           f"tags; {_count(adoption.topics, 'topic')}",
           f"  folder topics: {state} ({why})"]
    if adoption.folder_topic_pages:
        shown = adoption.folder_topic_pages[:TOP_TOPICS]
        listed = ", ".join(f"{name} ({count})" for name, count in shown)
        out.append(f"  from folders: {listed}{_more(len(adoption.folder_topic_pages), TOP_TOPICS)}")
    return out


def _more(total: int, shown: int) -> str:
    return f", and {total - shown} more" if total > shown else ""


def _count(number: int, noun: str, plural: str = "") -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def _site_lines(adoption: Adoption) -> list[str]:
    """Lines for mkdocs.yml itself: MkDocs' own exclusion of `templates/`, and the scripts and
    styles in the docs that a site names in extra_javascript and extra_css (kb publishes only those)."""
    prefix = adoption.content_dir.rstrip("/") + "/"
    relative = {path[len(prefix):] if path.startswith(prefix) else path: reason
                for path, reason in adoption.held_back.items()}
    lines = []
    if any(path.startswith("templates/") and reason == "file.excluded" for path, reason in relative.items()):
        # Hugo's docs have a templates section; an Obsidian vault's templates/ holds note templates.
        lines.append('# exclude_docs: "!/templates/"  # if templates/ holds pages: MkDocs leaves it out unless told')
    for option, suffixes in (("extra_css", (".css",)), ("extra_javascript", (".js", ".mjs"))):
        named = sorted(path for path, reason in relative.items()
                       if reason in ("file.type", "file.active") and path.lower().endswith(suffixes))
        if named:
            lines.append(f"# {option}: {_flow(named[:TOP_FILES * 2])}  # if these are the site's own, not a page's")
    return lines


def _configuration(adoption: Adoption) -> list[str]:
    site = [f"  {line}" for line in _site_lines(adoption)]
    options: list[str] = []
    if adoption.extra_keys:
        options.append(f"extra_keys: {_flow([key for key, _ in adoption.extra_keys])}")
    if adoption.noisy:
        options.append("validation:  # notes, not warnings: kb check --verbose still shows them")
        options += [f"  {code}: info" for code, _ in adoption.noisy]
    if adoption.statuses:
        pairs = ", ".join(f"{_scalar(value)}: {meaning}" for value, meaning, _ in adoption.statuses)
        options.append(f"status_map: {{{pairs}}}")
    if not options:
        return [*site, "  plugins: [kb]"]
    return [*site, "  plugins:", "    - kb:", *(f"        {line}" for line in options)]


def _flow(items: list[str]) -> str:
    return "[" + ", ".join(_scalar(item) for item in items) + "]"


_PLAIN = re.compile(r"[A-Za-z][\w .-]*")
_YAML_WORDS = frozenset({"true", "false", "yes", "no", "on", "off", "null", "y", "n"})


def _scalar(text: str) -> str:
    """A YAML scalar for a flow collection: as written when that reads back the same, else quoted."""
    if _PLAIN.fullmatch(text) and text == text.strip() and text.lower() not in _YAML_WORDS and " #" not in text:
        return text
    # Escaped when it holds a character YAML would read as a line break or refuse (U+2028, U+0085).
    return json.dumps(text, ensure_ascii=not text.isprintable())
