"""The preview of `mkdocs serve --dirty` (mkdocs_kb.preview): a real wiki in a git repository,
built as the server builds it, then edited; each assertion reads the HTML written."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer

from kb.read import history
from mkdocs_kb.plugin import KbPlugin

from conftest import commit_files, mkdocs_build

SERVE_URL = "http://127.0.0.1:8000/"
AUTHOR = ("Jane Roe", "jane@example.com")

PAGES = {
    "mkdocs.yml": "site_name: Preview wiki\ndocs_dir: docs\ntheme: material\nplugins:\n  - kb:\n      parallel: false\n",
    "docs/people/jane.md": "---\nname: Jane Roe\nemails: [jane@example.com]\n---\nJane writes.\n",
    "docs/people/max.md": "---\nname: Max Moe\n---\nMax reviews.\n",
    "docs/guides/alpha.md": "---\ntitle: Alpha guide\ntags: [deploys]\nowners: [jane]\n---\n"
                            "The alpha text. See [the beta guide](beta.md).\n",
    "docs/guides/beta.md": "---\ntitle: Beta guide\ntags: [deploys]\n---\nThe beta text.\n",
    "docs/guides/gamma.md": "---\ntitle: Gamma guide\ntags: [rollbacks]\nowners: [max]\n---\nThe gamma text.\n",
    "docs/guides/delta.md": "---\ntitle: Delta guide\ntags: [rollbacks]\n---\nThe delta text, after [[Alpha guide|the first one]].\n",
}


class Server:
    """What `mkdocs serve --dirty` does with kb, without the HTTP server: one plugin instance
    across builds, each build with the configuration read again. With `watched`, as `kb serve`
    runs it: the plugin is told of each changed file, as the server's watcher tells it, and
    writes a save it can follow without MkDocs' build."""

    def __init__(self, root: Path, watched: bool = False) -> None:
        self.root = root
        self.site = root / "served"
        config = self.config()
        config.plugins.on_startup(command="serve", dirty=True)
        self.plugin = config.plugins["kb"]
        assert isinstance(self.plugin, KbPlugin)
        #: MkDocs' builds, whole or quick; with `watched`, the saves written without one are not counted.
        self.mkdocs_builds = 0
        self.live: LiveReloadServer | None = None
        if watched:
            # Nothing is watched on this server: the test tells the plugin what changed.
            self.live = LiveReloadServer(builder=self.mkdocs_build, host="127.0.0.1", port=0, root=str(self.site))
            config.plugins.on_serve(self.live, config=config, builder=self.mkdocs_build)
        self._seen = self.files()

    def config(self):  # type: ignore[no-untyped-def]
        config = load_config(str(self.root / "mkdocs.yml"), site_dir=str(self.site))
        config.site_url = SERVE_URL
        return config

    def files(self) -> dict[str, tuple[int, int]]:
        found = {}
        for path in sorted((self.root / "docs").rglob("*")):
            if path.is_file():
                found[str(path)] = path.stat().st_mtime_ns, path.stat().st_size
        return found

    def mkdocs_build(self) -> None:
        self.mkdocs_builds += 1
        build(self.config(), serve_url=SERVE_URL, dirty=True)

    def build(self, wait: bool = True, noticed: list[Path] | None = None) -> None:
        """What the server does after a save: MkDocs builds, or with `watched`, the plugin is
        told which files changed (as a watcher tells: each written, added or removed, unless
        `noticed` says what the system told) and its builder runs."""
        assert self.plugin.preview is not None
        now = self.files()
        if self.live is None:
            self.mkdocs_build()
        else:
            told = sorted({path for path, _ in set(now.items()) ^ set(self._seen.items())}) if noticed is None else noticed
            for path in told:
                self.plugin.preview.notice(str(path))
            self.live.builder()
        self._seen = now
        # The pages the save changed elsewhere are written after the build, in this process;
        # without waiting, the next build stops that and writes what is left.
        if wait:
            self.plugin.preview.wait()
            # The server's build loop builds again when the preview asks it to.
            while self.live is not None and self.live._want_rebuild:
                self.live._want_rebuild = False
                self.live.builder()
                self.plugin.preview.wait()

    def html(self, path: str) -> str:
        return (self.site / path / "index.html").read_text(encoding="utf-8")

    def stop(self) -> None:
        # The plugin instance outlives the server in this process: later builds are plain ones.
        self.config().plugins.on_startup(command="build", dirty=False)
        if self.live is not None:
            self.live.server_close()


