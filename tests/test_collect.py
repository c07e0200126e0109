from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kb.analyse.knowledge import build_knowledge_base
from kb.outputs import ASSETS_DIR, GRAPH_PATH, INSIGHTS_PATH
from kb.read.attachments import attachment_suffixes, refusal
from kb.read.collect import Collection, collect_sources, collect_sources_again, decode_markdown
from kb.read.collisions import reserved_place
from kb.read.limits import Limits
from kb.read.worktree import read_worktree
from kb.render.emit import preview_shard_path
from kb.render.feeds import feed_path
from kb.search.lunrindex import Field, build_index
from kb.search.shards import SearchDoc, emit_search

from conftest import commit_all


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"plain\n", "plain\n"),
        (b"\xef\xbb\xbfwith bom\n", "with bom\n"),
        (b"crlf\r\nlines\r\n", "crlf\nlines\n"),
        (b"old mac\rlines", "old mac\nlines"),
        ("caf\u00e9 \u2603\n".encode(), "caf\u00e9 \u2603\n"),
    ],
)
def test_decode_markdown_normalises(data: bytes, text: str) -> None:
    assert decode_markdown(data) == text


def test_latin1_is_an_error_naming_the_file_and_place(tmp_path: Path) -> None:
    write(tmp_path / "ok.md", b"fine\n")
    write(tmp_path / "notes" / "legacy.md", b"line one\ncaf\xe9\n")
    collection = collect_sources(tmp_path, "content")
    assert [s.path for s in collection.sources] == ["ok.md"]
    assert collection.refused == {"notes/legacy.md"}
    [problem] = collection.diagnostics
    assert problem.format().startswith("content/notes/legacy.md:2:4: error: the file is not valid UTF-8 (byte 0xe9)")
    assert problem.code == "file.encoding"


def test_an_encoding_error_after_a_bom_names_the_bad_byte_where_it_is(tmp_path: Path) -> None:
    write(tmp_path / "bom.md", b"\xef\xbb\xbf---\r\ntitle: A8 \xff\xfe bad\r\n---\r\n")
    [problem] = collect_sources(tmp_path, "content").diagnostics
    assert problem.format().startswith("content/bom.md:2:11: error: the file is not valid UTF-8 (byte 0xff)")


def test_nul_bytes_are_refused(tmp_path: Path) -> None:
    write(tmp_path / "bin.md", b"text\n\x00more")
    collection = collect_sources(tmp_path, "")
    assert collection.refused == {"bin.md"}
    assert [d.code for d in collection.diagnostics] == ["file.binary"]


def test_symlinks_to_files_and_folders_are_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write(outside / "secret.md", b"outside the wiki\n")
    content = tmp_path / "content"
    write(content / "real.md", b"real\n")
    os.symlink(outside / "secret.md", content / "linked.md")
    os.symlink(outside, content / "folder")
    os.symlink(content, content / "loop")
    collection = collect_sources(content, "content")
    assert [s.path for s in collection.sources] == ["real.md"]
    assert collection.refused == {"linked.md", "folder", "loop"}
    assert sorted(d.format() for d in collection.diagnostics) == [
        f"content/{name}:1:1: error: symbolic links are not published; replace the link with the file itself [file.symlink]"
        for name in ("folder", "linked.md", "loop")
    ]


def test_assets_are_listed_and_hidden_files_skipped(tmp_path: Path) -> None:
    write(tmp_path / "img" / "chart.png", b"\x89PNG")
    write(tmp_path / ".git" / "config", b"x")
    write(tmp_path / ".hidden.md", b"x")
    write(tmp_path / "a.md", b"a")
    collection = collect_sources(tmp_path, "")
    assert collection.assets == ["img/chart.png"]
    assert [s.path for s in collection.sources] == ["a.md"]


def test_walk_order_is_sorted(tmp_path: Path) -> None:
    for name in ("b.md", "a.md", "c/z.md", "c/a.md", "C.md"):
        write(tmp_path / name, b"x")
    assert [s.path for s in collect_sources(tmp_path, "").sources] == ["C.md", "a.md", "b.md", "c/a.md", "c/z.md"]


