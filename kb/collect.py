"""Stage 1, collect: walk the content directory and read every Markdown file as text.

kb walks the tree itself, before the site engine does, so that what gets published is decided in
one place: symlinks are refused (MkDocs follows them, out of the repository and into loops) and
every Markdown file is decoded strictly as UTF-8, so a file in another encoding is reported by
name instead of being published as mojibake.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from kb.diagnostics import Diagnostic, Severity

MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True)
class Source:
    """One Markdown file: its path inside the content directory (POSIX), the path to show in
    diagnostics, and its text with any BOM removed and line endings normalised to LF."""

    path: str
    display: str
    text: str


@dataclass
class Collection:
    sources: list[Source] = field(default_factory=list)
    #: Other files (images, attachments) that may be published as they are.
    assets: list[str] = field(default_factory=list)
    #: Paths that must not be published at all (symlinks, undecodable files).
    refused: set[str] = field(default_factory=set)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def is_markdown(path: str) -> bool:
    return path.lower().endswith(MARKDOWN_SUFFIXES)


def decode_markdown(data: bytes) -> str:
    """Decode strictly as UTF-8, dropping a BOM and normalising CRLF and CR to LF.
    Raises UnicodeDecodeError for anything that is not UTF-8."""
    text = data.decode("utf-8-sig", errors="strict")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def collect_sources(content_dir: Path, display_root: str) -> Collection:
    """Walk `content_dir` in sorted order. `display_root` prefixes paths in diagnostics
    (usually the content directory as the user wrote it, such as `content`)."""
    collection = Collection()
    root = str(content_dir)
    for current, dirnames, filenames in os.walk(root, followlinks=False):
        relative_dir = os.path.relpath(current, root)
        relative_dir = "" if relative_dir == "." else relative_dir.replace(os.sep, "/") + "/"
        kept_dirs = []
        for name in sorted(dirnames):
            if name.startswith("."):
                continue
            if os.path.islink(os.path.join(current, name)):
                _refuse_symlink(collection, relative_dir + name, display_root)
            else:
                kept_dirs.append(name)
        dirnames[:] = kept_dirs
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = relative_dir + name
            absolute = os.path.join(current, name)
            if os.path.islink(absolute):
                _refuse_symlink(collection, path, display_root)
            elif is_markdown(name):
                _read_markdown(collection, absolute, path, display_root)
            else:
                collection.assets.append(path)
    return collection


def _display(display_root: str, path: str) -> str:
    return f"{display_root.rstrip('/')}/{path}" if display_root else path


def _refuse_symlink(collection: Collection, path: str, display_root: str) -> None:
    collection.refused.add(path)
    collection.diagnostics.append(
        Diagnostic(
            _display(display_root, path), 1, 1, Severity.ERROR, "file.symlink",
            "symbolic links are not published; replace the link with the file itself",
        )
    )


def _read_markdown(collection: Collection, absolute: str, path: str, display_root: str) -> None:
    display = _display(display_root, path)
    try:
        with open(absolute, "rb") as handle:
            data = handle.read()
        text = decode_markdown(data)
    except UnicodeDecodeError as error:
        collection.refused.add(path)
        collection.diagnostics.append(
            Diagnostic(
                display, *_line_col_of_offset(data, error.start), Severity.ERROR, "file.encoding",
                f"the file is not valid UTF-8 (byte 0x{data[error.start]:02x}); "
                "save it as UTF-8 — it is not published until then",
            )
        )
        return
    except OSError as error:
        collection.refused.add(path)
        collection.diagnostics.append(
            Diagnostic(display, 1, 1, Severity.ERROR, "file.unreadable", f"cannot read the file: {error.strerror}")
        )
        return
    if "\x00" in text:
        collection.refused.add(path)
        line = text.count("\n", 0, text.index("\x00")) + 1
        collection.diagnostics.append(
            Diagnostic(
                display, line, 1, Severity.ERROR, "file.binary",
                "the file contains NUL bytes, so it is not text; it is not published",
            )
        )
        return
    collection.sources.append(Source(path, display, text))


def _line_col_of_offset(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1
