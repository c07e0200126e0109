"""What kb needs from a site's mkdocs.yml, read without MkDocs (the core never imports it)."""

from __future__ import annotations

import importlib.util
import os
import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml
from yaml_env_tag import construct_env_tag

from kb.audience import check_audience
from kb.config import KbConfig
from kb.diagnostics import Diagnostic, apply_validation
from kb.options import check_options
from kb.read.collect import MKDOCS_EXCLUDES
from kb.read.schema import Vocabulary
from kb.urls import site_url_path


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without MkDocs: `!ENV` reads the environment as MkDocs does (with the
    same library), and other tags such as `!!python/name:` become None."""


_TolerantLoader.add_constructor("!ENV", construct_env_tag)
_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class SiteSettings:
    docs_dir: Path
    site_dir: Path
    config: KbConfig
    #: Problems with the site as a whole, at the line of the configuration that causes them.
    diagnostics: tuple[Diagnostic, ...] = ()


#: The names MkDocs looks for, in its order, when it is not given a config file.
CONFIG_FILES = ("mkdocs.yml", "mkdocs.yaml")


def find_config_file(folder: Path = Path(".")) -> Path | None:
    return next((folder / name for name in CONFIG_FILES if (folder / name).is_file()), None)


def read_site_settings(config_file: Path) -> SiteSettings:
    """The docs_dir, site_dir and kb plugin options of an mkdocs.yml. Raises SystemExit with a
    message when the kb options are wrong."""
    data = _load(config_file, set())
    base = config_file.parent
    options = _kb_options(data.get("plugins"))
    theme = data.get("theme")
    try:
        check_options(options)
        config = KbConfig.from_options(options, theme.get("language") if isinstance(theme, dict) else None)
    except ValueError as error:
        raise SystemExit(f"kb: {config_file}: plugin 'kb': {error}") from None
    custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
    custom = base / str(custom_dir) if isinstance(custom_dir, str) else None
    extra = data.get("extra") if isinstance(data.get("extra"), dict) else {}
    vocabulary = theme_vocabulary(custom, [*([custom] if custom else []), *_material_dirs()], extra.get("status"))
    site_url = data.get("site_url")
    config = replace(config, theme=vocabulary, exclude_docs=(*MKDOCS_EXCLUDES, *_lines(data.get("exclude_docs"))),
                     draft_docs=_lines(data.get("draft_docs")),
                     site_files=site_files(_items(data.get("extra_css")), _items(data.get("extra_javascript")),
                                           [*([custom] if custom else []), *_material_dirs()]),
                     site_path=links_root(site_url if isinstance(site_url, str) else None,
                                          _absolute_links(data.get("validation"))))
    return SiteSettings(base / str(data.get("docs_dir") or "docs"), base / str(data.get("site_dir") or "site"), config,
                        tuple(check_site(config_file, site_url if isinstance(site_url, str) else None, config)))


def site_files(css: Iterable[Any], javascript: Iterable[Any], theme_dirs: Iterable[Path]) -> frozenset[str]:
    """The files of the docs folder that mkdocs.yml names in `extra_css` (`.css` files) and
    `extra_javascript` (`.js`, `.mjs`; each a path or `{path: ...}`), which kb publishes as the site's
    own (KbConfig.site_files). URLs of other hosts are no file here, a name of another type is
    checked like any file, and a name the theme itself has (a custom_dir's script) stays the
    theme's: a page's folder must not replace it."""
    found = set()
    theme_dirs = list(theme_dirs)
    for items, suffixes in ((css, (".css",)), (javascript, (".js", ".mjs"))):
        for item in items:
            path = item.get("path") if isinstance(item, dict) else getattr(item, "path", item)
            if not isinstance(path, str) or "://" in path or path.startswith("//"):
                continue
            normal = posixpath.normpath(path.strip().lstrip("/"))
            if not normal.lower().endswith(suffixes) or normal.startswith(("..", ".")):
                continue
            if any((folder / normal).is_file() for folder in theme_dirs):
                continue
            found.add(normal)
    return frozenset(found)


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def links_root(site_url: str | None, absolute_links: str | None) -> str:
    """Where a link's path from the root of the host starts in the site (KbConfig.site_path):
    the path of site_url, unless the site tells MkDocs to read such paths from the docs folder
    (`validation: {absolute_links: relative_to_docs}`), as MkDocs then does whatever site_url says."""
    return "/" if absolute_links == "relative_to_docs" else site_url_path(site_url)


def _absolute_links(validation: Any) -> str | None:
    """MkDocs' `absolute_links` setting, under `validation: {links: ...}` or, for links and the
    nav together, right under `validation`."""
    if not isinstance(validation, dict):
        return None
    links = validation.get("links")
    value = links.get("absolute_links") if isinstance(links, dict) and "absolute_links" in links else (
        validation.get("absolute_links"))
    return value if isinstance(value, str) else None


def minimal_site_settings(docs_dir: Path) -> SiteSettings:
    """What kb reads from the smallest configuration that adds it (`theme: material`,
    `plugins: [kb]`), for a folder that has no mkdocs.yml yet: MkDocs' own exclusions and
    Material's vocabulary apply as they will once it has one."""
    vocabulary = theme_vocabulary(None, _material_dirs(), None)
    config = replace(KbConfig(), theme=vocabulary, exclude_docs=MKDOCS_EXCLUDES)
    return SiteSettings(docs_dir, docs_dir.parent / "site", config)


def check_site(config_file: Path, site_url: str | None, config: KbConfig) -> list[Diagnostic]:
    """Problems with the site as a whole (a public site_url the wiki does not mean to have), at
    the line of the configuration that sets it, graded as the site's `validation` says. The
    plugin and `kb check` both call this, so they report the same."""
    found = check_audience(site_url, config.audience, config_file.name)
    if not found:
        return []
    path, line, col = key_place(config_file, "site_url")
    display = Path(os.path.relpath(path, config_file.parent)).as_posix()
    return apply_validation([replace(d, path=display, line=line, col=col) for d in found], config.validation)


def key_place(config_file: Path, key: str) -> tuple[Path, int, int]:
    """The file, line and column where a top-level key of mkdocs.yml is written: in the file
    itself, else in the one it INHERITs from (and so on); the file's start when none has it."""
    current, seen = config_file, set()
    while current.resolve() not in seen:
        seen.add(current.resolve())
        try:
            node = yaml.compose(current.read_text(encoding="utf-8"), Loader=_TolerantLoader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            break
        if not isinstance(node, yaml.MappingNode):
            break
        keys = {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
        if key in keys:
            mark = keys[key][0].start_mark
            return current, mark.line + 1, mark.column + 1
        parent = keys.get("INHERIT", (None, None))[1]
        if not isinstance(parent, yaml.ScalarNode):
            break
        current = current.parent / str(parent.value)
    return config_file, 1, 1


def names_its_fonts(config_file: Path) -> bool:
    """Whether the site's configuration names the theme's fonts itself (`theme: {font: ...}`),
    rather than taking the theme's default."""
    try:
        theme = _load(config_file, set()).get("theme")
    except (OSError, yaml.YAMLError):
        return False
    return isinstance(theme, dict) and "font" in theme


def _lines(value: Any) -> tuple[str, ...]:
    """A gitignore-style option of mkdocs.yml, written as one string of lines (or a list)."""
    if isinstance(value, str):
        return tuple(value.splitlines())
    if isinstance(value, list):
        return tuple(str(line) for line in value)
    return ()


def _load(config_file: Path, seen: set[Path]) -> dict[str, Any]:
    """The file's settings over those of the file it names in `INHERIT`, merged as MkDocs merges
    them: mappings key by key, anything else replaced."""
    with open(config_file, encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=_TolerantLoader) or {}
    if not isinstance(data, dict):
        return {}
    parent = data.pop("INHERIT", None)
    seen.add(config_file.resolve())
    if isinstance(parent, str) and (config_file.parent / parent).resolve() not in seen:
        return _merged(_load(config_file.parent / parent, seen), data)
    return data


def _merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        merged[key] = _merged(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) else value
    return merged


def _kb_options(plugins: Any) -> dict[str, Any]:
    """kb's options, from `plugins: [kb]`, `plugins: [{kb: {...}}]` or `plugins: {kb: {...}}`."""
    entries = plugins.items() if isinstance(plugins, dict) else (
        next(iter(item.items())) if isinstance(item, dict) and item else (item, None) for item in plugins or [])
    for name, options in entries:
        if name == "kb":
            return options if isinstance(options, dict) else {}
    return {}


def theme_vocabulary(custom_dir: Path | None, theme_dirs: Iterable[Path], extra_status: Any) -> Vocabulary:
    """What pages may ask of the theme: Material's status values (`new`, `deprecated` and the
    site's own in `extra.status`), the page templates (`main.html` and the site's own at the
    top of its custom_dir; never a partial or another tool's template) and the icon folders."""
    statuses = {"new", "deprecated"}
    if isinstance(extra_status, Mapping):
        statuses |= {str(key) for key in extra_status}
    templates = {"main.html"}
    if custom_dir is not None and custom_dir.is_dir():
        templates |= {path.name for path in custom_dir.glob("*.html") if path.is_file()}
    icons = tuple(str(folder / ".icons") for folder in theme_dirs if (folder / ".icons").is_dir())
    return Vocabulary(engine_statuses=frozenset(statuses), page_templates=frozenset(templates), icon_dirs=icons)


def _material_dirs() -> list[Path]:
    """Material's templates, found without importing it (nor MkDocs)."""
    spec = importlib.util.find_spec("material")
    if spec is None or not spec.submodule_search_locations:
        return []
    return [Path(location) / "templates" for location in spec.submodule_search_locations]
