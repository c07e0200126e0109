from __future__ import annotations

import os
from pathlib import Path

import pytest

from kb.collect import collect_sources, decode_markdown


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
    for name in ("b.md", "a.md", "c/z.md", "c/a.md", "B.md"):
        write(tmp_path / name, b"x")
    assert [s.path for s in collect_sources(tmp_path, "").sources] == ["B.md", "a.md", "b.md", "c/a.md", "c/z.md"]
