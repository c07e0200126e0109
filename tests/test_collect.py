from __future__ import annotations

import os
from pathlib import Path

import pytest

from kb.collect import collect_sources, decode_markdown
from kb.collisions import reserved_place
from kb.emit import preview_shard_path
from kb.feeds import feed_path
from kb.knowledge import build_knowledge_base
from kb.outputs import ASSETS_DIR, GRAPH_PATH, INSIGHTS_PATH
from kb.search.lunrindex import Field, build_index
from kb.search.shards import SearchDoc, emit_search


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
    ("guide guide.md", "guide.md", "the site needs a folder guide/"),
    ("Notes notes/x.png", "notes/x.png", "the site needs a folder Notes/"),
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
    # a file by the name of one of kb's folders
    ("search", "/search/"), ("feeds", "/feeds/"), ("assets", "/assets/kb/"),
]
NOT_RESERVED = ["search/index.md", "search.md", "search/tips.md", "feeds/index.md", "feeds.md", "404.md", "feed.md",
                "sitemap.md", "assets/logo.png", "assets/kb.md", "assets/kb/index.md", "researchers/feed.xml.md"]


@pytest.mark.parametrize(("name", "place"), RESERVED)
def test_a_file_in_a_place_kb_writes_is_refused(tmp_path: Path, name: str, place: str) -> None:
    write(tmp_path / name, b"x")
    collection = collect_sources(tmp_path, "content")
    assert collection.refused == {name} and collection.sources == [] and collection.assets == []
    [problem] = collection.diagnostics
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
    import kb.collect

    # Made unreadable by stand-ins: the tests may run as root, which reads every file whatever its mode.
    real_read, real_walk = kb.collect._read_markdown, os.walk

    def read_markdown(collection, absolute, path, *rest):
        if path == "locked.md":
            raise PermissionError(13, "Permission denied", absolute)
        return real_read(collection, absolute, path, *rest)

    def walk(top, onerror=None, **options):
        yield from real_walk(top, onerror=onerror, **options)
        onerror(PermissionError(13, "Permission denied", os.path.join(top, "shut")))

    monkeypatch.setattr(kb.collect, "_read_markdown", read_markdown)
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
    import kb.collect

    real = kb.collect._check_name

    def check_name(collection, path, display_root):  # a bug that one file name sets off
        if "trigger" in path:
            raise UnicodeError("a bug")
        return real(collection, path, display_root)

    monkeypatch.setattr(kb.collect, "_check_name", check_name)
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

    import kb.collect
    from kb.limits import Limits

    real = kb.collect.find_secrets

    def find_secrets(text, allowed=frozenset()):  # stands for a scan that never ends
        while "SLOW" in text:
            time.sleep(0.01)
        return real(text, allowed)

    monkeypatch.setattr(kb.collect, "find_secrets", find_secrets)
    write(tmp_path / "notes.txt", b"SLOW\n")
    write(tmp_path / "ok.txt", b"fine\n")
    collection = collect_sources(tmp_path, "content", Limits(page_seconds=0.2))
    assert collection.assets == ["ok.txt"] and collection.refused == {"notes.txt"}
    assert [d.code for d in collection.diagnostics] == ["page.slow"]


def test_the_secret_scan_reads_a_bounded_value_after_each_name() -> None:
    """A line of `password:password:…` must not be read to its end from every name."""
    from kb.secrets import _ASSIGNED

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
    write(tmp_path / "plain", b"no secrets here\n")
    write(tmp_path / "photo.png", b"\x89PNG\r\n\x1a\n\x00\x00AKIAIOSFODNN7EXAMPLE")  # binary: not text
    collection = collect_sources(tmp_path, "content")
    assert collection.refused == set(attachments)
    assert collection.assets == ["photo.png", "plain"]
    assert sorted((d.path, d.line, d.code) for d in collection.diagnostics) == [
        ("content/export.utf16", 2, "secret.found"),
        ("content/infra/main.tf", 2, "secret.found"),
        ("content/infra/prod.tfvars", 2, "secret.found"),
        ("content/keys/id_rsa", 1, "secret.found"),
        ("content/notes", 3, "secret.found"),
        ("content/web/app.ts", 1, "secret.found"),
    ]


def test_an_attachment_over_the_page_size_limit_is_searched_to_its_end(tmp_path: Path) -> None:
    from kb.limits import Limits

    write(tmp_path / "big.log", b"an ordinary line of a log\n" * 2000 + b"export AWS_KEY=AKIAIOSFODNN7EXAMPLE\n")
    collection = collect_sources(tmp_path, "content", Limits(page_warn_bytes=1024, page_max_bytes=4096))
    assert collection.refused == {"big.log"}
    assert [(d.line, d.code) for d in collection.diagnostics] == [(2001, "secret.found")]
