"""Stage 4, analyze: every parsed page → one KnowledgeBase, the single source of derived facts.

The KnowledgeBase is complete before anything is rendered; generated pages, page headers and
exports all read from it and never go back to the files.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import traceback
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kb.analyse.contributions import Contributions
from kb.analyse.expertise import Expertise, build_expertise
from kb.analyse.facts import Facts
from kb.analyse.identities import Identities
from kb.analyse.insights import Insights, build_insights
from kb.analyse.links import LinkGraph, LinkResolver, build_link_graph
from kb.analyse.review import Review, future_reviews, review_of
from kb.analyse.topics import build_topics, folder_tags, uses_folder_topics
from kb.barrier import InternalError, page_failure, page_in_traceback
from kb.config import KbConfig
from kb.diagnostics import Diagnostic, Severity, apply_validation, cap_repeats, sort_diagnostics
from kb.memory import collector_paused
from kb.model import Article, Page, Person, Topic, TopicDescription
from kb.outputs import INDEX_PAGES, IndexPage
from kb.read.collect import Collection
from kb.read.history import Change, Commit, History, PendingHistory, withhold_credentials
from kb.read.pages import Parsed, collect, parse
from kb.read.publication import attachments_of_drafts, date_holds
from kb.read.schema import misspelt_state, status_key, status_map_line
from kb.read.secrets import Secret, commit_secret_message
from kb.timing import StageClock


@dataclass(frozen=True)
class KnowledgeBase:
    """Frozen once the analysis has made it: every stage after it reads, none writes."""

    config: KbConfig
    #: Published articles, people and topic descriptions by content path.
    articles: dict[str, Article] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    topic_pages: dict[str, TopicDescription] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    #: Canonical topic slugs of each published article, in the order its tags were written.
    article_topics: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: The topics most often on the same pages as each topic, most shared first.
    related_topics: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Published asset files (images, attachments) by content path.
    assets: frozenset[str] = frozenset()
    #: What to publish of an asset in place of the file as written (SVG, sanitised), by path.
    asset_content: dict[str, bytes] = field(default_factory=dict)
    #: Paths that are not published: drafts, unreadable files, refused files.
    withheld: frozenset[str] = frozenset()
    #: Why each withheld path is held back: "draft", or the code of its first error.
    held_back: dict[str, str] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    links: LinkGraph = field(default_factory=LinkGraph)
    resolver: LinkResolver | None = None
    history: History = field(default_factory=History)
    expertise: Expertise = field(default_factory=Expertise)
    #: Where each published article's review stands, by path.
    reviews: dict[str, Review] = field(default_factory=dict)
    insights: Insights = field(default_factory=lambda: Insights())
    #: Who changed the published pages, and when (kb.analyse.contributions).
    contributions: Contributions = field(default_factory=lambda: Contributions(History(), (), {}))
    #: Whether the pages' folders are topics too (the `folder_topics` option, decided for `auto`).
    folder_topics: bool = False

    @property
    def published_paths(self) -> frozenset[str]:
        return frozenset(self.articles) | frozenset(p.path for p in self.people.values()) | frozenset(self.topic_pages)

    @property
    def index_paths(self) -> dict[str, IndexPage]:
        """The pages every kb site has (kb.outputs.INDEX_PAGES), by content path."""
        return {page.content_path(self.config.topics_dir, self.config.people_dir): page for page in INDEX_PAGES}

    @property
    def identities(self) -> Identities:
        """The people behind git's authors (kb.analyse.identities)."""
        return self.contributions.identities

    @property
    def facts(self) -> Facts:
        """What the derived stages read (kb.analyse.facts)."""
        return Facts(self.articles, frozenset(self.people), self.topics, self.article_topics, self.links,
                     self.history, self.identities, self.config.review_every_days)

    def topic_path(self, slug: str) -> str:
        """A topic's page: its description in the topics folder, or one kb generates there."""
        description = self.topics[slug].description
        return description.path if description else f"{self.config.topics_dir}/{slug}.md"

    def changes(self, path: str) -> tuple[Change, ...]:
        """Every change to a page, newest first; empty when history is unknown or uncommitted."""
        return self.history.changes(path)

    def person_name(self, person_id: str) -> str | None:
        """The name of a person with a profile or of an unclaimed one (kb.analyse.identities)."""
        person = self.people.get(person_id)
        if person is not None:
            return person.name
        unclaimed = self.identities.unclaimed.get(person_id)
        return unclaimed.name if unclaimed else None

    def updated_on(self, path: str) -> dt.date | None:
        """When a page last changed: its last commit, else what its front matter says (`lastmod`,
        then `date`), for a page git has no history of."""
        changes = self.changes(path)
        if changes:
            return changes[0].date
        page = self.page(path)
        return page.updated_on if page is not None else None

    def page(self, path: str) -> Page | None:
        """The published page of any kind at a content path."""
        found = self.articles.get(path) or self.topic_pages.get(path)
        if found is None and path.startswith(self.config.people_dir + "/"):
            person_id = path[len(self.config.people_dir) + 1 :].rsplit(".", 1)[0]
            person = self.people.get(person_id)
            found = person if person and person.path == path else None
        return found

    #: Inverse indexes, built once: article paths by owner id and by reviewer id.
    owned: dict[str, tuple[str, ...]] = field(default_factory=dict)
    reviewed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: What the analysis started from, to derive everything again without some pages (hold_back).
    inputs: AnalysisInputs | None = None


