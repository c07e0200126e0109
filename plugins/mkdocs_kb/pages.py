"""The adapter's work on MkDocs' files and pages: what is withheld, what is published in place
of a file, and what a page's HTML and metadata become."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Any

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from kb.analyse.knowledge import UNKNOWN_STATUS, KnowledgeBase, summarize_held_back
from kb.diagnostics import Diagnostic, Severity
from kb.options import ExternalImages
from kb.read.schema import INVISIBLE
from kb.render.sanitize import content_id, sanitize_html

log = logging.getLogger("mkdocs.plugins.kb")

_LEADING_H1 = re.compile(r"^\s*<h1\b[^>]*>.*?</h1>\s*", re.DOTALL)


def final_html(html: str, page: Page, external_images: ExternalImages) -> str:
    html = sanitize_html(html, external_images)
    follow_ids(page.toc)
    # The theme writes the page title as the heading, above kb's page header.
    return _LEADING_H1.sub("", html, count=1)


def follow_ids(toc: Any) -> None:
    """The table of contents links to headings by id: where the sanitiser prefixed one (a heading
    titled `kb-search`), the link follows it."""
    for anchor in toc or ():
        anchor.id = content_id(anchor.id)
        follow_ids(anchor.children)


def unlink_page(output: Path, site_dir: Path) -> None:
    """Take back a page's HTML, and each folder above it that this leaves empty, up to the
    site's: a page worker may have written a listing of a page held back since (its "Linked
    from" pages, `x/linked-from/2/index.html`), and a build of one process makes no folder for it."""
    output.unlink(missing_ok=True)
    folder = output.parent
    while folder != site_dir and site_dir in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return  # not empty (or gone): what is above it stays too
        folder = folder.parent


def remove_file(files: Files, src_uri: str) -> None:
    found = files.get_file_from_path(src_uri)
    if found is not None:
        files.remove(found)


def display_path(display_root: str, path: str) -> str:
    return f"{display_root.rstrip('/')}/{path}" if display_root else path


def withheld(src_uri: str, kb: KnowledgeBase) -> bool:
    """The file itself, or a folder it was reached through (a refused symlink), is withheld."""
    parts = src_uri.split("/")
    return any("/".join(parts[:depth]) in kb.withheld for depth in range(1, len(parts) + 1))


def rewrite_assets(files: Files, kb: KnowledgeBase) -> None:
    """Publish what kb made of an asset (an SVG, sanitised) instead of the file as written."""
    for file in files:
        if file.generated_by is None and (content := kb.asset_content.get(file.src_uri)) is not None:
            file.content_bytes = content


def in_theme(src_uri: str, config: MkDocsConfig) -> bool:
    return any(os.path.isfile(os.path.join(folder, src_uri)) for folder in config.theme.dirs)


def escape_meta(value: Any) -> Any:
    """Front matter reaches Material's templates, which print some keys unescaped, and without
    the invisible characters that make text read otherwise than it is (kb.read.schema.INVISIBLE)."""
    if isinstance(value, str):
        return escape(INVISIBLE.sub("", value))
    if isinstance(value, list):
        return [escape_meta(item) for item in value]
    if isinstance(value, dict):
        return {str(escape(key)): escape_meta(item) for key, item in value.items()}
    return value


def log_diagnostic(diagnostic: Diagnostic) -> None:
    """A diagnostic as a MkDocs log record, so that `--strict` fails on a warning."""
    level = {Severity.ERROR: logging.ERROR, Severity.WARNING: logging.WARNING, Severity.INFO: logging.INFO}
    log.log(level[diagnostic.severity], diagnostic.format())
    if diagnostic.detail:
        log.debug(diagnostic.detail)


def log_analysis(kb: KnowledgeBase) -> None:
    """What the analysis found, as MkDocs log records."""
    for diagnostic in kb.diagnostics:
        log_diagnostic(diagnostic)
    if kb.held_back:
        # Pages held back for another tool's status are a whole wiki missing, not a draft or two.
        unmapped = any(reason.startswith(UNKNOWN_STATUS) for reason in kb.held_back.values())
        log.log(logging.WARNING if unmapped else logging.INFO, f"kb: {summarize_held_back(kb.held_back)}")
    if kb.folder_topics:
        log.info("kb: topics from folders (folder_topics)")


def withhold_files(files: Files, kb: KnowledgeBase, config: MkDocsConfig) -> None:
    """Take out of MkDocs' files what kb does not publish, and publish what kb made of an asset."""
    held = [file for file in files if file.generated_by is None and withheld(file.src_uri, kb)]
    for file in held:
        files.remove(file)
    if any(in_theme(file.src_uri, config) for file in held):
        # A content file by the name of a theme file hides it from MkDocs (kb's own stylesheet,
        # say): once the content file is withheld, the theme's file must be published again.
        files.add_files_from_theme(config.theme.get_env(), config)
    rewrite_assets(files, kb)
