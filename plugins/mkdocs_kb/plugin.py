"""The MkDocs adapter: each event hands over to one kb stage.

The core (`kb`) knows nothing of MkDocs. This module translates: MkDocs config → KbConfig,
diagnostics → MkDocs log records (so `--strict` fails on them), the KnowledgeBase → the Files
MkDocs builds, and views → the template context of each page. Whether the build uses other
cores is behind one facade (mkdocs_kb.parallel), and what kb needs of MkDocs beyond its plugin
API is in mkdocs_kb.engine.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import clean_directory

from kb.analyse.knowledge import MAX_FAILED_PAGES, KnowledgeBase, derive, hold_back
from kb.analyse.topics import slugify
from kb.barrier import InternalError, page_failure, page_in_traceback
from kb.diagnostics import Diagnostic, Severity
from kb.memory import collector_paused, keep_built, release_built
from kb.model import Page as KbPage
from kb.outputs import INDEX_PAGES
from kb.read.collect import Exclusions, decode_markdown, is_markdown
from kb.read.history import PendingHistory
from kb.read.limits import Limits
from kb.read.pages import collect, parse
from kb.read.secrets import find_secrets
from kb.read.withheld_text import WithheldText
from kb.render.csp import inline_script_hashes, policy, with_policy
from kb.render.generate import Site, emit_site_files, generate_pages, generate_site
from kb.render.starters import page_text, profile_text, template
from kb.render.wikilinks import WikiLinkExtension, link_url, wiki_target
from kb.search.site import SearchInput, emit_site_search, search_input
from kb.siteconfig import check_site
from kb.timing import Progress, StageClock
from mkdocs_kb.barrier import RenderBarrier, call_guarded, internal_errors
from mkdocs_kb.engine import build_first_with, rebuild_only, watch_natively
from mkdocs_kb.options import KbPluginConfig
from mkdocs_kb.pages import (
    display_path,
    escape_meta,
    final_html,
    log_analysis,
    log_diagnostic,
    remove_file,
    unlink_page,
    withhold_files,
)
from mkdocs_kb.parallel import Serial, parallel_build
from mkdocs_kb.preview import Preview
from mkdocs_kb.search_index import NoSearch, SearchIndex
from mkdocs_kb.site import display_root, kb_config, new_page_url, no_web_fonts_by_default, policy_sources, refuse_folder_links
from mkdocs_kb.theme_dir import theme_dir

log = logging.getLogger("mkdocs.plugins.kb")

#: Set by `kb serve --poll`: the server polls for changes as MkDocs does, where the system's
#: notifications never arrive (a folder Docker or a network drive mounts).
POLL = "KB_SERVE_POLL"


class KbPlugin(BasePlugin[KbPluginConfig]):  # type: ignore[valid-type]
    supports_multiple_instances = False

    def __init__(self) -> None:
        #: Under `mkdocs serve`, whose live reload is an inline script of its own.
        self.serving = False
        #: The preview of `mkdocs serve --dirty` (`kb serve`): what it keeps from build to build.
        self.preview: Preview | None = None
        self._reset()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.preview = Preview(dirty) if self.serving else None

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        preview = self.preview
        if preview is None:
            return server
        preview.server = server
        if not os.environ.get(POLL):
            observer = watch_natively(server, preview.notice)
            if observer is not None:
                log.info(f"kb: watching for changes with {type(observer).__name__} "
                         f"(on a mounted folder whose saves go unseen: kb serve --poll)")
        if preview.dirty:
            build_first_with(server, functools.partial(preview.save_quickly, self))
        return server

    def show_saved(self, kb: KnowledgeBase, site: Site, overlay: dict[str, KbPage], root: str) -> None:
        """The saved pages of `overlay` are written next with the last build's knowledge base and
        site (mkdocs_kb.preview), in this process, before the wiki is read again."""
        self.kb, self.site, self.overlay = kb, site, overlay
        self.parallel = Serial()
        self.barrier = RenderBarrier(functools.partial(display_path, root), self.kb_config.limits.page_seconds)

    def _reset(self) -> None:
        #: Hosts pages may reach beyond their own, by CSP directive; None when the policy is off.
        self.csp_sources: dict[str, list[str]] | None = None
        self.kb: KnowledgeBase | None = None
        self.site: Site | None = None
        #: The pages kb generates, with their titles, by content path.
        self.generated: dict[str, str] = {}
        #: Whether MkDocs has made its pages and navigation (on_nav): a page kb adds after that
        #: must come with its Page.
        self.nav_made = False
        self.clock = StageClock()
        self.progress = Progress(0)
        #: The build on other cores, or in this process alone (mkdocs_kb.parallel).
        self.parallel: Serial = Serial()
        self.search: SearchIndex | NoSearch = NoSearch()
        #: The data files kb adds (previews, graph, insights, feeds), by site path.
        self.data_files: set[str] = set()
        #: Where pages held back while rendering would be written (the second process may have).
        self.held_back_outputs: list[str] = []
        self.barrier = RenderBarrier(lambda path: path, Limits().page_seconds)
        #: Saved pages shown before the wiki is read again (a quick preview build), by content path.
        self.overlay: dict[str, KbPage] = {}
        #: Each page's Markdown as MkDocs read it, while plugins before kb's on_page_markdown
        #: may change it (_record_markdown), by content path until kb's handler takes it.
        self._as_read: dict[str, str] = {}
        #: The pages a plugin before kb changed in this build, whose change kb did not keep.
        self._changed_before: list[str] = []
        #: Lines only held-back pages have, once a plugin has changed a page in this build.
        self._withheld: WithheldText | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.preview is not None:
            # The last save's follow-up may still be writing pages: it stops after the one it is
            # writing, and this build's follow-up writes those left.
            self.preview.stop()
        # `mkdocs serve` may reuse this instance: nothing from the last build may leak into this one.
        self._reset()
        refuse_folder_links(Path(config.docs_dir), Path(config.config_file_path or config.docs_dir).parent)
        self.kb_config = kb_config(self.config, config)
        # `mkdocs serve` points site_url at the local server first: only a real build warns.
        for diagnostic in check_site(Path(config.config_file_path or "mkdocs.yml"), config.site_url, self.kb_config):
            log_diagnostic(diagnostic)
        self.docs_dir = Path(config.docs_dir)
        no_web_fonts_by_default(config)
        self.csp_sources = policy_sources(config, self.config.content_security_policy, self.kb_config.external_images)
        self.new_page_template = self.config.new_page_url or new_page_url(config)
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
        self._read_sources_for_mkdocs(config)
        return config

    def _read_sources_for_mkdocs(self, config: MkDocsConfig) -> None:
        """Hand MkDocs kb's reading of each page (_read_source) when nothing else can tell: no
        other plugin or hook reads pages' sources, and kb's on_page_markdown is the first to see
        a page's Markdown and metadata (a plugin before it, such as Material's meta, sees MkDocs'
        own reading, as it always has). Decided for each build, once every plugin and hook is
        registered. The reader is added here rather than as an `on_page_read_source` method:
        MkDocs warns when two plugins have one, which would fail a --strict build. When a plugin
        or hook sees the Markdown before kb, MkDocs' reading is recorded first, for kb to tell
        which pages they changed (_page_markdown)."""
        readers = config.plugins.events["page_read_source"]
        if self._read_source in readers:
            readers.remove(self._read_source)
        markdown = config.plugins.events["page_markdown"]
        if self._record_markdown in markdown:
            markdown.remove(self._record_markdown)
        if not readers and markdown and getattr(markdown[0], "__self__", None) is self:
            readers.append(self._read_source)
        elif any(getattr(handler, "__self__", None) is self for handler in markdown):
            # A plugin or hook before kb may change a page's Markdown (mkdocs-macros does),
            # which kb does not publish, and says so (_page_markdown).
            markdown.insert(0, self._record_markdown)
        self._as_read.clear()
        self._changed_before.clear()

    def _record_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> None:
        """The first to see a page's Markdown: MkDocs' reading, as the plugins before kb got it."""
        self._as_read[page.file.src_uri] = markdown

    @internal_errors
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        root = display_root(self.docs_dir, config)
        preview = self.preview
        if preview is not None and preview.dirty:
            if preview.quick_build(self, files, config, root):
                return files
            # A whole build: nothing MkDocs wrote before may stay, nor be skipped; and it forks,
            # so a follow-up left behind must have ended.
            preview.wait()
            clean_directory(config.site_dir)
            # Nor may a page be skipped because a page worker has written it by the time MkDocs
            # reaches it: under --dirty MkDocs would then not even read it, and its sitemap entry
            # would carry the wall clock's date instead of git's.
            rebuild_only(files, None)
        # git reads the history in its own process while kb parses the pages.
        history = PendingHistory(self.docs_dir, self.kb_config.bots, display=root)
        self.parallel = parallel_build(self.config.parallel)
        # Forked now, while this process is small (see SearchIndex).
        self.search = self.parallel.search_index(self.kb_config.search_languages if self.kb_config.search else None,
                                                 self.clock, config.site_dir)
        with collector_paused():
            self.kb = kb = self._analyse(root, history)
            self._withheld = None
            log_analysis(kb)
            generating = time.perf_counter()
            withhold_files(files, kb, config)
            self.barrier = RenderBarrier(functools.partial(display_path, root), self.kb_config.limits.page_seconds)
            site = self._generate_guarded(config, files)
            self.search.analysed(self._search_input(config))
            self.set_navigation(config, files, site)
            self.clock.add("generate", time.perf_counter() - generating, len(site.plan.pages))
            # Frozen before the collector runs again: else its first collections would scan
            # all that the stages above allocated while it was paused (a second and more of CPU
            # at 10,000 pages).
            keep_built()
        for stage in self.clock.seconds:
            log.info(self.clock.summary(stage))
        self.progress = Progress(len(files.documentation_pages()))
        return files

    def set_navigation(self, config: MkDocsConfig, files: Files, site: Site) -> None:
        if self._own_nav:
            _set_navigation(config, files, site)

    def _analyse(self, root: str, history: PendingHistory) -> KnowledgeBase:
        """The core's stages in order; the search process gets the pages as soon as they are parsed."""
        try:
            collection = collect(self.docs_dir, self.kb_config, root, self.clock)
            parses = self.preview.parses if self.preview else None
            parsed = parse(collection, self.kb_config, self.clock, parses)
            self.search.pages_parsed(parsed.pages)
            if parses is not None:
                collection = parses.packed(collection)
            return derive(parsed, collection, self.kb_config, history, self.clock)
        except InternalError as error:
            log.debug(error.detail)
            raise PluginError(f"kb: internal error: {error} (mkdocs build --verbose shows the details)") from None

    def _generate_guarded(self, config: MkDocsConfig, files: Files) -> Site:
        """_generate, holding back any page whose views raise (the fault barrier of kb.barrier)."""
        for _ in range(MAX_FAILED_PAGES + 1):
            try:
                return self._generate(config, files)
            except Exception as error:  # the fault barrier: see kb.barrier
                culprit = page_in_traceback(error)
                if culprit is None or self.kb is None or self.kb.page(culprit.path) is None:
                    raise
                failure = page_failure(self.barrier.display(culprit.path), error, "generating the site from")
                log_diagnostic(failure)
                self._derive_without({culprit.path: failure})
                self._remove_page(files, culprit.path)
        raise PluginError(f"kb: more than {MAX_FAILED_PAGES} pages failed; see the errors above")

    def _generate(self, config: MkDocsConfig, files: Files) -> Site:
        """The pages and data files kb adds to the site, from the knowledge base; again, in
        place of the first ones, when pages are held back while MkDocs renders."""
        assert self.kb is not None
        self.site = site = self.generate_site(self.kb, config, files)
        self.add_site_files(config, files, site)
        return site

    def generate_site(self, kb: KnowledgeBase, config: MkDocsConfig, files: Files) -> Site:
        # The preview of `kb serve` (--dirty) compares each page's views with the next build's:
        # only there are they kept.
        return generate_site(kb, config.site_name, self._written_pages(files), config.site_url or "",
                             config.use_directory_urls, self.start_page_url, self.start_profile_url,
                             keep_views=self.preview is not None and self.preview.dirty)

    def generate_pages(self, kb: KnowledgeBase, config: MkDocsConfig, files: Files) -> Site:
        """The site without its data files (kb.render.generate.generate_pages)."""
        return generate_pages(kb, config.site_name, self._written_pages(files), config.use_directory_urls,
                              self.start_page_url, self.start_profile_url, keep_views=True)

    def _written_pages(self, files: Files) -> frozenset[str]:
        """The content paths of the pages the wiki writes itself, not kb."""
        return frozenset(f.src_uri for f in files if f.is_documentation_page() and f.src_uri not in self.generated)

    def site_files(self, kb: KnowledgeBase, site: Site, config: MkDocsConfig) -> dict[str, bytes]:
        return emit_site_files(kb, site, config.site_name, config.site_url or "", config.use_directory_urls)

    def add_site_files(self, config: MkDocsConfig, files: Files, site: Site) -> None:
        """The pages and data files of `site` in MkDocs' files, in place of those kb added before."""
        planned = {page.path: page.title for page in site.plan.pages}
        # Further pages of long listings are reached from their listing, never from a menu: in
        # MkDocs' own navigation (kb's `navigation: false`) thousands of them would fill every page.
        further = {page.path for page in site.plan.pages if page.kind == "listing"}
        for path in sorted(set(self.generated) - set(planned)):
            self._remove_page(files, path)
        for path in planned:
            if path not in self.generated:
                file = File.generated(config, path, content="",
                                      inclusion=InclusionLevel.NOT_IN_NAV if path in further else InclusionLevel.UNDEFINED)
                files.append(file)
                if file.abs_dest_path in self.held_back_outputs:
                    # A listing moved into the folder a held-back page left: its file stays.
                    self.held_back_outputs.remove(file.abs_dest_path)
                if self.nav_made:
                    # A listing that a page held back while rendering made long (21 orphans once
                    # their hub is gone): MkDocs made its pages before, so this one is made here.
                    # It is in no menu, as further pages never are in kb's own navigation.
                    Page(planned[path], file, config)
        self.generated = planned
        for path in sorted(self.data_files - set(site.files)):
            remove_file(files, path)
        for path, content in site.files.items():
            existing_file = files.get_file_from_path(path) if path in self.data_files else None
            if existing_file is not None:
                existing_file.content_bytes = content
            else:
                files.append(File.generated(config, path, content=content))
        self.data_files = set(site.files)

    @internal_errors
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """MkDocs converts pages from here on, and nothing the page-rendering process needs changes."""
        assert self.kb is not None
        kb = self.kb
        self.nav_made = True
        if self.preview is not None:
            self.preview.nav = nav
        sizes = {path: len(page.body) for path in kb.published_paths if (page := kb.page(path)) is not None}
        self.parallel.start_pages(config, files, nav, sizes, functools.partial(self._prepare, config=config, files=files),
                                  self._in_second_process, self.clock)
        return nav

    def _in_second_process(self) -> None:
        # One process shows the progress: this one's pages are counted where MkDocs renders.
        self.progress.live = False
        # The search process is the parent's child: only the parent may hear from it or wait for it.
        self.search = NoSearch()

    def _prepare(self, page: Page, *, config: MkDocsConfig, files: Files) -> None:
        """In the page-rendering process, a page it does not convert gets the title and metadata
        the templates read, as MkDocs and kb give it here."""
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
        self.parallel.on_env(env, files)
        if self.preview is not None:
            self.preview.files, self.preview.env, self.preview.config = files, env, config
            # MkDocs makes its templates anew for every build; the preview compiles each once.
            env.bytecode_cache = self.preview.templates
        return env

    def _hold_back(self, config: MkDocsConfig, files: Files) -> None:
        assert self.kb is not None
        failed = dict(self.barrier.converting)
        before = self._derive_without(failed)
        for path in failed:
            self._remove_page(files, path)
        self._generate(config, files)
        self.search.pages_held_back()
        self.parallel.pages_held_back()
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
            log_diagnostic(diagnostic)
        return before

    def _remove_page(self, files: Files, src_uri: str) -> None:
        found = files.get_file_from_path(src_uri)
        if found is not None:
            self.held_back_outputs.append(found.abs_dest_path)
            files.remove(found)

    def _convert_again(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        assert page.markdown is not None
        self._point_links(page.file.src_uri)
        self.parallel.convert_again(page.file.src_uri)
        self.barrier.guard_render(page)
        page.render(config, files)
        page.content = config.plugins.on_page_content(page.content or "", page=page, config=config, files=files)

    def _search_input(self, config: MkDocsConfig) -> SearchInput:
        assert self.kb is not None and self.site is not None
        template_text = page_text(template(self.docs_dir, "article"), "{title}").replace('"{title}"', "{title}")
        return search_input(self.kb, self.site.plan.topic_paths, config.use_directory_urls, self.new_page_template,
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

    @event_priority(100)  # first: the page's HTML may come from the page-rendering process
    @internal_errors
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        self.progress.advance()
        self.search.take_if_sent()
        # A page its worker could not render is rendered here, and may fail here too: then it
        # is held back like any page whose rendering fails, not the end of the build.
        output = call_guarded(self.barrier, page, "rendering", False,
                              lambda: self.parallel.on_post_page(page, output), "")
        if self.barrier.failed(page):
            # Not written: MkDocs writes nothing for an empty page, and what the second process
            # may have written is taken back.
            unlink_page(Path(page.file.abs_dest_path), Path(config.site_dir))
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
        if self.preview is None or not self.preview.quick:
            # (A quick preview build froze nothing: the last whole build's objects stay so.)
            release_built()
        self.clock.add("render", self.progress.finish(), self.progress.done)
        log.info(self.clock.summary("render"))
        self.parallel.finish(wait=bool(self.held_back_outputs))
        for output in self.held_back_outputs:
            unlink_page(Path(output), Path(config.site_dir))
        if self.preview is not None and self.preview.quick:
            # The saved pages are shown; the rest of what they changed is written next, and the
            # search index stays the last whole build's.
            self.preview.follow_up(self, config)
            return
        self.search.write(functools.partial(self._search_files, config))
        if self._changed_before:
            shown = ", ".join(sorted(self._changed_before)[:5]) + (", …" if len(self._changed_before) > 5 else "")
            log.info(f"kb: a plugin that runs before kb changed {len(self._changed_before)} page(s) ({shown}); kb "
                     "publishes pages as written, so those changes are not shown. List kb before plugins that change "
                     "pages (one with a priority of its own, as include-markdown has, runs first wherever it is "
                     "listed), and embed pages with kb's ![[page]], which keeps held-back pages out")
        if self.preview is not None:
            self.preview.built(self, config)
        stats = os.environ.get("KB_BUILD_STATS")
        if stats:
            # For the benchmarks only: timings differ from build to build, so they never go into the site.
            Path(stats).write_text(json.dumps(self.clock.seconds, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    def on_build_error(self, *, error: Exception) -> None:
        release_built()
        if self.preview is not None:
            self.preview.forget()
        self.parallel.close()
        self.search.close()

    def _read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        """A page kb parsed is not read again: on_page_markdown gives MkDocs kb's reading of it,
        so MkDocs' own (the file once more, its front matter through PyYAML's pure-Python loader,
        in every process that converts or titles the page) was thrown away: 2.3 s of CPU for each
        reading of 10,000 pages, and the pages a worker does not convert were read twice. MkDocs
        gets the body alone; the blank line before it keeps MkDocs from taking the body's first
        lines for MultiMarkdown metadata. Only while nothing sees what MkDocs read before kb's
        on_page_markdown replaces it (_read_sources_for_mkdocs)."""
        if self.kb is None:
            return None
        path = page.file.src_uri
        parsed = self._parsed(path)
        if parsed is not None:
            return "\n" + parsed.body
        return "" if path in self.generated else None

    def _parsed(self, path: str) -> KbPage | None:
        """kb's reading of a page: a preview's saved one, else the knowledge base's."""
        assert self.kb is not None
        return self.overlay.get(path) or self.kb.page(path)

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
        # The sitemap's dates come from git, never from the wall clock.
        updated = self.kb.updated_on(path) or self.kb.history.head_date
        if updated is not None:
            page.update_date = updated.isoformat()
        self._point_links(path)
        parsed = self._parsed(path)
        as_read = self._as_read.pop(path, None)
        if parsed is not None:
            # kb's strict reading of the front matter replaces MkDocs' lenient one.
            page.meta = escape_meta(parsed.meta) | {"title": escape(parsed.title)}
            summary = getattr(parsed, "summary", "")
            if summary and "description" not in parsed.meta:
                page.meta["description"] = escape(summary)
            self.parallel.before_render(page)
            self.barrier.guard_render(page)
            if as_read is not None and markdown != as_read:
                # A plugin before kb changed the page. What it made is not published: it may
                # have brought in a page kb holds back (include-markdown runs before kb whatever
                # the order, and copies a draft's text), and kb could not tell (on_post_build
                # says which pages).
                self._changed_before.append(path)
            return parsed.body
        if path in self.generated:
            page.meta = {"title": escape(self.generated[path])}
            return ""
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        self.search.take_if_sent()
        if self.parallel.content_is_final(page):
            return html
        return call_guarded(self.barrier, page, "converting", True,
                            lambda: self._final_html(html, page, config, files), "")

    def _final_html(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        path = page.file.src_uri
        parsed = self._parsed(path)
        converted = page.markdown
        # kb hands MkDocs its reading of a page, or nothing for a page kb generates: anything
        # else in the Markdown converted is another plugin's, after kb, and is held to kb's rules.
        own = parsed.body if parsed is not None else "" if path in self.generated else None
        if own is not None and converted and converted is not own and converted != own:
            problem = self._plugin_problem(converted)
            if problem is not None:
                # The page is published without its text, contents and headings both: neither
                # what the plugin made of it nor the page as written (the template a macro fills,
                # with what its comments hide). It is not held back: this late in the build that
                # would leave no home page, say.
                code, message = problem
                log.error(Diagnostic(self.barrier.display(path), 1, 1, Severity.ERROR, code,
                                     f"{message}; the page is published without its text").format())
                page.markdown = ""
                self._point_links(path)
                self.barrier.guard_render(page)
                page.render(config, files)
                html = page.content or ""
        return final_html(html, page, self.kb_config.external_images)

    def _plugin_problem(self, converted: str) -> tuple[str, str] | None:
        """Why the Markdown another plugin made of a page may not be published, as (code,
        message): kb holds back a page with a credential in it as written (kb.read.secrets), and
        refuses an embed of a held-back page; what another plugin makes (mkdocs-macros fills in
        variables, from the environment too, and includes files) is held to the same."""
        secrets = find_secrets(converted, self.kb_config.secrets_allow)
        if secrets:
            secret = secrets[0]
            return "secret.found", (f"{secret.kind} is in what another plugin made of this page (its line "
                                    f"{secret.line}); if it is not a secret, allow it with "
                                    f"secrets_allow: ['{secret.fingerprint}']")
        included = self._withheld_text().first_in(converted)
        if included is not None:
            lines, held = included
            assert self.kb is not None
            where = f"line {lines[0]} of what another plugin made of this page is" if len(lines) == 1 else \
                f"lines {', '.join(map(str, lines))} of what another plugin made of this page are"
            return "link.withheld", (f"{where} also in {self.barrier.display(held)}, which is not published "
                                     f"({self.kb.held_back.get(held, 'held back')}): it looks included from there")
        return None

    def _withheld_text(self) -> WithheldText:
        """What only held-back pages say (kb.read.withheld_text), read once a build, when a
        plugin first changes a page."""
        if self._withheld is None:
            assert self.kb is not None
            kb = self.kb
            published = [page.path for pages in (kb.articles, kb.topic_pages, kb.people) for page in pages.values()]
            # Not what the site's own exclude_docs leaves out: that is where a site keeps the
            # fragments other plugins include.
            site = Exclusions(self.kb_config.exclude_docs, self.kb_config.draft_docs)
            held = sorted(path for path in kb.withheld if not site.left_out_by_site(path))
            self._withheld = WithheldText((text for _, text in self._texts(published)), dict(self._texts(held)))
        return self._withheld

    def _texts(self, paths: Iterable[str]) -> Iterator[tuple[str, str]]:
        """The pages at `paths` as written, as far as kb's size limit (a page over it is held
        back, and its start is what an include would show first)."""
        for path in paths:
            file = self.docs_dir / path
            with contextlib.suppress(OSError, UnicodeDecodeError):
                if is_markdown(path) and not file.is_symlink() and file.is_file():
                    with file.open("rb") as opened:
                        start = opened.read(self.kb_config.limits.page_max_bytes)
                    yield path, decode_markdown(start, whole=False)

    def on_page_context(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
        complete = functools.partial(self._page_context, page=page)
        return call_guarded(self.barrier, page, "rendering", False,
                            lambda: self.parallel.context(page, context, complete), context)

    def _page_context(self, context: dict[str, Any], *, page: Page) -> dict[str, Any]:
        assert self.site is not None
        view = self.site.page_view(page.file.src_uri)
        if view is not None:
            context["kb_page"] = view
        context["kb_site"] = self.site.site_view
        return context


def _set_navigation(config: MkDocsConfig, files: Files, site: Site) -> None:
    """Home, Topics, People, Changes and Insights (kb.outputs.INDEX_PAGES), for a wiki whose
    mkdocs.yml has no `nav`: a wiki's nav is its index pages, and its articles stay out of it."""
    pages = {kind: path for path, kind in site.plan.special.items()}
    config.nav = [{index.nav_label: pages[index.kind]} for index in INDEX_PAGES]
    in_nav = {pages[index.kind] for index in INDEX_PAGES}
    for file in files.documentation_pages():
        if file.src_uri not in in_nav:
            file.inclusion = InclusionLevel.NOT_IN_NAV


__all__ = ["KbPlugin", "KbPluginConfig"]