@dataclass(frozen=True)
class AnalysisInputs:
    pages: tuple[Page, ...]
    collection: Collection
    history: History | None
    #: The problems found before the analysis (collecting, parsing, history).
    diagnostics: tuple[Diagnostic, ...]
    #: Pages held back because kb failed on them.
    failed: frozenset[str]


def build_knowledge_base(
    content_dir: Path, config: KbConfig | None = None, display_root: str = "",
    history: History | PendingHistory | None = None, clock: StageClock | None = None,
) -> KnowledgeBase:
    """Collect, parse and analyze a content directory. Never raises for bad content: every
    problem is in `diagnostics`. Inside a git work tree, files git ignores are left out and
    files it does not track are noted (kb.read.worktree). Without a `history` (see kb.read.history), pages have no dates;
    a PendingHistory is read by git while the pages are parsed."""
    config = config or KbConfig()
    clock = clock or StageClock()
    with collector_paused():
        collection = collect(content_dir, config, display_root, clock)
        return analyze(collection, config, history, clock)


def analyze(collection: Collection, config: KbConfig, history: History | PendingHistory | None = None,
            clock: StageClock | None = None) -> KnowledgeBase:
    """Parse every source and derive the knowledge base (stages 2 to 4)."""
    clock = clock or StageClock()
    return derive(parse(collection, config, clock), collection, config, history, clock)


def derive(parsed: Parsed, collection: Collection, config: KbConfig, history: History | PendingHistory | None = None,
           clock: StageClock | None = None, earlier: KnowledgeBase | None = None) -> KnowledgeBase:
    """Stages 3 and 4: the history, then the knowledge base derived from the parsed pages and
    it. Behind a fault barrier: a page whose analysis raises is held back. `earlier` is the same
    wiki derived before (in a preview server): what it worked out is used where it still holds."""
    clock = clock or StageClock()
    diagnostics = list(parsed.diagnostics)
    pages = list(parsed.pages)
    if isinstance(history, PendingHistory):
        with clock.stage("history"):
            history, history_problems = history.result()
        diagnostics.extend(history_problems)
    if history is not None:
        # Here, so that kb check and the build report the same commits and show none of them.
        history, withheld = withhold_credentials(history, config.secrets_allow)
        diagnostics.extend(_commit_secrets(withheld, collection))
    if history is not None and history.head_date is not None:
        pages = _hold_back_by_dates(pages, history.head_date, diagnostics)
    with clock.stage("analyze"):
        return _derive_guarded(pages, collection, config, history, diagnostics, set(parsed.failed), earlier)


def _commit_secrets(withheld: list[tuple[Commit, Secret]], collection: Collection) -> list[Diagnostic]:
    """A warning for each credential in a commit message, at a file the commit touched: a page
    that is still there if it can, else any file that is."""
    if not withheld:
        return []
    pages = {source.path for source in collection.sources}
    files = pages | set(collection.assets) | collection.refused
    diagnostics = []
    for commit, secret in withheld:
        path = next((p for p in commit.paths if p in pages), None) or next(
            (p for p in commit.paths if p in files), commit.paths[0])
        diagnostics.append(Diagnostic(collection.display(path), 1, 1, Severity.WARNING, "secret.commit",
                                      commit_secret_message(commit.commit, secret)))
    return diagnostics