@pytest.fixture
def wiki(tmp_path: Path) -> Path:
    root = tmp_path / "wiki"
    root.mkdir()
    commit_files(root, dict(PAGES), "Start the wiki", AUTHOR, "2025-03-01T09:00:00Z")
    return root


@pytest.fixture(params=["mkdocs serve --dirty", "kb serve"])
def server(wiki: Path, request: pytest.FixtureRequest) -> Iterator[Server]:
    served = Server(wiki, watched=request.param == "kb serve")
    served.build()
    yield served
    served.stop()


def edit(root: Path, path: str, old: str, new: str) -> None:
    target = root / "docs" / path
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new), encoding="utf-8")


def emacs_save(root: Path, path: str, old: str, new: str) -> Path:
    """Save a page as Emacs first does: a copy beside it (`page.md~`), then the page. The copy."""
    page = root / "docs" / path
    backup = page.with_name(page.name + "~")
    shutil.copy2(page, backup)
    edit(root, path, old, new)
    return backup


def digests(site: Path, leave_out: tuple[str, ...] = ()) -> dict[str, str]:
    return {path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(site.rglob("*"))
            if path.is_file() and not path.relative_to(site).as_posix().startswith(leave_out)}


def built_afresh(root: Path, into: Path) -> Path:
    """The site a new server builds from a copy of the wiki at `root` (without its output), with
    nothing cached: what the preview must show."""
    shutil.copytree(root, into, ignore=shutil.ignore_patterns("served"))
    history._cache.clear()
    fresh = Server(into)
    try:
        fresh.build()
    finally:
        fresh.stop()
    return fresh.site


def test_a_saved_page_is_written_alone_then_the_pages_it_changed(server: Server) -> None:
    beta_before = server.html("guides/beta")
    edit(server.root, "guides/alpha.md", "The alpha text.", "The alpha text, now longer.")
    # Only the saved page's own HTML changes: the quick build writes it first.
    written = {}

    def follow_up_blocked() -> None:
        written["alpha"] = server.html("guides/alpha")
        written["beta"] = server.html("guides/beta")

    preview = server.plugin.preview
    assert preview is not None
    start = preview.follow_up
    preview.follow_up = lambda plugin, config: (follow_up_blocked(), start(plugin, config))  # type: ignore[method-assign]
    try:
        server.build()
    finally:
        del preview.follow_up
    assert "The alpha text, now longer." in written["alpha"]
    assert written["beta"] == beta_before
    assert "The alpha text, now longer." in server.html("guides/alpha")


def test_a_save_that_lands_while_the_last_one_is_followed_up_reaches_its_neighbours(server: Server) -> None:
    """The follow-up reads the wiki after the quick build looked at the files: a page saved in
    between is in what it reads, and its neighbours are still written by that page's build."""
    # A draft is among the files MkDocs lists and kb leaves out of the site.
    (server.root / "docs/guides/draft.md").write_text("---\ntitle: Draft\ndraft: true\n---\nSoon.\n", encoding="utf-8")
    server.build()
    edit(server.root, "guides/beta.md", "The beta text.", "The beta text, after [[Gamma guide]].")
    server.build()
    assert "Beta guide" in server.html("guides/gamma")  # a follow-up beside a draft writes the neighbours
    assert "Delta guide" not in server.html("guides/gamma")
    edit(server.root, "guides/alpha.md", "The alpha text.", "The alpha text, now longer.")
    preview = server.plugin.preview
    assert preview is not None
    start = preview.follow_up

    def saved_meanwhile(plugin: KbPlugin, config: MkDocsConfig) -> None:
        del preview.follow_up  # once: the build of this second save follows up as always
        edit(server.root, "guides/delta.md", "after [[Alpha guide|the first one]].",
             "after [[Alpha guide|the first one]], before [[Gamma guide]].")
        start(plugin, config)

    preview.follow_up = saved_meanwhile  # type: ignore[method-assign]
    server.build()
    server.build()  # the build MkDocs' watcher starts for the second save
    assert "The alpha text, now longer." in server.html("guides/alpha")
    assert "Delta guide" in server.html("guides/gamma")  # "Linked from"


