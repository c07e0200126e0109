"""The MkDocs adapter: each event hands over to one kb stage.

The core (`kb`) knows nothing of MkDocs. This module translates: MkDocs config → KbConfig,
diagnostics → MkDocs log records (so `--strict` fails on them), the KnowledgeBase → the Files
MkDocs builds, and views → the template context of each page.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import json
import logging
import os
import re
import time
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import escape
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import write_file

from kb.audience import AUDIENCES
from kb.background import Background, BackgroundError
from kb.barrier import InternalError, page_failure, page_in_traceback
from kb.collect import MKDOCS_EXCLUDES
from kb.config import KbConfig
from kb.csp import inline_script_hashes, origin, policy, with_policy
from kb.diagnostics import Diagnostic, Severity
from kb.emit import emit_directory, emit_graph, emit_insights, emit_previews, preview_shard_count
from kb.feeds import emit_feeds
from kb.generate import SitePlan, plan_site
from kb.history import DEFAULT_BOTS, PendingHistory
from kb.knowledge import MAX_FAILED_PAGES, UNKNOWN_STATUS, KnowledgeBase, build_knowledge_base, hold_back, summarize_held_back
from kb.limits import Limits
from kb.new import page_text, profile_text, template
from kb.outputs import GRAPH_PATH, INSIGHTS_PATH
from kb.sanitize import EXTERNAL_IMAGES, ExternalImages, content_id, sanitize_html
from kb.schema import INVISIBLE
from kb.search.languages import language_scripts
from kb.search.site import SearchInput, emit_index, emit_site_search, page_terms, page_texts, search_input
from kb.siteconfig import check_site, links_root, names_its_fonts, site_files, theme_vocabulary
from kb.timing import Progress, StageClock
from kb.topics import slugify
from kb.views import Views, build_views
from kb.wikilinks import WikiLinkExtension, link_url, wiki_target
from mkdocs_kb.barrier import RenderBarrier, call_guarded, internal_errors
from mkdocs_kb.parallel import PageWorker
from mkdocs_kb.theme_dir import theme_dir

log = logging.getLogger("mkdocs.plugins.kb")
#: The navigation kb gives a wiki whose mkdocs.yml has none: a wiki's nav is its index pages.
NAVIGATION = (("Home", "home"), ("Topics", "topics"), ("People", "people"), ("Changes", "changes"), ("Insights", "insights"))

_LEADING_H1 = re.compile(r"^\s*<h1\b[^>]*>.*?</h1>\s*", re.DOTALL)


class KbPluginConfig(base.Config):
    people_dir = c.Type(str, default="people")
    topics_dir = c.Type(str, default="topics")
    #: How long a review holds when a page does not say: "6 months", "1 year", or days.
    review_every = c.Type((str, int), default="1 year")
    #: An edit counts half as much expertise after this long: "1 year", "6 months", days.
    expertise_half_life = c.Type((str, int), default="1 year")
    #: Only tags with a page in the topics folder are allowed: a closed vocabulary.
    closed_vocabulary = c.Type(bool, default=False)
    #: Git authors whose commits never count: patterns on name or email, `*` for anything.
    bots = c.ListOfItems(c.Type(str), default=list(DEFAULT_BOTS))
    #: Front matter keys of other plugins to accept without an "unknown key" warning.
    extra_keys = c.ListOfItems(c.Type(str), default=[])
    #: Other tools' `status` values and the kb state each stands for: `{Completed: published}`.
    status_map = c.Type(dict, default={})
    #: Set the navigation to Home, Topics, People, Changes and Insights when mkdocs.yml has no `nav`.
    navigation = c.Type(bool, default=True)
    #: kb's search in the header, from an index built at build time (replaces Material's search
    #: plugin): `true`, `false`, or the languages it reads, `{lang: [en, de, ja]}` (by default the
    #: theme's `language`).
    search = c.Type((bool, dict), default=True)
    #: Use a second core, where the machine has one: a forked process converts part of the
    #: pages and builds the search index while MkDocs renders. The site is the same either way.
    parallel = c.Type(bool, default=True)
    #: Where "start this page" links go, with {path} and {content}; by default derived from
    #: repo_url and edit_uri for GitHub and GitLab.
    new_page_url = c.Optional(c.Type(str))
    #: Page size, line length and nesting limits: page_warn_kb, page_max_kb, line_max_chars, nesting_max.
    limits = c.Type(dict, default={})
    #: Fingerprints of strings that look like secrets but are not (kb check prints them).
    secrets_allow = c.ListOfItems(c.Type(str), default=[])
    #: Suffixes of attachments to publish besides kb's own list (`.drawio`); never one a browser runs.
    attachments = c.ListOfItems(c.Type(str), default=[])
    #: Severity by diagnostic code or family: `link.wanted: info`, `person.*: error`.
    validation = c.Type(dict, default={})
    #: Images from other hosts: shown as a link to the image (`link`), removed (`refuse`), or
    #: loaded from their host by every reader's browser (`allow`).
    external_images = c.Choice(EXTERNAL_IMAGES, default="link")
    #: The Content Security Policy on every page: `true`, `false`, or sources to add by
    #: directive (`{img-src: [https://images.corp.example]}`); see kb.csp.
    content_security_policy = c.Type((bool, dict), default=True)
    #: Who may read the site: `internal`, `private-pages` (a public host's access control) or
    #: `public`. A site_url on a public host warns unless this accounts for it.
    audience = c.Choice(AUDIENCES, default="internal")
    #: Topics from the folders (the first two levels): `auto` (when fewer than a tenth of the
    #: pages have tags), `true` or `false`.
    folder_topics = c.Type((bool, str), default="auto")


def kb_config_from(options: KbPluginConfig, theme_language: Any = None) -> KbConfig:
    try:
        return KbConfig.from_options(dict(options), theme_language)
    except ValueError as error:
        raise PluginError(f"kb: {error}") from None


class KbPlugin(BasePlugin[KbPluginConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        #: Under `mkdocs serve`, whose live reload is an inline script of its own.
        self.serving = False
        self._reset()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def _reset(self) -> None:
        #: Hosts pages may reach beyond their own, by CSP directive; None when the policy is off.
        self.csp_sources: dict[str, list[str]] | None = None
        self.kb: KnowledgeBase | None = None
        self.plan: SitePlan | None = None
        self.views: Views | None = None
        self.generated: dict[str, str] = {}
        self.build_date: str | None = None
        self.site_context: dict[str, Any] = {}
        self.topic_feeds: dict[str, dict[str, str]] = {}
        self.clock = StageClock()
        self.progress = Progress(0)
        #: The second processes: one builds the search index, one converts and renders pages.
        self.search: Background | None = None
        self.pages: PageWorker | None = None
        #: The data files kb adds (previews, graph, insights, feeds), by site path.
        self.data_files: set[str] = set()
        #: Pages were held back after the search index was started: build it here, at the end.
        self.search_stale = False
        #: Where pages held back while rendering would be written (the second process may have).
        self.held_back_outputs: list[str] = []
        self.barrier = RenderBarrier(lambda path: path, Limits().page_seconds)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # `mkdocs serve` may reuse this instance: nothing from the last build may leak into this one.
        self._reset()
        _refuse_folder_links(Path(config.docs_dir), Path(config.config_file_path or config.docs_dir).parent)
        custom_dir = Path(config.theme.custom_dir) if config.theme.custom_dir else None
        vocabulary = theme_vocabulary(custom_dir, [Path(folder) for folder in config.theme.dirs], config.extra.get("status"))
        self.kb_config = replace(kb_config_from(self.config, config.theme.get("language")), theme=vocabulary,
                                 exclude_docs=(*MKDOCS_EXCLUDES, *_spec_lines(config.exclude_docs)),
                                 draft_docs=_spec_lines(config.draft_docs),
                                 site_files=site_files(config.extra_css, config.extra_javascript,
                                                       [Path(folder) for folder in config.theme.dirs]),
                                 site_path=links_root(config.site_url, _absolute_links(config)))
        # `mkdocs serve` points site_url at the local server first: only a real build warns.
        for diagnostic in check_site(Path(config.config_file_path or "mkdocs.yml"), config.site_url, self.kb_config):
            _log(diagnostic)
        self.docs_dir = Path(config.docs_dir)
        _no_web_fonts_by_default(config)
        self.csp_sources = _policy_sources(config, self.config.content_security_policy, self.kb_config.external_images)
        self.new_page_template = self.config.new_page_url or _new_page_url(config)
        dirs = config.theme.dirs
        if theme_dir() not in dirs:
            # After the site's own custom_dir (so a wiki can override kb's templates), before Material.
            dirs.insert(1 if config.theme.custom_dir else 0, theme_dir())
        if config.validation.links.not_found == logging.WARNING:
            # kb reports a broken relative link itself, with its line and column; MkDocs' own
            # report of the same link would only repeat it without them.
            config.validation.links.not_found = logging.INFO
        # One extension instance for the whole build; it is pointed at each page before it renders.
        self.wikilinks = WikiLinkExtension()
        config.markdown_extensions.append(self.wikilinks)  # type: ignore[arg-type]
        # The navigation is set once the pages are known (on_files): the wiki may write its home
        # page as README.md, say.
        self._own_nav = self.config.navigation and config.nav is None
        return config

    @internal_errors
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        docs_dir = Path(config.docs_dir)
        display_root = _display_root(docs_dir, config)
        # git reads the history in its own process while kb parses the pages.
        history = PendingHistory(docs_dir, self.kb_config.bots, display=display_root)
        clock = self.clock
        self.fork = fork = self.config.parallel and (os.cpu_count() or 1) > 1
        # Most of the search index is the pages' own words: a second process starts on them as
        # soon as the pages are parsed, while this one analyses them, generates the pages and
        # MkDocs renders them, and it gets the rest (topics, people, dates) when the analysis is
        # done. It is forked now, while this process is small: it shares almost nothing with it,
        # so neither copies memory the other writes to.
        steps = functools.partial(self._search_steps, parent=os.getpid())
        self.search = Background(steps, fork=fork, inbox=True) if self.kb_config.search else None
        search, languages = self.search, self.kb_config.search_languages
        parsed = (lambda pages: search.send(page_texts(pages, languages))) if search is not None else None
        try:
            self.kb = kb = build_knowledge_base(docs_dir, self.kb_config, display_root, history, clock, parsed)
        except InternalError as error:
            log.debug(error.detail)
            raise PluginError(f"kb: internal error: {error} (mkdocs build --verbose shows the details)") from None
        for diagnostic in kb.diagnostics:
            _log(diagnostic)
        if kb.held_back:
            # Pages held back for another tool's status are a whole wiki missing, not a draft or two.
            unmapped = any(reason.startswith(UNKNOWN_STATUS) for reason in kb.held_back.values())
            log.log(logging.WARNING if unmapped else logging.INFO, f"kb: {summarize_held_back(kb.held_back)}")
        if kb.folder_topics:
            log.info("kb: topics from folders (folder_topics)")
        generating = time.perf_counter()

        withheld = [file for file in files if file.generated_by is None and _withheld(file.src_uri, kb)]
        for file in withheld:
            files.remove(file)
        if any(_in_theme(file.src_uri, config) for file in withheld):
            # A content file by the name of a theme file hides it from MkDocs (kb's own stylesheet,
            # say): once the content file is withheld, the theme's file must be published again.
            files.add_files_from_theme(config.theme.get_env(), config)
        _rewrite_assets(files, kb)
        self.barrier = RenderBarrier(functools.partial(_display_path, display_root), self.kb_config.limits.page_seconds)
        plan = self._generate_guarded(config, files)
        if self.search is not None:
            self.search.send(self._search_input(config))
        if self._own_nav:
            pages = {kind: path for path, kind in plan.special.items()}
            config.nav = [{label: pages[kind]} for label, kind in NAVIGATION]
            in_nav = {path for item in config.nav or [] for path in item.values()}
            for file in files.documentation_pages():
                if file.src_uri not in in_nav:
                    file.inclusion = InclusionLevel.NOT_IN_NAV
        clock.add("generate", time.perf_counter() - generating, len(plan.pages))
        for stage in clock.seconds:
            log.info(clock.summary(stage))
        self.progress = Progress(len(files.documentation_pages()))
        # The knowledge base and views live until the build ends: keep the collector from
        # rescanning them while MkDocs renders every page.
        gc.freeze()
        if kb.history.head_time is not None:
            self.build_date = dt.datetime.fromtimestamp(kb.history.head_time, dt.UTC).strftime("%Y-%m-%d")
        return files

    def _generate_guarded(self, config: MkDocsConfig, files: Files) -> SitePlan:
        """_generate, holding back any page whose views raise (the fault barrier of kb.barrier)."""
        for _ in range(MAX_FAILED_PAGES + 1):
            try:
                return self._generate(config, files)
            except Exception as error:  # the fault barrier: see kb.barrier
                culprit = page_in_traceback(error)
                if culprit is None or self.kb is None or self.kb.page(culprit.path) is None:
                    raise
                failure = page_failure(self.barrier.display(culprit.path), error, "generating the site from")
                _log(failure)
                self._derive_without({culprit.path: failure})
                self._remove_page(files, culprit.path)
        raise PluginError(f"kb: more than {MAX_FAILED_PAGES} pages failed; see the errors above")

    def _generate(self, config: MkDocsConfig, files: Files) -> SitePlan:
        """The pages and data files kb adds to the site, from the knowledge base; again, in
        place of the first ones, when pages are held back while MkDocs renders."""
        assert self.kb is not None
        kb = self.kb
        existing = frozenset(f.src_uri for f in files if f.is_documentation_page() and f.src_uri not in self.generated)
        self.plan = plan = plan_site(kb, config.site_name, existing)
        planned = {page.path: page.title for page in plan.pages}
        for path in sorted(set(self.generated) - set(planned)):
            self._remove_page(files, path)
        for path in planned:
            if path not in self.generated:
                files.append(File.generated(config, path, content=""))
        self.generated = planned
        self.views = views = build_views(kb, plan.topic_paths, config.use_directory_urls, self.start_page_url,
                                         self.start_profile_url)
        data = emit_previews(views.previews) | emit_directory(views)
        data[GRAPH_PATH] = emit_graph(kb, config.use_directory_urls)
        data[INSIGHTS_PATH] = emit_insights(kb, config.use_directory_urls)
        feeds, self.topic_feeds = emit_feeds(kb, config.site_name, config.site_url or "", config.use_directory_urls)
        data.update(feeds)
        for path in sorted(self.data_files - set(data)):
            _remove_file(files, path)
        for path, content in data.items():
            existing_file = files.get_file_from_path(path) if path in self.data_files else None
            if existing_file is not None:
                existing_file.content_bytes = content
            else:
                files.append(File.generated(config, path, content=content))
        self.data_files = set(data)
        self.site_context = {"preview_shards": preview_shard_count(len(views.previews)), "history_known": kb.history.known,
                             "search": kb.config.search,
                             "search_scripts": language_scripts(kb.config.search_languages) if kb.config.search else []}
        return plan

    @internal_errors
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Start the second process: MkDocs converts pages from here on, and nothing the child
        needs changes after this event."""
        assert self.kb is not None
        kb = self.kb
        sizes = {path: len(page.body) for path in kb.published_paths if (page := kb.page(path)) is not None}
        self.pages = PageWorker(config, files, nav, sizes, functools.partial(self._prepare, config=config, files=files),
                                self._in_second_process, self.clock, fork=self.fork)
        return nav

    def _in_second_process(self) -> None:
        # One process shows the progress: this one's pages are counted where MkDocs renders.
        self.progress.live = False

    def _prepare(self, page: Page, *, config: MkDocsConfig, files: Files) -> None:
        """In the second process, a page it does not convert gets the title and metadata the
        templates read, as MkDocs and kb give it here."""
        if page.markdown is None:
            page.read_source(config)
            assert page.markdown is not None
            page.markdown = self.on_page_markdown(page.markdown, page=page, config=config, files=files)

    @internal_errors
    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """Every page is converted, no template is rendered yet: the last moment to hold back
        a page that failed to convert everywhere it would be listed."""
        if self.barrier.converting:
            self._hold_back(config, files)
        if self.pages is not None:
            self.pages.on_env(env, files)
        return env

    def _hold_back(self, config: MkDocsConfig, files: Files) -> None:
        assert self.kb is not None
        failed = dict(self.barrier.converting)
        before = self._derive_without(failed)
        for path in failed:
            self._remove_page(files, path)
        self._generate(config, files)
        self.search_stale = True
        if self.pages is not None:
            self.pages.discard_written()
        # Pages that link to a held-back page were converted with a link to it: convert them again.
        linking = {edge.source for path in failed for edge in before.links.backlinks.get(path, ())} - set(failed)
        for path in sorted(linking):
            file = files.get_file_from_path(path)
            if file is not None and file.page is not None:
                self._convert_again(file.page, config, files)

    def _derive_without(self, failed: dict[str, Diagnostic]) -> KnowledgeBase:
        """The knowledge base again, with these pages held back; returns the one before."""
        assert self.kb is not None
        before = self.kb
        self.kb = hold_back(before, failed)
        for diagnostic in sorted(set(self.kb.diagnostics) - set(before.diagnostics) - set(failed.values())):
            _log(diagnostic)
        return before

    def _remove_page(self, files: Files, src_uri: str) -> None:
        found = files.get_file_from_path(src_uri)
        if found is not None:
            self.held_back_outputs.append(found.abs_dest_path)
            files.remove(found)

    def _convert_again(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        assert page.markdown is not None
        self._point_links(page.file.src_uri)
        if self.pages is not None:
            self.pages.final.discard(page.file.src_uri)
        self.barrier.guard_render(page)
        page.render(config, files)
        page.content = config.plugins.on_page_content(page.content or "", page=page, config=config, files=files)

    def _search_steps(self, receive: Any, *, parent: int) -> Any:
        """In the search process: the pages' terms, then the index once the rest arrives."""
        started = time.perf_counter()
        if os.getpid() != parent:
            # Rendering pages is what the build waits for; the index is needed only at the end.
            os.nice(5)
            # The process lives only to build the index: nothing it makes is garbage before it ends.
            gc.disable()
        texts = receive()
        waited = time.perf_counter() - started
        terms = page_terms(texts)
        before = time.perf_counter()
        found = receive()
        waited += time.perf_counter() - before
        yield emit_index(found, terms, self.kb_config.search_languages), time.perf_counter() - started - waited

    def _search_input(self, config: MkDocsConfig) -> SearchInput:
        assert self.kb is not None and self.plan is not None
        template_text = page_text(template(self.docs_dir, "article"), "{title}").replace('"{title}"', "{title}")
        return search_input(self.kb, self.plan.topic_paths, config.use_directory_urls, self.new_page_template,
                            template_text)

    def _search_files(self, config: MkDocsConfig) -> dict[str, bytes]:
        """The search index built here, when its process failed."""
        assert self.kb is not None
        return emit_site_search(self.kb, self._search_input(config))

    def start_page_url(self, name: str) -> str | None:
        """Where to start writing a wanted page: the repository's new-file form, with the
        wiki's article template filled in."""
        if not self.new_page_template or self.kb is None:
            return None
        text = page_text(template(self.docs_dir, "article"), name)
        return self.new_page_template.replace("{path}", quote(f"{slugify(name)}.md")).replace("{content}", quote(text))

    def start_profile_url(self, name: str, git_names: tuple[str, ...]) -> str | None:
        """Where a git author without a profile starts one ("this is me"): the same form, with
        the wiki's person template, their name and the git names that are theirs (never an
        email: the link is on the site for everyone to read)."""
        if not self.new_page_template or self.kb is None:
            return None
        text = profile_text(template(self.docs_dir, "person"), name, git_names)
        path = f"{self.kb.config.people_dir}/{slugify(name)}.md"
        return self.new_page_template.replace("{path}", quote(path)).replace("{content}", quote(text))

    @event_priority(100)  # first: the page's HTML may come from the second process
    @internal_errors
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        self.progress.advance()
        output = self.pages.on_post_page(page, output) if self.pages is not None else output
        if self.barrier.failed(page):
            # Not written: MkDocs writes nothing for an empty page, and what the second process
            # may have written is taken back.
            _unlink_page(Path(page.file.abs_dest_path))
            return ""
        if self.csp_sources is None or not output.strip():
            return output
        # The body's own scripts (none, unless the sanitiser were bypassed) are never allowed.
        around_body = output.replace(page.content, "") if page.content else output
        return with_policy(output, policy(self.csp_sources, inline_script_hashes(around_body), self.serving))

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        """The theme's own pages (404.html) carry the policy too."""
        if self.csp_sources is None or not template_name.endswith(".html"):
            return output_content
        return with_policy(output_content, policy(self.csp_sources, inline_script_hashes(output_content), self.serving))

    @event_priority(50)  # before other plugins' post-build work, so the search index is there for it
    @internal_errors
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        gc.unfreeze()
        self.clock.add("render", self.progress.finish(), self.progress.done)
        log.info(self.clock.summary("render"))
        if self.pages is not None:
            if self.held_back_outputs:
                self.pages.wait()
            self.pages.close()
        for output in self.held_back_outputs:
            _unlink_page(Path(output))
        if self.search is not None:
            waited = time.perf_counter()
            try:
                if self.search_stale:
                    raise BackgroundError("pages were held back after the index was started")
                search_files, seconds = self.search.next()
            except BackgroundError as error:
                log.debug(f"kb: the search index process failed, building it here: {error}")
                started = time.perf_counter()
                search_files, seconds = self._search_files(config), time.perf_counter() - started
            self.search.close()
            for path, data in sorted(search_files.items()):
                write_file(data, str(Path(config.site_dir, path)))
            self.clock.add("search", seconds)
            self.clock.add("search wait", time.perf_counter() - waited)
            log.info(self.clock.summary("search") + f" ({self.clock.seconds['search wait']:.2f} s waited)")
        stats = os.environ.get("KB_BUILD_STATS")
        if stats:
            # For the benchmarks only: timings differ from build to build, so they never go into the site.
            Path(stats).write_text(json.dumps(self.clock.seconds, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    def on_build_error(self, *, error: Exception) -> None:
        gc.unfreeze()
        for background in (self.pages, self.search):
            if background is not None:
                background.close()

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        return call_guarded(self.barrier, page, "preparing", True, lambda: self._page_markdown(markdown, page), "")

    def _point_links(self, path: str) -> None:
        """The link extension resolves wikilinks and links from the page it converts next."""
        assert self.kb is not None and self.kb.resolver is not None
        resolver = self.kb.resolver
        self.wikilinks.resolve = lambda name, embed: wiki_target(resolver, path, name, embed, self.start_page_url)
        self.wikilinks.rewrite = lambda url: link_url(resolver, path, url)

    def _page_markdown(self, markdown: str, page: Page) -> str:
        assert self.kb is not None
        path = page.file.src_uri
        updated = self.kb.updated_on(path)
        if updated is not None:
            page.update_date = updated.isoformat()
        elif self.build_date:
            # The sitemap's dates come from git, never from the wall clock.
            page.update_date = self.build_date
        self._point_links(path)
        parsed = self.kb.page(path)
        if parsed is not None:
            # kb's strict reading of the front matter replaces MkDocs' lenient one.
            page.meta = _escape_meta(parsed.meta) | {"title": escape(parsed.title)}
            summary = getattr(parsed, "summary", "")
            if summary and "description" not in parsed.meta:
                page.meta["description"] = escape(summary)
            if self.pages is not None:
                self.pages.on_page_markdown(page)
            self.barrier.guard_render(page)
            return parsed.body
        if path in self.generated:
            page.meta = {"title": escape(self.generated[path])}
            return ""
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.pages is not None and self.pages.content_is_final(page):
            return html
        return call_guarded(self.barrier, page, "converting", True,
                            lambda: _final_html(html, page, self.kb_config.external_images), "")

    def on_page_context(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
        return call_guarded(self.barrier, page, "rendering", False, lambda: self._context(context, page), context)

    def _context(self, context: dict[str, Any], page: Page) -> dict[str, Any]:
        if self.pages is not None and self.pages.rendered_elsewhere(page):
            # The second process renders this page: its views are needed only if this one has to.
            self.pages.keep_context(page, context, functools.partial(self._page_context, page=page))
            return context
        return self._page_context(context, page=page)

    def _page_context(self, context: dict[str, Any], *, page: Page) -> dict[str, Any]:
        assert self.views is not None and self.plan is not None
        path = page.file.src_uri
        kind = self.plan.special.get(path)
        views = self.views
        backlinks = views.backlinks.get(path, ())
        if kind == "topic":
            context["kb_page"] = {"kind": "topic", "topic": views.topics[path], "backlinks": backlinks,
                                  "feed": self.topic_feeds.get(path)}
        elif kind:
            context["kb_page"] = {"kind": kind, "views": views, "backlinks": ()}
        elif path in views.articles:
            context["kb_page"] = {"kind": "article", "article": views.articles[path], "backlinks": backlinks}
        elif path in views.people:
            context["kb_page"] = {"kind": "person", "person": views.people[path], "backlinks": backlinks}
        context["kb_site"] = self.site_context
        return context


def _refuse_folder_links(docs_dir: Path, base: Path) -> None:
    """MkDocs follows links to folders when it lists the files, before any plugin can refuse
    them: one to the docs folder or to a folder above it makes the build walk round in a loop
    for ever. kb refuses to start then, and says which link it is. (A link to a folder elsewhere
    is walked by MkDocs and then withheld, with kb's `file.symlink` error, like any other link.)"""
    root = docs_dir.resolve()
    for current, dirnames, _ in os.walk(docs_dir):
        for name in dirnames:
            folder = Path(current, name)
            if not folder.is_symlink():
                continue
            target = folder.resolve()
            if target == root or root.is_relative_to(target):
                shown = Path(os.path.relpath(folder, base)).as_posix()
                raise PluginError(f"{shown}:1:1: error: a link to {target}, which holds the docs folder: MkDocs would "
                                  "follow it round for ever; replace the link with the files themselves [file.symlink]")


def _no_web_fonts_by_default(config: MkDocsConfig) -> None:
    """Material loads its default fonts from Google Fonts: every page of an intranet wiki would
    call out to another host, and wait for it where there is no internet. Unless the wiki names
    its fonts, or Material's privacy plugin serves them from the site, readers get system fonts."""
    if config.theme.name != "material" or {"material/privacy", "privacy"} & set(config.plugins):
        return
    if not (config.config_file_path and names_its_fonts(Path(config.config_file_path))):
        config.theme["font"] = False


def _policy_sources(config: MkDocsConfig, option: bool | dict[str, Any],
                    external_images: ExternalImages) -> dict[str, list[str]] | None:
    """The hosts the wiki's configuration says pages may reach, by CSP directive (None: no policy)."""
    if option is False:
        return None
    sources: dict[str, list[str]] = {}

    def add(directive: str, *values: str | None) -> None:
        sources.setdefault(directive, []).extend(value for value in values if value)

    if config.theme.name == "material" and config.theme.get("font") and not {"material/privacy", "privacy"} & set(config.plugins):
        add("style-src", "https://fonts.googleapis.com")
        add("font-src", "https://fonts.gstatic.com")
    analytics = config.extra.get("analytics")
    if isinstance(analytics, dict) and analytics.get("provider") == "google":
        # The site asks for Material's Google Analytics: its script and where it reports to.
        add("script-src", "https://www.googletagmanager.com")
        add("connect-src", "https://*.google-analytics.com", "https://*.analytics.google.com",
            "https://*.googletagmanager.com")
        add("img-src", "https://*.google-analytics.com", "https://*.googletagmanager.com")
    if external_images == "allow":
        add("img-src", "https:", "http:")
    for script in config.extra_javascript:
        add("script-src", origin(str(getattr(script, "path", script))))
    for style in config.extra_css:
        add("style-src", origin(str(style)))
    # No host for repo_url: Material would fetch the repository's stars and forks from its host's
    # API, and kb's partials/source.html keeps it from doing so.
    for directive, values in (option if isinstance(option, dict) else {}).items():
        add(str(directive), *(str(value) for value in (values if isinstance(values, list) else [values])))
    return {directive: sorted(set(values)) for directive, values in sorted(sources.items())}


def _absolute_links(config: MkDocsConfig) -> str | None:
    """MkDocs' `validation.links.absolute_links`, spelt as in mkdocs.yml when it is `relative_to_docs`
    (MkDocs holds that as a member of a private enumeration; the other values are log levels)."""
    value = config.validation.links.absolute_links
    return "relative_to_docs" if getattr(value, "name", None) == "RELATIVE_TO_DOCS" else None


def _spec_lines(spec: Any) -> tuple[str, ...]:
    """The lines a PathSpec option of mkdocs.yml was written as (each pattern keeps its own)."""
    return tuple(str(pattern.pattern) for pattern in getattr(spec, "patterns", ()) if getattr(pattern, "pattern", None))


def _final_html(html: str, page: Page, external_images: ExternalImages) -> str:
    html = sanitize_html(html, external_images)
    _follow_ids(page.toc)
    # The theme writes the page title as the heading, above kb's page header.
    return _LEADING_H1.sub("", html, count=1)


def _follow_ids(toc: Any) -> None:
    """The table of contents links to headings by id: where the sanitiser prefixed one (a heading
    titled `kb-search`), the link follows it."""
    for anchor in toc or ():
        anchor.id = content_id(anchor.id)
        _follow_ids(anchor.children)


def _unlink_page(output: Path) -> None:
    """Take back a page's HTML, and its folder (`x/index.html`) if nothing else is in it."""
    output.unlink(missing_ok=True)
    if output.name == "index.html" and output.parent.is_dir() and not any(output.parent.iterdir()):
        output.parent.rmdir()


def _remove_file(files: Files, src_uri: str) -> None:
    found = files.get_file_from_path(src_uri)
    if found is not None:
        files.remove(found)


def _display_path(display_root: str, path: str) -> str:
    return f"{display_root.rstrip('/')}/{path}" if display_root else path


def _new_page_url(config: MkDocsConfig) -> str | None:
    """GitHub's and GitLab's forms for a new file in the docs folder, from repo_url and edit_uri."""
    repo, edit = (config.repo_url or "").rstrip("/"), (config.edit_uri or "").strip("/")
    if not repo or not edit:
        return None
    if edit.startswith("-/edit/"):
        return f"{repo}/-/new/{edit[len('-/edit/'):]}/?file_name={{path}}&content={{content}}"
    if edit.startswith(("edit/", "blob/")):
        return f"{repo}/new/{edit.split('/', 1)[1]}?filename={{path}}&value={{content}}"
    return None


def _withheld(src_uri: str, kb: KnowledgeBase) -> bool:
    """The file itself, or a folder it was reached through (a refused symlink), is withheld."""
    parts = src_uri.split("/")
    return any("/".join(parts[:depth]) in kb.withheld for depth in range(1, len(parts) + 1))


def _rewrite_assets(files: Files, kb: KnowledgeBase) -> None:
    """Publish what kb made of an asset (an SVG, sanitised) instead of the file as written."""
    for file in files:
        if file.generated_by is None and (content := kb.asset_content.get(file.src_uri)) is not None:
            file.content_bytes = content


def _in_theme(src_uri: str, config: MkDocsConfig) -> bool:
    return any(os.path.isfile(os.path.join(folder, src_uri)) for folder in config.theme.dirs)


def _escape_meta(value: Any) -> Any:
    """Front matter reaches Material's templates, which print some keys unescaped, and without
    the invisible characters that make text read otherwise than it is (kb.schema.INVISIBLE)."""
    if isinstance(value, str):
        return escape(INVISIBLE.sub("", value))
    if isinstance(value, list):
        return [_escape_meta(item) for item in value]
    if isinstance(value, dict):
        return {str(escape(key)): _escape_meta(item) for key, item in value.items()}
    return value


def _display_root(docs_dir: Path, config: MkDocsConfig) -> str:
    """Paths in messages start at the folder of mkdocs.yml (the repository, usually), as in
    `kb check`, so an editor or CI can open them."""
    base = Path(config.config_file_path or ".").parent
    try:
        return docs_dir.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return docs_dir.as_posix()


def _log(diagnostic: Diagnostic) -> None:
    level = {Severity.ERROR: logging.ERROR, Severity.WARNING: logging.WARNING, Severity.INFO: logging.INFO}
    log.log(level[diagnostic.severity], diagnostic.format())
    if diagnostic.detail:
        log.debug(diagnostic.detail)


__all__ = ["KbPlugin", "KbPluginConfig"]