def _hold_back_by_dates(pages: list[Page], today: dt.date, diagnostics: list[Diagnostic]) -> list[Page]:
    """Hugo's publishDate and expiryDate, judged on the day of the last commit."""
    held: set[str] = set()
    for page in pages:
        if page.draft or not any("date" in key.lower() or key.lower() == "published" for key in page.meta):
            continue
        for key, why in date_holds(page.meta, today):
            diagnostics.append(Diagnostic(page.display, page.meta_line(key), 1, Severity.INFO, "page.scheduled", why))
            held.add(page.path)
    return [dataclasses.replace(page, draft=True) if page.path in held else page for page in pages]


#: How many pages the analysis may hold back for raising before kb stops trying.
MAX_FAILED_PAGES = 20


def _derive_guarded(
    pages: list[Page], collection: Collection, config: KbConfig, history: History | None,
    diagnostics: list[Diagnostic], failed: set[str], earlier: KnowledgeBase | None = None,
) -> KnowledgeBase:
    """_derive, without the page whose analysis raised, as often as it takes."""
    for _ in range(MAX_FAILED_PAGES + 1):
        try:
            kb = _derive(pages, collection, config, history, list(diagnostics), frozenset(failed), earlier)
            # The sources' texts are kept compressed: only hold_back reads them again.
            return dataclasses.replace(kb, inputs=AnalysisInputs(tuple(pages), collection.packed(), history,
                                                                 tuple(diagnostics), frozenset(failed)))
        except Exception as error:  # the fault barrier: see kb.barrier
            culprit = page_in_traceback(error)
            if culprit is None or not any(page is culprit for page in pages):
                raise InternalError(f"kb failed while analysing the wiki ({type(error).__name__}: {error})",
                                    "".join(traceback.format_exception(error))) from error
            if culprit.path in failed:
                # It failed again as a held-back page: leave it out altogether.
                pages = [page for page in pages if page is not culprit]
                continue
            diagnostics.append(page_failure(culprit.display, error, "analysing"))
            failed.add(culprit.path)
            # Held back like a draft, so that links to it say so.
            pages = [dataclasses.replace(page, draft=True) if page is culprit else page for page in pages]
    raise InternalError(f"kb failed while analysing more than {MAX_FAILED_PAGES} pages; see the errors above")


def hold_back(kb: KnowledgeBase, problems: dict[str, Diagnostic]) -> KnowledgeBase:
    """The knowledge base derived again with these published pages held back, each for the
    problem given (a failure to render it, found after the analysis)."""
    assert kb.inputs is not None
    inputs = kb.inputs
    pages = [dataclasses.replace(page, draft=True) if page.path in problems else page for page in inputs.pages]
    return _derive_guarded(pages, inputs.collection, kb.config, inputs.history,
                           [*inputs.diagnostics, *problems.values()], set(inputs.failed) | set(problems))


