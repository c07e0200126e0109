"""What kb relies on of MkDocs beyond its plugin API (mkdocs_kb.engine): each test names the one
thing a MkDocs release would have changed, so an upgrade fails here first and says where."""

from __future__ import annotations

import inspect
import logging
import time
from collections.abc import Callable
from pathlib import Path

import jinja2
import mkdocs.commands.build
import mkdocs.structure.nav
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from mkdocs_kb import engine
from mkdocs_kb.theme_dir import theme_dir


def a_page(tmp_path: Path, markdown: str, settings: str = "") -> tuple[Page, Files, object]:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text(markdown, encoding="utf-8")
    (tmp_path / "docs" / "b.md").write_text("# B\n\n## Part\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(f"site_name: W\ndocs_dir: docs\n{settings}", encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    files = Files([File(name, str(tmp_path / "docs"), config.site_dir, config.use_directory_urls)
                   for name in ("a.md", "b.md")])
    page = Page(None, files.get_file_from_path("a.md"), config)
    page.read_source(config)
    return page, files, config


def test_mkdocs_calls_render_on_the_page_instance() -> None:
    """wrap_render replaces `render` on the instance: MkDocs must call it there."""
    assert "page.render(config, files)" in inspect.getsource(mkdocs.commands.build._populate_page)


def test_a_wrapped_render_runs_once_and_the_pages_own_is_back(tmp_path: Path) -> None:
    page, files, config = a_page(tmp_path, "# Title\n")
    calls = []

    def make(inner):
        def render(config, files):
            calls.append("wrapped")
            inner(config, files)
        return render

    engine.wrap_render(page, make)
    page.render(config, files)
    assert calls == ["wrapped"] and "render" not in page.__dict__
    assert page.content and "Title" in page.content


def test_render_sets_the_state_kb_carries_between_processes(tmp_path: Path) -> None:
    """`_title_from_render`, `present_anchor_ids` and `links_to_anchors`: what Page.render sets
    besides content and toc, and what the page-rendering process sends back."""
    page, files, config = a_page(tmp_path, "# From the heading\n\n## Here\n\n[b](b.md#part)\n",
                                 "markdown_extensions: [toc]\n")
    page.render(config, files)
    title, anchors, links = engine.rendered_state(page)
    assert title == "From the heading" and page.title == "From the heading"
    assert anchors is not None and "here" in anchors
    assert links == {files.get_file_from_path("b.md"): {"part": "b.md#part"}}
    engine.set_rendered_state(page, "Another", set(), {})
    assert page.title == "Another"
    engine.empty_render(page)
    assert page.content == "" and engine.rendered_state(page) == (None, set(), {})


def test_get_context_is_what_mkdocs_renders_a_page_with() -> None:
    source = inspect.getsource(mkdocs.commands.build._build_page)
    assert "get_context(" in source
    assert list(inspect.signature(mkdocs.commands.build.get_context).parameters)[:4] == ["nav", "files", "config", "page"]


def test_mkdocs_writes_nothing_for_an_empty_page_and_says_so() -> None:
    """The empty template (kb-elsewhere.html) keeps MkDocs from writing a page the other
    process wrote, and HideSkipped reads MkDocs' note of it."""
    source = inspect.getsource(mkdocs.commands.build._build_page)
    assert f"log.info(f\"{engine.SKIPPED_NOTE}{{page.file.src_uri}}'. Generated empty output.\")" in source
    assert mkdocs.commands.build.log.name == engine.BUILD_LOGGER
    template = jinja2.Environment(loader=jinja2.FileSystemLoader(theme_dir())).get_template(engine.ELSEWHERE_TEMPLATE)
    assert template.render().strip() == ""


def test_hide_skipped_hides_only_the_pages_written_elsewhere(caplog) -> None:
    hidden = engine.HideSkipped()
    hidden.paths = {"a.md"}
    hidden.install()
    try:
        with caplog.at_level(logging.INFO, logger=engine.BUILD_LOGGER):
            for path in ("a.md", "b.md"):
                logging.getLogger(engine.BUILD_LOGGER).info(f"{engine.SKIPPED_NOTE}{path}'. Generated empty output.")
    finally:
        hidden.remove()
    assert [record.getMessage()[:20] for record in caplog.records] == ["Page skipped: 'b.md'"]


def test_absolute_links_relative_to_docs_is_read(tmp_path: Path) -> None:
    _, _, config = a_page(tmp_path, "A\n", "validation:\n  links:\n    absolute_links: relative_to_docs\n")
    assert engine.absolute_links_option(config) == "relative_to_docs"


def test_a_dirty_build_asks_each_file_whether_it_changed() -> None:
    """rebuild_only replaces `is_modified` on each File: MkDocs' dirty build must ask it there,
    for pages (converting and writing them) and for other files (copying them)."""
    assert "page.file.is_modified()" in inspect.getsource(mkdocs.commands.build._populate_page)
    assert "page.file.is_modified()" in inspect.getsource(mkdocs.commands.build._build_page)
    assert "self.is_modified()" in inspect.getsource(File.copy_file)