def test_a_changed_link_and_tag_reach_the_backlinks_and_topic_pages(server: Server) -> None:
    assert "Alpha guide" in server.html("guides/beta")  # "Linked from"
    assert "Alpha guide" not in server.html("guides/gamma")
    assert "Alpha guide" not in server.html("topics/rollbacks")
    edit(server.root, "guides/alpha.md", "[the beta guide](beta.md)", "[the gamma guide](gamma.md)")
    edit(server.root, "guides/alpha.md", "tags: [deploys]", "tags: [rollbacks]")
    server.build()
    assert 'href="../gamma/"' in server.html("guides/alpha")
    assert "Alpha guide" in server.html("guides/gamma")
    assert "Alpha guide" not in server.html("guides/beta")
    assert "Alpha guide" in server.html("topics/rollbacks")
    assert "Alpha guide" not in server.html("topics/deploys")
    # Jane owns the page: her profile lists it whatever its topic.
    assert "Alpha guide" in server.html("people/jane")


def test_a_page_made_a_draft_or_removed_is_gone_everywhere(server: Server) -> None:
    edit(server.root, "guides/alpha.md", "owners: [jane]", "owners: [jane]\nstatus: draft")
    (server.root / "docs" / "guides" / "beta.md").unlink()
    server.build()
    assert not (server.site / "guides" / "alpha").exists()
    assert not (server.site / "guides" / "beta").exists()
    # Their topic has no page left.
    assert not (server.site / "topics" / "deploys").exists()
    for page in ("topics", "people/jane", "changes", ""):
        html = server.html(page) if page else (server.site / "index.html").read_text(encoding="utf-8")
        assert "Alpha guide" not in html and "Beta guide" not in html
    # The page that linked to it names a draft, as a whole build does, and links nowhere.
    assert "alpha/" not in server.html("guides/delta")


def test_a_page_with_broken_front_matter_is_held_back(server: Server) -> None:
    edit(server.root, "guides/gamma.md", "tags: [rollbacks]", "tags: [rollbacks\n")
    server.build()
    assert not (server.site / "guides" / "gamma").exists()
    assert "Gamma guide" not in server.html("topics/rollbacks")


def test_what_the_preview_shows_after_saves_is_what_a_whole_build_shows(server: Server, tmp_path: Path,
                                                                       caplog: pytest.LogCaptureFixture) -> None:
    """The pages the preview writes again are all the pages a save changed: after a few saves,
    every page is as a whole build of the same files makes it (the search index and the sitemap
    stay the last whole build's until the next one)."""
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.kb")
    edit(server.root, "guides/alpha.md", "The alpha text.", "The alpha text, changed.")
    server.build(wait=False)
    edit(server.root, "guides/gamma.md", "owners: [max]", "owners: [max, jane]")
    server.build()
    edit(server.root, "guides/beta.md", "tags: [deploys]", "tags: [deploys, rollbacks]")
    edit(server.root, "guides/delta.md", "The delta text", "The delta text, with [Beta](beta.md),")
    server.build()
    # Each save was previewed quickly, not with a whole build (the first one's follow-up may
    # have been stopped by the second save); under kb serve, without MkDocs' build.
    assert server.mkdocs_builds == (1 if server.live else 4)
    assert not any("building the whole site again" in record.getMessage() for record in caplog.records)
    assert sum("pages the save changed are written" in record.getMessage() for record in caplog.records) >= 2
    leave_out = ("search/", "sitemap.xml")
    assert digests(server.site, leave_out) == digests(built_afresh(server.root, tmp_path / "whole"), leave_out)