def _derive(
    pages: list[Page], collection: Collection, config: KbConfig, history: History | None, diagnostics: list[Diagnostic],
    failed: frozenset[str], earlier: KnowledgeBase | None = None,
) -> KnowledgeBase:
    """Everything derived from the parsed pages, each index built once (or kept from `earlier`,
    where its inputs are the same)."""
    published = [page for page in pages if not page.draft]
    drafts = {page.path for page in pages if page.draft}
    held_assets = _attachments_of_drafts(collection, drafts | failed, {page.path for page in published},
                                         config.site_files)
    diagnostics.extend(
        Diagnostic(collection.display(path), 1, 1, Severity.INFO, "file.draft-only",
                   "only drafts use this attachment, so it is not published either")
        for path in held_assets)
    assets = frozenset(collection.assets) - held_assets
    # Each part is derived from the parts before it, and the knowledge base is made anew with
    # it (dataclasses.replace): it is never changed in place.
    kb = KnowledgeBase(
        config=config,
        articles={p.path: p for p in published if isinstance(p, Article)},
        people={p.id: p for p in published if isinstance(p, Person)},
        topic_pages={p.path: p for p in published if isinstance(p, TopicDescription)},
        assets=assets,
        asset_content={path: data for path, data in collection.rewritten.items() if path in assets},
        withheld=frozenset(drafts | collection.refused | failed | held_assets),
        history=history or History(),
    )
    contributions = earlier.contributions if earlier is not None else None
    if contributions is None or not contributions.holds_for(kb.history, kb.articles, kb.people):
        contributions = Contributions(kb.history, kb.articles, kb.people)
    folder_topics = uses_folder_topics(config.folder_topics, kb.articles.values())
    taxonomy, topic_problems = build_topics(
        kb.articles.values(), kb.topic_pages.values(), config.closed_vocabulary, _topic_folders(kb), config.topics_dir,
        folder_tags(kb.articles) if folder_topics else None)
    diagnostics.extend(topic_problems)
    owned, reviewed = index_people_roles(kb.articles.values())
    kb = dataclasses.replace(kb, contributions=contributions, folder_topics=folder_topics, topics=taxonomy.topics,
                             article_topics=taxonomy.article_topics, related_topics=taxonomy.related, owned=owned,
                             reviewed=reviewed)
    diagnostics.extend(check_people_references(kb, {p.id for p in pages if isinstance(p, Person) and p.draft}))
    resolver = LinkResolver(published, [p for p in pages if p.draft], kb.assets, site_page_names(kb),
                            collection.refusals(), config.site_path)
    resolver.keep_answers(earlier.resolver if earlier is not None else None)
    links, link_problems = build_link_graph(published, resolver,
                                            earlier.links if earlier is not None and resolver.answers_kept else None)
    diagnostics.extend(link_problems)
    kb = dataclasses.replace(kb, resolver=resolver, links=links)
    facts = kb.facts
    expertise = build_expertise(facts, config.expertise_half_life_days)
    reviews = {path: review_of(article, facts) for path, article in kb.articles.items()}
    diagnostics.extend(future_reviews(facts))
    kb = dataclasses.replace(kb, expertise=expertise, reviews=reviews,
                             insights=build_insights(facts, reviews, expertise, contributions),
                             diagnostics=cap_repeats(sort_diagnostics(apply_validation(diagnostics, config.validation))))
    return dataclasses.replace(kb, held_back=_reasons(kb, collection, {page.path: page for page in pages if page.draft}))


#: Problems below an error that hold a file back by themselves.
_HOLDING = frozenset({"file.ignored", "file.draft-only", "file.excluded", "file.editor", "page.scheduled",
                      "page.cascade"})


def _reasons(kb: KnowledgeBase, collection: Collection, drafts: dict[str, Page]) -> dict[str, str]:
    first: dict[str, str] = {}
    for diagnostic in sorted(kb.diagnostics, key=lambda d: (d.severity is not Severity.ERROR, d.line)):
        if diagnostic.severity is Severity.ERROR or diagnostic.code in _HOLDING:
            first.setdefault(diagnostic.path, diagnostic.code)
    reasons = {path: first.get(collection.display(path), "draft") for path in sorted(kb.withheld)}
    for path, reason in reasons.items():
        written = drafts[path].meta.get("status") if path in drafts else None
        if reason == "status.invalid" and isinstance(written, str) and written.strip() and not misspelt_state(written):
            # Another tool's status, most likely: the summary says which, and how to map it.
            reasons[path] = UNKNOWN_STATUS + " ".join(written.split())[:60]
    return reasons


#: The reason of a page held back for a `status` kb does not know, before the value.
UNKNOWN_STATUS = "unknown status: "
#: Unknown status values the summary names one by one; the rest are counted together.
NAMED_STATUSES = 3


