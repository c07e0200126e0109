"""What the adapter reads from MkDocs' configuration and sets on it, before any file is read."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from kb.config import KbConfig
from kb.options import ExternalImages
from kb.read.collect import MKDOCS_EXCLUDES
from kb.render.csp import origin
from kb.siteconfig import links_root, names_its_fonts, site_files, theme_vocabulary
from mkdocs_kb.engine import absolute_links_option


def kb_config(options: Any, config: MkDocsConfig) -> KbConfig:
    """The core's settings: the plugin's options, and what kb reads of the site's own."""
    try:
        settings = KbConfig.from_options(dict(options), config.theme.get("language"))
    except ValueError as error:
        raise PluginError(f"kb: {error}") from None
    custom_dir = Path(config.theme.custom_dir) if config.theme.custom_dir else None
    theme_dirs = [Path(folder) for folder in config.theme.dirs]
    return replace(settings, theme=theme_vocabulary(custom_dir, theme_dirs, config.extra.get("status")),
                   exclude_docs=(*MKDOCS_EXCLUDES, *spec_lines(config.exclude_docs)),
                   draft_docs=spec_lines(config.draft_docs),
                   site_files=site_files(config.extra_css, config.extra_javascript, theme_dirs),
                   site_path=links_root(config.site_url, absolute_links_option(config)))


def refuse_folder_links(docs_dir: Path, base: Path) -> None:
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


def no_web_fonts_by_default(config: MkDocsConfig) -> None:
    """Material loads its default fonts from Google Fonts: every page of an intranet wiki would
    call out to another host, and wait for it where there is no internet. Unless the wiki names
    its fonts, or Material's privacy plugin serves them from the site, readers get system fonts."""
    if config.theme.name != "material" or {"material/privacy", "privacy"} & set(config.plugins):
        return
    if not (config.config_file_path and names_its_fonts(Path(config.config_file_path))):
        config.theme["font"] = False


def policy_sources(config: MkDocsConfig, option: bool | dict[str, Any],
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


def spec_lines(spec: Any) -> tuple[str, ...]:
    """The lines a PathSpec option of mkdocs.yml was written as (each pattern keeps its own)."""
    return tuple(str(pattern.pattern) for pattern in getattr(spec, "patterns", ()) if getattr(pattern, "pattern", None))


def new_page_url(config: MkDocsConfig) -> str | None:
    """GitHub's and GitLab's forms for a new file in the docs folder, from repo_url and edit_uri."""
    repo, edit = (config.repo_url or "").rstrip("/"), (config.edit_uri or "").strip("/")
    if not repo or not edit:
        return None
    if edit.startswith("-/edit/"):
        return f"{repo}/-/new/{edit[len('-/edit/'):]}/?file_name={{path}}&content={{content}}"
    if edit.startswith(("edit/", "blob/")):
        return f"{repo}/new/{edit.split('/', 1)[1]}?filename={{path}}&value={{content}}"
    return None


def display_root(docs_dir: Path, config: MkDocsConfig) -> str:
    """Paths in messages start at the folder of mkdocs.yml (the repository, usually), as in
    `kb check`, so an editor or CI can open them."""
    base = Path(config.config_file_path or ".").parent
    try:
        return docs_dir.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return docs_dir.as_posix()