def test_a_community_shows_what_its_members_now_know(tmp_path: Path) -> None:
    """A community's page lists each member's strongest topics: a save that makes Max an owner
    of a guide on deploys changes it, though the community page itself was not touched."""
    root = tmp_path / "wiki"
    root.mkdir()
    community = ("---\ntitle: Operators\ntags: [rollbacks]\ntype: community\nmembers: [max]\n---\n"
                 "Who runs the systems.\n")
    commit_files(root, PAGES | {"docs/communities/operators.md": community}, "Start the wiki", AUTHOR,
                 "2025-03-01T09:00:00Z")
    served = Server(root)
    try:
        served.build()
        members = re.compile(r'<ul class="kb-list kb-members">.*?</ul>', re.S)
        before = served.html("communities/operators")
        [listed] = members.findall(before)
        assert "Max Moe" in listed and ">deploys<" not in listed.lower()
        edit(root, "guides/alpha.md", "owners: [jane]", "owners: [jane, max]")
        served.build()
        after = served.html("communities/operators")
        assert ">deploys<" in members.findall(after)[0].lower()
        whole = built_afresh(root, tmp_path / "whole")
        assert after == (whole / "communities/operators/index.html").read_text(encoding="utf-8")
    finally:
        served.stop()


def test_a_whole_build_after_previews_is_byte_identical_to_a_fresh_one(server: Server, tmp_path: Path) -> None:
    """The caches a preview keeps (parses, history) never change what a build writes."""
    edit(server.root, "guides/alpha.md", "The alpha text.", "The alpha text, changed.")
    server.build()
    edit(server.root, "guides/alpha.md", "The alpha text, changed.", "The alpha text.")
    server.build()
    # mkdocs.yml changed: a whole build, from the caches the saves filled.
    settings = server.root / "mkdocs.yml"
    settings.write_text(settings.read_text(encoding="utf-8") + "# saved\n", encoding="utf-8")
    server.build()
    settings.write_text(PAGES["mkdocs.yml"], encoding="utf-8")
    server.build()
    fresh = tmp_path / "fresh"
    assert digests(server.site) == digests(built_afresh(server.root, fresh))
    # And a plain build in this process, with the history cached, is the build of a new one.
    server.stop()
    config = load_config(str(server.root / "mkdocs.yml"), site_dir=str(tmp_path / "plain"))
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    assert mkdocs_build(fresh, strict=False).returncode == 0
    assert digests(tmp_path / "plain") == digests(fresh / "site")
    assert re.search(r"Alpha guide", (fresh / "site" / "guides" / "beta" / "index.html").read_text(encoding="utf-8"))


def test_a_page_git_comes_to_ignore_is_gone_after_the_next_build(server: Server) -> None:
    (server.root / "docs" / "guides" / "notes.md").write_text("---\ntitle: Private notes\ntags: [rollbacks]\n---\nMine.\n",
                                                           encoding="utf-8")
    server.build()
    assert "Private notes" in server.html("topics/rollbacks")
    # Not yet committed, and now ignored: no page changed, but the page is no longer the wiki's.
    (server.root / "docs" / ".gitignore").write_text("guides/notes.md\n", encoding="utf-8")
    server.build()
    assert not (server.site / "guides" / "notes").exists()
    assert "Private notes" not in server.html("topics/rollbacks")


def test_a_page_scheduled_for_later_or_replaced_by_a_link_never_shows(server: Server, tmp_path: Path) -> None:
    edit(server.root, "guides/gamma.md", "tags: [rollbacks]", "tags: [rollbacks]\npublishDate: 2099-01-01")
    server.build(wait=False)
    assert not (server.site / "guides" / "gamma").exists()
    outside = tmp_path / "outside.md"
    outside.write_text("# Outside\n\nNOT-IN-THE-WIKI\n", encoding="utf-8")
    alpha = server.root / "docs" / "guides" / "alpha.md"
    alpha.unlink()
    alpha.symlink_to(outside)
    server.build(wait=False)
    assert not (server.site / "guides" / "alpha").exists()
    server.plugin.preview.wait()