def summarize_held_back(held_back: dict[str, str]) -> str:
    """`3 not published (2 draft, 1 frontmatter.yaml)`: how many files are held back, and why.
    Pages held back for another tool's status are counted by value, the most common named,
    with the `status_map` option that would publish them."""
    counts: dict[str, int] = defaultdict(int)
    # Spellings status_map would match alike (`Completed`, `completed `) are one value, named
    # as most pages write it.
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for reason in held_back.values():
        if reason.startswith(UNKNOWN_STATUS):
            written = reason[len(UNKNOWN_STATUS):]
            spellings[status_key(written)][written] += 1
        else:
            counts[reason] += 1
    statuses = {min(found, key=lambda w: (-found[w], w)): found.total() for found in spellings.values()}
    common = sorted(statuses.items(), key=lambda s: (-s[1], s[0]))
    for value, count in common[:NAMED_STATUSES]:
        counts[f"unknown status {value!r}"] = count
    if len(common) > NAMED_STATUSES:
        rest = common[NAMED_STATUSES:]
        counts[f"unknown status ({len(rest)} other values)"] = sum(count for _, count in rest)
    reasons = ", ".join(f"{count} {reason}" for reason, count in sorted(counts.items(), key=lambda r: (-r[1], r[0])))
    summary = f"{len(held_back)} not published" + (f" ({reasons})" if reasons else "")
    if common:
        line = status_map_line([value for value, _ in common[:NAMED_STATUSES]])
        summary += f"; to publish pages by another tool's status, map it in the kb plugin's options: {line}"
    return summary


def _attachments_of_drafts(collection: Collection, held: set[str], published: set[str],
                           site_files: frozenset[str]) -> frozenset[str]:
    """The site's own scripts and styles are never a draft's attachment, whatever a draft mentions."""
    assets = [path for path in collection.assets if path not in site_files]
    if not held or not assets:
        return frozenset()
    texts = {source.path: source.text for source in collection.sources}
    return frozenset(attachments_of_drafts(
        assets, ((path, texts[path]) for path in sorted(held) if path in texts),
        ((path, texts[path]) for path in sorted(published) if path in texts)))


def _topic_folders(kb: KnowledgeBase) -> frozenset[str]:
    """Folders inside the topics folder: a generated topic page must not take their URL."""
    prefix = kb.config.topics_dir + "/"
    inside = (path[len(prefix) :] for path in kb.published_paths if path.startswith(prefix))
    return frozenset(rest.split("/", 1)[0] for rest in inside if "/" in rest)


def site_page_names(kb: KnowledgeBase) -> dict[str, tuple[str, ...]]:
    """The pages every kb site has, with the names a wikilink may use for them: each topic's
    page, and the indexes of topics and people."""
    names: dict[str, tuple[str, ...]] = {path: (page.title,) if page.title else ()
                                         for path, page in kb.index_paths.items()}
    for slug, topic in kb.topics.items():
        aliases = topic.description.aliases if topic.description else ()
        names[kb.topic_path(slug)] = (slug, topic.name, *aliases)
    return names


def index_people_roles(articles: Iterable[Article]) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    owned: dict[str, list[str]] = defaultdict(list)
    reviewed: dict[str, list[str]] = defaultdict(list)
    for article in articles:
        for owner in article.owners:
            owned[owner].append(article.path)
        if article.reviewed_by:
            reviewed[article.reviewed_by].append(article.path)
    return (
        {person: tuple(sorted(paths)) for person, paths in owned.items()},
        {person: tuple(sorted(paths)) for person, paths in reviewed.items()},
    )


def check_people_references(kb: KnowledgeBase, draft_people: set[str]) -> list[Diagnostic]:
    """Owners, reviewers, members and moderators must be people with a published profile."""
    known = sorted(kb.people)
    found: list[Diagnostic] = []
    pages: Iterable[Article | TopicDescription] = [*kb.articles.values(), *kb.topic_pages.values()]
    for page in pages:
        for key in ("owners", "reviewed_by", "answered_by", "members", "moderators"):
            value = getattr(page, key, None)
            for person_id in (value,) if isinstance(value, str) else value or ():
                if person_id in kb.people:
                    continue
                if person_id in draft_people:
                    message = f"'{person_id}' in '{key}' has a draft profile, so it is not shown"
                else:
                    hint = difflib.get_close_matches(person_id, known, n=1)
                    message = f"no person '{person_id}' (in '{key}'): add {kb.config.people_dir}/{person_id}.md"
                    if hint:
                        message += f" or did you mean '{hint[0]}'?"
                found.append(Diagnostic(page.display, page.meta_line(key), 1, Severity.WARNING, "person.unknown", message))
    return found


__all__ = ["KnowledgeBase", "analyze", "build_knowledge_base", "hold_back", "summarize_held_back"]
