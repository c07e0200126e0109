"""The adapter on MkDocs' own build, in process: state is reset between builds, as `mkdocs
serve` needs, and kb's theme sits between a site's custom_dir and Material."""

from __future__ import annotations

import itertools
import json
import logging
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

import mkdocs_kb.parallel
import mkdocs_kb.search_index
from mkdocs_kb.plugin import KbPlugin

from conftest import Built, commit_all, kb_cli, mkdocs_build


def write(root: Path, path: str, text: str) -> None:
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text(text, encoding="utf-8")


def use_hooks(root: Path, *hooks: str) -> None:
    """The site with kb alone as its plugin, and `hooks` (MkDocs' hooks, in that order)."""
    write(root, "mkdocs.yml", "site_name: W\ndocs_dir: docs\ntheme:\n  name: material\nplugins:\n  - kb\n"
          f"hooks: [{', '.join(hooks)}]\n")


@pytest.fixture
def wiki(tmp_path: Path) -> Path:
    write(tmp_path, "mkdocs.yml", "site_name: W\ndocs_dir: docs\ntheme:\n  name: material\n  custom_dir: overrides\nplugins: [kb]\n")
    write(tmp_path, "overrides/partials/kb/home.html", "<p id='custom-home'>ours</p>\n")
    write(tmp_path, "docs/a.md", "---\ntitle: Alpha\ntags: [first]\n---\nA.\n")
    write(tmp_path, "docs/b.md", "---\ntitle: Beta\ntags: [first]\n---\nB.\n")
    commit_all(tmp_path)
    return tmp_path


def test_rebuild_with_the_same_plugin_reflects_every_change(wiki: Path) -> None:
    config = load_config(str(wiki / "mkdocs.yml"))
    plugin = config.plugins["kb"]
    build(config)
    site = Path(config.site_dir)
    assert "Alpha" in (site / "topics" / "first" / "index.html").read_text(encoding="utf-8")

    write(wiki, "docs/a.md", "---\ntitle: Alpha\ntags: [second]\nstatus: draft\n---\nA.\n")
    write(wiki, "docs/b.md", "---\ntitle: Beta renamed\ntags: [second]\n---\nB.\n")
    build(config)
    assert config.plugins["kb"] is plugin
    assert not (site / "topics" / "first").exists()
    assert not (site / "a").exists()
    second = (site / "topics" / "second" / "index.html").read_text(encoding="utf-8")
    assert "Beta renamed" in second and "Alpha" not in second
    assert config.theme.dirs.count(plugin_theme_dir()) == 1


def test_custom_dir_overrides_kb_templates(wiki: Path) -> None:
    config = load_config(str(wiki / "mkdocs.yml"))
    build(config)
    assert config.theme.dirs[0].endswith("overrides")
    assert config.theme.dirs[1] == plugin_theme_dir()
    assert "custom-home" in (Path(config.site_dir) / "index.html").read_text(encoding="utf-8")


def test_diagnostics_become_mkdocs_log_records(wiki: Path, caplog: pytest.LogCaptureFixture) -> None:
    write(wiki, "docs/c.md", "---\ntitle: [x\n---\n")
    write(wiki, "docs/d.md", "---\nowners: [nobody]\n---\n")
    config = load_config(str(wiki / "mkdocs.yml"))
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.kb"):
        build(config)
    records = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "mkdocs.plugins.kb"]
    assert ("ERROR", "docs/c.md:3:1: error: the front matter cannot be read: did not find expected ',' or ']'; "
            "the page is held back as a draft until it is fixed [frontmatter.yaml]") in records
    assert any(level == "WARNING" and "[person.unknown]" in message for level, message in records)