def test_rebuild_only_decides_for_each_file(tmp_path: Path) -> None:
    page, files, config = a_page(tmp_path, "# A\n")
    engine.rebuild_only(files, {"a.md"})
    assert files.get_file_from_path("a.md").is_modified()
    assert not files.get_file_from_path("b.md").is_modified()
    engine.rebuild_only(files, None)
    assert files.get_file_from_path("b.md").is_modified()


def test_a_page_is_built_again_after_the_build(tmp_path: Path) -> None:
    """build_page_again calls `_populate_page(page, config, files)` and `_build_page(page,
    config, doc_files, nav, env)`, which write the page as the build does."""
    assert list(inspect.signature(mkdocs.commands.build._populate_page).parameters)[:3] == ["page", "config", "files"]
    assert list(inspect.signature(mkdocs.commands.build._build_page).parameters)[:5] == [
        "page", "config", "doc_files", "nav", "env"]
    page, files, config = a_page(tmp_path, "# Again\n\nWritten after the build.\n", "plugins: []\n")
    config.site_dir = str(tmp_path / "site")
    nav = mkdocs.structure.nav.get_navigation(files, config)
    engine.build_page_again(page, config, files, nav, config.theme.get_env(), files.documentation_pages())
    assert "Written after the build." in (tmp_path / "site" / "a" / "index.html").read_text(encoding="utf-8")


def test_the_development_server_rebuilds_and_reloads_as_kb_asks(tmp_path: Path) -> None:
    """request_rebuild and reload_browsers set what LiveReloadServer's build loop and its
    pages' long poll wait on."""
    from mkdocs.livereload import LiveReloadServer

    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        assert "self._want_rebuild" in inspect.getsource(LiveReloadServer._build_loop)
        assert "self._visible_epoch == self._wanted_epoch" in inspect.getsource(LiveReloadServer._serve_request)
        engine.request_rebuild(server)
        assert server._want_rebuild
        seen = server._visible_epoch
        engine.reload_browsers(server)
        assert server._visible_epoch > seen and server._visible_epoch == server._wanted_epoch
    finally:
        server.server_close()


def test_the_development_server_builds_with_what_kb_gives_it(tmp_path: Path) -> None:
    """build_first_with replaces `LiveReloadServer.builder`, which its build loop calls."""
    from mkdocs.livereload import LiveReloadServer

    whole: list[str] = []
    server = LiveReloadServer(builder=lambda: whole.append("built"), host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        assert "self.builder()" in inspect.getsource(LiveReloadServer._build_loop)
        quick = [True, False]
        engine.build_first_with(server, lambda: quick.pop(0))
        server.builder()
        assert whole == []
        server.builder()
        assert whole == ["built"]
    finally:
        server.server_close()


def wait_until(condition: Callable[[], bool]) -> bool:
    """Whether `condition` came to hold: the system tells of changes on its own thread."""
    for _ in range(400):
        if condition():
            return True
        time.sleep(0.025)
    return condition()


def test_the_files_mkdocs_watches_are_watched_by_the_systems_notifications(tmp_path: Path) -> None:
    """watch_natively moves the paths in `LiveReloadServer._watched_paths` (what `watch` keeps,
    and `unwatch` takes back) to a native observer: a write is noticed and asks for a build, a
    read is neither, and MkDocs' polling observer is left with nothing to walk."""
    import watchdog.observers
    from mkdocs.livereload import LiveReloadServer
    from watchdog.observers.polling import PollingObserver

    docs = tmp_path / "docs"
    (docs / "guides").mkdir(parents=True)
    (docs / "guides" / "a.md").write_text("# A\n", encoding="utf-8")
    settings = tmp_path / "mkdocs.yml"
    settings.write_text("site_name: W\n", encoding="utf-8")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    server.watch(str(docs))
    server.watch(str(settings))
    noticed: set[str] = set()
    observer = engine.watch_natively(server, noticed.add)
    try:
        if isinstance(watchdog.observers.Observer, type) and issubclass(watchdog.observers.Observer, PollingObserver):
            assert observer is None and len(server._watched_paths) == 2
            return
        assert observer is not None and observer.is_alive()
        assert server._watched_paths == {}
        (docs / "guides" / "a.md").read_text(encoding="utf-8")
        (docs / "guides" / "b.md").write_text("# B\n", encoding="utf-8")
        assert wait_until(lambda: str(docs / "guides" / "b.md") in noticed)
        assert str(docs / "guides" / "a.md") not in noticed  # read, not changed
        assert server._want_rebuild
        settings.write_text("site_name: X\n", encoding="utf-8")
        assert wait_until(lambda: str(settings) in noticed)
    finally:
        if observer is not None:
            observer.stop()
        server.server_close()