# Each group of files that would take one place, the one published (the page MkDocs makes its
# folder's index, else the path last in code-point order: MkDocs' own choice in one folder), and
# why the other is withheld.
COLLISIONS = [
    ("Guide.md guide.md", "guide.md", "differ only in upper and lower case"),
    ("img/Logo.png img/logo.png", "img/logo.png", "differ only in upper and lower case"),
    ("Docs/a.md docs/a.md", "docs/a.md", "differ only in upper and lower case"),
    ("caf\u00e9.md cafe\u0301.md", "caf\u00e9.md", "one name with its accents encoded in two ways"),
    ("topic.md topic/index.md", "topic/index.md", "would both be the page /topic/"),
    ("topic/README.md topic/index.md", "topic/index.md", "would both be the page /topic/"),
    ("a.markdown a.md", "a.md", "would both be the page /a/"),
    ("README.md index.md", "index.md", "would both be the page /"),
    ("Topic.md topic/index.md", "topic/index.md", "would both be the page /topic/"),  # the index, whatever the case
    ("README.markdown index.markdown", "index.markdown", "would both be the page /"),
    ("guide.png guide.png.md", "guide.png.md", "the site needs a folder guide.png/"),
    ("Notes.png notes.png/x.png", "notes.png/x.png", "the site needs a folder Notes.png/"),
]


@pytest.mark.parametrize(("names", "winner", "why"), COLLISIONS, ids=[names for names, _, _ in COLLISIONS])
def test_colliding_files_publish_one_and_name_both(tmp_path: Path, names: str, winner: str, why: str) -> None:
    for name in names.split():
        write(tmp_path / name, b"# x\n")
    collection = collect_sources(tmp_path, "content")
    [loser] = [name for name in names.split() if name != winner]
    published = [source.path for source in collection.sources] + collection.assets
    assert published == [winner] and collection.refused == {loser}
    [problem] = collection.diagnostics
    assert (problem.path, problem.line, problem.col, problem.severity.value, problem.code) == (
        f"content/{loser}", 1, 1, "error", "file.collision")
    assert why in problem.message
    assert f"content/{loser} " in problem.message or "this file would take its name" in problem.message
    assert problem.message.endswith(f"content/{winner} is published and this file is not: rename one of them")


@pytest.mark.parametrize("names", ["index.md readme.md", "INDEX.md README.md", "Topic.md topic/readme.md"])
def test_only_index_and_README_spelt_so_are_a_folders_page(tmp_path: Path, names: str) -> None:
    """As in MkDocs: `readme.md` is the page /readme/, `INDEX.md` the page /INDEX/."""
    for name in names.split():
        write(tmp_path / name, b"# x\n")
    collection = collect_sources(tmp_path, "content")
    assert sorted(source.path for source in collection.sources) == sorted(names.split())
    assert collection.diagnostics == []


def test_the_winner_does_not_depend_on_the_order_files_were_made(tmp_path: Path) -> None:
    names = ["topic.md", "Topic/index.md", "topic/README.md", "topic.markdown", "TOPIC.md"]
    results = []
    for order, folder in ((names, "one"), (names[::-1], "two")):
        for name in order:
            write(tmp_path / folder / name, b"x")
        collection = collect_sources(tmp_path / folder, "")
        results.append(([source.path for source in collection.sources], sorted(collection.refused)))
    assert results[0] == results[1] == (["Topic/index.md"], ["TOPIC.md", "topic.markdown", "topic.md", "topic/README.md"])


def test_a_collision_among_topic_pages_leaves_one_topic(tmp_path: Path) -> None:
    write(tmp_path / "topics" / "Kubernetes.md", b"---\ntitle: Kubernetes\n---\n")
    write(tmp_path / "topics" / "kubernetes.md", b"---\ntitle: K8s\n---\n")
    kb = build_knowledge_base(tmp_path)
    assert [(topic.slug, topic.name) for topic in kb.topics.values()] == [("kubernetes", "K8s")]
    assert [(d.path, d.code) for d in kb.diagnostics] == [("topics/Kubernetes.md", "file.collision")]
    assert "topics/Kubernetes.md" in kb.withheld