def test_mkdocs_does_not_read_again_the_front_matter_kb_read(wiki: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """kb gives MkDocs its reading of each page: MkDocs' own reader is handed the body alone, and
    the page's title and description still reach the template, from kb."""
    import mkdocs.structure.pages

    write(wiki, "mkdocs.yml", "site_name: W\ndocs_dir: docs\ntheme:\n  name: material\nplugins:\n  - kb:\n      parallel: false\n")
    write(wiki, "docs/a.md", "---\ntitle: Alpha\ndescription: First of all.\ntags: [first]\n---\nNote: not metadata.\n\nA.\n")
    handed: list[str] = []
    get_data = mkdocs.structure.pages.meta.get_data

    def spy(source: str) -> tuple[str, dict[str, object]]:
        handed.append(source)
        return get_data(source)

    monkeypatch.setattr(mkdocs.structure.pages.meta, "get_data", spy)
    config = load_config(str(wiki / "mkdocs.yml"))
    build(config)
    assert "\nNote: not metadata.\n\nA.\n" in handed
    assert not any("title: Alpha" in source for source in handed)
    page = (Path(config.site_dir) / "a" / "index.html").read_text(encoding="utf-8")
    assert "<title>Alpha - W</title>" in page and 'content="First of all."' in page
    assert "<p>Note: not metadata.</p>" in page


def plugin_theme_dir() -> str:
    from mkdocs_kb.theme_dir import theme_dir

    return theme_dir()


def site_files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def test_pages_converted_in_the_background_are_the_same_and_keep_their_warnings(
    wiki: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The child converts and renders the last pages; the parent takes its HTML, table of
    contents and anchors, and replays the warnings the conversion logged, once each."""
    # Share the pages by Markdown alone, so that the child gets the long page with the bad links.
    monkeypatch.setattr(mkdocs_kb.parallel, "PAGE_COST", 0)
    settings = ("site_name: W\ndocs_dir: docs\ntheme:\n  name: material\nplugins:\n  - kb:\n      parallel: {parallel}\n"
                "validation:\n  links:\n    unrecognized_links: warn\n  anchors: warn\n"
                "markdown_extensions:\n  - toc:\n      permalink: true\n")
    write(wiki, "docs/a.md", "---\ntitle: Alpha\ntags: [first]\n---\n" + "A long page. " * 40 + "\n")
    write(wiki, "docs/b.md", "---\ntitle: Beta\ntags: [first]\n---\n## Steps\n\nB, in [the folder](aaa/), "
          "see [Alpha's end](a.md#the-end).\n")
    write(wiki, "docs/aaa/c.md", "---\ntitle: Gamma\n---\n## Gamma's part\n\nC <br> D.\n")
    trees, messages = {}, {}
    for parallel in (True, False):
        write(wiki, "mkdocs.yml", settings.format(parallel=str(parallel).lower()))
        config = load_config(str(wiki / "mkdocs.yml"), site_dir=str(wiki / f"site-{parallel}"))
        caplog.clear()
        with caplog.at_level(logging.INFO):
            build(config)
        plugin = config.plugins["kb"]
        if parallel:
            forked = plugin.parallel
            assert isinstance(forked, mkdocs_kb.parallel.Forked)
            assert "b.md" in forked.converted and forked.child_writes <= forked.converted
            assert forked.child_writes
            assert plugin.clock.counts["convert in parallel"] == len(forked.converted)
            assert plugin.clock.counts["pages in parallel"] == len(forked.child_writes)
        else:
            assert type(plugin.parallel) is mkdocs_kb.parallel.Serial
        messages[parallel] = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
        trees[parallel] = site_files(Path(config.site_dir))
    assert trees[True] == trees[False]
    assert messages[True] == messages[False]
    assert sum("unrecognized relative link 'aaa/'" in message for message in messages[True]) == 1
    assert sum("does not contain an anchor '#the-end'" in message for message in messages[True]) == 1
    assert b'id="steps"' in trees[True]["b/index.html"]
    # The page whose template the child rendered went through kb's sanitiser like the others.
    assert b'id="gammas-part"' in trees[True]["aaa/c/index.html"] and b"<br>" in trees[True]["aaa/c/index.html"]


def many_pages_wiki(root: Path) -> None:
    """Eighteen articles, two of them with a broken link (at the head and the tail of the build order)."""
    for number in range(18):
        broken = " See [nowhere](missing/)." if number in (1, 16) else ""
        write(root, f"docs/p{number:02}.md", f"---\ntitle: Page {number}\ntags: [t{number % 3}]\n---\n## Part {number}\n\n"
              + f"Text of page {number}. " * (5 + number) + broken + f" Next: [[Page {(number + 1) % 18}]].\n")


def builds_with_and_without_workers(root: Path, caplog: pytest.LogCaptureFixture,
                                    settings: str = "") -> Iterator[tuple[bool, MkDocsConfig]]:
    """The wiki at `root` built with page workers, then with `parallel: false`: each build's
    config once it has run, with `caplog` holding that build's records."""
    for parallel in (True, False):
        write(root, "mkdocs.yml", "site_name: W\ndocs_dir: docs\ntheme:\n  name: material\nplugins:\n  - kb:\n"
              f"      parallel: {str(parallel).lower()}\n" + settings)
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / f"site-{parallel}"))
        caplog.clear()
        with caplog.at_level(logging.INFO):
            build(config)
        yield parallel, config