def test_a_follow_up_looks_at_each_file_where_it_was_stamped(tmp_path: Path) -> None:
    """A plugin may give a page a path of its own (`guides/guides.md` served as
    `guides/index.md`): the file is stat'ed where it is, not at its path in the content."""
    from mkdocs.structure.files import File, Files

    from mkdocs_kb.preview import _differing_files, _stamps

    docs = tmp_path / "docs"
    (docs / "guides").mkdir(parents=True)
    (docs / "guides/guides.md").write_text("# Guides\n", encoding="utf-8")
    moved = File("guides/index.md", str(docs), str(tmp_path / "site"), True)
    moved.abs_src_path = str(docs / "guides/guides.md")
    files = Files([moved])
    sources, origins, _ = _stamps(files, str(docs))
    assert list(sources) == ["guides/index.md"]
    assert origins == {str(docs / "guides/guides.md"): "guides/index.md"}
    assert _differing_files(sources, origins) == []
    (docs / "guides/guides.md").write_text("# Guides, saved again\n", encoding="utf-8")
    assert _differing_files(sources, origins) == [str(docs / "guides/guides.md")]


def test_kb_serve_writes_a_save_without_building_and_builds_for_a_new_file(wiki: Path) -> None:
    """Under `kb serve` a save the preview can follow is written with the last build's objects:
    MkDocs does not build (it would list and stat every file first). An editor's swap file
    changes nothing; a new file or a .gitignore is MkDocs' to build."""
    served = Server(wiki, watched=True)
    try:
        served.build()
        assert served.mkdocs_builds == 1
        edit(wiki, "guides/alpha.md", "See [the beta guide](beta.md).", "See [the gamma guide](gamma.md).")
        (wiki / "docs" / "guides" / ".alpha.md.swp").write_bytes(b"b0VIM 9.0")
        served.build()
        assert served.mkdocs_builds == 1
        assert 'href="../gamma/"' in served.html("guides/alpha")
        assert "Alpha guide" in served.html("guides/gamma") and "Alpha guide" not in served.html("guides/beta")
        (wiki / "docs" / "guides" / ".alpha.md.swp").write_bytes(b"b0VIM 9.0, later")
        served.build()
        assert served.mkdocs_builds == 1
        (wiki / "docs" / "guides" / "epsilon.md").write_text("---\ntitle: Epsilon guide\n---\nNew.\n", encoding="utf-8")
        served.build()
        assert served.mkdocs_builds == 2
        assert "New." in served.html("guides/epsilon")
    finally:
        served.stop()


def test_kb_serve_follows_what_the_system_tells_of_a_folder_moved_away_or_a_time_set(
        wiki: Path, tmp_path: Path) -> None:
    """The system names a folder moved out of the wiki, not the pages in it; and it may say
    nothing of a page whose time alone was set. Either way the preview ends as a whole build
    of the same files, and goes on following saves."""
    leave_out = ("search/", "sitemap.xml")
    served = Server(wiki, watched=True)
    try:
        (wiki / "docs" / "old").mkdir()
        (wiki / "docs" / "old" / "legacy.md").write_text(
            "---\ntitle: Legacy guide\ntags: [deploys]\n---\nSee [[Alpha guide]].\n", encoding="utf-8")
        served.build()
        assert "Legacy guide" in served.html("topics/deploys")
        (wiki / "docs" / "old").rename(tmp_path / "trash")
        served.build(noticed=[wiki / "docs" / "old"])
        assert served.mkdocs_builds == 2
        assert not (served.site / "old").exists() and "Legacy guide" not in served.html("topics/deploys")

        gamma = wiki / "docs" / "guides" / "gamma.md"
        os.utime(gamma, ns=(gamma.stat().st_atime_ns, gamma.stat().st_mtime_ns + 10**9))
        edit(wiki, "guides/alpha.md", "The alpha text.", "The alpha text, saved after.")
        # The follow-up finds gamma's new time and asks for another build, which writes gamma.
        served.build(noticed=[wiki / "docs" / "guides" / "alpha.md"])
        assert "The alpha text, saved after." in served.html("guides/alpha")
        assert served.mkdocs_builds == 2
        edit(wiki, "guides/beta.md", "The beta text.", "The beta text, now with [[Delta guide]].")
        served.build()
        assert "Beta guide" in served.html("guides/delta")
        assert digests(served.site, leave_out) == digests(built_afresh(wiki, tmp_path / "whole"), leave_out)
    finally:
        served.stop()