RESERVED = [
    # kb's and MkDocs' own files, and folders the site would need where they are
    ("feed.xml.md", "/feed.xml"), ("feed.xml/index.md", "/feed.xml"), ("Feed.XML.md", "/feed.xml"),
    ("404.html.md", "/404.html"), ("sitemap.xml.md", "/sitemap.xml"), ("sitemap.xml.gz", "/sitemap.xml.gz"),
    ("feed.xml/chart.png", "/feed.xml"),
    # kb's folders: any attachment, and pages whose URL there has a dot, as every file kb writes there has
    ("search/manifest.json", "/search/"), ("Search/t/ab.json", "/search/"), ("search/photo.png", "/search/"),
    ("search/manifest.json.md", "/search/"), ("feeds/ops.xml.md", "/feeds/"), ("assets/kb/kb.css", "/assets/kb/"),
    ("assets/kb/previews/000.json", "/assets/kb/"), ("assets/kb/graph.json", "/assets/kb/"),
    # a file by the name of one of kb's folders (were its type published: see below)
    ("search", "/search/"), ("feeds", "/feeds/"), ("assets", "/assets/kb/"),
]
#: Of those, files whose type kb does not publish unless a site adds it.
UNLISTED = (".gz", ".css")
NOT_RESERVED = ["search/index.md", "search.md", "search/tips.md", "feeds/index.md", "feeds.md", "404.md", "feed.md",
                "sitemap.md", "assets/logo.png", "assets/kb.md", "assets/kb/index.md", "researchers/feed.xml.md"]


@pytest.mark.parametrize(("name", "place"), RESERVED)
def test_a_file_in_a_place_kb_writes_is_refused(tmp_path: Path, name: str, place: str) -> None:
    write(tmp_path / name, b"x")
    suffixes = attachment_suffixes(UNLISTED)
    collection = collect_sources(tmp_path, "content", attachments=suffixes)
    assert collection.refused == {name} and collection.sources == [] and collection.assets == []
    [problem] = collection.diagnostics
    if not name.endswith(".md") and (refused := refusal(name.rsplit("/", 1)[-1], suffixes)):
        # No suffix, or .xml.gz: refused for its type before its place is looked at.
        assert (problem.path, problem.code) == (f"content/{name}", refused[0])
        return
    assert (problem.path, problem.severity.value, problem.code) == (f"content/{name}", "error", "file.reserved")
    assert f"{place} in the site" in problem.message or f"in {place}," in problem.message


@pytest.mark.parametrize("name", NOT_RESERVED)
def test_names_near_kbs_places_are_published(tmp_path: Path, name: str) -> None:
    write(tmp_path / name, b"x")
    collection = collect_sources(tmp_path, "content")
    assert collection.diagnostics == [] and collection.refused == set()


def test_every_file_kb_writes_is_in_a_reserved_place() -> None:
    """The reserved places are derived from the paths kb writes; this checks the derivation."""
    theme = Path(__file__).parent.parent / "theme"
    index = build_index([Field("title", 1)], [("0", {"title": "deploy safely"})])
    search = emit_search(index, [SearchDoc("Deploy", "deploy/", "", "published", "article", (), (), "", ())])
    written = [GRAPH_PATH, INSIGHTS_PATH, preview_shard_path("guide/", 8), feed_path(), feed_path("ops"), *search,
               *(path.relative_to(theme).as_posix() for path in (theme / ASSETS_DIR).rglob("*") if path.is_file())]
    assert len(written) > 10
    assert [path for path in written if reserved_place(path, page=False) is None] == []