@pytest.mark.parametrize("cores", [3, 4])
def test_every_core_gets_a_slice_of_the_pages_and_the_site_is_the_same(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch, cores: int
) -> None:
    """With C cores, C-1 workers each convert and write a contiguous slice of the build order's
    tail; the parent takes each one's pages, and replays each one's warnings in order."""
    monkeypatch.setattr(mkdocs_kb.parallel, "cores", lambda: cores)
    many_pages_wiki(tmp_path)
    commit_all(tmp_path)
    trees, messages = {}, {}
    for parallel, config in builds_with_and_without_workers(tmp_path, caplog,
                                                            "validation:\n  links:\n    unrecognized_links: warn\n"):
        plugin = config.plugins["kb"]
        if parallel:
            forked = plugin.parallel
            assert isinstance(forked, mkdocs_kb.parallel.Forked) and forked.workers == cores - 1
            assert [worker.number for worker in forked.started] == list(range(1, cores))
            order = forked.order
            for before, after in itertools.pairwise(forked.started):
                assert max(map(order.index, before.converts)) < min(map(order.index, after.converts))
            assert all(worker.converts and worker.writes == worker.converts for worker in forked.started)
            assert order[0] not in forked.converted and order[-1] in forked.started[-1].converts
            assert plugin.clock.counts["convert in parallel"] == len(forked.converted)
            assert plugin.clock.counts["pages in parallel"] == len(forked.child_writes)
            assert plugin.clock.counts["worker cpu"] == cores - 1
        else:
            assert type(plugin.parallel) is mkdocs_kb.parallel.Serial
        messages[parallel] = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
        trees[parallel] = site_files(Path(config.site_dir))
    assert trees[True] == trees[False]
    assert messages[True] == messages[False]
    assert sum("unrecognized relative link 'missing/'" in message for message in messages[True]) == 2