def test_kb_serve_follows_what_git_ignores(wiki: Path) -> None:
    served = Server(wiki, watched=True)
    try:
        (wiki / "docs" / ".gitignore").write_text("secret*.md\n", encoding="utf-8")
        (wiki / "docs" / "guides" / "secret-plan.md").write_text("---\ntitle: The plan\n---\nHidden.\n",
                                                                  encoding="utf-8")
        served.build()
        assert not (served.site / "guides" / "secret-plan").exists()
        (wiki / "docs" / ".gitignore").unlink()
        served.build()
        assert "Hidden." in served.html("guides/secret-plan")
        # The repository's own .gitignore is outside what the server watches: the next save
        # finds it, as git is asked again for every save.
        (wiki / ".gitignore").write_text("docs/guides/secret-plan.md\n", encoding="utf-8")
        edit(wiki, "guides/beta.md", "The beta text.", "The beta text, saved.")
        served.build()
        assert not (served.site / "guides" / "secret-plan").exists()
    finally:
        served.stop()


def test_kb_serve_knows_a_page_by_its_real_path(tmp_path: Path) -> None:
    """The system may name a saved file by its real path when the wiki is reached through a
    link (macOS names /var/... as /private/var/...): it is the same page, written quickly."""
    real = tmp_path / "real" / "wiki"
    real.mkdir(parents=True)
    commit_files(real, dict(PAGES), "Start the wiki", AUTHOR, "2025-03-01T09:00:00Z")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    served = Server(tmp_path / "link" / "wiki", watched=True)
    try:
        served.build()
        edit(served.root, "guides/alpha.md", "The alpha text.", "The alpha text, saved.")
        served.build(noticed=[real / "docs" / "guides" / "alpha.md"])
        assert served.mkdocs_builds == 1
        assert "The alpha text, saved." in served.html("guides/alpha")
    finally:
        served.stop()


def test_kb_serve_follows_a_folder_named_like_an_editors_file_and_a_page_put_back(wiki: Path, tmp_path: Path) -> None:
    """A folder named `4913` (Vim's test file's name) moved away is named alone by the system:
    its pages go. A page put back with the time and size it had in the last build, while the
    preview shows its edit, is a save too."""
    leave_out = ("search/", "sitemap.xml")
    served = Server(wiki, watched=True)
    try:
        (wiki / "docs" / "4913").mkdir()
        (wiki / "docs" / "4913" / "ticket.md").write_text("---\ntitle: Ticket guide\ntags: [deploys]\n---\nOld.\n",
                                                           encoding="utf-8")
        served.build()
        (wiki / "docs" / "4913").rename(tmp_path / "4913")
        served.build(noticed=[wiki / "docs" / "4913"])
        assert not (served.site / "4913").exists() and "Ticket guide" not in served.html("topics/deploys")

        alpha = wiki / "docs" / "guides" / "alpha.md"
        backup = tmp_path / "alpha.md"
        shutil.copy2(alpha, backup)
        served.build()  # the last build: alpha as the backup has it
        edit(wiki, "guides/alpha.md", "The alpha text.", "The alpha text, REVERTME.")
        preview = served.plugin.preview
        assert preview is not None
        preview.follow_up = lambda plugin, config: None  # type: ignore[method-assign]  # not got far yet
        try:
            served.build()
        finally:
            del preview.follow_up
        assert "REVERTME" in served.html("guides/alpha")
        shutil.copy2(backup, alpha)  # its time and size too
        served.build()
        assert "REVERTME" not in served.html("guides/alpha")
        assert digests(served.site, leave_out) == digests(built_afresh(wiki, tmp_path / "whole"), leave_out)
    finally:
        served.stop()