def test_an_unreadable_file_or_folder_is_reported_and_the_rest_collected(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kb.read.collect

    # Made unreadable by stand-ins: the tests may run as root, which reads every file whatever its mode.
    real_read, real_walk = kb.read.collect._read_markdown, os.walk

    def read_markdown(collection, absolute, path, *rest):
        if path == "locked.md":
            raise PermissionError(13, "Permission denied", absolute)
        return real_read(collection, absolute, path, *rest)

    def walk(top, onerror=None, **options):
        yield from real_walk(top, onerror=onerror, **options)
        onerror(PermissionError(13, "Permission denied", os.path.join(top, "shut")))

    monkeypatch.setattr(kb.read.collect, "_read_markdown", read_markdown)
    monkeypatch.setattr(os, "walk", walk)
    write(tmp_path / "ok.md", b"fine\n")
    write(tmp_path / "locked.md", b"secret\n")
    collection = collect_sources(tmp_path, "content")
    assert [s.path for s in collection.sources] == ["ok.md"]
    assert {"locked.md", "shut"} <= collection.refused
    assert [d.format() for d in collection.diagnostics] == [
        "content/locked.md:1:1: error: cannot read the file: Permission denied [file.unreadable]",
        "content/shut:1:1: error: cannot read the folder: Permission denied; nothing in it is published [file.unreadable]"]


def test_a_failure_while_collecting_one_file_holds_back_only_that_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kb.read.collect

    real = kb.read.collect._check_name

    def check_name(collection, path, display_root):  # a bug that one file name sets off
        if "trigger" in path:
            raise UnicodeError("a bug")
        return real(collection, path, display_root)

    monkeypatch.setattr(kb.read.collect, "_check_name", check_name)
    write(tmp_path / "ok.md", b"fine\n")
    write(tmp_path / "trigger.png", b"png\n")
    collection = collect_sources(tmp_path, "content")
    assert [s.path for s in collection.sources] == ["ok.md"] and collection.assets == []
    assert collection.refused == {"trigger.png"}
    [failure] = collection.diagnostics
    assert failure.format().startswith("content/trigger.png:1:1: error: kb failed while reading this page (UnicodeError: a bug)")


def test_markdown_mkdocs_would_not_render_is_refused_and_what_it_renders_is_read(tmp_path: Path) -> None:
    for name in ("a.md", "b.markdown", "c.mdown", "d.mkdn", "e.mkd", "F.MD", "g.Md", "h.mdx", "i.MARKDOWN"):
        write(tmp_path / name, b"---\ndraft: true\n---\nSecret.\n")
    collection = collect_sources(tmp_path, "content")
    assert [s.path for s in collection.sources] == ["a.md", "b.markdown", "c.mdown", "d.mkdn", "e.mkd"]
    assert collection.refused == {"F.MD", "g.Md", "h.mdx", "i.MARKDOWN"} and collection.assets == []
    assert [d.format() for d in collection.diagnostics][0] == (
        "content/F.MD:1:1: error: MkDocs does not render '.MD' files as pages: it would publish this one as it is, "
        "front matter and all; rename it to end in '.md' [file.suffix]")


def test_an_attachment_over_the_time_budget_is_held_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    import kb.read.collect
    from kb.read.limits import Limits

    real = kb.read.collect.find_secrets

    def find_secrets(text, allowed=frozenset()):  # stands for a scan that never ends
        while "SLOW" in text:
            time.sleep(0.01)
        return real(text, allowed)

    monkeypatch.setattr(kb.read.collect, "find_secrets", find_secrets)
    write(tmp_path / "notes.txt", b"SLOW\n")
    write(tmp_path / "ok.txt", b"fine\n")
    collection = collect_sources(tmp_path, "content", Limits(page_seconds=0.2))
    assert collection.assets == ["ok.txt"] and collection.refused == {"notes.txt"}
    assert [d.code for d in collection.diagnostics] == ["page.slow"]


def test_the_secret_scan_reads_a_bounded_value_after_each_name() -> None:
    """A line of `password:password:…` must not be read to its end from every name."""
    from kb.read.secrets import _ASSIGNED

    line = "password:" * 1000
    match = _ASSIGNED.match(line, len("password"))
    assert match is not None and len(match.group(1)) == 256


def test_every_attachment_that_is_text_is_searched_whatever_its_name(tmp_path: Path) -> None:
    """By its content: keys live in `id_rsa`, Terraform and TypeScript files and files with no suffix."""
    attachments = {
        "keys/id_rsa": b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n",
        "infra/prod.tfvars": b'region = "eu-west-1"\naccess_key = "AKIAIOSFODNN7EXAMPLE"\n',
        "infra/main.tf": b'provider "aws" {\n  key = "aws_AKIAIOSFODNN7EXAMPLE"\n}\n',
        "web/app.ts": b"const token = 'ghp_" + b"A1b2C3d4E5" * 4 + b"';\n",
        "notes": b"first\nsecond\n&#65;KIAIOSFODNN7EXAMPLE\n",
        "export.utf16": "\ufeffname,key\nci,AKIAIOSFODNN7EXAMPLE\n".encode("utf-16-le"),
    }
    for path, data in attachments.items():
        write(tmp_path / path, data)
    write(tmp_path / "plain.txt", b"no secrets here\n")
    write(tmp_path / "photo.png", b"\x89PNG\r\n\x1a\n\x00\x00AKIAIOSFODNN7EXAMPLE")  # binary: not text
    collection = collect_sources(tmp_path, "content")
    assert collection.refused == set(attachments)  # for their secrets, before their types are judged
    assert collection.assets == ["photo.png", "plain.txt"]
    assert sorted((d.path, d.line, d.code) for d in collection.diagnostics) == [
        ("content/export.utf16", 2, "secret.found"),
        ("content/infra/main.tf", 2, "secret.found"),
        ("content/infra/prod.tfvars", 2, "secret.found"),
        ("content/keys/id_rsa", 1, "secret.found"),
        ("content/notes", 3, "secret.found"),
        ("content/web/app.ts", 1, "secret.found"),
    ]


def test_an_attachment_over_the_page_size_limit_is_searched_to_its_end(tmp_path: Path) -> None:
    from kb.read.limits import Limits

    write(tmp_path / "big.log", b"an ordinary line of a log\n" * 2000 + b"export AWS_KEY=AKIAIOSFODNN7EXAMPLE\n")
    collection = collect_sources(tmp_path, "content", Limits(page_warn_bytes=1024, page_max_bytes=4096))
    assert collection.refused == {"big.log"}
    assert [(d.line, d.code) for d in collection.diagnostics] == [(2001, "secret.found")]


PUBLISHED = ["img/chart.png", "img/Photo.JPG", "img/a.jpeg", "img/b.gif", "img/c.webp", "img/d.avif", "img/e.bmp",
             "favicon.ico", "files/guide.pdf", "files/Plan.DOCX", "files/budget.xlsx", "files/deck.pptx", "files/a.odt",
             "files/b.ods", "files/c.odp", "data/notes.txt", "data/export.csv", "data/export.tsv", "data/config.json",
             "media/talk.mp3", "media/talk.m4a", "media/talk.ogg", "media/talk.wav", "media/demo.mp4", "media/demo.webm",
             "media/demo.mov", "report.html.pdf", "Chart.js.png", "v1.2.csv"]
REFUSED_TYPES = [
    ("tools/setup.exe", "file.type", ".exe files are not on the list of attachments kb publishes"),
    ("id_rsa", "file.type", "a file without a suffix could be anything"),
    ("Makefile", "file.type", "a file without a suffix"),
    ("archive.zip", "file.type", ".zip files are not on the list"),
    ("notes.yml", "file.type", ".yml files are not on the list"),
    ("settings.env", "file.type", ".env files are not on the list"),
    ("styles.css", "file.type", ".css files are not on the list"),
    ("icons.svgz", "file.type", "save the picture as plain .svg"),
    ("page.xht", "file.active", "a browser would run .xht files as a page of the wiki"),
    ("page.XHTML", "file.active", ".xhtml files"),
    ("page.html", "file.active", ".html files"),
    ("page.shtml", "file.active", ".shtml files"),
    ("app.js", "file.active", ".js files"),
    ("app.mjs", "file.active", ".mjs files"),
    ("feed.rss", "file.active", ".rss files"),
    ("data.xml", "file.active", ".xml files"),
    ("style.xsl", "file.active", ".xsl files"),
    ("movie.swf", "file.active", ".swf files"),
    ("index.php", "file.active", ".php files"),
    ("chart.png.html", "file.active", ".html files"),
    ("notes.php.txt", "file.active", "a web server may run or send this file as a .php file"),
    ("dump.html.gz", "file.active", "as a .html file, from the .html in its name"),
]


@pytest.mark.parametrize("name", PUBLISHED)
def test_attachments_on_the_list_are_published_in_any_case(tmp_path: Path, name: str) -> None:
    write(tmp_path / name, b"plain bytes\n")
    collection = collect_sources(tmp_path, "content")
    assert collection.assets == [name] and collection.refused == set() and collection.diagnostics == []


@pytest.mark.parametrize(("name", "code", "why"), REFUSED_TYPES)
def test_every_other_type_is_refused_saying_why(tmp_path: Path, name: str, code: str, why: str) -> None:
    write(tmp_path / name, b"<script>alert(1)</script>\n")
    collection = collect_sources(tmp_path, "content")
    assert collection.assets == [] and collection.refused == {name}
    [problem] = collection.diagnostics
    assert (problem.path, problem.line, problem.col, problem.severity.value, problem.code) == (
        f"content/{name}", 1, 1, "error", code)
    assert why in problem.message and "not published" in problem.message
    assert collection.refusals()[name] and collection.refusals()[name] in problem.message


def test_a_refused_type_says_how_to_add_it(tmp_path: Path) -> None:
    write(tmp_path / "tools" / "setup.exe", b"MZ")
    [problem] = collect_sources(tmp_path, "content").diagnostics
    assert problem.format() == (
        "content/tools/setup.exe:1:1: error: .exe files are not on the list of attachments kb publishes (pictures, PDF "
        "and office documents, text and data, audio and video), so this file is not published; if browsers only show "
        "or download such files, a site can add the suffix to the kb plugin's `attachments` option in mkdocs.yml "
        "[file.type]")


def test_a_site_adds_suffixes(tmp_path: Path) -> None:
    write(tmp_path / "flow.drawio", b"<mxfile/>")
    write(tmp_path / "part.STEP", b"ISO-10303-21;")
    write(tmp_path / "setup.exe", b"MZ")
    collection = collect_sources(tmp_path, "", attachments=attachment_suffixes([".drawio", "step"]))
    assert collection.assets == ["flow.drawio", "part.STEP"] and collection.refused == {"setup.exe"}


@pytest.mark.parametrize(("data", "published"), [(b"wiki.example.com\n", True), (b"wiki.example.com", True),
                                                 (b"<script>alert(1)</script>", False), (b"a.example\nb.example\n", False)])
def test_a_github_pages_cname_is_published_when_it_is_a_host_name(tmp_path: Path, data: bytes, published: bool) -> None:
    write(tmp_path / "CNAME", data)
    write(tmp_path / "sub" / "CNAME", b"wiki.example.com\n")
    collection = collect_sources(tmp_path, "")
    assert collection.assets == (["CNAME"] if published else [])
    assert collection.refused == ({"sub/CNAME"} if published else {"CNAME", "sub/CNAME"})


def test_text_attachments_are_still_searched_for_secrets(tmp_path: Path) -> None:
    write(tmp_path / "notes.txt", b"DB_PASSWORD=Xk9#mP2qL8vR4wZt\n")
    collection = collect_sources(tmp_path, "")
    assert collection.refused == {"notes.txt"} and [d.code for d in collection.diagnostics] == ["secret.found"]


def test_a_symlink_is_refused_as_such_whatever_its_type(tmp_path: Path) -> None:
    write(tmp_path / "real.png", b"\x89PNG")
    os.symlink(tmp_path / "real.png", tmp_path / "link.svg")
    os.symlink(tmp_path / "real.png", tmp_path / "link.exe")
    collection = collect_sources(tmp_path, "")
    assert sorted((d.path, d.code) for d in collection.diagnostics) == [("link.exe", "file.symlink"),
                                                                       ("link.svg", "file.symlink")]


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'


def test_a_clean_svg_is_published_as_kb_rewrites_it(tmp_path: Path) -> None:
    write(tmp_path / "icons" / "ok.svg", b'<?xml version="1.0"?>\n<!-- an editor -->\n' + SVG)
    collection = collect_sources(tmp_path, "content")
    assert collection.assets == ["icons/ok.svg"] and collection.diagnostics == []
    assert collection.rewritten == {"icons/ok.svg": SVG + b"\n"}


def test_a_hostile_svg_is_published_without_what_could_run(tmp_path: Path) -> None:
    write(tmp_path / "bad.svg", b'<svg xmlns="http://www.w3.org/2000/svg">\n<script>alert(1)</script><rect/></svg>')
    collection = collect_sources(tmp_path, "content")
    assert collection.assets == ["bad.svg"]
    assert collection.rewritten["bad.svg"] == b'<svg xmlns="http://www.w3.org/2000/svg">\n<rect/></svg>\n'
    [problem] = collection.diagnostics
    assert (problem.path, problem.line, problem.col, problem.severity.value, problem.code) == (
        "content/bad.svg", 2, 1, "warning", "svg.unsafe")


def test_an_svg_kb_cannot_read_is_refused_at_the_place_of_the_error(tmp_path: Path) -> None:
    write(tmp_path / "broken.svg", b'<svg xmlns="http://www.w3.org/2000/svg">\n  <g>\n</svg>')
    write(tmp_path / "laughs.svg", b'<!DOCTYPE svg [<!ENTITY a "lol">]><svg>&a;</svg>')
    collection = collect_sources(tmp_path, "content")
    assert collection.assets == [] and collection.refused == {"broken.svg", "laughs.svg"}
    assert [(d.path, d.line, d.col, d.code) for d in collection.diagnostics] == [
        ("content/broken.svg", 3, 3, "svg.invalid"), ("content/laughs.svg", 1, 15, "svg.invalid")]
    assert collection.diagnostics[0].message == "the SVG cannot be read as XML: mismatched tag; the file is not published"


def test_an_svg_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    from kb.read.limits import Limits

    write(tmp_path / "huge.svg", SVG[:-6] + b"<rect/>" * 400 + b"</svg>")
    collection = collect_sources(tmp_path, "", Limits(page_max_bytes=1024))
    assert collection.refused == {"huge.svg"} and [d.code for d in collection.diagnostics] == ["svg.too-large"]


def test_a_parse_cache_compresses_each_unchanged_text_once(tmp_path: Path) -> None:
    """A preview server keeps the sources compressed from derivation to derivation: a text
    that did not change is the same PackedSource, one that did is compressed anew."""
    from kb.config import KbConfig
    from kb.read.collect import PackedSource
    from kb.read.pages import ParseCache, collect, parse

    (tmp_path / "a.md").write_text("# A\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("# B\n", encoding="utf-8")
    cache, config = ParseCache(), KbConfig()
    first = cache.packed(collect(tmp_path, config))
    (tmp_path / "b.md").write_text("# B, saved again\n", encoding="utf-8")
    collection = collect(tmp_path, config)
    parse(collection, config, cache=cache)  # forgets what is gone
    second = cache.packed(collection)
    assert all(isinstance(source, PackedSource) for source in second.sources)
    assert second.sources[0] is first.sources[0]
    assert second.sources[1] is not first.sources[1] and second.sources[1].text == "# B, saved again\n"
    assert cache.packed(second).sources == second.sources


def _as_collected(collection: Collection) -> tuple[object, ...]:
    return ([(source.path, source.display, source.text) for source in collection.sources], collection.assets,
            sorted(collection.diagnostics), collection.refused, collection.reasons, collection.ignored)


def test_a_preview_reads_again_only_the_saved_pages_and_finds_what_a_whole_walk_finds(tmp_path: Path) -> None:
    """A preview knows which pages a save changed (it stamps every file): it reads those again
    and keeps the rest, and each page's own problems follow its text, as a walk of every file
    finds them."""
    content = tmp_path / "content"
    files = {"a.md": "# A\n", "b.md": "# B\n", "CON.md": "# Reserved on Windows\n", "c.md": "# C\n"}
    for path, text in files.items():
        (content / path).parent.mkdir(parents=True, exist_ok=True)
        (content / path).write_text(text, encoding="utf-8")
    (content / "img.png").write_bytes(b"\x89PNG")
    commit_all(tmp_path)
    (content / "new.md").write_text("# Not committed\n", encoding="utf-8")
    limits = Limits(page_warn_bytes=64)

    def walked() -> Collection:
        return collect_sources(content, "content", limits, worktree=read_worktree(content))

    earlier = walked()
    assert [d.code for d in earlier.diagnostics if d.path == "content/CON.md"] == ["file.name"]
    (content / "a.md").write_text("# A\n\n" + "Grown past the warning. " * 4, encoding="utf-8")
    (content / "CON.md").write_text("# Still reserved\n\n" + "Long. " * 20, encoding="utf-8")
    again = collect_sources_again(earlier, {"a.md", "CON.md"}, content, limits, worktree=read_worktree(content))
    assert again is not None
    assert _as_collected(again) == _as_collected(walked())
    assert {d.code for d in again.diagnostics if d.path == "content/a.md"} == {"page.large"}
    # Back as it was: the warning goes with the text that caused it.
    (content / "a.md").write_text("# A\n", encoding="utf-8")
    back = collect_sources_again(again, {"a.md"}, content, limits, worktree=read_worktree(content))
    assert back is not None and _as_collected(back) == _as_collected(walked())
    assert [source.text for source in back.sources if source.path == "b.md"] == ["# B\n"]
    kept = {source.path: source for source in again.sources}
    assert all(source is kept[source.path] for source in back.sources if source.path != "a.md")  # kept as read

    # Where the rest of the content may have changed, or the page is no longer one, it takes a walk.
    (content / "b.md").write_bytes(b"# B\x00\n")
    assert collect_sources_again(earlier, {"b.md"}, content, limits, worktree=read_worktree(content)) is None
    assert collect_sources_again(earlier, {"img.png"}, content, limits, worktree=read_worktree(content)) is None
    assert collect_sources_again(earlier, {"gone.md"}, content, limits, worktree=read_worktree(content)) is None
    (tmp_path / ".gitignore").write_text("content/new.md\n", encoding="utf-8")
    assert collect_sources_again(earlier, {"a.md"}, content, limits, worktree=read_worktree(content)) is None


@pytest.mark.parametrize("name", ["page.md~", "#page.md#", "notes/page.md___jb_tmp___", "picture.png~"])
def test_an_editors_backup_is_left_out_with_a_note_not_an_error(tmp_path: Path, name: str) -> None:
    """Emacs leaves `page.md~` beside a page it saves: not content, and no reason to fail a check."""
    (tmp_path / "notes").mkdir()
    (tmp_path / "page.md").write_text("# Page\n", encoding="utf-8")
    (tmp_path / name).write_text("---\nowners: [secret-draft-owner]\n---\n# Page, as it was\n", encoding="utf-8")
    kb = build_knowledge_base(tmp_path, display_root="content")
    assert [(d.path, d.severity.value, d.code) for d in kb.diagnostics if d.path != "content"] == [
        (f"content/{name}", "info", "file.editor")]
    assert kb.held_back == {name: "file.editor"}
    assert name not in kb.assets and set(kb.articles) == {"page.md"}


def test_an_editors_backup_is_searched_for_credentials_unless_git_ignores_it(tmp_path: Path) -> None:
    """Emacs' `deploy.md~` holds the page as it was, with the key its writer just took out: one
    that may be committed is searched like any file; one git ignores is only noted, and so is
    one the check of `kb check --strict` must not fail on for a rule the wiki's .gitignore has."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "deploy.md").write_text("# Deploy\n\nAsk ops for the key.\n", encoding="utf-8")
    (content / "deploy.md~").write_text("# Deploy\n\nUse AKIAIOSFODNN7EXAMPLE to deploy.\n", encoding="utf-8")
    (content / "#notes.md#").write_text("# Notes\n", encoding="utf-8")
    commit_all(tmp_path)
    kb = build_knowledge_base(content, display_root="content")
    found = [(d.path, d.severity.value, d.code) for d in kb.diagnostics if d.path != "content"]
    assert found == [("content/#notes.md#", "info", "file.editor"), ("content/deploy.md~", "error", "secret.found")]
    ignoring = tmp_path / "ignoring"
    shutil.copytree(content, ignoring / "content")
    (ignoring / ".gitignore").write_text("*~\n\\#*#\n", encoding="utf-8")
    commit_all(ignoring)
    content = ignoring / "content"
    kb = build_knowledge_base(content, display_root="content")
    found = [(d.path, d.severity.value, d.code) for d in kb.diagnostics if d.path != "content"]
    assert found == [("content/#notes.md#", "info", "file.editor"), ("content/deploy.md~", "info", "file.editor")]
    assert set(kb.withheld) == {"#notes.md#", "deploy.md~"}


def test_a_file_s_start_is_decoded_without_the_character_its_end_cuts() -> None:
    data = "\ufeffé\r\nnaïve".encode()
    assert decode_markdown(data[:-3], whole=False) == "é\nna"
    with pytest.raises(UnicodeDecodeError):
        decode_markdown(data[:-3])
    with pytest.raises(UnicodeDecodeError):
        decode_markdown(b"a\xffb", whole=False)