def test_a_worker_that_fails_costs_its_pages_here_not_the_others(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parent renders the pages of a worker that raised; the other workers' pages it takes."""
    monkeypatch.setattr(mkdocs_kb.parallel, "cores", lambda: 4)
    work = mkdocs_kb.parallel.Forked._work

    def second_fails(self, worker, *args):  # type: ignore[no-untyped-def]
        if worker.number == 2:
            raise RuntimeError("worker 2 is out of order")
        yield from work(self, worker, *args)

    many_pages_wiki(tmp_path)
    commit_all(tmp_path)
    write(tmp_path, "mkdocs.yml", "site_name: W\ndocs_dir: docs\ntheme:\n  name: material\nplugins:\n  - kb:\n"
          "      parallel: false\n")
    config = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site-serial"))
    build(config)
    serial = site_files(Path(config.site_dir))
    write(tmp_path, "mkdocs.yml", "site_name: W\ndocs_dir: docs\ntheme:\n  name: material\nplugins: [kb]\n")
    monkeypatch.setattr(mkdocs_kb.parallel.Forked, "_work", second_fails)
    config = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site-forked"))
    with caplog.at_level(logging.DEBUG, logger="mkdocs.plugins.kb"):
        build(config)
    forked = config.plugins["kb"].parallel
    assert [worker.results[0] is None for worker in forked.started] == [False, True, False]
    taken = len(forked.started[0].converts) + len(forked.started[2].converts)
    assert config.plugins["kb"].clock.counts["convert in parallel"] == taken
    assert any("page worker 2 failed" in record.getMessage() and "out of order" in record.getMessage()
               for record in caplog.records)
    assert site_files(Path(config.site_dir)) == serial


def test_a_page_whose_views_fail_is_held_back_alike_with_workers_and_without(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker cannot render it, the parent renders it again and fails too: the page is held
    back with an error, as in a build of one process, and the build goes on."""
    import kb.views

    monkeypatch.setattr(mkdocs_kb.parallel, "cores", lambda: 2)
    header = kb.views.article_header

    def failing(view, article):  # type: ignore[no-untyped-def]
        if article.path == "p16.md":
            raise RuntimeError("no header today")
        return header(view, article)

    monkeypatch.setattr(kb.views, "article_header", failing)
    many_pages_wiki(tmp_path)
    commit_all(tmp_path)
    trees, messages = {}, {}
    for parallel, config in builds_with_and_without_workers(tmp_path, caplog):
        if parallel:
            assert "p16.md" in config.plugins["kb"].parallel.converted
        messages[parallel] = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
        trees[parallel] = site_files(Path(config.site_dir))
    assert any("no header today" in message for message in messages[False])
    assert messages[True] == messages[False]
    assert "p16/index.html" not in trees[False]
    assert trees[True] == trees[False]


def test_a_page_taken_back_takes_the_folders_it_leaves_empty_up_to_the_site(tmp_path: Path) -> None:
    """A worker may have written a listing of a page held back since (`x/linked-from/2/`): a
    build of one process makes no folder for it, so taking it back leaves none."""
    from mkdocs_kb.pages import unlink_page

    site = tmp_path / "site"
    listing = site / "x" / "linked-from" / "2" / "index.html"
    listing.parent.mkdir(parents=True)
    listing.write_text("<p>old</p>", encoding="utf-8")
    (site / "index.html").write_text("<p>home</p>", encoding="utf-8")
    unlink_page(listing, site)
    assert sorted(path.relative_to(site).as_posix() for path in site.rglob("*")) == ["index.html"]
    # A folder that holds anything else stays, and so does everything above it.
    kept = site / "y" / "other.html"
    kept.parent.mkdir()
    kept.write_text("<p>y</p>", encoding="utf-8")
    (site / "y" / "z").mkdir()
    (site / "y" / "z" / "index.html").write_text("<p>z</p>", encoding="utf-8")
    unlink_page(site / "y" / "z" / "index.html", site)
    unlink_page(site / "gone" / "index.html", site)
    assert sorted(path.relative_to(site).as_posix() for path in site.rglob("*")) == ["index.html", "y", "y/other.html"]
    unlink_page(site / "index.html", site)
    assert site.is_dir()


def test_a_preview_whole_build_reads_every_page_though_a_worker_wrote_it_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under --dirty MkDocs skips a page whose output is newer than its source. A worker writes
    its pages while this process converts its own; a page already written when MkDocs reaches
    it was not even read, and its sitemap entry took the wall clock's date instead of git's."""
    monkeypatch.setattr(mkdocs_kb.parallel, "cores", lambda: 2)
    many_pages_wiki(tmp_path)
    commit_all(tmp_path)
    write(tmp_path, "mkdocs.yml", "site_name: W\nsite_url: https://kb.example/\ndocs_dir: docs\ntheme:\n"
          "  name: material\nplugins: [kb]\n")
    parent = os.getpid()
    page_markdown = KbPlugin._page_markdown

    def slow_here(self, markdown, page):  # type: ignore[no-untyped-def]
        # This process falls behind its worker, which writes its pages in the meantime.
        if os.getpid() == parent and page.file.src_uri == "p00.md":
            time.sleep(3)
        return page_markdown(self, markdown, page)

    monkeypatch.setattr(KbPlugin, "_page_markdown", slow_here)
    config = load_config(str(tmp_path / "mkdocs.yml"))
    plugin = config.plugins["kb"]
    plugin.on_startup(command="serve", dirty=True)
    try:
        build(config, dirty=True)
    finally:
        plugin.on_startup(command="build", dirty=False)
    assert plugin.parallel.started and plugin.parallel.child_writes
    sitemap = (Path(config.site_dir) / "sitemap.xml").read_text(encoding="utf-8")
    assert "p17/" in sitemap
    # Every page's date is its commit's (conftest.git commits on 2026-06-01).
    assert set(re.findall(r"<lastmod>([^<]*)</lastmod>", sitemap)) == {"2026-06-01"}


def test_workers_are_forked_only_as_memory_allows() -> None:
    """Each worker is reckoned at the parent's size, and the parent keeps as much again."""
    gib = 2**30
    assert mkdocs_kb.parallel.workers_memory_allows(3, None, gib) == 3
    assert mkdocs_kb.parallel.workers_memory_allows(3, 20 * gib, gib) == 3
    assert mkdocs_kb.parallel.workers_memory_allows(3, 3 * gib, gib) == 2
    assert mkdocs_kb.parallel.workers_memory_allows(1, gib, 2 * gib) == 0
    assert mkdocs_kb.parallel.workers_memory_allows(1, 0, 2 * gib) == 0


def test_the_build_process_does_not_load_numpy() -> None:
    """numpy is the search process's alone: loaded by the plugin, it would add some 20 MB to
    the process each page worker is reckoned at."""
    loaded = subprocess.run([sys.executable, "-c", "import sys, mkdocs_kb.plugin, kb.search.site, kb.commands.cli;"
                             "print(sorted(name for name in sys.modules if name.split('.')[0] == 'numpy'))"],
                            capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"


def test_with_too_little_memory_for_a_worker_the_pages_are_rendered_here(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker that could not be given the memory it may come to copy is not forked: the build
    renders its pages itself, says why, and makes the same site."""
    monkeypatch.setattr(mkdocs_kb.parallel, "cores", lambda: 3)
    many_pages_wiki(tmp_path)
    commit_all(tmp_path)
    write(tmp_path, "mkdocs.yml", "site_name: W\ndocs_dir: docs\ntheme:\n  name: material\nplugins: [kb]\n")
    trees = {}
    for free in (None, 2**20):
        monkeypatch.setattr(mkdocs_kb.parallel, "memory_available", lambda free=free: free)
        config = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / f"site-{free}"))
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="mkdocs.plugins.kb"):
            build(config)
        forked = config.plugins["kb"].parallel
        assert isinstance(forked, mkdocs_kb.parallel.Forked) and forked.workers == 2
        said = [r.getMessage() for r in caplog.records if "page worker(s) instead of" in r.getMessage()]
        if free is None:
            assert len(forked.started) == 2 and not said
        else:
            assert forked.started == [] and not forked.converted
            assert said == [said[0]] and said[0].startswith("kb: 0 page worker(s) instead of 2: 1 MB of memory is free")
        trees[free] = site_files(Path(config.site_dir))
    assert trees[None] == trees[2**20]


def test_a_build_makes_each_pages_views_when_it_renders_and_only_a_preview_keeps_them(wiki: Path) -> None:
    """Kept, every page's views would stay in memory until the build's end; `kb serve` (MkDocs'
    --dirty) keeps them to compare with the next build's. The pages are the same either way."""
    pages = {}
    for command, dirty in (("build", False), ("serve", False), ("serve", True)):
        config = load_config(str(wiki / "mkdocs.yml"), site_dir=str(wiki / f"site-{command}-{dirty}"))
        plugin = config.plugins["kb"]
        plugin.on_startup(command=command, dirty=dirty)
        try:
            build(config)
        finally:
            # MkDocs keeps one plugin instance per process (for `mkdocs serve`): the next test's
            # builds would be taken for a preview's.
            plugin.on_startup(command="build", dirty=False)
        articles = plugin.site.views.articles
        assert articles["a.md"] == articles["a.md"]
        assert (articles["a.md"] is articles["a.md"]) is dirty
        # A served page's policy allows MkDocs' live reload; the rest is the same.
        pages[command, dirty] = {path: re.sub(rb'<meta http-equiv="Content-Security-Policy"[^>]*>', b"", data)
                                 for path, data in site_files(Path(config.site_dir)).items() if path.endswith(".html")}
    assert pages["build", False] and pages["build", False] == pages["serve", False] == pages["serve", True]


def test_search_built_here_when_its_process_fails(wiki: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A search process that raises costs time, not the index: the build makes it itself."""
    config = load_config(str(wiki / "mkdocs.yml"), site_dir=str(wiki / "site-good"))
    build(config)
    good = site_files(Path(config.site_dir))

    def broken(texts: object) -> object:
        raise RuntimeError("no terms today")

    monkeypatch.setattr(mkdocs_kb.search_index, "page_terms", broken)
    config = load_config(str(wiki / "mkdocs.yml"), site_dir=str(wiki / "site-fallback"))
    build(config)
    fallback = site_files(Path(config.site_dir))
    assert any(path.startswith("search/t/") for path in good)
    assert fallback == good


def test_the_wikis_own_index_pages_may_be_spelt_as_mkdocs_allows(tmp_path: Path) -> None:
    """README.md is the home page and changes/index.md the changes page: kb fills them in and
    generates nothing at their URLs, and the navigation points at them."""
    write(tmp_path, "mkdocs.yml", "site_name: W\ndocs_dir: docs\ntheme: material\nplugins: [kb]\nstrict: true\n")
    write(tmp_path, "docs/README.md", "# Our home\n")
    write(tmp_path, "docs/changes/index.md", "# What changed\n")
    write(tmp_path, "docs/a.md", "---\ntags: [first]\n---\nA.\n")
    commit_all(tmp_path)
    config = load_config(str(tmp_path / "mkdocs.yml"))
    build(config)
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    changes = (tmp_path / "site" / "changes" / "index.html").read_text(encoding="utf-8")
    assert "Our home" in home and "What changed" in changes
    assert [list(item.values())[0] for item in config.nav] == ["README.md", "topics/index.md", "people/index.md",
                                                               "changes/index.md", "insights.md"]


@pytest.mark.parametrize("target", ["/", "..", "../.."])
def test_a_link_to_a_folder_that_holds_the_docs_stops_the_build_at_once(tmp_path: Path, target: str,
                                                                               caplog: pytest.LogCaptureFixture) -> None:
    """MkDocs would follow it while listing the files, round and round or over the whole disk."""
    import os

    from mkdocs.exceptions import Abort

    write(tmp_path, "mkdocs.yml", "site_name: W\ndocs_dir: docs\ntheme: material\nplugins: [kb]\n")
    write(tmp_path, "docs/sub/a.md", "# A\n")
    os.symlink(target, tmp_path / "docs" / "sub" / "link")
    with pytest.raises(Abort):
        build(load_config(str(tmp_path / "mkdocs.yml")))
    assert any(record.getMessage().startswith("docs/sub/link:1:1: error: a link to ")
               and "round for ever" in record.getMessage() and "[file.symlink]" in record.getMessage()
               for record in caplog.records)


def test_a_link_to_a_folder_elsewhere_is_withheld_as_kb_check_says(tmp_path: Path) -> None:
    """MkDocs walks it (it cannot loop); kb withholds it, and both report the same error."""
    import os

    write(tmp_path, "mkdocs.yml", "site_name: W\ndocs_dir: docs\ntheme: material\nplugins: [kb]\n")
    write(tmp_path, "docs/index.md", "# Home\n")
    write(tmp_path, "outside/dir/secret.md", "# OUTSIDE-TEXT\n")
    os.symlink("../outside/dir", tmp_path / "docs" / "dirlink")
    commit_all(tmp_path)
    built = mkdocs_build(tmp_path, strict=False)
    checked = kb_cli(tmp_path, "check")
    expected = "docs/dirlink:1:1: error: symbolic links are not published"
    assert built.returncode == 0 and expected in built.log and expected in checked.stdout
    assert not (tmp_path / "site" / "dirlink").exists()
    assert all("OUTSIDE-TEXT" not in text for text in Built(tmp_path, 0, "").all_text().values())


@pytest.mark.parametrize(("settings", "site_path"), [
    ("site_url: https://wiki.example.com/kb/\n", "/kb/"),
    ("", "/"),
    ("site_url: https://wiki.example.com/kb/\nvalidation: {links: {absolute_links: warn}}\n", "/kb/"),
    # MkDocs then reads a path from the root in the docs folder, whatever site_url says.
    ("site_url: https://wiki.example.com/kb/\nvalidation: {absolute_links: relative_to_docs}\n", "/"),
    ("site_url: https://wiki.example.com/kb/\nvalidation: {links: {absolute_links: relative_to_docs}}\n", "/"),
])
def test_kb_check_and_the_build_read_links_from_the_root_alike(tmp_path: Path, settings: str, site_path: str) -> None:
    from kb.siteconfig import read_site_settings

    write(tmp_path, "mkdocs.yml", f"site_name: W\n{settings}plugins: [kb]\n")
    write(tmp_path, "docs/index.md", "# Home\n")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    plugin = config.plugins["kb"]
    plugin.on_config(config)
    assert plugin.kb_config.site_path == read_site_settings(tmp_path / "mkdocs.yml").config.site_path == site_path


def test_a_plugin_before_kb_still_sees_mkdocs_reading_and_a_second_source_reader_is_no_warning(wiki: Path) -> None:
    """kb skips MkDocs' reading only where nothing else would see the difference: a hook that reads
    a page's Markdown and metadata before kb gets MkDocs' reading, and a hook that reads pages'
    sources itself costs no warning (MkDocs warns of two source readers, which fails --strict)."""
    write(wiki, "hooks.py", "import json\nfrom mkdocs.plugins import event_priority\n\n"
          "@event_priority(60)\ndef on_page_markdown(markdown, page, **kwargs):\n"
          "    with open('seen.jsonl', 'a') as seen:\n"
          "        seen.write(json.dumps([page.file.src_uri, page.meta.get('title'), markdown]) + '\\n')\n")
    write(wiki, "reader.py", "def on_page_read_source(page, **kwargs):\n    return None\n")
    write(wiki, "docs/b.md", "---\ntitle: Beta\ntags: [first]\n---\nB.\n")
    config = "site_name: W\ndocs_dir: docs\ntheme:\n  name: material\nplugins:\n  - kb:\n      parallel: false\n"
    write(wiki, "mkdocs.yml", config + "hooks: [hooks.py]\n")
    mkdocs_build(wiki)
    seen = [json.loads(line) for line in (wiki / "seen.jsonl").read_text(encoding="utf-8").splitlines()]
    assert ["b.md", "Beta", "B.\n"] in seen

    write(wiki, "mkdocs.yml", config + "hooks: [reader.py]\n")
    built = mkdocs_build(wiki)
    assert built.returncode == 0, built.log
    assert "Multiple 'on_page_read_source' handlers" not in built.log
    assert "<title>Beta - W</title>" in (built.site / "b" / "index.html").read_text(encoding="utf-8")


def test_what_a_plugin_before_kb_makes_of_a_page_is_left_out_and_the_build_says_so(wiki: Path) -> None:
    """A plugin before kb could bring in what kb holds back (include-markdown runs first and
    copies a draft, front matter and all): kb publishes the page as written, never what such a
    plugin made of it, and says which pages it changed."""
    write(wiki, "hooks.py", "from mkdocs.plugins import event_priority\n\n"
          "@event_priority(100)\ndef on_page_markdown(markdown, page, **kwargs):\n"
          "    if '{{ greeting }}' in markdown or page.file.src_uri == 'd.md':\n"
          "        return markdown.replace('{{ greeting }}', 'Hello from the macro') + '\\n\\nAppended by the hook.\\n'\n")
    write(wiki, "docs/b.md", "---\ntitle: Beta\ntags: [first]\n---\n{{ greeting }}, reader.\n")
    # Front matter closed at the file's very end: MkDocs reads it as text, kb as front matter.
    write(wiki, "docs/d.md", "---\ntitle: Delta\ntags: [first]\nreview_note: not for readers\n---")
    use_hooks(wiki, "hooks.py")
    built = mkdocs_build(wiki, strict=False)
    assert built.returncode == 0, built.log
    beta = (built.site / "b" / "index.html").read_text(encoding="utf-8")
    assert "<p>{{ greeting }}, reader.</p>" in beta and "Appended by the hook." not in beta
    delta = (built.site / "d" / "index.html").read_text(encoding="utf-8")
    assert "not for readers" not in delta and "Appended by the hook." not in delta
    assert "kb: a plugin that runs before kb changed 2 page(s) (b.md, d.md); kb publishes pages as written" in built.log


def test_a_credential_a_plugin_after_kb_puts_into_a_page_keeps_what_it_made_off_the_site(wiki: Path) -> None:
    """A page is scanned for credentials as written; what a plugin after kb makes of it is
    scanned too. A page, of the wiki or one kb generates, whose plugin-made Markdown has one is
    published without its text, headings and all, with an error at its file."""
    secret = "k9Zq3xV7pL2mQ8wR"
    write(wiki, "after.py", "def on_page_markdown(markdown, page, **kwargs):\n"
          "    if page.file.src_uri in ('c.md', 'index.md'):\n"
          f"        return markdown + '\\n\\n## Heading {secret}\\n\\npassword = {secret}\\n'\n")
    write(wiki, "docs/c.md", "---\ntitle: Gamma\ntags: [first]\n---\nSee [Beta](b.md).\n")
    use_hooks(wiki, "after.py")
    built = mkdocs_build(wiki, strict=False)
    assert built.returncode == 0, built.log
    gamma = (built.site / "c" / "index.html").read_text(encoding="utf-8")
    assert "<title>Gamma - W</title>" in gamma and "Heading" not in gamma
    assert (built.site / "index.html").is_file()
    assert re.search(r"docs/c\.md:1:1: error: a high-entropy value assigned to a secret's name is in what another "
                     r"plugin made of this page \(its line 6\).*; the page is published without its text "
                     r"\[secret\.found\]", built.log)
    assert re.search(r"index\.md:1:1: error: .* published without its text \[secret\.found\]", built.log)
    for path in built.site.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes() and secret.lower().encode() not in path.read_bytes(), path
    assert mkdocs_build(wiki).returncode != 0


#: A hook after kb that includes files as a macro's include does: `[[include path]]` becomes the
#: file's text, front matter and all; and a line of boilerplate from outside the wiki on every page.
_INCLUDE_AFTER = """import re
from pathlib import Path

def on_page_markdown(markdown, page, config, **kwargs):
    markdown = re.sub(r"\\[\\[include ([^\\]]+)\\]\\]", lambda m: Path(config.docs_dir, m.group(1)).read_text(encoding="utf-8"), markdown)
    return markdown + "\\n\\nQuestions? Ask the platform team in #platform-help.\\n"
"""


def test_a_held_back_page_s_text_that_a_plugin_after_kb_brings_in_is_left_out(wiki: Path) -> None:
    """A plugin after kb can copy a file's text into a page, whatever kb holds back: a page that
    gets a draft's text, front matter and all (a draft by draft_docs too), or that of a page whose
    front matter cannot be read, is published without its text, and theirs is nowhere in the site. Including a
    published page, a fragment left out with exclude_docs, or sharing a line of boilerplate with
    a draft, is no include of a held-back page."""
    write(wiki, "after.py", _INCLUDE_AFTER)
    write(wiki, "docs/shared.md", "---\ntitle: Shared\ntags: [first]\n---\nThe shared paragraph, published.\n")
    write(wiki, "docs/rework.md", "---\ntitle: Rework of the shared page\ntags: [first]\nstatus: draft\n---\n"
          "The shared paragraph, published.\n\nQuestions? Ask the platform team in #platform-help.\n\n"
          "DRAFT-ONLY reworked paragraph.\n")
    write(wiki, "docs/secret-plan.md", "---\ntitle: DRAFT-ONLY acquisition plan\ntags: [first]\nstatus: draft\n---\nShort.\n")
    write(wiki, "docs/broken.md", "---\ntitle: [unclosed\n---\nBROKEN-ONLY body text.\n")
    write(wiki, "docs/snippets/contact.md", "Need help? Ask the platform team.\nOn-call rota: see the schedule.\n")
    write(wiki, "docs/c.md", "---\ntitle: Gamma\ntags: [first]\n---\nIntro.\n\n[[include rework.md]]\n")
    write(wiki, "docs/d.md", "---\ntitle: Delta\ntags: [first]\n---\nIntro.\n\n[[include broken.md]]\n")
    write(wiki, "docs/e.md", "---\ntitle: Epsilon\ntags: [first]\n---\n\nIntro.\n\n[[include shared.md]]\n\n"
          "[[include snippets/contact.md]]\n")
    write(wiki, "docs/f.md", "---\ntitle: Phi\ntags: [first]\n---\nIntro.\n\n[[include secret-plan.md]]\n")
    write(wiki, "docs/drafts/plan.md", "---\ntitle: Plan\n---\nDRAFT-ONLY, by draft_docs.\n")
    write(wiki, "docs/g.md", "---\ntitle: Gimel\ntags: [first]\n---\nIntro.\n\n[[include drafts/plan.md]]\n")
    use_hooks(wiki, "after.py")
    (wiki / "mkdocs.yml").write_text((wiki / "mkdocs.yml").read_text(encoding="utf-8")
                                     + "exclude_docs: |\n  snippets/\ndraft_docs: |\n  drafts/\n", encoding="utf-8")
    built = mkdocs_build(wiki, strict=False)
    assert built.returncode == 0, built.log
    for name in "cdfg":
        page = (built.site / name / "index.html").read_text(encoding="utf-8")
        assert "<h1" in page and "<p>Intro.</p>" not in page, name
    assert re.search(r"docs/c\.md:1:1: error: lines 4, 6 of what another plugin made of this page are also in "
                     r"docs/rework\.md, which is not published \(draft\): it looks included from there; the page is "
                     r"published without its text \[link\.withheld\]", built.log)
    assert re.search(r"docs/g\.md:1:1: error: .* also in docs/drafts/plan\.md, which is not published", built.log)
    assert re.search(r"docs/f\.md:1:1: error: line 4 of what another plugin made of this page is also in "
                     r"docs/secret-plan\.md, which is not published \(draft\)", built.log)
    assert re.search(r"docs/d\.md:1:1: error: .* also in docs/broken\.md, which is not published .*\[link\.withheld\]", built.log)
    for path in built.site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"DRAFT-ONLY" not in data and b"BROKEN-ONLY" not in data, path
    epsilon = (built.site / "e" / "index.html").read_text(encoding="utf-8")
    assert "The shared paragraph, published." in epsilon and "#platform-help" in epsilon and "On-call rota" in epsilon
    assert not re.search(r"docs/e\.md:.*error", built.log)


def test_a_part_of_kb_s_page_works_included_by_a_site_s_own_page_template(wiki: Path) -> None:
    """kb's page.html makes the macros once for its parts; a site's own page.html that includes
    one of them without importing the macros still gets a working part."""
    write(wiki, "overrides/partials/kb/page.html",
          '<h1 id="own-page">{{ page.title }}</h1>{{ page.content | safe }}{% include "partials/kb/backlinks.html" %}\n')
    write(wiki, "docs/b.md", "---\ntitle: Beta\ntags: [first]\n---\nSee [Alpha](a.md).\n")
    config = load_config(str(wiki / "mkdocs.yml"))
    build(config)
    page = (Path(config.site_dir) / "a" / "index.html").read_text(encoding="utf-8")
    assert 'id="own-page"' in page
    assert re.search(r'<a href="\.\./b/">Beta</a>', page)