def test_kb_serve_notes_an_editors_backup_written_beside_a_save(wiki: Path, tmp_path: Path) -> None:
    """Emacs copies a page to `page.md~` before it first saves it. The preview does not stamp
    such files, but the content's walk notes them (file.editor) and a link may name one: the
    save's follow-up walks the whole content, also when the backup came in a batch of its own
    (and finding a file held back that was not, builds the whole site), and the site ends as a
    whole build of the same files makes it, in or out of git."""
    shutil.rmtree(wiki / ".git")
    edit(wiki, "guides/beta.md", "The beta text.", "The beta text, after [[alpha.md~]].")
    leave_out = ("search/", "sitemap.xml")
    served = Server(wiki, watched=True)
    try:
        served.build()
        alpha = wiki / "docs" / "guides" / "alpha.md"
        backup = emacs_save(wiki, "guides/alpha.md", "The alpha text.", "The alpha text, saved in Emacs.")
        served.build(noticed=[backup, alpha])
        assert "is not published" in served.html("guides/beta")
        first = digests(served.site, leave_out)
        shutil.copytree(wiki, tmp_path / "as-first", ignore=shutil.ignore_patterns("served"))

        backup.unlink()
        served.build(noticed=[backup])
        edit(wiki, "guides/gamma.md", "The gamma text.", "The gamma text, saved.")
        served.build(noticed=[wiki / "docs" / "guides" / "gamma.md"])
        assert "is not published" not in served.html("guides/beta")
        second = digests(served.site, leave_out)
        shutil.copytree(wiki, tmp_path / "as-second", ignore=shutil.ignore_patterns("served"))

        # A backup that comes in a batch of its own, and an auto-save that comes and goes.
        shutil.copy2(alpha, backup)
        served.build(noticed=[backup])
        assert "is not published" in served.html("guides/beta")
        autosave = wiki / "docs" / "guides" / "#delta.md#"
        autosave.write_text("# Delta, half written\n", encoding="utf-8")
        served.build(noticed=[autosave])
        autosave.write_text("# Delta, half written, and more\n", encoding="utf-8")
        served.build(noticed=[autosave])
        third = digests(served.site, leave_out)
        shutil.copytree(wiki, tmp_path / "as-third", ignore=shutil.ignore_patterns("served"))
        autosave.unlink()
        served.build(noticed=[autosave])
        # None of it was a whole build: no page is one, and MkDocs never copies them.
        assert served.mkdocs_builds == 1
    finally:
        served.stop()
    # (A server of its own in this process ends the one above: the whole builds come last.)
    assert first == digests(built_afresh(tmp_path / "as-first", tmp_path / "first"), leave_out)
    assert second == digests(built_afresh(tmp_path / "as-second", tmp_path / "second"), leave_out)
    assert third == digests(built_afresh(tmp_path / "as-third", tmp_path / "third"), leave_out)


@pytest.mark.parametrize("watched", [False, True], ids=["mkdocs serve --dirty", "kb serve"])
def test_a_backup_beside_a_save_and_a_file_named_4913_end_as_a_whole_build_makes_them(
        wiki: Path, tmp_path: Path, watched: bool) -> None:
    """Under MkDocs' polling a backup that came is one of MkDocs' files, which only a whole build
    withholds again; a file named 4913 that stays (not Vim's, which goes at once) is a file like
    any other."""
    edit(wiki, "guides/beta.md", "The beta text.", "The beta text, after [the old alpha](alpha.md~) and [x](4913).")
    leave_out = ("search/", "sitemap.xml")
    served = Server(wiki, watched=watched)
    try:
        served.build()
        backup = emacs_save(wiki, "guides/alpha.md", "The alpha text.", "The alpha text, saved in Emacs.")
        # (A path that is no page hands the save to MkDocs' quick build under kb serve too.)
        told = [backup, wiki / "docs" / "guides" / "alpha.md", wiki / "overrides" / "main.html"]
        served.build(noticed=told if watched else None)
        first = digests(served.site, leave_out)
        shutil.copytree(wiki, tmp_path / "as-first", ignore=shutil.ignore_patterns("served"))
        (wiki / "docs" / "guides" / "4913").write_text("A ticket's notes.\n", encoding="utf-8")
        served.build(noticed=[wiki / "docs" / "guides" / "4913"] if watched else None)
        second = digests(served.site, leave_out)
        shutil.copytree(wiki, tmp_path / "as-second", ignore=shutil.ignore_patterns("served"))
    finally:
        served.stop()
    assert first == digests(built_afresh(tmp_path / "as-first", tmp_path / "first"), leave_out)
    assert second == digests(built_afresh(tmp_path / "as-second", tmp_path / "second"), leave_out)
